"""Tests for benchmark_decoders (issue 4): shared syndromes, accuracy checks, table, plot, CLI."""

from __future__ import annotations

import dataclasses

import matplotlib
import pytest
import scipy.stats
import stim

import qecsim
from qecsim.cli import main

matplotlib.use("Agg")


def _si1000(distance: int, p: float, **kwargs) -> stim.Circuit:
    return qecsim.memory_circuit(distance=distance, noise=qecsim.NoiseModel.si1000(p), **kwargs)


@pytest.mark.slow
def test_every_available_decoder_is_as_accurate_as_pymatching_at_d3():
    # Sanity check, not a ranking: each decoder's logical error rate is within pymatching's
    # interval or below. (This caught stimbposd's default BP+LSD order 0, which fails it.)
    names = qecsim.decoders.available()
    result = qecsim.benchmark_decoders(
        _si1000(3, 1e-3), decoders=names, num_shots=20_000, seed=2024
    )
    reference = result.row("d=3, r=3", "pymatching")
    assert reference.num_errors >= 30, "too few errors for the check to mean anything"
    for name in names:
        row = result.row("d=3, r=3", name)
        assert row.logical_error_rate <= reference.logical_error_rate_high, (
            name, row.num_errors, reference.num_errors
        )


def test_same_decoder_twice_disagrees_on_zero_shots_and_counts_are_consistent():
    circuits = [_si1000(3, 5e-3), _si1000(5, 5e-3)]
    result = qecsim.benchmark_decoders(
        circuits,
        decoders=["pymatching", "pymatching-correlated", "pymatching"],
        num_shots=5000,
        seed=7,
    )
    assert result.decoders == ("pymatching", "pymatching-correlated", "pymatching #2")
    assert result.circuits == ("d=3, r=3", "d=5, r=5")
    # The repeat is compiled and run separately on the same arrays: identical predictions.
    assert result.disagreements("pymatching", "pymatching #2") == {
        "d=3, r=3": 0,
        "d=5, r=5": 0,
    }
    for circuit in result.circuits:
        first = result.row(circuit, "pymatching")
        again = result.row(circuit, "pymatching #2")
        assert first.num_errors == again.num_errors
    # Different decoders do disagree at this noise level, and with one observable a
    # disagreement is a shot where exactly one of the two fails: D >= |e_a - e_b|, same parity.
    counts = result.disagreements("pymatching", "pymatching-correlated")
    assert counts == result.disagreements("pymatching-correlated", "pymatching")
    assert sum(counts.values()) > 0
    for circuit, disagreements in counts.items():
        a = result.row(circuit, "pymatching").num_errors
        b = result.row(circuit, "pymatching-correlated").num_errors
        assert disagreements >= abs(a - b)
        assert (disagreements - (a - b)) % 2 == 0


def test_correlated_matching_beats_matching_on_si1000_d5():
    # Correlated matching uses the Y-type (X and Z) correlations of the decomposed DEM.
    # Paired test on the shared shots: among shots where exactly one decoder fails, pymatching
    # should be the one that fails more often (one-sided exact binomial test, p < 1e-3).
    result = qecsim.benchmark_decoders(
        _si1000(5, 2e-3),
        decoders=["pymatching", "pymatching-correlated"],
        num_shots=100_000,
        seed=12345,
    )
    plain = result.row("d=5, r=5", "pymatching")
    correlated = result.row("d=5, r=5", "pymatching-correlated")
    discordant = result.disagreements("pymatching", "pymatching-correlated")["d=5, r=5"]
    only_plain_fails = (discordant + plain.num_errors - correlated.num_errors) // 2
    test = scipy.stats.binomtest(only_plain_fails, discordant, 0.5, alternative="greater")
    assert correlated.num_errors < plain.num_errors
    assert test.pvalue < 1e-3, (plain.num_errors, correlated.num_errors, discordant)


