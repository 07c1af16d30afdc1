"""The local worker pool: warm worker processes that run the batch engine.

The local backend's workers are processes started with the ``spawn`` method (so they work
in notebooks, in scripts with a ``__main__`` guard and in the ``qecsim`` command line, on
every platform). They start on the first :func:`qecsim.collect` of a process and stay up for
later calls, so a notebook pays their start-up (importing stim, pymatching and qecsim: about
a second) once; they stop when Python exits, or earlier with :func:`close_local_workers`.

Each worker is one process with one duplex pipe. The client sends it batches
``(run token, batch id, strong id, shots, payload or None)``; the worker runs them in order
through :func:`qecsim.sampling.engine.run_batch` and answers each with its statistics (or the
traceback of its error). A point's payload (circuit, DEM, decoder) travels to a worker once:
client and worker keep the same least-recently-used list of the payloads the worker holds,
updated in the same order, so the client knows when to send it again. Messages go out through
one sender thread per worker, so a large payload never blocks the client's loop and Ctrl-C
never interrupts a message half-written.

The workers ignore SIGINT (Ctrl-C in a terminal reaches the whole process group): the client
alone handles an interruption, by stopping its workers; the next call starts new ones.

Examples:
    >>> close_local_workers()  # nothing runs yet: does nothing
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import signal
import threading
import traceback
import uuid
from collections.abc import Iterator
from typing import Any

from qecsim.errors import QecsimError
from qecsim.sampling.driver import Outcome
from qecsim.sampling.engine import make_payload, run_batch
from qecsim.sampling.points import PointState
from qecsim.sampling.spawn import sigint_ignored, worker_died_error

__all__ = [
    "PoolExecutor",
    "WorkerPool",
    "borrowed_pool",
    "check_picklable",
    "close_local_workers",
]

#: Payloads a worker keeps (least recently used dropped first); the client mirrors the list.
PAYLOADS_PER_WORKER = 32


def dumps(value: Any) -> bytes:
    """Pickle for a worker: cloudpickle when installed (it sends classes defined in a notebook
    or a ``python -c`` script by value, which plain pickle cannot), else pickle."""
    try:
        import cloudpickle
    except ImportError:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return cloudpickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def check_picklable(decoder_objects: dict[str, Any]) -> None:
    """QecsimError naming a decoder that cannot be sent to a worker process."""
    for name, decoder in decoder_objects.items():
        try:
            dumps(decoder)
        except Exception as error:
            raise QecsimError(
                f"decoder {name!r} ({type(decoder).__name__}) cannot be sent to worker "
                f"processes: it does not pickle ({error})"
            ) from None


# --------------------------------------------------------------------------------------------
# Worker side


def _hold(held: collections.OrderedDict, strong_id: str, payload: Any = None) -> None:
    """The shared LRU rule: insert or touch ``strong_id``, drop the oldest over the limit."""
    if payload is not None or strong_id not in held:
        held[strong_id] = payload
    held.move_to_end(strong_id)
    while len(held) > PAYLOADS_PER_WORKER:
        held.popitem(last=False)


def _worker_main(conn: multiprocessing.connection.Connection) -> None:
    """A worker process: answer batches until told to stop or the client goes away."""
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the client handles Ctrl-C
    payloads: collections.OrderedDict[str, Any] = collections.OrderedDict()
    try:
        conn.send(("ready", os.getpid()))
        with contextlib.suppress(ImportError):
            import pymatching  # noqa: F401  (warm the usual decoder while the client works)
        while True:
            message = conn.recv()
            if message[0] == "stop":
                return
            _, token, batch_id, strong_id, shots, payload = message
            try:
                if payload is not None:
                    payload = pickle.loads(payload)
                _hold(payloads, strong_id, payload)
                if payloads[strong_id] is None:
                    raise RuntimeError(f"worker {os.getpid()} lost the payload of {strong_id}")
                _, stats = run_batch(payloads[strong_id], batch_id, shots)
                reply = ("done", token, batch_id, stats)
            except Exception:
                reply = ("error", token, batch_id, traceback.format_exc())
            conn.send(reply)
    except (EOFError, OSError):  # the client closed the pipe or exited
        return


# --------------------------------------------------------------------------------------------
# Client side


class _Worker:
    """The client's handle on one worker process."""

    def __init__(self, context: Any, index: int):
        parent, child = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_worker_main, args=(child,), daemon=True, name=f"qecsim-worker-{index}"
        )
        with sigint_ignored():
            self.process.start()
        child.close()
        self.conn = parent
        self.ready = False
        self.held: collections.OrderedDict[str, Any] = collections.OrderedDict()
        self.pending: dict[tuple[str, int], float] = {}  # (token, batch id) -> est. seconds
        self.outbox: queue.Queue = queue.Queue()
        self.sender = threading.Thread(target=self._send_loop, daemon=True,
                                       name=f"qecsim-sender-{index}")
        self.sender.start()

    def _send_loop(self) -> None:
        while True:
            message = self.outbox.get()
            if message is None:
                return
            try:
                self.conn.send(message)
            except (OSError, ValueError, TypeError):  # the worker died (the client sees its
                return  # sentinel), or stop() closed the pipe (TypeError: its handle is None)

    def send(self, message: tuple) -> None:
        self.outbox.put(message)

    def load(self) -> tuple[float, int]:
        return sum(self.pending.values()), len(self.pending)

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self, *, now: bool) -> None:
        if not now:
            self.outbox.put(("stop",))
        self.outbox.put(None)
        if not now:
            self.process.join(timeout=0.5)
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=5)
        # the sender may be writing to the pipe (a broken one now): let it see that and stop
        # before the pipe is closed under it (a traceback from its thread after Ctrl-C)
        self.sender.join(timeout=1)
        self.conn.close()


