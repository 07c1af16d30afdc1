"""The client side of a collection: which batch next, and what to do with each result.

Both backends run :func:`run_points` with an *executor* that runs batches of the shared batch
engine (:mod:`qecsim.sampling.engine`) somewhere: the local pool of worker processes
(:mod:`qecsim.sampling.pool`) or a dask cluster (:mod:`qecsim.sampling.dask_backend`). The
driver keeps about two batches per worker thread in flight, sizes each from the point's measured
speed (:meth:`PointState.shots_to_submit`), appends every finished batch to the store at once
(one whole row per write) and to the progress bar, records each batch id once (a batch that
an executor reports lost is resubmitted under the same id, up to three times), and on Ctrl-C
stops with one line that says how many shots the store keeps. A run that starts from shots
already in its store logs one line saying so (logger ``qecsim.sampling.driver``, INFO; the
command line prints it).

Examples:
    >>> interrupted_message([], store=None, max_shots=10, max_errors=None)
    'interrupted: 0 shots of 0 kept (store=None keeps nothing on disk)'
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import logging
import pathlib
from collections.abc import Callable
from typing import Any, Protocol

import sinter

from qecsim.sampling.points import PointState
from qecsim.sampling.progress import ProgressBar

__all__ = ["BatchExecutor", "Outcome", "interrupted_message", "resuming_message", "run_points"]

_LOG = logging.getLogger(__name__)

#: Batches in flight per worker thread: one running, one waiting, so no worker idles.
IN_FLIGHT_PER_THREAD = 2
_MAX_RESUBMISSIONS = 3


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What became of a submitted batch.

    Attributes:
        batch_id: The id given to :meth:`BatchExecutor.submit`.
        stats: Its statistics, when it finished.
        error: Why it failed (an exception, or the text of a worker's traceback).
        lost: It vanished without an error of its own (a worker died): resubmit it.
    """

    batch_id: int
    stats: sinter.AnonTaskStats | None = None
    error: BaseException | str | None = None
    lost: bool = False


class BatchExecutor(Protocol):
    """Runs batches of the batch engine on some workers (a local pool, a dask cluster)."""

    def num_threads(self) -> int:
        """How many batches the workers run at once now."""

    def submit(self, batch_id: int, point: PointState, shots: int) -> None:
        """Start a batch of ``shots`` shots of ``point``."""

    def next_outcome(self) -> Outcome:
        """Wait for the next submitted batch to finish, fail or get lost."""

    def abort(self, *, interrupted: bool) -> None:
        """Forget every batch still in flight (the run ends: done, failed or interrupted)."""


def _amount(points: list[PointState], *, max_shots: int | None, max_errors: int | None) -> str:
    """``'N shots of [at most] M'`` (or, without shot limits, the errors found of those needed)."""
    shots = sum(point.done.shots for point in points)
    if max_shots is not None or any(p.max_shots is not None for p in points):
        target = sum(p.max_shots if p.max_shots is not None else 0 for p in points)
        return f"{shots:,} shots of {'at most ' if max_errors is not None else ''}{target:,}"
    errors = sum(min(p.done.errors, p.max_errors or 0) for p in points)
    needed = sum(p.max_errors or 0 for p in points)
    return f"{shots:,} shots ({errors:,} of {needed:,} errors)"


def resuming_message(
    points: list[PointState],
    *,
    store: pathlib.Path | None,
    max_shots: int | None,
    max_errors: int | None,
) -> str | None:
    """The line logged when a run starts from what its store holds; None for a fresh start.

    Examples:
        >>> resuming_message([], store=None, max_shots=10, max_errors=None) is None
        True
    """
    if store is None or not any(point.done.shots for point in points):
        return None
    finished = sum(point.finished() for point in points)
    what = _amount(points, max_shots=max_shots, max_errors=max_errors)
    return (f"resuming from the store {str(store)!r}: {what} already there ({finished} of "
            f"{len(points)} points finished)")


def interrupted_message(
    points: list[PointState],
    *,
    store: pathlib.Path | None,
    max_shots: int | None,
    max_errors: int | None,
) -> str:
    """The one line printed when a run is interrupted: what the store keeps, how to go on."""
    what = _amount(points, max_shots=max_shots, max_errors=max_errors)
    if store is None:
        return f"interrupted: {what} kept (store=None keeps nothing on disk)"
    return (
        f"interrupted: {what} kept in the store {str(store)!r}; rerun the same command to "
        "continue"
    )


