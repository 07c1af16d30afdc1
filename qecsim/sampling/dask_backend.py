"""Scale-out collection on a dask.distributed cluster: same tasks, same store, same stopping rules.

``qecsim.collect(tasks, backend="dask", scheduler=...)`` lands here. The client splits every
task into batches of shots and submits them as dask futures; a worker samples a batch with stim,
decodes it (``compile_decoder_for_dem`` + ``decode_shots_bit_packed``) and returns a
``sinter.AnonTaskStats``. How it works:

* **Batches.** The batch size adapts per task, as sinter's ramp does: the first batches are small,
  then each new batch is sized from the measured seconds per shot to take about
  ``target_batch_seconds`` on a worker (growing at most 16x per step, capped by
  ``max_batch_shots``). About two batches per worker thread are in flight, so workers never wait.
* **Caching.** Each task's circuit, detector error model and decoder travel once, as one dask
  future per task; a worker compiles the stim sampler and the decoder once per task (keyed by the
  task's ``strong_id``) and keeps them for later batches (a small per-process cache).
* **Stopping rules.** No batch is submitted for a task whose recorded plus in-flight shots reach
  ``max_shots``, so a task that stops on shots gets exactly ``max_shots`` shots. For ``max_errors``
  the in-flight shots are limited by the error rate seen so far; batches already in flight when
  the limit is reached are still counted (as sinter does), so errors can overshoot slightly.
* **Store.** Every finished batch is appended at once to the sinter CSV store (``sinter.CSV_HEADER``
  and ``sinter.TaskStats.to_csv_line()``), so a crash of the client loses only the batches in
  flight, and a rerun resumes from the store (a store written by either backend serves both:
  the task ids are sinter's ``strong_id``).
* **Faults.** When a worker dies, dask reruns its batches elsewhere; a dask future yields its
  result once, and every batch carries an id that the client records once, so nothing is counted
  twice. The per-task data is a computed future (not scattered data), so dask can rebuild it if
  the only worker holding it dies.

The scheduler is either ``None`` (an embedded ``LocalCluster`` of worker processes on this
machine, one single-threaded worker per core, started on first use and reused by later calls
until :func:`close_embedded_cluster` or exit), an address such as ``"tcp://10.0.0.5:8786"``
(a running ``dask scheduler``), a ``dask.distributed.Client`` or a cluster object.

Examples:
    >>> import qecsim
    >>> from qecsim.distributed import collect_dask
    >>> try:
    ...     collect_dask(qecsim.sweep_tasks(code="repetition_code", distances=[3], p=[0.01],
    ...                                     noise="phenomenological"),
    ...                  store=None, max_shots=100, scheduler="tcp://no such host")
    ... except qecsim.QecsimError as error:
    ...     print(str(error).split(",")[0])
    scheduler='tcp://no such host' is not None
"""

from __future__ import annotations

import atexit
import collections
import dataclasses
import itertools
import math
import os
import pathlib
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import sinter
import stim

from qecsim.errors import QecsimError, require

__all__ = ["close_embedded_cluster", "collect_dask", "connect"]

_INITIAL_BATCH_SHOTS = 256
_MAX_CHUNK_SHOTS = 16384  # shots sampled and decoded at once inside one batch (bounds memory)


# --------------------------------------------------------------------------------------------
# Worker side: per-task payload, cached compiled sampler+decoder, one batch
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _TaskPayload:
    """Everything a worker needs to sample and decode one task (shipped once per task)."""

    strong_id: str
    circuit: stim.Circuit
    dem: stim.DetectorErrorModel
    decoder: Any  # a sinter.Decoder
    postselection_mask: np.ndarray | None
    postselected_observables_mask: np.ndarray | None


