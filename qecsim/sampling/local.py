"""The local backend: warm worker processes on this machine's cores.

:func:`collect_local` is what :func:`qecsim.collect` runs for ``backend="local"`` (its
arguments are checked there). The points' batches run on the process's pool of worker
processes (:mod:`qecsim.sampling.pool`), started with the ``spawn`` method on the first call
and kept for later ones, through the batch engine and the driver the dask backend uses too:
every finished batch is appended to the store at once, the progress bar shows points, shots,
errors and an ETA, and Ctrl-C stops with one line saying how many shots the store keeps.

Workers start with the ``spawn`` start method: a script that calls :func:`qecsim.collect`
must do so under ``if __name__ == "__main__":``. Notebooks and the ``qecsim`` command line
need nothing special.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sinter

from qecsim.sampling.driver import run_points
from qecsim.sampling.points import make_points
from qecsim.sampling.pool import (
    PoolExecutor,
    borrowed_pool,
    check_picklable,
    close_local_workers,
)
from qecsim.sampling.spawn import check_main_is_importable
from qecsim.sampling.store import OpenStore, prepare_store, read_store

# read_store stays importable from here for existing callers.
__all__ = ["close_local_workers", "collect_local", "read_store"]

#: Batches aim at this many seconds (or ``max_batch_seconds`` when shorter).
TARGET_BATCH_SECONDS = 1.0
#: Upper limit on the shots of one batch when ``max_batch_size`` is None.
MAX_BATCH_SHOTS = 10_000_000


def collect_local(
    tasks: list[sinter.Task],
    names: tuple[str, ...],
    decoder_objects: Mapping[str, Any],
    *,
    store: OpenStore,
    max_shots: int | None,
    max_errors: int | None,
    num_workers: int,
    progress: bool,
    progress_callback: Callable[[sinter.Progress], None] | None,
    max_batch_seconds: float | None,
    max_batch_size: int | None,
) -> list[sinter.TaskStats]:
    """Collect the checked tasks on the local worker pool; every point's totals, in order.

    Args:
        tasks: Checked tasks (:func:`qecsim.sampling.points.check_tasks`).
        names: Decoder names for tasks without one.
        decoder_objects: Every decoder by name (sent to the workers by pickle).
        store: The opened store (prepared here before the first batch).
        max_shots: Shots per point, or None.
        max_errors: Errors per point, or None.
        num_workers: Worker processes.
        progress: Show the progress bar.
        progress_callback: Called with a ``sinter.Progress`` for every finished batch.
        max_batch_seconds: The longest a batch should take, or None.
        max_batch_size: The most shots in one batch, or None.

    Returns:
        One ``sinter.TaskStats`` per point (store and new shots summed), in order.

    Raises:
        QecsimError: A decoder does not pickle; worker processes cannot start (no
            ``__main__`` guard, code on stdin).
        KeyboardInterrupt: Ctrl-C; the message says how many shots the store keeps.
    """
    check_picklable(dict(decoder_objects))
    with borrowed_pool() as pool:
        # A store without rows means every point needs work: start the workers now, so that
        # they import while the DEMs are built. Otherwise only once a point turns out unfinished.
        workers = None
        if not store.existing:
            check_main_is_importable()
            workers = pool.start(num_workers)
        points = make_points(tasks, names, store.existing, max_shots=max_shots,
                             max_errors=max_errors)
        if not all(point.finished() for point in points.values()):
            if workers is None:
                check_main_is_importable()
                workers = pool.start(num_workers)
            if store.path is not None:
                prepare_store(store.path, store.truncate_to, stacklevel=4)
            target = TARGET_BATCH_SECONDS
            if max_batch_seconds is not None:
                target = min(target, float(max_batch_seconds))
            run_points(
                PoolExecutor(pool, workers, dict(decoder_objects)),
                list(points.values()),
                store=store.path,
                existing=store.existing,
                max_shots=max_shots,
                max_errors=max_errors,
                progress=progress,
                progress_callback=progress_callback,
                target_batch_seconds=target,
                max_batch_shots=max_batch_size or MAX_BATCH_SHOTS,
            )
    return [point.stats() for point in points.values()]
