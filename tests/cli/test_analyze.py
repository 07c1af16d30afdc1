"""``qecsim analyze`` on stores written by hand, by qecsim and by plain sinter."""

from __future__ import annotations

import numpy as np
import pytest
import sinter

import qecsim
from qecsim.cli import main


def write_store(path, rows) -> str:
    path.write_text(sinter.CSV_HEADER + "\n" + "".join(r.to_csv_line() + "\n" for r in rows))
    return str(path)


def surface_stats(d, errors, shots=10**5, **extra) -> sinter.TaskStats:
    metadata = {"code": "rotated_surface_code", "basis": "Z", "d": d, "rounds": d,
                "noise": "sd6", "p": 0.001, **extra}  # fmt: skip
    return sinter.TaskStats(
        strong_id=f"{sorted(metadata.items())}", decoder="pymatching", shots=shots,
        errors=errors, json_metadata=metadata,
    )  # fmt: skip


def test_analyze_leaves_even_distances_out_of_lambda_and_says_why(tmp_path, capsys):
    store = write_store(
        tmp_path / "even.csv",
        [surface_stats(3, 3000), surface_stats(4, 2900), surface_stats(5, 800)],
    )
    assert main(["analyze", store]) == 0
    out = capsys.readouterr().out
    assert "(d = 3, 5)" in out
    assert "note: even distance(s) d = 4 left out: Lambda = eps_d / eps_(d+2) compares odd" in out


def custom_store(path, decoder="pymatching") -> str:
    """Two calibrated chips (as `qecsim sweep --noise-file` records them), two scales each."""
    chip_a = qecsim.NoiseModel(two_qubit_gate=0.003, measurement=0.008, idle=0.001)
    chip_b = chip_a.scaled(measurement=0.5)
    rng = np.random.default_rng(11)
    rows = []
    for task in qecsim.sweep_tasks(distances=[3, 5], noise=[chip_a, chip_b], scales=[1, 2]):
        d, scale = task.json_metadata["d"], task.json_metadata["scale"]
        rate = 0.05 * scale ** ((d + 1) / 2) / 3 ** ((d - 3) / 2)
        key = f"{d}-{scale}-{task.json_metadata['noise_label']}"
        rows.append(sinter.TaskStats(strong_id=key, decoder=decoder, shots=10**5,
                                     errors=int(rng.binomial(10**5, rate)),
                                     json_metadata=task.json_metadata))  # fmt: skip
    return write_store(path, rows)


def test_analyze_labels_custom_models_and_shows_the_whole_decoder_name(tmp_path, capsys):
    decoder = "a_decoder_with_a_rather_long_registered_name"
    store = custom_store(tmp_path / "custom.csv", decoder)
    assert main(["analyze", store]) == 0
    out = capsys.readouterr().out
    assert "coupler_rates" not in out  # never a model's JSON
    rows = [line for line in out.splitlines() if "e-0" in line and "[" in line]
    assert len(rows) == 8 and all(decoder in row for row in rows)
    # p is not shown for a chip (it is no preset's parameter); its label and scale are
    assert "two_qubit_gate=0.003, idle=0.001, measurement=0.008, gate_set=cx, scale=2" in out
    assert "two_qubit_gate=0.003, idle=0.001, measurement=0.004, gate_set=cx, scale=1" in out
    assert " p=" not in out
    lambda_lines = [line for line in out.splitlines() if ": Lambda = " in line]
    assert len(lambda_lines) == 4 and all(f"decoder={decoder}" in line for line in lambda_lines)


def test_analyze_reads_a_plain_sinter_store(sinter_store, capsys):
    assert main(["analyze", str(sinter_store)]) == 0
    out = capsys.readouterr().out
    points = [line for line in out.splitlines() if line.startswith("  ") and "e-0" in line]
    assert len(points[:7]) == 7 and sum("- (rounds unknown)" in line for line in points) == 5
    # per round where rounds are known (sinter's key "r"), one Lambda fit ...
    assert sum(": Lambda = " in line for line in out.splitlines()) == 1
    # ... and each group that lacks what a fit needs says so, once, with the reason
    lacking = [line for line in out.splitlines() if "no per-round rate" in line]
    assert len(lacking) == 3  # two values of p for {d, p}; the task without metadata
    assert sum("lacks an integer 'rounds' (it has ['d', 'p'])" in line for line in lacking) == 2
    assert "Thresholds" in out and "threshold p = " in out  # {d, p}: per-shot crossing
    # groups of nothing but varying keys say which keys their tasks have, in words
    assert "(d, p)" not in out and "(d, r)" not in out and "(no metadata)" not in out
    assert "  tasks with d and p, decoder=pymatching: threshold p = " in out
    assert "tasks with d and r" in out and "tasks without metadata" in out
    assert "n/a for 2 group(s) without p: thresholds need a swept p" in out


