"""error_budget of your own circuits: a stim.Circuit or {distance: circuit}.

References: the budget of the same circuit made by qecsim from its NoiseModel (the circuit
path must reproduce it), Google's published Sycamore circuits, and an independent finite
difference (stim's own sampler and pymatching, on circuits scaled component by component).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pymatching
import pytest
import stim

import qecsim
from qecsim.experiment import google_data_path
from qecsim.noise.tagging import scale_components

QUIET = {"num_workers": 1, "progress": False}


def google_circuit(distance: int, rounds: int) -> stim.Circuit:
    return stim.Circuit.from_file(google_data_path(distance, rounds) / "circuit_noisy.stim")


def numbers(budget: qecsim.ErrorBudget) -> dict:
    """What a budget estimates (not how long it took)."""
    return {
        "eps": budget.logical_error_per_round, "shots": budget.num_shots,
        "errors": budget.num_errors, "rounds": budget.rounds,
        "inverse_lambda": budget.inverse_lambda, "components": budget.components,
        "qubits": budget.qubits,
    }


def test_a_stripped_and_retagged_qecsim_circuit_has_the_budget_of_the_original():
    noise = qecsim.NoiseModel.si1000(2e-3)
    circuits = {d: qecsim.memory_circuit(distance=d, noise=noise, tag_qubits=True)
                for d in (3, 5)}
    options = {"max_errors": 150, "seed": 5, "by": "qubit", **QUIET}
    original = qecsim.error_budget(circuits, **options)
    retagged = qecsim.error_budget({d: c.without_tags() for d, c in circuits.items()},
                                   **options)
    assert numbers(retagged) == numbers(original)
    assert retagged.circuits == original.circuits  # the same tagged circuit was sampled
    assert not original.notes and "tag_noise" in retagged.notes[0]
    # and the budget of the noise model itself: the same shots, the same estimates
    model = qecsim.error_budget(noise, distances=(3, 5), **options)
    assert (model.num_shots, model.num_errors) == (original.num_shots, original.num_errors)
    for ours, theirs in zip(original.components, model.components, strict=True):
        assert ours.component == theirs.component
        for d in (3, 5):
            assert ours.elasticity[d].best == pytest.approx(theirs.elasticity[d].best,
                                                            rel=1e-9, abs=1e-12)
    assert original.inverse_lambda.best == pytest.approx(model.inverse_lambda.best, rel=1e-12)


def test_one_circuit_has_elasticities_and_shares_but_no_inverse_lambda(tmp_path):
    circuit = google_circuit(3, 5)
    budget = qecsim.error_budget(circuit, max_errors=200, seed=1, basis="x", **QUIET)
    assert budget.distances == (3,) and budget.rounds == {3: 5}  # graphlike d, rounds from t
    assert budget.inverse_lambda is None and budget.noise is None and budget.basis == "X"
    assert sum(c.share[3] for c in budget.components) == pytest.approx(1.0)
    two_qubit = budget.component("two_qubit_gate")
    assert two_qubit.rate == pytest.approx(np.mean([
        i.gate_args_copy()[0] for i in circuit.flattened() if i.name == "DEPOLARIZE2"
        for _ in i.target_groups()
    ]))  # the mean probability of its channels
    data = json.loads(budget.to_json())
    assert data["noise"] is None and list(data["circuits"]) == ["3"]
    assert "tag_noise tagged" in data["notes"][0]
    table = budget.table()
    header = "error budget: stim circuit, X basis, 5 rounds, decoder pymatching"
    assert table.splitlines()[0] == header
    assert "note: the noise of the circuit (d = 3) was untagged" in table


def test_rounds_come_from_the_argument_or_the_detectors_time_coordinate():
    circuit = qecsim.memory_circuit(distance=3, rounds=4, noise=qecsim.NoiseModel.si1000(2e-3))
    no_coordinates = stim.Circuit()
    for instruction in circuit.flattened():
        if instruction.name == "DETECTOR":
            instruction = stim.CircuitInstruction("DETECTOR", instruction.targets_copy())
        no_coordinates.append(instruction)
    with pytest.raises(qecsim.QecsimError, match=r"have no coordinates.*give rounds="):
        qecsim.error_budget(no_coordinates, max_errors=10, **QUIET)
    budget = qecsim.error_budget({3: no_coordinates}, rounds={3: 4}, max_errors=20, seed=1,
                                 **QUIET)
    assert budget.rounds == {3: 4}
    assert qecsim.error_budget(circuit, max_errors=20, seed=1, **QUIET).rounds == {3: 4}


@pytest.mark.parametrize(
    ("circuits", "kwargs", "message"),
    [
        ({3: "d3.stim"}, {}, "is not a qecsim.NoiseModel, a stim.Circuit or a mapping"),
        (stim.Circuit("SPP Z0*Z1*Z2\nDEPOLARIZE1(0.1) 0\nTICK\nM 0\nOBSERVABLE_INCLUDE(0) rec[-1]"),
         {"rounds": 1}, r"tag_noise could not place 1 noise channels \(line 2: DEPOLARIZE1"),
        (stim.Circuit("R 0\nTICK\nX_ERROR[mine](0.1) 0\nM 0\nOBSERVABLE_INCLUDE(0) rec[-1]"),
         {"rounds": 1}, r"circuit d=1 line 3 \(X_ERROR, tag 'mine'\) has no component tag"),
        (stim.Circuit("R 0\nM 0\nDETECTOR rec[-1]"), {"rounds": 1}, "has no OBSERVABLE"),
        ({3: stim.Circuit()}, {"distances": (3,)}, "distances=.* does not apply to circuits"),
        ({3: stim.Circuit()}, {"rounds": "3"}, "rounds='3' is not None, an integer"),
    ],
)
def test_bad_circuits_are_named_before_any_sampling(circuits, kwargs, message, monkeypatch):
    import qecsim.budget.api

    monkeypatch.setattr(qecsim.budget.api, "sample_all", lambda *a, **k: 1 / 0)
    with pytest.raises(qecsim.QecsimError, match=message):
        qecsim.error_budget(circuits, max_errors=10, **QUIET, **kwargs)


def test_finite_differences_and_ablation_scale_the_circuit_by_its_tags():
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(3e-3))
    from qecsim.budget.circuits import plan_circuits

    plan = plan_circuits(circuit, rounds=None, decoder="pymatching", method="ablation",
                         by="component", delta=0.25)
    without = plan.variants[("measurement", 0.0, 3)].circuit()
    assert all(i.gate_args_copy() == [0.0] for i in without.flattened()
               if i.tag.startswith("measurement@") or i.tag == "measurement")
    assert without.without_tags() != circuit.without_tags()
    budget = qecsim.error_budget(circuit, method="finite_difference", max_errors=100, seed=2,
                                 **QUIET)
    assert budget.component("two_qubit_gate").elasticity[3].best > 0.2
    ablation = qecsim.error_budget(circuit, method="ablation", max_errors=100, seed=2, **QUIET)
    assert ablation.component("measurement").contribution[3].best > 0


def test_the_heatmap_uses_the_circuits_own_qubit_coordinates():
    import matplotlib

    matplotlib.use("Agg")
    circuit = google_circuit(3, 1)
    budget = qecsim.error_budget(circuit, by="qubit", max_errors=50, seed=1, **QUIET)
    ax = budget.plot_heatmap()
    points = ax.collections[-1].get_offsets()
    coordinates = circuit.get_final_qubit_coordinates()
    assert sorted(map(tuple, np.asarray(points))) == sorted(
        (float(c[0]), float(c[1])) for c in coordinates.values()
    )


def independent_elasticity(circuit: stim.Circuit, component: str, rounds: int, *,
                           delta: float, shots: int, seed: int) -> tuple[float, float]:
    """d ln eps / d ln s of one component by central differences with stim and pymatching.

    Every channel of the component is scaled in the circuit by 1 + delta and 1 / (1 + delta);
    each scaled circuit is sampled by stim's detector sampler and decoded by pymatching built
    from its own detector error model. Returns (elasticity, sigma) by the delta method.
    """
    logs, variances = [], []
    for k, factor in enumerate((1 + delta, 1 / (1 + delta))):
        scaled = scale_components(circuit, {component: factor})
        matching = pymatching.Matching.from_detector_error_model(
            scaled.detector_error_model(decompose_errors=True))
        sampler = scaled.compile_detector_sampler(seed=seed + k)
        detectors, observables = sampler.sample(shots, separate_observables=True)
        failures = int(np.sum(np.any(matching.decode_batch(detectors) != observables, axis=1)))
        p = failures / shots
        eps = (1 - (1 - 2 * p) ** (1 / rounds)) / 2
        # d ln eps / d p, then Var(p) = p (1 - p) / shots
        slope = (1 - 2 * p) ** (1 / rounds - 1) / rounds / eps
        logs.append(math.log(eps))
        variances.append(slope**2 * p * (1 - p) / shots)
    step = 2 * math.log(1 + delta)
    return (logs[0] - logs[1]) / step, math.sqrt(sum(variances)) / step


@pytest.mark.slow
def test_google_budget_elasticities_agree_with_independent_finite_differences():
    circuits = {3: google_circuit(3, 5), 5: google_circuit(5, 5)}
    budget = qecsim.error_budget(circuits, max_errors=12_000, seed=2026, num_workers=2,
                                 progress=False)
    assert budget.inverse_lambda is not None and budget.rounds == {3: 5, 5: 5}
    z = qecsim.analysis.sigma_equivalent(budget.max_likelihood_factor)
    compared = []
    for row in budget.components:
        for d, circuit in circuits.items():
            if row.share[d] <= 0.05:
                continue
            tagged = qecsim.tag_noise(circuit)
            fd, fd_sigma = independent_elasticity(tagged, row.component, 5, delta=0.25,
                                                  shots=120_000, seed=17 * d)
            lr = row.elasticity[d]
            lr_sigma = (lr.high - lr.low) / (2 * z)
            assert abs(lr.best - fd) <= z * math.hypot(lr_sigma, fd_sigma), (
                row.component, d, lr, fd, fd_sigma)
            compared.append((row.component, d))
    # the components that carry the budget: gates and readout at both distances
    assert {"two_qubit_gate", "measurement_idle", "measurement"} <= {c for c, _ in compared}
    assert len(compared) >= 6
