"""``--calibration FILE`` of ``qecsim sweep``, ``qecsim budget`` and ``qecsim bench-decoders``,
and the gate set in sweep and analyze outputs."""

from __future__ import annotations

import json

import pytest

import qecsim
from qecsim.cli import build_parser, main

EXAMPLE = str(qecsim.EXAMPLE_CALIBRATION)

# The smallest run of each command on the example chip (laid out for d = 3).
RUNS = {
    "sweep": ["sweep", "--distances", "3", "--dry-run"],
    "budget": ["budget", "--distances", "3", "--max-errors", "20", "--max-shots", "1e4",
               "--seed", "1", "--workers", "1", "--no-progress", "--no-store"],
    "bench-decoders": ["bench-decoders", "--distances", "3", "--shots", "300", "--seed", "1",
                       "--decoders", "pymatching"],
}  # fmt: skip


def _one_error_line(capsys, command: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"qecsim {command}: error: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        ("sweep", "--noise", "si1000"),
        ("sweep", "--p", "1e-3"),
        ("sweep", "--noise-file", "noise.json"),
        ("budget", "--noise", "si1000"),
        ("budget", "--p", "1e-3"),
        ("budget", "--noise-file", "noise.json"),
        ("bench-decoders", "--noise", "si1000"),
        ("bench-decoders", "--p", "1e-3"),
    ],
)
def test_calibration_with_another_noise_option_is_an_error_naming_both(
    tmp_path, capsys, command, option, value
):
    argv = [*RUNS[command], "--calibration", EXAMPLE, option, value]
    if command == "budget":
        argv += ["--out", str(tmp_path)]
    assert main(argv) == 2
    line = _one_error_line(capsys, command)
    assert "--calibration" in line and option in line


@pytest.mark.parametrize("command", list(RUNS))
def test_a_bad_calibration_file_names_the_file_the_key_and_the_range(tmp_path, capsys, command):
    data = json.loads(qecsim.EXAMPLE_CALIBRATION.read_text())
    data["qubits"]["Q03"]["readout_p0_given_1"] = 1.5
    bad = tmp_path / "bad_chip.json"
    bad.write_text(json.dumps(data))
    argv = [*RUNS[command], "--calibration", str(bad)]
    if command == "budget":
        argv += ["--out", str(tmp_path / "out")]
    assert main(argv) == 2
    line = _one_error_line(capsys, command)
    assert str(bad) in line
    assert "qubits.Q03.readout_p0_given_1=1.5" in line and "[0, 1]" in line
    assert not (tmp_path / "out").exists()  # nothing written: the error came first


def test_a_missing_calibration_file_is_named(capsys):
    assert main([*RUNS["sweep"], "--calibration", "no_such_chip.json"]) == 2
    assert "no_such_chip.json" in _one_error_line(capsys, "sweep")


def test_sweep_takes_the_chips_gate_set_and_records_it(capsys):
    assert main([*RUNS["sweep"], "--calibration", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "noise_label=example CZ transmon chip, 17 qubits" in out
    assert "gate_set=cz" in out
    # --gate-set overrides it, and --scales rescales the chip
    argv = [*RUNS["sweep"], "--calibration", EXAMPLE, "--gate-set", "cx,cz", "--scales", "0.5,1"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "4 points" in out
    assert "scale=0.5, gate_set=cx" in out and "scale=1.0, gate_set=cz" in out


def test_budget_of_the_example_chip_names_the_chip_and_its_gate_set(tmp_path, capsys):
    out = tmp_path / "budget"
    assert main([*RUNS["budget"], "--calibration", EXAMPLE, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "example CZ transmon chip, 17 qubits" in printed and "gate set cz" in printed
    budget = json.loads((out / "budget.json").read_text())
    assert budget["gate_set"] == "cz"
    noise = qecsim.NoiseModel.from_dict(budget["noise"])
    assert noise == qecsim.load_calibration(EXAMPLE)
    # the chip's crosstalk kind and T1/T2 idling are rows of their own
    assert {"crosstalk.parallel", "idle", "crosstalk.static_zz"} <= set(budget["components"])


def test_bench_decoders_runs_on_the_example_chip(capsys):
    assert main([*RUNS["bench-decoders"], "--calibration", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "example CZ transmon chip, 17 qubits, gate set cz" in out
    assert "d=3, r=3" in out


@pytest.mark.parametrize("command", list(RUNS))
def test_the_help_says_what_calibration_takes(command):
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    (action,) = [a for a in subparsers.choices[command]._actions if a.dest == "calibration"]
    assert action.metavar == "FILE"
    assert "calibration JSON file" in action.help and "qecsim.load_calibration" in action.help
    assert "default" in action.help


def test_sweep_and_analyze_show_the_gate_set_that_tells_groups_apart(tmp_path, capsys):
    store = tmp_path / "gate_sets.csv"
    argv = ["sweep", "--code", "repetition_code", "--noise", "si1000", "--p", "5e-3",
            "--distances", "3", "--gate-set", "cx,cz", "--max-shots", "500",
            "--max-errors", "100", "--store", str(store), "--workers", "1", "--no-progress"]
    assert main(argv) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert rows[0][:3] == ["code", "noise", "gates"]
    assert [row[2] for row in rows[1:3]] == ["cx", "cz"]
    assert main(["analyze", str(store)]) == 0
    out = capsys.readouterr().out
    assert "gate_set=cx, noise=si1000" in out and "gate_set=cz, noise=si1000" in out


def test_budget_and_bench_decoders_take_another_gate_set(tmp_path, capsys):
    # SI1000 on the CX schedule (its own is CZ): the label, the JSON and the circuits say cx
    out = tmp_path / "budget"
    argv = [*RUNS["budget"], "--noise", "si1000", "--gate-set", "cx", "--out", str(out)]
    assert main(argv) == 0
    assert "si1000 p=0.001, gate set cx" in capsys.readouterr().out
    assert json.loads((out / "budget.json").read_text())["gate_set"] == "cx"
    assert main([*RUNS["bench-decoders"], "--noise", "si1000", "--gate-set", "cx"]) == 0
    assert "gate set cx" in capsys.readouterr().out
    assert main([*RUNS["bench-decoders"], "--noise", "si1000"]) == 0
    assert "gate set cz" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["budget", "bench-decoders"])
def test_gate_set_does_not_apply_to_your_own_circuits(tmp_path, capsys, command):
    circuit = tmp_path / "c.stim"
    circuit.write_text(str(qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.sd6(1e-3))))
    argv = [*RUNS[command], "--circuit", str(circuit), "--gate-set", "cz"]
    if command == "budget":
        argv = [a for a in argv if a not in ("--distances", "3")] + ["--out", str(tmp_path)]
    assert main(argv) == 2
    assert "--gate-set" in _one_error_line(capsys, command)
