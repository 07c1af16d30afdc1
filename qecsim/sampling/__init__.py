"""Sampling: sweep tasks, their collection on local cores or a dask cluster, the CSV store.

- :mod:`qecsim.sampling.tasks`: :func:`sweep_tasks` and :func:`circuit_from_metadata` (the
  metadata of a task rebuilds its circuit).
- :mod:`qecsim.sampling.local`: :func:`collect` with sinter on this machine's cores.
- :mod:`qecsim.sampling.dask_backend` (also importable as :mod:`qecsim.distributed`): the
  same collection on a dask.distributed cluster.
- :mod:`qecsim.sampling.dem_sampling`: sparse sampling of a detector error model that keeps
  which errors fired (for the error budget).
"""

from qecsim.sampling.local import BACKENDS, STORE_COLUMNS, collect, read_store
from qecsim.sampling.tasks import METADATA_KEYS, circuit_from_metadata, sweep_tasks

__all__ = [
    "BACKENDS",
    "METADATA_KEYS",
    "STORE_COLUMNS",
    "circuit_from_metadata",
    "collect",
    "read_store",
    "sweep_tasks",
]
