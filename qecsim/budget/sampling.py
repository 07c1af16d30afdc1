"""The budget's scheduler: batches of every sample set on worker processes, reproducibly.

:func:`sample_all` runs every :class:`~qecsim.budget.worker.SampleConfig` until it has
``max_errors`` logical errors or ``max_shots`` shots. Batch k of configuration i has the fixed
size min(1000 x 2^k, 200000) (cut at max_shots) and the seed
``SeedSequence(seed, spawn_key=(i, k))``; batches are merged in index order with the stopping
rules applied after each, so a seed gives the same result whatever the number of workers.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qecsim.budget.progress import progress_bar
from qecsim.budget.worker import SampleConfig, run_batch

__all__ = ["Tally", "sample_all"]

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


class _Scheduler:
    """Which batch comes next, and the in-order merge of the batches that arrive."""

    def __init__(self, configs: Sequence[SampleConfig], *, max_shots: int, max_errors: int,
                 seed: int | None, bar: Any) -> None:
        self.tallies = [Tally(c) for c in configs]
        self.max_shots, self.max_errors = max_shots, max_errors
        self.entropy = np.random.SeedSequence(seed).entropy
        self.bar = bar
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
                self.arrive(batch, *run_batch(tally.config, batch.shots, batch.seed))

    def run_on(self, pool: concurrent.futures.Executor, num_workers: int) -> None:
        """Every batch on a pool, keeping two batches per worker in flight."""
        pending: dict[concurrent.futures.Future, _Batch] = {}

        def submit_more() -> None:
            # the last configurations (largest distances) are the slowest: start them first
            for i, tally in reversed(list(enumerate(self.tallies))):
                while len(pending) < 2 * num_workers and (batch := self.next_batch(i)) is not None:
                    pending[pool.submit(run_batch, tally.config, batch.shots, batch.seed)] = batch
                if len(pending) >= 2 * num_workers:
                    return

        submit_more()
        while pending:
            finished, _ = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                self.arrive(pending.pop(future), *future.result())
            submit_more()


def sample_all(
    configs: Sequence[SampleConfig],
    *,
    max_shots: int,
    max_errors: int,
    seed: int | None,
    num_workers: int,
    progress: bool,
    description: str,
) -> tuple[list[Tally], float]:
    """Sample every configuration until max_errors or max_shots, on num_workers processes.

    Reproducible for a seed whatever ``num_workers`` is (see the module docstring); batches
    that finish beyond the stopping point are discarded (their CPU time still counts).

    Returns:
        One :class:`Tally` per configuration, in order, and the CPU seconds spent.
    """
    bar = progress_bar(progress, total=len(configs) * max_errors, description=description)
    scheduler = _Scheduler(configs, max_shots=max_shots, max_errors=max_errors, seed=seed,
                           bar=bar)
    try:
        if num_workers <= 1:
            scheduler.run_here()
        else:
            context = multiprocessing.get_context("spawn")
            with concurrent.futures.ProcessPoolExecutor(num_workers, mp_context=context) as pool:
                scheduler.run_on(pool, num_workers)
    finally:
        bar.close()
    return scheduler.tallies, scheduler.cpu
