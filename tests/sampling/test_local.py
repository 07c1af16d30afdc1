"""qecsim.collect: validation before sampling, sinter CSV store, resume (also after SIGKILL)."""

from __future__ import annotations

import collections
import csv
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import sinter

import qecsim
import qecsim.sampling.pool

ROOT = pathlib.Path(__file__).resolve().parents[2]


def repetition_tasks(distances=(3,), p=(0.02,)):
    return qecsim.sweep_tasks(
        code="repetition_code", distances=list(distances), p=list(p), noise="phenomenological"
    )


def rows_by_id(path: pathlib.Path) -> dict[str, list[int]]:
    """Shots of every CSV row, per strong_id (read with the csv module, not sinter)."""
    return rows_by_id_prefix(path.read_bytes())


def rows_by_id_prefix(data: bytes) -> dict[str, list[int]]:
    lines = data.decode().splitlines()
    header = [column.strip() for column in lines[0].split(",")]
    rows: dict[str, list[int]] = collections.defaultdict(list)
    for row in csv.reader(lines[1:]):
        record = dict(zip(header, row, strict=True))
        rows[record["strong_id"]].append(int(record["shots"]))
    return rows


def _boom(*args, **kwargs):
    raise AssertionError("worker processes were started")


@pytest.fixture
def no_sampling(monkeypatch):
    """Make any start of a worker process fail the test: validation must come first."""
    monkeypatch.setattr(qecsim.sampling.pool.WorkerPool, "start", _boom)
    monkeypatch.setattr(sinter, "collect", _boom)


# ---------------------------------------------------------------------------------------------
# Bad input fails before sampling


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(tasks=[], max_shots=10), "tasks=[] is empty"),
        (dict(max_shots=0), "max_shots=0 is not an integer in [1, inf)"),
        (dict(max_shots=-5), "max_shots=-5 is not"),
        (dict(max_shots=1.5), "max_shots=1.5 is not"),
        (dict(max_shots=None, max_errors=0), "max_errors=0 is not"),
        (dict(max_shots=None), "give at least one limit"),
        (dict(max_shots=10, decoders=["pymatchin"]), "decoder='pymatchin' is not in"),
        (dict(max_shots=10, decoders=[]), "decoders=[] is empty"),
        (dict(max_shots=10, decoders=None), "decoder=None and decoders=None"),
        (dict(max_shots=10, num_workers=0), "num_workers=0 is not"),
        (dict(max_shots=10, backend="spark"), "backend='spark' is not in ['local', 'dask']"),
        (dict(max_shots=10, scheduler="tcp://x:1"), "backend='local' takes no backend options"),
        (dict(tasks=["not a task"], max_shots=10), "tasks[0] is a str; expected sinter.Task"),
    ],
)
def test_bad_arguments_fail_before_sampling(tmp_path, no_sampling, kwargs, message):
    kwargs.setdefault("tasks", repetition_tasks())
    store = tmp_path / "results.csv"
    with pytest.raises(qecsim.QecsimError) as error:
        qecsim.collect(store=store, progress=False, **kwargs)
    assert message in str(error.value)
    assert not store.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello\nworld\n", "is not a sinter CSV file: its header is 'hello'"),
        (b"a,b,c\n1,2,3\n", "is not a sinter CSV file"),
        (b"\xff\xfe\x00binary", "is not a text file"),
        (
            b"shots,errors,discards,seconds,decoder,strong_id,json_metadata,custom_counts\n"
            b"10,many,0,0.1,pymatching,abc,{},\n",
            "is not a readable sinter CSV file",
        ),
    ],
)
def test_a_store_that_is_not_sinter_csv_is_refused_and_left_alone(
    tmp_path, no_sampling, content, message
):
    store = tmp_path / "results.csv"
    store.write_bytes(content)
    with pytest.raises(qecsim.QecsimError) as error:
        qecsim.collect(repetition_tasks(), store=store, max_shots=10, progress=False)
    assert message in str(error.value)
    assert str(store) in str(error.value)
    assert store.read_bytes() == content


def test_a_directory_store_is_refused(tmp_path, no_sampling):
    with pytest.raises(qecsim.QecsimError, match="is a directory"):
        qecsim.collect(repetition_tasks(), store=tmp_path, max_shots=10, progress=False)


# ---------------------------------------------------------------------------------------------
# The dask backend is a dispatch


