"""Tests of qecsim.analysis.rates: logical error per round and its interval."""

from __future__ import annotations

import math

import pytest
import sinter

import qecsim
from qecsim import analysis


@pytest.mark.parametrize(
    ("shots", "errors", "rounds"),
    [(10_000, 300, 10), (10**6, 7, 25), (1000, 450, 3), (5000, 0, 5), (2000, 37, 1)],
)
def test_per_round_matches_formula(shots, errors, rounds, task_stats):
    (result,) = analysis.logical_error_per_round([task_stats(5, 1e-3, rounds, shots, errors)])
    shot = errors / shots

    def formula(shot_rate):  # shot error rates above 0.5 are clamped to 0.5
        return (1 - (1 - 2 * min(shot_rate, 0.5)) ** (1 / rounds)) / 2

    assert result.best == pytest.approx(formula(shot), rel=1e-12)
    fit = sinter.fit_binomial(num_shots=shots, num_hits=errors, max_likelihood_factor=1000)
    assert result.low == pytest.approx(formula(fit.low), rel=1e-12)
    assert result.high == pytest.approx(formula(fit.high), rel=1e-12)
    assert result.high <= 0.5
    assert result.low <= result.best < result.high
    assert (result.distance, result.rounds, result.p) == (5, rounds, 1e-3)
    assert (result.num_shots, result.num_errors) == (shots, errors)
    assert result.shot_error_rate == pytest.approx(shot)


def test_per_round_interval_width_follows_max_likelihood_factor(task_stats):
    stat = task_stats(3, 1e-3, 3, 10_000, 200)
    (wide,) = analysis.logical_error_per_round([stat])
    (narrow,) = analysis.logical_error_per_round([stat], max_likelihood_factor=math.exp(2))
    assert wide.low < narrow.low < narrow.best < narrow.high < wide.high
    # z = 2: close to the normal interval +-2 sqrt(k)/n on the shot rate.
    half_width = 2 * math.sqrt(200 * (1 - 0.02)) / 10_000
    assert narrow.shot_error_rate_high - narrow.shot_error_rate_low == pytest.approx(
        2 * half_width, rel=0.05
    )


def test_per_round_adds_up_repeated_rows_and_discards(task_stats):
    first = task_stats(3, 1e-3, 3, 1000, 10)
    second = sinter.TaskStats(
        strong_id=first.strong_id,
        decoder=first.decoder,
        json_metadata=first.json_metadata,
        shots=3000,
        errors=20,
        discards=500,
    )
    (result,) = analysis.logical_error_per_round([first, second])
    assert (result.num_shots, result.num_errors) == (3500, 30)


def test_per_round_sorted_by_p_then_distance(task_stats):
    stats = [task_stats(d, p, d, 100, 5) for p in (2e-3, 1e-3) for d in (7, 3, 5)]
    results = analysis.logical_error_per_round(stats)
    assert [(r.p, r.distance) for r in results] == [(p, d) for p in (1e-3, 2e-3) for d in (3, 5, 7)]


def test_bad_values_rejected(task_stats):
    with pytest.raises(qecsim.QecsimError, match=r"stats\[1\] is a str"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, 3, 10, 1), "not stats"])
    with pytest.raises(qecsim.QecsimError, match="rounds='three'"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, "three", 10, 1)])
    with pytest.raises(qecsim.QecsimError, match="num_shots=0"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, 3, 0, 0)])
    with pytest.raises(qecsim.QecsimError, match=r"max_likelihood_factor=0.5 is not in \[1, inf\)"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, 3, 10, 1)], max_likelihood_factor=0.5)


# ---------------------------------------------------------------------------------------------
# Foreign stores (issue 11 item 3): any sinter store, per shot; per round where rounds known


def test_per_shot_rates_of_a_plain_sinter_store(sinter_store):
    stats = sinter.read_stats_from_csv_files(sinter_store)
    results = analysis.logical_error_per_shot(stats)
    assert len(results) == 7  # every task, whatever its metadata
    merged = {}
    for stat in stats:
        key = (stat.strong_id, stat.decoder)
        merged[key] = merged[key] + stat if key in merged else stat
    for result in results:
        stat = merged[(result.strong_id, result.decoder)]
        assert result.shot_error_rate == stat.errors / (stat.shots - stat.discards)
        fit = sinter.fit_binomial(num_shots=stat.shots, num_hits=stat.errors,
                                  max_likelihood_factor=1000)  # fmt: skip
        assert result.shot_error_rate_low == pytest.approx(min(fit.low, result.shot_error_rate))
    assert sorted(str((r.distance, r.rounds)) for r in results) == sorted(
        str(key) for key in [(3, None), (3, None), (5, None), (5, None), (3, 6), (5, 10),
                             (None, None)]
    )  # fmt: skip


def test_per_round_rates_where_rounds_are_known_one_warning_per_group(sinter_store):
    stats = sinter.read_stats_from_csv_files(sinter_store)
    with pytest.warns(UserWarning) as caught:
        results = analysis.logical_error_per_round(stats)
    assert [(r.distance, r.rounds) for r in results] == [(3, 6), (5, 10)]
    messages = [str(w.message) for w in caught]
    # two groups lack what a per-round rate needs: the four {d, p} tasks, the one without
    # metadata; one warning each, naming what is missing
    assert len(messages) == 2, messages
    assert any("left out 4 task(s)" in m and "lacks key(s) ['rounds']" in m for m in messages)
    assert any("left out 1 task(s)" in m and "json_metadata=None" in m for m in messages)
