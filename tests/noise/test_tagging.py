"""tag_noise: one test per rule on small hand-written circuits, plus the invariants.

The references are independent of the tagger: the definitions of the rules on circuits small
enough to read, qecsim's own tagged circuits (stripped and re-tagged), and stim's generated
circuits, whose four noise parameters are set to different values so that each channel's
probability says which component stim meant.
"""

from __future__ import annotations

import collections

import pytest
import stim

import qecsim
from qecsim.noise.tagging import TaggingSummary, UnplacedChannel, instructions_with_lines, tag_noise


def noise_tags(circuit: stim.Circuit) -> list[tuple[str, str, str]]:
    """(instruction, target group, tag) of every noise channel, REPEAT bodies read once."""
    rows = []
    for _, item in instructions_with_lines(circuit):
        if isinstance(item, stim.CircuitRepeatBlock):
            continue
        data = stim.gate_data(item.name)
        noisy_measurement = data.produces_measurements and any(item.gate_args_copy())
        if data.is_noisy_gate and (not data.produces_measurements or noisy_measurement
                                   or item.name.startswith("HERALDED")):
            for group in item.target_groups():
                rows.append((item.name, " ".join(str(t) for t in group), item.tag))
    return rows


def tags(text: str, **kwargs) -> list[str]:
    """The tag of every noise channel of the circuit, in order."""
    tagged = tag_noise(stim.Circuit(text), **kwargs)
    assert tagged.without_tags() == stim.Circuit(text).without_tags()
    return [tag for _, _, tag in noise_tags(tagged)]


def dem_probabilities(circuit: stim.Circuit) -> dict[tuple[str, ...], float]:
    """Symptom -> total flip probability, merging independent errors (tags ignored)."""
    merged: dict[tuple[str, ...], float] = {}
    for instruction in circuit.detector_error_model().flattened():
        if instruction.type == "error":
            key = tuple(sorted(str(t) for t in instruction.targets_copy()))
            p, q = instruction.args_copy()[0], merged.get(key, 0.0)
            merged[key] = p + q - 2 * p * q
    return merged


# ----------------------------------------------------------------------- one rule each
def test_two_qubit_gate_noise_names_its_pair_in_increasing_order():
    assert tags("CZ 3 1\nDEPOLARIZE2(0.01) 3 1\nPAULI_CHANNEL_2(" + "0.001," * 14
                + "0.001) 1 3") == ["two_qubit_gate@1-3", "two_qubit_gate@1-3"]


def test_a_one_qubit_channel_after_a_two_qubit_gate_is_that_gates():
    assert tags("CX 0 1\nDEPOLARIZE1(0.01) 1 0") == ["two_qubit_gate@0-1"] * 2


def test_single_qubit_gate_noise_and_idle_qubits_in_the_gate_tick():
    circuit = "R 0 1 2\nTICK\nH 0\nI 1\nDEPOLARIZE1(0.01) 0 1 2\nTICK\nM 0 1 2"
    assert tags(circuit) == ["single_qubit_gate@0", "idle@1", "idle@2"]


def test_idle_in_a_measurement_or_reset_tick_is_measurement_idle():
    circuit = "H 0 1 2\nTICK\nM 0\nI 1\nDEPOLARIZE1(0.01) 1 2\nTICK\nR 0\nDEPOLARIZE1(0.02) 1"
    assert tags(circuit) == ["measurement_idle@1", "measurement_idle@2", "measurement_idle@1"]


def test_two_idle_channels_in_a_measurement_tick_are_idle_then_measurement_idle():
    # qecsim's faithful presets: idle noise in every tick, measurement idle on top of it
    circuit = "H 0 1\nTICK\nM 0\nDEPOLARIZE1(0.001) 1\nDEPOLARIZE1(0.02) 1\nTICK\nM 1"
    assert tags(circuit) == ["idle@1", "measurement_idle@1"]


