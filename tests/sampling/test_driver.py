"""The client loop shared by both backends, against a scripted executor (no processes)."""

from __future__ import annotations

import collections
import dataclasses
import math

import numpy as np
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


class BinomialExecutor:
    """Batches with Binomial(shots, rate) errors, finished in submission order (seeded)."""

    def __init__(self, rate, seed, threads=2):
        self.rate, self.threads = rate, threads
        self.rng = np.random.default_rng(seed)
        self.queue: collections.deque[Outcome] = collections.deque()
        self.submitted: list[tuple[int, int, int]] = []  # (shots, in flight, results so far)

    def num_threads(self):
        return self.threads

    def submit(self, batch_id, point, shots):
        self.submitted.append((shots, point.in_flight_shots + shots, point.done.shots))
        errors = int(self.rng.binomial(shots, self.rate))
        stats = sinter.AnonTaskStats(shots=shots, errors=errors, seconds=shots * 1e-6)
        self.queue.append(Outcome(batch_id=batch_id, stats=stats))

    def next_outcome(self):
        return self.queue.popleft()

    def abort(self, *, interrupted):
        pass


def simulated_run(template, *, rate, max_errors, seed):
    state = dataclasses.replace(template, done=sinter.AnonTaskStats())
    executor = BinomialExecutor(rate, seed)
    run(executor, [state], max_shots=None, max_errors=max_errors)
    return state, executor


@pytest.mark.parametrize(("rate", "max_errors"), [(0.035, 300), (0.15, 50), (0.5, 10)])
def test_max_errors_overshoot_is_bounded_by_the_rule(rate, max_errors):
    # The rule (PointState.shots_to_submit): before any result, no more shots in flight
    # than errors needed (a shot has at most one error); afterwards, shots in flight at
    # most the errors needed over a 3-sigma upper bound of the rate. The errors of the
    # shots in flight at the last submission then have a mean below the errors needed, so
    # a run ends below max_errors + 5 sqrt(max_errors) + 2 (5 sigmas of their Poisson
    # fluctuation; +2 for the rounding of the shot limit). 2,000 simulated runs each
    # (0.035 per shot: the repetition-code task of test_pool; 0.15 per shot, 50 errors:
    # SD6 d = 3 at p = 0.01, which ended with 79 errors in 512 shots before this rule).
    (template,) = points(max_shots=None, max_errors=max_errors)[:1]
    bound = max_errors + 5 * math.sqrt(max_errors) + 2
    finals = []
    for seed in range(2_000):
        state, executor = simulated_run(template, rate=rate, max_errors=max_errors, seed=seed)
        finals.append(state.done.errors)
        early = [in_flight for _, in_flight, known in executor.submitted if known == 0]
        assert max(early) <= max_errors
    assert min(finals) >= max_errors and max(finals) < bound, (max(finals), bound)


def test_large_runs_keep_their_first_full_batches():
    # 2 x 256 shots start at once when max_errors leaves room for them (throughput)
    (template,) = points(max_shots=None, max_errors=1_000)[:1]
    _, executor = simulated_run(template, rate=0.01, max_errors=1_000, seed=1)
    assert [shots for shots, _, known in executor.submitted[:2]] == [256, 256]
    assert all(known == 0 for _, _, known in executor.submitted[:2])
