"""``qecsim budget`` and ``qecsim demo`` end to end: outputs, help texts, Ctrl-C and resuming."""

import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest

import qecsim
from qecsim.cli import build_parser, main
from qecsim.experiment import google_data_path

ROOT = pathlib.Path(__file__).resolve().parents[2]
RESUMABLE = ["budget", "--noise", "si1000", "--p", "2e-3", "--distances", "3,5",
             "--max-errors", "600", "--seed", "3", "--no-progress"]


def test_cli_budget_writes_its_outputs(tmp_path, capsys):
    out = tmp_path / "budget"
    code = main(["budget", "--noise", "si1000", "--p", "2e-3", "--distances", "3,5",
                 "--max-errors", "100", "--seed", "1", "--workers", "1", "--no-progress",
                 "--out", str(out)])
    assert code == 0
    assert {p.name for p in out.iterdir()} == {"budget.json", "budget.csv", "budget.png",
                                                "batches.jsonl"}
    printed = capsys.readouterr().out
    assert "two_qubit_gate" in printed and "what if" in printed
    assert main(["budget", "--noise", "sd7", "--out", str(out)]) == 2


def test_cli_budget_of_the_xzzx_code_projects_its_footprint(tmp_path, capsys):
    code = main(["budget", "--code", "xzzx_surface_code", "--noise", "sd6", "--p", "3e-3",
                 "--distances", "3,5", "--max-errors", "100", "--seed", "1", "--workers", "1",
                 "--no-progress", "--no-store", "--out", str(tmp_path)])
    assert code == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    teraquop = re.findall(r"teraquop d -> (\d+) \((\d+) qubits\)", captured.out)
    assert teraquop and all(int(n) == 2 * int(d) ** 2 - 1 for d, n in teraquop)


def test_even_distances_warn_in_one_line(tmp_path, capsys):
    code = main(["budget", "--p", "2e-3", "--distances", "3,4", "--max-errors", "30",
                 "--seed", "1", "--workers", "1", "--no-progress", "--no-store",
                 "--out", str(tmp_path)])
    assert code == 0
    err = capsys.readouterr().err
    assert err.startswith("qecsim budget: warning: no 1/Lambda for distances [3, 4]")
    assert "Traceback" not in err and "UserWarning" not in err
    assert not (tmp_path / "batches.jsonl").exists()


