"""Fixtures shared by the qiskit interop tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def aer():
    """qiskit-aer (the ``aer`` extra): the tests that simulate in aer take this fixture."""
    return pytest.importorskip("qiskit_aer")


@pytest.fixture(scope="session")
def torino():
    """IBM Torino's calibration snapshot (read once: several test modules share it)."""
    fake_provider = pytest.importorskip("qiskit_ibm_runtime.fake_provider")
    return fake_provider.FakeTorino()


class EditedBackend:
    """A BackendV2 stand-in whose qubit properties can be edited (for malformed data)."""

    def __init__(self, backend, qubit_properties):
        self._backend = backend
        self.target = backend.target
        self.name = backend.name
        self.num_qubits = backend.num_qubits
        self._qubit_properties = qubit_properties

    def qubit_properties(self, qubit):
        return self._qubit_properties[qubit]


@pytest.fixture
def edited_backend():
    """``edited_backend(backend, qubit_properties)``: ``backend`` with other qubit properties."""
    return EditedBackend
