"""Tests of qecsim.analysis.lambda_fit on synthetic statistics with a known Lambda."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sinter

import qecsim
from qecsim import analysis


def test_fit_lambda_recovers_known_lambda(lambda_stats):
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


def test_fit_lambda_interval_coverage(lambda_stats):
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


def test_fit_lambda_widens_interval_for_scatter_beyond_statistics(task_stats, xor_shot_rate):
    lam, prefactor, shots = 3.0, 0.1, 10**6

    def exact_stats(d3_factor):
        stats = []
        for d in (3, 5, 7, 9):
            eps = prefactor / lam ** ((d + 1) / 2) * (d3_factor if d == 3 else 1)
            stats.append(task_stats(d, 1e-3, d, shots, round(shots * xor_shot_rate(eps, d))))
        return stats

    clean = analysis.fit_lambda(exact_stats(1.0))
    assert clean.chi_squared < 0.1
    off = analysis.fit_lambda(exact_stats(0.6))  # d = 3 well below the line
    birge = math.sqrt(off.chi_squared / off.degrees_of_freedom)
    assert birge > 3
    width = math.log(off.high / off.low)
    assert width > 0.9 * birge * math.log(clean.high / clean.low)


def test_fit_lambda_accepts_per_round_results_and_uses_several_rounds(
    task_stats,
    lambda_stats,
    xor_shot_rate,
):
    rng = np.random.default_rng(3)
    stats = lambda_stats(rng, lam=3.0, prefactor=0.1, distances=(3, 5), shots=100_000)
    # The same distances at 2d rounds: more points, same Lambda.
    for d in (3, 5):
        eps = 0.1 / 3.0 ** ((d + 1) / 2)
        stats.append(
            task_stats(d, 1e-3, 2 * d, 100_000, rng.binomial(100_000, xor_shot_rate(eps, 2 * d)))
        )
    fit = analysis.fit_lambda(analysis.logical_error_per_round(stats))
    assert len(fit.points) == 4
    assert fit.low <= 3.0 <= fit.high


def test_fit_lambda_excludes_zero_error_points(task_stats):
    stats = [
        task_stats(3, 1e-3, 3, 10**5, 3000),
        task_stats(5, 1e-3, 5, 10**5, 1000),
        task_stats(7, 1e-3, 7, 10**5, 0),
    ]
    fit = analysis.fit_lambda(stats)
    assert sorted(fit.distances) == [3, 5]
    assert [r.distance for r in fit.excluded] == [7]


def test_fit_lambdas_one_fit_per_group(lambda_stats):
    rng = np.random.default_rng(11)
    stats = lambda_stats(rng, lam=4.0, prefactor=0.1, distances=(3, 5, 7), shots=10**5, p=1e-3)
    stats += lambda_stats(rng, lam=2.0, prefactor=0.1, distances=(3, 5, 7), shots=10**5, p=2e-3)
    fits = analysis.fit_lambdas(stats)
    assert [fit.metadata["p"] for fit in fits] == [1e-3, 2e-3]
    assert fits[0].low <= 4.0 <= fits[0].high
    assert fits[1].low <= 2.0 <= fits[1].high
    with pytest.raises(qecsim.QecsimError, match=r"2 groups.*p=.*fit_lambdas"):
        analysis.fit_lambda(stats)


def test_fit_lambda_group_by_override(task_stats, xor_shot_rate):
    rng = np.random.default_rng(5)
    # A metadata key that differs between tasks but should not split the fit.
    stats = [
        task_stats(
            d,
            1e-3,
            d,
            10**5,
            rng.binomial(10**5, xor_shot_rate(0.1 / 3.0 ** ((d + 1) / 2), d)),
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


def test_single_distance_rejected_for_lambda(task_stats):
    stats = [task_stats(5, 1e-3, 5, 1000, 10), task_stats(5, 1e-3, 10, 1000, 19)]
    with pytest.raises(qecsim.QecsimError, match=r">= 2 distances.*\[5\]"):
        analysis.fit_lambda(stats)


# Lambda and footprint from large synthetic samples (fixed seeds)


def synthetic_stats(*, lambda_, prefactor, distances, shots, seed):
    rng = np.random.default_rng(seed)
    stats = []
    for d in distances:
        per_round = prefactor / lambda_ ** ((d + 1) / 2)
        per_shot = (1 - (1 - 2 * per_round) ** d) / 2  # rounds = d
        stats.append(
            sinter.TaskStats(
                strong_id=f"synthetic-{d}",
                decoder="pymatching",
                shots=shots,
                errors=int(rng.binomial(shots, per_shot)),
                json_metadata={"code": "rotated_surface_code", "d": d, "rounds": d, "p": 1e-3},
            )
        )
    return stats


@pytest.mark.parametrize("seed", range(10))
def test_lambda_fit_recovers_a_known_lambda(seed):
    stats = synthetic_stats(
        lambda_=4.0, prefactor=0.1, distances=(3, 5, 7, 9), shots=10**7, seed=seed
    )
    fit = analysis.fit_lambda(stats)
    # the interval (likelihood factor 1000, z = 3.7) covers the truth for every seed ...
    assert fit.low <= 4.0 <= fit.high, fit
    # ... and is narrow enough to mean something
    assert fit.high / fit.low < 1.1, fit
    assert fit.distances == (3, 5, 7, 9)
    # the footprint brackets the exact teraquop distance of the true model
    exact = next(d for d in range(3, 200, 2) if 0.1 / 4.0 ** ((d + 1) / 2) <= 1e-12)
    result = analysis.footprint(fit)
    assert result.distance_low <= exact <= result.distance_high
    assert result.qubits == 2 * result.distance**2 - 1


# ---------------------------------------------------------------------------------------------
# Even distances (issue 11 item 1)


def test_even_distances_are_left_out_of_lambda_with_the_reason(lambda_stats):
    rng = np.random.default_rng(21)
    # An even distance on the odd line's extrapolation would pass unnoticed; put d = 4 where
    # it physically sits (same number of faults as d = 3: about eps_3) so that fitting it
    # would pull Lambda down.
    stats = lambda_stats(rng, lam=4.0, prefactor=0.1, distances=(3, 5, 7), shots=10**6)
    stats += lambda_stats(rng, lam=4.0, prefactor=0.1, distances=(3,), shots=10**6, batch=1)
    stats[-1] = sinter.TaskStats(
        strong_id="d4",
        decoder=stats[-1].decoder,
        json_metadata={**stats[0].json_metadata, "d": 4, "rounds": 4},
        shots=stats[-1].shots,
        errors=stats[-1].errors,
    )
    with pytest.warns(UserWarning, match=r"d = 4 left out: Lambda = eps_d / eps_\(d\+2\)"):
        fit = analysis.fit_lambda(stats)
    assert sorted(set(fit.distances)) == [3, 5, 7]
    assert [r.distance for r in fit.excluded] == [4]
    assert fit.low <= 4.0 <= fit.high


def test_lambda_refused_without_two_odd_distances(task_stats):
    stats = [task_stats(3, 1e-3, 3, 10**5, 3000), task_stats(4, 1e-3, 4, 10**5, 2500)]
    with pytest.raises(qecsim.QecsimError, match=r"distances.*\[3\] of \[3, 4\].*d = 4 left out"):
        analysis.fit_lambda(stats)


def test_lambda_distances_helper():
    check = analysis.lambda_distances([5, 3, 4, 6, 3])
    assert (check.usable, check.even, check.enough) == ((3, 5), (4, 6), True)
    assert check.reason.startswith("even distance(s) d = 4, 6 left out: ")
    assert analysis.EVEN_DISTANCE_REASON in check.reason
    assert analysis.lambda_distances([3, 5]).reason == ""
    assert not analysis.lambda_distances([2, 4, 5]).enough
    with pytest.raises(qecsim.QecsimError, match="distance=0 is not an integer >= 1"):
        analysis.lambda_distances([3, 0])


def test_sweeps_of_even_distances_stay_allowed():
    tasks = qecsim.sweep_tasks(distances=[2, 4], p=1e-3, noise="sd6")
    assert [t.json_metadata["d"] for t in tasks] == [2, 4]


def test_fit_lambdas_on_a_plain_sinter_store_fits_what_it_can(sinter_store):
    stats = sinter.read_stats_from_csv_files(sinter_store)
    with pytest.warns(UserWarning, match="rounds"):
        fits = analysis.fit_lambdas(stats)
    (fit,) = fits  # the repetition code, whose metadata has rounds (sinter's key "r")
    assert sorted(fit.distances) == [3, 5] and fit.metadata == {}
    assert [r.rounds for r in sorted(fit.points, key=lambda r: r.distance)] == [6, 10]
    # at p = 3 % the repetition code suppresses errors strongly from d = 3 to 5
    assert 1 < fit.low
    with pytest.raises(qecsim.QecsimError, match=r"lacks key\(s\) \['rounds'\]"):
        analysis.fit_lambda([s for s in stats if s.json_metadata and "p" in s.json_metadata])


def test_fit_lambdas_leaves_out_groups_it_cannot_fit_with_one_warning_each(lambda_stats):
    rng = np.random.default_rng(31)
    good = lambda_stats(rng, lam=3.0, prefactor=0.1, distances=(3, 5), shots=10**5, p=1e-3)
    single = lambda_stats(rng, lam=3.0, prefactor=0.1, distances=(5,), shots=10**5, p=2e-3)
    with pytest.warns(UserWarning, match=r"fit_lambdas: a group is left out.*p=0.002") as caught:
        (fit,) = analysis.fit_lambdas(good + single)
    assert len(caught) == 1 and fit.metadata["p"] == 1e-3