def run_points(
    executor: BatchExecutor,
    points: list[PointState],
    *,
    store: pathlib.Path | None,
    existing: dict[str, sinter.TaskStats],
    max_shots: int | None,
    max_errors: int | None,
    progress: bool,
    progress_callback: Callable[[sinter.Progress], None] | None,
    target_batch_seconds: float,
    max_batch_shots: int,
) -> None:
    """Submit batches and record their results until every point is finished.

    Args:
        executor: Where batches run.
        points: The unfinished and finished points (finished ones get no batch).
        store: The prepared store to append to, or None.
        existing: What the store held before (for the progress bar).
        max_shots: The call's shot limit (for the progress bar and the interrupt message).
        max_errors: The call's error limit.
        progress: Draw the progress bar.
        progress_callback: Called with a ``sinter.Progress`` for every finished batch.
        target_batch_seconds: Aim for batches of about this many seconds on a worker.
        max_batch_shots: Upper limit on the shots of one batch.

    Raises:
        RuntimeError: A batch failed (its point, decoder and error are named).
        KeyboardInterrupt: Ctrl-C; its message says how many shots the store keeps.
    """
    batch_ids = itertools.count()
    in_flight: dict[int, tuple[PointState, int]] = {}
    resubmissions: collections.Counter[int] = collections.Counter()

    def submit(batch_id: int, point: PointState, shots: int) -> None:
        executor.submit(batch_id, point, shots)
        in_flight[batch_id] = (point, shots)
        point.in_flight_shots += shots
        point.in_flight_batches += 1

    def submit_more() -> None:
        threads = max(1, executor.num_threads())
        target = IN_FLIGHT_PER_THREAD * threads
        while len(in_flight) < target:
            submitted = False
            for point in points:
                if len(in_flight) >= target:
                    break
                shots = point.shots_to_submit(
                    num_threads=threads,
                    target_batch_seconds=target_batch_seconds,
                    max_batch_shots=max_batch_shots,
                )
                if shots > 0:
                    submit(next(batch_ids), point, shots)
                    submitted = True
            if not submitted:
                break

    resuming = resuming_message(points, store=store, max_shots=max_shots, max_errors=max_errors)
    if resuming is not None:
        _LOG.info(resuming)
    bar = ProgressBar(
        [point.strong_id for point in points],
        existing,
        max_shots=max_shots,
        max_errors=max_errors,
        enabled=bool(progress),
    )
    out = open(store, "a", encoding="utf-8") if store is not None else None
    interrupted = False
    try:
        submit_more()
        while in_flight:
            outcome = executor.next_outcome()
            entry = in_flight.pop(outcome.batch_id, None)
            if entry is None:
                continue  # never count a batch twice
            point, shots = entry
            point.in_flight_shots -= shots
            point.in_flight_batches -= 1
            if outcome.lost and resubmissions[outcome.batch_id] < _MAX_RESUBMISSIONS:
                resubmissions[outcome.batch_id] += 1
                submit(outcome.batch_id, point, shots)
                continue
            if outcome.stats is None:
                _raise_failed(outcome, point, shots)
            point.record(outcome.stats)
            row = point.row(outcome.stats)
            if out is not None:
                out.write(row.to_csv_line() + "\n")  # one write: a kill leaves whole rows
                out.flush()
            update = sinter.Progress(new_stats=(row,), status_message="")
            bar(update)
            if progress_callback is not None:
                progress_callback(update)
            submit_more()
    except KeyboardInterrupt:
        interrupted = True
        message = interrupted_message(
            points, store=store, max_shots=max_shots, max_errors=max_errors
        )
        raise KeyboardInterrupt(message) from None
    finally:
        if out is not None:
            out.close()
        bar.close()
        executor.abort(interrupted=interrupted)


def _raise_failed(outcome: Outcome, point: PointState, shots: int) -> Any:
    error = outcome.error
    reason = "lost 4 times (its workers died)" if outcome.lost else f"failed: {error!r}"
    if isinstance(error, str):
        reason = f"failed in a worker:\n{error}"
    raise RuntimeError(
        f"batch {outcome.batch_id} ({shots} shots) of the point {point.task.json_metadata!r} "
        f"with decoder {point.decoder!r} {reason}"
    ) from (error if isinstance(error, BaseException) else None)
