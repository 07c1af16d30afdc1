"""The local worker pool: warm across calls, exact totals, faults, clean exits, like sinter."""

from __future__ import annotations

import math
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
import sinter

import qecsim
from qecsim.decoding.registry import UntaggedDemDecoder
from qecsim.sampling import pool as pool_module

ROOT = pathlib.Path(__file__).resolve().parents[2]


def repetition_tasks(distances=(3,), p=(0.02,)):
    return qecsim.sweep_tasks(
        code="repetition_code", distances=list(distances), p=list(p), noise="phenomenological"
    )


def worker_pids() -> list[int]:
    pool = pool_module._SHARED.get("pool")
    return [] if pool is None else [w.process.pid for w in pool.workers if w.alive()]


def _z(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-proportion z statistic (|z| > 4.5 has probability 7e-6 under equal rates)."""
    pooled = (k1 + k2) / (n1 + n2)
    return (k1 / n1 - k2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


def test_workers_stay_warm_across_calls_and_close_on_request():
    tasks = repetition_tasks()
    qecsim.collect(tasks, store=None, max_shots=1_000, num_workers=1, progress=False)
    pids = worker_pids()
    assert len(pids) >= 1
    started = pool_module._SHARED["pool"].started
    first: list[float] = []
    start = time.monotonic()
    (stat,) = qecsim.collect(
        repetition_tasks(p=(0.03,)), store=None, max_shots=2_000, num_workers=1,
        progress=False, progress_callback=lambda _: first or first.append(time.monotonic()),
    )
    assert stat.shots == 2_000
    assert worker_pids() == pids  # the same processes served the second call ...
    assert pool_module._SHARED["pool"].started == started  # ... and none was started
    assert first[0] - start < 5  # (the benchmark measures this latency on a quiet machine)
    processes = [w.process for w in pool_module._SHARED["pool"].workers]
    pool_module.close_local_workers()
    assert not any(process.is_alive() for process in processes)
    assert worker_pids() == []


def test_exact_shots_and_the_same_rates_as_sinter_collect_with_postselection(tmp_path):
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(5e-3))
    first_round = [circuit.get_detector_coordinates()[k][2] == 0
                   for k in range(circuit.num_detectors)]
    mask = np.packbits(np.array(first_round, dtype=np.uint8), bitorder="little")
    task = sinter.Task(circuit=circuit, decoder="pymatching", postselection_mask=mask,
                       json_metadata={"d": 3})
    shots = 60_000
    (ours,) = qecsim.collect([task], store=tmp_path / "q.csv", max_shots=shots, num_workers=2,
                             progress=False)
    (theirs,) = sinter.collect(num_workers=2, tasks=[task], max_shots=shots,
                               decoders=["pymatching"])
    assert ours.strong_id == theirs.strong_id
    assert ours.shots == shots == sum(s.shots for s in sinter.read_stats_from_csv_files(
        tmp_path / "q.csv"))
    assert 0.02 < ours.discards / shots < 0.5
    assert abs(_z(ours.discards, shots, theirs.discards, theirs.shots)) < 4.5
    kept_ours, kept_theirs = shots - ours.discards, theirs.shots - theirs.discards
    assert abs(_z(ours.errors, kept_ours, theirs.errors, kept_theirs)) < 4.5


def test_max_errors_stops_with_a_small_overshoot_and_resumes(tmp_path):
    (task,) = repetition_tasks(p=(0.05,))
    store = tmp_path / "errors.csv"
    (stat,) = qecsim.collect([task], store=store, max_errors=300, num_workers=2,
                             progress=False)
    # Batches in flight when the limit is reached still count (as in sinter), but the shots
    # in flight are limited by the errors still needed over a 3-sigma upper bound of the
    # rate so far (none before the first result): the run ends below max_errors + 5
    # sqrt(max_errors) + 2 (PointState.shots_to_submit; test_driver checks this bound on
    # 2,000 simulated runs). The former bound, 450, failed in a few runs in a hundred: this
    # task has ~9 errors in its first 256 shots, and the rate's point estimate from them
    # was often 30% low, which put 30% too many shots in flight (up to 546 errors simulated).
    assert 300 <= stat.errors < 300 + 5 * math.sqrt(300) + 2
    before = store.read_bytes()
    (again,) = qecsim.collect([task], store=store, max_errors=300, num_workers=2,
                              progress=False)
    assert (again.shots, again.errors) == (stat.shots, stat.errors)
    assert store.read_bytes() == before


def test_a_failing_decoder_names_the_point_and_the_pool_goes_on(tmp_path):
    broken = UntaggedDemDecoder(object())  # pickles; fails in the worker when decoding
    with pytest.raises(RuntimeError) as error:
        qecsim.collect(repetition_tasks(), store=tmp_path / "s.csv", max_shots=10_000,
                       decoders=["broken"], custom_decoders={"broken": broken}, num_workers=2,
                       progress=False)
    assert "'broken'" in str(error.value) and "decode_via_files" in str(error.value)
    pids = worker_pids()
    (stat,) = qecsim.collect(repetition_tasks(), store=None, max_shots=5_000, num_workers=2,
                             progress=False)
    assert stat.shots == 5_000 and worker_pids() == pids


def test_an_unpicklable_decoder_is_refused_before_any_worker_starts(tmp_path, monkeypatch):
    class LockedDecoder(sinter.Decoder):
        def __init__(self):
            self.lock = threading.Lock()

        def compile_decoder_for_dem(self, *, dem):
            raise NotImplementedError

    monkeypatch.setattr(pool_module.WorkerPool, "start", lambda *a: pytest.fail("started"))
    with pytest.raises(qecsim.QecsimError, match=r"'locked'.*does not pickle"):
        qecsim.collect(repetition_tasks(), store=tmp_path / "n.csv", max_shots=100,
                       decoders=["locked"], custom_decoders={"locked": LockedDecoder()})
    assert not (tmp_path / "n.csv").exists()


@pytest.mark.slow
def test_killing_a_worker_mid_run_loses_and_double_counts_nothing(tmp_path):
    store = tmp_path / "kill.csv"
    tasks = qecsim.sweep_tasks(distances=[5], p=[5e-3], noise="si1000")
    qecsim.collect(tasks, store=None, max_shots=100, num_workers=2, progress=False)  # warm
    killed: dict = {}

    def kill_a_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            time.sleep(0.02)
            if store.exists() and len(store.read_text().splitlines()) >= 4:
                pid = worker_pids()[0]
                os.kill(pid, signal.SIGKILL)
                killed.update(pid=pid, rows=len(store.read_text().splitlines()))

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    (stat,) = qecsim.collect(tasks, store=store, max_shots=600_000, num_workers=2,
                             max_batch_seconds=0.2, progress=False)
    killer.join()
    assert killed, "no worker was killed"
    assert killed["pid"] not in worker_pids()  # replaced by a new process
    assert len(store.read_text().splitlines()) > killed["rows"]
    assert stat.shots == 600_000
    (from_store,) = sinter.read_stats_from_csv_files(store)
    assert (from_store.shots, from_store.errors) == (stat.shots, stat.errors)


DECODER_IN_MAIN = textwrap.dedent(
    """
    import sinter, qecsim
    from qecsim.decoding.registry import get

    class Counting(sinter.Decoder):  # defined in __main__: a notebook cell does the same
        def compile_decoder_for_dem(self, *, dem):
            return get("pymatching").compile_decoder_for_dem(dem=dem)

    tasks = qecsim.sweep_tasks(code="repetition_code", distances=[3], p=[0.02],
                               noise="phenomenological")
    (stat,) = qecsim.collect(tasks, store=None, max_shots=3000, decoders=["counting"],
                             custom_decoders={"counting": Counting()}, num_workers=1,
                             progress=False)
    print("shots", stat.shots)
    """
)


@pytest.mark.slow
def test_a_decoder_defined_in_a_main_module_without_a_file_reaches_the_workers():
    pytest.importorskip("cloudpickle")
    result = subprocess.run([sys.executable, "-c", DECODER_IN_MAIN], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "shots 3000" in result.stdout


EXITING_SCRIPT = textwrap.dedent(
    """
    import os, sys, qecsim
    from qecsim.sampling import pool

    if __name__ == "__main__":
        tasks = qecsim.sweep_tasks(code="repetition_code", distances=[3], p=[0.02],
                                   noise="phenomenological")
        qecsim.collect(tasks, store=None, max_shots=1000, num_workers=2, progress=False)
        print(" ".join(str(w.process.pid) for w in pool._SHARED["pool"].workers), flush=True)
    """
)


@pytest.mark.slow
def test_a_script_exits_promptly_and_leaves_no_worker_behind(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(EXITING_SCRIPT)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""  # no warnings, no tracebacks at exit
    pids = [int(pid) for pid in result.stdout.split()]
    assert len(pids) == 2
    time.sleep(0.5)
    for pid in pids:
        assert not pathlib.Path(f"/proc/{pid}").exists() or "Z" in pathlib.Path(
            f"/proc/{pid}/stat").read_text().split()[2]