def test_seed_reproduces_and_rounds_are_inferred_or_given():
    circuit = _si1000(3, 5e-3, rounds=4)
    first = qecsim.benchmark_decoders(circuit, decoders="pymatching", num_shots=3000, seed=5)
    second = qecsim.benchmark_decoders(circuit, decoders="pymatching", num_shots=3000, seed=5)
    assert first.seed == 5
    assert first.rows[0].num_errors == second.rows[0].num_errors
    assert first.circuits == ("d=3, r=4",)
    assert first.rows[0].rounds == 4
    row = first.rows[0]
    assert row.seconds_per_round == pytest.approx(row.seconds_per_shot / 4)
    assert row.logical_error_rate_low <= row.logical_error_rate <= row.logical_error_rate_high
    assert row.logical_error_per_round < row.logical_error_rate
    unseeded = qecsim.benchmark_decoders(circuit, decoders="pymatching", num_shots=10)
    assert isinstance(unseeded.seed, int)
    given = qecsim.benchmark_decoders(
        {"mine": circuit}, decoders="pymatching", num_shots=10, rounds=[2], seed=1
    )
    assert given.circuits == ("mine",)
    assert given.rows[0].rounds == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"num_shots": 0}, "num_shots=0"),
        ({"num_shots": 10, "batch_size": 0}, "batch_size=0"),
        ({"num_shots": 10, "decoders": "nope"}, "decoder='nope'"),
        ({"num_shots": 10, "rounds": [3, 3]}, "one entry per circuit"),
        ({"num_shots": 10, "rounds": 0}, "rounds=0"),
        ({"num_shots": 10, "max_likelihood_factor": 0.5}, "max_likelihood_factor"),
        ({"num_shots": 10, "max_likelihood_factor": "a"}, r"max_likelihood_factor='a' is not"),
        ({"num_shots": 10, "rounds": ["x"]}, r"rounds=\['x'\] has an entry 'x' that is not"),
        ({"num_shots": 10, "rounds": "3"}, r"rounds='3' is not an integer, a list"),
        ({"num_shots": 10, "circuits": []}, "empty"),
        ({"num_shots": 10, "circuits": ["not a circuit"]}, "is not a stim.Circuit"),
        ({"num_shots": 10, "circuits": stim.Circuit("M 0\nDETECTOR rec[-1]")}, "observables"),
    ],
)
def test_bad_arguments_raise_before_sampling(kwargs, message):
    arguments = {"circuits": _si1000(3, 1e-3), "decoders": "pymatching", "seed": 1, **kwargs}
    circuits = arguments.pop("circuits")
    with pytest.raises(qecsim.QecsimError, match=message):
        qecsim.benchmark_decoders(circuits, **arguments)


def test_rows_and_benchmark_check_invariants():
    result = qecsim.benchmark_decoders(
        _si1000(3, 5e-3), decoders="pymatching", num_shots=500, seed=3
    )
    row = result.rows[0]
    with pytest.raises(qecsim.QecsimError, match="num_errors"):
        dataclasses.replace(row, num_errors=row.num_shots + 1)
    with pytest.raises(qecsim.QecsimError, match="seconds_per_shot"):
        dataclasses.replace(row, seconds_per_shot=-1.0)
    with pytest.raises(qecsim.QecsimError, match="repeated"):
        dataclasses.replace(result, rows=(row, row))
    with pytest.raises(qecsim.QecsimError, match="is not in"):
        result.row("d=3, r=3", "tesseract")
    with pytest.raises(qecsim.QecsimError, match="decoder='x'"):
        result.disagreements("pymatching", "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.num_errors = 0


def test_table_and_plot_show_every_row():
    result = qecsim.benchmark_decoders(
        [_si1000(3, 5e-3), _si1000(3, 1e-4)],
        decoders=["pymatching", "pymatching-correlated"],
        num_shots=2000,
        seed=9,
    )
    table = result.table()
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["circuit", "decoder"]
    assert len(lines) == 1 + len(result.rows)
    assert all(name in table for name in result.decoders)
    assert str(result) == table
    # Labels of two circuits with the same distance and rounds are made unique.
    assert result.circuits == ("d=3, r=3 #0", "d=3, r=3 #1")
    ax = result.plot()
    assert ax.get_xlabel() == "decoding time per round (s)"
    assert len(ax.containers) >= 2  # one errorbar container per decoder
    zero_rows = [row for row in result.rows if row.num_errors == 0]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert all(f"{row.decoder} (0 errors)" in legend for row in zero_rows)
    import matplotlib.pyplot as plt

    _, given = plt.subplots()
    assert result.plot(given, per_round=False) is given
    assert given.get_ylabel() == "logical error rate per shot"
    plt.close("all")


def test_cli_bench_decoders(capsys, tmp_path):
    plot_path = tmp_path / "plot.png"
    code = main([
        "bench-decoders", "--noise", "si1000", "--p", "2e-3", "--distances", "3",
        "--decoders", "pymatching,pymatching-correlated", "--shots", "2000", "--seed", "4",
        "--plot", str(plot_path),
    ])
    output = capsys.readouterr().out
    assert code == 0
    assert "seed 4" in output
    assert "pymatching-correlated" in output
    assert "pymatching vs pymatching-correlated: d=3, r=3:" in output
    assert plot_path.stat().st_size > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--decoders", "pymatchng"], "decoder='pymatchng'"),
        (["--distances", "3,x"], "distances='3,x'"),
        (["--shots", "0"], "shots=0"),
        (["--noise", "nonsense"], "nonsense"),
    ],
)
def test_cli_bad_arguments_exit_2_with_message(capsys, argv, message):
    assert main(["bench-decoders", *argv]) == 2
    assert message in capsys.readouterr().err


