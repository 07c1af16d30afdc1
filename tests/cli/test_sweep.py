"""``qecsim sweep``, ``qecsim analyze``, ``qecsim plot`` end to end (small repetition codes)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest
import sinter

import qecsim
from qecsim.cli import main
from qecsim.experiment import google_data_path

ROOT = pathlib.Path(__file__).resolve().parents[2]

ISSUE_COMMAND = (
    "sweep --code rotated_surface_code --noise si1000 --p 1e-3,2e-3,5e-3 --distances 3,5,7 "
    "--rounds d --max-errors 1000 --store results.csv"
).split()


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("sweep", "qecsim sweep --code rotated_surface_code --noise si1000 --p 1e-3,2e-3,5e-3"),
        ("analyze", "qecsim analyze results.csv"),
        ("plot", "qecsim plot results.csv -o plot.png"),
    ],
)
def test_help_shows_an_example(capsys, command, example):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert example in capsys.readouterr().out


def test_the_issue_command_parses_into_the_grid(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([*ISSUE_COMMAND, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "9 points x 1 decoder(s); nothing sampled" in out
    assert "d=7, rounds=7, noise=si1000, p=0.005" in out
    assert not (tmp_path / "results.csv").exists()


def sweep_args(store, *extra):
    return [
        "sweep", "--code", "repetition_code", "--noise", "phenomenological",
        "--p", "0.03,0.06,0.1", "--distances", "3,5", "--rounds", "d",
        "--max-shots", "4e3", "--max-errors", "2000", "--store", str(store),
        "--workers", "1", "--no-progress", *extra,
    ]  # fmt: skip


def test_sweep_analyze_plot_and_resume(tmp_path, capsys):
    store = tmp_path / "results.csv"
    assert main(sweep_args(store)) == 0
    out = capsys.readouterr().out
    assert "phenomenological" in out and "qecsim analyze" in out
    stats = sinter.read_stats_from_csv_files(store)
    assert len(stats) == 6
    assert all(s.json_metadata["rounds"] == s.json_metadata["d"] for s in stats)
    assert all(s.shots == 4000 for s in stats)

    # the same command again resumes: nothing new is sampled
    before = store.read_bytes()
    assert main(sweep_args(store)) == 0
    assert store.read_bytes() == before

    assert main(["analyze", str(store)]) == 0
    out = capsys.readouterr().out
    assert "Logical error per round" in out
    assert "Lambda = " in out and "qubits" in out
    assert "Thresholds (crossing of the per-shot" in out

    image = tmp_path / "plots" / "plot.png"
    assert main(["plot", str(store), "-o", str(image)]) == 0
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["plot", str(store), "-o", str(image), "--kind", "lambda"]) == 0
    capsys.readouterr()
    # p=0.06: many errors at both distances (at p=0.03, d=5 may have < 10, left out of the fit)
    assert main(["analyze", str(store), "--where", "p=0.06"]) == 0
    out = capsys.readouterr().out
    assert "p=0.06, decoder=pymatching: Lambda" in out and "p=0.03" not in out


def test_noise_file(tmp_path, capsys):
    calibrated = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.01, idle=0.001)
    path = tmp_path / "noise.json"
    path.write_text(calibrated.to_json())
    args = ["sweep", "--noise-file", str(path), "--scales", "0.5,1", "--distances", "3",
            "--dry-run"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "noise=custom, noise_label=two_qubit_gate=0.004" in out  # p only for presets
    assert "scale=0.5" in out and "scale=1.0" in out and "p=" not in out
    assert "noise_model" not in out  # the JSON is in the metadata, not on screen


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "--p", "abc", "--distances", "3"], "--p='abc' has an entry that is not"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--noise", "si"], "noise='si' is not in"),
        (["sweep", "--p", "0.9", "--distances", "3"], "p=0.9 is not in (0, 0.2]"),
        (["sweep", "--p", "1e-3", "--distances", ""], "--distances='' is empty"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--decoders", "x"], "decoder='x' is not"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--max-shots", "0"], "--max-shots='0'"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--noise-file", "missing.json"],
         "--noise-file='missing.json' is not a file"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--scale", "idle"], "--scale 'idle' is not"),
        (["sweep", "--p", "1e-3", "--distances", "3,3"], "--distances='3,3' lists 3 more than"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--workers", "0"], "--workers=0 is not"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--max-shots", "none", "--max-errors",
          "none"], "--max-shots none and --max-errors none"),
        (["bench-decoders", "--distances", "3,x"], "--distances='3,x' has an entry that is not"),
        (["bench-decoders", "--distances", "3,3"], "--distances='3,3' lists 3 more than once"),
        (["bench-decoders", "--distances", "3", "--shots", "0"], "--shots=0 is not"),
        (["sweep", "--p", "1e-3", "--distances", "3", "--scheduler", "tcp://127.0.0.1:1"],
         "--scheduler='tcp://127.0.0.1:1' needs --backend dask"),
        (["analyze", "missing.csv"], "store='missing.csv' does not exist"),
        (["plot", "missing.csv"], "store='missing.csv' does not exist"),
    ],
)
def test_bad_input_exits_2_with_the_bad_value_named(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_custom_model_table_shows_the_scale_and_per_qubit_models_warn(tmp_path, capsys):
    calibrated = qecsim.NoiseModel(measurement=0.02, data_depolarization=0.01)
    path = tmp_path / "noise.json"
    path.write_text(calibrated.to_json())
    store = tmp_path / "results.csv"
    args = ["sweep", "--code", "repetition_code", "--noise-file", str(path), "--scales", "1,2",
            "--distances", "3", "--max-shots", "200", "--store", str(store), "--workers", "1",
            "--no-progress"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    # the model's label (its main rates) and scale; no p: it is no preset's parameter
    rows = [line for line in out.splitlines() if line.startswith("repetition_code")]
    assert len(rows) == 2 and not any("custom" in row or "nan" in row for row in rows)
    for row, scale in zip(rows, ("1", "2"), strict=True):
        assert f" measurement=0.02, data_depolarization=0.01, scale={scale} " in row
        assert row.split()[5:7] == ["-", "3"]  # p, d

    per_qubit = calibrated.with_qubit_rates({0: {"measurement": 0.05}})
    path.write_text(per_qubit.to_json())
    assert main(["sweep", "--noise-file", str(path), "--distances", "3,5", "--dry-run"]) == 0
    assert "qecsim sweep: warning: noise model" in capsys.readouterr().err


def test_a_store_that_is_not_sinter_csv(tmp_path, capsys):
    store = tmp_path / "notes.csv"
    store.write_text("name,value\na,1\n")
    assert main(sweep_args(store)) == 2
    assert "is not a sinter CSV file" in capsys.readouterr().err
    assert store.read_text() == "name,value\na,1\n"
    assert main(["analyze", str(store)]) == 2


@pytest.mark.slow
def test_python_dash_m_qecsim_sweep_with_two_spawned_workers(tmp_path):
    store = tmp_path / "results.csv"
    args = sweep_args(store)
    args[args.index("--workers") + 1] = "2"
    result = subprocess.run(
        [sys.executable, "-m", "qecsim", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(store)) == 6 * 4000


def test_analyze_flags_points_with_few_errors_and_leaves_them_out_of_lambda(tmp_path, capsys):
    store = tmp_path / "results.csv"
    rows = [
        sinter.TaskStats(strong_id=f"d{d}", decoder="pymatching", shots=10**5, errors=errors,
                         json_metadata={"code": "repetition_code", "basis": "Z", "d": d,
                                        "rounds": d, "noise": "sd6", "p": 0.01})
        for d, errors in [(3, 2000), (5, 400), (7, 2)]
    ]  # fmt: skip
    store.write_text(sinter.CSV_HEADER + "\n" + "".join(r.to_csv_line() + "\n" for r in rows))
    assert main(["analyze", str(store)]) == 0
    out = capsys.readouterr().out
    flagged = [line for line in out.splitlines() if line.rstrip().endswith(" *")]
    assert len(flagged) == 1 and "      2  " in flagged[0]
    assert "* fewer than 10 errors" in out
    expected = qecsim.analysis.fit_lambda(rows[:2])
    assert f"{expected}; left out (< 10 errors): d=7 (2 errors)" in out


def test_sweep_with_the_dask_backend_reports_an_unreachable_scheduler(tmp_path, capsys):
    # the flags reach qecsim.collect(backend="dask"): a bad address fails fast and clearly
    code = main(["sweep", "--p", "1e-3", "--distances", "3", "--max-shots", "1000",
                 "--backend", "dask", "--scheduler", "tcp://127.0.0.1:1",
                 "--store", str(tmp_path / "s.csv"), "--no-progress"])
    assert code == 2
    assert "127.0.0.1:1" in capsys.readouterr().err


def _interrupt_when_rows(process, store, rows: int, timeout: float = 120) -> None:
    """Send SIGINT to the process group (as a terminal's Ctrl-C does) once ``store`` has rows."""
    import os
    import signal
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if store.exists() and len(store.read_text().splitlines()) > rows:
            break
        assert process.poll() is None, process.communicate()[1][-2000:]
        time.sleep(0.05)
    else:
        pytest.fail(f"the store got no {rows} rows within {timeout} s")
    os.killpg(process.pid, signal.SIGINT)


@pytest.mark.slow
def test_ctrl_c_prints_one_line_and_the_same_command_resumes_exactly(tmp_path):
    import re

    store = tmp_path / "results.csv"
    args = ["sweep", "--noise", "si1000", "--p", "1e-3", "--distances", "5", "--max-shots",
            "3e6", "--max-errors", "none", "--store", str(store), "--workers", "2"]
    process = subprocess.Popen([sys.executable, "-m", "qecsim", *args], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # its own group, like a terminal job
    try:
        _interrupt_when_rows(process, store, rows=4)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "multiprocessing" not in err
    lines = [line for line in err.splitlines() if line.startswith("qecsim sweep:")]
    assert len(lines) == 1 and lines == [err.strip().splitlines()[-1]], err[-2000:]
    found = re.fullmatch(r"qecsim sweep: interrupted: ([\d,]+) shots of 3,000,000 kept in the "
                         r"store '(.*)'; rerun the same command to continue", lines[0])
    assert found, lines[0]
    kept = store.read_text()
    (before,) = sinter.read_stats_from_csv_files(store)
    assert int(found.group(1).replace(",", "")) == before.shots
    assert 0 < before.shots < 3_000_000

    assert main([*args, "--no-progress"]) == 0  # the same command again continues
    assert store.read_text().startswith(kept)  # every row kept, byte for byte
    (after,) = sinter.read_stats_from_csv_files(store)
    assert after.shots == 3_000_000  # exactly the missing shots were added


def test_every_sweep_option_says_what_it_takes_and_its_default():
    import argparse

    from qecsim.cli import build_parser

    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    sweep = subparsers.choices["sweep"]
    options = [a for a in sweep._actions if not isinstance(a, argparse._HelpAction)]
    assert len(options) >= 18
    for action in options:
        name = action.option_strings[-1]
        assert action.help, f"{name} has no help"
        assert "default" in action.help or "required" in action.help, (name, action.help)
        if action.nargs != 0:  # it takes a value: named, or its choices listed
            assert action.metavar or action.choices, name
    text = sweep.format_help()
    assert "(default 1e7)" in text and "(default results.csv)" in text
    assert "--workers N" in text and "--store PATH" in text


def google_file(distance: int, rounds: int) -> str:
    return str(google_data_path(distance, rounds) / "circuit_noisy.stim")


def test_cli_sweep_of_your_own_circuits_with_a_component_scaled(tmp_path, capsys):
    store = tmp_path / "google.csv"
    argv = ["sweep", "--circuit", google_file(3, 3), "--circuit", google_file(5, 3),
            "--scale", "two_qubit_gate=0.5,1", "--circuit-name", "sycamore",
            "--max-shots", "2000", "--workers", "1", "--no-progress", "--store", str(store)]
    assert main([*argv, "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "4 points" in dry and "circuit_files" not in dry and "circuit=sycamore" in dry
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "sycamore two_qubit_gate=0.5" in printed and "sycamore two_qubit_gate=1" in printed
    rows = [line.split() for line in printed.splitlines() if line.startswith("?")]
    # Google's CZ circuits run as written: no gate set, no p of a preset
    assert len(rows) == 4 and all(row[3:5] == ["-", "-"] for row in rows), rows
    stats = sinter.read_stats_from_csv_files(store)
    assert sorted(s.shots for s in stats) == [2000] * 4
    for stat in stats:  # the store alone rebuilds every circuit
        circuit = qecsim.circuit_from_metadata(stat.json_metadata)
        assert circuit.num_detectors == stim_detectors(stat.json_metadata["d"])


def stim_detectors(distance: int) -> int:
    import stim

    return stim.Circuit.from_file(google_file(distance, 3)).num_detectors


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--noise", "sd6"], "--noise does not apply with --circuit"),
        (["--p", "1e-3"], "--p does not apply with --circuit"),
        (["--rounds", "3,5,7"], "give one value, or one per --circuit"),
    ],
)
def test_cli_sweep_circuit_errors(tmp_path, capsys, extra, message):
    code = main(["sweep", "--circuit", google_file(3, 3), *extra, "--dry-run",
                 "--store", str(tmp_path / "s.csv")])
    assert code == 2
    assert message in capsys.readouterr().err


def test_cli_sweep_still_needs_distances_without_circuits(tmp_path, capsys):
    assert main(["sweep", "--p", "1e-3", "--dry-run", "--store", str(tmp_path / "s.csv")]) == 2
    assert "--distances is required (or give --circuit)" in capsys.readouterr().err


def test_sweep_table_names_noise_file_models_and_shows_p_only_for_presets(tmp_path, capsys):
    chip = qecsim.NoiseModel(two_qubit_gate=3e-3, single_qubit_gate=5e-4, idle=1e-3,
                             measurement=8e-3, reset=2e-3, measurement_idle=1e-3)  # fmt: skip
    named = tmp_path / "chip_b.json"
    named.write_text(chip.to_json().replace('"name": "custom"', '"name": "chip_b"'))
    unnamed = tmp_path / "chip.json"
    unnamed.write_text(chip.scaled(idle=1.2).to_json())
    store = tmp_path / "results.csv"
    common = ["--code", "repetition_code", "--distances", "3", "--max-shots", "200",
              "--store", str(store), "--workers", "1", "--no-progress"]  # fmt: skip
    rows = {}
    for path in (named, unnamed):
        assert main(["sweep", "--noise-file", str(path), *common]) == 0
        out = capsys.readouterr().out
        (rows[path.stem],) = [line for line in out.splitlines() if line.startswith("repetition")]
    assert "chip_b, scale=1 " in rows["chip_b"]
    assert "two_qubit_gate=0.003, single_qubit_gate=0.0005, " in rows["chip"]
    for row in rows.values():
        assert "custom" not in row and "nan" not in row
        assert row.split()[-9:-7] == ["-", "3"]  # p, d
    assert main(["sweep", "--code", "repetition_code", "--noise", "sd6", "--p", "0.01",
                 *common[2:]]) == 0  # fmt: skip
    (row,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("rep")]
    assert row.split()[1:5] == ["sd6", "cx", "0.01", "3"]


def main_without_escape(argv):
    """main(argv); a Ctrl-C that escapes it fails the test instead of stopping pytest."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped qecsim's main()")


def ctrl_c(*args, **kwargs):
    raise KeyboardInterrupt  # what Python raises where a Ctrl-C arrives


@pytest.mark.parametrize(("where", "message"), [
    ("qecsim.cli.sweep._build_tasks", "interrupted before any batch was recorded: the store "
     "is unchanged; rerun the same command to start"),
    ("qecsim.decoding.registry.check_names", "interrupted before any batch was recorded: "
     "the store is unchanged; rerun the same command to start"),
    ("qecsim.analysis.logical_error_per_round", "interrupted after sampling: the store "
     "'{store}' keeps every point; rerun the same command to print the table"),
])
def test_ctrl_c_at_any_moment_of_a_sweep_prints_one_line(tmp_path, capsys, monkeypatch,
                                                        where, message):
    module, name = where.rsplit(".", 1)
    monkeypatch.setattr(f"{module}.{name}", ctrl_c)
    store = tmp_path / "results.csv"
    assert main_without_escape(sweep_args(store)) == 130
    assert capsys.readouterr().err == f"qecsim sweep: {message.format(store=store)}\n"


def test_a_resumed_sweep_says_what_the_store_holds(tmp_path, capsys):
    import re

    store = tmp_path / "results.csv"
    args = sweep_args(store)
    args[args.index("--max-shots") + 1] = "1e3"
    assert main(args) == 0
    assert "resuming" not in capsys.readouterr().err  # a new store
    args[args.index("--max-shots") + 1] = "2e3"
    assert main(args) == 0
    err = capsys.readouterr().err
    assert re.fullmatch(
        rf"qecsim sweep: resuming from the store '{re.escape(str(store))}': 6,000 shots of "
        r"at most 12,000 already there \(0 of 6 points finished\)\n", err), err
    assert main(args) == 0  # every point finished: nothing to resume, nothing said
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_ctrl_c_of_a_dask_sweep_prints_one_line_and_no_dask_warnings(tmp_path):
    pytest.importorskip("dask.distributed")
    store = tmp_path / "results.csv"
    args = ["sweep", "--noise", "si1000", "--p", "2e-3", "--distances", "5,7", "--max-shots",
            "5e6", "--max-errors", "none", "--store", str(store), "--workers", "2",
            "--backend", "dask", "--no-progress"]
    process = subprocess.Popen([sys.executable, "-m", "qecsim", *args], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        _interrupt_when_rows(process, store, rows=3)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode in (130, -2), err[-2000:]
    assert len(err.strip().splitlines()) == 1, err  # no distributed.worker ... WARNING
    (line,) = err.strip().splitlines()
    assert line.startswith("qecsim sweep: interrupted: "), line