def test_every_option_of_analyze_and_plot_says_what_it_takes_and_its_default():
    from qecsim.cli import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    for name in ("analyze", "plot"):
        for action in commands[name]._actions:
            if action.dest == "help":
                continue
            assert action.help, (name, action.dest)
            if action.option_strings:  # an option: its default is stated
                assert "default" in action.help, (name, action.dest, action.help)
                takes = action.metavar or action.choices or action.nargs == 0
                assert takes, (name, action.dest)
            else:  # a positional argument: what it takes
                assert "required" in action.help and action.metavar, (name, action.dest)


def rounds_series_store(path, *, amplitude=0.9, eps=None, shots=10**5) -> str:
    """Expected counts of a memory experiment run for 1-25 rounds at d = 3 and 5 (a store as
    `qecsim experiment` writes it): 1 - 2 P(r) = A (1 - 2 eps_d)^r."""
    eps = eps or {3: 0.02, 5: 0.01}
    rows = []
    for d, rate in eps.items():
        for r in (1, 5, 9, 13, 17, 21, 25):
            p = (1 - amplitude * (1 - 2 * rate) ** r) / 2
            metadata = {"basis": "X", "d": d, "rounds": r}
            rows.append(sinter.TaskStats(
                strong_id=f"{d}-{r}", decoder="pymatching", shots=shots,
                errors=round(shots * p), json_metadata=metadata,
            ))  # fmt: skip
    return write_store(path, rows)


def test_analyze_fits_a_rounds_series_per_distance_and_says_so(tmp_path, capsys):
    store = rounds_series_store(tmp_path / "series.csv")
    assert main(["analyze", store]) == 0
    out = capsys.readouterr().out
    assert "rounds series, fitted per distance with 1 - 2 P(r) = A (1 - 2 eps)^r" in out
    assert ": Lambda = " not in out  # no line through per-round rates that carry SPAM
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("eps per")]
    assert len(lines) == 2
    assert lines[0].startswith("eps per round = 0.02 [") and "A = 0.9 [" in lines[0]
    assert lines[1].startswith("eps per round = 0.01 [") and "Lambda_3/5 = 2 [" in lines[1]
    assert "A > 1" not in out


def test_analyze_leaves_the_first_rounds_out_of_a_series_when_asked(tmp_path, capsys):
    store = rounds_series_store(tmp_path / "series.csv", amplitude=1.02)
    assert main(["analyze", store]) == 0
    assert "note: A > 1 is no fidelity" in capsys.readouterr().out
    assert main(["analyze", store, "--exclude-rounds", "1,5"]) == 0
    out = capsys.readouterr().out
    assert "(d = 3, rounds 9-25)" in out and "(d = 5, rounds 9-25)" in out
    assert main(["analyze", store, "--exclude-rounds", "first"]) == 2
    assert "--exclude-rounds='first' is not a comma-separated list" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Labels that tell groups apart (issue 11 item 2)

#: Six components; the other two chips differ in idle (third) or measurement (sixth) only.
CHIP = qecsim.NoiseModel(two_qubit_gate=3e-3, single_qubit_gate=5e-4, idle=1e-3,
                         measurement=8e-3, reset=2e-3, measurement_idle=1e-3)  # fmt: skip
CHIPS = [CHIP, CHIP.scaled(idle=1.2), CHIP.scaled(measurement=1.125)]