def test_dask_backend_dispatches_to_collect_dask(tmp_path, monkeypatch, no_sampling):
    calls = []
    fake = lambda tasks, **options: calls.append((tasks, options)) or ["stats"]  # noqa: E731
    monkeypatch.setattr(qecsim.sampling.dask_backend, "collect_dask", fake)
    tasks = repetition_tasks()
    result = qecsim.collect(
        tasks,
        store=tmp_path / "r.csv",
        max_shots=100,
        max_errors=10,
        backend="dask",
        scheduler="tcp://127.0.0.1:8786",
        progress=False,
    )
    assert result == ["stats"]
    ((passed_tasks, options),) = calls
    assert passed_tasks == tasks
    assert options["scheduler"] == "tcp://127.0.0.1:8786"
    assert options["store"] == tmp_path / "r.csv"
    assert (options["max_shots"], options["max_errors"]) == (100, 10)
    assert options["decoders"] == ("pymatching",)
    assert options["progress"] is False


def test_dask_backend_validates_before_dispatch(monkeypatch, no_sampling):
    monkeypatch.setattr(qecsim.sampling.dask_backend, "collect_dask", None)
    with pytest.raises(qecsim.QecsimError, match="decoder='nope'"):
        qecsim.collect(repetition_tasks(), max_shots=10, decoders=["nope"], backend="dask")


# ---------------------------------------------------------------------------------------------
# Real collection (small, one worker)


def test_collect_writes_a_sinter_store_and_resumes_without_resampling(
    tmp_path, monkeypatch, capsys
):
    store = tmp_path / "sub" / "results.csv"
    tasks = repetition_tasks(distances=(3, 5))
    stats = qecsim.collect(tasks, store=store, max_shots=5_000, num_workers=1)
    assert [s.json_metadata for s in stats] == [t.json_metadata for t in tasks]
    assert [s.shots for s in stats] == [5_000, 5_000]
    assert all(0 < s.errors < s.shots for s in stats)
    # the progress bar reports points, shots and errors
    err = capsys.readouterr().err
    assert "points" in err and "done 2/2" in err and "shots 10,000" in err

    # sinter reads the store; every row adds up to what collect returned
    from_sinter = {s.strong_id: s for s in sinter.read_stats_from_csv_files(store)}
    assert {i: sum(r) for i, r in rows_by_id(store).items()} == {
        s.strong_id: s.shots for s in stats
    }
    assert all(from_sinter[s.strong_id].errors == s.errors for s in stats)

    # finished points are not sampled again (no worker is even started)
    before = store.read_bytes()

    with monkeypatch.context() as patch:
        patch.setattr(qecsim.sampling.pool.WorkerPool, "start", _boom)
        again = qecsim.collect(tasks, store=store, max_shots=5_000, num_workers=1)
    assert [(s.shots, s.errors) for s in again] == [(s.shots, s.errors) for s in stats]
    assert store.read_bytes() == before

    # a higher limit continues the totals, appending rows
    more = qecsim.collect(tasks, store=store, max_shots=8_000, num_workers=1, progress=False)
    assert [s.shots for s in more] == [8_000, 8_000]
    assert store.read_bytes().startswith(before)
    assert {i: sum(r) for i, r in rows_by_id(store).items()} == {s.strong_id: 8_000 for s in more}


def test_several_decoders_and_a_torn_last_row(tmp_path):
    store = tmp_path / "results.csv"
    tasks = repetition_tasks()
    stats = qecsim.collect(
        tasks,
        store=store,
        max_shots=2_000,
        num_workers=1,
        decoders=["pymatching", "pymatching-correlated"],
        progress=False,
    )
    assert sorted(s.decoder for s in stats) == ["pymatching", "pymatching-correlated"]
    good = store.read_bytes()
    with open(store, "ab") as file:  # what a process killed mid-write leaves behind
        file.write(b"      1234,        5,         0,")
    with pytest.warns(UserWarning, match="torn row"):
        more = qecsim.collect(
            tasks,
            store=store,
            max_shots=3_000,
            num_workers=1,
            decoders=["pymatching", "pymatching-correlated"],
            progress=False,
        )
    assert [s.shots for s in more] == [3_000, 3_000]
    assert store.read_bytes().startswith(good)
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(store)) == 6_000


# ---------------------------------------------------------------------------------------------
# SIGKILL mid-run, then resume

