"""Tests of qecsim.analysis on synthetic sinter statistics with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sinter

import qecsim
from qecsim import analysis

# ---------------------------------------------------------------------------------------------
# Synthetic statistics


def shot_rate(per_round: float, rounds: int) -> float:
    """Shot error rate of `rounds` independent rounds each failing with `per_round` (xor)."""
    return (1 - (1 - 2 * per_round) ** rounds) / 2


def task_stats(d, p, rounds, shots, errors, decoder="pymatching", **extra) -> sinter.TaskStats:
    metadata = {
        "code": "rotated_surface_code",
        "basis": "Z",
        "d": d,
        "rounds": rounds,
        "noise": "si1000",
        "p": p,
        **extra,
    }
    return sinter.TaskStats(
        strong_id=f"{sorted(metadata.items())}-{decoder}",
        decoder=decoder,
        json_metadata=metadata,
        shots=shots,
        errors=int(errors),
    )


def lambda_stats(rng, *, lam, prefactor, distances, shots, p=1e-3, **extra):
    """Binomial counts from eps_d = prefactor / lam^((d+1)/2), rounds = d."""
    stats = []
    for d in distances:
        eps = prefactor / lam ** ((d + 1) / 2)
        stats.append(task_stats(d, p, d, shots, rng.binomial(shots, shot_rate(eps, d)), **extra))
    return stats


def crossing_rate(d: int, p: float, threshold: float) -> float:
    """Error rates of all distances cross exactly at p = threshold (where they equal 0.13)."""
    return 0.5 * (1 - math.exp(-0.3 * (p / threshold) ** ((d + 1) / 2)))


def threshold_stats(rng, *, threshold, distances, ps, shots, per_round=False, **extra):
    stats = []
    for d in distances:
        for p in ps:
            rate = crossing_rate(d, p, threshold)
            if per_round:  # the per-round rates cross; shots span d rounds
                rate = shot_rate(rate, d)
            stats.append(task_stats(d, p, d, shots, rng.binomial(shots, rate), **extra))
    return stats


# ---------------------------------------------------------------------------------------------
# Logical error per round


@pytest.mark.parametrize(
    ("shots", "errors", "rounds"),
    [(10_000, 300, 10), (10**6, 7, 25), (1000, 450, 3), (5000, 0, 5), (2000, 37, 1)],
)
def test_per_round_matches_formula(shots, errors, rounds):
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


def test_per_round_interval_width_follows_max_likelihood_factor():
    stat = task_stats(3, 1e-3, 3, 10_000, 200)
    (wide,) = analysis.logical_error_per_round([stat])
    (narrow,) = analysis.logical_error_per_round([stat], max_likelihood_factor=math.exp(2))
    assert wide.low < narrow.low < narrow.best < narrow.high < wide.high
    # z = 2: close to the normal interval +-2 sqrt(k)/n on the shot rate.
    half_width = 2 * math.sqrt(200 * (1 - 0.02)) / 10_000
    assert narrow.shot_error_rate_high - narrow.shot_error_rate_low == pytest.approx(
        2 * half_width, rel=0.05
    )


def test_per_round_adds_up_repeated_rows_and_discards():
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


def test_per_round_sorted_by_p_then_distance():
    stats = [task_stats(d, p, d, 100, 5) for p in (2e-3, 1e-3) for d in (7, 3, 5)]
    results = analysis.logical_error_per_round(stats)
    assert [(r.p, r.distance) for r in results] == [(p, d) for p in (1e-3, 2e-3) for d in (3, 5, 7)]


# ---------------------------------------------------------------------------------------------
# Lambda


def test_fit_lambda_recovers_known_lambda():
    rng = np.random.default_rng(2024)
    lam, prefactor = 3.0, 0.1
    stats = lambda_stats(rng, lam=lam, prefactor=prefactor, distances=(3, 5, 7, 9), shots=200_000)
    fit = analysis.fit_lambda(stats)
    assert fit.low <= lam <= fit.high
    # Meaningful: Lambda known to better than +-15 % at z = 3.7 from ~700-6000 errors a point.
    assert fit.high / fit.low < 1.3
    assert sorted(fit.distances) == [3, 5, 7, 9]
    assert fit.degrees_of_freedom == 2
    assert fit.metadata == {
        "code": "rotated_surface_code",
        "basis": "Z",
        "noise": "si1000",
        "p": 1e-3,
    }
    assert fit.decoder == "pymatching"
    for d in (3, 9, 25):  # the prediction's interval holds the truth, also extrapolated
        truth = prefactor / lam ** ((d + 1) / 2)
        interval = fit.predict_interval(d)
        assert interval.low <= truth <= interval.high
        assert fit.predict(d) == pytest.approx(interval.best)
    assert fit.prefactor == pytest.approx(math.exp(fit.intercept))


def test_fit_lambda_interval_coverage():
    """With z = 1, the interval must hold the true Lambda in ~68.3 % of independent datasets."""
    rng = np.random.default_rng(7)
    trials = 400
    covered = 0
    for _ in range(trials):
        stats = lambda_stats(rng, lam=2.5, prefactor=0.05, distances=(3, 5), shots=100_000)
        fit = analysis.fit_lambda(stats, max_likelihood_factor=math.exp(0.5))
        covered += fit.low <= 2.5 <= fit.high
    expected = 0.6827 * trials
    sigma = math.sqrt(trials * 0.6827 * 0.3173)
    assert expected - 4 * sigma <= covered <= expected + 4 * sigma, covered


def test_fit_lambda_widens_interval_for_scatter_beyond_statistics():
    lam, prefactor, shots = 3.0, 0.1, 10**6

    def exact_stats(d3_factor):
        stats = []
        for d in (3, 5, 7, 9):
            eps = prefactor / lam ** ((d + 1) / 2) * (d3_factor if d == 3 else 1)
            stats.append(task_stats(d, 1e-3, d, shots, round(shots * shot_rate(eps, d))))
        return stats

    clean = analysis.fit_lambda(exact_stats(1.0))
    assert clean.chi_squared < 0.1
    off = analysis.fit_lambda(exact_stats(0.6))  # d = 3 well below the line
    birge = math.sqrt(off.chi_squared / off.degrees_of_freedom)
    assert birge > 3
    width = math.log(off.high / off.low)
    assert width > 0.9 * birge * math.log(clean.high / clean.low)


def test_fit_lambda_accepts_per_round_results_and_uses_several_rounds():
    rng = np.random.default_rng(3)
    stats = lambda_stats(rng, lam=3.0, prefactor=0.1, distances=(3, 5), shots=100_000)
    # The same distances at 2d rounds: more points, same Lambda.
    for d in (3, 5):
        eps = 0.1 / 3.0 ** ((d + 1) / 2)
        stats.append(
            task_stats(d, 1e-3, 2 * d, 100_000, rng.binomial(100_000, shot_rate(eps, 2 * d)))
        )
    fit = analysis.fit_lambda(analysis.logical_error_per_round(stats))
    assert len(fit.points) == 4
    assert fit.low <= 3.0 <= fit.high


def test_fit_lambda_excludes_zero_error_points():
    stats = [
        task_stats(3, 1e-3, 3, 10**5, 3000),
        task_stats(5, 1e-3, 5, 10**5, 1000),
        task_stats(7, 1e-3, 7, 10**5, 0),
    ]
    fit = analysis.fit_lambda(stats)
    assert sorted(fit.distances) == [3, 5]
    assert [r.distance for r in fit.excluded] == [7]


def test_fit_lambdas_one_fit_per_group():
    rng = np.random.default_rng(11)
    stats = lambda_stats(rng, lam=4.0, prefactor=0.1, distances=(3, 5, 7), shots=10**5, p=1e-3)
    stats += lambda_stats(rng, lam=2.0, prefactor=0.1, distances=(3, 5, 7), shots=10**5, p=2e-3)
    fits = analysis.fit_lambdas(stats)
    assert [fit.metadata["p"] for fit in fits] == [1e-3, 2e-3]
    assert fits[0].low <= 4.0 <= fits[0].high
    assert fits[1].low <= 2.0 <= fits[1].high
    with pytest.raises(qecsim.QecsimError, match=r"2 groups.*p=.*fit_lambdas"):
        analysis.fit_lambda(stats)


def test_fit_lambda_group_by_override():
    rng = np.random.default_rng(5)
    # A metadata key that differs between tasks but should not split the fit.
    stats = [
        task_stats(
            d,
            1e-3,
            d,
            10**5,
            rng.binomial(10**5, shot_rate(0.1 / 3.0 ** ((d + 1) / 2), d)),
            batch=d,
        )
        for d in (3, 5, 7)
    ]
    with pytest.raises(qecsim.QecsimError, match="3 groups"):
        analysis.fit_lambda(stats)
    fit = analysis.fit_lambda(stats, group_by=["noise", "p"])
    assert fit.low <= 3.0 <= fit.high
    assert "batch" not in fit.metadata
    fit = analysis.fit_lambda(stats, group_by=lambda metadata: metadata["noise"])
    assert fit.low <= 3.0 <= fit.high


# ---------------------------------------------------------------------------------------------
# Footprint


def make_fit(lam, prefactor, *, var_intercept=0.0, var_log_lambda=0.0, cov=0.0, factor=1000.0):
    z = analysis.sigma_equivalent(factor)
    return qecsim.LambdaFit(
        best=lam,
        low=lam * math.exp(-z * math.sqrt(var_log_lambda)),
        high=lam * math.exp(z * math.sqrt(var_log_lambda)),
        intercept=math.log(prefactor),
        covariance=((var_intercept, cov), (cov, var_log_lambda)),
        chi_squared=0.0,
        degrees_of_freedom=0,
        distances=(3, 5),
        metadata={},
        max_likelihood_factor=factor,
    )


def smallest_distance(lam, prefactor, target):
    d = 3
    while prefactor / lam ** ((d + 1) / 2) > target:
        d += 2
    return d


def test_footprint_arithmetic():
    fit = make_fit(10.0, 0.1)  # eps_d = 0.1 / 10^((d+1)/2): 1e-12 at (d+1)/2 = 11, d = 21
    result = analysis.footprint(fit)
    assert (result.distance, result.qubits) == (21, 2 * 21**2 - 1)
    assert (result.distance_low, result.distance_high) == (21, 21)
    assert (result.low, result.best, result.high) == (881, 881, 881)
    repetition = analysis.footprint(fit, target=1e-6, code="repetition_code")
    assert (repetition.distance, repetition.qubits) == (9, 17)
    assert analysis.footprint(make_fit(10.0, 0.1), target=0.3).distance == 3


def test_footprint_interval_follows_lambda_interval():
    # Only ln Lambda uncertain: the ends must equal the distances for Lambda = low and high.
    fit = make_fit(3.0, 0.08, var_log_lambda=0.02**2)
    result = analysis.footprint(fit, target=1e-12)
    assert result.distance == smallest_distance(3.0, 0.08, 1e-12)
    assert result.distance_low == smallest_distance(fit.high, 0.08, 1e-12)
    assert result.distance_high == smallest_distance(fit.low, 0.08, 1e-12)
    assert result.distance_low < result.distance < result.distance_high
    assert result.qubits_high == 2 * result.distance_high**2 - 1


def test_footprint_unreachable_when_lambda_at_most_one():
    result = analysis.footprint(make_fit(1.05, 0.1, var_log_lambda=0.1**2))
    assert result.distance is not None and result.distance_high is None
    assert result.high is None
    below = analysis.footprint(make_fit(0.9, 0.1))
    assert (below.distance, below.qubits) == (None, None)


def test_footprint_takes_code_from_fit_metadata():
    rng = np.random.default_rng(1)
    stats = lambda_stats(rng, lam=3.0, prefactor=0.1, distances=(3, 5, 7), shots=10**5)
    for stat in stats:
        stat.json_metadata["code"] = "repetition_code"
    result = analysis.footprint(analysis.fit_lambda(stats))
    assert result.code == "repetition_code"
    assert result.qubits == 2 * result.distance - 1


# ---------------------------------------------------------------------------------------------
# Threshold

PS = tuple(0.01 * 1.2**k for k in range(-3, 4))  # 0.0058 .. 0.0173


def test_estimate_threshold_on_crossing_curves():
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


def test_estimate_threshold_bootstrap_sigma_matches_scatter():
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


def test_estimate_threshold_per_round():
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


def test_estimate_thresholds_one_per_group_and_decoder():
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


def test_estimate_threshold_is_reproducible():
    rng = np.random.default_rng(6)
    stats = threshold_stats(rng, threshold=0.01, distances=(3, 5), ps=PS, shots=5000)
    assert analysis.estimate_threshold(stats) == analysis.estimate_threshold(stats)


# ---------------------------------------------------------------------------------------------
# Bad input


def test_empty_stats_rejected():
    for function in (
        analysis.logical_error_per_round,
        analysis.fit_lambda,
        analysis.fit_lambdas,
        analysis.estimate_threshold,
    ):
        with pytest.raises(qecsim.QecsimError, match="stats is empty"):
            function([])


def test_single_distance_rejected_for_lambda():
    stats = [task_stats(5, 1e-3, 5, 1000, 10), task_stats(5, 1e-3, 10, 1000, 19)]
    with pytest.raises(qecsim.QecsimError, match=r">= 2 distances.*\[5\]"):
        analysis.fit_lambda(stats)


def test_missing_metadata_keys_named():
    stat = sinter.TaskStats(
        strong_id="x", decoder="pymatching", json_metadata={"d": 3, "p": 0.01}, shots=10, errors=1
    )
    with pytest.raises(qecsim.QecsimError, match=r"lacks key\(s\) \['rounds'\]"):
        analysis.logical_error_per_round([stat])
    no_p = [
        sinter.TaskStats(
            strong_id=str(d), decoder="m", json_metadata={"d": d, "rounds": d}, shots=10, errors=1
        )
        for d in (3, 5)
    ]
    with pytest.raises(qecsim.QecsimError, match=r"lacks key\(s\) \['p'\]"):
        analysis.estimate_threshold(no_p)
    no_metadata = sinter.TaskStats(strong_id="y", decoder="m", json_metadata=None, shots=1)
    with pytest.raises(qecsim.QecsimError, match="json_metadata=None"):
        analysis.fit_lambda([no_metadata])


def test_bad_values_rejected():
    with pytest.raises(qecsim.QecsimError, match=r"stats\[1\] is a str"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, 3, 10, 1), "not stats"])
    with pytest.raises(qecsim.QecsimError, match="rounds='three'"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, "three", 10, 1)])
    with pytest.raises(qecsim.QecsimError, match="num_shots=0"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, 3, 0, 0)])
    with pytest.raises(qecsim.QecsimError, match=r"max_likelihood_factor=0.5 is not in \[1, inf\)"):
        analysis.logical_error_per_round([task_stats(3, 1e-3, 3, 10, 1)], max_likelihood_factor=0.5)
    fit = make_fit(3.0, 0.1)
    with pytest.raises(qecsim.QecsimError, match=r"target=0 is not in \(0, 0.5\)"):
        analysis.footprint(fit, target=0)
    with pytest.raises(qecsim.QecsimError, match="code='color_code' is not in"):
        analysis.footprint(fit, code="color_code")
    with pytest.raises(qecsim.QecsimError, match="expected a LambdaFit"):
        analysis.footprint(3.0)


def test_threshold_bad_input():
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