class _CompiledBatchSampler:
    """A stim detector sampler and a compiled decoder for one task."""

    def __init__(self, payload: _TaskPayload):
        from qecsim.decoding.registry import compile_for_dem

        self.payload = payload
        self.sampler = payload.circuit.compile_detector_sampler()
        self.decoder = compile_for_dem(payload.decoder, dem=payload.dem)
        self.num_observables = payload.circuit.num_observables

    def sample(self, num_shots: int) -> sinter.AnonTaskStats:
        start = time.monotonic()
        errors = discards = 0
        left = num_shots
        while left > 0:
            chunk = min(left, _MAX_CHUNK_SHOTS)
            chunk_errors, chunk_discards = self._sample_chunk(chunk)
            errors += chunk_errors
            discards += chunk_discards
            left -= chunk
        return sinter.AnonTaskStats(
            shots=num_shots, errors=errors, discards=discards, seconds=time.monotonic() - start
        )

    def _sample_chunk(self, num_shots: int) -> tuple[int, int]:
        detections, observables = self.sampler.sample(
            shots=num_shots, bit_packed=True, separate_observables=True
        )
        discards = 0
        mask = self.payload.postselection_mask
        if mask is not None:
            discarded = np.any(detections & mask, axis=1)
            discards += int(np.count_nonzero(discarded))
            detections = detections[~discarded]
            observables = observables[~discarded]
        predictions = self.decoder.decode_shots_bit_packed(
            bit_packed_detection_event_data=detections
        )
        predictions = np.asarray(predictions, dtype=np.uint8)
        if predictions.shape[0] != detections.shape[0] or predictions.ndim != 2:
            raise RuntimeError(
                f"decoder returned predictions of shape {predictions.shape} for "
                f"{detections.shape[0]} shots"
            )
        if predictions.shape[1] == observables.shape[1] + 1:  # sinter's discard byte
            discarded = predictions[:, -1] != 0
            discards += int(np.count_nonzero(discarded))
            predictions = predictions[~discarded, :-1]
            observables = observables[~discarded]
        observable_mask = self.payload.postselected_observables_mask
        if observable_mask is not None:
            discarded = np.any((observables ^ predictions) & observable_mask, axis=1)
            discards += int(np.count_nonzero(discarded))
            predictions = predictions[~discarded]
            observables = observables[~discarded]
        errors = int(np.count_nonzero(np.any(observables != predictions, axis=1)))
        return errors, discards


class _WorkerCache:
    """Per-process cache strong_id -> idle compiled samplers (one per concurrent thread)."""

    def __init__(self, max_tasks: int = 8):
        self.max_tasks = max_tasks
        self.lock = threading.Lock()
        self.idle: collections.OrderedDict[str, list[_CompiledBatchSampler]] = (
            collections.OrderedDict()
        )
        self.compilations = 0

    def take(self, payload: _TaskPayload) -> _CompiledBatchSampler:
        with self.lock:
            pool = self.idle.get(payload.strong_id)
            if pool:
                self.idle.move_to_end(payload.strong_id)
                return pool.pop()
            self.compilations += 1
        return _CompiledBatchSampler(payload)

    def give_back(self, compiled: _CompiledBatchSampler) -> None:
        with self.lock:
            key = compiled.payload.strong_id
            self.idle.setdefault(key, []).append(compiled)
            self.idle.move_to_end(key)
            while len(self.idle) > self.max_tasks:
                self.idle.popitem(last=False)


_CACHE = _WorkerCache()


def _make_payload(task: sinter.Task, strong_id: str, decoder: Any) -> _TaskPayload:
    """Runs on a worker (as a dask task, so dask can recompute it if its holder dies)."""
    return _TaskPayload(
        strong_id=strong_id,
        circuit=task.circuit,
        dem=task.detector_error_model,
        decoder=decoder,
        postselection_mask=task.postselection_mask,
        postselected_observables_mask=task.postselected_observables_mask,
    )


def _run_batch(payload: _TaskPayload, batch_id: int, num_shots: int):
    """Runs on a worker: sample and decode ``num_shots`` shots of one task."""
    compiled = _CACHE.take(payload)
    try:
        stats = compiled.sample(num_shots)
    finally:
        _CACHE.give_back(compiled)
    return batch_id, stats


def _worker_compilations() -> int:
    """How many sampler+decoder compilations this worker process did (for tests)."""
    return _CACHE.compilations


# --------------------------------------------------------------------------------------------
# Connecting
# --------------------------------------------------------------------------------------------


