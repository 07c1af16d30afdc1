"""Tests of qecsim.interop.qiskit.backend_noise: device calibration -> NoiseModel."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import stim
from qiskit.providers import QubitProperties
from qiskit.providers.fake_provider import GenericBackendV2
from qiskit.transpiler import InstructionProperties

import qecsim
from qecsim.interop import qiskit as qiskit_interop


def twirl(t1: float, t2: float, t: float) -> tuple[float, float]:
    """The design.md formula, written out independently: (total rate, eta = pz / (px + py))."""
    px = (1 - math.exp(-t / t1)) / 4
    pz = (1 - math.exp(-t / t2)) / 2 - (1 - math.exp(-t / t1)) / 4
    return 2 * px + pz, pz / (2 * px)


def generic(num_qubits: int = 5, seed: int = 1) -> GenericBackendV2:
    return GenericBackendV2(num_qubits, seed=seed)


def test_median_aggregation_equals_the_median_of_the_target_values(torino):
    backend = torino
    target = backend.target
    noise = qiskit_interop.noise_from_backend(
        backend, aggregate="median", gate_error_convention="depolarizing"
    )
    assert noise.two_qubit_gate == pytest.approx(
        np.median([p.error for p in target["cz"].values()]), rel=1e-12
    )
    assert noise.single_qubit_gate == pytest.approx(
        np.median([p.error for p in target["sx"].values()]), rel=1e-12
    )
    properties = backend.properties()
    readout = [
        (properties.qubit_property(q)["prob_meas0_prep1"][0]
         + properties.qubit_property(q)["prob_meas1_prep0"][0]) / 2
        for q in range(backend.num_qubits)
    ]
    assert noise.measurement == pytest.approx(np.median(readout), rel=1e-12)
    assert noise.name == "fake_torino:median"
    # the default convention turns average infidelities into depolarizing probabilities
    converted = qiskit_interop.noise_from_backend(backend, aggregate="median")
    assert converted.two_qubit_gate == pytest.approx(5 / 4 * noise.two_qubit_gate, rel=1e-12)
    assert converted.single_qubit_gate == pytest.approx(3 / 2 * noise.single_qubit_gate, rel=1e-12)


def _median_duration(target, operation: str) -> float:
    """The median over qubits (couplers: both directions averaged) of an operation's duration."""
    durations: dict[tuple[int, ...], list[float]] = {}
    for qargs, props in target[operation].items():
        durations.setdefault(tuple(sorted(qargs)), []).append(props.duration)
    return float(np.median([np.mean(v) for v in durations.values()]))


def test_durations_of_each_operation_kind_come_from_the_target():
    backend = generic(seed=3)
    target = backend.target
    with pytest.warns(UserWarning, match="no reset error reported"):
        noise = qiskit_interop.noise_from_backend(backend, layout=[2, 0, 1])
    assert noise.durations == qecsim.Durations(
        single_qubit_gate=_median_duration(target, "sx"),
        two_qubit_gate=_median_duration(target, "cx"),
        measurement=_median_duration(target, "measure"),
        reset=_median_duration(target, "reset"),
    )
    assert noise.idle == noise.measurement_idle == 0  # idling comes from T1/T2 and durations
    for code_qubit, device_qubit in enumerate([2, 0, 1]):
        properties = backend.qubit_properties(device_qubit)
        assert properties.t2 <= 2 * properties.t1
        assert noise.coherence(code_qubit) == (properties.t1, properties.t2)


def _idle_error_by_tick(circuit: stim.Circuit, qubit: int) -> list[float]:
    """The total idle error of ``qubit`` in each tick (0 where it has none)."""
    errors = [0.0]
    for instruction in circuit.flattened():
        if instruction.name == "TICK":
            errors.append(0.0)
        elif instruction.tag.startswith("idle") and qubit in [
            t.value for t in instruction.targets_copy()
        ]:
            errors[-1] += sum(instruction.gate_args_copy())
    return errors


def test_idle_noise_of_each_tick_follows_its_longest_operation(torino):
    # An idle qubit (3) next to a single-qubit tick, a CZ tick and a measure-and-reset tick:
    # each gets the closed-form twirl over that tick's duration (one idle rate for all ticks
    # charged a 68 ns CZ to a 32 ns sx tick and nothing right to the readout).
    backend = torino
    layout = [5, 6, 7, 17]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        noise = qiskit_interop.noise_from_backend(backend, layout=layout)
    circuit = stim.Circuit("R 0 1 2 3\nTICK\nH 0\nTICK\nCZ 0 1\nTICK\nMR 2")
    errors = _idle_error_by_tick(noise.noisy_circuit(circuit), qubit=3)
    t1, t2 = backend.qubit_properties(17).t1, backend.qubit_properties(17).t2
    t2 = min(t2, 2 * t1)
    target = backend.target
    expected = [
        0.0,  # every qubit is reset
        twirl(t1, t2, _median_duration(target, "sx"))[0],
        twirl(t1, t2, _median_duration(target, "cz"))[0],
        twirl(t1, t2, _median_duration(target, "measure") + _median_duration(target, "reset"))[0],
    ]
    assert errors == pytest.approx(expected, rel=1e-9)
    assert expected[1] < expected[2] < expected[3] / 10


