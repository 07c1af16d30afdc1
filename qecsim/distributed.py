"""``qecsim.distributed`` is :mod:`qecsim.sampling.dask_backend` under its first-round name.

The module object is the same (``qecsim.distributed is qecsim.sampling.dask_backend``), so
settings such as ``NO_WORKERS_TIMEOUT`` changed through either name affect both. dask itself
is imported only when a function that needs it is called.
"""

import sys

from qecsim.sampling import dask_backend as _dask_backend

sys.modules[__name__] = _dask_backend