def synthetic_store(path, tasks, seed=3) -> str:
    """Binomial counts with Lambda = 3 for the tasks' metadata (nothing sampled)."""
    rng = np.random.default_rng(seed)
    rows = []
    for task in tasks:
        d = task.json_metadata["d"]
        rate = 0.05 / 3 ** ((d - 3) / 2)
        rows.append(sinter.TaskStats(
            strong_id=f"{sorted(task.json_metadata.items())}", decoder="pymatching",
            shots=20_000, errors=int(rng.binomial(20_000, rate)),
            json_metadata=task.json_metadata))  # fmt: skip
    return write_store(path, rows)


def point_labels(out: str) -> list[str]:
    """The group column of the points table."""
    rows = [line for line in out.splitlines() if " pymatching " in line and "e-0" in line]
    return [row[2:row.index(" pymatching ")].strip() for row in rows]


def test_analyze_tells_apart_models_that_differ_in_a_late_component(tmp_path, capsys):
    store = synthetic_store(tmp_path / "chips.csv",
                            qecsim.sweep_tasks(distances=[3, 5], noise=CHIPS))  # fmt: skip
    assert main(["analyze", store]) == 0
    out = capsys.readouterr().out
    labels = point_labels(out)
    assert len(labels) == 6 and len(set(labels)) == 3, labels
    assert all(len(label) <= 60 and not label.endswith("0.00") for label in labels)
    assert any("idle=0.0012" in label for label in labels)
    assert any("measurement=0.009" in label for label in labels)
    fits = [line.split(": Lambda = ")[0] for line in out.splitlines() if ": Lambda = " in line]
    assert len(fits) == 3 and len(set(fits)) == 3, fits
    assert all(fit.endswith("decoder=pymatching") for fit in fits)


def test_analyze_labels_cat_qubit_groups_and_says_once_that_thresholds_need_p(tmp_path, capsys):
    models = [qecsim.NoiseModel.cat_qubit(n, kappa_2=1e7, kappa_ratio=1e-3) for n in (2, 4, 8)]
    tasks = qecsim.sweep_tasks(noise=models, code="cat_repetition_code", distances=[3, 5],
                               basis="X")  # fmt: skip
    store = synthetic_store(tmp_path / "cat.csv", tasks)
    assert main(["analyze", store]) == 0
    out = capsys.readouterr().out
    labels = point_labels(out)
    assert len(labels) == 6
    for n in (2, 4, 8):  # whole, first
        assert sum(label.startswith(f"cat qubit n={n}, kappa_1/kappa_2=0.001")
                   for label in labels) == 2  # fmt: skip
    assert "photons=" not in out.split("Lambda fits")[0]
    assert "lacks key" not in out
    # the footprint extrapolates phase flips only: the bit-flip floor is said, once per group
    lambdas = out.split("Lambda fits")[1].split("Thresholds")[0]
    assert lambdas.count("      per-round error <= 1e-12") == 3
    assert lambdas.count("its bit flips (the Z memory, distance 1) set a floor") == 3
    thresholds = out.split("Thresholds (crossing of the per-shot logical error curves)\n")[1]
    assert thresholds.strip().splitlines() == [
        "n/a for 3 group(s) without p: thresholds need a swept p (>= 2 values at >= 2 "
        "distances; a custom model: --scales); cat-qubit sweeps record photons and kappas, "
        "not p"
    ]


def test_ctrl_c_in_any_command_prints_one_line(tmp_path, monkeypatch, capsys):
    """Commands without a store of their own: 'interrupted', no traceback (main's fallback)."""
    def interrupted(args):
        raise KeyboardInterrupt  # what Python raises where a Ctrl-C arrives

    monkeypatch.setattr("qecsim.cli.analyze.run", interrupted)
    try:
        code = main(["analyze", str(tmp_path / "results.csv")])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped qecsim's main()")
    assert code == 130
    assert capsys.readouterr().err == "qecsim analyze: interrupted\n"


def test_ctrl_c_before_any_command_starts_prints_one_line(tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # e.g. while the subcommands' modules are imported

    monkeypatch.setattr("qecsim.cli.build_parser", interrupted)
    try:
        code = main(["sweep", "--distances", "3"])
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped qecsim's main()")
    assert code == 130
    assert capsys.readouterr().err == "qecsim sweep: interrupted before it started: nothing done\n"
