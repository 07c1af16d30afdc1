"""Tests of qecsim.interop.qiskit.export: stim -> qiskit QuantumCircuit and OpenQASM 3."""

from __future__ import annotations

import numpy as np
import pytest
import stim

import qecsim
from qecsim.interop import qiskit as qiskit_interop


def _global_phase_equal(a: np.ndarray, b: np.ndarray) -> bool:
    index = np.unravel_index(np.argmax(np.abs(b)), b.shape)
    phase = a[index] / b[index]
    return abs(abs(phase) - 1) < 1e-6 and np.allclose(a, phase * b, atol=1e-6)


@pytest.mark.parametrize(
    "gate",
    sorted(
        g.name
        for g in stim.gate_data().values()
        if g.is_unitary and g.name not in ("SPP", "SPP_DAG")
    ),
)
def test_every_stim_clifford_gate_has_the_same_unitary_in_qiskit(gate):
    from qiskit.quantum_info import Operator

    width = 2 if stim.gate_data(gate).is_two_qubit_gate else 1
    targets = " ".join(str(q) for q in range(width))
    qc = qiskit_interop.to_qiskit(stim.Circuit(f"{gate} {targets}"))
    expected = stim.Tableau.from_named_gate(gate).to_unitary_matrix(endian="little")
    assert _global_phase_equal(Operator(qc).data, expected)


def test_to_qiskit_maps_resets_measurements_and_bit_order(aer):
    AerSimulator = aer.AerSimulator

    circuit = stim.Circuit("X 0\nRX 2\nM 0 1\nMX 2\nM !1\nMR 0\nM 0")
    qc = qiskit_interop.to_qiskit(circuit)
    memory = AerSimulator(method="stabilizer", seed_simulator=1).run(
        qc, shots=20, memory=True
    ).result().get_memory()
    records = qiskit_interop.aer_memory_to_measurements(memory, num_measurements=6)
    # M 0 -> 1, M 1 -> 0, MX 2 -> 0, M !1 -> 1, MR 0 -> 1, M 0 after the reset -> 0
    assert records.astype(int).tolist() == [[1, 0, 0, 1, 1, 0]] * 20
    assert stim.Circuit(str(circuit)).compile_sampler().sample(1).astype(int).tolist() == [
        [1, 0, 0, 1, 1, 0]
    ]


@pytest.mark.parametrize("basis", ["Z", "X"])
def test_noiseless_memory_circuit_has_no_detection_events_in_aer(basis, aer):
    AerSimulator = aer.AerSimulator

    circuit = qecsim.memory_circuit(distance=3, rounds=2, basis=basis)
    qc = qiskit_interop.to_qiskit(circuit, ticks_as_barriers=True)
    memory = AerSimulator(method="stabilizer", seed_simulator=2).run(
        qc, shots=64, memory=True
    ).result().get_memory()
    measurements = qiskit_interop.aer_memory_to_measurements(
        memory, num_measurements=circuit.num_measurements
    )
    detectors, observables = circuit.compile_m2d_converter().convert(
        measurements=measurements, separate_observables=True
    )
    assert not detectors.any() and not observables.any()
    # the random ancilla outcomes of the first round (X basis: Z checks) do vary: a real test
    if basis == "X":
        assert measurements.any(axis=0).sum() > 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("M 0\nCX rec[-1] 1", "classically controlled"),
        ("MPP X0*X1", "has no qiskit equivalent"),
        ("MXX 0 1", "has no qiskit equivalent"),
        ("SPP X0", "has no qiskit equivalent"),
    ],
)
def test_to_qiskit_rejects_what_it_cannot_express(text, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        qiskit_interop.to_qiskit(stim.Circuit(text))


def test_to_qiskit_noise_modes(aer):
    circuit = stim.Circuit("E(0.1) X0 Y1\nELSE_CORRELATED_ERROR(0.2) Z0\nM 0 1")
    with pytest.raises(qecsim.QecsimError, match="ELSE_CORRELATED_ERROR"):
        qiskit_interop.to_qiskit(circuit, noise="aer")
    assert "quantum_channel" not in qiskit_interop.to_qiskit(circuit).count_ops()
    with pytest.raises(qecsim.QecsimError, match="noise='keep' is not one of"):
        qiskit_interop.to_qiskit(circuit, noise="keep")


@pytest.mark.parametrize(
    "text",
    [
        "M(0.2) 0\nM 0\nDETECTOR rec[-1]\nDETECTOR rec[-2]",
        "RX 0\nMX(0.2) 0\nMX 0\nDETECTOR rec[-1]\nDETECTOR rec[-2]",
        "RY 0\nMY(0.2) !0\nMY 0\nDETECTOR rec[-1]\nDETECTOR rec[-2]",
        "MR(0.2) 0\nM 0\nDETECTOR rec[-1]\nDETECTOR rec[-2]",
    ],
)
def test_noisy_measurement_flips_the_record_but_not_the_qubit_in_aer(text, aer):
    # stim: the second detector fires with p = 0.2, the first never (the qubit is not flipped).
    # A Pauli before M would make both fire at 0.2: z ~ 0.2 / sqrt(2 * 0.1 * 0.9 / 2000) ~ 21.
    result = qiskit_interop.aer_cross_check(stim.Circuit(text), shots=2000, seed=1)
    assert result.aer_fractions[0] == 0.0
    assert result.agrees(alpha=1e-3), result.z_scores()


def test_qasm3_export_round_trips_the_operations():
    pytest.importorskip("qiskit_qasm3_import")
    from qiskit import qasm3

    circuit = qecsim.memory_circuit(distance=3, rounds=2, basis="X")
    text = qiskit_interop.to_qasm3(circuit)
    assert text.startswith("OPENQASM 3.0;")
    loaded = qasm3.loads(text)
    assert dict(loaded.count_ops()) == dict(qiskit_interop.to_qiskit(circuit).count_ops())


def test_to_qiskit_refuses_what_is_not_a_circuit_and_never_prints_one():
    with pytest.raises(qecsim.QecsimError, match=r"circuit='H 0' is not a stim\.Circuit"):
        qiskit_interop.to_qiskit("H 0")
    circuit = qecsim.memory_circuit(distance=3)
    with pytest.raises(qecsim.QecsimError) as error:
        qiskit_interop.to_qiskit(circuit, noise=circuit)
    assert "noise=stim.Circuit(" in str(error.value) and "QUBIT_COORDS" not in str(error.value)
