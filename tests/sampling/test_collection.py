"""qecsim.collect: one entry point, two backends on shared modules, and Ctrl-C."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import sinter

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "tests" / "test_architecture.py"


def _import_graph():
    spec = importlib.util.spec_from_file_location("architecture", ARCHITECTURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.import_graph()


def test_the_backends_share_modules_and_do_not_import_each_other():
    graph = _import_graph()
    local, dask = "qecsim.sampling.local", "qecsim.sampling.dask_backend"
    assert dask not in graph[local] and local not in graph[dask]
    shared = {"qecsim.sampling.driver", "qecsim.sampling.points", "qecsim.sampling.store"}
    assert shared <= graph[local] and shared <= graph[dask]


def test_the_public_names_are_where_they_were():
    import qecsim.distributed
    import qecsim.sampling.dask_backend

    assert qecsim.distributed is qecsim.sampling.dask_backend
    assert qecsim.collect is qecsim.sampling.collect
    assert qecsim.sampling.BACKENDS == ("local", "dask")
    assert qecsim.sampling.STORE_COLUMNS[:2] == ("shots", "errors")
    for name in ("collect_dask", "connect", "close_embedded_cluster", "NO_WORKERS_TIMEOUT"):
        assert hasattr(qecsim.distributed, name)
    assert callable(qecsim.sampling.read_store)


INTERRUPTED_SCRIPT = textwrap.dedent(
    """
    import sys
    import qecsim

    if __name__ == "__main__":
        tasks = qecsim.sweep_tasks(distances=[3], p=[1e-3], noise="si1000")
        qecsim.collect(tasks, store=sys.argv[1], max_shots=int(sys.argv[2]), num_workers=2)
    """
)


@pytest.mark.slow
def test_ctrl_c_in_a_script_ends_with_one_line_and_no_worker_traceback(tmp_path):
    store = tmp_path / "results.csv"
    script = tmp_path / "run.py"
    script.write_text(INTERRUPTED_SCRIPT)
    max_shots = 20_000_000
    process = subprocess.Popen([sys.executable, str(script), str(store), str(max_shots)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (store.exists() and len(store.read_text().splitlines()) > 4):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGINT  # Python's own exit on KeyboardInterrupt
    assert err.count("Traceback") == 1  # the script's own, through collect only
    assert "multiprocessing" not in err and "pool.py" not in err and "driver.py" not in err
    (stat,) = sinter.read_stats_from_csv_files(store)
    assert err.strip().splitlines()[-1] == (
        f"KeyboardInterrupt: interrupted: {stat.shots:,} shots of {max_shots:,} kept in the "
        f"store {str(store)!r}; rerun the same command to continue"
    )
    assert store.read_text().endswith("\n")  # whole rows only
