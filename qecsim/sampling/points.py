"""The points of a collection: validated tasks and decoders, and each point's stopping rules.

A *point* is one task with one decoder, identified by sinter's ``strong_id`` (the hash of its
circuit, DEM, decoder and metadata: the key of the store). Both backends check their
arguments with the functions here before anything is sampled, fill each task in exactly as
sinter's workers would (:func:`fill_in`), and keep one :class:`PointState` per point: shots and
errors so far (store included), shots in flight, and the size of its next batch.

Examples:
    >>> check_count("max_shots", 1e6)
    1000000
    >>> check_count("max_shots", 0)
    Traceback (most recent call last):
    ...
    qecsim.errors.QecsimError: max_shots=0 is not an integer in [1, inf) or None
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import os
from collections.abc import Iterable, Mapping
from typing import Any

import sinter
import stim

from qecsim.decoding.dem import sinter_style_dem
from qecsim.errors import QecsimError, describe

__all__ = [
    "PointState",
    "check_count",
    "check_decoders",
    "check_tasks",
    "default_workers",
    "fill_in",
    "make_points",
]

#: Shots of a point's first batches, before its speed is known.
INITIAL_BATCH_SHOTS = 256
#: The smallest batch near the shot limit, as a fraction of a full batch.
MIN_TAIL_FRACTION = 0.02
#: Under ``max_errors``, shots in flight are sized by the error rate this many sigmas above the
#: measured one (:func:`rate_upper_bound`), so that a low early estimate cannot put far too
#: many shots in flight.
RATE_UPPER_SIGMAS = 3.0


def rate_upper_bound(errors: int, shots: int, sigmas: float = RATE_UPPER_SIGMAS) -> float:
    """An upper bound on the error rate per shot from ``errors`` in ``shots`` (shots > 0).

    The Poisson score bound: the mean m with (errors - m)^2 = sigmas^2 m, above ``errors``,
    i.e. m = k + z^2/2 + z sqrt(k + z^2/4), over the shots (at most 1). It exceeds the
    true rate except with one-sided probability about Phi(-sigmas) (0.13% at 3 sigmas),
    and tends to errors / shots as errors grow.

    Examples:
        >>> round(rate_upper_bound(0, 900), 4), round(rate_upper_bound(10_000, 100_000), 4)
        (0.01, 0.103)
    """
    z = sigmas
    mean = errors + z * z / 2 + z * math.sqrt(errors + z * z / 4)
    return min(1.0, mean / shots)


def check_count(name: str, value: Any) -> int | None:
    """``value`` as an int >= 1, or None; QecsimError naming ``name`` otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != int(value):
        raise QecsimError(f"{name}={value!r} is not an integer in [1, inf) or None")
    if value < 1:
        raise QecsimError(f"{name}={value!r} is not an integer in [1, inf) or None")
    return int(value)


def check_limits(max_shots: Any, max_errors: Any) -> tuple[int | None, int | None]:
    """Both limits checked; at least one must be given.

    Examples:
        >>> check_limits(None, None)
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: max_shots=None and max_errors=None: give at least one limit
    """
    max_shots = check_count("max_shots", max_shots)
    max_errors = check_count("max_errors", max_errors)
    if max_shots is None and max_errors is None:
        raise QecsimError("max_shots=None and max_errors=None: give at least one limit")
    return max_shots, max_errors


def default_workers() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def check_tasks(tasks: Any) -> list[sinter.Task]:
    """A non-empty list of ``sinter.Task`` with circuits (one task alone is accepted)."""
    if isinstance(tasks, sinter.Task):
        tasks = [tasks]
    if not isinstance(tasks, Iterable):
        raise QecsimError(f"tasks={describe(tasks)} is not a list of sinter.Task")
    tasks = list(tasks)
    if not tasks:
        raise QecsimError("tasks=[] is empty: the sweep has no points to collect")
    for index, task in enumerate(tasks):
        if not isinstance(task, sinter.Task):
            raise QecsimError(f"tasks[{index}] is a {type(task).__name__}; expected sinter.Task")
        if task.circuit is None and task.circuit_path is None:
            raise QecsimError(f"tasks[{index}] has no circuit")
    return tasks


