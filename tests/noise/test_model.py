"""NoiseModel: presets, tags, overrides, bias, coherence, crosstalk, serialisation, bad input."""

import json
import math
from collections import Counter

import pytest
import stim

import qecsim
from qecsim.noise.components import COMPONENTS


def _dem_tags(circuit: stim.Circuit) -> set[str]:
    dem = circuit.detector_error_model(decompose_errors=True)
    return {instruction.tag for instruction in dem.flattened() if instruction.type == "error"}


def _noise_instructions(circuit: stim.Circuit) -> list[stim.CircuitInstruction]:
    return [
        i
        for i in circuit.flattened()
        if stim.gate_data(i.name).is_noisy_gate and not stim.gate_data(i.name).produces_measurements
    ]


# Exact preset definitions (design.md): component -> multiple of p.
PRESET_TABLE = {
    "uniform_depolarizing": dict(
        two_qubit_gate=1, single_qubit_gate=1, reset=1, measurement=1, data_depolarization=1
    ),
    "sd6": dict(two_qubit_gate=1, single_qubit_gate=1, reset=1, measurement=1, idle=1),
    "si1000": dict(
        two_qubit_gate=1,
        single_qubit_gate=0.1,
        reset=2,
        measurement=5,
        idle=0.1,
        measurement_idle=2,
    ),
    "code_capacity": dict(data_depolarization=1),
    "phenomenological": dict(measurement=1, data_depolarization=1),
}


@pytest.mark.parametrize("preset", qecsim.PRESETS)
def test_presets_match_the_design_table(preset):
    p = 0.002
    noise = qecsim.NoiseModel.from_preset(preset, p)
    expected = {c: PRESET_TABLE[preset].get(c, 0) * p for c in COMPONENTS}
    assert noise.rates() == pytest.approx(expected, rel=1e-12, abs=0)
    assert noise.name == preset and noise.p == p


def test_every_dem_error_carries_a_canonical_tag():
    noise = (
        qecsim.NoiseModel.si1000(2e-3)
        .scaled(data_depolarization=1)
        .with_qubit_rates({0: {"measurement": 0.02}})
        .with_coupler_rates({(5, 1): {"two_qubit_gate": 0.01}})
    )
    noise = qecsim.NoiseModel.from_dict(
        {
            **noise.to_dict(),
            "rates": {**noise.rates(), "crosstalk": 1e-3, "data_depolarization": 1e-3},
        }
    )
    circuit = qecsim.memory_circuit(distance=3, noise=noise)
    tags = _dem_tags(circuit)
    parsed = {qecsim.parse_tag(tag) for tag in tags}
    assert None not in parsed
    assert {t.component for t in parsed} == set(COMPONENTS)
    assert "measurement@0" in tags and "two_qubit_gate@1-5" in tags


@pytest.mark.parametrize(
    "component",
    ["two_qubit_gate", "single_qubit_gate", "idle", "measurement_idle", "reset", "measurement"],
)
def test_scaling_a_component_to_zero_removes_exactly_its_tags(component):
    noise = qecsim.NoiseModel.si1000(1e-3)
    full = _dem_tags(qecsim.memory_circuit(distance=3, noise=noise))
    without = _dem_tags(qecsim.memory_circuit(distance=3, noise=noise.scaled(**{component: 0})))
    assert full - without == {component}
    assert without <= full


