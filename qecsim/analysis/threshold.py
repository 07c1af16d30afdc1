"""Thresholds: the physical error rate where the logical error curves of several distances cross."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import sinter

from qecsim.analysis.grouping import (
    _THRESHOLD_VARYING,
    GroupBy,
    _describe_groups,
    _describe_metadata,
    _each_group,
    _groups,
    _int_value,
    _leave_out_failures,
    _merge_task_stats,
    _metadata_of,
    _p_value,
    _rounds_key,
    _shared_metadata,
)
from qecsim.analysis.rates import DEFAULT_MAX_LIKELIHOOD_FACTOR, _check_factor, sigma_equivalent
from qecsim.errors import QecsimError

__all__ = ["Threshold", "estimate_threshold", "estimate_thresholds"]


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
        parameter: The metadata key on the x axis: ``"p"``, or ``"scale"`` for a custom noise
            model swept by scale factors (whose tasks have no ``p``).
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
    parameter: str = "p"

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
            f"threshold {self.parameter} = {self.best:.4g} [{self.low:.4g}, {self.high:.4g}] "
            f"(d = {distances}, {unit})"
        )


def _sweep_parameter(members: list[sinter.TaskStats]) -> str:
    """``"p"`` when every task has it, else ``"scale"`` (custom models swept by scale)."""
    if all("p" in m.json_metadata for m in members):
        return "p"
    if all("scale" in m.json_metadata for m in members):
        return "scale"
    for member in members:  # raises: names the task without p
        _metadata_of(member, ("d", "p"))
    raise AssertionError("unreachable")  # pragma: no cover


def _parameter_value(metadata: dict, parameter: str) -> float:
    if parameter == "p":
        return _p_value(metadata, required=True)
    value = metadata[parameter]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < math.inf:
        raise QecsimError(f"json_metadata {parameter}={value!r} is not a number in (0, inf)")
    return float(value)


def _rounds_of(stat: sinter.TaskStats) -> int:
    return _int_value(stat.json_metadata, _rounds_key(stat.json_metadata))


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


def _points_by_distance(
    members: list[sinter.TaskStats], parameter: str
) -> dict[int, dict[float, sinter.TaskStats]]:
    """distance -> swept parameter value -> the task (one per point, with shots)."""
    by_distance: dict[int, dict[float, sinter.TaskStats]] = {}
    for stat in members:
        task_metadata = stat.json_metadata
        distance = _int_value(task_metadata, "d")
        p = _parameter_value(task_metadata, parameter)
        if p in by_distance.setdefault(distance, {}):
            raise QecsimError(
                f"two tasks with d={distance}, {parameter}={p:g} in one group (they differ in "
                f"rounds={by_distance[distance][p].json_metadata.get('rounds')!r} vs "
                f"{task_metadata.get('rounds')!r}); pass group_by or filter the stats"
            )
        if stat.shots - stat.discards < 1:
            raise QecsimError(f"the task with d={distance}, {parameter}={p:g} has no shots")
        by_distance[distance][p] = stat
    return by_distance


def _curves(
    by_distance: dict[int, dict[float, sinter.TaskStats]], per_round: bool
) -> list[_Curve]:
    """One curve per distance with at least two points, in increasing distance."""
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
                    [_rounds_of(s) if per_round else 1 for _, s in points],
                    dtype=float,
                ),
            )
        )
    return curves


def _bootstrap(
    curves: list[_Curve], *, per_round: bool, num_bootstrap: int, seed: int | None
) -> tuple[float, int]:
    """(standard deviation of ln threshold over binomial resamples, resamples without a
    crossing)."""
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
    return sigma, failures


def _estimate_one_threshold(
    members: list[sinter.TaskStats],
    *,
    per_round: bool,
    max_likelihood_factor: float,
    num_bootstrap: int,
    seed: int | None,
    metadata: dict,
) -> Threshold:
    parameter = _sweep_parameter(members)
    by_distance = _points_by_distance(members, parameter)
    curves = _curves(by_distance, per_round)
    described = _describe_metadata(metadata)
    if len(curves) < 2:
        raise QecsimError(
            f"estimate_threshold needs >= 2 distances with >= 2 values of {parameter} each; got "
            f"{ {d: len(v) for d, v in sorted(by_distance.items())} } "
            f"(distance: number of {parameter}) for {described}"
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
            f"the curves of d={[c.distance for c in curves]} do not cross within {parameter} in "
            f"{p_range} for {described}; extend the range of {parameter}"
        )
    log_best = float(np.nanmedian(crossings))
    sigma, failures = _bootstrap(
        curves, per_round=per_round, num_bootstrap=num_bootstrap, seed=seed
    )
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
        parameter=parameter,
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
        QecsimError: ``stats`` is empty or not statistics, a bad ``num_bootstrap`` or
            ``max_likelihood_factor``, or no group has a threshold (the first group's reason;
            see :func:`estimate_threshold`).

    Warns:
        UserWarning: One per group that has no threshold (tasks without ``d`` or ``p``,
            fewer than 2 distances with >= 2 values of p, curves that do not cross, ...),
            which is left out.

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
    def usable_stat(stat: sinter.TaskStats) -> sinter.TaskStats:
        _metadata_of(stat, ("d", _rounds_key(stat.json_metadata)) if per_round else ("d",))
        return stat

    usable = _leave_out_failures(merged, usable_stat, what="estimate_thresholds")

    def estimate(members: list[sinter.TaskStats]) -> Threshold:
        metadata = _shared_metadata([m.json_metadata for m in members], _THRESHOLD_VARYING)
        return _estimate_one_threshold(
            members,
            per_round=per_round,
            max_likelihood_factor=max_likelihood_factor,
            num_bootstrap=num_bootstrap,
            seed=seed,
            metadata=metadata,
        )

    groups = _groups(usable, _THRESHOLD_VARYING, group_by)
    return tuple(_each_group(groups, estimate, what="estimate_thresholds"))


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
        _metadata_of(stat, ("d",))
    _sweep_parameter(merged)
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
