"""The budget's scheduler: batches of every sample set on worker processes, reproducibly.

:func:`sample_all` runs every :class:`~qecsim.budget.worker.SampleConfig` until it has
``max_errors`` logical errors or ``max_shots`` shots. Batch k of configuration i has the fixed
size min(1000 x 2^k, 200000) (cut at max_shots) and the seed
``SeedSequence(seed, spawn_key=(i, k))``; batches are merged in index order with the stopping
rules applied after each, so a seed gives the same result whatever the number of workers. With
a :class:`~qecsim.budget.store.BatchStore`, batches found there are merged instead of sampled
and every new batch is stored as it finishes, so an interrupted run continues where it stopped.

Ctrl-C raises :class:`Interrupted` (a ``KeyboardInterrupt``) with one line that says what is
kept; worker processes ignore SIGINT (they are stopped by the main process) so that no
traceback of theirs reaches the terminal.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qecsim.budget.progress import progress_bar
from qecsim.budget.store import BatchStore
from qecsim.budget.worker import SampleConfig, run_batch

__all__ = ["Interrupted", "Tally", "sample_all"]

_FIRST_BATCH = 1_000
_MAX_BATCH = 200_000
_LABELS = ("groups", "components", "group_fisher", "component_fisher")


@dataclass
class Tally:
    """The merged results of one configuration's batches, merged in batch order."""

    config: SampleConfig
    shots: int = 0
    errors: int = 0
    sums: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, tuple] = field(default_factory=dict)
    scheduled_shots: int = 0  # shots of every batch submitted so far
    next_index: int = 0  # index of the next batch to submit
    arrived: dict[int, dict[str, Any]] = field(default_factory=dict)  # not merged yet
    merged: int = 0  # batches merged so far (always a prefix 0 .. merged - 1)
    done: bool = False

    def add(self, result: dict[str, Any]) -> None:
        """Merge one batch's statistics."""
        self.shots += result["shots"]
        self.errors += result["errors"]
        for key, value in result.items():
            if key in _LABELS:
                self.labels[key] = value
            elif key not in ("shots", "errors"):
                self.sums[key] = self.sums.get(key, 0) + value


