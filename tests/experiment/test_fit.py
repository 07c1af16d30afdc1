"""fit_noise: recovers known scale factors, finds a hidden defect, feeds the error budget."""

import math

import numpy as np
import pytest

import qecsim
from qecsim.analysis.estimate import Estimate
from qecsim.experiment import google_data_path

from .conftest import CORRELATED, DEFECTIVE, DISTANCE, ROUNDS

Z_1000 = math.sqrt(2 * math.log(1000))


@pytest.fixture(scope="module")
def qubit_fit(hidden_defects):
    return qecsim.fit_noise(hidden_defects.experiment, hidden_defects.nominal, by="qubit")


def test_qubit_fit_recovers_the_5x_measurement_error(qubit_fit):
    estimate = qubit_fit.scale("measurement", DEFECTIVE)
    assert estimate.contains(5.0), estimate
    assert not estimate.contains(1.0) and estimate.high - estimate.low < 1.0, estimate
    # measurement and reset of one measure qubit flip the same detectors: one group; the
    # change goes to measurement (the larger effect), reset's own scale is not determined
    group = next(g for g in qubit_fit.groups if ("measurement", (DEFECTIVE,)) in g)
    assert ("reset", (DEFECTIVE,)) in group
    assert qubit_fit.scale("reset", DEFECTIVE) == Estimate(1.0, 0.0, math.inf)
    assert qubit_fit.scale("reset", DEFECTIVE) == qecsim.experiment.NOT_DETERMINED
    assert qubit_fit.to_dict()["scales"][f"reset@{DEFECTIVE}"] == {
        "best": 1.0, "low": 0.0, "high": None}
    assert qubit_fit.model.rate("reset", (DEFECTIVE,)) == qubit_fit.model.reset  # kept at 1


def test_qubit_fit_elsewhere(qubit_fit, hidden_defects):
    """Qubits without a defect keep their nominal rates, within intervals; the two qubits
    that flip together are the only other measurement scales away from 1 (the fit, which
    has no correlated error, explains their extra flips by more measurement error)."""
    off = [key for key, estimate in qubit_fit.scales.items()
           if key[0] == "measurement" and not estimate.contains(1.0)]
    assert sorted(q for _, (q,) in off) == sorted([DEFECTIVE, *CORRELATED])
    determined = {key: estimate for key, estimate in qubit_fit.scales.items()
                  if math.isfinite(estimate.high)}
    assert all(estimate.high > estimate.low for estimate in determined.values())
    inside = [estimate.contains(1.0) for key, estimate in determined.items()
              if key[1] not in ((DEFECTIVE,), *((q,) for q in CORRELATED))]
    assert len(inside) > 50 and np.mean(inside) > 0.9
    assert isinstance(qubit_fit.model, qecsim.NoiseModel)
    rate = qubit_fit.model.rate("measurement", (DEFECTIVE,))
    assert rate == pytest.approx(qubit_fit.scale("measurement", DEFECTIVE).best
                                 * hidden_defects.nominal.measurement)


@pytest.mark.slow
def test_the_fitted_models_budget_shows_the_qubit(qubit_fit):
    budget = qecsim.error_budget(qubit_fit.model, distances=[DISTANCE], rounds=ROUNDS,
                                 by="qubit", max_errors=2000, seed=1, num_workers=1,
                                 progress=False)
    parts = sorted(budget.qubits, key=lambda part: -part.share[DISTANCE])
    assert (parts[0].component, parts[0].qubits) == ("measurement", (DEFECTIVE,))
    nominal = qecsim.error_budget(qubit_fit.model.__class__.si1000(2e-3), distances=[DISTANCE],
                                  rounds=ROUNDS, by="qubit", max_errors=2000, seed=1,
                                  num_workers=1, progress=False)
    share = {(p.component, p.qubits): p.share[DISTANCE] for p in nominal.qubits}
    assert parts[0].share[DISTANCE] > 2 * share["measurement", (DEFECTIVE,)]


