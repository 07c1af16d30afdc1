"""The client loop shared by both backends, against a scripted executor (no processes)."""

from __future__ import annotations

import collections

import pytest
import sinter

import qecsim
from qecsim.sampling.driver import Outcome, interrupted_message, run_points
from qecsim.sampling.points import make_points


class ScriptedExecutor:
    """Runs every batch at once with a fixed error rate; can lose, fail or interrupt batches."""

    def __init__(self, *, lose=(), fail=(), interrupt_after=None, threads=2):
        self.lose = collections.Counter(lose)  # batch id -> times to lose it
        self.fail = set(fail)
        self.interrupt_after = interrupt_after
        self.threads = threads
        self.queue: collections.deque[Outcome] = collections.deque()
        self.submitted: list[tuple[int, int]] = []
        self.aborted = None

    def num_threads(self):
        return self.threads

    def submit(self, batch_id, point, shots):
        self.submitted.append((batch_id, shots))
        if self.lose[batch_id] > 0:
            self.lose[batch_id] -= 1
            self.queue.append(Outcome(batch_id=batch_id, lost=True))
        elif batch_id in self.fail:
            self.queue.append(Outcome(batch_id=batch_id, error="Traceback: boom"))
        else:
            stats = sinter.AnonTaskStats(shots=shots, errors=shots // 10, seconds=shots * 1e-6)
            self.queue.append(Outcome(batch_id=batch_id, stats=stats))
            self.queue.append(Outcome(batch_id=batch_id, stats=stats))  # a duplicate

    def next_outcome(self):
        if self.interrupt_after is not None and len(self.submitted) > self.interrupt_after:
            raise KeyboardInterrupt
        return self.queue.popleft()

    def abort(self, *, interrupted):
        self.aborted = interrupted


def points(tmp_path=None, max_shots=50_000, max_errors=None):
    tasks = qecsim.sweep_tasks(code="repetition_code", distances=[3, 5], p=[0.05],
                               noise="phenomenological", decoders="pymatching")
    return list(make_points(tasks, (), {}, max_shots=max_shots, max_errors=max_errors).values())


def run(executor, states, store=None, **limits):
    limits.setdefault("max_shots", 50_000)
    limits.setdefault("max_errors", None)
    run_points(executor, states, store=store, existing={}, progress=False,
               progress_callback=None, target_batch_seconds=1.0, max_batch_shots=10_000,
               **limits)


def test_exact_shots_each_batch_once_lost_batches_resubmitted_under_their_id(tmp_path):
    states = points()
    store = tmp_path / "s.csv"
    store.write_text(sinter.CSV_HEADER + "\n")
    executor = ScriptedExecutor(lose={0: 2, 3: 1})
    run(executor, states, store=store)
    assert [s.done.shots for s in states] == [50_000, 50_000]  # duplicates not counted
    ids = [batch_id for batch_id, _ in executor.submitted]
    assert ids.count(0) == 3 and ids.count(3) == 2
    totals = {s.strong_id: s.shots for s in sinter.read_stats_from_csv_files(store)}
    assert totals == {s.strong_id: 50_000 for s in states}
    assert executor.aborted is False


def test_a_batch_lost_four_times_or_failing_names_its_point():
    with pytest.raises(RuntimeError, match=r"batch 1 .*'d': 5.*lost 4 times"):
        run(ScriptedExecutor(lose={1: 4}), points())
    with pytest.raises(RuntimeError, match=r"failed in a worker:\nTraceback: boom"):
        run(ScriptedExecutor(fail={2}), points())


def test_max_errors_stops_each_point_and_interrupts_report_what_is_kept(tmp_path):
    states = points(max_shots=None, max_errors=500)
    run(ScriptedExecutor(), states, max_shots=None, max_errors=500)
    assert all(500 <= s.done.errors < 500 + 2 * 2 * 1_000 for s in states)

    states = points()
    executor = ScriptedExecutor(interrupt_after=6)
    with pytest.raises(KeyboardInterrupt) as interrupt:
        run(executor, states, store=tmp_path / "kept.csv")
    kept = sum(s.done.shots for s in states)
    assert 0 < kept < 100_000 and executor.aborted is True
    assert str(interrupt.value) == (
        f"interrupted: {kept:,} shots of 100,000 kept in the store "
        f"{str(tmp_path / 'kept.csv')!r}; rerun the same command to continue"
    )


def test_interrupted_message_without_a_shot_limit_counts_errors():
    states = points(max_shots=None, max_errors=100)
    states[0].done = sinter.AnonTaskStats(shots=1_000, errors=150)
    assert interrupted_message(states, store=None, max_shots=None, max_errors=100) == (
        "interrupted: 1,000 shots (100 of 200 errors) kept (store=None keeps nothing on disk)"
    )