class WorkerPool:
    """Worker processes kept warm across calls; grows to the largest ``num_workers`` asked."""

    def __init__(self) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.started = 0

    def start(self, num_workers: int) -> list[_Worker]:
        """The first ``num_workers`` live workers, starting (not waiting for) missing ones."""
        for worker in [w for w in self.workers if not w.alive()]:
            self.workers.remove(worker)
            worker.stop(now=True)
        while len(self.workers) < num_workers:
            self.workers.append(_Worker(self.context, self.started))
            self.started += 1
        return self.workers[:num_workers]

    def replace(self, worker: _Worker) -> _Worker:
        """A new worker in the place of a dead one."""
        index = self.workers.index(worker)
        worker.stop(now=True)
        self.workers[index] = _Worker(self.context, self.started)
        self.started += 1
        return self.workers[index]

    def close(self, *, now: bool = False) -> None:
        """Stop every worker (``now``: terminate at once, without finishing a batch)."""
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.stop(now=now)


_SHARED: dict[str, WorkerPool] = {}
_SHARED_LOCK = threading.Lock()


@contextlib.contextmanager
def borrowed_pool() -> Iterator[WorkerPool]:
    """The process's shared pool; a private one (closed afterwards) while another thread runs."""
    with _SHARED_LOCK:
        pool = _SHARED.get("pool")
        if pool is None or pool.pid != os.getpid():  # none yet, or inherited by fork
            pool = _SHARED["pool"] = WorkerPool()
            if not _SHARED.get("atexit"):
                atexit.register(close_local_workers)
                _SHARED["atexit"] = True  # type: ignore[assignment]
    if pool.lock.acquire(blocking=False):
        try:
            yield pool
        finally:
            pool.lock.release()
        return
    private = WorkerPool()
    try:
        yield private
    finally:
        private.close()


def close_local_workers() -> None:
    """Stop the local backend's worker processes, if any (they restart when needed).

    They stop by themselves when Python exits; call this to free their memory earlier.

    Examples:
        >>> close_local_workers()
    """
    with _SHARED_LOCK:
        pool = _SHARED.pop("pool", None)
    if isinstance(pool, WorkerPool) and pool.pid == os.getpid():
        pool.close()


class PoolExecutor:
    """Batches of one run on the pool's workers (see :class:`driver.BatchExecutor`).

    Each batch goes to the worker with the least work queued (estimated seconds, then
    batches), so that the last batches of a run end together. A worker that dies loses its
    batches (the driver resubmits them) and is replaced; one that dies before it was ever
    ready could not import the main module: that is a :class:`qecsim.QecsimError`.
    """

    def __init__(self, pool: WorkerPool, workers: list[_Worker], decoder_objects: dict):
        self.pool = pool
        self.workers = workers
        self.decoder_objects = decoder_objects
        self.token = uuid.uuid4().hex
        self.outcomes: collections.deque[Outcome] = collections.deque()

    def num_threads(self) -> int:
        return len(self.workers)

    def submit(self, batch_id: int, point: PointState, shots: int) -> None:
        worker = min(self.workers, key=_Worker.load)
        payload = None
        if point.strong_id not in worker.held:
            payload = dumps(make_payload(point.task, point.strong_id,
                                         self.decoder_objects[point.decoder]))
        _hold(worker.held, point.strong_id)
        worker.pending[(self.token, batch_id)] = shots * (point.seconds_per_shot or 0.0)
        worker.send(("batch", self.token, batch_id, point.strong_id, shots, payload))

    def next_outcome(self) -> Outcome:
        while not self.outcomes:
            self._poll()
        return self.outcomes.popleft()

    def _poll(self) -> None:
        by_conn = {w.conn: w for w in self.workers}
        by_sentinel = {w.process.sentinel: w for w in self.workers}
        for ready in multiprocessing.connection.wait([*by_conn, *by_sentinel]):
            worker = by_conn.get(ready) or by_sentinel[ready]
            if worker not in self.workers:
                continue  # replaced earlier in this loop
            try:
                while worker.conn.poll():
                    self._handle(worker, worker.conn.recv())
            except (EOFError, OSError):
                pass
            if not worker.alive():
                self._lost(worker)

    def _handle(self, worker: _Worker, message: tuple) -> None:
        if message[0] == "ready":
            worker.ready = True
            return
        kind, token, batch_id, result = message
        worker.pending.pop((token, batch_id), None)
        if token != self.token:
            return  # a batch of an earlier run that ended in an error
        if kind == "done":
            self.outcomes.append(Outcome(batch_id=batch_id, stats=result))
        else:
            self.outcomes.append(Outcome(batch_id=batch_id, error=result))

    def _lost(self, worker: _Worker) -> None:
        if not worker.ready:
            exitcode = worker.process.exitcode
            self.pool.close(now=True)
            raise worker_died_error(exitcode)
        lost = [batch_id for token, batch_id in worker.pending if token == self.token]
        self.outcomes.extend(Outcome(batch_id=batch_id, lost=True) for batch_id in lost)
        self.workers[self.workers.index(worker)] = self.pool.replace(worker)

    def abort(self, *, interrupted: bool) -> None:
        if interrupted:  # the workers are busy with batches nobody wants: stop them now
            self.pool.close(now=True)

