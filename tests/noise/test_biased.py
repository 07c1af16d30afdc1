"""Z-biased two-qubit channels and bias-preserving CX noise (qecsim.noise.biased)."""

import math

import numpy as np
import pymatching
import pytest
import sinter
import stim

import qecsim
from qecsim.errors import QecsimError
from qecsim.noise.biased import (
    PAULIS_2,
    bias_preserving_cx,
    pauli_weights,
    split_z_type,
    z_biased_pauli_channel_1,
    z_biased_pauli_channel_2,
)

ETAS = [0.0, 0.1, 0.25, 0.5, 1.0, 3.0, 100.0, 1e4, math.inf]


@pytest.mark.parametrize("eta", ETAS)
def test_each_qubit_of_the_z_biased_channel_sees_bias_eta(eta):
    p = 0.012
    probabilities = z_biased_pauli_channel_2(p, eta)
    assert len(probabilities) == 15 and min(probabilities) >= 0
    assert sum(probabilities) == pytest.approx(p, rel=1e-12)
    for z_weight, xy_weight in pauli_weights(probabilities):
        # X/Y-type weight = Z-type weight / eta, on each qubit
        if math.isinf(eta):
            assert xy_weight == 0 and z_weight > 0
        else:
            assert xy_weight * eta == pytest.approx(z_weight, rel=1e-12, abs=1e-18)


def test_the_z_biased_channel_at_one_half_is_depolarize2_exactly():
    assert z_biased_pauli_channel_2(0.015, 0.5) == (0.015 / 15,) * 15
    # an independent reference: stim's DEPOLARIZE2 and the explicit channel give one DEM,
    # seen from both measurement bases. stim converts DEPOLARIZE2 exactly but a
    # PAULI_CHANNEL_2 approximately (disjoint probabilities read as independent): they agree
    # to O(p^2) = 2.25e-4
    for reset, measure in (("R", "M"), ("RX", "MX")):
        body = f"{reset} 0 1\n{{channel}} 0 1\n{measure} 0 1\n"
        body += "DETECTOR rec[-1]\nOBSERVABLE_INCLUDE(0) rec[-2]"
        args = ", ".join(repr(v) for v in z_biased_pauli_channel_2(0.015, 0.5))
        explicit = stim.Circuit(body.format(channel=f"PAULI_CHANNEL_2({args})"))
        depolarize = stim.Circuit(body.format(channel="DEPOLARIZE2(0.015)"))
        assert explicit.detector_error_model(approximate_disjoint_errors=True).approx_equals(
            depolarize.detector_error_model(), atol=0.015**2
        )


def test_the_one_qubit_channel_keeps_the_model_convention():
    px, py, pz = z_biased_pauli_channel_1(0.01, 4.0)
    assert px == py and pz / (px + py) == pytest.approx(4.0)
    assert pauli_weights((px, py, pz)) == ((pz, px + py),)
    assert z_biased_pauli_channel_1(0.01, 0.0) == (0.005, 0.005, 0.0)


@pytest.mark.parametrize("eta", [1.0, 10.0, 1e4])
def test_bias_preserving_cx_bit_flips_are_z_weight_over_eta(eta):
    parts = bias_preserving_cx(z_control=0.02, z_target=0.004, z_both=0.003, eta=eta)
    total = [a + b for a, b in zip(parts["phase_flip"], parts["bit_flip"], strict=True)]
    (z_control, xy_control), (z_target, xy_target) = pauli_weights(total)
    assert (z_control, z_target) == pytest.approx((0.023, 0.007))
    assert xy_control == pytest.approx(z_control / eta, rel=1e-12)
    assert xy_target == pytest.approx(z_target / eta, rel=1e-12)
    # the parts are exactly the Z-type and the X/Y-type terms
    z_terms, xy_terms = split_z_type(total)
    assert z_terms == pytest.approx(parts["phase_flip"], rel=1e-12)
    assert xy_terms == pytest.approx(parts["bit_flip"], rel=1e-12)
    support = {PAULIS_2[i] for i, v in enumerate(parts["bit_flip"]) if v > 0}
    assert support == {"XI", "YI", "IX", "IY"}


def test_bias_preserving_cx_rejects_what_is_not_a_channel():
    with pytest.raises(QecsimError, match="adds up to"):
        bias_preserving_cx(z_control=0.5, z_target=0.3, z_both=0.3)
    with pytest.raises(QecsimError, match="eta=0"):
        bias_preserving_cx(z_control=0.1, z_target=0.1, z_both=0.1, eta=0)
    with pytest.raises(QecsimError, match="z_both"):
        bias_preserving_cx(z_control=0.1, z_target=0.1, z_both=-0.1)