def test_t2_above_twice_t1_is_clipped_and_reported_once(torino):
    backend = torino
    bad = [q for q in range(backend.num_qubits)
           if backend.qubit_properties(q).t2 > 2 * backend.qubit_properties(q).t1]
    assert len(bad) >= 2  # the real snapshot has such qubits
    layout = [bad[0], 0, bad[1]]
    with pytest.warns(UserWarning) as record:
        noise = qiskit_interop.noise_from_backend(backend, layout=layout)
    messages = [str(w.message) for w in record if "T2 > 2 T1" in str(w.message)]
    assert len(messages) == 1
    assert f"device {bad[0]}" in messages[0] and f"device {bad[1]}" in messages[0]
    assert "device 0)" not in messages[0]
    t1 = backend.qubit_properties(bad[0]).t1
    assert noise.coherence(0) == (t1, 2 * t1)


def test_missing_t1_falls_back_to_the_device_median_with_a_warning(edited_backend):
    backend = generic()
    properties = [backend.qubit_properties(q) for q in range(5)]
    properties[2] = QubitProperties(t1=None, t2=properties[2].t2)
    edited = edited_backend(backend, properties)
    with pytest.warns(UserWarning, match=r"no T1/T2 data, device median used: code qubit 0 "):
        noise = qiskit_interop.noise_from_backend(edited, layout=[2, 3])
    median_t1 = np.median([p.t1 for p in properties if p.t1 is not None])
    assert noise.coherence(0) == (median_t1, properties[2].t2)
    assert noise.coherence(1) == (properties[3].t1, properties[3].t2)


def test_broken_coupler_error_above_the_channel_limit_is_clipped_and_reported(torino):
    backend = torino
    broken = next(pair for pair, p in backend.target["cz"].items() if p.error >= 1)
    with pytest.warns(UserWarning, match="two_qubit_gate rates above the channel limit"):
        noise = qiskit_interop.noise_from_backend(backend, layout=list(broken))
    assert noise.rate("two_qubit_gate", (0, 1)) == 15 / 16


def test_missing_couplers_fall_back_to_the_median_with_one_warning(torino):
    backend = torino
    circuit = qecsim.memory_circuit(distance=3, rounds=1)
    layout = qiskit_interop.greedy_layout(circuit, backend)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        noise = qiskit_interop.noise_from_backend(backend, layout=layout, circuit=circuit)
    coupler_warnings = [w for w in caught if "couplers the code needs" in str(w.message)]
    assert len(coupler_warnings) == 1
    needed = {tuple(sorted(p)) for p in _two_qubit_pairs(circuit)}
    device = {tuple(sorted(p)) for p in backend.target["cz"]}
    missing = {p for p in needed if tuple(sorted((layout[p[0]], layout[p[1]]))) not in device}
    assert 0 < len(missing) < len(needed)  # heavy hex: some, not all, couplers are missing
    text = str(coupler_warnings[0].message)
    assert f"{len(missing)} of {len(needed)} couplers" in text
    for a, b in missing:
        assert f"{a}-{b} (device" in text
        assert noise.rate("two_qubit_gate", (a, b)) == noise.two_qubit_gate
    for a, b in needed - missing:
        error = backend.target["cz"][(layout[a], layout[b])].error
        assert noise.rate("two_qubit_gate", (a, b)) == pytest.approx(min(5 / 4 * error, 15 / 16))
    assert len(noise.coupler_rates) == len(needed - missing)


