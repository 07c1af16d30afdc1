"""Tests of qecsim.interop.qiskit.layout: placing a code's qubits on a device."""

from __future__ import annotations

import pytest
import stim
from qiskit.providers.fake_provider import GenericBackendV2

import qecsim
from qecsim.interop import qiskit as qiskit_interop


def generic(num_qubits: int = 5, seed: int = 1) -> GenericBackendV2:
    return GenericBackendV2(num_qubits, seed=seed)


def _two_qubit_pairs(circuit: stim.Circuit):
    pairs = []
    for instruction in circuit.flattened():
        if instruction.name == "CX":
            values = [t.value for t in instruction.targets_copy()]
            pairs.extend(zip(values[::2], values[1::2], strict=True))
    return pairs


def test_greedy_layout_places_more_code_couplers_on_device_couplers_than_the_identity(torino):
    backend = torino
    circuit = qecsim.memory_circuit(distance=3, rounds=1)
    device = {tuple(sorted(p)) for p, props in backend.target["cz"].items() if props.error < 0.5}

    def adjacent(layout):
        return sum(
            tuple(sorted((layout[a], layout[b]))) in device
            for a, b in {tuple(sorted(p)) for p in _two_qubit_pairs(circuit)}
        )

    greedy = qiskit_interop.greedy_layout(circuit, backend)
    assert len(set(greedy.values())) == circuit.num_qubits
    assert adjacent(greedy) > adjacent(dict(enumerate(range(circuit.num_qubits))))
    assert adjacent(greedy) >= 10  # measured 13 of 24 on this snapshot


def test_greedy_layout_avoids_excluded_qubits_and_bad_couplers(torino):
    backend = torino
    circuit = qecsim.memory_circuit(distance=3, rounds=1)
    first = qiskit_interop.greedy_layout(circuit, backend)
    excluded = list(first.values())[:5]
    layout = qiskit_interop.greedy_layout(
        circuit, backend, exclude=excluded, max_two_qubit_gate_error=0.01
    )
    assert not set(layout.values()) & set(excluded)
    assert len(set(layout.values())) == circuit.num_qubits
    with pytest.raises(qecsim.QecsimError, match="start=3 is not a usable device qubit"):
        qiskit_interop.greedy_layout(circuit, backend, exclude=[3], start=3)
    with pytest.raises(qecsim.QecsimError, match="usable ones"):
        qiskit_interop.greedy_layout(circuit, generic(20), exclude=range(5))
