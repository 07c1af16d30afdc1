"""qecsim.collect's layout: both backends share the store, points, engine and driver modules."""

from __future__ import annotations

import importlib.util
import pathlib

ARCHITECTURE = pathlib.Path(__file__).resolve().parents[1] / "test_architecture.py"


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