def test_one_idle_channel_in_a_measurement_tick_is_idle_if_the_qubit_idles_alike_in_gates():
    # SD6: the same idle channel in every tick, measurement ticks included
    sd6 = "H 0\nDEPOLARIZE1(0.001) 1\nTICK\nM 0\nDEPOLARIZE1(0.001) 1\nTICK\nM 1"
    assert tags(sd6) == ["idle@1", "idle@1"]
    # a qubit that never idles in a gate tick compares with the other qubits' gate idles
    busy = "H 0\nDEPOLARIZE1(0.001) 1\nTICK\nM 1\nDEPOLARIZE1(0.001) 0\nTICK\nM 0"
    assert tags(busy) == ["idle@1", "idle@0"]
    # Google: waiting for a readout costs more than idling through a gate
    google = "H 0\nI 1\nTICK\nDEPOLARIZE1(0.001) 1\nTICK\nM 0\nI 1\nTICK\nDEPOLARIZE1(0.03) 1"
    assert tags(google) == ["idle@1", "measurement_idle@1"]


def test_flips_before_measurements_and_measurement_probabilities():
    circuit = """
        H 0 1
        TICK
        X_ERROR(0.01) 0
        Z_ERROR(0.01) 1
        M 0
        MX 1
        TICK
        M(0.02) 0
        MPP(0.03) X0*Z1 Y2
        MR(0.04) 3
        TICK
        Z_ERROR(0.05) 4
        MPP X4*X5
        MZZ 6 7
        DEPOLARIZE2(0.06) 7 6
    """
    assert tags(circuit) == [
        "measurement@0", "measurement@1", "measurement@0", "measurement@0-1", "measurement@2",
        "measurement@3", "measurement@4", "measurement@7-6",
    ]  # fmt: skip


def test_mr_gets_measurement_before_and_reset_after():
    circuit = "H 0\nTICK\nX_ERROR(0.01) 0\nMR 0\nX_ERROR(0.02) 0\nTICK\nH 0"
    assert tags(circuit) == ["measurement@0", "reset@0"]


def test_flips_after_resets_and_between_reset_and_measurement():
    circuit = "R 0\nX_ERROR(0.01) 0\nRX 1\nZ_ERROR(0.01) 1\nTICK\nR 2\nTICK\nX_ERROR(0.1) 2"
    circuit += "\nTICK\nM 2"
    assert tags(circuit) == ["reset@0", "reset@1", "reset@2"]


def test_depolarization_at_the_top_of_a_round_is_data_depolarization():
    # stim.Circuit.generated's place: the first gate moment after a measurement, before its
    # operations (qubit 1 is touched there, qubit 2 idles)
    circuit = """
        R 0 1 2
        TICK
        DEPOLARIZE1(0.01) 1 2
        H 0
        CX 1 3
        DEPOLARIZE2(0.001) 1 3
        TICK
        DEPOLARIZE1(0.02) 0 2
        H 0
        TICK
        MR 0
    """
    # the next moment does not open a round: its channels are gate and idle noise
    assert tags(circuit) == [
        "data_depolarization@1", "data_depolarization@2", "two_qubit_gate@1-3",
        "single_qubit_gate@0", "idle@2",
    ]  # fmt: skip


def test_data_depolarization_in_a_tick_of_its_own_depends_on_where_the_circuit_puts_noise():
    # inline noise (qecsim's repetition code): a noise-only tick opening the round
    inline = "R 0 1\nTICK\nDEPOLARIZE1(0.01) 0\nTICK\nCX 0 1\nDEPOLARIZE2(0.01) 0 1\nTICK\nM 1"
    assert tags(inline) == ["data_depolarization@0", "two_qubit_gate@0-1"]
    # Google's layout (every channel in a tick of its own): the same channel is idle noise
    # of the reset tick it follows
    separate = "R 0 1\nI 2\nTICK\nDEPOLARIZE1(0.01) 2\nTICK\nCX 0 1\nTICK\nDEPOLARIZE2(0.01) 0 1"
    assert tags(separate) == ["measurement_idle@2", "two_qubit_gate@0-1"]


