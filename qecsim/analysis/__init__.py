"""Analysis of sinter statistics: logical error per round, Lambda, threshold, footprint.

Every function reads ``sinter.TaskStats`` (as returned by ``qecsim.collect`` or
``sinter.read_stats_from_csv_files``) whose ``json_metadata`` holds at least ``d`` (code
distance) and ``rounds``, and for thresholds ``p`` (the physical error rate); the other keys
(``code``, ``basis``, ``noise``, scale factors, ...) and the decoder tell experiments apart.

**Confidence intervals.** All intervals follow sinter's convention: a hypothesis is inside
the interval when it is at most ``max_likelihood_factor`` times less likely than the best
one. The default, ``max_likelihood_factor=1000``, is the band that ``sinter plot`` and
``sinter.plot_error_rate`` highlight. Where an interval comes from a Gaussian approximation
(the Lambda fit, the threshold bootstrap, the footprint), a factor ``F`` is turned into
``z = sqrt(2 ln F)`` standard deviations (Wilks), so 1000 means z = 3.72 (coverage 99.98 %)
and ``math.exp(2)`` means z = 2 (95.4 %).

**Grouping.** Lambda fits group the statistics by decoder and by every metadata key except
``d`` and ``rounds``; thresholds by decoder and every key except ``d``, ``rounds`` and ``p``.
``group_by`` overrides this with a list of metadata keys or a function of the metadata.

Examples:
    >>> import sinter
    >>> from qecsim import analysis
    >>> stats = [
    ...     sinter.TaskStats(strong_id=f"d{d}", decoder="pymatching", shots=10**6, errors=errors,
    ...         json_metadata={"code": "rotated_surface_code", "basis": "Z", "d": d,
    ...                        "rounds": d, "noise": "si1000", "p": 1e-3})
    ...     for d, errors in [(3, 9000), (5, 3000), (7, 900)]]
    >>> fit = analysis.fit_lambda(stats)
    >>> print(fit)
    Lambda = 4.91 [4.55, 5.29] (d = 3, 5, 7)
    >>> print(analysis.footprint(fit))
    per-round error <= 1e-12: d = 31 [31, 33], 1921 qubits [1921, 2177]
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sinter

from qecsim.errors import QecsimError

__all__ = [
    "DEFAULT_MAX_LIKELIHOOD_FACTOR",
    "QUBITS_PER_CODE",
    "Footprint",
    "LambdaFit",
    "LogicalErrorPerRound",
    "Threshold",
    "distinguishing_keys",
    "estimate_threshold",
    "estimate_thresholds",
    "fit_lambda",
    "fit_lambdas",
    "footprint",
    "group_statistics",
    "logical_error_per_round",
    "per_round_error_rate",
    "per_round_log_slope",
    "sigma_equivalent",
]

#: sinter's plotting default: hypotheses up to 1000x less likely than the best are inside.
DEFAULT_MAX_LIKELIHOOD_FACTOR = 1000.0

#: Physical qubits (data + measure) of one logical qubit of each code at distance d.
QUBITS_PER_CODE: dict[str, Callable[[int], int]] = {
    "rotated_surface_code": lambda d: 2 * d * d - 1,
    "repetition_code": lambda d: 2 * d - 1,
}

# Metadata keys that vary inside one Lambda fit / one threshold estimate.
_LAMBDA_VARYING = ("d", "rounds")
_THRESHOLD_VARYING = ("d", "rounds", "p")

GroupBy = Sequence[str] | Callable[[dict], Hashable] | None


def sigma_equivalent(max_likelihood_factor: float) -> float:
    """Standard deviations a likelihood-ratio interval of the given factor corresponds to.

    Args:
        max_likelihood_factor: sinter's factor F (>= 1).

    Returns:
        ``sqrt(2 ln F)``.

    Raises:
        QecsimError: F < 1.

    Examples:
        >>> round(sigma_equivalent(1000), 3)
        3.717
        >>> sigma_equivalent(math.exp(2))
        2.0
    """
    _check_factor(max_likelihood_factor)
    return math.sqrt(2 * math.log(max_likelihood_factor))


def _check_factor(max_likelihood_factor: float) -> None:
    if not (isinstance(max_likelihood_factor, (int, float)) and max_likelihood_factor >= 1):
        raise QecsimError(f"max_likelihood_factor={max_likelihood_factor!r} is not in [1, inf)")


# ---------------------------------------------------------------------------------------------
# Input handling


def _metadata_of(stat: sinter.TaskStats, required: Sequence[str]) -> dict:
    metadata = stat.json_metadata
    if not isinstance(metadata, dict):
        raise QecsimError(
            f"TaskStats strong_id={stat.strong_id[:16]!r} has json_metadata={metadata!r}; "
            f"expected a dict with keys {list(required)}"
        )
    missing = [key for key in required if key not in metadata]
    if missing:
        raise QecsimError(
            f"TaskStats strong_id={stat.strong_id[:16]!r} json_metadata lacks key(s) {missing} "
            f"(it has {sorted(metadata)}); this analysis needs {list(required)}"
        )
    return metadata


def _int_value(metadata: dict, key: str, lowest: int = 1) -> int:
    value = metadata[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise QecsimError(f"json_metadata {key}={value!r} is not an integer >= {lowest}")
    if value < lowest:
        raise QecsimError(f"json_metadata {key}={value!r} is not an integer >= {lowest}")
    return int(value)


def _p_value(metadata: dict, required: bool) -> float | None:
    if "p" not in metadata or metadata["p"] is None:
        if required:
            raise QecsimError(f"json_metadata has no 'p' (it has {sorted(metadata)})")
        return None
    value = metadata["p"]
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise QecsimError(f"json_metadata p={value!r} is not a number in (0, 1]") from None
    if required and not 0 < value <= 1:
        raise QecsimError(f"json_metadata p={value!r} is not in (0, 1]")
    return value


def _merge_task_stats(stats: Iterable[Any], *, what: str) -> list[sinter.TaskStats]:
    """Materialize, type-check, and add up repeated rows of the same task."""
    if isinstance(stats, sinter.TaskStats):
        stats = [stats]
    merged: dict[tuple[str, str], sinter.TaskStats] = {}
    for index, stat in enumerate(stats):
        if not isinstance(stat, sinter.TaskStats):
            raise QecsimError(
                f"{what}[{index}] is a {type(stat).__name__}; expected sinter.TaskStats"
            )
        key = (stat.strong_id, stat.decoder)
        merged[key] = merged[key] + stat if key in merged else stat
    if not merged:
        raise QecsimError(f"{what} is empty: there are no TaskStats to analyse")
    return list(merged.values())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _sortable(value: Any) -> tuple:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, _canonical(value))


def _group_key(metadata: dict, decoder: str, varying: Sequence[str], group_by: GroupBy) -> tuple:
    if group_by is None:
        items = tuple(
            (key, _canonical(metadata[key])) for key in sorted(metadata) if key not in varying
        )
        return (decoder, items)
    if callable(group_by):
        return (decoder, group_by(metadata))
    if isinstance(group_by, str):
        group_by = [group_by]
    return (decoder, tuple((key, _canonical(metadata.get(key))) for key in group_by))


def _group_sort_key(members: list, varying: Sequence[str]) -> tuple:
    metadata = members[0].metadata if hasattr(members[0], "distance") else members[0].json_metadata
    decoder = members[0].decoder
    return (
        decoder,
        tuple((key, _sortable(metadata[key])) for key in sorted(metadata) if key not in varying),
    )


def _shared_metadata(metadatas: Sequence[dict], varying: Sequence[str]) -> dict:
    """The metadata items every member agrees on, minus the keys that vary by design."""
    first = metadatas[0]
    return {
        key: value
        for key, value in first.items()
        if key not in varying
        and all(key in other and _canonical(other[key]) == _canonical(value) for other in metadatas)
    }


def _short(text: str, limit: int = 40) -> str:
    """Cut long values (e.g. a custom noise model's JSON) in messages and labels."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def distinguishing_keys(
    metadatas: Sequence[dict], *, exclude: Sequence[str] = (), given: Sequence[str] = ()
) -> list[str]:
    """The fewest metadata keys (not in ``exclude``) that tell the dicts apart.

    Keys with short values are tried first; a key is kept only when it splits the dicts
    further than the keys already kept (and ``given``), so e.g. a custom model's JSON is
    left out when ``noise`` already separates it. Used for legend labels and messages.

    Args:
        metadatas: The dicts (e.g. ``json_metadata`` of several tasks).
        exclude: Keys never to use (e.g. ``d`` and ``rounds``).
        given: Keys already shown elsewhere (they count as separating but are not returned).

    Returns:
        The keys, in alphabetical order.

    Examples:
        >>> distinguishing_keys([{"noise": "sd6", "p": 0.001, "d": 3},
        ...                      {"noise": "sd6", "p": 0.002, "d": 5}], exclude=["d"])
        ['p']
    """
    keys = {key for metadata in metadatas for key in metadata if key not in exclude}
    values = {key: [_canonical(m.get(key)) for m in metadatas] for key in keys | set(given)}
    candidates = sorted(
        (key for key in keys - set(given) if len(set(values[key])) > 1),
        key=lambda key: (max(len(v) for v in values[key]), key),
    )
    kept: list[str] = []

    def classes(selected: Sequence[str]) -> int:
        return len(set(zip(*(values[k] for k in selected), strict=True))) if selected else 1

    for key in candidates:
        if classes([*given, *kept, key]) > classes([*given, *kept]):
            kept.append(key)
    return sorted(kept)