def check_decoders(
    tasks: list[sinter.Task], decoders: Any, custom: Mapping[str, Any] | None
) -> tuple[list[sinter.Task], tuple[str, ...], dict[str, Any]]:
    """(tasks, the names for tasks without a decoder, every decoder object by name), checked.

    Registry names given as aliases become canonical names, in the name list and in the tasks
    (so the store records canonical names); names in ``custom`` are kept as they are.

    Args:
        tasks: The checked tasks.
        decoders: None, a name, a comma-separated string or an iterable of names.
        custom: Extra ``sinter.Decoder`` s by name (they take precedence over the registry).

    Raises:
        QecsimError: An empty list, a task without any decoder, an unknown name.
        MissingDependencyError: A decoder's package is missing.
    """
    from qecsim.decoding import registry

    if custom is not None and not isinstance(custom, Mapping):
        raise QecsimError(f"custom_decoders={custom!r} is not a dict name -> decoder")
    custom = dict(custom or {})
    if decoders is None:
        names: tuple[str, ...] = ()
    elif isinstance(decoders, str):
        names = tuple(part.strip() for part in decoders.split(","))
    else:
        names = tuple(decoders)
    if decoders is not None and not names:
        raise QecsimError(f"decoders={decoders!r} is empty: give at least one decoder name")
    for index, task in enumerate(tasks):
        if task.decoder is None and not names:
            raise QecsimError(
                f"tasks[{index}] has decoder=None and decoders=None: name a decoder in the task "
                "or in decoders="
            )
    wanted = list(dict.fromkeys([*names, *(t.decoder for t in tasks if t.decoder is not None)]))
    unknown = [name for name in wanted if name not in custom]
    canonical = dict(zip(unknown, registry.check_names(unknown), strict=True)) if unknown else {}
    merged = registry.sinter_decoders(canonical.values()) if unknown else {}
    merged.update(custom)
    tasks = [
        _with_decoder(task, canonical[task.decoder])
        if canonical.get(task.decoder, task.decoder) != task.decoder
        else task
        for task in tasks
    ]
    return tasks, tuple(dict.fromkeys(canonical.get(name, name) for name in names)), merged


def _with_decoder(task: sinter.Task, decoder: str) -> sinter.Task:
    """The task with another decoder name (everything else as it is)."""
    return sinter.Task(
        circuit=task.circuit,
        circuit_path=task.circuit_path,
        decoder=decoder,
        detector_error_model=task.detector_error_model,
        postselection_mask=task.postselection_mask,
        postselected_observables_mask=task.postselected_observables_mask,
        json_metadata=task.json_metadata,
        collection_options=task.collection_options,
    )


def fill_in(task: sinter.Task, decoder: str) -> sinter.Task:
    """The task with its decoder and DEM set, exactly as sinter's workers fill them in."""
    circuit = task.circuit
    if circuit is None:
        circuit = stim.Circuit.from_file(task.circuit_path)
    dem = task.detector_error_model
    if dem is None:
        dem = sinter_style_dem(circuit)
    return sinter.Task(
        circuit=circuit,
        decoder=decoder,
        detector_error_model=dem,
        postselection_mask=task.postselection_mask,
        postselected_observables_mask=task.postselected_observables_mask,
        json_metadata=task.json_metadata,
        collection_options=task.collection_options,
    )


