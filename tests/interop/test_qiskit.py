"""Tests of qecsim.interop.qiskit: device calibration -> NoiseModel, stim -> qiskit, aer checks."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
import stim

import qecsim

qiskit_interop = pytest.importorskip("qecsim.interop.qiskit")
pytest.importorskip("qiskit_aer")
fake_provider = pytest.importorskip("qiskit_ibm_runtime.fake_provider")

from qiskit.providers import QubitProperties  # noqa: E402
from qiskit.providers.fake_provider import GenericBackendV2  # noqa: E402
from qiskit.transpiler import InstructionProperties  # noqa: E402

# Several tests share the same snapshot; reading it once keeps the suite fast.
_CACHE: dict[str, object] = {}


def torino():
    if "torino" not in _CACHE:
        _CACHE["torino"] = fake_provider.FakeTorino()
    return _CACHE["torino"]


def twirl(t1: float, t2: float, t: float) -> tuple[float, float]:
    """The design.md formula, written out independently: (total rate, eta = pz / (px + py))."""
    px = (1 - math.exp(-t / t1)) / 4
    pz = (1 - math.exp(-t / t2)) / 2 - (1 - math.exp(-t / t1)) / 4
    return 2 * px + pz, pz / (2 * px)


class EditedBackend:
    """A BackendV2 stand-in whose qubit properties can be edited (for malformed data)."""

    def __init__(self, backend, qubit_properties):
        self._backend = backend
        self.target = backend.target
        self.name = backend.name
        self.num_qubits = backend.num_qubits
        self._qubit_properties = qubit_properties

    def qubit_properties(self, qubit):
        return self._qubit_properties[qubit]


def generic(num_qubits: int = 5, seed: int = 1) -> GenericBackendV2:
    return GenericBackendV2(num_qubits, seed=seed)


# ------------------------------------------------------------------ calibration -> NoiseModel


def test_per_qubit_readout_equals_the_fake_backends_mean_of_both_flip_probabilities():
    backend = torino()
    properties = backend.properties()
    layout = [5, 6, 7, 17, 27, 28, 29]
    noise = qiskit_interop.noise_from_backend(backend, layout=layout)
    for code_qubit, device_qubit in enumerate(layout):
        reported = properties.qubit_property(device_qubit)
        expected = (reported["prob_meas0_prep1"][0] + reported["prob_meas1_prep0"][0]) / 2
        assert noise.rate("measurement", (code_qubit,)) == pytest.approx(expected, rel=1e-12)
    # the two flip probabilities really differ on this snapshot, so the mean is what we test
    assert any(
        properties.qubit_property(q)["prob_meas0_prep1"][0]
        != properties.qubit_property(q)["prob_meas1_prep0"][0]
        for q in layout
    )


def test_per_qubit_readout_equals_the_generic_backends_target_error():
    backend = generic()
    noise = qiskit_interop.noise_from_backend(backend, layout=[4, 3, 2, 1, 0])
    for code_qubit, device_qubit in enumerate([4, 3, 2, 1, 0]):
        expected = backend.target["measure"][(device_qubit,)].error
        assert noise.rate("measurement", (code_qubit,)) == expected


def test_median_aggregation_equals_the_median_of_the_target_values():
    backend = torino()
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


def test_mean_aggregation_and_directed_couplers_of_a_generic_backend():
    backend = generic()
    target = backend.target
    noise = qiskit_interop.noise_from_backend(
        backend, aggregate="mean", gate_error_convention="depolarizing"
    )
    per_coupler = {}
    for (a, b), props in target["cx"].items():
        per_coupler.setdefault(tuple(sorted((a, b))), []).append(props.error)
    assert noise.two_qubit_gate == pytest.approx(
        np.mean([np.mean(v) for v in per_coupler.values()]), rel=1e-12
    )
    per_qubit = qiskit_interop.noise_from_backend(
        backend, layout=[0, 1, 2, 3, 4], gate_error_convention="depolarizing"
    )
    # both calibrated directions of a coupler are averaged
    assert per_qubit.rate("two_qubit_gate", (1, 3)) == pytest.approx(np.mean(per_coupler[(1, 3)]))


def test_idle_rates_follow_the_t1_t2_formula_per_qubit():
    backend = generic(seed=3)
    target = backend.target
    gate_duration = np.median(
        [np.mean([target["cx"][(a, b)].duration, target["cx"][(b, a)].duration])
         for a, b in [(a, b) for (a, b) in target["cx"] if a < b]]
    )
    measurement_duration = np.median([p.duration for p in target["measure"].values()]) + np.median(
        [p.duration for p in target["reset"].values()]
    )
    noise = qiskit_interop.noise_from_backend(backend, layout=[2, 0, 1])
    for code_qubit, device_qubit in enumerate([2, 0, 1]):
        properties = backend.qubit_properties(device_qubit)
        assert properties.t2 <= 2 * properties.t1
        rate, eta = twirl(properties.t1, properties.t2, gate_duration)
        assert noise.rate("idle", (code_qubit,)) == pytest.approx(rate, rel=1e-9)
        assert noise.bias("idle", code_qubit) == pytest.approx(eta, rel=1e-9)
        rate, eta = twirl(properties.t1, properties.t2, measurement_duration)
        assert noise.rate("measurement_idle", (code_qubit,)) == pytest.approx(rate, rel=1e-9)
        assert noise.bias("measurement_idle", code_qubit) == pytest.approx(eta, rel=1e-9)


def test_t2_above_twice_t1_is_clipped_and_reported_once():
    backend = torino()
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
    duration = np.median([p.duration for p in backend.target["cz"].values()])
    rate, eta = twirl(t1, 2 * t1, duration)
    assert noise.rate("idle", (0,)) == pytest.approx(rate, rel=1e-9)
    assert noise.bias("idle", 0) == pytest.approx(eta, rel=1e-9)


def _median_cx_duration(backend) -> float:
    durations = {}
    for (a, b), props in backend.target["cx"].items():
        durations.setdefault(tuple(sorted((a, b))), []).append(props.duration)
    return float(np.median([np.mean(v) for v in durations.values()]))


def test_missing_t1_falls_back_to_the_device_median_with_a_warning():
    backend = generic()
    properties = [backend.qubit_properties(q) for q in range(5)]
    properties[2] = QubitProperties(t1=None, t2=properties[2].t2)
    edited = EditedBackend(backend, properties)
    with pytest.warns(UserWarning, match=r"no T1/T2 data, device median used: code qubit 0 "):
        noise = qiskit_interop.noise_from_backend(edited, layout=[2, 3])
    median_t1 = np.median([p.t1 for p in properties if p.t1 is not None])
    rate, _ = twirl(median_t1, properties[2].t2, _median_cx_duration(backend))
    assert noise.rate("idle", (0,)) == pytest.approx(rate, rel=1e-9)
    rate, _ = twirl(properties[3].t1, properties[3].t2, _median_cx_duration(backend))
    assert noise.rate("idle", (1,)) == pytest.approx(rate, rel=1e-9)


@pytest.mark.parametrize(
    ("operation", "qargs", "error", "message"),
    [
        ("measure", (0,), -0.01, r"readout_error\[0\]=-0.01 is not in \[0, 1\]"),
        ("measure", (1,), 1.5, r"readout_error\[1\]=1.5 is not in \[0, 1\]"),
        ("sx", (2,), float("nan"), r"single_qubit_gate_error\[2\]=nan is not in \[0, 1\]"),
        ("cx", (1, 0), -1e-3, r"two_qubit_gate_error\[\(1, 0\)\]=-0.001 \(cx\) is not in"),
    ],
)
def test_malformed_error_values_raise(operation, qargs, error, message):
    backend = generic()
    old = backend.target[operation][qargs]
    backend.target.update_instruction_properties(
        operation, qargs, InstructionProperties(duration=old.duration, error=error)
    )
    with pytest.raises(qecsim.QecsimError, match=message):
        qiskit_interop.noise_from_backend(backend, aggregate="median")


def test_malformed_times_raise():
    backend = generic()
    properties = [backend.qubit_properties(q) for q in range(5)]
    properties[1] = QubitProperties(t1=-5e-6, t2=properties[1].t2)
    with pytest.raises(qecsim.QecsimError, match=r"t1\[1\]=-5e-06 is not in \(0, inf\)"):
        qiskit_interop.noise_from_backend(EditedBackend(backend, properties))


def test_broken_coupler_error_above_the_channel_limit_is_clipped_and_reported():
    backend = torino()
    broken = next(pair for pair, p in backend.target["cz"].items() if p.error >= 1)
    with pytest.warns(UserWarning, match="two_qubit_gate rates above the channel limit"):
        noise = qiskit_interop.noise_from_backend(backend, layout=list(broken))
    assert noise.rate("two_qubit_gate", (0, 1)) == 15 / 16


def test_missing_couplers_fall_back_to_the_median_with_one_warning():
    backend = torino()
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


def test_greedy_layout_places_more_code_couplers_on_device_couplers_than_the_identity():
    backend = torino()
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


def test_noise_model_round_trips_through_json_and_makes_a_noisy_circuit():
    backend = torino()
    circuit = qecsim.memory_circuit(distance=3, rounds=2)
    layout = qiskit_interop.greedy_layout(circuit, backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        noise = qiskit_interop.noise_from_backend(backend, layout=layout, circuit=circuit)
    assert qecsim.NoiseModel.from_json(noise.to_json()) == noise
    noisy = noise.noisy_circuit(circuit)
    assert len(noisy.shortest_graphlike_error()) == 3


# ------------------------------------------------------------------ stim -> qiskit


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


def test_to_qiskit_maps_resets_measurements_and_bit_order():
    from qiskit_aer import AerSimulator

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
def test_noiseless_memory_circuit_has_no_detection_events_in_aer(basis):
    from qiskit_aer import AerSimulator

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


def test_to_qiskit_noise_modes():
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
def test_noisy_measurement_flips_the_record_but_not_the_qubit_in_aer(text):
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


# ------------------------------------------------------------------ qiskit-aer cross-checks


def _device_noise(circuit: stim.Circuit) -> qecsim.NoiseModel:
    """A per-qubit device model (biased idles, per-coupler rates), scaled up to make events."""
    backend = torino()
    layout = qiskit_interop.greedy_layout(circuit, backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return qiskit_interop.noise_from_backend(backend, layout=layout, circuit=circuit)


@pytest.mark.slow
def test_aer_stabilizer_detection_fractions_agree_with_stim():
    circuit = qecsim.memory_circuit(distance=3, rounds=3)
    noise = _device_noise(circuit).scaled(2.0)
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
def test_aer_noise_model_export_matches_stim_where_components_map():
    from qiskit_aer import AerSimulator

    circuit = qecsim.memory_circuit(distance=3, rounds=2)
    noise = _device_noise(circuit).scaled(2.0, idle=0, measurement_idle=0)
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


def test_aer_noise_model_warns_about_idle_components_and_needs_num_qubits_for_zero_overrides():
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


# ------------------------------------------------------------------ CLI and packaging


def test_cli_writes_a_noise_file(tmp_path, capsys):
    from qecsim.cli import main

    output = tmp_path / "noise.json"
    assert main(["noise-from-backend", "fake_torino", "-o", str(output)]) == 0
    noise = qecsim.NoiseModel.from_json(output.read_text())
    assert noise.name == "fake_torino:median"
    assert noise == qiskit_interop.noise_from_backend(torino(), aggregate="median")

    per_qubit = tmp_path / "per_qubit.json"
    code = main(["noise-from-backend", "fake_torino", "--aggregate", "per_qubit",
                 "--distance", "3", "-o", str(per_qubit)])
    assert code == 0
    data = json.loads(per_qubit.read_text())
    assert len(data["qubit_rates"]) == 17
    assert "couplers the code needs are not device couplers" in capsys.readouterr().err

    assert main(["noise-from-backend", "fake_torino", "--aggregate", "per_qubit"]) == 2
    assert main(["noise-from-backend", "fake_nowhere"]) == 2
    assert "valid names: fake_aachen" in capsys.readouterr().err


def test_backend_names():
    assert qiskit_interop.backend_from_name("FakeKyiv").name == "fake_kyiv"
    assert qiskit_interop.backend_from_name("athens").name == "fake_athens"


def test_import_qecsim_does_not_import_qiskit():
    code = "import qecsim, sys; print(any(m.split('.')[0] == 'qiskit' for m in sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"


def test_greedy_layout_avoids_excluded_qubits_and_bad_couplers():
    backend = torino()
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