def _describe_groups(groups: Sequence[list], varying: Sequence[str]) -> str:
    metadatas = [
        {
            **(g[0].metadata if isinstance(g[0], LogicalErrorPerRound) else g[0].json_metadata),
            "decoder": g[0].decoder,
        }
        for g in groups
    ]
    keys = distinguishing_keys(metadatas, exclude=varying)
    shown = [
        "(" + ", ".join(f"{k}={_short(repr(m.get(k)))}" for k in keys) + ")" for m in metadatas
    ]
    text = "; ".join(shown[:4]) + (f"; ... ({len(shown)} groups)" if len(shown) > 4 else "")
    return f"they differ in {', '.join(keys) or 'the group_by key'}: {text}"


# ---------------------------------------------------------------------------------------------
# Logical error per round


def per_round_error_rate(shot_error_rate: float, *, rounds: int) -> float:
    """The logical error per round that compounds to ``shot_error_rate`` over ``rounds``.

    ``(1 - (1 - 2 P) ** (1 / rounds)) / 2`` (``sinter.shot_error_rate_to_piece_error_rate``),
    with shot error rates above 0.5, which no per-round rate explains, clamped to 0.5 (sinter
    would mirror them to per-round rates above 0.5).

    Args:
        shot_error_rate: The logical error rate of a whole ``rounds``-round shot, in [0, 1].
        rounds: Rounds per shot (>= 1).

    Returns:
        The per-round rate, in [0, 0.5].

    Examples:
        >>> round(per_round_error_rate(0.03, rounds=10), 6)
        0.003084
        >>> per_round_error_rate(0.7, rounds=3)
        0.5
    """
    # Above 0.5 the xor model has no solution (sinter would mirror it to > 0.5): clamp.
    rate = min(shot_error_rate, 0.5)
    return float(sinter.shot_error_rate_to_piece_error_rate(rate, pieces=rounds))


