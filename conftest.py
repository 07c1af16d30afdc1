"""Shared pytest set-up: doctests see ``qecsim`` and ``np`` like a notebook user would."""

import matplotlib
import numpy as np
import pytest

import qecsim

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["qecsim"] = qecsim
    doctest_namespace["np"] = np

# qecsim.decoders and qecsim.distributed are aliases of qecsim.decoding.registry and
# qecsim.sampling.dask_backend (same module objects); their doctests run under those names.
collect_ignore = ["qecsim/decoders.py", "qecsim/distributed.py"]