def test_correlated_errors_between_qubits_that_share_no_gate_are_crosstalk_of_their_kind():
    circuit = """
        CZ 0 1 2 3
        PAULI_CHANNEL_2(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.01) 4 0
        E(0.01) X1 Z2
        PAULI_CHANNEL_2(0,0,0.02,0,0,0,0,0,0,0,0,0.02,0,0,0.02) 5 2
        PAULI_CHANNEL_2(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.01) 4 5
        DEPOLARIZE2(0.01) 0 1
        E(0.01) X0 X2 X4
    """
    # spectator: an idle qubit next to a gate qubit (target order kept); parallel: qubits of
    # two different gates; static ZZ: IZ = ZI = ZZ, whatever the qubits do; two idle qubits:
    # plain crosstalk; three qubits: crosstalk without qubits (@a-b names one coupler)
    assert tags(circuit) == [
        "crosstalk.spectator@4-0", "crosstalk.parallel@1-2", "crosstalk.static_zz@5-2",
        "crosstalk@4-5", "two_qubit_gate@0-1", "crosstalk",
    ]  # fmt: skip


def test_an_else_correlated_error_takes_the_tag_of_its_chain():
    circuit = """
        CZ 0 1 2 3
        E(0.01) X1 Z2
        ELSE_CORRELATED_ERROR(0.02) Z1 Z0
        ELSE_CORRELATED_ERROR(0.03) X3
        E[mine](0.01) X0
        ELSE_CORRELATED_ERROR(0.02) Z4
        DEPOLARIZE1(0.01) 4
    """
    tagged, summary = tag_noise(stim.Circuit(circuit), return_summary=True)
    assert [t for _, _, t in noise_tags(tagged)] == [
        "crosstalk.parallel@1-2", "crosstalk.parallel@1-2", "crosstalk.parallel@1-2", "mine",
        "mine", "idle@4",
    ]  # fmt: skip
    assert summary.counts == {"idle": 1, "crosstalk": 3} and summary.kept == {"mine": 2}
    assert tagged.without_tags() == stim.Circuit(circuit).without_tags()


def test_mpad_probabilities_are_measurement_without_qubits():
    # MPAD's targets are bits (0 or 1), not qubits
    tagged = tag_noise(stim.Circuit("H 0\nTICK\nMPAD(0.1) 1 0\nM(0.01) 0"))
    assert [(i.name, i.tag) for i in tagged if i.gate_args_copy()] == [
        ("MPAD", "measurement"), ("M", "measurement@0")
    ]


# ----------------------------------------------------------------------- placements
def test_noise_before_its_gate_in_the_same_tick():
    circuit = "R 0 1 2\nTICK\nDEPOLARIZE2(0.01) 0 1\nCZ 0 1\nDEPOLARIZE1(0.01) 2\nH 2\nTICK\nM 0"
    tagged, summary = tag_noise(stim.Circuit(circuit), return_summary=True)
    assert [t for _, _, t in noise_tags(tagged)] == ["two_qubit_gate@0-1", "single_qubit_gate@2"]
    assert summary.placement == "before"
    assert any("precedes" in note for note in summary.notes)


def test_noise_in_ticks_of_its_own_after_or_before_the_gate_tick():
    after = "H 2\nTICK\nCZ 0 1\nI 2\nTICK\nDEPOLARIZE2(0.01) 0 1\nDEPOLARIZE1(0.01) 2\nTICK\nH 0"
    assert tags(after) == ["two_qubit_gate@0-1", "idle@2"]
    before = "H 2\nTICK\nDEPOLARIZE2(0.01) 0 1\nDEPOLARIZE1(0.01) 2\nTICK\nCZ 0 1\nI 2\nTICK\nH 0"
    assert tags(before) == ["two_qubit_gate@0-1", "idle@2"]
    # forcing the other reading attaches the same channels to the neighbouring tick
    assert tags(after, placement="before") == ["crosstalk@0-1", "idle@2"]