@dataclass(frozen=True)
class LogicalErrorPerRound:
    """The logical error per round of one task, with its confidence interval.

    The per-round rate ``eps`` is the one that, compounded over ``rounds`` independent rounds
    (a shot fails when an odd number of rounds fail), gives the shot error rate ``P``:
    ``eps = (1 - (1 - 2 P) ** (1 / rounds)) / 2``
    (``sinter.shot_error_rate_to_piece_error_rate``).
    ``low``/``high`` are the same conversion applied to sinter's binomial likelihood interval
    (``sinter.fit_binomial``) of the shot error rate. A shot error rate of 0.5 (a fully
    scrambled logical qubit) means 0.5 per round; rates above 0.5, which no per-round rate
    explains, are clamped to 0.5 (sinter would mirror them to per-round rates above 0.5).

    Attributes:
        metadata: The task's ``json_metadata``.
        decoder: The decoder's name.
        distance: Code distance (metadata ``d``).
        rounds: Rounds per shot (metadata ``rounds``).
        p: The physical error rate (metadata ``p``), or None when absent.
        num_shots: Shots that were not discarded.
        num_errors: Shots whose logical observable was wrong.
        best: Maximum-likelihood logical error per round.
        low: Lower end of the interval.
        high: Upper end of the interval.
        shot_error_rate: ``num_errors / num_shots``.
        shot_error_rate_low: Lower end of the shot error rate's interval.
        shot_error_rate_high: Upper end of the shot error rate's interval.
        max_likelihood_factor: The interval's likelihood factor.
        strong_id: sinter's id of the task.
    """

    metadata: dict = field(repr=False)
    decoder: str
    distance: int
    rounds: int
    p: float | None
    num_shots: int
    num_errors: int
    best: float
    low: float
    high: float
    shot_error_rate: float
    shot_error_rate_low: float
    shot_error_rate_high: float
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR
    strong_id: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.num_shots < 1:
            raise QecsimError(f"num_shots={self.num_shots} is not >= 1")
        if not 0 <= self.num_errors <= self.num_shots:
            raise QecsimError(f"num_errors={self.num_errors} is not in [0, {self.num_shots}]")
        if self.distance < 1 or self.rounds < 1:
            raise QecsimError(f"distance={self.distance}, rounds={self.rounds} are not >= 1")
        if not 0 <= self.low <= self.best <= self.high <= 1:
            raise QecsimError(f"low={self.low}, best={self.best}, high={self.high} are not ordered")

    @property
    def label(self) -> str:
        """A short description such as ``'d=5, rounds=5, p=0.001'``."""
        p = "" if self.p is None else f", p={self.p:g}"
        return f"d={self.distance}, rounds={self.rounds}{p}"


def _per_round_result(stat: sinter.TaskStats, max_likelihood_factor: float) -> LogicalErrorPerRound:
    metadata = _metadata_of(stat, ("d", "rounds"))
    distance = _int_value(metadata, "d")
    rounds = _int_value(metadata, "rounds")
    num_shots = stat.shots - stat.discards
    if num_shots < 1:
        raise QecsimError(
            f"TaskStats with d={distance}, rounds={rounds}, p={metadata.get('p')!r} has "
            f"num_shots={num_shots} (shots={stat.shots}, discards={stat.discards}); "
            "it needs at least one shot"
        )
    shot = sinter.fit_binomial(
        num_shots=num_shots, num_hits=stat.errors, max_likelihood_factor=max_likelihood_factor
    )
    best = stat.errors / num_shots
    low, high = min(shot.low, best), max(shot.high, best)
    return LogicalErrorPerRound(
        metadata=metadata,
        decoder=stat.decoder,
        distance=distance,
        rounds=rounds,
        p=_p_value(metadata, required=False),
        num_shots=num_shots,
        num_errors=stat.errors,
        best=per_round_error_rate(best, rounds=rounds),
        low=per_round_error_rate(low, rounds=rounds),
        high=per_round_error_rate(high, rounds=rounds),
        shot_error_rate=best,
        shot_error_rate_low=low,
        shot_error_rate_high=high,
        max_likelihood_factor=float(max_likelihood_factor),
        strong_id=stat.strong_id,
    )