def test_component_fit_recovers_several_scales():
    noise = qecsim.NoiseModel.si1000(2e-3)
    device = noise.scaled(two_qubit_gate=1.5, measurement=0.6, measurement_idle=2.0)
    circuits = [qecsim.memory_circuit(distance=3, rounds=r) for r in (3, 6)]
    experiments = [qecsim.Experiment.from_simulation(device.noisy_circuit(c), shots=40_000,
                                                     circuit=c, seed=r)
                   for r, c in zip((3, 6), circuits, strict=True)]
    fit = qecsim.fit_noise(experiments, noise)
    for component, truth in (("two_qubit_gate", 1.5), ("measurement", 0.6),
                             ("measurement_idle", 2.0), ("reset", 1.0)):
        assert fit.scale(component).contains(truth), (component, fit.scale(component))
    assert fit.model.two_qubit_gate == pytest.approx(noise.two_qubit_gate
                                                     * fit.scale("two_qubit_gate").best)
    assert 0.5 < fit.reduced_chi_squared < 2
    assert "two_qubit_gate" in fit.table()


@pytest.mark.slow
def test_component_intervals_are_calibrated():
    """Over 15 independent data sets from the model itself, (scale - 1) / sigma has about
    unit spread and no bias (so the sandwich intervals are neither too narrow nor biased)."""
    noise = qecsim.NoiseModel.si1000(2e-3)
    circuit = qecsim.memory_circuit(distance=3, rounds=4)
    z = {"measurement": [], "two_qubit_gate": [], "measurement_idle": []}
    for seed in range(100, 115):
        experiment = qecsim.Experiment.from_simulation(noise.noisy_circuit(circuit),
                                                       shots=20_000, circuit=circuit, seed=seed)
        fit = qecsim.fit_noise(experiment, noise)
        for component, values in z.items():
            estimate = fit.scale(component)
            values.append((estimate.best - 1) / ((estimate.high - estimate.best) / Z_1000))
    for component, values in z.items():
        values = np.array(values)
        # 15 draws: the mean of N(0, 1) is within 3/sqrt(15); the RMS within [0.5, 1.5]
        assert abs(values.mean()) < 3 / math.sqrt(15), (component, values)
        assert 0.5 < math.sqrt(np.mean(values**2)) < 1.5, (component, values)


def test_a_tagged_circuit_fits_like_its_noise_model(hidden_defects):
    experiment = hidden_defects.experiment.select(slice(0, 20_000))
    by_model = qecsim.fit_noise(experiment, hidden_defects.nominal)
    tagged = hidden_defects.nominal.noisy_circuit(experiment.circuit)
    by_circuit = qecsim.fit_noise(experiment, tagged)
    for key, estimate in by_model.scales.items():
        assert by_circuit.scales[key].best == pytest.approx(estimate.best, rel=1e-6)
    assert by_circuit.model.num_detectors == experiment.num_detectors
    # and by qubit from the same circuit without qubit tags: split from its targets
    by_qubit = qecsim.fit_noise(experiment, tagged, by="qubit")
    assert by_qubit.scale("measurement", DEFECTIVE).best > 3


def test_untagged_model_circuits_are_tagged_and_the_fitted_model_is_a_budgets_input():
    # Google's model circuits carry no tags: tag_noise tags them (with a warning), as
    # error_budget does; two experiments of one distance give {3: the longer one's circuit}
    experiments = [qecsim.Experiment.load(google_data_path(3, r)).select(slice(0, 3000))
                   for r in (3, 5)]
    with pytest.warns(UserWarning, match=r"model circuit 0 had untagged noise: "
                      r"qecsim.tag_noise tagged \d+ channels"):
        fit = qecsim.fit_noise(experiments)
    assert list(fit.model) == [3]
    assert fit.model[3].num_detectors == experiments[1].num_detectors
    budget = qecsim.error_budget(fit.model, max_errors=20, max_shots=4000, seed=1,
                                 num_workers=1, progress=False)
    assert budget.distances == (3,) and budget.notes == ()  # tags kept: nothing retagged
    assert budget.component("two_qubit_gate").elasticity[3].best > 0
    with pytest.raises(qecsim.QecsimError, match="by='layout' is not in"):
        qecsim.fit_noise(experiments[0], by="layout")


def test_scale_asks_for_what_the_fit_has(qubit_fit):
    with pytest.raises(qecsim.QecsimError, match="name the qubit"):
        qubit_fit.scale("measurement")
    with pytest.raises(qecsim.QecsimError, match="no fitted scale for measurement@99"):
        qubit_fit.scale("measurement", 99)