def test_per_qubit_override_changes_only_that_qubits_channels():
    noise = qecsim.NoiseModel.si1000(1e-3)
    qubit = 4
    base = qecsim.memory_circuit(distance=3, rounds=2, noise=noise)
    changed = qecsim.memory_circuit(
        distance=3, rounds=2, noise=noise.with_qubit_rates({qubit: {"measurement": 0.05}})
    )

    def per_qubit(circuit):
        channels = []
        for instruction in _noise_instructions(circuit):
            width = 2 if instruction.name in ("DEPOLARIZE2", "PAULI_CHANNEL_2") else 1
            targets = [t.value for t in instruction.targets_copy()]
            for k in range(0, len(targets), width):
                component = instruction.tag.partition("@")[0]
                channels.append(
                    (
                        component,
                        tuple(targets[k : k + width]),
                        tuple(instruction.gate_args_copy()),
                        instruction.tag,
                    )
                )
        return channels

    before, after = Counter(per_qubit(base)), Counter(per_qubit(changed))
    removed, added = before - after, after - before
    assert removed and added  # the override did something
    assert {(c, q, args, tag) for c, q, args, tag in removed} == {
        ("measurement", (qubit,), (1e-3 * 5,), "measurement")
    }
    assert {(c, q, args, tag) for c, q, args, tag in added} == {
        ("measurement", (qubit,), (0.05,), f"measurement@{qubit}")
    }
    assert sum(removed.values()) == sum(added.values()) == 2  # ancilla 4: one per round


def test_coupler_override_changes_only_that_couplers_gates():
    noise = qecsim.NoiseModel.sd6(1e-3)

    def pair_channels(model):
        circuit = qecsim.memory_circuit(distance=3, rounds=2, noise=model)
        channels = Counter()
        for instruction in _noise_instructions(circuit):
            width = 2 if instruction.name == "DEPOLARIZE2" else 1
            targets = [t.value for t in instruction.targets_copy()]
            for k in range(0, len(targets), width):
                key = (instruction.tag, tuple(instruction.gate_args_copy()),
                       tuple(targets[k:k + width]))
                channels[key] += 1
        return channels

    base = pair_channels(noise)
    changed = pair_channels(noise.with_coupler_rates({(5, 1): {"two_qubit_gate": 0.01}}))
    assert changed - base == Counter({("two_qubit_gate@1-5", (0.01,), (5, 1)): 2})
    assert base - changed == Counter({("two_qubit_gate", (1e-3,), (5, 1)): 2})


def test_explicit_identity_gets_idle_noise():
    noise = qecsim.NoiseModel.sd6(1e-3)
    noisy = noise.noisy_circuit(stim.Circuit("R 0 1\nTICK\nI 0 1\nTICK\nM 0 1"))
    assert "DEPOLARIZE1[idle](0.001) 0 1" in str(noisy)


def test_classically_controlled_paulis_are_single_qubit_gates_as_tag_noise_reads_them():
    noise = qecsim.NoiseModel.sd6(1e-3)
    circuit = stim.Circuit("CX sweep[0] 1 2 3\nTICK\nM 0\nTICK\nCZ rec[-1] 1 0 2\nTICK\nM 1")
    noisy = noise.noisy_circuit(circuit, tag_qubits=True)
    text = str(noisy)
    assert "CX sweep[0] 1\nDEPOLARIZE1[single_qubit_gate@1](0.001) 1" in text
    assert "CX 2 3\nDEPOLARIZE2[two_qubit_gate@2-3](0.001) 2 3" in text
    assert "CZ rec[-1] 1\nDEPOLARIZE1[single_qubit_gate@1](0.001) 1" in text
    assert "CZ 0 2\nDEPOLARIZE2[two_qubit_gate@0-2](0.001) 0 2" in text
    # the same tags tag_noise gives the stripped circuit
    retagged = qecsim.tag_noise(noisy.without_tags())
    assert [i.tag for i in retagged.flattened() if i.tag] == [
        i.tag for i in noisy.flattened() if i.tag]
    with pytest.raises(qecsim.QecsimError, match=r"instruction 0 \(MPP X0\*X1\).*no noise rule"):
        noise.noisy_circuit(stim.Circuit("MPP X0*X1"))


def test_pure_dephasing_from_infinite_t1():
    noise = qecsim.NoiseModel().with_coherence(
        t1=math.inf, t2=100e-6, gate_duration=1e-6, measurement_duration=1e-6
    )
    assert noise.z_bias["idle"] == math.inf
    circuit = noise.noisy_circuit(stim.Circuit("R 0 1\nTICK\nH 0\nTICK\nM 0 1"))
    (idle,) = [i for i in _noise_instructions(circuit) if i.tag == "idle"]
    px, py, pz = idle.gate_args_copy()
    assert px == py == 0 and pz == pytest.approx(noise.idle)


