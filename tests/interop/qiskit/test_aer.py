"""Tests of qecsim.interop.qiskit.aer: NoiseModel -> qiskit-aer, stim-vs-aer cross-checks."""

from __future__ import annotations

import math
import warnings

import pytest
import stim

import qecsim
from qecsim.interop import qiskit as qiskit_interop


def _device_noise(circuit: stim.Circuit, backend) -> qecsim.NoiseModel:
    """A per-qubit device model (biased idles, per-coupler rates), scaled up to make events."""
    layout = qiskit_interop.greedy_layout(circuit, backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return qiskit_interop.noise_from_backend(backend, layout=layout, circuit=circuit)


@pytest.mark.slow
def test_aer_stabilizer_detection_fractions_agree_with_stim(torino, aer):
    circuit = qecsim.memory_circuit(distance=3, rounds=3)
    noise = _device_noise(circuit, torino).scaled(2.0)
    noisy = noise.noisy_circuit(circuit)
    assert "PAULI_CHANNEL_1" in str(noisy)  # T1/T2 idles are biased Pauli channels
    shots = 10_000  # SE of a fraction difference ~0.005: a 2% absolute deviation is caught
    result = qiskit_interop.aer_cross_check(noisy, shots=shots, seed=11)
    assert len(result.aer_fractions) == noisy.num_detectors == 24
    assert result.agrees(alpha=1e-3), (result.z_scores(), result.critical_z(alpha=1e-3))
    # power: the same aer sample against stim with 30% more noise must be told apart
    stronger = noise.scaled(1.3).noisy_circuit(circuit)
    detectors, observables = stronger.compile_detector_sampler(seed=12).sample(
        shots, separate_observables=True
    )
    mismatched = qiskit_interop.AerCrossCheck(
        shots=shots,
        stim_fractions=tuple(detectors.mean(axis=0)),
        aer_fractions=result.aer_fractions,
        stim_observable_fractions=tuple(observables.mean(axis=0)),
        aer_observable_fractions=result.aer_observable_fractions,
    )
    assert not mismatched.agrees(alpha=1e-3)


@pytest.mark.slow
def test_aer_noise_model_export_matches_stim_where_components_map(torino, aer):
    AerSimulator = aer.AerSimulator

    circuit = qecsim.memory_circuit(distance=3, rounds=2)
    noise = _device_noise(circuit, torino).scaled(2.0, idle=0, measurement_idle=0)
    # all-qubit errors plus local overrides (the per-qubit path is covered by a unit test)
    aer_noise = qiskit_interop.to_aer_noise_model(noise)
    assert aer_noise.noise_qubits  # the device's per-qubit and per-coupler rates are local
    shots = 10_000
    memory = AerSimulator(method="stabilizer", noise_model=aer_noise, seed_simulator=5).run(
        qiskit_interop.to_qiskit(circuit), shots=shots, memory=True
    ).result().get_memory()
    measurements = qiskit_interop.aer_memory_to_measurements(
        memory, num_measurements=circuit.num_measurements
    )
    aer_detectors, aer_observables = circuit.compile_m2d_converter().convert(
        measurements=measurements, separate_observables=True
    )
    stim_detectors, stim_observables = noise.noisy_circuit(circuit).compile_detector_sampler(
        seed=5
    ).sample(shots, separate_observables=True)
    check = qiskit_interop.AerCrossCheck(
        shots=shots,
        stim_fractions=tuple(stim_detectors.mean(axis=0)),
        aer_fractions=tuple(aer_detectors.mean(axis=0)),
        stim_observable_fractions=tuple(stim_observables.mean(axis=0)),
        aer_observable_fractions=tuple(aer_observables.mean(axis=0)),
    )
    assert check.agrees(alpha=1e-3), check.z_scores()
    assert min(check.stim_fractions) > 0.01  # the noise is strong enough to be checked


def test_aer_noise_model_warns_about_idle_components_and_needs_num_qubits_for_zero_overrides(
    aer,
):
    with pytest.warns(UserWarning, match=r"\['idle'\] act on idle qubits"):
        qiskit_interop.to_aer_noise_model(qecsim.NoiseModel.sd6(1e-3))
    switched_off = qecsim.NoiseModel(single_qubit_gate=0.01).with_qubit_rates(
        {1: {"single_qubit_gate": 0.0}}
    )
    with pytest.raises(qecsim.QecsimError, match="pass num_qubits="):
        qiskit_interop.to_aer_noise_model(switched_off)
    model = qiskit_interop.to_aer_noise_model(switched_off, num_qubits=3)
    assert 1 not in model.noise_qubits and {0, 2} <= set(model.noise_qubits)


def test_cross_check_result_validates_and_computes_z_scores():
    result = qiskit_interop.AerCrossCheck(
        shots=10_000, stim_fractions=(0.1, 0.0), aer_fractions=(0.11, 0.0)
    )
    se = math.sqrt(2 * 0.105 * 0.895 / 10_000)
    assert result.z_scores()[0] == pytest.approx(0.01 / se)
    assert result.z_scores()[1] == 0
    with pytest.raises(qecsim.QecsimError, match="shots=0 is not >= 1"):
        qiskit_interop.AerCrossCheck(shots=0, stim_fractions=(), aer_fractions=())
    with pytest.raises(qecsim.QecsimError, match="alpha=2 is not in"):
        result.critical_z(alpha=2)
