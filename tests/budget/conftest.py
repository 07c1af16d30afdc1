"""Shared fixtures of the budget tests: one small budget reused by several modules."""

import pytest

import qecsim


@pytest.fixture(scope="session")
def small_budget():
    return qecsim.error_budget(
        qecsim.NoiseModel.si1000(2e-3), distances=(3, 5), max_errors=300, seed=11,
        num_workers=1, progress=False,
    )
