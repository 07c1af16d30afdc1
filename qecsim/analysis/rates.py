"""Logical error per round of each task, with sinter's binomial confidence interval.

**Confidence intervals.** All intervals follow sinter's convention: a hypothesis is inside
the interval when it is at most ``max_likelihood_factor`` times less likely than the best
one (:data:`DEFAULT_MAX_LIKELIHOOD_FACTOR`, 1000, is the band ``sinter plot`` highlights).
Where an interval comes from a Gaussian approximation, a factor ``F`` is turned into
``z = sqrt(2 ln F)`` standard deviations (:func:`sigma_equivalent`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sinter

from qecsim.analysis.grouping import (
    _THRESHOLD_VARYING,
    _check_iterable,
    _int_value,
    _leave_out_failures,
    _merge_task_stats,
    _metadata_of,
    _p_value,
    _rounds_key,
    _sortable,
)
from qecsim.errors import QecsimError

__all__ = [
    "DEFAULT_MAX_LIKELIHOOD_FACTOR",
    "LogicalErrorPerRound",
    "LogicalErrorPerShot",
    "logical_error_per_round",
    "logical_error_per_shot",
    "per_round_error_rate",
    "per_round_log_slope",
    "sigma_equivalent",
]

#: sinter's plotting default: hypotheses up to 1000x less likely than the best are inside.
DEFAULT_MAX_LIKELIHOOD_FACTOR = 1000.0


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
        """A short description such as ``'d=5, rounds=5, p=0.001'``.

        Examples:
            >>> import sinter
            >>> stat = sinter.TaskStats(strong_id="a", decoder="pymatching", shots=1000,
            ...     errors=30, json_metadata={"d": 5, "rounds": 5, "p": 0.001})
            >>> logical_error_per_round([stat])[0].label
            'd=5, rounds=5, p=0.001'
        """
        p = "" if self.p is None else f", p={self.p:g}"
        return f"d={self.distance}, rounds={self.rounds}{p}"


def _per_round_result(stat: sinter.TaskStats, max_likelihood_factor: float) -> LogicalErrorPerRound:
    key = _rounds_key(stat.json_metadata)
    metadata = _metadata_of(stat, ("d", key))
    distance = _int_value(metadata, "d")
    rounds = _int_value(metadata, key)
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

    Rows of the same task (same ``strong_id`` and decoder) are added up first. The rounds
    per shot are metadata ``rounds``, else ``r`` (sinter's examples use ``r``). Tasks whose
    per-round rate is unknown (metadata without ``d`` or rounds, e.g. a plain
    ``sinter collect`` store, or without shots) are left out with one warning per group;
    :func:`logical_error_per_shot` reads every task.

    Args:
        stats: sinter statistics; metadata needs ``d`` and ``rounds`` (or ``r``).
        max_likelihood_factor: Width of the interval (sinter's convention; default 1000, the
            band sinter's plots highlight).

    Returns:
        One result per task, sorted by decoder, the other metadata, ``p``, ``scale``,
            ``d``, ``rounds``.

    Raises:
        QecsimError: ``stats`` is empty, holds something other than TaskStats, or no task
            has ``d``, ``rounds`` and a shot (the first task's problem is named).

    Warns:
        UserWarning: Some tasks lack ``d`` or ``rounds`` or shots (one warning per group).

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
    results = _leave_out_failures(
        merged,
        lambda stat: _per_round_result(stat, max_likelihood_factor),
        what="logical_error_per_round",
    )
    return tuple(sorted(results, key=_order))


def _order(result: Any) -> tuple:
    """Decoder, the other metadata, p, scale, d, rounds (unknown values first)."""
    rest = tuple(
        (key, _sortable(value))
        for key, value in sorted(result.metadata.items())
        if key not in _THRESHOLD_VARYING
    )
    scale = _sortable(result.metadata.get("scale"))
    return (
        result.decoder,
        rest,
        result.p or 0.0,
        scale,
        result.distance or 0,
        result.rounds or 0,
    )


@dataclass(frozen=True)
class LogicalErrorPerShot:
    """The logical error per shot of one task of any sinter store, with its interval.

    Unlike :class:`LogicalErrorPerRound` this needs no metadata at all, so it reads stores
    written by plain ``sinter collect`` (whose metadata may lack ``rounds``, or be no dict).

    Attributes:
        metadata: The task's ``json_metadata`` (a non-dict value ``v`` becomes
            ``{"json_metadata": v}``, None becomes ``{}``).
        decoder: The decoder's name.
        num_shots: Shots that were not discarded.
        num_errors: Shots whose logical observable was wrong.
        shot_error_rate: ``num_errors / num_shots``.
        shot_error_rate_low: Lower end of sinter's binomial likelihood interval.
        shot_error_rate_high: Upper end of it.
        max_likelihood_factor: The interval's likelihood factor.
        strong_id: sinter's id of the task.
    """

    metadata: dict = field(repr=False)
    decoder: str
    num_shots: int
    num_errors: int
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

    def _integer(self, key: str) -> int | None:
        try:
            return _int_value(self.metadata, key) if key in self.metadata else None
        except QecsimError:
            return None

    @property
    def distance(self) -> int | None:
        """Metadata ``d`` when it is a positive integer, else None."""
        return self._integer("d")

    @property
    def rounds(self) -> int | None:
        """Metadata ``rounds`` (else ``r``) when a positive integer, else None (unknown)."""
        return self._integer(_rounds_key(self.metadata))

    @property
    def p(self) -> float | None:
        """Metadata ``p`` when it is a number, else None."""
        try:
            return _p_value(self.metadata, required=False)
        except QecsimError:
            return None


def logical_error_per_shot(
    stats: Iterable[sinter.TaskStats],
    *,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
) -> tuple[LogicalErrorPerShot, ...]:
    """The logical error per shot of every task, whatever its metadata.

    Rows of the same task are added up first; tasks without a shot (all discarded) are left
    out with a warning.

    Args:
        stats: sinter statistics, e.g. ``sinter.read_stats_from_csv_files(path)``.
        max_likelihood_factor: Width of the interval (sinter's convention).

    Returns:
        One result per task, sorted like :func:`logical_error_per_round`.

    Raises:
        QecsimError: ``stats`` is empty, holds something other than TaskStats, or no task
            has a shot.

    Examples:
        >>> import sinter
        >>> stat = sinter.TaskStats(strong_id="a", decoder="pymatching", shots=1000,
        ...     errors=30, json_metadata={"d": 3, "p": 0.001})
        >>> (result,) = logical_error_per_shot([stat])
        >>> result.shot_error_rate, result.distance, result.rounds
        (0.03, 3, None)
    """
    _check_factor(max_likelihood_factor)
    merged = _merge_task_stats(stats, what="stats")
    results = _leave_out_failures(
        merged,
        lambda stat: _per_shot_result(stat, max_likelihood_factor),
        what="logical_error_per_shot",
    )
    return tuple(sorted(results, key=_order))


def _per_shot_result(stat: sinter.TaskStats, max_likelihood_factor: float) -> LogicalErrorPerShot:
    metadata = stat.json_metadata
    if metadata is None:
        metadata = {}
    elif not isinstance(metadata, dict):
        metadata = {"json_metadata": metadata}
    num_shots = stat.shots - stat.discards
    if num_shots < 1:
        raise QecsimError(
            f"TaskStats strong_id={stat.strong_id[:16]!r} has num_shots={num_shots} "
            f"(shots={stat.shots}, discards={stat.discards}); it needs at least one shot"
        )
    fit = sinter.fit_binomial(
        num_shots=num_shots, num_hits=stat.errors, max_likelihood_factor=max_likelihood_factor
    )
    best = stat.errors / num_shots
    return LogicalErrorPerShot(
        metadata=metadata,
        decoder=stat.decoder,
        num_shots=num_shots,
        num_errors=stat.errors,
        shot_error_rate=best,
        shot_error_rate_low=min(fit.low, best),
        shot_error_rate_high=max(fit.high, best),
        max_likelihood_factor=float(max_likelihood_factor),
        strong_id=stat.strong_id,
    )


def _as_per_round(
    stats_or_results: Iterable[Any], max_likelihood_factor: float, what: str
) -> list[LogicalErrorPerRound]:
    if isinstance(stats_or_results, (sinter.TaskStats, LogicalErrorPerRound)):
        stats_or_results = [stats_or_results]
    _check_iterable(stats_or_results, what=what)
    items = list(stats_or_results)
    if not items:
        raise QecsimError(f"{what} is empty: there are no TaskStats to analyse")
    if all(isinstance(item, LogicalErrorPerRound) for item in items):
        return items
    if any(isinstance(item, LogicalErrorPerRound) for item in items):
        raise QecsimError(f"{what} mixes TaskStats and LogicalErrorPerRound; pass one kind")
    return list(logical_error_per_round(items, max_likelihood_factor=max_likelihood_factor))


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