@dataclass(frozen=True)
class _Batch:
    config_index: int
    index: int
    shots: int
    seed: int


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a budget: the message says what is kept and how to continue."""


class _Scheduler:
    """Which batch comes next, and the in-order merge of the batches that arrive."""

    def __init__(self, configs: Sequence[SampleConfig], *, max_shots: int, max_errors: int,
                 seed: int | None, bar: Any, store: BatchStore | None) -> None:
        self.tallies = [Tally(c) for c in configs]
        self.max_shots, self.max_errors = max_shots, max_errors
        if seed is None and store is not None:
            seed = store.entropy  # an unseeded run continues with the store's own seed
        self.entropy = np.random.SeedSequence(seed).entropy
        self.bar = bar
        self.store = store
        self.cpu = 0.0

    def next_batch(self, i: int) -> _Batch | None:
        """Configuration i's next batch, or None if it is not needed now."""
        tally = self.tallies[i]
        remaining = self.max_shots - tally.scheduled_shots
        rate = (tally.errors + 0.5) / (tally.shots + 0.5 / 0.01)  # prior: 1% failures
        expected = tally.errors + (tally.scheduled_shots - tally.shots) * rate
        if tally.done or remaining <= 0 or expected >= self.max_errors:
            return None
        index = tally.next_index
        shots = min(_FIRST_BATCH * 2 ** min(index, 20), _MAX_BATCH, remaining)
        seed = np.random.SeedSequence(self.entropy, spawn_key=(i, index)).generate_state(1)[0]
        tally.next_index += 1
        tally.scheduled_shots += shots
        return _Batch(i, index, shots, int(seed))

    def recall(self, batch: _Batch) -> bool:
        """Merge the batch from the store if it is there; whether it was."""
        config = self.tallies[batch.config_index].config
        if self.store is None or (config, batch.shots, batch.seed) not in self.store:
            return False
        self.arrive(batch, *self.store.get(config, batch.shots, batch.seed))
        return True

    def finish(self, batch: _Batch, result: dict[str, Any], seconds: float) -> None:
        """Store a batch that was just sampled, then merge it."""
        if self.store is not None:
            config = self.tallies[batch.config_index].config
            self.store.add(config, batch.shots, batch.seed, result, seconds)
        self.arrive(batch, result, seconds)

    def arrive(self, batch: _Batch, result: dict[str, Any], seconds: float) -> None:
        """Merge a finished batch (and any that waited for it); discard it past the stop."""
        self.cpu += seconds
        tally = self.tallies[batch.config_index]
        if tally.done:
            return
        tally.arrived[batch.index] = result
        while tally.merged in tally.arrived and not tally.done:
            before = min(tally.errors, self.max_errors)
            tally.add(tally.arrived.pop(tally.merged))
            tally.merged += 1
            tally.done = tally.errors >= self.max_errors or tally.shots >= self.max_shots
            self.bar.update(min(tally.errors, self.max_errors) - before)
        if tally.done:
            tally.arrived.clear()
            self.bar.update(self.max_errors - min(tally.errors, self.max_errors))  # max_shots

    def run_here(self) -> None:
        """Every batch in this process, one configuration after the other."""
        for i, tally in enumerate(self.tallies):
            while not tally.done and (batch := self.next_batch(i)) is not None:
                if not self.recall(batch):
                    self.finish(batch, *run_batch(tally.config, batch.shots, batch.seed))

    def run_on(self, pool: concurrent.futures.Executor, num_workers: int) -> None:
        """Every batch on a pool, keeping two batches per worker in flight."""
        pending: dict[concurrent.futures.Future, _Batch] = {}

        def submit_more() -> None:
            # the last configurations (largest distances) are the slowest: start them first
            for i, tally in reversed(list(enumerate(self.tallies))):
                while len(pending) < 2 * num_workers and (batch := self.next_batch(i)) is not None:
                    if not self.recall(batch):
                        with _sigint_ignored():  # inherited by a worker spawned now
                            future = pool.submit(run_batch, tally.config, batch.shots, batch.seed)
                        pending[future] = batch
                if len(pending) >= 2 * num_workers:
                    return

        submit_more()
        while pending:
            finished, _ = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                self.finish(pending.pop(future), *future.result())
            submit_more()

    def interrupted(self) -> Interrupted:
        """The one-line account of an interruption: progress, what is kept, how to continue."""
        if self.store is None:
            return Interrupted("interrupted; nothing is kept (no batch store)")
        batches, shots = self.store.summary([t.config for t in self.tallies])
        return Interrupted(
            f"interrupted; {batches} finished batches ({shots} shots) are kept in "
            f"{self.store.path}: rerun the same command to continue"
        )


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while worker processes start (they inherit it; the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_on_workers(scheduler: _Scheduler, num_workers: int) -> None:
    """The pool's part; on any exception (Ctrl-C) the workers are stopped at once."""
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(num_workers, mp_context=context,
                                                  initializer=_ignore_sigint)
    try:
        scheduler.run_on(pool, num_workers)
    except BaseException:
        # stop at once: do not wait for running batches (the pool has no public way to stop
        # its workers before Python 3.14's terminate_workers)
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        raise
    pool.shutdown(wait=True)


def sample_all(
    configs: Sequence[SampleConfig],
    *,
    max_shots: int,
    max_errors: int,
    seed: int | None,
    num_workers: int,
    progress: bool,
    description: str,
    store: BatchStore | None = None,
) -> tuple[list[Tally], float]:
    """Sample every configuration until max_errors or max_shots, on num_workers processes.

    Reproducible for a seed whatever ``num_workers`` is (see the module docstring); batches
    that finish beyond the stopping point are discarded (their CPU time still counts).

    Returns:
        One :class:`Tally` per configuration, in order, and the CPU seconds spent (those of
        batches taken from the store included).

    Raises:
        Interrupted: Ctrl-C; the message says what the store keeps.
    """
    bar = progress_bar(progress, total=len(configs) * max_errors, description=description)
    scheduler = _Scheduler(configs, max_shots=max_shots, max_errors=max_errors, seed=seed,
                           bar=bar, store=store)
    try:
        if num_workers <= 1:
            scheduler.run_here()
        else:
            _run_on_workers(scheduler, num_workers)
    except KeyboardInterrupt:
        bar.close()
        raise scheduler.interrupted() from None
    finally:
        bar.close()
    return scheduler.tallies, scheduler.cpu
