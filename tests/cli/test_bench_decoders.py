"""``qecsim bench-decoders --circuit`` and ``--noise-file``: decoders on your own circuits."""

from __future__ import annotations

import qecsim
from qecsim.cli import main
from qecsim.experiment import google_data_path


def google_file(distance: int, rounds: int) -> str:
    return str(google_data_path(distance, rounds) / "circuit_noisy.stim")


def test_bench_decoders_on_googles_circuit_files(capsys):
    code = main(["bench-decoders", "--circuit", google_file(3, 5), "--circuit",
                 google_file(5, 5), "--decoders", "pymatching,pymatching-correlated",
                 "--shots", "500", "--seed", "4"])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("2 circuit file(s), seed 4")
    # the same file name in two folders: labelled by folder
    assert "surface_code_bX_d3_r05_center_3_5/circuit_noisy.stim" in printed
    assert "pymatching vs pymatching-correlated: surface_code_bX_d3_r05_center_3_5/" in printed


def test_bench_decoders_with_a_noise_file(tmp_path, capsys):
    path = tmp_path / "chip.json"
    path.write_text(qecsim.NoiseModel(two_qubit_gate=4e-3, measurement=1e-2,
                                      name="chip").to_json())
    assert main(["bench-decoders", "--noise-file", str(path), "--distances", "3",
                 "--decoders", "pymatching", "--shots", "300", "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(
        "rotated_surface_code, chip.json (chip), gate set cx, basis Z, seed 1"
    )
    assert "d=3, r=3" in printed


def test_bench_decoders_circuit_and_noise_file_exclude_each_other(tmp_path, capsys):
    code = main(["bench-decoders", "--circuit", google_file(3, 1), "--noise-file",
                 str(tmp_path / "x.json")])
    assert code == 2
    assert "give --circuit or --noise-file, not both" in capsys.readouterr().err


def test_ctrl_c_prints_one_line(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # what Python raises where a Ctrl-C arrives

    monkeypatch.setattr(qecsim, "benchmark_decoders", interrupted)
    try:
        code = main(["bench-decoders", "--distances", "3", "--shots", "100"])
    except KeyboardInterrupt:
        raise AssertionError("KeyboardInterrupt escaped qecsim's main()") from None
    assert code == 130
    assert capsys.readouterr().err == (
        "qecsim bench-decoders: interrupted: nothing kept (the benchmark keeps no results); "
        "rerun the same command to start over\n")
