"""The dask backend of qecsim.collect: exact totals, agreement with the local backend, faults.

One module-scoped LocalCluster (2 single-threaded worker processes, as on a 2-core machine)
serves every test; the fault tests SIGKILL one of its worker processes, or a client process
connected to it by address.
"""

from __future__ import annotations

import csv
import math
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
import sinter

import qecsim

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()


def _tasks(distance: int, ps: list[float]) -> list[sinter.Task]:
    return qecsim.sweep_tasks(distances=distance, p=ps, noise="si1000", decoders="pymatching")


def _store_rows(path) -> list[tuple[int, int]]:
    """(shots, errors) of every row of a store, unsummed (one row per batch)."""
    with open(path, newline="") as file:
        reader = csv.reader(file)
        header = [column.strip() for column in next(reader)]
        shots, errors = header.index("shots"), header.index("errors")
        return [(int(row[shots]), int(row[errors])) for row in reader]


def _totals(path) -> dict[str, tuple[int, int]]:
    return {s.strong_id: (s.shots, s.errors) for s in sinter.read_stats_from_csv_files(path)}


def _z(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-proportion z statistic (|z| > 4.5 has probability 7e-6 under equal rates)."""
    pooled = (k1 + k2) / (n1 + n2)
    return (k1 / n1 - k2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))


def _compilations(client) -> int:
    from qecsim.sampling.engine import worker_compilations

    return sum(client.run(worker_compilations).values())


@pytest.mark.slow
def test_exact_shots_and_same_error_rates_as_the_local_backend(client, tmp_path):
    tasks = _tasks(3, [2e-3, 5e-3])
    max_shots = 200_000
    compilations_before = _compilations(client)
    dask_store = tmp_path / "dask.csv"
    dask_stats = qecsim.collect(
        tasks,
        store=dask_store,
        max_shots=max_shots,
        backend="dask",
        scheduler=client,
        progress=False,
        target_batch_seconds=0.05,
    )
    assert [s.shots for s in dask_stats] == [max_shots, max_shots]
    rows = _store_rows(dask_store)
    assert len(rows) > 10  # many batches ...
    # ... yet each worker compiled each point's sampler and decoder at most once.
    assert _compilations(client) - compilations_before <= 2 * len(tasks)
    assert _totals(dask_store) == {s.strong_id: (s.shots, s.errors) for s in dask_stats}

    local_store = tmp_path / "local.csv"
    local_stats = qecsim.collect(
        tasks, store=local_store, max_shots=max_shots, num_workers=2, progress=False
    )
    assert [s.strong_id for s in local_stats] == [s.strong_id for s in dask_stats]
    for dask_stat, local_stat in zip(dask_stats, local_stats, strict=True):
        # Two-proportion z test on the shot error rates: |z| > 4.5 has probability 7e-6
        # when both backends sample the same distribution.
        n1, n2 = dask_stat.shots, local_stat.shots
        assert 0.002 < (dask_stat.errors + local_stat.errors) / (n1 + n2) < 0.2  # measurable
        assert abs(_z(dask_stat.errors, n1, local_stat.errors, n2)) < 4.5, (dask_stat, local_stat)


def test_stops_at_max_errors_and_resumes_without_resampling(client, tmp_path):
    (task,) = _tasks(3, [5e-3])
    store = tmp_path / "errors.csv"
    (stat,) = qecsim.collect(
        [task], store=store, max_errors=300, max_shots=10**8, backend="dask",
        scheduler=client, progress=False,
    )
    # At ~5% errors per shot, 10**8 shots would give millions of errors: the error limit
    # stopped it. Batches in flight when it was reached still count (as in sinter), but the
    # in-flight shots are limited by the error rate seen so far, so the overshoot is small.
    assert 300 <= stat.errors < 450
    assert stat.shots < 20_000
    before = store.read_text()
    (again,) = qecsim.collect(
        [task], store=store, max_errors=300, max_shots=10**8, backend="dask",
        scheduler=client, progress=False,
    )
    assert (again.shots, again.errors) == (stat.shots, stat.errors)
    assert store.read_text() == before  # finished points are not touched


def test_one_store_serves_both_backends(client, tmp_path):
    tasks = _tasks(3, [5e-3])
    store = tmp_path / "shared.csv"
    (first,) = qecsim.collect(tasks, store=store, max_shots=20_000, backend="dask",
                              scheduler=client, progress=False)
    (second,) = qecsim.collect(tasks, store=store, max_shots=50_000, num_workers=1,
                               progress=False)  # the local backend resumes the dask store
    (third,) = qecsim.collect(tasks, store=store, max_shots=60_000, backend="dask",
                              scheduler=client, progress=False)  # and the other way round
    assert (first.shots, second.shots, third.shots) == (20_000, 50_000, 60_000)
    assert first.strong_id == second.strong_id == third.strong_id
    assert sum(shots for shots, _ in _store_rows(store)) == 60_000
    assert _totals(store) == {third.strong_id: (third.shots, third.errors)}


@pytest.mark.slow
def test_postselection_discards_like_the_local_backend(client, tmp_path):
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(5e-3))
    first_round = [coords[2] == 0 for coords in
                   (circuit.get_detector_coordinates()[k] for k in range(circuit.num_detectors))]
    mask = np.packbits(np.array(first_round, dtype=np.uint8), bitorder="little")
    task = sinter.Task(circuit=circuit, decoder="pymatching", postselection_mask=mask,
                       json_metadata={"d": 3, "postselect": "first round"})
    max_shots = 100_000
    (dask_stat,) = qecsim.collect([task], store=tmp_path / "d.csv", max_shots=max_shots,
                                  backend="dask", scheduler=client, progress=False)
    (local_stat,) = qecsim.collect([task], store=tmp_path / "l.csv", max_shots=max_shots,
                                   num_workers=2, progress=False)
    assert dask_stat.strong_id == local_stat.strong_id
    assert dask_stat.shots == local_stat.shots == max_shots
    assert 0.02 < dask_stat.discards / max_shots < 0.5  # the mask discards some shots
    assert abs(_z(dask_stat.discards, max_shots, local_stat.discards, max_shots)) < 4.5
    kept_dask = max_shots - dask_stat.discards
    kept_local = max_shots - local_stat.discards
    assert abs(_z(dask_stat.errors, kept_dask, local_stat.errors, kept_local)) < 4.5


@pytest.mark.slow
def test_killing_a_worker_mid_run_loses_and_double_counts_nothing(client, tmp_path):
    tasks = _tasks(5, [5e-3])
    max_shots = 1_000_000  # several seconds of work, so a worker is caught mid-run even idle
    store = tmp_path / "kill_worker.csv"
    killed: dict = {}

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.02)
            if not store.exists() or len(store.read_text().splitlines()) < 4:
                continue
            for address, keys in client.processing().items():
                batches = [key for key in keys if str(key).startswith("qecsim-batch")]
                if batches:
                    pid = client.run(os.getpid, workers=[address])[address]
                    os.kill(pid, signal.SIGKILL)
                    killed.update(
                        address=address, pid=pid, batches=batches,
                        rows=len(store.read_text().splitlines()),
                    )
                    return

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    (stat,) = qecsim.collect(
        tasks, store=store, max_shots=max_shots, backend="dask", scheduler=client,
        progress=False, target_batch_seconds=0.2,
    )
    killer.join()
    assert killed, "no worker was killed"
    assert killed["batches"]  # it was running batches when it died
    assert len(store.read_text().splitlines()) > killed["rows"]  # the run went on after it
    assert stat.shots == max_shots
    rows = _store_rows(store)
    assert sum(shots for shots, _ in rows) == max_shots
    assert sum(errors for _, errors in rows) == stat.errors
    client.wait_for_workers(2, timeout=30)  # the nanny restarts it for the next tests


_CLIENT_SCRIPT = textwrap.dedent(
    """
    import sys
    import qecsim

    if __name__ == "__main__":
        tasks = qecsim.sweep_tasks(distances=5, p=[5e-3], noise="si1000", decoders="pymatching")
        qecsim.collect(tasks, store=sys.argv[1], max_shots=int(sys.argv[3]), backend="dask",
                       scheduler=sys.argv[2], progress=False, target_batch_seconds=0.05)
    """
)


@pytest.mark.slow
def test_killing_the_client_mid_run_then_rerunning_resumes_from_the_store(client, tmp_path):
    tasks = _tasks(5, [5e-3])
    max_shots = 1_000_000  # several seconds of work, so the client is caught mid-run even idle
    store = tmp_path / "kill_client.csv"
    script = tmp_path / "client.py"
    script.write_text(_CLIENT_SCRIPT)
    process = subprocess.Popen(
        [sys.executable, str(script), str(store), client.scheduler.address, str(max_shots)]
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if store.exists() and len(store.read_text().splitlines()) >= 4:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the client finished before it could be killed"
        process.kill()  # SIGKILL: no cleanup, batches in flight are lost
    finally:
        process.kill()
        process.wait()
    before = store.read_text()
    shots_before = sum(shots for shots, _ in _store_rows(store))
    assert 0 < shots_before < max_shots

    (stat,) = qecsim.collect(
        tasks, store=store, max_shots=max_shots, backend="dask", scheduler=client,
        progress=False,
    )
    assert stat.shots == max_shots
    after = store.read_text()
    assert after.startswith(before.rstrip("\n").rsplit("\n", 1)[0])  # old rows kept
    assert sum(shots for shots, _ in _store_rows(store)) == max_shots  # resumed, not redone


@pytest.mark.slow
def test_an_unreachable_scheduler_fails_fast_with_a_clear_error(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    store = tmp_path / "never.csv"
    start = time.monotonic()
    with pytest.raises(qecsim.QecsimError, match="could not be reached"):
        qecsim.collect(
            _tasks(3, [1e-3]), store=store, max_shots=100, backend="dask", scheduler=address,
            progress=False,
        )
    assert time.monotonic() - start < 10
    assert not store.exists()
    with pytest.raises(qecsim.QecsimError, match="not None, a dask Client"):
        qecsim.collect(
            _tasks(3, [1e-3]), store=store, max_shots=100, backend="dask", scheduler="nowhere",
            progress=False,
        )


@pytest.mark.slow
def test_the_embedded_cluster_is_the_default_and_is_reused(tmp_path):
    from qecsim.distributed import close_embedded_cluster, connect

    tasks = _tasks(3, [5e-3])
    try:
        first = qecsim.collect(
            tasks, store=tmp_path / "a.csv", max_shots=5_000, backend="dask", progress=False
        )
        client, owned = connect(None)  # what the call above used, still up
        assert not owned
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        assert len(client.nthreads()) == (cores or os.cpu_count())  # one process per core
        assert set(client.nthreads().values()) == {1}  # single-threaded
        second = qecsim.collect(
            tasks, store=tmp_path / "b.csv", max_shots=3_000, backend="dask", progress=False
        )
        assert connect(None)[0] is client
        assert [first[0].shots, second[0].shots] == [5_000, 3_000]
    finally:
        close_embedded_cluster()
    assert client.status in ("closed", "closing")


@pytest.mark.slow
def test_a_peer_that_never_answers_fails_within_the_timeout(tmp_path):
    # e.g. a web server or the dashboard port: it accepts the connection and says nothing
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        start = time.monotonic()
        with pytest.raises(qecsim.QecsimError, match="could not be reached"):
            qecsim.collect(
                _tasks(3, [1e-3]), store=tmp_path / "never.csv", max_shots=100,
                backend="dask", scheduler=address, connect_timeout=2, progress=False,
            )
        assert time.monotonic() - start < 10


def test_header_only_store_and_task_decoders_on_the_dask_backend(tmp_path):
    from qecsim.sampling.store import csv_header

    store = tmp_path / "header_only.csv"
    store.write_text(csv_header())  # the header alone, without its newline
    tasks = [
        sinter.Task(circuit=t.circuit, decoder="pymatching", json_metadata=t.json_metadata)
        for t in _tasks(3, [1e-3])
    ]
    (stat,) = qecsim.collect(tasks, store=store, max_shots=500, decoders=None, backend="dask",
                             progress=False)
    assert stat.shots == 500
    assert sinter.read_stats_from_csv_files(store)[0].shots == 500


@pytest.mark.slow
def test_a_cluster_that_loses_all_its_workers_fails_clearly(tmp_path, monkeypatch):
    from dask.distributed import Client, LocalCluster

    import qecsim.distributed

    monkeypatch.setattr(qecsim.distributed, "NO_WORKERS_TIMEOUT", 3.0)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        timer = threading.Timer(3.0, lambda: cluster.scale(0))
        timer.start()
        start = time.monotonic()
        with pytest.raises(qecsim.QecsimError, match="no workers for 3 s"):
            qecsim.collect(_tasks(5, [1e-3]), store=tmp_path / "s.csv", max_shots=10**9,
                           backend="dask", scheduler=client, progress=False)
        timer.cancel()
        assert time.monotonic() - start < 30


def test_unknown_or_local_only_options_are_refused_for_dask(tmp_path):
    with pytest.raises(qecsim.QecsimError, match="'schedular'"):
        qecsim.collect(_tasks(3, [1e-3]), store=None, max_shots=100, backend="dask",
                       schedular="tcp://127.0.0.1:1")
    with pytest.raises(qecsim.QecsimError, match="max_batch_shots"):
        qecsim.collect(_tasks(3, [1e-3]), store=None, max_shots=100, backend="dask",
                       max_batch_size=10)


def test_an_unpicklable_decoder_is_refused_before_anything_starts(tmp_path):
    class LockedDecoder(sinter.Decoder):
        def __init__(self):
            self.lock = threading.Lock()  # locks do not pickle

        def compile_decoder_for_dem(self, *, dem):
            raise NotImplementedError

    store = tmp_path / "never.csv"
    with pytest.raises(qecsim.QecsimError, match=r"'locked'.*does not pickle"):
        qecsim.collect(_tasks(3, [1e-3]), store=store, max_shots=100, decoders=["locked"],
                       custom_decoders={"locked": LockedDecoder()}, backend="dask")
    assert not store.exists()