def test_circuits_without_ticks_attach_noise_to_the_nearest_operation():
    circuit = """
        R 0 1
        X_ERROR(0.01) 0 1
        H 0
        DEPOLARIZE1(0.01) 0
        CX 0 1
        DEPOLARIZE2(0.01) 0 1
        DEPOLARIZE1(0.001) 1
        X_ERROR(0.02) 0 1
        M 0 1
    """
    tagged, summary = tag_noise(stim.Circuit(circuit), return_summary=True)
    assert [t for _, _, t in noise_tags(tagged)] == [
        "reset@0", "reset@1", "single_qubit_gate@0", "two_qubit_gate@0-1",
        "two_qubit_gate@0-1", "measurement@0", "measurement@1",
    ]  # fmt: skip
    assert not summary.has_ticks
    assert any("idle noise cannot be told from gate noise" in note for note in summary.notes)
    assert any("data qubits at the start of a round" in note and "reset or gate noise" in note
               for note in summary.notes)


# ----------------------------------------------------------------------- circuit features
def test_a_repeat_body_is_tagged_as_most_of_its_iterations_see_it():
    # every round inside the REPEAT, preceded by a gate tick: the first iteration sees that
    # gate tick before its first moment, the two others the previous round's measurement
    circuit = stim.Circuit("""
        R 0 1 2
        X_ERROR(0.004) 0 1 2
        TICK
        H 0 2
        DEPOLARIZE1(0.001) 0 2
        TICK
        REPEAT 3 {
            DEPOLARIZE1(0.002) 0 2
            H 1
            DEPOLARIZE1(0.001) 1
            TICK
            CZ 0 1
            DEPOLARIZE2(0.001) 0 1
            TICK
            CZ 2 1
            DEPOLARIZE2(0.001) 2 1
            TICK
            H 1
            DEPOLARIZE1(0.001) 1
            TICK
            X_ERROR(0.003) 1
            MR 1
            X_ERROR(0.004) 1
            DEPOLARIZE1(0.0007) 0 2
            TICK
        }
        X_ERROR(0.003) 0 2
        M 0 2
    """)
    def opening(tagged: stim.Circuit) -> list[str]:
        return [i.tag for i in tagged.flattened() if i.gate_args_copy() == [0.002]]

    assert opening(tag_noise(circuit)) == ["data_depolarization@0", "data_depolarization@2"] * 3
    # the flattened circuit, read iteration by iteration, agrees on the last two
    assert opening(tag_noise(circuit.flattened())) == (
        ["idle@0", "idle@2"] + ["data_depolarization@0", "data_depolarization@2"] * 2
    )
    # a body run once is read in place: its first moment follows the gate tick
    once = stim.Circuit(str(circuit).replace("REPEAT 3", "REPEAT 1"))
    assert opening(tag_noise(once)) == ["idle@0", "idle@2"]


def test_idle_noise_at_the_top_of_a_round_is_not_data_depolarization_on_measure_qubits():
    # idle noise written before the operations of each tick: at the top of the tick that
    # opens a round, the data qubits' idle noise reads as data depolarization (the two cannot
    # be told apart), the measure qubit's (just measured, measured again later) does not
    circuit = """
        R 0 1 2
        TICK
        REPEAT 2 {
            DEPOLARIZE1(0.001) 0 1 2
            H 3
            TICK
            CX 0 1
            DEPOLARIZE2(0.01) 0 1
            TICK
            CX 2 1
            DEPOLARIZE2(0.01) 2 1
            TICK
            MR 1
        }
        M 0 2
    """
    assert tags(circuit)[:3] == ["data_depolarization@0", "idle@1", "data_depolarization@2"]


def test_repeat_blocks_keep_their_structure_and_read_their_neighbours():
    circuit = stim.Circuit("""
        R 0 1
        X_ERROR(0.01) 0 1
        REPEAT[loop] 3 {
            TICK
            DEPOLARIZE1(0.02) 0
            CX 0 1
            DEPOLARIZE2(0.03) 0 1
            TICK
            X_ERROR(0.04) 1
            MR 1
            X_ERROR(0.05) 1
            DETECTOR rec[-1]
        }
        M 0
    """)
    tagged = tag_noise(circuit)
    block = next(item for item in tagged if isinstance(item, stim.CircuitRepeatBlock))
    assert block.repeat_count == 3 and block.tag == "loop"
    assert [t for _, _, t in noise_tags(tagged)] == [
        "reset@0", "reset@1", "data_depolarization@0", "two_qubit_gate@0-1", "measurement@1",
        "reset@1",
    ]  # fmt: skip
    assert tagged.without_tags() == circuit


