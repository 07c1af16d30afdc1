"""Calibration files: the example chip, round trips, the layout, and bad files."""

import copy
import json
import math

import pytest

import qecsim

EXAMPLE = json.loads(qecsim.EXAMPLE_CALIBRATION.read_text())


def _write(tmp_path, data, name="chip.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_the_example_chip_is_a_cz_device_with_converted_rates():
    noise = qecsim.load_calibration(qecsim.EXAMPLE_CALIBRATION)
    assert noise.gate_set == "cz" and noise.durations.two_qubit_gate == 42e-9
    q = EXAMPLE["qubits"]["Q05"]
    code_qubit = 5  # the layout maps code qubit i to Q0i
    assert noise.rate("single_qubit_gate", (code_qubit,)) == pytest.approx(
        1.5 * q["single_qubit_gate"]
    )
    assert noise.rate("measurement", (code_qubit,)) == pytest.approx(
        (q["readout_p0_given_1"] + q["readout_p1_given_0"]) / 2
    )
    assert noise.coherence(code_qubit) == (q["t1_s"], q["t2_s"])
    pair = next(iter(EXAMPLE["couplers"]))
    a, b = (int(name[1:]) for name in pair.split("-"))
    assert noise.rate("two_qubit_gate", (a, b)) == pytest.approx(
        1.25 * EXAMPLE["couplers"][pair]["two_qubit_gate"]
    )
    assert noise.static_zz_on(a, b) == EXAMPLE["couplers"][pair]["static_zz_hz"]
    circuit = qecsim.memory_circuit(distance=3, noise=noise)
    assert {i.name for i in circuit.flattened()} >= {"CZ", "PAULI_CHANNEL_1", "PAULI_CHANNEL_2"}
    assert len(circuit.shortest_graphlike_error()) == 3


def test_a_calibration_round_trips_to_the_same_circuit(tmp_path):
    noise = qecsim.load_calibration(qecsim.EXAMPLE_CALIBRATION)
    again = qecsim.NoiseModel.from_json(noise.to_json())
    assert again == noise
    first = qecsim.memory_circuit(distance=3, rounds=2, noise=noise)
    assert qecsim.memory_circuit(distance=3, rounds=2, noise=again) == first
    # a copy of the file in Pauli convention with the converted numbers gives the same model
    pauli = copy.deepcopy(EXAMPLE)
    pauli["error_convention"] = "pauli"
    for values in pauli["qubits"].values():
        values["single_qubit_gate"] *= 3 / 2
    for values in pauli["couplers"].values():
        values["two_qubit_gate"] *= 5 / 4
    converted = qecsim.load_calibration(_write(tmp_path, pauli))
    assert converted.rates() == pytest.approx(noise.rates())
    assert qecsim.memory_circuit(distance=3, rounds=2, noise=converted).approx_equals(
        first, atol=1e-15
    )


def test_the_layout_can_come_from_coordinates(tmp_path):
    data = copy.deepcopy(EXAMPLE)
    del data["layout"]
    path = _write(tmp_path, data)
    circuit = qecsim.memory_circuit(distance=3, rounds=1)
    by_coordinates = qecsim.load_calibration(path, circuit=circuit)
    assert by_coordinates == qecsim.load_calibration(qecsim.EXAMPLE_CALIBRATION)
    with pytest.raises(qecsim.QecsimError, match=r"chip.json: layout is missing"):
        qecsim.load_calibration(path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["qubits"]["Q03"].update(t1_s=-5), r"qubits.Q03.t1_s=-5 is not in \(0, inf\)"),
        (lambda d: d["qubits"]["Q03"].update(t2_s=1.0), r"qubits.Q03.t2_s=1.0 is not in \(0, "),
        (lambda d: d["qubits"]["Q01"].update(readout_p0_given_1=1.5),
         r"qubits.Q01.readout_p0_given_1=1.5 is not in \[0, 1\]"),
        (lambda d: d["qubits"]["Q01"].update(single_qubit_gate=0.7),
         r"qubits.Q01.single_qubit_gate \(average infidelity\)=0.7 is not in \[0, 0.5\]"),
        (lambda d: d["couplers"]["Q01-Q04"].update(two_qubit_gate=0.8),
         r"couplers.Q01-Q04.two_qubit_gate \(average infidelity\)=0.8 is not in \[0, 0.75\]"),
        (lambda d: d["durations_s"].update(measurement=-1e-6),
         r"durations_s.measurement=-1e-06 is not in \[0, inf\)"),
        (lambda d: d.update(gate_set="iswap"), r"gate_set='iswap' is not one of cx, cz"),
        (lambda d: d.update(error_convention="rb"),
         r"error_convention='rb' is not one of pauli, average_infidelity"),
        (lambda d: d["qubits"]["Q02"].update(T1=1e-4), r"qubits.Q02 has unknown keys \['T1'\]"),
        (lambda d: d["qubits"]["Q02"].pop("reset"), r"qubits.Q02.reset is missing"),
        (lambda d: d["crosstalk"].update(parallel=2), r"crosstalk.parallel=2 is not in \[0, 1\]"),
        (lambda d: d["qubits"]["Q02"].update(reset="0.1"),
         r"qubits.Q02.reset='0.1' is not a number \(write it without quotes\)"),
        (lambda d: d["layout"].update({"3": "Q99"}), r"layout.3='Q99' is not a qubit"),
        (lambda d: d.update(couplers={"Q01-Q99": {"two_qubit_gate": 0.01}}),
         r"couplers.Q01-Q99 is not 'A-B'"),
    ],
)
def test_a_bad_file_names_the_file_the_key_and_the_range(tmp_path, edit, message):
    data = copy.deepcopy(EXAMPLE)
    edit(data)
    path = _write(tmp_path, data, name="bad_chip.json")
    with pytest.raises(qecsim.QecsimError, match="bad_chip.json: " + message):
        qecsim.load_calibration(path)


def test_a_missing_or_broken_file_is_named(tmp_path):
    with pytest.raises(qecsim.QecsimError, match=r"nowhere\.json' does not exist"):
        qecsim.load_calibration(tmp_path / "nowhere.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(qecsim.QecsimError, match=r"broken\.json: not valid JSON"):
        qecsim.load_calibration(broken)


def test_comment_keys_are_ignored_and_medians_fill_the_globals():
    noise = qecsim.load_calibration(qecsim.EXAMPLE_CALIBRATION)
    assert "_comment" in EXAMPLE
    t1s = sorted(q["t1_s"] for q in EXAMPLE["qubits"].values())
    assert noise.t1 == t1s[len(t1s) // 2]
    assert math.isfinite(noise.t2) and noise.idle == 0


def test_unit_warnings_name_the_file_and_the_qubits_key(tmp_path):
    data = copy.deepcopy(EXAMPLE)
    data["qubits"]["Q03"]["t1_s"] = 70  # microseconds typed as seconds
    path = _write(tmp_path, data, name="chip.json")
    with pytest.warns(UserWarning, match=r"chip.json: T1=70 s \(qubits.Q03, code qubit 3\) is "
                      r".* two-qubit-gate durations"):
        qecsim.load_calibration(path)