def _two_qubit_pairs(circuit: stim.Circuit):
    pairs = []
    for instruction in circuit.flattened():
        if instruction.name == "CX":
            values = [t.value for t in instruction.targets_copy()]
            pairs.extend(zip(values[::2], values[1::2], strict=True))
    return pairs


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"aggregate": "max"}, r"aggregate='max' is not one of"),
        ({"aggregate": "median", "layout": [0, 1]}, r"layout is only used with"),
        ({"layout": [0, 0]}, r"several code qubits to device qubits \[0\]"),
        ({"layout": [0, 9]}, r"layout\[1\]=9 is not a device qubit in \[0, 4\]"),
        ({"gate_error_convention": "raw"}, r"gate_error_convention='raw' is not one of"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        qiskit_interop.noise_from_backend(generic(), **kwargs)


def test_per_qubit_without_layout_is_greedy_with_a_circuit_and_warns_without_one():
    backend = generic(20)
    circuit = qecsim.memory_circuit(distance=3, rounds=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = qiskit_interop.noise_from_backend(backend, circuit=circuit)
        greedy = qiskit_interop.noise_from_backend(
            backend, circuit=circuit, layout=qiskit_interop.greedy_layout(circuit, backend)
        )
        identity_layout = qiskit_interop.noise_from_backend(
            backend, circuit=circuit, layout=list(range(circuit.num_qubits))
        )
    assert default == greedy != identity_layout
    with pytest.warns(UserWarning, match=r"identity layout .* over all device qubits"):
        identity = qiskit_interop.noise_from_backend(backend)
    assert len(identity.qubit_rates) == 20


def test_layout_must_cover_the_circuit():
    circuit = qecsim.memory_circuit(distance=3, rounds=1)
    with pytest.raises(qecsim.QecsimError, match="layout has no device qubit for code qubits"):
        qiskit_interop.noise_from_backend(generic(20), layout=[0, 1, 2], circuit=circuit)


def test_noise_model_round_trips_through_json_and_makes_a_noisy_circuit(torino):
    backend = torino
    circuit = qecsim.memory_circuit(distance=3, rounds=2)
    layout = qiskit_interop.greedy_layout(circuit, backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        noise = qiskit_interop.noise_from_backend(backend, layout=layout, circuit=circuit)
    assert qecsim.NoiseModel.from_json(noise.to_json()) == noise
    noisy = noise.noisy_circuit(circuit)
    assert len(noisy.shortest_graphlike_error()) == 3


def test_a_backend_name_or_another_object_is_refused_with_a_hint():
    with pytest.raises(qecsim.QecsimError, match=r"backend='ibm_foo' is a name.*backend_from_name"):
        qiskit_interop.noise_from_backend("ibm_foo")
    with pytest.raises(qecsim.QecsimError, match="backend=3 is not a qiskit BackendV2"):
        qiskit_interop.noise_from_backend(3)
    with pytest.raises(qecsim.QecsimError, match="backend='ibm_foo' is a name"):
        qiskit_interop.greedy_layout(qecsim.memory_circuit(distance=3), "ibm_foo")


@pytest.mark.parametrize(
    ("name", "native", "gate_set"),
    [("FakeTorino", "cz", "cz"), ("FakeSherbrooke", "ecr", "cx"), ("generic", "cx", "cx")],
)
def test_the_gate_set_is_the_devices_native_gate(name, native, gate_set):
    # CZ devices (Heron) run the CZ schedule; ECR is CX up to single-qubit gates: CX schedule
    if name == "generic":
        backend = generic()
    else:
        backend = qiskit_interop.backend_from_name(name)
    calibration = qiskit_interop.device_calibration(backend)
    assert (calibration.two_qubit_gate_name, calibration.gate_set) == (native, gate_set)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        noise = qiskit_interop.noise_from_backend(calibration, aggregate="median")
    assert noise.gate_set == gate_set
    circuit = qecsim.memory_circuit(distance=3, rounds=1, noise=noise)
    assert {i.name for i in circuit.flattened() if i.name in ("CX", "CZ")} == {gate_set.upper()}


def test_reset_error_defaults_to_the_readout_error_with_a_warning(torino):
    layout = [5, 6, 7]
    with pytest.warns(UserWarning, match=r"no reset error reported, reset error set to the "
                      r"readout error \(IBM's reset is a measurement and a conditional X\)"):
        noise = qiskit_interop.noise_from_backend(torino, layout=layout)
    assert noise.reset == noise.measurement > 0
    for code_qubit in range(3):
        assert noise.rate("reset", (code_qubit,)) == noise.rate("measurement", (code_qubit,))
    # a reported reset error is used as it is, without the warning
    backend = generic()
    for q in range(5):
        old = backend.target["reset"][(q,)]
        backend.target.update_instruction_properties(
            "reset", (q,), InstructionProperties(duration=old.duration, error=0.001 * (q + 1))
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        noise = qiskit_interop.noise_from_backend(backend, layout=[4, 0])
    assert noise.reset == 0.003
    assert noise.rate("reset", (0,)) == 0.005 and noise.rate("reset", (1,)) == 0.001


def test_gate_errors_convert_through_the_one_converter(torino):
    layout = [5, 6]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        noise = qiskit_interop.noise_from_backend(torino, layout=layout)
    target = torino.target
    for code_qubit, device_qubit in enumerate(layout):
        r = target["sx"][(device_qubit,)].error
        assert noise.rate("single_qubit_gate", (code_qubit,)) == qecsim.pauli_error_from_infidelity(
            r, num_qubits=1
        )
    r = np.mean([target["cz"][(5, 6)].error, target["cz"][(6, 5)].error])
    assert noise.rate("two_qubit_gate", (0, 1)) == pytest.approx(
        qecsim.pauli_error_from_infidelity(r, num_qubits=2), rel=1e-12
    )