def test_sweep_and_measurement_record_controlled_gates_are_single_qubit_gates():
    circuit = """
        CX sweep[0] 1 sweep[1] 2
        I 0
        TICK
        DEPOLARIZE1(0.01) 0 1 2
        TICK
        M 0
        TICK
        CZ rec[-1] 2
        DEPOLARIZE1(0.02) 2
    """
    assert tags(circuit) == ["idle@0", "single_qubit_gate@1", "single_qubit_gate@2",
                             "single_qubit_gate@2"]


def test_heralded_channels_are_tagged_without_changing_the_measurement_record():
    circuit = stim.Circuit("""
        R 0 1
        TICK
        CZ 0 1
        HERALDED_ERASE(0.01) 0 1
        HERALDED_PAULI_CHANNEL_1(0.01, 0, 0, 0.01) 1
        TICK
        M 0 1
        DETECTOR rec[-3]
    """)
    tagged = tag_noise(circuit)
    assert [t for _, _, t in noise_tags(tagged)] == ["two_qubit_gate@0-1"] * 3
    assert tagged.num_measurements == circuit.num_measurements
    assert tagged.without_tags() == circuit


def test_a_channel_spanning_components_is_split_and_keeps_its_probabilities():
    circuit = stim.Circuit("""
        R 0 1 2 3
        TICK
        S 0
        CZ 1 2
        DEPOLARIZE1(0.01) 0 1 2 3
        TICK
        M 0 1 2 3
        DETECTOR rec[-4]
        DETECTOR rec[-3]
        DETECTOR rec[-2]
        DETECTOR rec[-1]
    """)
    tagged = tag_noise(circuit)
    split = [i for i in tagged if i.name == "DEPOLARIZE1"]
    assert [(i.tag, [t.value for t in i.targets_copy()]) for i in split] == [
        ("single_qubit_gate@0", [0]), ("two_qubit_gate@1-2", [1, 2]), ("idle@3", [3]),
    ]  # fmt: skip
    assert all(i.gate_args_copy() == [0.01] for i in split)
    assert dem_probabilities(tagged) == pytest.approx(dem_probabilities(circuit), rel=1e-12)


def test_existing_tags_are_kept_and_counted():
    circuit = "H 0\nDEPOLARIZE1[mine](0.01) 0\nDEPOLARIZE1[idle@0](0.02) 0\nDEPOLARIZE1(0.03) 0"
    circuit += "\nM[readout](0.04) 0"
    tagged, summary = tag_noise(stim.Circuit(circuit), return_summary=True)
    assert [t for _, _, t in noise_tags(tagged)] == [
        "mine", "idle@0", "single_qubit_gate@0", "readout",
    ]  # fmt: skip
    assert summary.kept == {"mine": 1, "idle": 1, "readout": 1}
    assert summary.counts == {"single_qubit_gate": 1}


def test_channels_it_cannot_place_are_other_with_their_line():
    circuit = stim.Circuit("""
        QUBIT_COORDS(0, 0) 0
        SPP X0*X1*X2
        DEPOLARIZE1(0.01) 0
        TICK
        H 3
    """)
    tagged, summary = tag_noise(circuit, return_summary=True)
    assert [t for _, _, t in noise_tags(tagged)] == ["other@0"]
    assert summary.num_other == 1
    (unplaced,) = summary.unplaced
    assert unplaced.line == 3 and unplaced.instruction == "DEPOLARIZE1(0.01) 0"
    assert "it follows SPP on 3 qubits" in unplaced.reason
    assert "line 3: DEPOLARIZE1(0.01) 0" in str(summary)
    only_noise = tag_noise(stim.Circuit("X_ERROR(0.1) 0"), return_summary=True)[1]
    assert only_noise.counts == {"other": 1} and only_noise.unplaced[0].line == 1


