"""Fixtures shared by the decoding tests: a tagged circuit, its DEM and a sample of it."""

from __future__ import annotations

import pytest
import stim

import qecsim


@pytest.fixture(scope="module")
def tagged_circuit() -> stim.Circuit:
    return qecsim.memory_circuit(distance=3, rounds=3, noise=qecsim.NoiseModel.si1000(5e-3))


@pytest.fixture(scope="module")
def tagged_dem(tagged_circuit) -> stim.DetectorErrorModel:
    dem = tagged_circuit.detector_error_model(decompose_errors=True)
    assert "[" in str(dem), "the circuit's DEM should carry component tags"
    return dem


@pytest.fixture(scope="module")
def shots(tagged_circuit):
    sampler = tagged_circuit.compile_detector_sampler(seed=11)
    return sampler.sample(2000, separate_observables=True, bit_packed=True)