def connect(scheduler: Any = None, *, num_workers: int | None = None, timeout: float = 5.0):
    """A dask client for ``scheduler``, and whether the caller owns (must close) it.

    Args:
        scheduler: None (the embedded ``LocalCluster`` of single-threaded worker processes,
            started on first use and reused by later calls in this process),
            an address ``"tcp://host:port"`` of a running ``dask scheduler``, a
            ``dask.distributed.Client`` (used as is, never closed here), or a cluster object
            with a ``scheduler_address``.
        num_workers: Worker processes of the embedded cluster (default: the number of cores);
            only with ``scheduler=None``.
        timeout: Seconds to wait for the scheduler before giving up.

    Returns:
        ``(client, owned)``; when ``owned`` is True, close the client when done. The embedded
        cluster is not owned: it stays up for later calls (see :func:`close_embedded_cluster`).

    Raises:
        QecsimError: Bad arguments, or the scheduler cannot be reached within ``timeout``.
        MissingDependencyError: dask.distributed is not installed.

    Examples:
        >>> try:
        ...     connect("not an address")
        ... except QecsimError as error:
        ...     print(str(error)[:62])
        scheduler='not an address' is not None, a dask Client, a clust
    """
    _check_connect_arguments(scheduler, num_workers=num_workers, timeout=timeout)
    distributed = require("dask.distributed", extra="distributed", package="dask[distributed]")
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if scheduler is None:
        return _embedded_client(num_workers), False
    if not isinstance(scheduler, str):
        scheduler = scheduler.scheduler_address
    # A peer that accepts the connection but never speaks dask (a web server, the dashboard
    # port) makes Client() wait forever, so it gets a hard deadline in a helper thread.
    outcome: dict[str, Any] = {}

    def make_client() -> None:
        try:
            outcome["client"] = distributed.Client(scheduler, timeout=timeout,
                                                   set_as_default=False)
        except BaseException as error:  # reported below, in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=make_client, name="qecsim-connect", daemon=True)
    thread.start()
    thread.join(timeout + 2)
    if "client" in outcome:
        return outcome["client"], True
    reason = outcome.get("error", f"no dask answer within {timeout} s")
    raise QecsimError(
        f"scheduler={scheduler!r} could not be reached within {timeout} s ({reason}); "
        "start one with `dask scheduler` and workers with `dask worker <address>`"
    )


def _check_connect_arguments(scheduler: Any, *, num_workers: Any, timeout: Any) -> None:
    """Cheap checks of :func:`connect` 's arguments (before any long computation)."""
    if num_workers is not None and (
        not isinstance(num_workers, int) or isinstance(num_workers, bool) or num_workers < 1
    ):
        raise QecsimError(f"num_workers={num_workers!r} is not None or an integer in [1, inf)")
    if not (isinstance(timeout, int | float) and timeout > 0):
        raise QecsimError(f"timeout={timeout!r} is not in (0, inf)")
    if isinstance(scheduler, str) and not _looks_like_address(scheduler):
        raise QecsimError(
            f"scheduler={scheduler!r} is not None, a dask Client, a cluster or an address "
            "like 'tcp://host:8786'"
        )
    if num_workers is not None and scheduler is not None:
        raise QecsimError(
            f"num_workers={num_workers!r} is only for scheduler=None (the embedded cluster); "
            "a running cluster has its own workers"
        )
    if scheduler is not None and not isinstance(scheduler, str):
        distributed = require("dask.distributed", extra="distributed", package="dask[distributed]")
        is_client = isinstance(scheduler, distributed.Client)
        if not is_client and not isinstance(getattr(scheduler, "scheduler_address", None), str):
            raise QecsimError(
                f"scheduler={scheduler!r} is not None, a dask Client, a cluster or an address "
                "like 'tcp://host:8786'"
            )


def _looks_like_address(text: str) -> bool:
    if "://" in text:
        protocol, _, rest = text.partition("://")
        return bool(protocol) and bool(rest) and " " not in text
    host, _, port = text.rpartition(":")
    return bool(host) and port.isdigit() and " " not in text


def _close(client: Any) -> None:
    client.close()


_EMBEDDED: dict[str, Any] = {}
_EMBEDDED_LOCK = threading.Lock()