def test_line_numbers_follow_the_circuit_text_through_nested_repeats():
    circuit = stim.Circuit("""
        H 0
        REPEAT 2 {
            REPEAT 3 {
                CX 0 1
                TICK
            }
            M 0
        }
        X_ERROR(0.1) 0
    """)
    lines = str(circuit).splitlines()
    for line, item in instructions_with_lines(circuit):
        name = "REPEAT" if isinstance(item, stim.CircuitRepeatBlock) else item.name
        assert lines[line - 1].strip().startswith(name)
    assert [line for line, _ in instructions_with_lines(circuit)][-1] == len(lines)


def test_bad_arguments_are_named_without_printing_the_circuit():
    with pytest.raises(qecsim.QecsimError, match=r"circuit is a str, not a stim\.Circuit"):
        tag_noise("H 0")
    with pytest.raises(qecsim.QecsimError, match="placement='sideways' is not one of"):
        tag_noise(stim.Circuit("H 0"), placement="sideways")


def test_the_summary_prints_and_serialises():
    circuit = stim.Circuit("R 0 1\nX_ERROR(0.1) 0 1\nTICK\nCZ 0 1\nDEPOLARIZE2(0.01) 0 1")
    _, summary = tag_noise(circuit, return_summary=True)
    assert summary.counts == {"two_qubit_gate": 1, "reset": 2}
    assert summary.total == 3 and summary.num_other == 0
    text = str(summary)
    assert text.splitlines()[0] == "tagged 3 noise channels (noise after its operation)"
    assert "two_qubit_gate       1" in text
    assert summary.to_dict()["counts"] == {"two_qubit_gate": 1, "reset": 2}
    with pytest.raises(qecsim.QecsimError, match="unknown components"):
        TaggingSummary(counts={"gates": 1})
    with pytest.raises(qecsim.QecsimError, match=r"counts\['idle'\]=-1 is not an integer >= 0"):
        TaggingSummary(counts={"idle": -1})
    with pytest.raises(qecsim.QecsimError, match=r"kept\['mine'\]=1.5 is not an integer >= 0"):
        TaggingSummary(counts={}, kept={"mine": 1.5})
    assert str(UnplacedChannel(4, "E(0.1) X0", "why")) == "line 4: E(0.1) X0 (why)"


# ----------------------------------------------------------------------- references
# every code on every gate set, but the cat repetition code, which runs on CX only
CODE_GATE_SETS = [(code, gate_set) for code in qecsim.CODES for gate_set in qecsim.GATE_SETS
                  if not (code == "cat_repetition_code" and gate_set == "cz")]


def qecsim_circuit(code, basis, noise, gate_set):
    return qecsim.memory_circuit(
        code, distance=3, rounds=3, basis=basis, noise=noise, tag_qubits=True, gate_set=gate_set
    )


DURATIONS = qecsim.Durations(single_qubit_gate=25e-9, two_qubit_gate=40e-9,
                              measurement=500e-9, reset=200e-9)


def with_hardware(noise: qecsim.NoiseModel) -> qecsim.NoiseModel:
    """The model with durations, T1/T2 decoherence and every kind of crosstalk."""
    noise = noise.with_coherence(t1=80e-6, t2=60e-6, durations=DURATIONS)
    return noise.with_crosstalk(spectator=1e-4, parallel=2e-4, static_zz=50e3)