@dataclasses.dataclass
class PointState:
    """One point's progress and the rules for its next batch (client side, mutable).

    Attributes:
        task: The filled-in task (decoder and DEM set).
        strong_id: sinter's strong id of ``task``.
        decoder: The decoder's name.
        max_shots: This point's shot limit (a task's own collection options win), or None.
        max_errors: This point's error limit, or None.
        done: Shots, errors, discards and seconds recorded so far (store included).
        in_flight_shots: Shots submitted and not yet recorded.
        in_flight_batches: Batches submitted and not yet recorded.
        seconds_per_shot: Smoothed measured cost, None before the first result.
        batch_shots: The largest batch so far (the ramp grows from it).
    """

    task: sinter.Task
    strong_id: str
    decoder: str
    max_shots: int | None
    max_errors: int | None
    done: sinter.AnonTaskStats
    in_flight_shots: int = 0
    in_flight_batches: int = 0
    seconds_per_shot: float | None = None
    batch_shots: int = INITIAL_BATCH_SHOTS

    def finished(self) -> bool:
        """Whether a limit is reached by recorded shots."""
        if self.max_shots is not None and self.done.shots >= self.max_shots:
            return True
        return self.max_errors is not None and self.done.errors >= self.max_errors

    def shots_to_submit(self, *, num_threads: int, target_batch_seconds: float,
                        max_batch_shots: int) -> int:
        """Shots for the next batch of this point, 0 when it must not get another one now.

        The batch takes about ``target_batch_seconds`` once the speed is known (growing at
        most 16x per step from the first small batches, as sinter's ramp does). No batch
        goes beyond ``max_shots`` (recorded plus in flight); with ``max_errors`` the shots in
        flight are limited by the error rate seen so far. Near the shot limit batches shrink
        to a share of what is left per worker thread (at least ``MIN_TAIL_FRACTION`` of a
        full batch), so that the workers finish together.

        Under ``max_errors``, before any result the shots in flight are at most the errors
        still needed (one shot has at most one error, so the first batches cannot overshoot,
        and a large run keeps its full first batches); afterwards they are at most the
        errors still needed over :func:`rate_upper_bound` of the rate so far. Then the
        errors of the shots in flight at the last submission have a mean below the errors
        still needed (unless the bound is below the true rate), and a run ends with about
        ``max_errors + z sqrt(max_errors)`` errors at most, z sigmas of their fluctuation.
        """
        if self.finished():
            return 0
        limit = math.inf
        if self.max_shots is not None:
            limit = self.max_shots - self.done.shots - self.in_flight_shots
        if self.max_errors is not None:
            errors_left = self.max_errors - self.done.errors
            if self.done.shots == 0:
                # No error rate known yet: the first ramp batches, no more shots than errors.
                if self.in_flight_batches >= num_threads:
                    return 0
                limit = min(limit, errors_left - self.in_flight_shots)
            else:
                rate = rate_upper_bound(self.done.errors, self.done.shots)
                expected_shots = math.ceil(errors_left / rate) + 1
                limit = min(limit, expected_shots - self.in_flight_shots)
        if limit <= 0:
            return 0
        size = self.batch_shots
        if self.seconds_per_shot is not None:
            size = int(target_batch_seconds / max(self.seconds_per_shot, 1e-9))
            size = min(size, 16 * self.batch_shots)  # ramp up, as sinter does
        size = max(1, min(size, max_batch_shots))
        if self.max_shots is not None and self.seconds_per_shot is not None:
            # Near the shot limit, a share of what is left, so that the workers finish
            # together instead of one running a last full batch while the others idle.
            tail_share = math.ceil(limit / max(1, num_threads))
            size = min(size, max(tail_share, math.ceil(size * MIN_TAIL_FRACTION)))
        return int(min(size, limit))

    def record(self, stats: sinter.AnonTaskStats) -> None:
        """Add a finished batch and update the measured speed."""
        self.done += stats
        if stats.shots > 0 and stats.seconds > 0:
            per_shot = stats.seconds / stats.shots
            self.seconds_per_shot = (
                per_shot if self.seconds_per_shot is None
                else 0.5 * self.seconds_per_shot + 0.5 * per_shot
            )
            self.batch_shots = max(self.batch_shots, stats.shots)

    def stats(self) -> sinter.TaskStats:
        """The point's totals as a ``sinter.TaskStats``."""
        return self.row(self.done)

    def row(self, stats: sinter.AnonTaskStats) -> sinter.TaskStats:
        """``stats`` (e.g. one batch) as a store row of this point."""
        return sinter.TaskStats(
            strong_id=self.strong_id,
            decoder=self.decoder,
            json_metadata=self.task.json_metadata,
            shots=stats.shots,
            errors=stats.errors,
            discards=stats.discards,
            seconds=stats.seconds,
            custom_counts=stats.custom_counts,
        )


def make_points(
    tasks: list[sinter.Task],
    names: tuple[str, ...],
    existing: dict[str, sinter.TaskStats],
    *,
    max_shots: int | None,
    max_errors: int | None,
) -> dict[str, PointState]:
    """One state per point (task x decoder), keyed by sinter's strong_id, in task order.

    A task with a decoder is one point; a task without one is a point per name in ``names``.
    A point's limits are the task's own ``collection_options`` where set, else the call's.
    """
    states: dict[str, PointState] = {}
    for task in tasks:
        for decoder in [task.decoder] if task.decoder is not None else names:
            filled = fill_in(task, decoder)
            strong_id = filled.strong_id()
            if strong_id in states:
                continue
            options = task.collection_options.combine(
                sinter.CollectionOptions(max_shots=max_shots, max_errors=max_errors)
            )
            previous = existing.get(strong_id)
            states[strong_id] = PointState(
                task=filled,
                strong_id=strong_id,
                decoder=decoder,
                max_shots=options.max_shots,
                max_errors=options.max_errors,
                done=previous.to_anon_stats() if previous is not None else sinter.AnonTaskStats(),
            )
    return states
