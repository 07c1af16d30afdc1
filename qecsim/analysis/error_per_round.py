"""Logical error per round from a rounds series: 1 - 2 P_L(r) = A (1 - 2 eps)^r.

A memory experiment run for several numbers of rounds r (same code, distance, noise,
decoder) separates the error per round ``eps`` from the error of state preparation and
measurement, which the amplitude ``A`` absorbs: the logical fidelity ``1 - 2 P_L(r)``
decays as ``A (1 - 2 eps)^r`` (Google Quantum AI, "Suppressing quantum errors by scaling
a surface code logical qubit", Nature 614, 676 (2023), Methods). Dividing a single run's
shot error rate over its rounds (:func:`qecsim.analysis.logical_error_per_round`) instead
charges preparation and measurement to the rounds.

**Fit: maximum likelihood with profile-likelihood intervals.** Each rounds value r_i
contributes its binomial count (k_i errors in n_i shots) with
``P_i = (1 - A (1 - 2 eps)^r_i) / 2``; (A, eps) maximise
``sum_i k_i ln P_i + (n_i - k_i) ln(1 - P_i)``. The interval of eps holds every value whose
profile likelihood (maximised over A) is at most ``max_likelihood_factor`` times below the
best, the same convention as sinter's and every other interval of :mod:`qecsim.analysis`
(by Wilks' theorem, factor F covers with the probability of ``|z| <= sqrt(2 ln F)``: 1000
gives 99.98 %, ``e^2`` gives 95.4 %). Why not least squares on ``ln(1 - 2 P)``: that needs
every ``P < 1/2``, gives points with no errors no weight, and its delta-method variances are
poor where ``1 - 2 P`` is small (long experiments, the points that pin down eps); the
binomial likelihood is exact at every point, and the profile interval needs no Gaussian
approximation of the estimate (it is asymmetric where the data are). The amplitude's
interval is the profile interval of A (maximised over eps). The fit does not widen its
intervals for scatter beyond binomial statistics (e.g. drift between runs); its
``deviance`` and ``p_value`` (chi-squared with ``len(rounds) - 2`` degrees of freedom) say
whether the model fits.

**The amplitude A.** For an exponential decay from the first round on, ``A <= 1`` is the
fidelity extrapolated to zero rounds: ``1 - A`` is what state preparation and the final
measurement add. ``A > 1`` cannot be a fidelity: it says the decay is not exponential from
the start, the first rounds having a lower error per round than later ones (their detectors
compare against the known initial state, and the noise has not reached its steady state,
e.g. leakage builds up). Google's Sycamore data (X basis, the 10,000-shot subset in
``qecsim/data``, pymatching with each folder's noise model) give A = 1.05 (d = 3) and 1.08
(d = 5); leaving round 1 out raises the d = 5 goodness of fit from p = 0.001 to 0.05, and A
stays above 1. Leave the first rounds out with ``exclude_rounds=`` (e.g. ``(1,)``) to fit
the steady-state decay; eps then describes the rounds a long memory experiment is made of.

**Warnings.** A fit that resolves no decay (eps compatible with 0, eps not bounded below
1/2, or a shot error rate at or above 1/2 everywhere, where A -> 0) warns, as its eps is an
upper bound at most; so does a Lambda computed from a fit whose p-value is below
:data:`POOR_FIT_P_VALUE` (the model does not describe that series, e.g. a non-exponential
onset, drift between runs).

**Lambda** between distances: each fit at distance d gets
``Lambda = (eps_d' / eps_d) ** (2 / (d - d'))`` against the largest smaller odd distance d'
among fits with the same decoder and other metadata (``eps_(d-2) / eps_d`` for consecutive
odd distances, Google's ``Lambda_(3/5) = eps_3 / eps_5``). The two fits are independent, so
its interval adds their profile intervals in quadrature in ``ln eps`` (each side with the
half-widths that make Lambda smaller, or larger). Even distances get none
(:data:`qecsim.analysis.EVEN_DISTANCE_REASON`).

Examples:
    >>> import sinter
    >>> def shots_failing(r):  # A = 0.96, eps = 0.02
    ...     return round(10**5 * (1 - 0.96 * (1 - 2 * 0.02) ** r) / 2)
    >>> stats = [sinter.TaskStats(strong_id=str(r), decoder="pymatching", shots=10**5,
    ...     errors=shots_failing(r), json_metadata={"d": 3, "rounds": r})
    ...     for r in (1, 5, 9, 13, 17, 21, 25)]
    >>> (fit,) = fit_error_per_round(stats)
    >>> print(fit)
    eps per round = 0.02 [0.0197, 0.0203], A = 0.96 [0.955, 0.965] (d = 3, rounds 1-25)
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sinter

from qecsim.analysis.estimate import Estimate
from qecsim.analysis.grouping import (
    GroupBy,
    _canonical,
    _describe_metadata,
    _each_group,
    _groups,
    _int_value,
    _leave_out_failures,
    _merge_task_stats,
    _metadata_of,
    _rounds_key,
    _shared_metadata,
)
from qecsim.analysis.rates import DEFAULT_MAX_LIKELIHOOD_FACTOR, _check_factor
from qecsim.errors import QecsimError, describe

__all__ = ["POOR_FIT_P_VALUE", "ErrorPerRoundFit", "fit_error_per_round"]

#: A Lambda computed from a fit with a goodness-of-fit p-value below this warns.
POOR_FIT_P_VALUE = 1e-3

# Keys that vary inside one rounds series.
_ROUNDS_VARYING = ("rounds", "r")
# eps is searched in [_EPS_MIN, 1/2): below this, 1 - 2 eps is 1 to double precision over
# any realistic number of rounds.
_EPS_MIN = 1e-12


@dataclass(frozen=True)
class ErrorPerRoundFit:
    """The fit ``1 - 2 P_L(r) = A (1 - 2 eps)^r`` of one rounds series (module docstring).

    Attributes:
        error_per_round: eps, the logical error per round, with its profile-likelihood
            interval.
        amplitude: A, the amplitude of the decay extrapolated to zero rounds, with its
            profile-likelihood interval: ``1 - A`` is the error of state preparation and
            measurement when A <= 1; A > 1 signals a non-exponential onset (module
            docstring; leave the first rounds out with ``exclude_rounds=``).
        metadata: The metadata all tasks of the series share (without rounds).
        decoder: The decoder's name.
        distance: Metadata ``d`` (None when absent).
        rounds: The distinct rounds values fitted, ascending.
        num_shots: Shots at each rounds value (tasks with equal rounds are pooled).
        num_errors: Logical errors at each rounds value.
        deviance: ``2 (ln L_saturated - ln L_fit)``, chi-squared with
            ``degrees_of_freedom`` when the model holds.
        degrees_of_freedom: ``len(rounds) - 2``.
        max_likelihood_factor: Width of the intervals (sinter's convention).
        lambda_: ``(eps_d' / eps_d) ** (2 / (d - d'))`` against the next smaller odd
            distance d' (None when there is none).
        lambda_distances: ``(d', d)`` of ``lambda_`` (None when there is none).
    """

    error_per_round: Estimate
    amplitude: Estimate
    metadata: dict = field(repr=False)
    decoder: str = ""
    distance: int | None = None
    rounds: tuple[int, ...] = ()
    num_shots: tuple[int, ...] = field(default=(), repr=False)
    num_errors: tuple[int, ...] = field(default=(), repr=False)
    deviance: float = 0.0
    degrees_of_freedom: int = 0
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR
    lambda_: Estimate | None = None
    lambda_distances: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.error_per_round.low <= self.error_per_round.high <= 0.5:
            raise QecsimError(f"error_per_round={self.error_per_round} is not within [0, 0.5]")
        if not len(self.rounds) == len(self.num_shots) == len(self.num_errors):
            raise QecsimError(
                f"rounds, num_shots and num_errors differ in length: {len(self.rounds)}, "
                f"{len(self.num_shots)}, {len(self.num_errors)}"
            )

    @property
    def decay_resolved(self) -> bool:
        """Whether the data resolve a decay: eps's interval excludes 0 and stays below 1/2.

        Examples:
            >>> ErrorPerRoundFit(Estimate(0.02, 0.019, 0.021), Estimate(0.96, 0.95, 0.97),
            ...     metadata={}).decay_resolved
            True
            >>> ErrorPerRoundFit(Estimate(0.0, 0.0, 0.001), Estimate(0.96, 0.95, 0.97),
            ...     metadata={}).decay_resolved
            False
        """
        eps = self.error_per_round
        return eps.low > 0 and eps.high < 0.5 * (1 - 1e-9)

    @property
    def p_value(self) -> float:
        """Probability of a deviance at least this large if the model holds (NaN: no dof).

        Examples:
            >>> fit = ErrorPerRoundFit(Estimate(0.02, 0.019, 0.021), Estimate(0.96, 0.95, 0.97),
            ...     metadata={}, deviance=3.0, degrees_of_freedom=3)
            >>> round(fit.p_value, 3)  # a deviance near its dof: the model fits
            0.392
        """
        if self.degrees_of_freedom < 1:
            return math.nan
        from scipy.stats import chi2

        return float(chi2.sf(self.deviance, self.degrees_of_freedom))

    def predict(self, rounds: float) -> float:
        """The fitted logical error per shot after ``rounds`` rounds (arrays work too).

        Examples:
            >>> fit = ErrorPerRoundFit(Estimate(0.02, 0.019, 0.021), Estimate(0.96, 0.95, 0.97),
            ...     metadata={})
            >>> round(fit.predict(10), 6)  # (1 - 0.96 * 0.96 ** 10) / 2
            0.18088
        """
        r = np.asarray(rounds, dtype=float)
        value = (1 - self.amplitude.best * (1 - 2 * self.error_per_round.best) ** r) / 2
        return float(value) if value.ndim == 0 else value

    def __str__(self) -> str:
        eps, amplitude = self.error_per_round, self.amplitude
        where = f"d = {self.distance}, " if self.distance is not None else ""
        text = (
            f"eps per round = {eps.best:.3g} [{eps.low:.3g}, {eps.high:.3g}], "
            f"A = {amplitude.best:.3g} [{amplitude.low:.3g}, {amplitude.high:.3g}] "
            f"({where}rounds {self.rounds[0]}-{self.rounds[-1]})"
        )
        if self.lambda_ is not None and self.lambda_distances is not None:
            low, high = self.lambda_distances
            text += f", Lambda_{low}/{high} = {self.lambda_}"
        return text


# ---------------------------------------------------------------------------------------------
# The likelihood


@dataclass(frozen=True)
class _Series:
    rounds: np.ndarray
    shots: np.ndarray
    errors: np.ndarray

    def log_likelihood(self, amplitude: float, eps: float) -> float:
        fidelity = amplitude * (1 - 2 * eps) ** self.rounds
        p = (1 - fidelity) / 2
        if np.any(p < 0) or np.any(p > 0.5):
            return -math.inf
        return _binomial_log_likelihood(p, self.shots, self.errors)

    def saturated(self) -> float:
        """ln L of a free P_i at every rounds value (the deviance's reference)."""
        return _binomial_log_likelihood(self.errors / self.shots, self.shots, self.errors)

    def rough_eps(self) -> float:
        """A starting point: least squares of ln(1 - 2 P) against r (points with P < 1/2)."""
        p = self.errors / self.shots
        usable = (p < 0.45) & (self.errors > 0)
        if np.count_nonzero(usable) < 2 or len(set(self.rounds[usable])) < 2:
            return 0.01
        slope = np.polyfit(self.rounds[usable], np.log1p(-2 * p[usable]), 1)[0]
        return float(min(max((1 - math.exp(slope)) / 2, 1e-6), 0.4))

    def amplitude_limit(self, eps: float) -> float:
        """The largest A with every P_i >= 0 at this eps."""
        return float(1 / np.max((1 - 2 * eps) ** self.rounds))

    def best_amplitude(self, eps: float) -> tuple[float, float]:
        """(A, ln L) maximising the likelihood over A at fixed eps (concave in A)."""
        from scipy.optimize import brentq

        decay = (1 - 2 * eps) ** self.rounds
        limit = self.amplitude_limit(eps)

        misses = self.shots - self.errors

        def slope(amplitude: float) -> float:  # d ln L / d A
            p = (1 - amplitude * decay) / 2
            return float(np.sum(-decay / 2 * (self.errors / p - misses / (1 - p))))

        low, high = 1e-12 * limit, limit * (1 - 1e-12)
        with np.errstate(divide="ignore", invalid="ignore"):
            if slope(low) <= 0:
                amplitude = low
            elif not slope(high) < 0:  # no error where P -> 0: the best A is at the limit
                amplitude = high
            else:
                amplitude = brentq(slope, low, high, xtol=1e-14 * limit, rtol=1e-13)
        return amplitude, self.log_likelihood(amplitude, eps)

    def best_eps(self, amplitude: float, guess: float) -> tuple[float, float]:
        """(eps, ln L) maximising the likelihood over eps at fixed A (search near guess)."""
        smallest = self.rounds.min()
        # every P_i >= 0 needs A (1 - 2 eps)^r_min <= 1
        floor = _EPS_MIN if amplitude <= 1 else (1 - amplitude ** (-1 / smallest)) / 2
        floor = max(floor * (1 + 1e-12), _EPS_MIN)
        return _maximise(lambda eps: self.log_likelihood(amplitude, eps), floor, 0.5, guess)


def _binomial_log_likelihood(p: np.ndarray, shots: np.ndarray, errors: np.ndarray) -> float:
    """sum k ln p + (n - k) ln(1 - p), with 0 ln 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        hits = np.where(errors > 0, errors * np.log(p), 0.0)
        misses = np.where(shots > errors, (shots - errors) * np.log1p(-p), 0.0)
    return float(np.sum(hits) + np.sum(misses))


def _maximise(function, low: float, high: float, guess: float) -> tuple[float, float]:
    """Maximum of a unimodal function of x in [low, high), by Brent's method on ln x.

    The search starts in a bracket of a factor e^2 around ``guess`` and widens it while the
    maximum sits on an edge of the bracket that is not an end of [low, high).
    """
    from scipy.optimize import minimize_scalar

    log_low, log_high = math.log(low), math.log(high * (1 - 1e-12))
    centre, width = math.log(min(max(guess, low), high * (1 - 1e-12))), 2.0
    while True:
        left, right = max(centre - width, log_low), min(centre + width, log_high)
        result = minimize_scalar(
            lambda t: -function(math.exp(t)),
            bounds=(left, right),
            method="bounded",
            options={"xatol": 1e-8},
        )
        at_left = result.x - left < 1e-6 and left > log_low
        at_right = right - result.x < 1e-6 and right < log_high
        if not (at_left or at_right):
            return math.exp(result.x), -float(result.fun)
        centre, width = result.x, width * 4


def _interval(profile, best: float, peak: float, low: float, high: float, drop: float):
    """Where ``profile`` falls ``drop`` below ``peak`` on each side of ``best`` (or the ends)."""
    from scipy.optimize import brentq

    level = peak - drop

    def side(end: float) -> float:
        if profile(end) >= level:
            return end
        return brentq(lambda x: profile(x) - level, min(end, best), max(end, best), rtol=1e-8)

    return side(low), side(high)


def _fit_series(series: _Series, max_likelihood_factor: float) -> tuple[Estimate, Estimate, float]:
    """(eps, A, ln L_max) with profile-likelihood intervals."""
    drop = math.log(max_likelihood_factor)
    eps_profile = lambda eps: series.best_amplitude(eps)[1]  # noqa: E731
    eps, peak = _maximise(eps_profile, _EPS_MIN, 0.5, series.rough_eps())
    amplitude, _ = series.best_amplitude(eps)
    eps_low, eps_high = _interval(eps_profile, eps, peak, _EPS_MIN, 0.5 * (1 - 1e-12), drop)
    amplitude_profile = lambda a: series.best_eps(a, eps)[1]  # noqa: E731
    top = amplitude
    for _ in range(200):  # the upper end of A is unbounded a priori: double until below
        if amplitude_profile(top) < peak - drop:
            break
        top *= 2
    else:  # pragma: no cover (a likelihood flat in A up to 2^200 A)
        top = math.inf
    if math.isinf(top):
        a_low, a_high = amplitude * 1e-9, math.inf
    else:
        a_low, a_high = _interval(amplitude_profile, amplitude, peak, amplitude * 1e-9, top, drop)
    if eps_profile(_EPS_MIN) >= peak - 1e-9:  # best at the lower end: no decay resolved
        eps = 0.0
    if eps_low <= _EPS_MIN * (1 + 1e-6):
        eps_low = 0.0
    return Estimate(eps, eps_low, eps_high), Estimate(amplitude, a_low, a_high), peak


# ---------------------------------------------------------------------------------------------
# Groups, Lambda


def _series_of(members: list[sinter.TaskStats], exclude: frozenset[int]) -> _Series:
    pooled: dict[int, list[int]] = {}
    for stat in members:
        rounds = _int_value(stat.json_metadata, _rounds_key(stat.json_metadata))
        if rounds in exclude:
            continue
        counts = pooled.setdefault(rounds, [0, 0])
        counts[0] += stat.shots - stat.discards
        counts[1] += stat.errors
    rounds = sorted(pooled)
    return _Series(
        rounds=np.array(rounds, dtype=float),
        shots=np.array([pooled[r][0] for r in rounds], dtype=float),
        errors=np.array([pooled[r][1] for r in rounds], dtype=float),
    )


def _distance(metadata: dict) -> int | None:
    """Metadata ``d`` as an integer, read as the Lambda fits read it (``5.0`` is 5); None
    (with a warning: no Lambda) when it is absent or not an integer."""
    if "d" not in metadata:
        return None
    try:
        return _int_value(metadata, "d")
    except QecsimError as error:
        warnings.warn(
            f"fit_error_per_round: {error}: no Lambda for {_describe_metadata(metadata)}",
            UserWarning,
            stacklevel=6,
        )
        return None


def _warn_unresolved(fit: ErrorPerRoundFit) -> None:
    """One warning when the fit resolves no decay (its eps is an upper bound at most)."""
    if fit.decay_resolved:
        return
    eps, amplitude = fit.error_per_round, fit.amplitude
    advice = "collect more shots or more rounds values"
    if amplitude.best < 1e-6:
        why = (
            f"the logical error per shot is at or above 1/2 at every rounds value (A = "
            f"{amplitude.best:.3g}): eps is not determined"
        )
        advice = "the series is saturated: run fewer rounds"
    elif eps.best == 0:
        why = (
            "the logical error does not grow with the rounds (best eps = 0): only the upper "
            f"end eps <= {eps.high:.3g} is meaningful"
        )
    elif eps.low == 0:
        why = f"eps = {eps.best:.3g} is compatible with 0 (interval [0, {eps.high:.3g}])"
    else:
        why = f"eps's interval [{eps.low:.3g}, {eps.high:.3g}] reaches 1/2"
    warnings.warn(
        f"fit_error_per_round: no decay resolved for {_describe_metadata(fit.metadata)} "
        f"(decoder {fit.decoder}, rounds {list(fit.rounds)}): {why}; {advice}",
        UserWarning,
        stacklevel=6,
    )


def _fit_group(
    members, *, min_rounds: int, max_likelihood_factor: float, exclude: frozenset[int]
) -> ErrorPerRoundFit:
    metadata = _shared_metadata([m.json_metadata for m in members], _ROUNDS_VARYING)
    series = _series_of(members, exclude)
    if len(series.rounds) < min_rounds:
        left_out = f" (exclude_rounds={sorted(exclude)} left out)" if exclude else ""
        raise QecsimError(
            f"fit_error_per_round needs >= {min_rounds} distinct rounds values (min_rounds); "
            f"got {[int(r) for r in series.rounds]}{left_out} for {_describe_metadata(metadata)}"
        )
    if np.any(series.shots < 1):
        raise QecsimError(f"a rounds value has no shots for {_describe_metadata(metadata)}")
    eps, amplitude, peak = _fit_series(series, max_likelihood_factor)
    fit = ErrorPerRoundFit(
        error_per_round=eps,
        amplitude=amplitude,
        metadata=metadata,
        decoder=members[0].decoder,
        distance=_distance(metadata),
        rounds=tuple(int(r) for r in series.rounds),
        num_shots=tuple(int(n) for n in series.shots),
        num_errors=tuple(int(k) for k in series.errors),
        deviance=max(0.0, 2 * (series.saturated() - peak)),
        degrees_of_freedom=len(series.rounds) - 2,
        max_likelihood_factor=float(max_likelihood_factor),
    )
    _warn_unresolved(fit)
    return fit


def _with_lambdas(fits: list[ErrorPerRoundFit]) -> list[ErrorPerRoundFit]:
    """Each fit with Lambda against the largest smaller odd distance of its family."""
    import dataclasses

    families: dict[tuple, list[ErrorPerRoundFit]] = {}
    for fit in fits:
        if fit.distance is not None and fit.distance % 2 == 1:
            rest = tuple(sorted((k, _canonical(v)) for k, v in fit.metadata.items() if k != "d"))
            families.setdefault((fit.decoder, rest), []).append(fit)
    replaced: dict[int, ErrorPerRoundFit] = {}
    for family in families.values():
        family.sort(key=lambda f: f.distance)
        for smaller, larger in itertools.pairwise(family):
            if smaller.distance == larger.distance:
                continue
            estimate = _lambda(smaller.error_per_round, larger.error_per_round)
            if estimate is None:
                continue
            power = 2 / (larger.distance - smaller.distance)
            estimate = Estimate(estimate.best**power, estimate.low**power, estimate.high**power)
            _warn_about_poor_fits(smaller, larger)
            replaced[id(larger)] = dataclasses.replace(
                larger, lambda_=estimate, lambda_distances=(smaller.distance, larger.distance)
            )
    return [replaced.get(id(fit), fit) for fit in fits]


def _warn_about_poor_fits(smaller: ErrorPerRoundFit, larger: ErrorPerRoundFit) -> None:
    """A Lambda from a fit that the model does not describe warns (p-value below
    :data:`POOR_FIT_P_VALUE`)."""
    for fit in (smaller, larger):
        if fit.p_value < POOR_FIT_P_VALUE:  # NaN (no dof) compares False
            warnings.warn(
                f"fit_error_per_round: Lambda_{smaller.distance}/{larger.distance} uses the fit "
                f"at d = {fit.distance} whose goodness of fit is poor (deviance "
                f"{fit.deviance:.3g} on {fit.degrees_of_freedom} dof, p-value "
                f"{fit.p_value:.2g} < {POOR_FIT_P_VALUE:g}): A (1 - 2 eps)^r does not describe "
                f"its series (rounds {list(fit.rounds)}; a non-exponential onset? try "
                "exclude_rounds= with the first rounds), so its eps and this Lambda are "
                "doubtful",
                UserWarning,
                stacklevel=4,
            )


def _lambda(smaller: Estimate, larger: Estimate) -> Estimate | None:
    """eps_small / eps_large; ln-scale half-widths of independent intervals in quadrature
    (both intervals have the same likelihood factor, so their sum has it too)."""
    if min(smaller.best, larger.best) <= 0:
        return None

    def half(value: float, end: float) -> float:
        return abs(math.log(value) - math.log(end)) if end > 0 else math.inf

    down = math.hypot(half(smaller.best, smaller.low), half(larger.best, larger.high))
    up = math.hypot(half(smaller.best, smaller.high), half(larger.best, larger.low))
    best = math.log(smaller.best / larger.best)
    return Estimate(math.exp(best), math.exp(best - down), math.exp(best + up))


def _excluded_rounds(exclude_rounds: Any) -> frozenset[int]:
    if isinstance(exclude_rounds, (int, np.integer)) and not isinstance(exclude_rounds, bool):
        exclude_rounds = (exclude_rounds,)
    if isinstance(exclude_rounds, (str, bytes)) or not isinstance(exclude_rounds, Iterable):
        raise QecsimError(f"exclude_rounds={describe(exclude_rounds)} is not a list of rounds")
    values = list(exclude_rounds)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise QecsimError(
                f"exclude_rounds={describe(values)} has {value!r}, not an integer >= 1"
            )
    return frozenset(int(value) for value in values)


def fit_error_per_round(
    stats: Iterable[sinter.TaskStats],
    *,
    min_rounds: int = 3,
    group_by: GroupBy = None,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
    exclude_rounds: Iterable[int] = (),
) -> tuple[ErrorPerRoundFit, ...]:
    """Fit ``1 - 2 P_L(r) = A (1 - 2 eps)^r`` to each rounds series, with Lambda between them.

    Statistics are grouped by decoder and every metadata key except the rounds (``rounds``,
    or sinter's ``r``): each group is one experiment run for several numbers of rounds.
    Tasks of a group with equal rounds are pooled. The fit and its intervals are described in
    the module docstring (maximum likelihood; profile-likelihood intervals).

    Args:
        stats: sinter statistics (simulated, or decoded measured shots); metadata needs the
            rounds and, for Lambda, ``d``.
        min_rounds: The fewest distinct rounds values a group needs (>= 2). Two determine A
            and eps exactly (no check of the model); the default 3 leaves at least one degree
            of freedom for the goodness of fit. Groups with fewer are left out with a warning.
        group_by: Metadata keys to group by, or a function of the metadata returning a
            hashable key (default: every key except the rounds). The decoder always
            separates groups.
        max_likelihood_factor: Width of the intervals (default 1000, sinter's).
        exclude_rounds: Rounds values left out of every series, e.g. ``(1,)`` or ``(1, 3)``
            to fit the steady-state decay after a non-exponential onset (A > 1: module
            docstring). ``min_rounds`` counts the rounds values that remain.

    Returns:
        One :class:`ErrorPerRoundFit` per group, sorted by decoder and metadata.

    Raises:
        QecsimError: ``stats`` is empty or not statistics, ``min_rounds``,
            ``max_likelihood_factor`` or ``exclude_rounds`` is out of range, or no group can
            be fitted (the first group's reason).

    Warns:
        UserWarning: One per group left out (tasks without rounds, fewer than ``min_rounds``
            distinct rounds values), per fit that resolves no decay, per Lambda computed
            from a fit with a p-value below :data:`POOR_FIT_P_VALUE`, and per group whose
            ``d`` is not an integer (no Lambda).

    Examples:
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}-{r}", decoder="pymatching", shots=10**6,
        ...     errors=round(10**6 * (1 - 0.9 * (1 - 2 * eps) ** r) / 2),
        ...     json_metadata={"d": d, "rounds": r})
        ...     for d, eps in ((3, 0.02), (5, 0.01)) for r in (2, 10, 20)]
        >>> fits = fit_error_per_round(stats)
        >>> [round(fit.error_per_round.best, 4) for fit in fits], str(fits[1].lambda_)
        ([0.02, 0.01], '2 [1.97, 2.03]')
        >>> fits = fit_error_per_round(stats, exclude_rounds=[2], min_rounds=2)
        >>> fits[0].rounds, round(fits[0].error_per_round.best, 4)
        ((10, 20), 0.02)
    """
    _check_factor(max_likelihood_factor)
    if isinstance(min_rounds, bool) or not isinstance(min_rounds, int) or min_rounds < 2:
        raise QecsimError(
            f"min_rounds={min_rounds!r} is not an integer >= 2 (A and eps need two rounds values)"
        )
    exclude = _excluded_rounds(exclude_rounds)
    merged = _merge_task_stats(stats, what="stats")

    def usable(stat: sinter.TaskStats) -> sinter.TaskStats:
        metadata = _metadata_of(stat, (_rounds_key(stat.json_metadata),))
        _int_value(metadata, _rounds_key(metadata))
        return stat

    kept = _leave_out_failures(merged, usable, what="fit_error_per_round")
    groups = _groups(kept, _ROUNDS_VARYING, group_by)
    fits = _each_group(
        groups,
        lambda members: _fit_group(
            members,
            min_rounds=min_rounds,
            max_likelihood_factor=max_likelihood_factor,
            exclude=exclude,
        ),
        what="fit_error_per_round",
    )
    return tuple(_with_lambdas(fits))
