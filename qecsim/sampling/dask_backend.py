"""Scale-out collection on a dask.distributed cluster: same tasks, same store, same stopping rules.

``qecsim.collect(tasks, backend="dask", scheduler=...)`` lands here. The client splits every
task into batches of shots (:mod:`qecsim.sampling.driver`, shared with the local backend) and
submits them as dask futures; a worker runs a batch through the shared batch engine
(:mod:`qecsim.sampling.engine`: sample with stim, decode with ``compile_decoder_for_dem`` +
``decode_shots_bit_packed``) and returns a ``sinter.AnonTaskStats``. How it works:

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
import contextlib
import itertools
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sinter

from qecsim.errors import QecsimError, require
from qecsim.sampling.driver import Outcome, run_points
from qecsim.sampling.engine import make_payload, run_batch
from qecsim.sampling.points import (
    PointState,
    check_count,
    check_decoders,
    check_limits,
    check_tasks,
    default_workers,
    make_points,
)
from qecsim.sampling.spawn import check_spawn_ready, ctrl_c_held, sigint_ignored
from qecsim.sampling.store import open_store, prepare_store

__all__ = ["NO_WORKERS_TIMEOUT", "close_embedded_cluster", "collect_dask", "connect"]

#: Seconds a run waits for a cluster that has no workers before it gives up.
NO_WORKERS_TIMEOUT = 60.0


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
    distributed = require("dask.distributed", extra="distributed", package="dask[distributed]")
    num_workers = num_workers or default_workers()
    with _EMBEDDED_LOCK:
        client = _EMBEDDED.get("client")
        if (
            client is not None
            and client.status == "running"
            and _EMBEDDED.get("num_workers") == num_workers
        ):
            return client
        _close_embedded()
        with sigint_ignored():  # Ctrl-C stops the client, not the workers
            cluster = distributed.LocalCluster(
                n_workers=num_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # no fixed port (None still binds dask's port 8787)
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
    # Stopping busy workers (after Ctrl-C, at exit) makes dask's nannies warn that they had
    # to kill them: expected here, so not shown.
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    finally:
        logger.setLevel(level)


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
        KeyboardInterrupt: Ctrl-C; the message says how many shots the store keeps.

    Examples:
        >>> import qecsim
        >>> try:
        ...     collect_dask([], max_shots=10)
        ... except qecsim.QecsimError as error:
        ...     print(error)
        tasks=[] is empty: the sweep has no points to collect
    """
    tasks = check_tasks(tasks)
    max_shots, max_errors = check_limits(max_shots, max_errors)
    if not (isinstance(target_batch_seconds, int | float) and target_batch_seconds > 0):
        raise QecsimError(f"target_batch_seconds={target_batch_seconds!r} is not in (0, inf)")
    if max_batch_shots is None:
        raise QecsimError("max_batch_shots=None is not an integer in [1, inf)")
    max_batch_shots = check_count("max_batch_shots", max_batch_shots)
    tasks, names, decoder_objects = check_decoders(tasks, decoders, custom_decoders)
    _check_picklable(decoder_objects)
    opened = open_store(store)
    _check_connect_arguments(scheduler, num_workers=num_workers, timeout=connect_timeout)
    require("dask.distributed", extra="distributed", package="dask[distributed]")
    client, owned = None, False
    try:
        if scheduler is not None:  # a remote scheduler: fail fast, before building DEMs
            client, owned = connect(scheduler, timeout=connect_timeout)
        points = make_points(tasks, names, opened.existing, max_shots=max_shots,
                             max_errors=max_errors)
        if all(point.finished() for point in points.values()):
            return [point.stats() for point in points.values()]
        if client is None:
            check_spawn_ready()  # the embedded cluster's workers are spawned like sinter's
            client, owned = connect(None, num_workers=num_workers, timeout=connect_timeout)
        if opened.path is not None:
            prepare_store(opened.path, opened.truncate_to, stacklevel=3)
        run_points(
            _DaskExecutor(client, decoder_objects),
            list(points.values()),
            store=opened.path,
            existing=opened.existing,
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
    return [point.stats() for point in points.values()]


def _check_picklable(decoder_objects: dict[str, Any]) -> None:
    for name, decoder in decoder_objects.items():  # they travel to the workers by pickle
        try:
            cloudpickle = require("cloudpickle", extra="distributed")
            cloudpickle.dumps(decoder)
        except Exception as error:
            raise QecsimError(
                f"decoder {name!r} ({type(decoder).__name__}) cannot be sent to dask workers: "
                f"it does not pickle ({error}); use backend='local' or a picklable decoder"
            ) from None


class _DaskExecutor:
    """Batches of the batch engine as dask futures (see :class:`driver.BatchExecutor`).

    Each point's payload is one computed future (not scattered data), so dask can rebuild it
    if the only worker holding it dies; a batch that dask cancels without an error of its
    own is reported lost (the driver resubmits it under the same batch id).
    """

    def __init__(self, client: Any, decoder_objects: dict[str, Any]):
        distributed = require("dask.distributed", extra="distributed",
                              package="dask[distributed]")
        self.client = client
        self.decoder_objects = decoder_objects
        self.token = uuid.uuid4().hex[:12]
        self.queue = distributed.as_completed(loop=client.loop)
        self.futures: dict[str, tuple[int, Any]] = {}  # key -> (batch id, future)
        self.payloads: dict[str, Any] = {}  # strong id -> future
        self.attempts = itertools.count()
        self.threads, self.checked = 1, -float("inf")

    def num_threads(self) -> int:
        now = time.monotonic()
        if now - self.checked > 1.0:  # workers come and go
            with ctrl_c_held():  # a round trip cut short by Ctrl-C makes dask log an error
                self.threads = max(1, sum(self.client.nthreads().values()))
            self.checked = now
        return self.threads

    def submit(self, batch_id: int, point: PointState, shots: int) -> None:
        payload = self.payloads.get(point.strong_id)
        if payload is None:
            payload = self.payloads[point.strong_id] = self.client.submit(
                make_payload,
                point.task,
                point.strong_id,
                self.decoder_objects[point.decoder],
                key=f"qecsim-point-{self.token}-{point.strong_id[:16]}",
                pure=False,
            )
        key = f"qecsim-batch-{self.token}-{batch_id}-{next(self.attempts)}"
        future = self.client.submit(run_batch, payload, batch_id, shots, key=key, pure=False)
        self.futures[key] = (batch_id, future)
        self.queue.add(future)

    def next_outcome(self) -> Outcome:
        future = _next_finished(self.queue, self.client)
        with ctrl_c_held():  # fetching the result is a round trip: see num_threads
            return self._outcome(future)

    def _outcome(self, future: Any) -> Outcome:
        batch_id, _ = self.futures.pop(future.key, (None, None))
        if batch_id is None:
            return Outcome(batch_id=-1, lost=True)  # not ours any more: the driver skips it
        if future.status == "cancelled":  # e.g. the scheduler dropped it
            return Outcome(batch_id=batch_id, lost=True)
        if future.status != "finished":
            error = future.exception() if future.status == "error" else None
            return Outcome(batch_id=batch_id, error=error or f"status {future.status!r}")
        result_id, stats = future.result()
        if result_id != batch_id:
            return Outcome(batch_id=-1, lost=True)
        return Outcome(batch_id=batch_id, stats=stats)

    def abort(self, *, interrupted: bool) -> None:
        if interrupted and self.client is _EMBEDDED.get("client"):
            # Ctrl-C: stop the embedded cluster now, as the local backend stops its workers
            # (the next call starts a new one). Its workers would log a warning for each
            # batch cancelled under them, after the run's one-line message: not shown.
            self.futures.clear()
            with contextlib.suppress(Exception):
                self.client.run(_quiet_worker_logs)
            close_embedded_cluster()
            return
        leftovers = [future for _, future in self.futures.values()]
        leftovers += list(self.payloads.values())
        self.futures.clear()
        if leftovers:
            try:
                self.client.cancel(leftovers)
            except Exception:  # the client may already be closed
                pass


def _quiet_worker_logs() -> None:
    """On a worker of the embedded cluster that is being stopped: nothing about the batches
    cancelled under it, nor about peers that vanish mid-transfer as the cluster stops."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


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
            with ctrl_c_held():  # a round trip: see _DaskExecutor.num_threads
                workers = client.scheduler_info().get("workers")
            if workers:
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
