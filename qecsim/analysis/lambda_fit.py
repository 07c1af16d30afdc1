"""Lambda, the factor by which the logical error per round drops when d grows by 2.

The model is ``eps_d = C / Lambda ** ((d + 1) / 2)``, fitted by weighted least squares to the
per-round rates of :mod:`qecsim.analysis.rates`, one fit per group of statistics
(:mod:`qecsim.analysis.grouping`).

**Odd distances only.** Lambda = eps_d / eps_(d+2) compares odd distances. At an even
distance d a logical error needs d/2 faults (a tie the decoder loses half the time), as at
d - 1, so eps_d does not lie on the line through the odd distances. Sweeps of even
distances are fine; a Lambda fit leaves their points out with a warning and refuses when
fewer than two odd distances remain. :func:`lambda_distances` makes the same check for
other users of Lambda (e.g. an error budget's 1/Lambda).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import sinter

from qecsim.analysis.grouping import (
    _LAMBDA_VARYING,
    GroupBy,
    _describe_groups,
    _describe_metadata,
    _each_group,
    _groups,
    _shared_metadata,
)
from qecsim.analysis.rates import (
    DEFAULT_MAX_LIKELIHOOD_FACTOR,
    LogicalErrorPerRound,
    _as_per_round,
    _check_factor,
    per_round_log_slope,
    sigma_equivalent,
)
from qecsim.errors import QecsimError

__all__ = [
    "EVEN_DISTANCE_REASON",
    "LambdaDistances",
    "LambdaFit",
    "fit_lambda",
    "fit_lambdas",
    "lambda_distances",
]

#: Why Lambda fits (and 1/Lambda) leave even distances out.
EVEN_DISTANCE_REASON = (
    "Lambda = eps_d / eps_(d+2) compares odd distances: at an even distance d a logical error "
    "needs d/2 faults, as at d - 1, so eps_d is off the line eps_d = C / Lambda^((d+1)/2)"
)


@dataclass(frozen=True)
class LambdaDistances:
    """Which distances a Lambda fit can use (the odd ones), and why the others are left out.

    Attributes:
        usable: The distinct odd distances, sorted.
        even: The distinct even distances, sorted (left out).
    """

    usable: tuple[int, ...]
    even: tuple[int, ...]

    @property
    def enough(self) -> bool:
        """Whether at least two odd distances remain (what a Lambda needs)."""
        return len(self.usable) >= 2

    @property
    def reason(self) -> str:
        """Why ``even`` is left out (empty when nothing is), for a warning or an error."""
        if not self.even:
            return ""
        listed = ", ".join(str(d) for d in self.even)
        return f"even distance(s) d = {listed} left out: {EVEN_DISTANCE_REASON}"


def lambda_distances(distances: Iterable[int]) -> LambdaDistances:
    """Split distances into those a Lambda (or 1/Lambda) can use and the even ones.

    Args:
        distances: Code distances (repeats are fine).

    Returns:
        The :class:`LambdaDistances`; its ``reason`` is the text to warn or refuse with.

    Raises:
        QecsimError: A distance is not an integer >= 1.

    Examples:
        >>> check = lambda_distances([3, 4, 5, 5])
        >>> check.usable, check.even, check.enough
        ((3, 5), (4,), True)
        >>> check.reason.split(":")[0]
        'even distance(s) d = 4 left out'
        >>> lambda_distances([3, 4]).enough
        False
    """
    values = set()
    for distance in distances:
        if isinstance(distance, bool) or not isinstance(distance, (int, np.integer)):
            raise QecsimError(f"distance={distance!r} is not an integer >= 1")
        if distance < 1:
            raise QecsimError(f"distance={distance!r} is not an integer >= 1")
        values.add(int(distance))
    return LambdaDistances(
        usable=tuple(sorted(d for d in values if d % 2)),
        even=tuple(sorted(d for d in values if d % 2 == 0)),
    )


@dataclass(frozen=True)
class LambdaFit:
    """The error-suppression factor Lambda from per-round logical error rates across distances.

    The model is ``eps_d = C / Lambda ** ((d + 1) / 2)``, i.e. the straight line
    ``ln eps_d = intercept - ln(Lambda) * (d + 1) / 2``, fitted by weighted least squares.

    Attributes:
        best: Lambda (the fitted ``exp(-slope)``).
        low: Lower end of Lambda's interval.
        high: Upper end of Lambda's interval.
        intercept: ``ln C`` (so ``eps_d = exp(intercept) / Lambda ** ((d + 1) / 2)``).
        covariance: Covariance of (intercept, ln Lambda), after the chi-squared scaling.
        chi_squared: Weighted sum of squared residuals of the fit.
        degrees_of_freedom: Points used minus 2.
        distances: The distances of the points used.
        metadata: The metadata all points share (without ``d`` and ``rounds``).
        decoder: The decoder's name.
        points: The per-round rates used in the fit.
        excluded: Per-round rates left out (no errors, a shot error rate >= 0.5, or an even
            distance: see :func:`lambda_distances`).
        max_likelihood_factor: Width of the interval (``z = sqrt(2 ln F)`` standard deviations).
    """

    best: float
    low: float
    high: float
    intercept: float
    covariance: tuple[tuple[float, float], tuple[float, float]] = field(repr=False)
    chi_squared: float
    degrees_of_freedom: int
    distances: tuple[int, ...]
    metadata: dict = field(repr=False)
    decoder: str = ""
    points: tuple[LogicalErrorPerRound, ...] = field(default=(), repr=False)
    excluded: tuple[LogicalErrorPerRound, ...] = field(default=(), repr=False)
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR

    def __post_init__(self) -> None:
        if not 0 < self.low <= self.best <= self.high:
            raise QecsimError(
                f"low={self.low}, best={self.best}, high={self.high} "
                "are not 0 < low <= best <= high"
            )
        if len(set(self.distances)) < 2:
            raise QecsimError(f"distances={self.distances} has fewer than 2 distinct distances")

    @property
    def prefactor(self) -> float:
        """``C = exp(intercept)`` in ``eps_d = C / Lambda ** ((d + 1) / 2)``.

        Examples:
            >>> fit = LambdaFit(best=2.0, low=1.9, high=2.1, intercept=math.log(0.1),
            ...     covariance=((0.0, 0.0), (0.0, 0.0)), chi_squared=0.0,
            ...     degrees_of_freedom=0, distances=(3, 5), metadata={})
            >>> round(fit.prefactor, 6)
            0.1
        """
        return math.exp(self.intercept)

    def predict(self, distance: float) -> float:
        """The fitted logical error per round at a distance.

        Args:
            distance: Code distance (any positive number; arrays work too).

        Returns:
            ``exp(intercept) / Lambda ** ((distance + 1) / 2)``.

        Examples:
            >>> fit = LambdaFit(best=2.0, low=1.9, high=2.1, intercept=math.log(0.1),
            ...     covariance=((0.0, 0.0), (0.0, 0.0)), chi_squared=0.0,
            ...     degrees_of_freedom=0, distances=(3, 5), metadata={})
            >>> round(fit.predict(3), 6)
            0.025
        """
        x = (np.asarray(distance, dtype=float) + 1) / 2
        value = np.exp(self.intercept - math.log(self.best) * x)
        return float(value) if value.ndim == 0 else value

    def predict_interval(self, distance: float) -> sinter.Fit:
        """The fitted logical error per round at a distance, with its confidence interval.

        The interval propagates the covariance of (intercept, ln Lambda), so it is narrowest
        near the fitted distances and widens when extrapolating.

        Args:
            distance: Code distance (arrays work too).

        Returns:
            ``sinter.Fit(low, best, high)``.

        Examples:
            >>> fit = LambdaFit(best=2.0, low=1.9, high=2.1, intercept=math.log(0.1),
            ...     covariance=((0.0, 0.0), (0.0, 0.0)), chi_squared=0.0,
            ...     degrees_of_freedom=0, distances=(3, 5), metadata={})
            >>> round(fit.predict_interval(3).high, 6)
            0.025
        """
        x = (np.asarray(distance, dtype=float) + 1) / 2
        (var_a, cov), (_, var_b) = self.covariance
        sigma = np.sqrt(np.maximum(var_a + x * x * var_b - 2 * x * cov, 0.0))
        log_best = self.intercept - math.log(self.best) * x
        z = sigma_equivalent(self.max_likelihood_factor)
        low, high = np.exp(log_best - z * sigma), np.exp(log_best + z * sigma)
        best = np.exp(log_best)
        if np.ndim(best) == 0:
            return sinter.Fit(low=float(low), best=float(best), high=float(high))
        return sinter.Fit(low=low, best=best, high=high)

    def __str__(self) -> str:
        distances = ", ".join(str(d) for d in sorted(set(self.distances)))
        return f"Lambda = {self.best:.3g} [{self.low:.3g}, {self.high:.3g}] (d = {distances})"


def _log_sigma(result: LogicalErrorPerRound) -> float:
    """Standard deviation of ln(eps) by the delta method on the binomial count."""
    sigma_log_shot = math.sqrt((1 - result.shot_error_rate) / result.num_errors)
    return sigma_log_shot * per_round_log_slope(result.shot_error_rate, rounds=result.rounds)


def _fit_one_lambda(
    results: list[LogicalErrorPerRound], max_likelihood_factor: float, metadata: dict
) -> LambdaFit:
    check = lambda_distances(r.distance for r in results)
    used, excluded = [], []
    for result in results:
        informative = result.num_errors > 0 and result.shot_error_rate < 0.5
        odd = result.distance % 2 == 1
        (used if informative and odd else excluded).append(result)
    distances = sorted({r.distance for r in used})
    if len(distances) < 2:
        all_distances = sorted({r.distance for r in results})
        even = f"; {check.reason}" if check.even else ""
        raise QecsimError(
            f"fit_lambda needs logical errors at >= 2 distances; distances with errors "
            f"(and shot error rate < 0.5) are {distances} of {all_distances} for "
            f"{_describe_metadata(metadata)}{even}"
        )
    if check.even:
        warnings.warn(
            f"Lambda fit for {_describe_metadata(metadata)}: {check.reason}",
            UserWarning,
            stacklevel=5,
        )
    x = np.array([(r.distance + 1) / 2 for r in used])
    y = np.array([math.log(r.best) for r in used])
    weights = np.array([1 / _log_sigma(r) ** 2 for r in used])
    design = np.stack([np.ones_like(x), x], axis=1)
    normal = design.T @ (weights[:, None] * design)
    covariance = np.linalg.inv(normal)
    intercept, slope = covariance @ (design.T @ (weights * y))
    chi_squared = float(np.sum(weights * (y - intercept - slope * x) ** 2))
    dof = len(used) - 2
    if dof > 0 and chi_squared / dof > 1:
        covariance = covariance * (chi_squared / dof)  # Birge ratio: scatter beyond statistics
    sigma_log_lambda = math.sqrt(covariance[1, 1])
    log_lambda = -float(slope)
    z = sigma_equivalent(max_likelihood_factor)
    return LambdaFit(
        best=math.exp(log_lambda),
        low=math.exp(log_lambda - z * sigma_log_lambda),
        high=math.exp(log_lambda + z * sigma_log_lambda),
        intercept=float(intercept),
        covariance=(
            (float(covariance[0, 0]), -float(covariance[0, 1])),
            (-float(covariance[1, 0]), float(covariance[1, 1])),
        ),
        chi_squared=chi_squared,
        degrees_of_freedom=dof,
        distances=tuple(r.distance for r in used),
        metadata=metadata,
        decoder=used[0].decoder,
        points=tuple(used),
        excluded=tuple(excluded),
        max_likelihood_factor=float(max_likelihood_factor),
    )


def fit_lambdas(
    stats: Iterable[sinter.TaskStats] | Iterable[LogicalErrorPerRound],
    *,
    group_by: GroupBy = None,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
) -> tuple[LambdaFit, ...]:
    """One Lambda fit per group of statistics (e.g. per noise model and p).

    Args:
        stats: sinter statistics or results of :func:`logical_error_per_round`.
        group_by: Metadata keys to group by, or a function of the metadata returning a
            hashable key; default: every key except ``d`` and ``rounds``. The decoder always
            separates groups.
        max_likelihood_factor: Width of the intervals (see the module docstring).

    Returns:
        One :class:`LambdaFit` per group, sorted by decoder and metadata.

    Raises:
        QecsimError: ``stats`` is empty or not statistics, or no group can be fitted (the
            first group's reason; see :func:`fit_lambda`).

    Warns:
        UserWarning: One per group that cannot be fitted (fewer than 2 odd distances with
            errors, tasks without ``rounds``, ...), which is left out; one per group with
            even distances (left out of its fit, with the reason).

    Examples:
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}-{p}", decoder="pymatching", shots=10**5,
        ...     errors=int(10**5 * 0.2 * (p / 0.01) ** ((d + 1) / 2)),
        ...     json_metadata={"d": d, "rounds": 1, "p": p})
        ...     for d in (3, 5) for p in (1e-3, 2e-3)]
        >>> [round(fit.best) for fit in fit_lambdas(stats)]
        [10, 5]
    """
    _check_factor(max_likelihood_factor)
    results = _as_per_round(stats, max_likelihood_factor, "stats")

    def fit(members: list[LogicalErrorPerRound]) -> LambdaFit:
        metadata = _shared_metadata([m.metadata for m in members], _LAMBDA_VARYING)
        return _fit_one_lambda(members, max_likelihood_factor, metadata)

    groups = _groups(results, _LAMBDA_VARYING, group_by)
    return tuple(_each_group(groups, fit, what="fit_lambdas"))


def fit_lambda(
    stats: Iterable[sinter.TaskStats] | Iterable[LogicalErrorPerRound],
    *,
    group_by: GroupBy = None,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
) -> LambdaFit:
    """Fit Lambda, the factor by which the logical error per round drops when d grows by 2.

    The per-round rates ``eps_d`` (:func:`logical_error_per_round`) are fitted with
    ``ln eps_d = intercept - ln(Lambda) (d + 1) / 2`` by weighted least squares; each point's
    weight is ``1 / sigma^2`` with ``sigma`` the delta-method standard deviation of
    ``ln eps_d`` from its binomial count (``sqrt((1 - P) / errors)`` times
    ``d ln eps / d ln P``), so points need a handful of errors each (>= 10 is comfortable).
    Points with no errors, with a shot error rate >= 0.5, or at an even distance
    (:data:`EVEN_DISTANCE_REASON`; with a warning) are left out (listed in ``excluded``).
    The interval is ``exp(ln Lambda +- z sigma)`` with ``sigma`` from the fit
    covariance, scaled up by ``chi^2 / dof`` when that exceeds 1 (scatter beyond the counting
    statistics, e.g. d = 3 off the line), and ``z = sqrt(2 ln max_likelihood_factor)``.
    Several tasks at one distance (e.g. different ``rounds``) are all used.

    Args:
        stats: sinter statistics or results of :func:`logical_error_per_round`; all in one
            group (same decoder and metadata other than ``d``/``rounds``), else use
            :func:`fit_lambdas` or ``group_by``.
        group_by: See :func:`fit_lambdas`.
        max_likelihood_factor: Width of the interval (default 1000: z = 3.72).

    Returns:
        The :class:`LambdaFit`.

    Raises:
        QecsimError: ``stats`` is empty, lacks metadata keys, spans several groups, or has
            errors at fewer than 2 odd distances.

    Warns:
        UserWarning: The group has even distances (left out, with the reason).

    Examples:
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=str(d), decoder="pymatching", shots=10**6,
        ...     errors=errors, json_metadata={"d": d, "rounds": 1, "p": 0.01})
        ...     for d, errors in [(3, 40_000), (5, 10_000)]]
        >>> fit = fit_lambda(stats)
        >>> round(fit.best, 2), round(fit.predict(5), 4)
        (4.0, 0.01)
    """
    fits_input = _as_per_round(stats, max_likelihood_factor, "stats")
    groups = _groups(fits_input, _LAMBDA_VARYING, group_by)
    if len(groups) > 1:
        raise QecsimError(
            f"stats span {len(groups)} groups (metadata other than d/rounds differ); "
            f"{_describe_groups(groups, _LAMBDA_VARYING)}; use fit_lambdas(stats) or filter "
            "the stats"
        )
    (fit,) = fit_lambdas(fits_input, group_by=group_by, max_likelihood_factor=max_likelihood_factor)
    return fit
