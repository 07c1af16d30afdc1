"""Memory circuits: structure, distance, and agreement with stim's generated circuits."""

import math

import numpy as np
import pytest
import sinter
import stim

import qecsim
from qecsim.circuits.memory import code_distance

CIRCUIT_PRESETS = ("uniform_depolarizing", "sd6", "si1000")
# every code on every gate set, but the cat repetition code, which runs on CX only
CODE_GATE_SETS = [(code, gate_set) for code in qecsim.CODES for gate_set in qecsim.GATE_SETS
                  if not (code == "cat_repetition_code" and gate_set == "cz")]
CZ_CODES = [code for code, gate_set in CODE_GATE_SETS if gate_set == "cz"]


@pytest.mark.parametrize(("code", "gate_set"), CODE_GATE_SETS)
@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("distance", [3, 5, 7])
@pytest.mark.parametrize("preset", CIRCUIT_PRESETS)
def test_graphlike_distance_equals_code_distance(gate_set, code, basis, distance, preset):
    noise = qecsim.NoiseModel.from_preset(preset, 1e-3)
    circuit = qecsim.memory_circuit(
        code, distance=distance, basis=basis, noise=noise, gate_set=gate_set
    )
    # the code distance of this memory (d, except the cat repetition code's Z basis: 1)
    expected = code_distance(code, basis=basis, distance=distance)
    assert len(circuit.shortest_graphlike_error()) == expected


def test_the_noise_model_chooses_the_gate_set_unless_told_otherwise():
    def two_qubit_gates(circuit):
        return {i.name for i in circuit.flattened() if i.name in ("CX", "CZ")}

    si1000 = qecsim.NoiseModel.si1000(1e-3)
    assert si1000.gate_set == "cz"
    assert two_qubit_gates(qecsim.memory_circuit(distance=3, noise=si1000)) == {"CZ"}
    assert two_qubit_gates(
        qecsim.memory_circuit(distance=3, noise=si1000, gate_set="cx")
    ) == {"CX"}
    for preset in ("uniform_depolarizing", "sd6", "code_capacity", "phenomenological"):
        noise = qecsim.NoiseModel.from_preset(preset, 1e-3)
        assert two_qubit_gates(qecsim.memory_circuit(distance=3, noise=noise)) == {"CX"}
    assert two_qubit_gates(qecsim.memory_circuit(distance=3)) == {"CX"}


def test_the_cat_repetition_code_runs_on_cx_whatever_the_noise_models_gate_set():
    # a CZ schedule would put Hadamards on the cats, turning their phase flips into bit flips
    biased = qecsim.NoiseModel.si1000(1e-3).with_bias_preserving_cx(1e4)  # gate set cz
    circuit = qecsim.memory_circuit("cat_repetition_code", distance=3, noise=biased)
    assert {i.name for i in circuit.flattened()} & {"H", "CZ", "CX"} == {"CX"}
    with pytest.raises(qecsim.QecsimError, match=r"gate_set='cz' does not apply to cat_rep"):
        qecsim.memory_circuit("cat_repetition_code", distance=3, gate_set="cz")
    tasks = qecsim.sweep_tasks(code="cat_repetition_code", distances=3, noise=biased)
    assert tasks[0].json_metadata["gate_set"] == "cx"
    assert tasks[0].circuit == circuit


@pytest.mark.parametrize("code", CZ_CODES)
@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("distance", [3, 5])
def test_cz_circuit_measures_the_same_stabilizers_as_the_cx_circuit(code, basis, distance):
    # Data noise at the start of each round and measurement flips only: the detector error
    # model then depends on nothing but which stabilizers each detector compares, so the
    # two gate sets must give the same DEM (same detectors, same error mechanisms).
    noise = qecsim.NoiseModel.phenomenological(0.01)
    dems = [
        qecsim.memory_circuit(
            code, distance=distance, rounds=3, basis=basis, noise=noise, gate_set=gate_set
        ).detector_error_model().without_tags()
        for gate_set in ("cx", "cz")
    ]
    assert dems[0].approx_equals(dems[1], atol=1e-12)


def test_cz_round_has_one_single_qubit_layer_between_cz_layers():
    circuit = qecsim.memory_circuit(distance=5, rounds=2, gate_set="cz")
    body = next(item for item in circuit if isinstance(item, stim.CircuitRepeatBlock))
    moments = str(body.body_copy()).split("TICK")
    kinds = []
    for moment in moments:
        lines = moment.strip().splitlines()
        names = {line.split()[0].split("[")[0].split("(")[0] for line in lines}
        names -= {"I_ERROR", "DETECTOR", "SHIFT_COORDS"}
        if names:
            kinds.append("+".join(sorted(names)))
    assert kinds == ["H", "CZ", "H", "CZ", "H", "CZ", "H", "CZ", "H", "MR"]


