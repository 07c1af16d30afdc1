"""The budget's scheduler: batches of every sample set on worker processes, reproducibly.

:func:`sample_all` runs every :class:`~qecsim.budget.worker.SampleConfig` until it has
``max_errors`` logical errors or ``max_shots`` shots. Batch k of configuration i has the fixed
size min(1000 x 2^k, 200000) (cut at max_shots) and the seed
``SeedSequence(seed, spawn_key=(i, k))``; batches are merged in index order with the stopping
rules applied after each, so a seed gives the same result whatever the number of workers. With
a :class:`~qecsim.budget.store.BatchStore`, batches found there are merged instead of sampled
and every new batch is stored as it finishes, so an interrupted run continues where it stopped.

Ctrl-C raises :class:`Interrupted` (a ``KeyboardInterrupt``) with one line that says how many
shots of the most the budget could take (``max_shots`` per sample set) are kept, and how to
go on; worker processes ignore SIGINT (they are stopped by the main process) so that no
traceback of theirs reaches the terminal. A run that finds batches of its own in the store
logs one line (logger ``qecsim.budget.sampling``, INFO; the command line prints it) before
it starts.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qecsim.budget.progress import progress_bar
from qecsim.budget.store import BatchStore
from qecsim.budget.worker import SampleConfig, run_batch
from qecsim.sampling.spawn import sigint_ignored

__all__ = ["INTERRUPTED_BEFORE_SAMPLING", "Interrupted", "Tally", "sample_all"]

#: The message of a Ctrl-C that came before the first batch was sampled.
INTERRUPTED_BEFORE_SAMPLING = (
    "interrupted before sampling: nothing new is stored; rerun the same command to start"
)
_LOG = logging.getLogger(__name__)

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

    def _batch(self, i: int, index: int, scheduled_shots: int) -> _Batch:
        """Batch ``index`` of configuration i, after ``scheduled_shots`` shots before it."""
        shots = min(_FIRST_BATCH * 2 ** min(index, 20), _MAX_BATCH,
                    self.max_shots - scheduled_shots)
        seed = np.random.SeedSequence(self.entropy, spawn_key=(i, index)).generate_state(1)[0]
        return _Batch(i, index, shots, int(seed))

    def next_batch(self, i: int) -> _Batch | None:
        """Configuration i's next batch, or None if it is not needed now."""
        tally = self.tallies[i]
        remaining = self.max_shots - tally.scheduled_shots
        rate = (tally.errors + 0.5) / (tally.shots + 0.5 / 0.01)  # prior: 1% failures
        expected = tally.errors + (tally.scheduled_shots - tally.shots) * rate
        if tally.done or remaining <= 0 or expected >= self.max_errors:
            return None
        batch = self._batch(i, tally.next_index, tally.scheduled_shots)
        tally.next_index += 1
        tally.scheduled_shots += batch.shots
        return batch

    def stored(self) -> tuple[int, int]:
        """(batches, shots) in the store that this run takes instead of sampling them.

        Only batches of this run's schedule count (its sample sets, batch sizes and seeds):
        a store may also hold other budgets' batches, or this budget's at another seed.
        """
        if self.store is None:
            return 0, 0
        batches = shots = 0
        for i, tally in enumerate(self.tallies):
            left = self.store.count(tally.config)  # stop once every one of them is found
            index = scheduled = misses = 0
            while left and scheduled < self.max_shots and misses < 1000:
                batch = self._batch(i, index, scheduled)
                if (tally.config, batch.shots, batch.seed) in self.store:
                    batches, shots, left, misses = batches + 1, shots + batch.shots, left - 1, 0
                else:
                    misses += 1
                index, scheduled = index + 1, scheduled + batch.shots
        return batches, shots

    def resuming(self) -> str | None:
        """The line that says what the store already holds for this run, or None."""
        batches, shots = self.stored()
        if not batches:
            return None
        return (f"resuming from {self.store.path}: {batches} batches ({shots:,} shots of at "
                f"most {self.max_shots * len(self.tallies):,}) already done")

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
                        with sigint_ignored():  # inherited by a worker spawned now
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
        """The one-line account of an interruption: shots kept of the most the budget could
        take (``max_shots`` per sample set; ``max_errors`` usually stops it sooner), where
        they are, how to continue."""
        most = f"at most {self.max_shots * len(self.tallies):,}"
        if self.store is None:
            shots = sum(t.shots for t in self.tallies)
            return Interrupted(
                f"interrupted: {shots:,} shots of {most} sampled, none kept (no batch store); "
                "rerun the same command to start over"
            )
        batches, shots = self.stored()
        return Interrupted(
            f"interrupted: {shots:,} shots of {most} kept in {self.store.path} ({batches} "
            "finished batches); rerun the same command to continue"
        )


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
        for process in processes:
            process.terminate()
        # then wait for its manager thread, which sees them die: left running, it races
        # Python's exit (an OSError traceback from concurrent.futures)
        pool.shutdown(wait=True, cancel_futures=True)
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
    scheduler = _Scheduler(configs, max_shots=max_shots, max_errors=max_errors, seed=seed,
                           bar=None, store=store)
    try:
        if (line := scheduler.resuming()) is not None:
            _LOG.info(line)
    except KeyboardInterrupt:
        raise Interrupted(INTERRUPTED_BEFORE_SAMPLING) from None
    bar = scheduler.bar = progress_bar(progress, total=len(configs) * max_errors,
                                       description=description)
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
