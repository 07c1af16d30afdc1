"""The local backend: sinter's worker processes on this machine's cores.

:func:`collect_local` runs ``sinter.collect`` on the unfinished points, appending every
batch to the store (sinter's ``save_resume_filepath``) and feeding the shared progress bar.
It is what :func:`qecsim.collect` runs for ``backend="local"``; its arguments are checked there.

sinter starts its workers with the ``spawn`` start method: a script that calls
:func:`qecsim.collect` must do so under ``if __name__ == "__main__":``. Notebooks and the
``qecsim`` command line need nothing special.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sinter

from qecsim.sampling.points import PointState
from qecsim.sampling.progress import ProgressBar, tqdm_class
from qecsim.sampling.spawn import check_spawn_ready
from qecsim.sampling.store import OpenStore, prepare_store, read_store

# read_store and _tqdm_class stay importable from here for existing callers.
_tqdm_class = tqdm_class
__all__ = ["collect_local", "read_store"]


def collect_local(
    points: dict[str, PointState],
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
    """Collect the unfinished ``points`` with sinter; every point's totals, in order.

    Args:
        points: From :func:`qecsim.sampling.points.make_points` (store totals included).
        decoder_objects: Every decoder by name (sinter's ``custom_decoders``).
        store: The opened store (prepared here before the first batch).
        max_shots: Shots per point, or None.
        max_errors: Errors per point, or None.
        num_workers: Worker processes.
        progress: Show the progress bar.
        progress_callback: Called with every ``sinter.Progress``.
        max_batch_seconds: sinter's batch-duration limit.
        max_batch_size: sinter's batch-size limit.

    Returns:
        One ``sinter.TaskStats`` per point (store and new shots summed), in order.
    """
    collected = {i: store.existing[i] for i in points if i in store.existing}
    todo = [p.task for p in points.values() if not p.finished()]
    if not todo:
        return list(collected.values())
    if store.path is not None:
        prepare_store(store.path, store.truncate_to, stacklevel=4)
    bar = ProgressBar(
        list(points), store.existing, max_shots=max_shots, max_errors=max_errors,
        enabled=bool(progress),
    )

    def on_progress(update: sinter.Progress) -> None:
        bar(update)
        if progress_callback is not None:
            progress_callback(update)

    check_spawn_ready()
    try:
        results = sinter.collect(
            num_workers=num_workers,
            tasks=todo,
            save_resume_filepath=store.path,
            progress_callback=on_progress,
            max_shots=max_shots,
            max_errors=max_errors,
            max_batch_seconds=max_batch_seconds,
            max_batch_size=max_batch_size,
            custom_decoders=dict(decoder_objects),
            hint_num_tasks=len(todo),
        )
    finally:
        bar.close()
    for stat in results:
        if stat.strong_id in points:
            collected[stat.strong_id] = stat
    return [collected[i] for i in points if i in collected]