def test_crosstalk_can_shorten_the_x_memory_like_a_hook_error():
    # A ZZ error on a data qubit and a neighbouring X-check qubit in mid-schedule spreads
    # like a hook error. This is the definition's physics, documented on NoiseModel.
    noise = qecsim.NoiseModel(crosstalk=1e-3, two_qubit_gate=1e-3)
    x_memory = qecsim.memory_circuit(distance=5, basis="X", noise=noise)
    assert len(x_memory.shortest_graphlike_error()) < 5


def test_qubit_rates_accept_coordinates():
    circuit = qecsim.memory_circuit(distance=3)
    noise = qecsim.NoiseModel.sd6(1e-3).with_qubit_rates({(1, 1): {"reset": 0.01}}, circuit=circuit)
    (qubit,) = noise.qubit_rates
    assert circuit.get_final_qubit_coordinates()[qubit] == [1, 1]


def test_tag_qubits_tags_every_channel_with_its_qubits():
    circuit = qecsim.memory_circuit(
        distance=3, noise=qecsim.NoiseModel.si1000(1e-3), tag_qubits=True
    )
    for instruction in _noise_instructions(circuit):
        tag = qecsim.parse_tag(instruction.tag)
        assert tag is not None and tag.qubits
        assert len(instruction.targets_copy()) == len(tag.qubits)


def test_z_bias_makes_pauli_channels_with_the_requested_ratio():
    eta = 9.0
    noise = qecsim.NoiseModel.sd6(3e-3).with_z_bias(eta, components="idle")
    circuit = qecsim.memory_circuit(distance=3, noise=noise)
    channels = [i for i in _noise_instructions(circuit) if i.tag == "idle"]
    assert channels and all(i.name == "PAULI_CHANNEL_1" for i in channels)
    px, py, pz = channels[0].gate_args_copy()
    assert px == pytest.approx(py)
    assert pz / (px + py) == pytest.approx(eta)
    assert px + py + pz == pytest.approx(3e-3)


def test_pauli_twirl_matches_the_formula():
    t1, t2, t = 120e-6, 90e-6, 700e-9
    px, py, pz = qecsim.pauli_twirl_idle(t1=t1, t2=t2, duration=t)
    assert px == py == pytest.approx((1 - math.exp(-t / t1)) / 4)
    assert pz == pytest.approx((1 - math.exp(-t / t2)) / 2 - (1 - math.exp(-t / t1)) / 4)
    noise = qecsim.NoiseModel.si1000(1e-3).with_coherence(
        t1=t1, t2=t2, gate_duration=50e-9, measurement_duration=t
    )
    assert noise.measurement_idle == pytest.approx(px + py + pz)
    assert noise.z_bias["measurement_idle"] == pytest.approx(pz / (px + py))
    per_qubit = qecsim.NoiseModel.si1000(1e-3).with_coherence(
        t1=t1, t2=t2, gate_duration=50e-9, measurement_duration=t, qubit=3
    )
    assert per_qubit.rate("measurement_idle", (3,)) == pytest.approx(px + py + pz)
    assert per_qubit.rate("measurement_idle", (4,)) == 2e-3


def test_crosstalk_hits_idle_neighbours_of_gate_qubits_with_zz():
    noise = qecsim.NoiseModel(crosstalk=1e-3)
    circuit = noise.noisy_circuit(
        stim.Circuit("R 0 1 2 3\nTICK\nCX 0 1\nTICK\nCX 1 2 3 0\nTICK\nM 0 1 2 3")
    )
    crosstalk = [i for i in _noise_instructions(circuit) if i.tag == "crosstalk.spectator"]
    assert len(crosstalk) == 1
    args = crosstalk[0].gate_args_copy()
    assert args[-1] == 1e-3 and not any(args[:-1])  # only ZZ
    pairs = {tuple(t.value for t in crosstalk[0].targets_copy()[k : k + 2]) for k in (0, 2)}
    # in the moment "CX 0 1", qubit 2 (neighbour of 1) and 3 (neighbour of 0) are spectators
    assert pairs == {(3, 0), (2, 1)}