def _embedded_client(num_workers: int | None) -> Any:
    """The client of the embedded LocalCluster, started now unless one with as many workers runs."""
    from qecsim.sampling.local import _default_workers

    distributed = require("dask.distributed", extra="distributed", package="dask[distributed]")
    num_workers = num_workers or _default_workers()
    with _EMBEDDED_LOCK:
        client = _EMBEDDED.get("client")
        if (
            client is not None
            and client.status == "running"
            and _EMBEDDED.get("num_workers") == num_workers
        ):
            return client
        _close_embedded()
        cluster = distributed.LocalCluster(
            n_workers=num_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # no fixed port (None still binds dask's HTTP port 8787)
            scheduler_kwargs={"dashboard": False},
        )
        client = distributed.Client(cluster, set_as_default=False)
        if not _EMBEDDED:
            atexit.register(close_embedded_cluster)
        _EMBEDDED.update(client=client, cluster=cluster, num_workers=num_workers)
        return client


def _close_embedded() -> None:
    client = _EMBEDDED.pop("client", None)
    cluster = _EMBEDDED.pop("cluster", None)
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()


def close_embedded_cluster() -> None:
    """Stop the embedded ``LocalCluster`` that ``scheduler=None`` started, if any.

    The first ``collect(..., backend="dask")`` without a scheduler starts a ``LocalCluster``
    (one single-threaded worker process per core) and later calls reuse it, so a notebook pays
    the start-up (a few seconds) once. It stops by itself when Python exits; call this to free
    its processes earlier. Calling it when no cluster runs does nothing.

    Examples:
        >>> close_embedded_cluster()
    """
    with _EMBEDDED_LOCK:
        _close_embedded()


# --------------------------------------------------------------------------------------------
# Client side
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _TaskState:
    task: sinter.Task
    strong_id: str
    decoder: str
    max_shots: int | None
    max_errors: int | None
    done: sinter.AnonTaskStats
    in_flight_shots: int = 0
    in_flight_batches: int = 0
    seconds_per_shot: float | None = None
    batch_shots: int = _INITIAL_BATCH_SHOTS
    payload: Any = None  # dask future

    def finished(self) -> bool:
        if self.max_shots is not None and self.done.shots >= self.max_shots:
            return True
        return self.max_errors is not None and self.done.errors >= self.max_errors

    def shots_to_submit(self, *, num_threads: int, target_batch_seconds: float,
                        max_batch_shots: int) -> int:
        """Shots for the next batch of this task, 0 when it must not get another one now."""
        if self.finished():
            return 0
        limit = math.inf
        if self.max_shots is not None:
            limit = self.max_shots - self.done.shots - self.in_flight_shots
        if self.max_errors is not None:
            if self.done.shots == 0:
                # No error rate known yet: only the first ramp batches.
                if self.in_flight_batches >= num_threads:
                    return 0
            else:
                errors_left = self.max_errors - self.done.errors
                rate = (self.done.errors + 1) / (self.done.shots + 1)
                expected_shots = math.ceil(errors_left / rate) + 1
                limit = min(limit, expected_shots - self.in_flight_shots)
        if limit <= 0:
            return 0
        size = self.batch_shots
        if self.seconds_per_shot is not None:
            size = int(target_batch_seconds / max(self.seconds_per_shot, 1e-9))
            size = min(size, 16 * self.batch_shots)  # ramp up, as sinter does
        size = max(1, min(size, max_batch_shots))
        return int(min(size, limit))

    def record(self, stats: sinter.AnonTaskStats) -> None:
        self.done += stats
        if stats.shots > 0 and stats.seconds > 0:
            per_shot = stats.seconds / stats.shots
            self.seconds_per_shot = (
                per_shot if self.seconds_per_shot is None
                else 0.5 * self.seconds_per_shot + 0.5 * per_shot
            )
            self.batch_shots = max(self.batch_shots, stats.shots)

    def stats(self) -> sinter.TaskStats:
        return sinter.TaskStats(
            strong_id=self.strong_id,
            decoder=self.decoder,
            json_metadata=self.task.json_metadata,
            shots=self.done.shots,
            errors=self.done.errors,
            discards=self.done.discards,
            seconds=self.done.seconds,
            custom_counts=self.done.custom_counts,
        )


