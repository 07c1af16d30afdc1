"""The circuit as run against the model or the simulated device: same operations, or a warning."""

import pathlib
import warnings

import pytest
import stim

import qecsim
from qecsim.experiment.operations import operation_difference

GOOGLE = pathlib.Path(qecsim.__file__).parent / "data" / "google_sycamore_2022"
SI1000 = qecsim.NoiseModel.si1000(3e-3)  # CZ-native


@pytest.mark.parametrize("code", qecsim.CODES)
def test_a_noise_model_adds_no_operation(code):
    models = [qecsim.NoiseModel.sd6(1e-3), SI1000, SI1000.with_crosstalk(spectator=1e-3),
              qecsim.NoiseModel.cat_qubit(4, kappa_2=1e7, kappa_ratio=1e-3)]
    gate_sets = ["cx"] if code == "cat_repetition_code" else qecsim.GATE_SETS  # CX only
    for gate_set in gate_sets:
        circuit = qecsim.memory_circuit(code, distance=3, rounds=2, basis="X", gate_set=gate_set)
        for noise in models:
            assert operation_difference(circuit, noise.noisy_circuit(circuit)) is None


@pytest.mark.parametrize("folder", ["surface_code_bX_d3_r05_center_3_5",
                                    "surface_code_bX_d5_r25_center_5_5"])
def test_googles_noisy_circuits_run_their_ideal_circuits_operations(folder):
    ideal = stim.Circuit.from_file(GOOGLE / folder / "circuit_ideal.stim")
    noisy = stim.Circuit.from_file(GOOGLE / folder / "circuit_noisy.stim")
    assert operation_difference(ideal, noisy) is None


def test_cx_and_cz_differ_at_their_first_different_operation():
    cx = qecsim.memory_circuit(distance=3, rounds=2, gate_set="cx")
    cz = qecsim.memory_circuit(distance=3, rounds=2, gate_set="cz")
    text = operation_difference(cx, cz, names=("A", "B"))
    assert text.startswith("operation 19 of A is H 5, of B H 1 (A has")
    flips = stim.Circuit("M 0 1")
    assert "M !1" in operation_difference(flips, stim.Circuit("M 0 !1"))


def test_from_simulation_warns_when_the_circuit_as_run_is_not_the_truths():
    truth = qecsim.memory_circuit(distance=3, rounds=3, noise=SI1000)
    with pytest.warns(UserWarning, match=r"run different operations: operation 19 .*"
                      r"gate_set=noise.gate_set"):
        qecsim.Experiment.from_simulation(truth, shots=100, seed=1,
                                          circuit=qecsim.memory_circuit(distance=3, rounds=3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        as_run = qecsim.memory_circuit(distance=3, rounds=3, gate_set=SI1000.gate_set)
        qecsim.Experiment.from_simulation(truth, shots=100, seed=1, circuit=as_run)


def test_compare_and_fit_warn_when_the_model_circuit_runs_other_operations():
    truth = qecsim.memory_circuit(distance=3, rounds=3, noise=SI1000)
    as_run = truth.without_noise()
    experiment = qecsim.Experiment.from_simulation(truth, shots=2000, seed=2, circuit=as_run)
    cx_model = SI1000.noisy_circuit(qecsim.memory_circuit(distance=3, rounds=3))
    with pytest.warns(UserWarning, match="the model circuit run different operations"):
        qecsim.compare_to_model(experiment, cx_model, logical=False)
    with pytest.warns(UserWarning, match="model circuit 0 run different operations"):
        qecsim.fit_noise(experiment, cx_model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qecsim.compare_to_model(experiment, truth, logical=False)
        qecsim.compare_to_model(experiment, SI1000, logical=False)  # built on the circuit as run
