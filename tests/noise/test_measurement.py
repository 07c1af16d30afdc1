"""Measurement noise: a state flip where the qubit is reset (or never used again), a result
flip where a mid-circuit measurement's qubit lives on."""

import stim

import qecsim

NOISE = qecsim.NoiseModel(measurement=0.01)


def _errors(circuit: stim.Circuit) -> list[str]:
    dem = NOISE.noisy_circuit(circuit).detector_error_model()
    return sorted(" ".join(str(t) for t in e.targets_copy()) for e in dem.flattened()
                  if e.type == "error")


def test_a_measurement_whose_qubit_is_used_again_flips_only_its_result():
    circuit = stim.Circuit("R 0\nTICK\nM 0\nTICK\nM 0\nDETECTOR rec[-2]\nDETECTOR rec[-1]")
    noisy = NOISE.noisy_circuit(circuit)
    assert "M[measurement](0.01) 0" in str(noisy)
    # a state flip before the first M would flip both results (one error D0 D1)
    assert _errors(circuit) == ["D0", "D1"]


def test_measurements_followed_by_reset_or_nothing_keep_the_state_flip():
    circuit = stim.Circuit("R 0 1\nTICK\nM 0 1\nTICK\nR 0\nTICK\nMR 0")
    text = str(NOISE.noisy_circuit(circuit))
    assert "X_ERROR[measurement](0.01) 0 1\nM 0 1" in text
    assert "X_ERROR[measurement](0.01) 0\nMR 0" in text


def test_mixed_targets_keep_the_measurement_order():
    circuit = stim.Circuit(
        "R 0 1 2\nTICK\nM 0 1 2\nTICK\nX 1\nTICK\nM 1\n"
        "DETECTOR rec[-4]\nDETECTOR rec[-3]\nDETECTOR rec[-2]\nDETECTOR rec[-1]"
    )
    noisy = NOISE.noisy_circuit(circuit)
    assert "M 0\nM[measurement](0.01) 1\nM 2" in str(noisy)
    assert _errors(circuit) == ["D0", "D1", "D2", "D3"]


def test_inside_a_repeat_block_the_next_iteration_counts():
    used_again = stim.Circuit("R 0\nREPEAT 3 {\n  TICK\n  M 0\n  TICK\n  H 0\n}")
    assert "M[measurement](0.01) 0" in str(NOISE.noisy_circuit(used_again))
    reset_each_time = stim.Circuit("REPEAT 3 {\n  R 0\n  TICK\n  M 0\n  TICK\n}")
    assert "X_ERROR[measurement](0.01) 0\n    M 0" in str(NOISE.noisy_circuit(reset_each_time))


def test_memory_circuits_are_unchanged_by_the_rule():
    # ancillas are measured with MR and data qubits at the end: no result flips
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(1e-3))
    assert not any(i.name == "M" and i.gate_args_copy() for i in circuit.flattened())