def test_cli_list_shows_every_known_decoder(capsys):
    assert main(["bench-decoders", "--list"]) == 0
    output = capsys.readouterr().out
    for name in qecsim.decoders.KNOWN_DECODERS:
        assert name in output


def test_cli_accepts_aliases_and_prints_canonical_names(capsys):
    argv = ["bench-decoders", "--distances", "3", "--shots", "200", "--seed", "1",
            "--decoders", "PyMatching,pymatching_correlated"]
    assert main(argv) == 0
    output = capsys.readouterr().out
    assert "pymatching-correlated" in output and "pymatching_correlated" not in output
    assert "PyMatching" not in output
    assert main(["bench-decoders", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "belief-matching" in listing and "(also: beliefmatching)" in listing


def test_cli_help_lists_canonical_names_and_aliases(capsys):
    with pytest.raises(SystemExit):
        main(["bench-decoders", "--help"])
    text = "".join(capsys.readouterr().out.split())  # argparse wraps lines, even at hyphens
    for name in qecsim.decoders.KNOWN_DECODERS:
        assert name in text
    assert "belief-matching(orbeliefmatching)" in text


def _subcommand_parser(name):
    import argparse

    from qecsim.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return subparsers.choices[name]


def test_cli_every_option_says_what_it_takes_and_its_default():
    # issue 11 item 9: no empty or partial help texts
    for action in _subcommand_parser("bench-decoders")._actions:
        if action.dest == "help":
            continue
        assert action.help, action.option_strings
        assert "default" in action.help, (action.option_strings, action.help)
        if action.nargs != 0:  # an option that takes a value names it
            assert action.metavar or action.choices, action.option_strings


def test_rows_and_disagreements_accept_the_aliases_the_benchmark_accepted():
    result = qecsim.benchmark_decoders(
        _si1000(3, 5e-3), decoders=["PyMatching", "pymatching"], num_shots=200, seed=3
    )
    assert result.decoders == ("pymatching", "pymatching #2")
    assert result.row("d=3, r=3", "PyMatching") is result.row("d=3, r=3", "pymatching")
    assert result.row("d=3, r=3", "PyMatching #2").decoder == "pymatching #2"
    assert result.disagreements("PyMatching", "pymatching #2") == {"d=3, r=3": 0}
    with pytest.raises(qecsim.QecsimError, match="decoder='tesseract' is not in"):
        result.disagreements("pymatching", "tesseract")


def test_a_circuit_instead_of_its_label_is_named_not_printed():
    circuit = _si1000(3, 5e-3)
    result = qecsim.benchmark_decoders(circuit, decoders="pymatching", num_shots=100, seed=3)
    with pytest.raises(qecsim.QecsimError) as error:
        result.row(circuit, "pymatching")
    message = str(error.value)
    assert "stim.Circuit(" in message and "QUBIT_COORDS" not in message
    assert "circuits=['d=3, r=3']" in message


def test_benchmark_decoders_takes_a_hardware_circuit():
    # Google's published circuit: sweep-controlled initial flips, I gates, untagged noise
    import pathlib

    folder = (pathlib.Path(qecsim.__file__).parent / "data" / "google_sycamore_2022"
              / "surface_code_bX_d3_r05_center_3_5")
    circuit = stim.Circuit.from_file(folder / "circuit_noisy.stim")
    result = qecsim.benchmark_decoders({"google d=3": circuit}, decoders="pymatching",
                                       num_shots=2000, seed=3)
    (row,) = result.rows
    assert row.rounds == 5 and row.num_detectors == circuit.num_detectors
    # Google's model circuit at d = 3 fails 10-20% of 5-round shots (about 3% per round)
    assert 0.015 < row.logical_error_per_round < 0.06