def noise_lines(circuit, name):
    return [i for i in circuit.flattened() if i.name == name]


def test_a_z_biased_two_qubit_gate_writes_the_biased_channel_in_gate_order():
    noise = qecsim.NoiseModel(two_qubit_gate=2e-3).with_z_bias(20.0, components=["two_qubit_gate"])
    circuit = noise.noisy_circuit(stim.Circuit("R 0 1\nTICK\nCX 1 0\nTICK\nM 0 1"))
    (channel,) = noise_lines(circuit, "PAULI_CHANNEL_2")
    assert channel.tag == "two_qubit_gate"
    assert [t.value for t in channel.targets_copy()] == [1, 0]  # control first
    assert tuple(channel.gate_args_copy()) == pytest.approx(z_biased_pauli_channel_2(2e-3, 20.0))
    # per-qubit biases are for one-qubit channels only
    with pytest.raises(QecsimError, match="cannot apply to 'two_qubit_gate'"):
        qecsim.NoiseModel(two_qubit_gate=1e-3).with_z_bias(5.0, components="two_qubit_gate",
                                                          qubit=0)


@pytest.mark.parametrize("code", ["rotated_surface_code", "repetition_code"])
@pytest.mark.parametrize("preset", ["sd6", "si1000", "uniform_depolarizing"])
def test_eta_one_half_everywhere_leaves_the_depolarizing_circuit_unchanged(code, preset):
    noise = qecsim.NoiseModel.from_preset(preset, 2e-3)
    components = ["single_qubit_gate", "idle", "measurement_idle", "data_depolarization",
                  "two_qubit_gate"]
    half = noise.with_z_bias(0.5, components=components)
    for basis in "XZ":
        assert qecsim.memory_circuit(code, distance=3, basis=basis, noise=half) == (
            qecsim.memory_circuit(code, distance=3, basis=basis, noise=noise)
        )


def explicit_channels(circuit: stim.Circuit) -> stim.Circuit:
    """DEPOLARIZE1/2 rewritten as the PAULI_CHANNEL_1/2 of the biased channels at eta = 1/2."""
    out = stim.Circuit()
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            out.append(stim.CircuitRepeatBlock(item.repeat_count,
                                               explicit_channels(item.body_copy())))
        elif item.name == "DEPOLARIZE1":
            (p,) = item.gate_args_copy()
            out.append(stim.CircuitInstruction("PAULI_CHANNEL_1", item.targets_copy(),
                                               z_biased_pauli_channel_1(p, 0.5), tag=item.tag))
        elif item.name == "DEPOLARIZE2":
            (p,) = item.gate_args_copy()
            out.append(stim.CircuitInstruction("PAULI_CHANNEL_2", item.targets_copy(),
                                               z_biased_pauli_channel_2(p, 0.5), tag=item.tag))
        else:
            out.append(item)
    return out


def logical_errors(circuit: stim.Circuit, shots: int, seed: int) -> int:
    dem = circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
    matching = pymatching.Matching.from_detector_error_model(dem)
    detectors, observables = circuit.compile_detector_sampler(seed=seed).sample(
        shots, separate_observables=True
    )
    return int(np.any(matching.decode_batch(detectors) != observables, axis=1).sum())


def test_the_biased_channels_at_one_half_reproduce_the_depolarizing_logical_error():
    # The explicit PAULI_CHANNEL form of every channel at eta = 1/2 is the depolarizing
    # circuit: the same DEM (to stim's O(p^2) conversion of PAULI_CHANNEL), and the same
    # logical error rate within intervals (stim samples both channels exactly).
    noise = qecsim.NoiseModel.sd6(5e-3)
    for basis in "XZ":
        circuit = qecsim.memory_circuit(distance=3, rounds=3, basis=basis, noise=noise)
        explicit = explicit_channels(circuit)
        assert sum(1 for i in explicit.flattened() if i.name.startswith("PAULI_CHANNEL")) > 0
        # to O(p^2) per channel (see above); a mechanism collects a few channels
        assert explicit.detector_error_model(approximate_disjoint_errors=True).approx_equals(
            circuit.detector_error_model(), atol=4 * 5e-3**2
        )
    shots = 20_000
    fits = [sinter.fit_binomial(num_shots=shots, num_hits=logical_errors(c, shots, seed),
                                max_likelihood_factor=1000)
            for c, seed in ((circuit, 1), (explicit, 2))]
    assert fits[0].low <= fits[1].high and fits[1].low <= fits[0].high