def collect_dask(
    tasks: Iterable[sinter.Task],
    *,
    store: str | os.PathLike | None = "results.csv",
    max_shots: int | None = None,
    max_errors: int | None = None,
    decoders: str | Iterable[str] | None = ("pymatching",),
    scheduler: Any = None,
    progress: bool = True,
    num_workers: int | None = None,
    custom_decoders: Mapping[str, Any] | None = None,
    progress_callback: Callable[[sinter.Progress], None] | None = None,
    connect_timeout: float = 5.0,
    target_batch_seconds: float = 1.0,
    max_batch_shots: int = 1_000_000,
) -> list[sinter.TaskStats]:
    """Collect ``tasks`` on a dask.distributed cluster, appending to a resumable sinter CSV store.

    Usually called as ``qecsim.collect(tasks, backend="dask", scheduler=...)``; the arguments
    mean the same as there, and the store is interchangeable with the local backend's.

    Args:
        tasks: ``sinter.Task`` s (e.g. from ``qecsim.sweep_tasks``); a task without a decoder
            runs once per name in ``decoders``.
        store: The sinter CSV file to resume from and append to (created if missing), or None.
        max_shots: Stop a point at this many shots (store included); None for no limit.
        max_errors: Stop a point once it has this many errors; None for no limit.
        decoders: Decoder names from ``qecsim.decoders`` (tagged DEMs are handled).
        scheduler: None (embedded ``LocalCluster``), an address ``"tcp://host:port"``, a
            ``dask.distributed.Client`` or a cluster object; see :func:`connect`.
        progress: Show the same progress bar as the local backend.
        num_workers: Worker processes of the embedded cluster (default: one per core).
        custom_decoders: Extra ``sinter.Decoder`` s by name (must be picklable).
        progress_callback: Called with a ``sinter.Progress`` for every finished batch.
        connect_timeout: Seconds to wait for a remote scheduler.
        target_batch_seconds: Aim for batches of about this many seconds on a worker.
        max_batch_shots: Upper limit on the shots of one batch.

    Returns:
        One ``sinter.TaskStats`` per point (task x decoder; store and new shots summed), in
        task order.

    Raises:
        QecsimError: Bad input (no tasks, no or non-positive limits, unknown decoder, a store
            that is not sinter CSV, an unreachable scheduler), raised before any sampling.
        MissingDependencyError: dask.distributed or a decoder's package is not installed.

    Examples:
        >>> import qecsim
        >>> try:
        ...     collect_dask([], max_shots=10)
        ... except qecsim.QecsimError as error:
        ...     print(error)
        tasks=[] is empty: the sweep has no points to collect
    """
    from qecsim.sampling.local import _check_count, _check_decoders, _check_store, _check_tasks

    tasks = _check_tasks(tasks)
    max_shots = _check_count("max_shots", max_shots)
    max_errors = _check_count("max_errors", max_errors)
    if max_shots is None and max_errors is None:
        raise QecsimError("max_shots=None and max_errors=None: give at least one limit")
    if not (isinstance(target_batch_seconds, int | float) and target_batch_seconds > 0):
        raise QecsimError(f"target_batch_seconds={target_batch_seconds!r} is not in (0, inf)")
    if max_batch_shots is None:
        raise QecsimError("max_batch_shots=None is not an integer in [1, inf)")
    max_batch_shots = _check_count("max_batch_shots", max_batch_shots)
    if custom_decoders is not None and not isinstance(custom_decoders, Mapping):
        raise QecsimError(f"custom_decoders={custom_decoders!r} is not a dict name -> decoder")
    tasks, names, decoder_objects = _check_decoders(tasks, decoders, dict(custom_decoders or {}))
    for name, decoder in decoder_objects.items():  # they travel to the workers by pickle
        try:
            cloudpickle = require("cloudpickle", extra="distributed")
            cloudpickle.dumps(decoder)
        except Exception as error:
            raise QecsimError(
                f"decoder {name!r} ({type(decoder).__name__}) cannot be sent to dask workers: "
                f"it does not pickle ({error}); use backend='local' or a picklable decoder"
            ) from None
    path, existing, truncate_to = _check_store(store)
    _check_connect_arguments(scheduler, num_workers=num_workers, timeout=connect_timeout)
    require("dask.distributed", extra="distributed", package="dask[distributed]")
    client, owned = None, False
    try:
        if scheduler is not None:  # a remote scheduler: fail fast, before building DEMs
            client, owned = connect(scheduler, timeout=connect_timeout)
        states = _points(tasks, names, existing, max_shots=max_shots, max_errors=max_errors)
        if all(state.finished() for state in states.values()):
            return [state.stats() for state in states.values()]
        if client is None:
            from qecsim.sampling.local import _check_spawn_ready

            _check_spawn_ready()  # the embedded cluster's workers are spawned like sinter's
            client, owned = connect(None, num_workers=num_workers, timeout=connect_timeout)
        if path is not None:
            _prepare_store(path, truncate_to)
        _run(
            client,
            list(states.values()),
            decoder_objects,
            path=path,
            existing=existing,
            max_shots=max_shots,
            max_errors=max_errors,
            progress=progress,
            progress_callback=progress_callback,
            target_batch_seconds=float(target_batch_seconds),
            max_batch_shots=max_batch_shots,
        )
    finally:
        if owned:
            _close(client)
    return [state.stats() for state in states.values()]