def logical_error_per_round(
    stats: Iterable[sinter.TaskStats],
    *,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
) -> tuple[LogicalErrorPerRound, ...]:
    """The logical error per round of each task, with sinter's binomial confidence interval.

    Rows of the same task (same ``strong_id`` and decoder) are added up first.

    Args:
        stats: sinter statistics; metadata needs ``d`` and ``rounds``.
        max_likelihood_factor: Width of the interval (sinter's convention; default 1000, the
            band sinter's plots highlight).

    Returns:
        One result per task, sorted by decoder, the other metadata, ``p``, ``d``, ``rounds``.

    Raises:
        QecsimError: ``stats`` is empty, holds something other than TaskStats, lacks a
            metadata key, or a task has no shots.

    Examples:
        >>> import sinter
        >>> stat = sinter.TaskStats(strong_id="a", decoder="pymatching", shots=10_000,
        ...     errors=300, json_metadata={"d": 5, "rounds": 10, "p": 1e-3})
        >>> (result,) = logical_error_per_round([stat])
        >>> round(result.best, 6), result.best == (1 - (1 - 2 * 0.03) ** (1 / 10)) / 2
        (0.003084, True)
        >>> result.low < result.best < result.high
        True
    """
    _check_factor(max_likelihood_factor)
    merged = _merge_task_stats(stats, what="stats")
    results = [_per_round_result(stat, max_likelihood_factor) for stat in merged]

    def order(result: LogicalErrorPerRound) -> tuple:
        rest = tuple(
            (key, _sortable(value))
            for key, value in sorted(result.metadata.items())
            if key not in _THRESHOLD_VARYING
        )
        return (result.decoder, rest, result.p or 0.0, result.distance, result.rounds)

    return tuple(sorted(results, key=order))


def _as_per_round(
    stats_or_results: Iterable[Any], max_likelihood_factor: float, what: str
) -> list[LogicalErrorPerRound]:
    if isinstance(stats_or_results, (sinter.TaskStats, LogicalErrorPerRound)):
        stats_or_results = [stats_or_results]
    items = list(stats_or_results)
    if not items:
        raise QecsimError(f"{what} is empty: there are no TaskStats to analyse")
    if all(isinstance(item, LogicalErrorPerRound) for item in items):
        return items
    if any(isinstance(item, LogicalErrorPerRound) for item in items):
        raise QecsimError(f"{what} mixes TaskStats and LogicalErrorPerRound; pass one kind")
    return list(logical_error_per_round(items, max_likelihood_factor=max_likelihood_factor))


# ---------------------------------------------------------------------------------------------
# Lambda


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
        excluded: Per-round rates left out (no errors, or a shot error rate >= 0.5).
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
        """``C = exp(intercept)`` in ``eps_d = C / Lambda ** ((d + 1) / 2)``."""
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


def per_round_log_slope(shot_error_rate: float, *, rounds: int) -> float:
    """d ln(eps) / d ln(P) for eps = (1 - (1 - 2P)^(1/rounds)) / 2 (1 where eps is 0).

    Turns a relative change of the shot error rate P into one of the per-round rate eps
    (the delta method for ln eps, the per-round elasticities of the error budget).

    Examples:
        >>> per_round_log_slope(1e-4, rounds=1), round(per_round_log_slope(0.2, rounds=5), 4)
        (1.0, 1.2395)
    """
    eps = per_round_error_rate(shot_error_rate, rounds=rounds)
    if eps <= 0:
        return 1.0
    return shot_error_rate * (1 - 2 * shot_error_rate) ** (1 / rounds - 1) / rounds / eps


def _log_sigma(result: LogicalErrorPerRound) -> float:
    """Standard deviation of ln(eps) by the delta method on the binomial count."""
    sigma_log_shot = math.sqrt((1 - result.shot_error_rate) / result.num_errors)
    return sigma_log_shot * per_round_log_slope(result.shot_error_rate, rounds=result.rounds)