@pytest.mark.filterwarnings("ignore:the noise model lowers the graphlike circuit distance")
@pytest.mark.parametrize("hardware", [False, True], ids=["", "hardware"])
@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("preset", qecsim.PRESETS)
@pytest.mark.parametrize(("code", "gate_set"), CODE_GATE_SETS)
def test_stripped_and_retagged_qecsim_circuits_get_their_tags_back(
    code, preset, basis, gate_set, hardware
):
    noise = qecsim.NoiseModel.from_preset(preset, 1e-3)
    if hardware:  # T1/T2 idle channels in every tick, crosstalk of each kind
        noise = with_hardware(noise)
    original = qecsim_circuit(code, basis, noise, gate_set)
    retagged, summary = tag_noise(original.without_tags(), return_summary=True)
    assert noise_tags(retagged) == noise_tags(original)
    assert summary.num_other == 0
    dem = {"approximate_disjoint_errors": True}  # T1/T2 and static ZZ are Pauli channels
    assert retagged.detector_error_model(**dem) == original.detector_error_model(**dem)
    if hardware and code == "rotated_surface_code":
        keys = {qecsim.parse_tag(t).key for _, _, t in noise_tags(original)}
        assert {"crosstalk.spectator", "crosstalk.parallel", "crosstalk.static_zz"} <= keys


def test_decoherence_in_measurement_ticks_is_idle_and_extra_noise_measurement_idle():
    # SD6 + T1/T2: a data qubit in a measurement tick gets DEPOLARIZE1(p) and the T1/T2
    # twirl over the readout's duration (both idle); SI1000 also its measurement_idle
    for noise in (qecsim.NoiseModel.sd6(1e-3), qecsim.NoiseModel.si1000(1e-3)):
        original = qecsim_circuit("rotated_surface_code", "Z", with_hardware(noise), "cz")
        retagged = tag_noise(original.without_tags())
        twirls = [(t, r) for (n, _, t), (_, _, r) in zip(noise_tags(original),
                                                        noise_tags(retagged), strict=True)
                  if n == "PAULI_CHANNEL_1"]
        assert twirls and all(t == r and t.startswith("idle@") for t, r in twirls)
        extra = [t for _, _, t in noise_tags(retagged) if t.startswith("measurement_idle")]
        assert bool(extra) == (noise.measurement_idle > 0)


def test_a_custom_model_with_every_component_round_trips():
    noise = qecsim.NoiseModel.si1000(2e-3).with_z_bias(5.0).with_coupler_rates(
        {(1, 5): {"two_qubit_gate": 0.01}}
    )
    rates = {**noise.rates(), "crosstalk": 1e-3, "data_depolarization": 1e-3}
    noise = qecsim.NoiseModel.from_dict({**noise.to_dict(), "rates": rates})
    for code in qecsim.CODES:
        original = qecsim_circuit(code, "Z", noise, "cx")
        retagged = tag_noise(original.without_tags())
        assert noise_tags(retagged) == noise_tags(original)
        assert {"crosstalk", "data_depolarization", "idle"} <= {
            qecsim.parse_tag(t).component for _, _, t in noise_tags(original)
        }


@pytest.mark.parametrize(
    "task",
    ["surface_code:rotated_memory_x", "surface_code:rotated_memory_z",
     "surface_code:unrotated_memory_z", "repetition_code:memory", "color_code:memory_xyz"],
)
def test_stim_generated_circuits_get_the_component_stim_meant(task):
    # stim's four noise parameters, set to distinct values: the probability of each channel
    # says which one stim meant
    meant = {0.001: {"two_qubit_gate", "single_qubit_gate"}, 0.002: {"data_depolarization"},
             0.003: {"reset"}, 0.004: {"measurement"}}
    circuit = stim.Circuit.generated(
        task, distance=3, rounds=4, after_clifford_depolarization=0.001,
        before_round_data_depolarization=0.002, after_reset_flip_probability=0.003,
        before_measure_flip_probability=0.004,
    )
    tagged, summary = tag_noise(circuit, return_summary=True)
    found = collections.defaultdict(set)
    for item in tagged.flattened():
        if item.tag:
            found[item.gate_args_copy()[0]].add(qecsim.parse_tag(item.tag).component)
    assert dict(found) == {p: components & set(summary.counts) for p, components in meant.items()}
    assert {"reset", "measurement", "data_depolarization", "two_qubit_gate"} <= set(summary.counts)
    assert summary.num_other == 0 and summary.placement == "after"