KILLED_SCRIPT = textwrap.dedent(
    """
    import sys
    import qecsim

    if __name__ == "__main__":
        tasks = qecsim.sweep_tasks(code="repetition_code", distances=[3, 5], p=[0.02],
                                   noise="phenomenological")
        qecsim.collect(tasks, store=sys.argv[1], max_shots=10**12, num_workers=2,
                       max_batch_seconds=1, progress=False)
    """
)


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_keeps_every_shot_and_counts_none_twice(tmp_path):
    store = tmp_path / "results.csv"
    script = tmp_path / "run.py"
    script.write_text(KILLED_SCRIPT)
    # its own session, so the SIGKILL reaches sinter's worker processes too
    process = subprocess.Popen(
        [sys.executable, str(script), str(store)], cwd=ROOT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if store.exists() and len(rows_by_id(store)) == 2:
                if min(len(r) for r in rows_by_id(store).values()) >= 2:
                    break
            assert process.poll() is None, "the collection ended before it was killed"
            time.sleep(0.2)
        else:
            pytest.fail("the store got no rows within 120 s")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    killed_bytes = store.read_bytes()
    kept = killed_bytes[: killed_bytes.rfind(b"\n") + 1]  # a torn last row is dropped
    rows_before = rows_by_id_prefix(kept)
    before = {i: sum(r) for i, r in rows_before.items()}
    assert len(before) == 2 and min(before.values()) > 0

    target = max(before.values()) + 20_000
    tasks = qecsim.sweep_tasks(
        code="repetition_code", distances=[3, 5], p=[0.02], noise="phenomenological"
    )
    stats = qecsim.collect(tasks, store=store, max_shots=target, num_workers=1, progress=False)

    # every finished row is still there, byte for byte; new rows were appended
    assert store.read_bytes().startswith(kept)
    after = rows_by_id(store)
    assert {s.strong_id for s in stats} == set(before)
    for stat in stats:
        rows = after[stat.strong_id]
        # totals continue from the store: the old rows are kept, exactly the missing shots
        # were sampled and appended ...
        assert stat.shots == target
        assert rows[: len(rows_before[stat.strong_id])] == rows_before[stat.strong_id]
        assert sum(rows[len(rows_before[stat.strong_id]) :]) == target - before[stat.strong_id]
    # ... and sinter's reader agrees (nothing double counted)
    totals = {s.strong_id: s.shots for s in sinter.read_stats_from_csv_files(store)}
    assert totals == {s.strong_id: target for s in stats}


def test_sinter_combine_and_sinter_plot_read_the_store(tmp_path):
    sinter_cli = pathlib.Path(sys.executable).parent / "sinter"
    if not sinter_cli.exists():
        pytest.skip("the sinter command is not installed next to this python")
    store = tmp_path / "results.csv"
    tasks = repetition_tasks(distances=(3, 5), p=(0.03, 0.06))
    stats = qecsim.collect(tasks, store=store, max_shots=1_000, num_workers=1, progress=False)
    combined = subprocess.run(
        [str(sinter_cli), "combine", str(store)], capture_output=True, text=True, check=True
    ).stdout
    (tmp_path / "combined.csv").write_text(combined)
    reread = {
        s.strong_id: s.shots for s in sinter.read_stats_from_csv_files(tmp_path / "combined.csv")
    }
    assert reread == {s.strong_id: 1_000 for s in stats}
    image = tmp_path / "sinter.png"
    subprocess.run(
        [str(sinter_cli), "plot", "--in", str(store), "--out", str(image),
         "--x_func", "m.p", "--group_func", "m.d", "--xaxis", "[log]p"],
        capture_output=True, text=True, check=True, env={**os.environ, "MPLBACKEND": "Agg"},
    )  # fmt: skip
    assert image.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "header", [sinter.CSV_HEADER, sinter.CSV_HEADER + "\n", sinter.CSV_HEADER.replace(" ", "")]
)
def test_a_store_with_only_the_header_is_treated_as_new(tmp_path, header):
    store = tmp_path / "results.csv"
    store.write_text(header)
    assert qecsim.sampling.read_store(store) == []
    stats = qecsim.collect(
        repetition_tasks(), store=store, max_shots=500, num_workers=1, progress=False
    )
    assert [s.shots for s in stats] == [500]
    assert sum(s.shots for s in sinter.read_stats_from_csv_files(store)) == 500


SCRIPT_WITHOUT_MAIN_GUARD = """
import qecsim
tasks = qecsim.sweep_tasks(code="repetition_code", distances=[3], p=[0.01],
                           noise="phenomenological")
qecsim.collect(tasks, store=None, max_shots=100, num_workers=1, progress=False)
"""


@pytest.mark.parametrize("how", ["stdin", "script"])
def test_collect_where_workers_cannot_start_raises_instead_of_hanging(tmp_path, how):
    script = tmp_path / "no_guard.py"
    script.write_text(SCRIPT_WITHOUT_MAIN_GUARD)
    command = [sys.executable, "-"] if how == "stdin" else [sys.executable, str(script)]
    result = subprocess.run(
        command,
        input=SCRIPT_WITHOUT_MAIN_GUARD if how == "stdin" else None,
        capture_output=True,
        text=True,
        timeout=120,  # before the fix, both cases hung forever
        cwd=tmp_path,
    )
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("qecsim.errors.QecsimError:"), result.stderr[-2000:]
    assert 'if __name__ == "__main__":' in last_line
    assert ("'<stdin>', not a file" if how == "stdin" else "worker process exited") in last_line