def _fit_one_lambda(
    results: list[LogicalErrorPerRound], max_likelihood_factor: float, metadata: dict
) -> LambdaFit:
    used, excluded = [], []
    for result in results:
        informative = result.num_errors > 0 and result.shot_error_rate < 0.5
        (used if informative else excluded).append(result)
    distances = sorted({r.distance for r in used})
    if len(distances) < 2:
        all_distances = sorted({r.distance for r in results})
        raise QecsimError(
            f"fit_lambda needs logical errors at >= 2 distances; distances with errors "
            f"(and shot error rate < 0.5) are {distances} of {all_distances} for "
            f"{_describe_metadata(metadata)}"
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


def _describe_metadata(metadata: dict) -> str:
    text = ", ".join(f"{k}={_short(repr(v))}" for k, v in sorted(metadata.items()))
    return text or "(no shared metadata)"


def _groups(items: list, varying: Sequence[str], group_by: GroupBy) -> list[list]:
    groups: dict[tuple, list] = {}
    for item in items:
        metadata = item.metadata if isinstance(item, LogicalErrorPerRound) else item.json_metadata
        key = _group_key(metadata, item.decoder, varying, group_by)
        groups.setdefault(key, []).append(item)
    return sorted(groups.values(), key=lambda members: _group_sort_key(members, varying))


def group_statistics(
    items: Iterable[sinter.TaskStats] | Iterable[LogicalErrorPerRound],
    *,
    varying: Sequence[str],
    group_by: GroupBy = None,
) -> list[list]:
    """Split statistics into the groups that :func:`fit_lambdas` / :func:`estimate_thresholds` use.

    Args:
        items: sinter statistics or :class:`LogicalErrorPerRound` results (metadata must be a
            dict).
        varying: The metadata keys that vary within a group: ``("d", "rounds")`` for Lambda
            fits, ``("d", "rounds", "p")`` for thresholds.
        group_by: See :func:`fit_lambdas` (default: every other key; the decoder always
            separates groups).

    Returns:
        The groups (lists of the items), sorted by decoder and metadata.

    Raises:
        QecsimError: An item's metadata is not a dict.

    Examples:
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}{p}", decoder="pymatching", shots=10,
        ...     errors=1, json_metadata={"d": d, "rounds": d, "p": p})
        ...     for d in (3, 5) for p in (0.001, 0.002)]
        >>> [[s.json_metadata["d"] for s in g] for g in group_statistics(stats,
        ...                                                             varying=("d", "rounds"))]
        [[3, 5], [3, 5]]
    """
    items = list(items)
    for item in items:
        metadata = item.metadata if isinstance(item, LogicalErrorPerRound) else item.json_metadata
        if not isinstance(metadata, dict):
            raise QecsimError(f"metadata={metadata!r} is not a dict")
    return _groups(items, tuple(varying), group_by)


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
        QecsimError: Bad input (see :func:`fit_lambda`) in any group.

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
    fits = []
    for members in _groups(results, _LAMBDA_VARYING, group_by):
        metadata = _shared_metadata([m.metadata for m in members], _LAMBDA_VARYING)
        fits.append(_fit_one_lambda(members, max_likelihood_factor, metadata))
    return tuple(fits)


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
    Points with no errors, or with a shot error rate >= 0.5, are left out (listed in
    ``excluded``). The interval is ``exp(ln Lambda +- z sigma)`` with ``sigma`` from the fit
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
            errors at fewer than 2 distances.

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


# ---------------------------------------------------------------------------------------------
# Footprint


@dataclass(frozen=True)
class Footprint:
    """The code distance and physical qubits needed for a target logical error per round.

    ``best``/``low``/``high`` are physical qubit counts. A ``None`` distance means no
    distance up to ``max_distance`` reaches the target (Lambda <= 1 within the interval).

    Attributes:
        target: Target logical error per round.
        code: The code family.
        distance: Smallest odd distance whose fitted per-round error is <= target.
        distance_low: The same for the optimistic end of the fit's interval.
        distance_high: The same for the pessimistic end.
        qubits: Physical qubits at ``distance``.
        qubits_low: Physical qubits at ``distance_low``.
        qubits_high: Physical qubits at ``distance_high``.
        lambda_fit: The fit it came from.
    """

    target: float
    code: str
    distance: int | None
    distance_low: int | None
    distance_high: int | None
    qubits: int | None
    qubits_low: int | None
    qubits_high: int | None
    lambda_fit: LambdaFit = field(repr=False)

    def __post_init__(self) -> None:
        values = [self.distance_low, self.distance, self.distance_high]
        finite = [v for v in values if v is not None]
        if finite != sorted(finite) or (self.distance is None and self.distance_high is not None):
            raise QecsimError(
                f"distance_low={self.distance_low}, distance={self.distance}, "
                f"distance_high={self.distance_high} are not ordered"
            )

    @property
    def best(self) -> int | None:
        """Physical qubits at the best-fit distance."""
        return self.qubits

    @property
    def low(self) -> int | None:
        """Physical qubits at the optimistic distance."""
        return self.qubits_low

    @property
    def high(self) -> int | None:
        """Physical qubits at the pessimistic distance (None: unbounded)."""
        return self.qubits_high

    def __str__(self) -> str:
        def show(value: int | None) -> str:
            return "unbounded" if value is None else str(value)

        return (
            f"per-round error <= {self.target:g}: d = {show(self.distance)} "
            f"[{show(self.distance_low)}, {show(self.distance_high)}], "
            f"{show(self.qubits)} qubits [{show(self.qubits_low)}, {show(self.qubits_high)}]"
        )


def footprint(
    lambda_fit: LambdaFit,
    *,
    target: float = 1e-12,
    code: str | None = None,
    max_distance: int = 2001,
) -> Footprint:
    """The distance and qubit count needed to reach a target logical error per round.

    Extrapolates the fit ``eps_d = C / Lambda ** ((d + 1) / 2)`` over odd distances >= 3.
    The low/high distances use the ends of the fit's interval on ``eps_d`` at each distance
    (:meth:`LambdaFit.predict_interval`, which carries the uncertainty of both Lambda and C
    and their correlation). Qubits: ``2 d^2 - 1`` (rotated surface code), ``2 d - 1``
    (repetition code).

    Args:
        lambda_fit: The Lambda fit.
        target: Target logical error per round, in (0, 0.5); default 1e-12 ("teraquop").
        code: Code family (a key of :data:`QUBITS_PER_CODE`); default: the fit's metadata
            ``code``, else ``"rotated_surface_code"``.
        max_distance: Largest distance considered.

    Returns:
        The :class:`Footprint`.

    Raises:
        QecsimError: ``target`` out of range, unknown ``code``, or ``lambda_fit`` is not a
            LambdaFit.

    Examples:
        >>> fit = LambdaFit(best=4.0, low=3.5, high=4.5, intercept=math.log(0.1),
        ...     covariance=((1e-4, 0.0), (0.0, 1e-3)), chi_squared=0.0,
        ...     degrees_of_freedom=0, distances=(3, 5), metadata={})
        >>> result = footprint(fit, target=1e-12)
        >>> result.distance, result.qubits
        (37, 2737)
    """
    if not isinstance(lambda_fit, LambdaFit):
        raise QecsimError(f"lambda_fit is a {type(lambda_fit).__name__}; expected a LambdaFit")
    if not (isinstance(target, (int, float)) and 0 < target < 0.5):
        raise QecsimError(f"target={target!r} is not in (0, 0.5)")
    if code is None:
        code = lambda_fit.metadata.get("code", "rotated_surface_code")
    if code not in QUBITS_PER_CODE:
        raise QecsimError(f"code={code!r} is not in {sorted(QUBITS_PER_CODE)}")
    if not (isinstance(max_distance, int) and max_distance >= 3):
        raise QecsimError(f"max_distance={max_distance!r} is not an integer >= 3")
    distances = np.arange(3, max_distance + 1, 2)
    prediction = lambda_fit.predict_interval(distances)

    def first(values: np.ndarray) -> int | None:
        reached = np.nonzero(values <= target)[0]
        return int(distances[reached[0]]) if len(reached) else None

    best, low, high = first(prediction.best), first(prediction.low), first(prediction.high)
    qubits = QUBITS_PER_CODE[code]
    return Footprint(
        target=float(target),
        code=code,
        distance=best,
        distance_low=low,
        distance_high=high,
        qubits=None if best is None else qubits(best),
        qubits_low=None if low is None else qubits(low),
        qubits_high=None if high is None else qubits(high),
        lambda_fit=lambda_fit,
    )


# ---------------------------------------------------------------------------------------------
# Threshold


@dataclass(frozen=True)
class Threshold:
    """The physical error rate where the logical error curves of several distances cross.

    Attributes:
        best: Median of the crossings of every pair of distances.
        low: Lower end: the bootstrap interval, widened to include every pairwise crossing.
        high: Upper end, likewise.
        distances: The distances used.
        pairwise: ``(d_a, d_b, crossing p)`` for each pair (NaN when they do not cross).
        per_round: Whether per-round (True) or per-shot (False) error rates were crossed.
        metadata: The metadata all tasks share (without ``d``, ``rounds`` and ``p``).
        decoder: The decoder's name.
        bootstrap_sigma: Standard deviation of ln(best) over the bootstrap resamples.
        num_bootstrap: Bootstrap resamples drawn.
        bootstrap_failures: Resamples in which no pair of curves crossed.
        max_likelihood_factor: Width of the statistical interval.
        stats: The statistics used.
    """

    best: float
    low: float
    high: float
    distances: tuple[int, ...]
    pairwise: tuple[tuple[int, int, float], ...] = field(repr=False)
    per_round: bool = False
    metadata: dict = field(default_factory=dict, repr=False)
    decoder: str = ""
    bootstrap_sigma: float = 0.0
    num_bootstrap: int = 0
    bootstrap_failures: int = 0
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR
    stats: tuple[sinter.TaskStats, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.low <= self.best <= self.high:
            raise QecsimError(
                f"low={self.low}, best={self.best}, high={self.high} "
                "are not 0 < low <= best <= high"
            )
        if len(self.distances) < 2:
            raise QecsimError(f"distances={self.distances} has fewer than 2 distances")

    def __str__(self) -> str:
        distances = ", ".join(str(d) for d in self.distances)
        unit = "per round" if self.per_round else "per shot"
        return (
            f"threshold p = {self.best:.4g} [{self.low:.4g}, {self.high:.4g}] "
            f"(d = {distances}, {unit})"
        )


@dataclass
class _Curve:
    distance: int
    log_p: np.ndarray
    num_shots: np.ndarray
    num_errors: np.ndarray
    rounds: np.ndarray


def _curve_log_rate(curve: _Curve, errors: np.ndarray, per_round: bool):
    """ln of the error rate at each p and its delta-method variance."""
    shots = curve.num_shots
    counted = np.maximum(errors, 0.5)  # zero-error points sit at half a count
    shot = np.minimum(counted / shots, 0.5 - 1e-9) if per_round else counted / shots
    variance = (1 - np.minimum(shot, 1 - 1e-9)) / counted
    if not per_round:
        return np.log(shot), variance
    rate = (1 - (1 - 2 * shot) ** (1 / curve.rounds)) / 2
    rate = np.where(rate > 0, rate, shot / curve.rounds)
    slope = shot * (1 - 2 * shot) ** (1 / curve.rounds - 1) / (curve.rounds * rate)
    return np.log(rate), variance * slope**2


def _crossing(a: _Curve, b: _Curve, ya, va, yb, vb) -> float:
    """ln p where curve b (larger d) rises through curve a; NaN when they do not cross."""
    lo, hi = max(a.log_p[0], b.log_p[0]), min(a.log_p[-1], b.log_p[-1])
    grid = np.union1d(a.log_p, b.log_p)
    grid = grid[(grid >= lo) & (grid <= hi)]
    if len(grid) < 2:
        return math.nan
    diff = np.interp(grid, b.log_p, yb) - np.interp(grid, a.log_p, ya)
    sigma = np.sqrt(np.interp(grid, a.log_p, va) + np.interp(grid, b.log_p, vb))
    upward = np.nonzero((diff[:-1] < 0) & (diff[1:] >= 0))[0]
    if len(upward) == 0:
        return math.nan
    # Several upward crossings come from noise; keep the one whose ends are most significant.
    z = np.abs(diff) / sigma
    i = upward[np.argmax(np.minimum(z[upward], z[upward + 1]))]
    t = -diff[i] / (diff[i + 1] - diff[i])
    return float(grid[i] + t * (grid[i + 1] - grid[i]))


def _pairwise_crossings(curves: list[_Curve], errors: list[np.ndarray], per_round: bool):
    logs = [_curve_log_rate(curve, k, per_round) for curve, k in zip(curves, errors, strict=True)]
    result = []
    for i in range(len(curves)):
        for j in range(i + 1, len(curves)):
            (ya, va), (yb, vb) = logs[i], logs[j]
            result.append(_crossing(curves[i], curves[j], ya, va, yb, vb))
    return np.array(result)


def _estimate_one_threshold(
    members: list[sinter.TaskStats],
    *,
    per_round: bool,
    max_likelihood_factor: float,
    num_bootstrap: int,
    seed: int | None,
    metadata: dict,
) -> Threshold:
    by_distance: dict[int, dict[float, sinter.TaskStats]] = {}
    for stat in members:
        task_metadata = stat.json_metadata
        distance, p = _int_value(task_metadata, "d"), _p_value(task_metadata, required=True)
        if p in by_distance.setdefault(distance, {}):
            raise QecsimError(
                f"two tasks with d={distance}, p={p:g} in one group (they differ in "
                f"rounds={by_distance[distance][p].json_metadata.get('rounds')!r} vs "
                f"{task_metadata.get('rounds')!r}); pass group_by or filter the stats"
            )
        if stat.shots - stat.discards < 1:
            raise QecsimError(f"the task with d={distance}, p={p:g} has no shots")
        by_distance[distance][p] = stat
    curves = []
    for distance in sorted(by_distance):
        points = sorted(by_distance[distance].items())
        if len(points) < 2:
            continue
        curves.append(
            _Curve(
                distance=distance,
                log_p=np.log([p for p, _ in points]),
                num_shots=np.array([s.shots - s.discards for _, s in points], dtype=float),
                num_errors=np.array([s.errors for _, s in points], dtype=float),
                rounds=np.array(
                    [_int_value(s.json_metadata, "rounds") if per_round else 1 for _, s in points],
                    dtype=float,
                ),
            )
        )
    described = _describe_metadata(metadata)
    if len(curves) < 2:
        raise QecsimError(
            f"estimate_threshold needs >= 2 distances with >= 2 values of p each; got "
            f"{ {d: len(v) for d, v in sorted(by_distance.items())} } (distance: number of p) "
            f"for {described}"
        )
    crossings = _pairwise_crossings(curves, [c.num_errors for c in curves], per_round)
    pairs = [
        (curves[i].distance, curves[j].distance)
        for i in range(len(curves))
        for j in range(i + 1, len(curves))
    ]
    if np.all(np.isnan(crossings)):
        p_range = f"[{math.exp(min(c.log_p[0] for c in curves)):g}, "
        p_range += f"{math.exp(max(c.log_p[-1] for c in curves)):g}]"
        raise QecsimError(
            f"the curves of d={[c.distance for c in curves]} do not cross within p in {p_range} "
            f"for {described}; extend the range of p"
        )
    log_best = float(np.nanmedian(crossings))

    rng = np.random.default_rng(seed)
    samples = []
    failures = 0
    for _ in range(num_bootstrap):
        errors = [
            rng.binomial(c.num_shots.astype(np.int64), c.num_errors / c.num_shots).astype(float)
            for c in curves
        ]
        resampled = _pairwise_crossings(curves, errors, per_round)
        if np.all(np.isnan(resampled)):
            failures += 1
        else:
            samples.append(float(np.nanmedian(resampled)))
    sigma = float(np.std(samples, ddof=1)) if len(samples) >= 2 else 0.0
    z = sigma_equivalent(max_likelihood_factor)
    found = crossings[~np.isnan(crossings)]
    low = min(log_best - z * sigma, float(found.min()))
    high = max(log_best + z * sigma, float(found.max()))
    return Threshold(
        best=math.exp(log_best),
        low=math.exp(low),
        high=math.exp(high),
        distances=tuple(c.distance for c in curves),
        pairwise=tuple(
            (a, b, math.exp(c) if not math.isnan(c) else math.nan)
            for (a, b), c in zip(pairs, crossings, strict=True)
        ),
        per_round=per_round,
        metadata=metadata,
        decoder=members[0].decoder,
        bootstrap_sigma=sigma,
        num_bootstrap=num_bootstrap,
        bootstrap_failures=failures,
        max_likelihood_factor=float(max_likelihood_factor),
        stats=tuple(members),
    )


def estimate_thresholds(
    stats: Iterable[sinter.TaskStats],
    *,
    per_round: bool = False,
    group_by: GroupBy = None,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
    num_bootstrap: int = 200,
    seed: int | None = 0,
) -> tuple[Threshold, ...]:
    """One threshold estimate per group of statistics (e.g. per noise model and decoder).

    Args:
        stats: sinter statistics; metadata needs ``d`` and ``p`` (and ``rounds`` when
            ``per_round``).
        per_round: See :func:`estimate_threshold`.
        group_by: Metadata keys to group by, or a function of the metadata returning a
            hashable key; default: every key except ``d``, ``rounds`` and ``p``. The decoder
            always separates groups.
        max_likelihood_factor: Width of the statistical interval.
        num_bootstrap: Bootstrap resamples (0 disables the statistical part).
        seed: Seed of the bootstrap (fixed by default, so results are reproducible).

    Returns:
        One :class:`Threshold` per group, sorted by decoder and metadata.

    Raises:
        QecsimError: Bad input (see :func:`estimate_threshold`) in any group.

    Examples:
        >>> import sinter
        >>> def rate(d, p):  # curves that all cross at p = 0.01
        ...     return 0.5 * (1 - math.exp(-0.3 * (p / 0.01) ** ((d + 1) / 2)))
        >>> stats = [sinter.TaskStats(strong_id=f"{d}-{p}", decoder="pymatching",
        ...     shots=10**5, errors=round(10**5 * rate(d, p)),
        ...     json_metadata={"d": d, "rounds": d, "p": p})
        ...     for d in (3, 5) for p in (0.006, 0.008, 0.012, 0.014)]
        >>> [round(t.best, 3) for t in estimate_thresholds(stats)]
        [0.01]
    """
    _check_factor(max_likelihood_factor)
    if not (isinstance(num_bootstrap, int) and num_bootstrap >= 0):
        raise QecsimError(f"num_bootstrap={num_bootstrap!r} is not an integer >= 0")
    merged = _merge_task_stats(stats, what="stats")
    required = ("d", "p", "rounds") if per_round else ("d", "p")
    for stat in merged:
        _metadata_of(stat, required)
    results = []
    for members in _groups(merged, _THRESHOLD_VARYING, group_by):
        metadata = _shared_metadata([m.json_metadata for m in members], _THRESHOLD_VARYING)
        results.append(
            _estimate_one_threshold(
                members,
                per_round=per_round,
                max_likelihood_factor=max_likelihood_factor,
                num_bootstrap=num_bootstrap,
                seed=seed,
                metadata=metadata,
            )
        )
    return tuple(results)


def estimate_threshold(
    stats: Iterable[sinter.TaskStats],
    *,
    per_round: bool = False,
    group_by: GroupBy = None,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
    num_bootstrap: int = 200,
    seed: int | None = 0,
) -> Threshold:
    """Estimate the threshold: where the logical error curves of several distances cross.

    For each distance, ``ln(error rate)`` is interpolated linearly in ``ln p`` between the
    sampled values of p (zero-error points count as half an error). For each pair of
    distances the crossing is where the larger distance's curve rises through the smaller
    one's (when noise makes several such crossings, the one whose bracketing points differ
    most significantly wins). ``best`` is the median over all pairs. The interval combines
    (a) a parametric bootstrap: the error counts are redrawn from their binomial
    distributions ``num_bootstrap`` times, giving a standard deviation ``sigma`` of
    ``ln(best)`` and the interval ``exp(ln best +- z sigma)``, ``z = sqrt(2 ln F)``; and
    (b) the spread of the pairwise crossings (finite-size drift), which it is widened to
    cover.

    Args:
        stats: sinter statistics of one group (same decoder and metadata other than ``d``,
            ``rounds``, ``p``), else use :func:`estimate_thresholds` or ``group_by``.
        per_round: Cross the logical error per round instead of per shot (default per shot,
            as in the literature for rounds = d).
        group_by: See :func:`estimate_thresholds`.
        max_likelihood_factor: Width of the statistical interval (default 1000: z = 3.72).
        num_bootstrap: Bootstrap resamples.
        seed: Seed of the bootstrap.

    Returns:
        The :class:`Threshold`.

    Raises:
        QecsimError: ``stats`` is empty, lacks metadata keys, spans several groups, has fewer
            than 2 distances with >= 2 values of p, repeats a (d, p), or no curves cross.

    Examples:
        >>> import sinter
        >>> counts = {(3, 0.005): 400, (3, 0.01): 1500, (5, 0.005): 150, (5, 0.01): 1800}
        >>> stats = [sinter.TaskStats(strong_id=f"{d}-{p}", decoder="pymatching",
        ...     shots=10**4, errors=errors, json_metadata={"d": d, "rounds": d, "p": p})
        ...     for (d, p), errors in counts.items()]
        >>> print(estimate_threshold(stats))
        threshold p = 0.00897 [0.008375, 0.009609] (d = 3, 5, per shot)
    """
    merged = _merge_task_stats(stats, what="stats")
    for stat in merged:
        _metadata_of(stat, ("d", "p"))
    groups = _groups(merged, _THRESHOLD_VARYING, group_by)
    if len(groups) > 1:
        raise QecsimError(
            f"stats span {len(groups)} groups (metadata other than d/rounds/p differ); "
            f"{_describe_groups(groups, _THRESHOLD_VARYING)}; use estimate_thresholds(stats) "
            "or filter the stats"
        )
    (threshold,) = estimate_thresholds(
        merged,
        per_round=per_round,
        group_by=group_by,
        max_likelihood_factor=max_likelihood_factor,
        num_bootstrap=num_bootstrap,
        seed=seed,
    )
    return threshold
