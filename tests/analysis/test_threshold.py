"""Tests of qecsim.analysis.threshold: synthetic curves that cross at a known p, and the known
thresholds of the rotated surface code sampled with qecsim.collect."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sinter

import qecsim
from qecsim import analysis

PS = tuple(0.01 * 1.2**k for k in range(-3, 4))  # 0.0058 .. 0.0173


def test_estimate_threshold_on_crossing_curves(threshold_stats):
    rng = np.random.default_rng(12)
    stats = threshold_stats(rng, threshold=0.01, distances=(3, 5, 7), ps=PS, shots=20_000)
    threshold = analysis.estimate_threshold(stats)
    assert threshold.low <= 0.01 <= threshold.high
    assert (threshold.high - threshold.low) / threshold.best < 0.25
    assert threshold.distances == (3, 5, 7)
    assert [(a, b) for a, b, _ in threshold.pairwise] == [(3, 5), (3, 7), (5, 7)]
    for _, _, crossing in threshold.pairwise:
        assert threshold.low <= crossing <= threshold.high
    assert threshold.bootstrap_failures == 0
    assert not threshold.per_round
    assert threshold.metadata == {"code": "rotated_surface_code", "basis": "Z", "noise": "si1000"}


def test_estimate_threshold_bootstrap_sigma_matches_scatter(threshold_stats):
    """The bootstrap's sigma of ln(threshold) must match the scatter over independent datasets."""
    rng = np.random.default_rng(99)
    bests, sigmas = [], []
    for _ in range(30):
        stats = threshold_stats(rng, threshold=0.01, distances=(3, 5), ps=PS, shots=5000)
        threshold = analysis.estimate_threshold(
            stats, num_bootstrap=100, seed=int(rng.integers(1 << 30))
        )
        bests.append(math.log(threshold.best))
        sigmas.append(threshold.bootstrap_sigma)
    ratio = float(np.median(sigmas)) / float(np.std(bests, ddof=1))
    # The sample std of 30 values is within +-40 % of the truth with probability > 99.9 %.
    assert 0.6 < ratio < 1.6, ratio


def test_estimate_threshold_per_round(threshold_stats):
    rng = np.random.default_rng(4)
    stats = threshold_stats(
        rng,
        threshold=0.02,
        distances=(3, 5, 7),
        ps=tuple(2 * p for p in PS),
        shots=20_000,
        per_round=True,
    )
    per_round = analysis.estimate_threshold(stats, per_round=True)
    assert per_round.per_round
    assert per_round.low <= 0.02 <= per_round.high
    # Per shot (d rounds for distance d) the larger distances lose more: the crossing moves down.
    per_shot = analysis.estimate_threshold(stats)
    assert per_shot.high < per_round.low


def test_estimate_thresholds_one_per_group_and_decoder(threshold_stats):
    rng = np.random.default_rng(8)
    stats = threshold_stats(rng, threshold=0.01, distances=(3, 5), ps=PS, shots=10_000)
    stats += threshold_stats(
        rng,
        threshold=0.008,
        distances=(3, 5),
        ps=tuple(0.8 * p for p in PS),
        shots=10_000,
        noise="sd6",
    )
    thresholds = analysis.estimate_thresholds(stats)
    assert [t.metadata["noise"] for t in thresholds] == ["sd6", "si1000"]
    assert thresholds[0].low <= 0.008 <= thresholds[0].high
    assert thresholds[1].low <= 0.01 <= thresholds[1].high
    with pytest.raises(qecsim.QecsimError, match=r"2 groups.*noise.*estimate_thresholds"):
        analysis.estimate_threshold(stats)


def test_estimate_threshold_is_reproducible(threshold_stats):
    rng = np.random.default_rng(6)
    stats = threshold_stats(rng, threshold=0.01, distances=(3, 5), ps=PS, shots=5000)
    assert analysis.estimate_threshold(stats) == analysis.estimate_threshold(stats)


def test_threshold_bad_input(task_stats, threshold_stats):
    rng = np.random.default_rng(0)
    with pytest.raises(qecsim.QecsimError, match=r"do not cross.*extend the range of p"):
        analysis.estimate_threshold(
            threshold_stats(rng, threshold=0.01, distances=(3, 5), ps=PS[:3], shots=10_000)
        )
    with pytest.raises(qecsim.QecsimError, match=r">= 2 distances with >= 2 values of p"):
        analysis.estimate_threshold(
            threshold_stats(rng, threshold=0.01, distances=(3,), ps=PS, shots=1000)
        )
    duplicated = threshold_stats(rng, threshold=0.01, distances=(3, 5), ps=PS, shots=1000)
    duplicated.append(task_stats(3, PS[0], 6, 1000, 10))
    with pytest.raises(qecsim.QecsimError, match=r"two tasks with d=3, p=0.00578.*rounds"):
        analysis.estimate_threshold(duplicated)
    with pytest.raises(qecsim.QecsimError, match="num_bootstrap=-1"):
        analysis.estimate_threshold(duplicated, num_bootstrap=-1)


