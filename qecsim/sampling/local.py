"""Resumable collection of sweep statistics with sinter: all cores, a CSV store, a progress bar.

:func:`collect` runs ``sinter.collect`` on every core, appends every batch to a CSV store in
sinter's own format (so ``sinter plot``, ``sinter combine`` and
``sinter.read_stats_from_csv_files`` read it), resumes from that store (shots already in it
count towards ``max_shots``/``max_errors`` and are never sampled again, also after the
process was killed), and shows a tqdm progress bar with the points done, shots, errors and
an ETA. Decoders come from :mod:`qecsim.decoders`, so tagged DEMs are handled.

sinter starts its workers with the ``spawn`` start method: a script that calls
:func:`collect` must do so under ``if __name__ == "__main__":``. Notebooks and the ``qecsim``
command line need nothing special.

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

import collections
import csv
import io
import json
import numbers
import os
import pathlib
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sinter
import stim

from qecsim.decoding.dem import sinter_style_dem
from qecsim.errors import MissingDependencyError, QecsimError, describe, extra_hint

__all__ = ["BACKENDS", "STORE_COLUMNS", "collect", "read_store"]

#: Accepted values of ``collect(backend=...)``.
BACKENDS: tuple[str, ...] = ("local", "dask")

#: The columns of sinter's CSV format, in order (sinter's ``CSV_HEADER``, stripped).
STORE_COLUMNS: tuple[str, ...] = (
    "shots",
    "errors",
    "discards",
    "seconds",
    "decoder",
    "strong_id",
    "json_metadata",
    "custom_counts",
)


# ---------------------------------------------------------------------------------------------
# The store


def _csv_header() -> str:
    return sinter.CSV_HEADER


def _parse_stats(text: str) -> dict[str, sinter.TaskStats]:
    """sinter CSV text -> summed TaskStats by strong id (as sinter reads its own files)."""
    stats: dict[str, sinter.TaskStats] = {}
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [name.strip() for name in reader.fieldnames or ()]
    for row in reader:
        counts = row["custom_counts"]
        custom_counts = collections.Counter(json.loads(counts) if counts else {})
        if not all(isinstance(v, int) for v in custom_counts.values()):
            raise ValueError(f"custom_counts={counts!r} is not a dict of integer counts")
        stat = sinter.TaskStats(
            shots=int(row["shots"]),
            errors=int(row["errors"]),
            discards=int(row["discards"]),
            seconds=float(row["seconds"]),
            decoder=row["decoder"],
            strong_id=row["strong_id"],
            json_metadata=json.loads(row["json_metadata"]),
            custom_counts=custom_counts,
        )
        previous = stats.get(stat.strong_id)
        stats[stat.strong_id] = stat if previous is None else previous + stat
    return stats


def _check_store(store: Any) -> tuple[pathlib.Path | None, dict[str, sinter.TaskStats], int | None]:
    """Validate the store: (path, stats by strong_id, byte length to truncate a torn row to)."""
    if store is None:
        return None, {}, None
    if not isinstance(store, (str, os.PathLike)):
        raise QecsimError(f"store={store!r} is not a file path (str or pathlib.Path) or None")
    path = pathlib.Path(store)
    if path.is_dir():
        raise QecsimError(f"store={str(path)!r} is a directory; expected a CSV file path")
    if not path.exists():
        return path, {}, None
    data = path.read_bytes()
    if not data.strip():
        return path, {}, None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise QecsimError(f"store={str(path)!r} is not a text file (sinter CSV expected)") from None
    header, _, _ = text.partition("\n")
    columns = tuple(column.strip() for column in header.split(","))
    if columns != STORE_COLUMNS:
        raise QecsimError(
            f"store={str(path)!r} is not a sinter CSV file: its header is "
            f"{header.strip()[:120]!r}, "
            f"expected the columns {list(STORE_COLUMNS)} (an older sinter file can be converted "
            "with `sinter combine old.csv > new.csv`)"
        )
    truncate_to = None
    if "\n" not in text:
        return path, {}, None  # the header alone (collect rewrites it with its newline)
    if not text.endswith("\n"):
        # A process killed while writing leaves a torn last row: those shots were never
        # recorded, so the row is dropped (and the file cut back to its last full row).
        cut = text.rfind("\n") + 1
        truncate_to = len(text[:cut].encode("utf-8"))
        text = text[:cut]
    try:
        existing = _parse_stats(text)
    except Exception as error:  # ValueError/KeyError/TypeError/JSONDecodeError
        raise QecsimError(
            f"store={str(path)!r} is not a readable sinter CSV file: {type(error).__name__}: "
            f"{error}"
        ) from None
    return path, existing, truncate_to


def read_store(store: str | os.PathLike) -> list[sinter.TaskStats]:
    """The statistics in a store, one (summed) entry per task and decoder.

    The same as ``sinter.read_stats_from_csv_files(store)``, with qecsim's validation
    (a clear :class:`qecsim.QecsimError` for a missing or non-sinter file) and tolerance of a
    torn last row left by a killed process.

    Args:
        store: Path of a sinter CSV file.

    Returns:
        The statistics.

    Raises:
        QecsimError: The file does not exist or is not sinter CSV.

    Examples:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.csv"
        >>> read_store(path)
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: store=... does not exist
    """
    path = pathlib.Path(store)
    if not path.exists():
        raise QecsimError(f"store={str(path)!r} does not exist")
    _, existing, _ = _check_store(path)
    return list(existing.values())


# ---------------------------------------------------------------------------------------------
# Validation


def _check_count(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != int(value):
        raise QecsimError(f"{name}={value!r} is not an integer in [1, inf) or None")
    if value < 1:
        raise QecsimError(f"{name}={value!r} is not an integer in [1, inf) or None")
    return int(value)


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _check_tasks(tasks: Any) -> list[sinter.Task]:
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


def _check_decoders(
    tasks: list[sinter.Task], decoders: Any, custom: Mapping[str, Any]
) -> tuple[list[sinter.Task], tuple[str, ...], dict[str, Any]]:
    """(tasks, collect's decoder list, custom_decoders for sinter) after checking every name.

    Registry names given as aliases become canonical names, in the decoder list and in the
    tasks (so the store records canonical names); names in ``custom`` are kept as they are.
    """
    from qecsim.decoding import registry

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
    return tasks, tuple(canonical.get(name, name) for name in names), merged


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


def _fill_in(task: sinter.Task, decoder: str) -> sinter.Task:
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


# ---------------------------------------------------------------------------------------------
# Worker start-up

_SPAWN_GUARD_HINT = (
    "sinter starts its workers with the spawn method, which re-imports the main module: put "
    'the code that calls qecsim.collect under `if __name__ == "__main__":` in a .py file'
)
_spawn_checked = False


def _check_spawn_ready() -> None:
    """Raise a clear QecsimError where sinter's spawned workers would die (and collect hang).

    Three cases: this process IS a spawned worker importing a script whose top level calls
    collect (no ``__main__`` guard); the main module is not a file (code piped to
    ``python -``); or a probe process started like sinter's workers fails (checked once per
    process, a fraction of a second).
    """
    import multiprocessing

    global _spawn_checked
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise QecsimError(
            "qecsim.collect was called while a worker process was importing the main module "
            f"(the script has no `if __name__ == \"__main__\":` guard). {_SPAWN_GUARD_HINT}"
        )
    if _spawn_checked:
        return
    main = sys.modules.get("__main__")
    main_path = getattr(main, "__file__", None)
    if main_path is not None and getattr(main, "__spec__", None) is None:
        if not os.path.isfile(main_path):
            raise QecsimError(
                f"the main module is {main_path!r}, not a file (code piped to `python -`?), so "
                f"worker processes cannot import it. {_SPAWN_GUARD_HINT}"
            )
    if main_path is not None:
        probe = multiprocessing.get_context("spawn").Process(target=int, daemon=True)
        probe.start()
        probe.join(timeout=120)
        if probe.is_alive():  # a slow top level: let sinter try
            probe.terminate()
            return
        if probe.exitcode != 0:
            raise QecsimError(
                f"a probe worker process exited with code {probe.exitcode} while importing the "
                f"main module {main_path!r} (its error is printed above). {_SPAWN_GUARD_HINT}"
            )
    _spawn_checked = True


# ---------------------------------------------------------------------------------------------
# Progress


def _tqdm_class():
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm.std import tqdm
    return tqdm


class _ProgressBar:
    """Points done (fractionally: shots or errors towards the limits), shots, errors, ETA."""

    def __init__(
        self,
        ids: list[str],
        existing: dict[str, sinter.TaskStats],
        *,
        max_shots: int | None,
        max_errors: int | None,
        enabled: bool,
    ) -> None:
        self.max_shots = max_shots
        self.max_errors = max_errors
        self.shots = {i: existing[i].shots if i in existing else 0 for i in ids}
        self.errors = {i: existing[i].errors if i in existing else 0 for i in ids}
        self.fraction = {i: self._fraction(i) for i in ids}
        self.pending = 0.0
        self.bar = None
        if enabled:
            tqdm = _tqdm_class()
            self.bar = tqdm(
                total=len(ids),
                initial=sum(self.fraction.values()),
                unit="point",
                desc="qecsim.collect",
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total} points "
                "[{elapsed}<{remaining}{postfix}]",
                file=sys.stderr,
                dynamic_ncols=True,
                mininterval=0.5,
            )
            self._postfix()

    def _fraction(self, strong_id: str) -> float:
        parts = [0.0]
        if self.max_shots:
            parts.append(self.shots[strong_id] / self.max_shots)
        if self.max_errors:
            parts.append(self.errors[strong_id] / self.max_errors)
        return min(1.0, max(parts))

    def done(self) -> int:
        return sum(fraction >= 1.0 for fraction in self.fraction.values())

    def _postfix(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(
                f"done {self.done()}/{len(self.fraction)}, shots {sum(self.shots.values()):,}, "
                f"errors {sum(self.errors.values()):,}",
                refresh=False,
            )

    def __call__(self, progress: sinter.Progress) -> None:
        step = 0.0
        for stat in progress.new_stats:
            if stat.strong_id not in self.fraction:
                continue
            self.shots[stat.strong_id] += stat.shots
            self.errors[stat.strong_id] += stat.errors
            before = self.fraction[stat.strong_id]
            self.fraction[stat.strong_id] = self._fraction(stat.strong_id)
            step += self.fraction[stat.strong_id] - before
        self.pending += step
        # tiny first batches (sinter starts with one shot) would give absurd ETAs: wait for 1 %
        if self.bar is not None and progress.new_stats and self.pending >= 0.01:
            self._postfix()
            self.bar.update(self.pending)
            self.pending = 0.0

    def close(self) -> None:
        if self.bar is not None:
            self._postfix()
            if self.pending:
                self.bar.update(self.pending)
                self.pending = 0.0
            self.bar.close()


# ---------------------------------------------------------------------------------------------
# collect


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
    starting workers, unfinished ones continue where they stopped (sinter's
    ``save_resume_filepath``). New batches are appended to the store in sinter's CSV format
    as they arrive, so a killed run loses at most the batches in flight; a torn last row
    is dropped on the next run. Everything is validated before any sampling.

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
        backend: ``"local"`` (sinter's worker processes) or ``"dask"``
            (``qecsim.distributed.collect_dask``, with ``scheduler=...`` in
            ``backend_options``).
        max_batch_seconds: Local backend: sinter's batch-duration limit, which is also the
            longest a worker holds finished shots before they reach the store (sinter's
            flush period, 120 s when None). The default, 10 s, bounds what a killed run
            loses to about 10 s of work per worker.
        max_batch_size: Local backend: sinter's batch-size limit.
        custom_decoders: Extra ``sinter.Decoder`` s by name, beyond :mod:`qecsim.decoders`.
        progress_callback: Called with every ``sinter.Progress`` (as in ``sinter.collect``).
        **backend_options: Options of the backend (``scheduler`` for dask); none for local.

    Returns:
        One ``sinter.TaskStats`` per point (store and new shots summed), in task order.

    Raises:
        QecsimError: Empty ``tasks``, non-positive limits or none at all, an unknown decoder,
            a store that is not sinter CSV, an unknown backend or backend option.
        MissingDependencyError: A decoder's package (or dask) is not installed.

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
    if backend not in BACKENDS:
        raise QecsimError(f"backend={backend!r} is not in {list(BACKENDS)}")
    if backend == "local" and backend_options:
        raise QecsimError(
            f"backend='local' takes no backend options; got {sorted(backend_options)} "
            "(scheduler= is for backend='dask')"
        )
    dask_options = {"scheduler", "connect_timeout", "target_batch_seconds", "max_batch_shots"}
    if backend == "dask" and set(backend_options) - dask_options:
        raise QecsimError(
            f"backend='dask' options {sorted(set(backend_options) - dask_options)} are not in "
            f"{sorted(dask_options)}"
        )
    if backend == "dask" and (max_batch_seconds != 10 or max_batch_size is not None):
        raise QecsimError(
            "max_batch_seconds/max_batch_size are the local backend's; with backend='dask' "
            "use target_batch_seconds/max_batch_shots"
        )
    tasks = _check_tasks(tasks)
    max_shots = _check_count("max_shots", max_shots)
    max_errors = _check_count("max_errors", max_errors)
    if max_shots is None and max_errors is None:
        raise QecsimError("max_shots=None and max_errors=None: give at least one limit")
    requested_workers = num_workers
    if num_workers is None:
        num_workers = _default_workers()
    elif isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 1:
        raise QecsimError(f"num_workers={num_workers!r} is not an integer in [1, inf) or None")
    if max_batch_seconds is not None and not (
        isinstance(max_batch_seconds, numbers.Real) and max_batch_seconds > 0
    ):
        raise QecsimError(f"max_batch_seconds={max_batch_seconds!r} is not in (0, inf) or None")
    max_batch_size = _check_count("max_batch_size", max_batch_size)
    if custom_decoders is not None and not isinstance(custom_decoders, Mapping):
        raise QecsimError(f"custom_decoders={custom_decoders!r} is not a dict name -> decoder")
    tasks, names, sinter_decoders = _check_decoders(tasks, decoders, dict(custom_decoders or {}))
    path, existing, truncate_to = _check_store(store)

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

    # One point per (task, decoder), with sinter's strong id (computed once, here).
    points: dict[str, sinter.Task] = {}
    for task in tasks:
        for decoder in [task.decoder] if task.decoder is not None else names:
            filled = _fill_in(task, decoder)
            points.setdefault(filled.strong_id(), filled)
    ids = list(points)

    def finished(strong_id: str) -> bool:
        stat = existing.get(strong_id)
        if stat is None:
            return False
        # a task's own collection_options (sinter's per-task limits) take precedence
        options = points[strong_id].collection_options.combine(
            sinter.CollectionOptions(max_shots=max_shots, max_errors=max_errors)
        )
        return (options.max_shots is not None and stat.shots >= options.max_shots) or (
            options.max_errors is not None and stat.errors >= options.max_errors
        )

    todo = [points[i] for i in ids if not finished(i)]
    collected: dict[str, sinter.TaskStats] = {i: existing[i] for i in ids if i in existing}
    if todo:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if truncate_to is not None:
                warnings.warn(
                    f"store {str(path)!r} ended in a torn row (a killed run); dropped it",
                    stacklevel=2,
                )
                os.truncate(path, truncate_to)
            elif path.exists() and b"\n" not in path.read_bytes():
                path.write_text(_csv_header() + "\n")  # empty, or the header alone
        bar = _ProgressBar(
            ids, existing, max_shots=max_shots, max_errors=max_errors, enabled=bool(progress)
        )

        def on_progress(update: sinter.Progress) -> None:
            bar(update)
            if progress_callback is not None:
                progress_callback(update)

        _check_spawn_ready()
        try:
            results = sinter.collect(
                num_workers=num_workers,
                tasks=todo,
                save_resume_filepath=path,
                progress_callback=on_progress,
                max_shots=max_shots,
                max_errors=max_errors,
                max_batch_seconds=max_batch_seconds,
                max_batch_size=max_batch_size,
                custom_decoders=sinter_decoders,
                hint_num_tasks=len(todo),
            )
        finally:
            bar.close()
        for stat in results:
            if stat.strong_id in points:
                collected[stat.strong_id] = stat
    return [collected[i] for i in ids if i in collected]


def _collect_dask(tasks: list[sinter.Task], **options: Any) -> list[sinter.TaskStats]:
    from qecsim.sampling import dask_backend

    try:
        return dask_backend.collect_dask(tasks, **options)
    except ImportError as error:
        if isinstance(error, MissingDependencyError):
            raise
        raise MissingDependencyError(
            f"backend='dask' needs dask.distributed ({error}): {extra_hint('distributed')}"
        ) from error
