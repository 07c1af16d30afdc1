"""``qecsim.collect``: resumable collection of sweep statistics on local cores or a dask cluster.

:func:`collect` checks every argument before anything is sampled, then hands the points to a
backend: ``"local"`` (:mod:`qecsim.sampling.local`, worker processes on this machine) or
``"dask"`` (:mod:`qecsim.sampling.dask_backend`, a dask.distributed cluster). Both append every
batch to a CSV store in sinter's own format (:mod:`qecsim.sampling.store`), so ``sinter plot``,
``sinter combine`` and ``sinter.read_stats_from_csv_files`` read it, resume from that store
(shots already in it count towards ``max_shots``/``max_errors`` and are never sampled again,
also after the process was killed), and show the same progress bar with the points done,
shots, errors and an ETA. Decoders come from :mod:`qecsim.decoders`, so tagged DEMs are handled.

Worker processes start with the ``spawn`` start method: a script that calls :func:`collect`
must do so under ``if __name__ == "__main__":``. Notebooks and the ``qecsim`` command line need
nothing special.

Examples:
    >>> import qecsim
    >>> tasks = qecsim.sweep_tasks(code="repetition_code", distances=[3], p=[0.01],
    ...                            noise="phenomenological")
    >>> qecsim.collect(tasks, store=None, max_shots=0)
    Traceback (most recent call last):
    ...
    qecsim.errors.QecsimError: max_shots=0 is not an integer in [1, inf) or None
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sinter

from qecsim.errors import MissingDependencyError, QecsimError, extra_hint
from qecsim.sampling import dask_backend, local
from qecsim.sampling.points import (
    check_count,
    check_decoders,
    check_limits,
    check_tasks,
    default_workers,
)
from qecsim.sampling.store import open_store

__all__ = ["BACKENDS", "collect"]

#: Accepted values of ``collect(backend=...)``.
BACKENDS: tuple[str, ...] = ("local", "dask")

#: The message of a Ctrl-C that came before the first batch was recorded.
INTERRUPTED_BEFORE_SAMPLING = (
    "interrupted before any batch was recorded: the store is unchanged; rerun the same command "
    "to start"
)
_DASK_OPTIONS = frozenset({"scheduler", "connect_timeout", "target_batch_seconds",
                           "max_batch_shots"})


def collect(
    tasks: Iterable[sinter.Task],
    *,
    store: str | os.PathLike | None = "results.csv",
    max_shots: int | None = None,
    max_errors: int | None = None,
    num_workers: int | None = None,
    decoders: str | Iterable[str] | None = ("pymatching",),
    progress: bool = True,
    backend: str = "local",
    max_batch_seconds: float | None = 10,
    max_batch_size: int | None = None,
    custom_decoders: Mapping[str, Any] | None = None,
    progress_callback: Callable[[sinter.Progress], None] | None = None,
    **backend_options: Any,
) -> list[sinter.TaskStats]:
    """Sample and decode every task until ``max_shots`` or ``max_errors``, resuming from a store.

    Each point (task x decoder) stops at ``max_shots`` shots or ``max_errors`` errors,
    counting what the store already holds for it: finished points are skipped without
    starting workers, unfinished ones continue where they stopped (and the run logs one line
    saying how much the store held: logger ``qecsim``, level INFO). New batches are appended to
    the store in sinter's CSV format as they arrive, so a killed run loses at most the batches
    in flight; a torn last row is dropped on the next run. Everything is validated before any
    sampling. The local backend's worker processes start on the first call and stay up for
    later ones (:func:`qecsim.sampling.close_local_workers` stops them before Python
    exits), so a second call starts sampling within a fraction of a second.

    Args:
        tasks: The points, e.g. from :func:`qecsim.sweep_tasks`.
        store: Path of the CSV store (created with sinter's header if missing), or None to
            keep nothing on disk.
        max_shots: Shots per point (>= 1), or None for no shot limit.
        max_errors: Errors per point (>= 1), or None; at least one limit is required.
        num_workers: Worker processes; None uses every core this process may run on.
        decoders: Decoder name(s) (:mod:`qecsim.decoders`) for tasks whose ``decoder`` is
            None (each such task is collected once per name); tasks with a decoder keep it.
        progress: Show a progress bar (tqdm, on stderr; a widget in notebooks when
            ipywidgets is installed).
        backend: ``"local"`` (worker processes on this machine) or ``"dask"``
            (``qecsim.distributed.collect_dask``, with ``scheduler=...`` in
            ``backend_options``).
        max_batch_seconds: Local backend: the longest a batch should take; batches aim at
            the shorter of this and 1 s. Every finished batch reaches the store at once, so a
            killed run loses only the batches in flight (two per worker: about 2 s of work).
        max_batch_size: Local backend: the most shots in one batch (None: 10^7).
        custom_decoders: Extra ``sinter.Decoder`` s by name, beyond :mod:`qecsim.decoders`.
        progress_callback: Called with every ``sinter.Progress`` (as in ``sinter.collect``).
        **backend_options: Options of the backend (``scheduler``, ``connect_timeout``,
            ``target_batch_seconds``, ``max_batch_shots`` for dask); none for local.

    Returns:
        One ``sinter.TaskStats`` per point (store and new shots summed), in task order.

    Raises:
        QecsimError: Empty ``tasks``, non-positive limits or none at all, an unknown decoder,
            a store that is not sinter CSV, an unknown backend or backend option.
        MissingDependencyError: A decoder's package (or dask) is not installed.
        KeyboardInterrupt: Ctrl-C. Its message is one line: how many shots the store keeps
            (every finished batch) and that the same call again continues from there.

    Examples:
        >>> import qecsim
        >>> tasks = qecsim.sweep_tasks(code="repetition_code", distances=[3], p=[0.01],
        ...                            noise="phenomenological")
        >>> qecsim.collect(tasks, store=None, max_shots=100, decoders=["nonexistent"])
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: decoder='nonexistent' is not in [...]
    """
    _check_backend(backend, backend_options, max_batch_seconds, max_batch_size)
    tasks = check_tasks(tasks)
    max_shots, max_errors = check_limits(max_shots, max_errors)
    requested_workers = num_workers
    if num_workers is None:
        num_workers = default_workers()
    elif isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 1:
        raise QecsimError(f"num_workers={num_workers!r} is not an integer in [1, inf) or None")
    if max_batch_seconds is not None and not (
        isinstance(max_batch_seconds, numbers.Real) and max_batch_seconds > 0
    ):
        raise QecsimError(f"max_batch_seconds={max_batch_seconds!r} is not in (0, inf) or None")
    max_batch_size = check_count("max_batch_size", max_batch_size)
    tasks, names, decoder_objects = check_decoders(tasks, decoders, custom_decoders)
    opened = open_store(store)

    try:
        if backend == "dask":
            return _collect_dask(
                tasks,
                store=store,
                max_shots=max_shots,
                max_errors=max_errors,
                decoders=names or None,  # () when every task names its own decoder
                progress=progress,
                num_workers=requested_workers,
                custom_decoders=custom_decoders,
                progress_callback=progress_callback,
                **backend_options,
            )
        return local.collect_local(
            tasks,
            names,
            decoder_objects,
            store=opened,
            max_shots=max_shots,
            max_errors=max_errors,
            num_workers=num_workers,
            progress=progress,
            progress_callback=progress_callback,
            max_batch_seconds=max_batch_seconds,
            max_batch_size=max_batch_size,
        )
    except KeyboardInterrupt as error:
        # One line that says what the store keeps, raised from here: no traceback through
        # the backend's internals.
        raise KeyboardInterrupt(str(error) or INTERRUPTED_BEFORE_SAMPLING) from None


def _check_backend(
    backend: Any, options: dict[str, Any], max_batch_seconds: Any, max_batch_size: Any
) -> None:
    if backend not in BACKENDS:
        raise QecsimError(f"backend={backend!r} is not in {list(BACKENDS)}")
    if backend == "local" and options:
        raise QecsimError(
            f"backend='local' takes no backend options; got {sorted(options)} "
            "(scheduler= is for backend='dask')"
        )
    if backend == "dask" and set(options) - _DASK_OPTIONS:
        raise QecsimError(
            f"backend='dask' options {sorted(set(options) - _DASK_OPTIONS)} are not in "
            f"{sorted(_DASK_OPTIONS)}"
        )
    if backend == "dask" and (max_batch_seconds != 10 or max_batch_size is not None):
        raise QecsimError(
            "max_batch_seconds/max_batch_size are the local backend's; with backend='dask' "
            "use target_batch_seconds/max_batch_shots"
        )


def _collect_dask(tasks: list[sinter.Task], **options: Any) -> list[sinter.TaskStats]:
    try:
        return dask_backend.collect_dask(tasks, **options)
    except ImportError as error:
        if isinstance(error, MissingDependencyError):
            raise
        raise MissingDependencyError(
            f"backend='dask' needs dask.distributed ({error}): {extra_hint('distributed')}"
        ) from error