def _points(
    tasks: list[sinter.Task],
    names: tuple[str, ...],
    existing: dict[str, sinter.TaskStats],
    *,
    max_shots: int | None,
    max_errors: int | None,
) -> dict[str, _TaskState]:
    """One state per point (task x decoder), keyed by sinter's strong_id, in task order."""
    states: dict[str, _TaskState] = {}  # one per point, in task order
    for task in tasks:
        for decoder in [task.decoder] if task.decoder is not None else names:
            filled = _fill_in(task, decoder)
            strong_id = filled.strong_id()
            if strong_id in states:
                continue
            options = task.collection_options.combine(
                sinter.CollectionOptions(max_shots=max_shots, max_errors=max_errors)
            )
            previous = existing.get(strong_id)
            states[strong_id] = _TaskState(
                task=filled,
                strong_id=strong_id,
                decoder=decoder,
                max_shots=options.max_shots,
                max_errors=options.max_errors,
                done=previous.to_anon_stats() if previous is not None else sinter.AnonTaskStats(),
            )
    return states


def _fill_in(task: sinter.Task, decoder: str) -> sinter.Task:
    from qecsim.sampling.local import _fill_in

    return _fill_in(task, decoder)


def _prepare_store(path: pathlib.Path, truncate_to: int | None) -> None:
    """Create the store with sinter's header, or cut a torn last row of a killed run."""
    from qecsim.sampling.local import _csv_header

    path.parent.mkdir(parents=True, exist_ok=True)
    if truncate_to is not None:
        warnings.warn(
            f"store {str(path)!r} ended in a torn row (a killed run); dropped it", stacklevel=3
        )
        os.truncate(path, truncate_to)
    if not path.exists() or b"\n" not in path.read_bytes():
        path.write_text(_csv_header() + "\n")  # new, empty, or the header alone


#: Seconds a run waits for a cluster that has no workers before it gives up.
NO_WORKERS_TIMEOUT = 60.0


def _next_finished(queue: Any, client: Any, *, timeout: float | None = None) -> Any:
    """The next finished future; QecsimError if the cluster has had no workers for too long.

    ``next(queue)`` alone waits forever when every worker is gone (dask keeps the futures
    pending until a worker comes back).
    """
    timeout = NO_WORKERS_TIMEOUT if timeout is None else timeout
    without_workers_since = None
    next_check = 0.0
    while not queue.has_ready():
        now = time.monotonic()
        if now >= next_check:
            next_check = now + 1.0
            if client.scheduler_info().get("workers"):
                without_workers_since = None
            elif without_workers_since is None:
                without_workers_since = now
            elif now - without_workers_since > timeout:
                raise QecsimError(
                    f"the dask cluster at {client.scheduler.address} has had no workers for "
                    f"{timeout:g} s; start workers (`dask worker <address>`) and rerun: the "
                    "store keeps every finished batch"
                )
        time.sleep(0.01)
    return next(queue)