def store_lines(path: pathlib.Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ctrl_c", "kill"])
def test_an_interrupted_budget_continues_to_the_uninterrupted_result(tmp_path, capsys, how):
    reference = tmp_path / "reference"
    assert main([*RESUMABLE, "--workers", "1", "--out", str(reference)]) == 0
    capsys.readouterr()
    total = store_lines(reference / "batches.jsonl")
    out = tmp_path / "interrupted"
    workers = "2" if how == "ctrl_c" else "1"  # Ctrl-C with worker processes running
    process = subprocess.Popen(
        [sys.executable, "-m", "qecsim", *RESUMABLE, "--workers", workers, "--out", str(out)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 300
    while store_lines(out / "batches.jsonl") < total // 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    if how == "ctrl_c":
        os.killpg(process.pid, signal.SIGINT)  # what a terminal sends to the foreground group
    else:
        os.kill(process.pid, signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    kept = store_lines(out / "batches.jsonl")
    assert 1 < kept < total, "the run was not interrupted half-way"
    if how == "ctrl_c":
        assert process.returncode in (130, -signal.SIGINT)
        (line,) = err.strip().splitlines()
        found = re.fullmatch(
            r"qecsim budget: interrupted: ([\d,]+) shots of at most 20,000,000 kept in "
            r".*batches\.jsonl \((\d+) finished batches\); rerun the same command to "
            r"continue", line)
        assert found, line
        records = [json.loads(line) for line in
                   (out / "batches.jsonl").read_text().splitlines()[1:]]
        assert int(found.group(2)) == len(records)
        assert int(found.group(1).replace(",", "")) == sum(r["shots"] for r in records)
    else:
        assert process.returncode == -signal.SIGKILL
    assert main([*RESUMABLE, "--workers", "1", "--out", str(out)]) == 0
    assert (out / "budget.json").read_text() == (reference / "budget.json").read_text()
    # the rerun sampled only what was missing: no batch is in the store twice
    records = []
    for line in (out / "batches.jsonl").read_text().splitlines()[1:]:
        try:
            records.append(json.loads(line))
        except ValueError:
            assert how == "kill"  # a line cut short by the kill
    keys = [(r["config"], r["shots"], r["seed"]) for r in records]
    assert len(keys) == len(set(keys)) >= total - 1


def _subcommands():
    (subparsers,) = [a for a in build_parser()._actions if a.dest == "command"]
    return subparsers.choices


@pytest.mark.parametrize("command", list(_subcommands()))
def test_every_option_of_every_command_says_what_it_takes_and_its_default(command):
    for action in _subcommands()[command]._actions:
        if action.dest == "help":
            continue
        # options state their default; arguments (and required options) say they are required
        assert action.help and ("default" in action.help or "required" in action.help), (
            command, action.option_strings or action.dest)


@pytest.mark.parametrize("command", ["budget", "demo"])
def test_budget_help_lists_presets_codes_and_methods(command):
    sub = _subcommands()[command]
    help_text = sub.format_help()
    for names in (qecsim.PRESETS, qecsim.CODES, qecsim.BUDGET_METHODS):
        for name in names:
            assert name in help_text, name


def test_the_demo_states_measured_run_times():
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.dest == "command"]
    description = subparsers.choices["demo"].description
    assert "10-30" not in description
    assert "CPU-seconds" in description and "measured" in description


def google_file(distance: int, rounds: int) -> str:
    return str(google_data_path(distance, rounds) / "circuit_noisy.stim")


def test_cli_budget_of_googles_d3_and_d5_circuits(tmp_path, capsys):
    out = tmp_path / "google"
    code = main(["budget", "--circuit", google_file(3, 5), "--circuit", google_file(5, 5),
                 "--basis", "X", "--by", "qubit", "--max-errors", "150", "--seed", "1",
                 "--workers", "1", "--no-progress", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "error budget: stim circuits, X basis, 5 rounds, decoder pymatching" in printed
    assert "1/Lambda" in printed and "was untagged: qecsim.tag_noise tagged" in printed
    data = json.loads((out / "budget.json").read_text())
    assert data["distances"] == [3, 5] and data["rounds"] == {"3": 5, "5": 5}
    assert data["noise"] is None and data["basis"] == "X" and set(data["circuits"]) == {"3", "5"}
    assert (out / "heatmap.png").exists()
    # rerunning continues from the store: the same budget
    assert main(["budget", "--circuit", google_file(3, 5), "--circuit", google_file(5, 5),
                 "--basis", "X", "--by", "qubit", "--max-errors", "150", "--seed", "1",
                 "--workers", "1", "--no-progress", "--out", str(out)]) == 0
    assert json.loads((out / "budget.json").read_text())["components"] == data["components"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--noise", "sd6"], "--noise does not apply with --circuit"),
        (["--distances", "3,5"], "--distances does not apply with --circuit"),
        (["--circuit", "CIRCUIT3"], "both have graphlike distance 3"),
    ],
)
def test_cli_budget_circuit_errors_are_one_line(tmp_path, capsys, extra, message):
    extra = [google_file(3, 5) if e == "CIRCUIT3" else e for e in extra]
    code = main(["budget", "--circuit", google_file(3, 3), *extra, "--no-progress",
                 "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def ctrl_c(*args, **kwargs):
    raise KeyboardInterrupt  # what Python raises where a Ctrl-C arrives


@pytest.mark.parametrize(("where", "message"), [
    ("qecsim.cli.budget.noise_from_args", "interrupted before sampling: nothing new is "
     "stored; rerun the same command to start"),
    ("qecsim.budget.api._model_plan", "interrupted before sampling: nothing new is stored; "
     "rerun the same command to start"),
    ("qecsim.cli.budget.write_outputs", "interrupted after sampling: {store} keeps every "
     "batch; rerun the same command to write the outputs (it samples nothing again)"),
])
def test_ctrl_c_at_any_moment_of_a_budget_prints_one_line(tmp_path, capsys, monkeypatch,
                                                         where, message):
    monkeypatch.setattr(where, ctrl_c)
    try:
        code = main([*RESUMABLE, "--max-errors", "30", "--distances", "3", "--workers", "1",
                     "--out", str(tmp_path)])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped qecsim's main()")
    assert code == 130
    expected = message.format(store=tmp_path / "batches.jsonl")
    assert capsys.readouterr().err == f"qecsim budget: {expected}\n"


def test_a_resumed_budget_says_so_in_one_line(tmp_path, capsys):
    args = [*RESUMABLE, "--max-errors", "40", "--distances", "3", "--workers", "1",
            "--out", str(tmp_path)]
    assert main(args) == 0
    assert "resuming" not in capsys.readouterr().err
    records = [json.loads(line) for line in
               (tmp_path / "batches.jsonl").read_text().splitlines()[1:]]
    assert main(args) == 0
    shots = sum(r["shots"] for r in records)
    assert capsys.readouterr().err == (
        f"qecsim budget: resuming from {tmp_path / 'batches.jsonl'}: {len(records)} batches "
        f"({shots:,} shots of at most 10,000,000) already done\n")


def test_a_ctrl_c_while_matplotlib_imports_is_a_ctrl_c(tmp_path, capsys, monkeypatch):
    """Compiled extensions (matplotlib's, pymatching) report a Ctrl-C during their import as
    ImportError('initialization failed') caused by the KeyboardInterrupt."""
    def disguised(*args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as error:
            raise ImportError("initialization failed") from error

    monkeypatch.setattr("qecsim.cli.budget.write_outputs", disguised)
    code = main([*RESUMABLE, "--max-errors", "30", "--distances", "3", "--workers", "1",
                 "--out", str(tmp_path)])
    assert code == 130
    assert capsys.readouterr().err == (
        f"qecsim budget: interrupted after sampling: {tmp_path / 'batches.jsonl'} keeps every "
        "batch; rerun the same command to write the outputs (it samples nothing again)\n")