@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("distance", [3, 5, 9])
def test_rotated_surface_code_layout(basis, distance):
    circuit = qecsim.memory_circuit(distance=distance, rounds=3, basis=basis)
    assert circuit.num_qubits == 2 * distance**2 - 1
    assert len(circuit.get_final_qubit_coordinates()) == 2 * distance**2 - 1
    assert circuit.num_observables == 1
    # basis checks in the first round and at the end, all checks in the other rounds
    half = (distance**2 - 1) // 2
    assert circuit.num_detectors == 2 * half + 2 * half * 2
    assert all(len(c) == 3 for c in circuit.get_detector_coordinates().values())


@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("distance", [2, 4])
def test_even_distances_keep_their_distance(basis, distance):
    noise = qecsim.NoiseModel.sd6(1e-3)
    circuit = qecsim.memory_circuit(distance=distance, basis=basis, noise=noise)
    assert circuit.num_qubits == 2 * distance**2 - 1
    assert len(circuit.shortest_graphlike_error()) == distance


def test_repetition_code_layout():
    circuit = qecsim.memory_circuit("repetition_code", distance=5, rounds=4)
    assert circuit.num_qubits == 9
    assert circuit.num_detectors == 4 * 4 + 4


@pytest.mark.parametrize(("code", "gate_set"), CODE_GATE_SETS)
@pytest.mark.parametrize("basis", ["X", "Z"])
def test_noiseless_circuit_is_deterministic(code, basis, gate_set):
    circuit = qecsim.memory_circuit(code, distance=3, rounds=3, basis=basis, gate_set=gate_set)
    detectors, observables = circuit.compile_detector_sampler(seed=1).sample(
        200, separate_observables=True
    )
    assert not detectors.any() and not observables.any()
    # and a reference sample of the noiseless circuit passes stim's own check
    circuit.detector_error_model()


@pytest.mark.parametrize("gate_set", qecsim.GATE_SETS)
def test_logical_observable_flips_under_a_logical_operator(gate_set):
    # A column of X errors (logical X) on the data of a Z memory must flip the observable and
    # no detector; this checks the observable is the logical operator, not a stabilizer.
    circuit = qecsim.memory_circuit(distance=3, rounds=1, basis="Z", gate_set=gate_set)
    coords = circuit.get_final_qubit_coordinates()
    column = [q for q, (x, y) in coords.items() if x == 1 and y % 2 == 1]
    # X_ERROR(1), not X: stim reports detectors and observables relative to the noiseless run
    error = f"X_ERROR(1) {' '.join(map(str, column))}"
    text = str(circuit).replace("TICK\nM ", f"TICK\n{error}\nTICK\nM ", 1)
    flipped = stim.Circuit(text)
    detectors, observables = flipped.compile_detector_sampler(seed=2).sample(
        10, separate_observables=True
    )
    assert not detectors.any()
    assert observables.all()


def test_code_capacity_defaults_to_one_round_and_perfect_measurement():
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.code_capacity(0.1))
    assert circuit.num_detectors == 4 + 4
    names = {i.name for i in circuit.flattened()}
    assert "X_ERROR" not in names and "DEPOLARIZE2" not in names
    assert "DEPOLARIZE1" in names


def test_phenomenological_has_only_data_and_measurement_noise():
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.phenomenological(0.01))
    tags = {
        i.tag
        for i in circuit.flattened()
        if stim.gate_data(i.name).is_noisy_gate and not stim.gate_data(i.name).produces_measurements
    }
    assert tags == {"data_depolarization", "measurement"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "toric_code", "distance": 3}, "toric_code"),
        ({"distance": 1}, "distance=1 is not in [2, 99]"),
        ({"distance": 3.0}, "distance=3.0"),
        ({"distance": 3, "rounds": 0}, "rounds=0 is not in [1, 1000000]"),
        ({"distance": 3, "basis": "Y"}, "basis='Y'"),
        ({"distance": 3, "noise": 0.001}, "noise=0.001"),
        ({"distance": 3, "gate_set": "iswap"}, "gate_set='iswap' is not one of cx, cz"),
    ],
)
def test_bad_input_raises_with_the_value(kwargs, message):
    with pytest.raises(qecsim.QecsimError, match=message.replace("[", r"\[").replace("]", r"\]")):
        qecsim.memory_circuit(**kwargs)


