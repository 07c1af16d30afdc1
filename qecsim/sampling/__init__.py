"""Sampling: sweep tasks, their collection on local cores or a dask cluster, the CSV store.

Its place in the data flow and its modules: ``docs/design.md`` (Layout), in the repository.

- :mod:`qecsim.sampling.tasks`: :func:`sweep_tasks`, a sweep grid as ``sinter.Task`` s;
  :mod:`qecsim.sampling.metadata`: what a task's metadata records and
  :func:`circuit_from_metadata` (the metadata rebuilds the circuit);
  :mod:`qecsim.sampling.circuit_tasks`: tasks of your own circuits;
  :mod:`qecsim.sampling.labels`: human labels of noise models.
- :mod:`qecsim.sampling.collection`: :func:`collect`, the entry point: checks every argument,
  then runs a backend.
- :mod:`qecsim.sampling.local`: the local backend: a pool of worker processes on this machine
  (:mod:`~qecsim.sampling.pool`), kept warm across calls (:func:`close_local_workers` stops it).
- :mod:`qecsim.sampling.dask_backend` (also importable as :mod:`qecsim.distributed`): the
  same collection on a dask.distributed cluster.
- shared by both backends: :mod:`~qecsim.sampling.store` (sinter's CSV store, resume, torn
  rows), :mod:`~qecsim.sampling.points` (validation, one state per point, batch sizing),
  :mod:`~qecsim.sampling.engine` (the batch engine a worker runs), :mod:`~qecsim.sampling.driver`
  (the client loop), :mod:`~qecsim.sampling.progress` (the progress bar) and
  :mod:`~qecsim.sampling.spawn` (start-method checks).
- :mod:`qecsim.sampling.dem_sampling`: sparse sampling of a detector error model that keeps
  which errors fired (for the error budget).
"""

from qecsim.sampling.collection import BACKENDS, collect
from qecsim.sampling.metadata import METADATA_KEYS, circuit_from_metadata
from qecsim.sampling.pool import close_local_workers
from qecsim.sampling.store import STORE_COLUMNS, read_store
from qecsim.sampling.tasks import sweep_tasks

__all__ = [
    "BACKENDS",
    "METADATA_KEYS",
    "STORE_COLUMNS",
    "circuit_from_metadata",
    "close_local_workers",
    "collect",
    "read_store",
    "sweep_tasks",
]