def test_with_bias_preserving_cx_keeps_the_rate_and_tags_its_parts():
    noise = qecsim.NoiseModel.sd6(1e-3).with_bias_preserving_cx(50.0)
    parts = noise.parts("two_qubit_gate")
    assert noise.two_qubit_gate == 0.0
    assert sum(map(sum, parts.values())) == pytest.approx(1e-3, rel=1e-12)
    phase, bit = parts["phase_flip"], parts["bit_flip"]
    for z_weight, xy_weight in pauli_weights([a + b for a, b in zip(phase, bit, strict=True)]):
        assert xy_weight == pytest.approx(z_weight / 50.0, rel=1e-12)
    assert noise.keys_in_use()[:2] == ("two_qubit_gate.phase_flip", "two_qubit_gate.bit_flip")
    circuit = qecsim.memory_circuit("cat_repetition_code", distance=3, rounds=2, noise=noise)
    tags = {i.tag for i in circuit.flattened() if i.name == "E"}  # one E per Pauli term
    assert tags == {"two_qubit_gate.phase_flip", "two_qubit_gate.bit_flip"}
    assert qecsim.NoiseModel.from_json(noise.to_json()) == noise
    # scaling the component scales both parts; scaling a part only that part
    scaled = noise.scaled(**{"two_qubit_gate.bit_flip": 0.0})
    assert sum(scaled.parts("two_qubit_gate")["bit_flip"]) == 0
    assert scaled.parts("two_qubit_gate")["phase_flip"] == parts["phase_flip"]
    assert sum(map(sum, noise.scaled(two_qubit_gate=2).parts("two_qubit_gate").values())) == (
        pytest.approx(2e-3)
    )


def test_channel_parts_are_checked():
    with pytest.raises(QecsimError, match="rate must be 0"):
        qecsim.NoiseModel(idle=1e-3, channel_parts={"idle": {"phase_flip": (0, 0, 1e-3)}})
    with pytest.raises(QecsimError, match="takes 15"):
        qecsim.NoiseModel(channel_parts={"two_qubit_gate": {"phase_flip": (0, 0, 1e-3)}})
    with pytest.raises(QecsimError, match="part 'leakage'"):
        qecsim.NoiseModel(channel_parts={"idle": {"leakage": (0, 0, 1e-3)}})
    with pytest.raises(QecsimError, match="crosstalk"):
        qecsim.NoiseModel(channel_parts={"crosstalk": {"phase_flip": (0, 0, 1e-3)}})


def dem_weight_by_part(circuit: stim.Circuit) -> dict[str, float]:
    """Sum of the probabilities of the DEM's error mechanisms, by the part of their tag."""
    weights: dict[str, float] = {}
    dem = circuit.detector_error_model(approximate_disjoint_errors=True)
    for instruction in dem.flattened():
        if instruction.type == "error":
            part = qecsim.parse_tag(instruction.tag).part
            weights[part] = weights.get(part, 0.0) + instruction.args_copy()[0]
    return weights


def test_a_z_basis_repetition_dem_under_bias_1e4_has_rare_x_type_mechanisms():
    # Z-basis memory of the repetition code against phase flips (cat_repetition_code): phase
    # flips trip its X checks, bit flips flip its Z observable; both are DEM mechanisms.
    # Each qubit's X/Y weight is its Z weight / eta; every X/Y term acts on one qubit (ratio
    # 1/eta of its qubit's Z letters) while ZZ, one Z-type term, has two Z letters: the bit
    # flips' total is between 1/eta and 2/eta of the phase flips'.
    eta = 1e4
    noise = qecsim.NoiseModel(two_qubit_gate=1e-3).with_bias_preserving_cx(eta)
    circuit = qecsim.memory_circuit("cat_repetition_code", distance=5, basis="Z", noise=noise)
    weights = dem_weight_by_part(circuit)
    ratio = weights["phase_flip"] / weights["bit_flip"]
    assert eta / 2 <= ratio <= eta
    # the same circuit at eta = 1 has comparable parts: the 1e4 comes from the bias (to
    # first order: stim merges mechanisms of equal symptoms, O(p^2) at eta = 1)
    even = qecsim.NoiseModel(two_qubit_gate=1e-3).with_bias_preserving_cx(1.0)
    weights_1 = dem_weight_by_part(
        qecsim.memory_circuit("cat_repetition_code", distance=5, basis="Z", noise=even)
    )
    assert ratio / (weights_1["phase_flip"] / weights_1["bit_flip"]) == pytest.approx(
        eta, rel=1e-2
    )
