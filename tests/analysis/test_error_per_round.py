"""Tests of qecsim.analysis.error_per_round: 1 - 2 P_L(r) = A (1 - 2 eps)^r from rounds series.

Synthetic series are binomial counts drawn (fixed seeds) from known A and eps. Tolerances come
from the fit's own intervals: the default factor-1000 interval must hold the truth; at
z = 1 (factor e^(1/2)) the intervals must cover the truth in 68.27 % of independent series,
within 4 binomial standard deviations of that rate.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sinter

import qecsim
from qecsim import analysis

ROUNDS = (1, 3, 5, 9, 13, 17, 21, 25)
Z1 = math.exp(0.5)  # the likelihood factor of a z = 1 interval


def shot_rate(amplitude: float, eps: float, rounds) -> np.ndarray:
    return (1 - amplitude * (1 - 2 * eps) ** np.asarray(rounds, dtype=float)) / 2


def series(rng, *, amplitude, eps, d=3, shots=10_000, rounds=ROUNDS, decoder="pymatching",
           **extra) -> list[sinter.TaskStats]:  # fmt: skip
    """One task per rounds value with binomial counts (rng None: the expected counts)."""
    stats = []
    for r, p in zip(rounds, shot_rate(amplitude, eps, rounds), strict=True):
        errors = round(shots * p) if rng is None else int(rng.binomial(shots, p))
        metadata = {"code": "rotated_surface_code", "d": d, "rounds": r, **extra}
        key = f"{sorted(metadata.items())}"
        stats.append(sinter.TaskStats(strong_id=key, decoder=decoder, shots=shots,
                                      errors=errors, json_metadata=metadata))  # fmt: skip
    return stats


def test_recovers_known_amplitude_and_eps():
    rng = np.random.default_rng(2023)
    (fit,) = analysis.fit_error_per_round(series(rng, amplitude=0.95, eps=0.02, shots=50_000))
    assert fit.error_per_round.contains(0.02) and fit.amplitude.contains(0.95)
    # meaningful: eps known to +-4 % and A to +-1 % at the default factor (z = 3.7)
    assert fit.error_per_round.high - fit.error_per_round.low < 0.08 * 0.02
    assert fit.amplitude.high - fit.amplitude.low < 0.02 * 0.95
    assert fit.rounds == ROUNDS and fit.num_shots == (50_000,) * len(ROUNDS)
    assert (fit.distance, fit.decoder, fit.degrees_of_freedom) == (3, "pymatching", 6)
    assert fit.metadata == {"code": "rotated_surface_code", "d": 3}
    assert fit.predict(10) == pytest.approx(
        shot_rate(fit.amplitude.best, fit.error_per_round.best, 10)
    )
    assert fit.p_value > 1e-3  # the model holds


def test_expected_counts_give_the_truth_and_scipy_curve_fit_agrees():
    """On noise-free counts, maximum likelihood and scipy's weighted least squares must both
    return the truth, and curve_fit's standard errors must equal the z = 1 profile
    half-widths (both are the inverse Fisher information at the truth)."""
    from scipy.optimize import curve_fit

    shots, amplitude, eps = 10**6, 0.9, 0.03
    stats = series(None, amplitude=amplitude, eps=eps, shots=shots)
    (fit,) = analysis.fit_error_per_round(stats, max_likelihood_factor=Z1)
    assert fit.error_per_round.best == pytest.approx(eps, rel=1e-4)
    assert fit.amplitude.best == pytest.approx(amplitude, rel=1e-4)
    p = np.array([s.errors / s.shots for s in stats])
    popt, covariance = curve_fit(
        lambda r, a, e: shot_rate(a, e, r), np.array(ROUNDS, dtype=float), p, p0=(0.8, 0.01),
        sigma=np.sqrt(p * (1 - p) / shots), absolute_sigma=True,
    )  # fmt: skip
    assert popt == pytest.approx([amplitude, eps], rel=1e-4)
    for estimate, sigma in zip(
        (fit.amplitude, fit.error_per_round), np.sqrt(np.diag(covariance)), strict=True
    ):
        assert (estimate.high - estimate.low) / 2 == pytest.approx(sigma, rel=0.05)


@pytest.mark.parametrize("seed", range(5))
def test_sampled_counts_agree_with_scipy_curve_fit(seed):
    """Weighted least squares on P (scipy) and maximum likelihood differ only at second
    order: within half a standard deviation, with standard errors within 10 %."""
    from scipy.optimize import curve_fit

    rng = np.random.default_rng(seed)
    stats = series(rng, amplitude=0.95, eps=0.02)
    (fit,) = analysis.fit_error_per_round(stats, max_likelihood_factor=Z1)
    p = np.array([s.errors / s.shots for s in stats])
    popt, covariance = curve_fit(
        lambda r, a, e: shot_rate(a, e, r), np.array(ROUNDS, dtype=float), p, p0=(0.9, 0.01),
        sigma=np.sqrt(p * (1 - p) / 10_000), absolute_sigma=True,
    )  # fmt: skip
    for estimate, value, sigma in zip(
        (fit.amplitude, fit.error_per_round), popt, np.sqrt(np.diag(covariance)), strict=True
    ):
        half_width = (estimate.high - estimate.low) / 2
        assert abs(value - estimate.best) < 0.5 * half_width
        assert sigma == pytest.approx(half_width, rel=0.1)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:fit_error_per_round")  # ~0.1 % of fits have p < 1e-3
def test_interval_coverage_over_many_series():
    """z = 1 intervals of eps, A and Lambda cover the truth in 68.27 % of 200 series."""
    rng = np.random.default_rng(7)
    trials, covered = 200, {"eps": 0, "amplitude": 0, "lambda": 0}
    for _ in range(trials):
        stats = series(rng, amplitude=0.95, eps=0.02, d=3)
        stats += series(rng, amplitude=0.9, eps=0.008, d=5)
        small, large = analysis.fit_error_per_round(stats, max_likelihood_factor=Z1)
        covered["eps"] += small.error_per_round.contains(0.02)
        covered["amplitude"] += small.amplitude.contains(0.95)
        covered["lambda"] += large.lambda_.contains(0.02 / 0.008)
    expected, sigma = 0.6827 * trials, math.sqrt(trials * 0.6827 * 0.3173)
    for name, count in covered.items():
        assert abs(count - expected) <= 4 * sigma, (name, count, expected)


def test_lambda_between_distances():
    rng = np.random.default_rng(11)
    stats = []
    for d, eps in ((3, 0.03), (5, 0.015), (7, 0.0075)):
        stats += series(rng, amplitude=0.9, eps=eps, d=d, shots=50_000)
    stats += series(rng, amplitude=0.9, eps=0.02, d=4, shots=50_000)  # even: no Lambda
    fits = analysis.fit_error_per_round(stats)
    by_distance = {fit.distance: fit for fit in fits}
    assert by_distance[3].lambda_ is None and by_distance[4].lambda_ is None
    assert by_distance[5].lambda_distances == (3, 5) and by_distance[7].lambda_distances == (5, 7)
    for d in (5, 7):
        assert by_distance[d].lambda_.contains(2.0)
        assert by_distance[d].lambda_.best == pytest.approx(
            by_distance[d - 2].error_per_round.best / by_distance[d].error_per_round.best
        )
    assert "Lambda_3/5 = " in str(by_distance[5])
    # a gap of 4 in distance: Lambda per step of 2 is the square root of the ratio
    no_five = [s for s in stats if s.json_metadata["d"] in (3, 7)]
    seven = next(f for f in analysis.fit_error_per_round(no_five) if f.distance == 7)
    assert seven.lambda_distances == (3, 7) and seven.lambda_.contains(2.0)


def test_min_rounds_is_the_fewest_distinct_rounds_values_a_group_needs():
    rng = np.random.default_rng(3)
    good = series(rng, amplitude=0.95, eps=0.02, d=3)
    short = series(rng, amplitude=0.95, eps=0.02, d=5, rounds=(2, 10))
    with pytest.warns(UserWarning, match=r"needs >= 3 distinct rounds values.*\[2, 10\]"):
        (fit,) = analysis.fit_error_per_round(good + short)
    assert fit.distance == 3
    with pytest.raises(qecsim.QecsimError, match=r"needs >= 3 distinct rounds values"):
        analysis.fit_error_per_round(short)
    (exact,) = analysis.fit_error_per_round(short, min_rounds=2)  # two points: no dof
    assert exact.degrees_of_freedom == 0 and math.isnan(exact.p_value)
    assert exact.error_per_round.contains(0.02)
    for bad in (1, 2.5, True):
        with pytest.raises(qecsim.QecsimError, match=r"min_rounds=.* is not an integer >= 2"):
            analysis.fit_error_per_round(good, min_rounds=bad)


def test_groups_decoders_pooling_and_tasks_without_rounds():
    rng = np.random.default_rng(5)
    stats = series(rng, amplitude=0.95, eps=0.02) + series(
        rng, amplitude=0.95, eps=0.03, decoder="tesseract"
    )
    # a second run of rounds = 5 under another id: pooled with the first
    extra = sinter.TaskStats(strong_id="again", decoder="pymatching", shots=5000, errors=400,
                             json_metadata=dict(stats[2].json_metadata))  # fmt: skip
    no_rounds = sinter.TaskStats(strong_id="x", decoder="pymatching", shots=100, errors=3,
                                 json_metadata={"d": 3, "p": 0.001})  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fits = analysis.fit_error_per_round([*stats, extra, no_rounds])
    assert [f.decoder for f in fits] == ["pymatching", "tesseract"]
    assert fits[0].num_shots[2] == 15_000 and fits[0].num_errors[2] == stats[2].errors + 400
    assert fits[1].error_per_round.contains(0.03)
    assert len(caught) == 1 and "lacks key(s) ['rounds']" in str(caught[0].message)


def test_a_series_off_the_model_has_a_small_p_value():
    rng = np.random.default_rng(9)
    stats = series(rng, amplitude=0.95, eps=0.02, shots=100_000)
    stats[-1] = sinter.TaskStats(strong_id="off", decoder="pymatching", shots=100_000,
                                 errors=stats[-1].errors + 5000,
                                 json_metadata=stats[-1].json_metadata)  # fmt: skip
    (fit,) = analysis.fit_error_per_round(stats)
    assert fit.p_value < 1e-6 and fit.deviance > 40


def test_exported_from_qecsim_and_analysis():
    assert qecsim.fit_error_per_round is analysis.fit_error_per_round
    assert qecsim.ErrorPerRoundFit is analysis.ErrorPerRoundFit


def test_a_series_without_decay_gives_eps_zero_with_an_upper_bound():
    stats = [sinter.TaskStats(strong_id=str(r), decoder="m", shots=1000, errors=50,
                              json_metadata={"d": 3, "rounds": r}) for r in (1, 5, 10)]  # fmt: skip
    with pytest.warns(UserWarning, match=r"no decay resolved.*best eps = 0"):
        (fit,) = analysis.fit_error_per_round(stats)
    assert (fit.error_per_round.best, fit.error_per_round.low) == (0.0, 0.0)
    assert not fit.decay_resolved
    # the upper end: P(10) - P(1) ~ 9 A eps must stay within z = 3.72 standard deviations
    # of a difference of two binomial rates, 3.72 sqrt(2 * 0.05 * 0.95 / 1000) = 0.036, so
    # eps_high ~ 0.036 / (9 * 0.9) = 0.0045 (the model's other points move it a little)
    assert 0.003 < fit.error_per_round.high < 0.007
    assert fit.amplitude.contains(0.9)


def test_a_float_distance_still_gets_its_lambda():
    # Stores written by other tools may hold d = 5.0; the Lambda fits read it as 5.
    rng = np.random.default_rng(12)
    stats = series(rng, amplitude=0.9, eps=0.03, d=3.0, shots=50_000)
    stats += series(rng, amplitude=0.9, eps=0.015, d=5.0, shots=50_000)
    small, large = analysis.fit_error_per_round(stats)
    assert (small.distance, large.distance) == (3, 5)
    assert large.lambda_distances == (3, 5) and large.lambda_.contains(2.0)
    # a d that is not a number: no Lambda, and a warning that says so
    bad = [sinter.TaskStats(strong_id=s.strong_id, decoder=s.decoder, shots=s.shots,
                            errors=s.errors, json_metadata=s.json_metadata | {"d": "three"})
           for s in stats[: len(ROUNDS)]]  # fmt: skip
    with pytest.warns(UserWarning, match=r"d='three' is not an integer.*no Lambda"):
        (fit,) = analysis.fit_error_per_round(bad)
    assert fit.distance is None and fit.error_per_round.contains(0.03)


@pytest.mark.parametrize(
    ("errors", "reason"),
    [
        ([600] * 8, "at or above 1/2 at every rounds value"),
        ([500] * 8, "at or above 1/2 at every rounds value"),
        ([300, 250, 200, 150, 100, 80, 60, 50], "does not grow with the rounds"),
    ],
)
def test_degenerate_series_warn_that_no_decay_is_resolved(errors, reason):
    stats = [sinter.TaskStats(strong_id=str(r), decoder="m", shots=1000, errors=k,
                              json_metadata={"d": 3, "rounds": r})
             for r, k in zip(ROUNDS, errors, strict=True)]  # fmt: skip
    with pytest.warns(UserWarning, match=f"no decay resolved.*{reason}"):
        (fit,) = analysis.fit_error_per_round(stats)
    assert not fit.decay_resolved


def test_a_resolved_decay_does_not_warn():
    rng = np.random.default_rng(13)
    stats = series(rng, amplitude=0.95, eps=0.02, d=3) + series(rng, amplitude=0.95, eps=0.01, d=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fits = analysis.fit_error_per_round(stats)
    assert all(fit.decay_resolved for fit in fits) and fits[1].lambda_ is not None


def test_a_lambda_from_a_poor_fit_warns_with_its_p_value():
    rng = np.random.default_rng(14)
    stats = series(rng, amplitude=0.95, eps=0.02, d=3, shots=100_000)
    stats += series(rng, amplitude=0.95, eps=0.01, d=5, shots=100_000)
    stats[-1] = sinter.TaskStats(strong_id="off", decoder="pymatching", shots=100_000,
                                 errors=stats[-1].errors + 5000,
                                 json_metadata=stats[-1].json_metadata)  # fmt: skip
    with pytest.warns(UserWarning, match=r"Lambda_3/5 uses the fit at d = 5 .*p-value"):
        small, large = analysis.fit_error_per_round(stats)
    assert large.p_value < analysis.POOR_FIT_P_VALUE < small.p_value
    assert large.lambda_ is not None  # still computed, with the warning


def onset_series(*, shots=10**6, amplitude=0.97, ramp=(0.004, 0.01), eps=0.02, d=3):
    """Expected counts of a series whose error per round ramps up over the first rounds
    (``ramp``, e.g. leakage building up) to ``eps``:
    1 - 2 P(r) = A prod_(k <= r) (1 - 2 eps_k)."""
    per_round = [*ramp, *[eps] * max(ROUNDS)]
    stats = []
    for r in ROUNDS:
        fidelity = amplitude * np.prod([1 - 2 * e for e in per_round[:r]])
        stats.append(sinter.TaskStats(strong_id=f"{d}-{r}", decoder="pymatching", shots=shots,
                                      errors=round(shots * (1 - fidelity) / 2),
                                      json_metadata={"d": d, "rounds": r}))  # fmt: skip
    return stats


def test_a_non_exponential_onset_shows_as_a_above_1_and_exclude_rounds_removes_it():
    stats = onset_series()
    (everything,) = analysis.fit_error_per_round(stats)
    # the lower error of the first rounds pulls the extrapolation to r = 0 above 1, biases
    # eps low, and the model does not fit
    assert everything.amplitude.low > 1
    assert everything.error_per_round.high < 0.02
    assert everything.p_value < 1e-6
    # from round 2 on the decay is exponential: leaving round 1 out (the series has no
    # round 2) gives the steady-state eps exactly, and A of those rounds extrapolated back
    (steady,) = analysis.fit_error_per_round(stats, exclude_rounds=[1])
    assert steady.rounds == ROUNDS[1:]
    assert steady.error_per_round.best == pytest.approx(0.02, rel=1e-4)
    expected_amplitude = 0.97 * (1 - 0.008) * (1 - 0.02) / (1 - 0.04) ** 2
    assert steady.amplitude.best == pytest.approx(expected_amplitude, rel=1e-4)
    assert steady.p_value > 0.99


def test_exclude_rounds_is_checked_and_counts_against_min_rounds():
    stats = onset_series()
    with pytest.raises(qecsim.QecsimError, match=r"exclude_rounds=\['1'\] has '1'"):
        analysis.fit_error_per_round(stats, exclude_rounds=["1"])
    with pytest.raises(qecsim.QecsimError, match="exclude_rounds='1' is not a list of rounds"):
        analysis.fit_error_per_round(stats, exclude_rounds="1")
    (fit,) = analysis.fit_error_per_round(stats, exclude_rounds=1)
    assert 1 not in fit.rounds
    with pytest.raises(qecsim.QecsimError, match=r"got \[25\] \(exclude_rounds=\[1, 3"):
        analysis.fit_error_per_round(stats, exclude_rounds=ROUNDS[:-1])