# ---------------------------------------------------------------------------------------------
# Known thresholds of the rotated surface code (pymatching), sampled with qecsim.collect.
#
# sinter worker processes draw their own seeds, so these runs are not reproducible bit for
# bit. Their tolerance is statistical instead: estimate_threshold reports a parametric-bootstrap
# standard deviation sigma of ln(threshold); each test first checks that sigma is small enough
# for the test to mean something (4 sigma below half the log-width of the allowed range), then
# that the estimate lies in the range. With the shots chosen here sigma is about 0.008-0.02,
# and the estimates (uniform 0.69-0.70 %, code capacity 14.4-14.7 %, phenomenological
# 3.93-3.98 %, from repeated runs and a 5-point run with 10x the shots) sit 7 or more sigma from
# the nearest edge of the ranges given by the issue, so a false failure is very unlikely
# (< 1e-6).


def threshold_of(noise: str, distances, ps, shots: int):
    tasks = qecsim.sweep_tasks(distances=distances, p=ps, noise=noise)
    stats = qecsim.collect(tasks, store=None, max_shots=shots, num_workers=2, progress=False)
    assert all(stat.shots == shots for stat in stats)
    return analysis.estimate_threshold(stats)


def check_threshold(threshold, low: float, high: float):
    half_width = math.log(high / low) / 2
    assert 4 * threshold.bootstrap_sigma < half_width, (
        f"sigma={threshold.bootstrap_sigma:.3f} is too large for the range [{low}, {high}]"
    )
    # a resample whose curves do not cross inside the sampled p is rare, else the p grid is off
    assert threshold.bootstrap_failures <= threshold.num_bootstrap // 20
    assert all(not math.isnan(p) for _, _, p in threshold.pairwise), threshold.pairwise
    assert low <= threshold.best <= high, f"{threshold} is not in [{low}, {high}]"


@pytest.mark.slow
def test_uniform_depolarizing_threshold_is_near_0_7_percent():
    # 80,000 shots: at 40,000 the bootstrap sigma is 0.019-0.023 (4 runs) and once reached
    # 0.044, above the 0.0435 this range allows for a meaningful test; at 80,000, 0.015-0.017
    threshold = threshold_of("uniform_depolarizing", [3, 5, 7], [0.0055, 0.007, 0.0085], 80_000)
    assert threshold.distances == (3, 5, 7)
    check_threshold(threshold, 0.006, 0.0085)


@pytest.mark.slow
def test_code_capacity_threshold_is_near_14_percent():
    threshold = threshold_of("code_capacity", [5, 7, 9], [0.13, 0.145, 0.16], 300_000)
    assert {stat.json_metadata["rounds"] for stat in threshold.stats} == {1}
    check_threshold(threshold, 0.125, 0.155)


@pytest.mark.slow
def test_phenomenological_threshold_is_near_4_percent():
    threshold = threshold_of("phenomenological", [5, 7, 9], [0.035, 0.04, 0.045], 25_000)
    assert all(stat.json_metadata["rounds"] == stat.json_metadata["d"] for stat in threshold.stats)
    check_threshold(threshold, 0.035, 0.045)


def test_thresholds_of_a_plain_sinter_store(sinter_store):
    stats = sinter.read_stats_from_csv_files(sinter_store)
    with pytest.warns(UserWarning) as caught:
        (threshold,) = analysis.estimate_thresholds(stats)
    # stim's generated rotated memory with all four noise parameters equal to p: ~0.7 %
    assert threshold.distances == (3, 5) and 0.002 < threshold.best < 0.012
    assert threshold.metadata == {}
    messages = [str(w.message) for w in caught]
    assert any("json_metadata=None" in m for m in messages)  # left out: no d
    assert any("estimate_thresholds: a group is left out" in m for m in messages)  # one p


def test_threshold_of_a_custom_model_swept_by_scale(threshold_stats):
    rng = np.random.default_rng(41)
    stats = threshold_stats(rng, threshold=1.5, distances=(3, 5), ps=(0.8, 1.2, 1.8, 2.5),
                            shots=20_000)  # fmt: skip
    for stat in stats:  # a custom model: scale, no p (p is a preset's parameter only)
        stat.json_metadata["scale"] = stat.json_metadata.pop("p")
        stat.json_metadata["noise"] = "custom"
    threshold = analysis.estimate_threshold(stats)
    assert threshold.parameter == "scale" and threshold.low <= 1.5 <= threshold.high
    assert str(threshold).startswith("threshold scale = ")
