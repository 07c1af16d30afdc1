"""``qecsim experiment``: outputs, models, bad input, and Ctrl-C as one line."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import sinter

import qecsim
from qecsim.cli import main
from qecsim.experiment import google_data_path


def _folders(*rounds, distance=3):
    return [str(google_data_path(distance, r)) for r in rounds]


def test_experiment_writes_stats_reports_and_plots(tmp_path, capsys):
    code = main(["experiment", *_folders(1, 3, 5), "--out", str(tmp_path), "--workers", "1",
                 "--no-progress"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "3 experiment(s), 30000 shots" in printed
    stats = sinter.read_stats_from_csv_files(tmp_path / "stats.csv")
    assert sorted(s.json_metadata["rounds"] for s in stats) == [1, 3, 5]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["reports"][0]["name"] == "surface_code_bX_d3_r05_center_3_5"
    assert summary["reports"][0]["mean_ratio"] > 1
    for kind in ("by_round", "layout", "pij"):
        assert (tmp_path / f"surface_code_bX_d3_r05_center_3_5_{kind}.png").stat().st_size > 0
    report = json.loads((tmp_path / "report_surface_code_bX_d3_r05_center_3_5.json").read_text())
    assert {"qubits", "detectors", "pairs", "logical"} <= set(report)
    # Google's circuits carry no component tags: tagged by tag_noise, or the fit says why not
    if hasattr(qecsim, "tag_noise"):
        assert set(summary["fit"]["3"]["scales"]) >= {"measurement", "two_qubit_gate"}
    else:
        assert "has no component tag" in printed and summary["fit"] is None


def test_experiment_with_a_noise_model_file_fits_it(tmp_path, capsys):
    """A NoiseModel applies to Google's circuits as run (their sweep-controlled initial
    flips are single-qubit gates); the fit scales it and writes the fitted model."""
    path = tmp_path / "noise.json"
    nominal = qecsim.NoiseModel.si1000(1e-3)
    path.write_text(nominal.to_json())
    code = main(["experiment", *_folders(1, 3, 5), "--model", str(path), "--out", str(tmp_path),
                 "--workers", "1", "--no-progress"])
    assert code == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    fit = summary["fit"]["3"]
    fitted = qecsim.NoiseModel.from_json((tmp_path / "fitted_d3.json").read_text())
    scale = fit["scales"]["two_qubit_gate"]["best"]
    assert scale > 2  # Sycamore's CZ errs several times more than SI1000's p = 1e-3
    assert fitted.two_qubit_gate == pytest.approx(nominal.two_qubit_gate * scale)
    # the error-per-round fit reports its amplitude and p-value
    (row,) = summary["error_per_round"]
    assert {"amplitude", "p_value", "rounds"} <= set(row)


def test_experiment_fits_the_model_circuit_it_is_given(tmp_path, capsys):
    """--model X.stim: the fit scales X, not the folder's own model."""
    folder = google_data_path(3, 5)
    own = qecsim.tag_noise(qecsim.Experiment.load(folder).model)
    tripled = qecsim.noise.tagging.scale_tagged(
        own, lambda tag: 3.0 if tag.component == "two_qubit_gate" else 1.0)
    path = tmp_path / "tripled.stim"
    path.write_text(str(tripled))
    scales = {}
    for name, extra in (("own", []), ("tripled", ["--model", str(path)])):
        out = tmp_path / name
        assert main(["experiment", str(folder), *extra, "--out", str(out), "--workers", "1",
                     "--no-progress"]) == 0
        fit = json.loads((out / "summary.json").read_text())["fit"]["3"]
        scales[name] = fit["scales"]["two_qubit_gate"]["best"]
    # the same data: the tripled model needs a third of the scale (to a few percent)
    assert scales["tripled"] == pytest.approx(scales["own"] / 3, rel=0.05)


def test_experiment_with_the_data_model(tmp_path, capsys):
    code = main(["experiment", *_folders(5), "--model", "data", "--fit", "none",
                 "--out", str(tmp_path), "--workers", "1", "--no-progress"])
    assert code == 0
    (stat,) = sinter.read_stats_from_csv_files(tmp_path / "stats.csv")
    assert stat.json_metadata["dem"] == "data"


@pytest.mark.parametrize("args, message", [
    (["--model", "nowhere.json"], "--model='nowhere.json' is not a file"),
    (["--decoder", "nope"], "nope"),
])
def test_bad_options_exit_2_with_one_line(tmp_path, capsys, args, message):
    code = main(["experiment", *_folders(1), "--out", str(tmp_path), *args])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert main(["experiment", str(tmp_path / "missing")]) == 2


def interrupted(*args, **kwargs):
    raise KeyboardInterrupt  # what Python raises where a Ctrl-C arrives


BEFORE = ("qecsim experiment: interrupted before any result was written{shots}: nothing kept "
          "(decoding results are written once every experiment is decoded); rerun the same "
          "command to start over\n")


@pytest.mark.parametrize(("where", "shots"), [
    ("qecsim.cli.experiment._model", ""),  # reading the model, before the data
    ("qecsim.decode_experiments", " (0 of 10,000 shots)"),
])
def test_ctrl_c_before_the_results_are_written_prints_one_line(monkeypatch, tmp_path, capsys,
                                                                where, shots):
    monkeypatch.setattr(where, interrupted)
    try:
        code = main(["experiment", *_folders(1), "--out", str(tmp_path), "--no-progress"])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped qecsim's main()")
    assert code == 130
    assert capsys.readouterr().err == BEFORE.format(shots=shots)
    assert not (tmp_path / "stats.csv").exists()


def test_ctrl_c_after_decoding_says_what_is_written(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("qecsim.cli.experiment._report", interrupted)
    code = main(["experiment", *_folders(1, 3), "--out", str(tmp_path), "--workers", "1",
                 "--no-progress", "--fit", "none"])
    assert code == 130
    assert capsys.readouterr().err == (
        f"qecsim experiment: interrupted after decoding: {tmp_path / 'stats.csv'} keeps the "
        "logical errors of all 20,000 shots (qecsim analyze reads it); the reports, fit and "
        "summary.json are not complete: rerun the same command to start over\n")
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(tmp_path / "stats.csv")) \
        == 20_000


@pytest.mark.slow
def test_ctrl_c_during_a_real_run_prints_one_line(tmp_path):
    """SIGINT to the whole process group while worker processes decode."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "qecsim", "experiment", str(google_data_path()),
         "--out", str(tmp_path), "--workers", "2", "--no-progress", "--fit", "none"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)
    first = process.stdout.readline()  # printed once the data is loaded, before decoding
    assert "experiment(s)" in first
    time.sleep(1.5)  # the workers are starting or decoding
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (130, -signal.SIGINT), err
    (line,) = err.strip().splitlines()
    shots = int(first.split(", ")[1].split()[0])  # "26 experiment(s), 300000 shots"
    assert line == BEFORE.format(shots=f" (0 of {shots:,} shots)").strip(), err
