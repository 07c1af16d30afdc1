"""Errors about a circuit never print the circuit (issue 13, item 3)."""

from __future__ import annotations

import pathlib

import pytest
import stim

import qecsim
from qecsim.errors import describe

GOOGLE = (
    pathlib.Path(qecsim.__file__).parent
    / "data" / "google_sycamore_2022" / "surface_code_bX_d5_r25_center_5_5" / "circuit_noisy.stim"
)  # fmt: skip


@pytest.fixture(scope="module")
def google_circuit():
    return stim.Circuit.from_file(GOOGLE)


def test_describe_summarises_stim_objects_and_cuts_long_reprs(google_circuit):
    assert describe(google_circuit) == (
        f"stim.Circuit({len(google_circuit)} instructions, 49 qubits)"
    )
    dem = stim.Circuit("X_ERROR(0.1) 0\nM 0\nDETECTOR rec[-1]").detector_error_model()
    assert describe(dem) == "stim.DetectorErrorModel(1 errors, 1 detectors)"
    assert len(describe(list(range(1000)))) == 80
    assert describe("short") == "'short'"


@pytest.mark.parametrize(
    "call",
    [
        # error_budget takes circuits as its subject now; a circuit in the wrong argument
        lambda c: qecsim.error_budget(qecsim.NoiseModel.sd6(1e-3), distances=c),
        lambda c: qecsim.memory_circuit(distance=3, noise=c),
        lambda c: qecsim.NoiseModel.sd6(c),
        lambda c: qecsim.benchmark_decoders(
            {"google": "not a circuit " * 100, "c": c}, decoders=["pymatching"], num_shots=10
        ),
        lambda c: qecsim.collect(c, num_workers=1),
    ],
    ids=["error_budget", "memory_circuit", "preset", "benchmark_decoders", "collect"],
)
def test_a_circuit_passed_by_mistake_is_named_not_printed(google_circuit, call):
    with pytest.raises(qecsim.QecsimError) as error:
        call(google_circuit)
    message = str(error.value)
    assert len(message) < 300 and "\n" not in message, message
    assert "DEPOLARIZE" not in message