def test_unsupported_gate_is_named():
    with pytest.raises(qecsim.QecsimError, match="'MPP'"):
        qecsim.NoiseModel.sd6(1e-3).noisy_circuit(stim.Circuit("MPP X0*X1"))


def test_json_round_trip():
    noise = (
        qecsim.NoiseModel.si1000(1e-3)
        .with_qubit_rates({2: {"measurement": 0.03}})
        .with_coupler_rates({(1, 2): {"two_qubit_gate": 0.02, "crosstalk": 0.001}})
        .with_z_bias(5.0, qubit=2)
    )
    text = noise.to_json()
    assert json.loads(text)["coupler_rates"] == {
        "1-2": {"two_qubit_gate": 0.02, "crosstalk": 0.001}
    }
    assert qecsim.NoiseModel.from_json(text) == noise


def test_scaled_scales_overrides_and_preserves_the_original():
    noise = qecsim.NoiseModel.sd6(1e-3).with_qubit_rates({1: {"measurement": 0.01}})
    half = noise.scaled(measurement=0.5)
    assert half.rate("measurement", (1,)) == pytest.approx(0.005)
    assert half.measurement == pytest.approx(0.0005)
    assert noise.measurement == 1e-3
    assert noise.scaled(2).two_qubit_gate == pytest.approx(2e-3)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: qecsim.NoiseModel.sd6(-0.1), "-0.1"),
        (lambda: qecsim.NoiseModel.sd6(1.5), "1.5"),
        (lambda: qecsim.NoiseModel.si1000(0.3), r"si1000 p=0.3 is not in \[0, 0.2\]"),
        (
            lambda: qecsim.NoiseModel(single_qubit_gate=0.8),
            r"single_qubit_gate=0.8 is not in \[0, 0.75\]",
        ),
        (
            lambda: qecsim.NoiseModel(two_qubit_gate=0.95),
            r"two_qubit_gate=0.95 is not in \[0, 0.9375\]",
        ),
        (lambda: qecsim.NoiseModel(measurement=float("nan")), "measurement=nan"),
        (
            lambda: qecsim.NoiseModel.from_preset("sd7", 1e-3),
            "sd7.*uniform_depolarizing, sd6, si1000",
        ),
        (lambda: qecsim.NoiseModel.sd6(1e-3).scaled(gate=2), "'gate'.*two_qubit_gate"),
        (lambda: qecsim.NoiseModel.sd6(1e-3).scaled(measurement=-1), "measurement=-1"),
        (
            lambda: qecsim.NoiseModel.sd6(0.5).scaled(two_qubit_gate=2),
            "two_qubit_gate=0.5 scaled by 2",
        ),
        (
            lambda: qecsim.NoiseModel.sd6(1e-3).with_qubit_rates({1: {"two_qubit_gate": 0.1}}),
            "cannot override 'two_qubit_gate'",
        ),
        (
            lambda: qecsim.NoiseModel.sd6(1e-3).with_qubit_rates({1: {"measurement": 2}}),
            r"measurement'\]=2 is not in \[0, 1\]",
        ),
        (lambda: qecsim.NoiseModel.sd6(1e-3).with_z_bias(-1.0), "-1.0"),
        (lambda: qecsim.pauli_twirl_idle(t1=50e-6, t2=150e-6, duration=1e-6), "t2=0.00015"),
        (lambda: qecsim.pauli_twirl_idle(t1=0, t2=1, duration=1), "t1=0"),
        (lambda: qecsim.NoiseModel.from_json("{not json"), "does not parse"),
        (lambda: qecsim.NoiseModel.from_dict({"rates": {"gate": 0.1}}), "'gate'"),
        (lambda: qecsim.pauli_twirl_idle(t1=1, t2=1, duration="a"), "duration='a'"),
    ],
)
def test_bad_input_raises_with_the_value(make, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        make()
