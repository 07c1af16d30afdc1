"""Splitting and scaling tagged circuits from their tags alone."""

import pytest
import stim

import qecsim
from qecsim.experiment.tagged import check_tagged, scale_tagged, split_by_qubit


def test_split_by_qubit_matches_the_noise_models_qubit_tags():
    noise = qecsim.NoiseModel.si1000(1e-3)
    circuit = qecsim.memory_circuit(distance=3, rounds=3)
    split = split_by_qubit(noise.noisy_circuit(circuit))
    tagged = noise.noisy_circuit(circuit, tag_qubits=True)
    assert split.detector_error_model() == tagged.detector_error_model()
    assert sorted(str(split).splitlines()) == sorted(
        line for line in str(tagged).splitlines())


def test_scale_tagged_scales_one_component_on_one_qubit():
    noise = qecsim.NoiseModel.si1000(1e-3)
    circuit = qecsim.memory_circuit(distance=3, rounds=3)
    tagged = noise.noisy_circuit(circuit, tag_qubits=True)
    scaled = scale_tagged(tagged, lambda t: 3.0 if (t.component, t.qubits) == (
        "measurement", (5,)) else 1.0)
    expected = noise.with_qubit_rates({5: {"measurement": 3 * noise.measurement}})
    assert scaled.detector_error_model() == expected.noisy_circuit(
        circuit, tag_qubits=True).detector_error_model()
    with pytest.raises(qecsim.QecsimError, match=r"line \d+ \(DEPOLARIZE1\[idle@\d+\]\) "
                       r"scaled by 1e\+04 has probability 1, beyond its limit 0.75"):
        scale_tagged(tagged, lambda t: 1e4 if t.component == "idle" else 1.0)


def test_check_tagged_names_the_untagged_line():
    with pytest.raises(qecsim.QecsimError, match=r"line 3 \(X_ERROR, tag 'mystery'\)"):
        check_tagged(stim.Circuit("H 0\nTICK\nX_ERROR[mystery](0.1) 0\nM 0"))
    check_tagged(qecsim.NoiseModel.sd6(1e-3).noisy_circuit(qecsim.memory_circuit(distance=3)))