def _logical_errors(circuit: stim.Circuit, shots: int, seed: int) -> int:
    dem = circuit.detector_error_model(decompose_errors=True).without_tags()
    import pymatching

    matcher = pymatching.Matching.from_detector_error_model(dem)
    detectors, observables = circuit.compile_detector_sampler(seed=seed).sample(
        shots, separate_observables=True
    )
    predictions = matcher.decode_batch(detectors)
    return int(np.any(predictions != observables, axis=1).sum())


@pytest.mark.slow
@pytest.mark.parametrize("basis", ["X", "Z"])
def test_uniform_depolarizing_agrees_with_stim_generated(basis):
    # Same noise as stim.Circuit.generated with all four parameters = p: the logical error
    # rates must agree within binomial confidence intervals (~1300 errors each at 400k shots).
    p, distance, shots = 0.003, 5, 400_000
    ours = qecsim.memory_circuit(
        distance=distance,
        rounds=distance,
        basis=basis,
        noise=qecsim.NoiseModel.uniform_depolarizing(p),
    )
    reference = stim.Circuit.generated(
        f"surface_code:rotated_memory_{basis.lower()}",
        distance=distance,
        rounds=distance,
        after_clifford_depolarization=p,
        before_round_data_depolarization=p,
        before_measure_flip_probability=p,
        after_reset_flip_probability=p,
    )
    fits = []
    for circuit, seed in ((ours, 11), (reference, 12)):
        errors = _logical_errors(circuit, shots, seed)
        assert errors > 500  # enough errors for the comparison to mean something
        # a likelihood ratio of 1e3 is roughly a 3.7 sigma interval for each rate
        fits.append(
            sinter.fit_binomial(num_shots=shots, num_hits=errors, max_likelihood_factor=1e3)
        )
    (ours_fit, reference_fit) = fits
    assert ours_fit.low <= reference_fit.high and reference_fit.low <= ours_fit.high
    assert math.isclose(ours_fit.best, reference_fit.best, rel_tol=0.25)


def test_memory_circuit_warns_when_crosstalk_lowers_the_distance():
    noise = qecsim.NoiseModel(crosstalk=1e-3, two_qubit_gate=1e-3)
    with pytest.warns(UserWarning, match=r"d=5 rotated_surface_code \(X basis.* to 3"):
        circuit = qecsim.memory_circuit(distance=5, basis="X", noise=noise, gate_set="cx")
    assert len(circuit.shortest_graphlike_error()) == 3
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # weak parallel crosstalk keeps d = 3
        qecsim.memory_circuit(
            distance=3, noise=qecsim.NoiseModel.si1000(1e-3).with_crosstalk(parallel=1e-5)
        )


@pytest.mark.slow
def test_si1000_budget_sees_single_qubit_gates_on_cz_and_not_on_cx():
    # On the CX schedule the only single-qubit gates are Hadamards on X-check ancillas: an X
    # on a |+> ancilla does nothing and a Z flips only X checks, so in a Z-basis memory their
    # elasticity is exactly 0 and its interval must contain 0. On the CZ schedule data qubits
    # get Hadamards too, and the interval must exclude 0.
    # How many logical errors: the score of component k in a failing shot has variance about
    # lambda_k + e_k (lambda_k: its expected number of errors per shot, the sum of its DEM
    # probabilities: 0.017 at d = 3 and 0.093 at d = 5 on cz, p = 2e-3; e_k from a pilot run:
    # 0.044 and 0.087). The interval (likelihood factor 1000, ~3.72 sigma, not tuned here)
    # excludes 0 with a 3-sigma margin when e_k / sqrt((lambda_k + e_k) / N) >= 6.72, i.e.
    # N >= 6.72^2 (lambda + e) / e^2 = 1450 (d = 3) and 1070 (d = 5): 1500 errors.
    noise = qecsim.NoiseModel.si1000(2e-3)
    budgets = {
        gate_set: qecsim.error_budget(
            noise if gate_set == "cz" else noise.with_gate_set("cx"), distances=(3, 5),
            basis="Z", max_errors=1500, seed=5, num_workers=1, progress=False,
        )
        for gate_set in ("cz", "cx")
    }
    for gate_set, budget in budgets.items():
        # the outputs name the circuits' gate set
        assert budget.to_dict()["gate_set"] == gate_set
        assert {row["gate_set"] for row in budget.rows()} == {gate_set}
        assert f"gate set {gate_set}" in budget.table().splitlines()[0]
        assert min(budget.num_errors.values()) >= 1500
    for d in (3, 5):
        cz = budgets["cz"].component("single_qubit_gate").elasticity[d]
        cx = budgets["cx"].component("single_qubit_gate").elasticity[d]
        assert cz.low > 0, (d, cz)
        assert cx.low <= 0 <= cx.high, (d, cx)