def _run(
    client: Any,
    states: list[_TaskState],
    decoder_objects: dict[str, Any],
    *,
    path: pathlib.Path | None,
    existing: dict[str, sinter.TaskStats],
    max_shots: int | None,
    max_errors: int | None,
    progress: bool,
    progress_callback: Callable[[sinter.Progress], None] | None,
    target_batch_seconds: float,
    max_batch_shots: int,
) -> None:
    """Submit batches, record results as they arrive, until every point is finished."""
    from qecsim.sampling.local import _ProgressBar

    distributed = require("dask.distributed", extra="distributed", package="dask[distributed]")
    run_token = uuid.uuid4().hex[:12]
    batch_ids = itertools.count()
    in_flight: dict[str, tuple[int, _TaskState, int]] = {}  # key -> (batch id, point, shots)
    futures: dict[str, Any] = {}
    resubmissions: collections.Counter[int] = collections.Counter()
    recorded: set[int] = set()
    queue = distributed.as_completed(loop=client.loop)
    threads = {"count": 1, "checked": -math.inf}

    def submit(batch_id: int, state: _TaskState, shots: int) -> None:
        if state.payload is None:
            state.payload = client.submit(
                _make_payload,
                state.task,
                state.strong_id,
                decoder_objects[state.decoder],
                key=f"qecsim-point-{run_token}-{state.strong_id[:16]}",
                pure=False,
            )
        key = f"qecsim-batch-{run_token}-{batch_id}-{resubmissions[batch_id]}"
        future = client.submit(_run_batch, state.payload, batch_id, shots, key=key, pure=False)
        in_flight[key] = (batch_id, state, shots)
        futures[key] = future
        state.in_flight_shots += shots
        state.in_flight_batches += 1
        queue.add(future)

    def submit_more() -> None:
        now = time.monotonic()
        if now - threads["checked"] > 1.0:  # workers come and go
            threads["count"] = max(1, sum(client.nthreads().values()))
            threads["checked"] = now
        target = 2 * threads["count"]
        while len(in_flight) < target:
            submitted = False
            for state in states:
                if len(in_flight) >= target:
                    break
                shots = state.shots_to_submit(
                    num_threads=threads["count"],
                    target_batch_seconds=target_batch_seconds,
                    max_batch_shots=max_batch_shots,
                )
                if shots > 0:
                    submit(next(batch_ids), state, shots)
                    submitted = True
            if not submitted:
                break

    bar = _ProgressBar(
        [state.strong_id for state in states],
        existing,
        max_shots=max_shots,
        max_errors=max_errors,
        enabled=bool(progress),
    )
    out = open(path, "a", encoding="utf-8") if path is not None else None
    try:
        submit_more()
        while in_flight:
            future = _next_finished(queue, client)
            entry = in_flight.pop(future.key, None)
            futures.pop(future.key, None)
            if entry is None:
                continue
            batch_id, state, shots = entry
            state.in_flight_shots -= shots
            state.in_flight_batches -= 1
            if future.status == "cancelled" and resubmissions[batch_id] < 3:
                # Lost without an error of its own (e.g. the scheduler dropped it): same id.
                resubmissions[batch_id] += 1
                submit(batch_id, state, shots)
                continue
            if future.status != "finished":
                error = future.exception() if future.status == "error" else None
                raise RuntimeError(
                    f"batch {batch_id} ({shots} shots) of the point "
                    f"{state.task.json_metadata!r} with decoder {state.decoder!r} failed: "
                    f"{error!r} (status {future.status!r})"
                ) from error
            result_id, stats = future.result()
            if result_id != batch_id or result_id in recorded:
                continue  # never count a batch twice
            recorded.add(result_id)
            state.record(stats)
            row = sinter.TaskStats(
                strong_id=state.strong_id,
                decoder=state.decoder,
                json_metadata=state.task.json_metadata,
                shots=stats.shots,
                errors=stats.errors,
                discards=stats.discards,
                seconds=stats.seconds,
                custom_counts=stats.custom_counts,
            )
            if out is not None:
                out.write(row.to_csv_line() + "\n")  # one write: a kill leaves whole rows
                out.flush()
            update = sinter.Progress(new_stats=(row,), status_message="")
            bar(update)
            if progress_callback is not None:
                progress_callback(update)
            submit_more()
    finally:
        if out is not None:
            out.close()
        bar.close()
        leftovers = list(futures.values())
        leftovers += [state.payload for state in states if state.payload is not None]
        if leftovers:
            try:
                client.cancel(leftovers)
            except Exception:  # the client may already be closed
                pass
