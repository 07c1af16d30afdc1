"""What-if projections and required improvements from a budget's elasticities."""

import json

import pytest
import stim

import qecsim


def test_what_if_at_one_reproduces_the_measured_rates(small_budget):
    projection = small_budget.what_if()
    for d in small_budget.distances:
        assert projection.logical_error_per_round[d] == pytest.approx(
            small_budget.logical_error_per_round[d].best, rel=1e-12
        )
    assert projection.lambda_ == pytest.approx(1 / small_budget.inverse_lambda.best, rel=1e-9)


def test_required_scale_solves_its_own_projection(small_budget):
    target, d = 1e-5, 5
    factor = small_budget.required_scale(target=target, distance=d)
    uniform = small_budget.what_if(**dict.fromkeys(qecsim.COMPONENTS, factor))
    assert uniform.logical_error_per_round[d] == pytest.approx(target, rel=1e-9)
    eps = small_budget.logical_error_per_round[d].best
    gentle = eps * 0.9  # reachable by improving the largest component alone
    top = max(small_budget.components, key=lambda c: c.share[d]).component
    alone = small_budget.required_scale(target=gentle, distance=d, component=top)
    assert alone is not None and 0 <= alone < 1
    assert small_budget.what_if(**{top: alone}).logical_error_per_round[d] == pytest.approx(
        gentle, rel=1e-9
    )
    # a component with a small share cannot reach a much lower target alone
    assert small_budget.required_scale(target=eps / 100, distance=d, component="idle") is None


def test_what_if_rejects_bad_factors(small_budget):
    with pytest.raises(qecsim.QecsimError, match="idle='x'"):
        small_budget.what_if(idle="x")
    with pytest.raises(qecsim.QecsimError, match="'gates'"):
        small_budget.what_if(gates=0.5)


def test_improving_a_component_improves_the_projection(small_budget):
    better = small_budget.what_if(two_qubit_gate=0.5)
    assert better.logical_error_per_round[5] < small_budget.logical_error_per_round[5].best
    assert better.lambda_ > 1 / small_budget.inverse_lambda.best
    assert "projection" in str(better)


CODE_NOISE = {
    "rotated_surface_code": ("Z", qecsim.NoiseModel.sd6(3e-3)),
    "repetition_code": ("Z", qecsim.NoiseModel.sd6(1e-2)),
    "xzzx_surface_code": ("Z", qecsim.NoiseModel.sd6(3e-3)),
    "cat_repetition_code": ("X", qecsim.NoiseModel.cat_qubit(6, kappa_2=1e7, kappa_ratio=1e-3)),
}


def test_every_code_has_a_case():
    assert set(CODE_NOISE) == set(qecsim.CODES)


@pytest.mark.parametrize("code", qecsim.CODES)
def test_what_if_and_required_scale_work_for_every_code(code):
    """The teraquop footprint counts the qubits memory_circuit uses for the code."""
    basis, noise = CODE_NOISE[code]
    budget = qecsim.error_budget(noise, code=code, basis=basis, distances=(3, 5),
                                 max_errors=100, seed=2, num_workers=1, progress=False)
    assert budget.num_qubits == {
        d: qecsim.memory_circuit(code, distance=d, rounds=1, basis=basis).num_qubits
        for d in (3, 5)
    }
    projection = budget.what_if(two_qubit_gate=0.5)
    assert projection.teraquop_distance is not None, projection
    d = projection.teraquop_distance
    assert projection.teraquop_qubits == qecsim.analysis.QUBITS_PER_CODE[code](d)
    if d <= qecsim.circuits.MAX_DISTANCE:
        circuit = qecsim.memory_circuit(code, distance=d, rounds=1, basis=basis)
        assert projection.teraquop_qubits == circuit.num_qubits
    assert f"({projection.teraquop_qubits} qubits)" in str(projection)
    factor = budget.required_scale(target=1e-6, distance=5)
    assert 0 < factor < 1
    assert budget.what_if(**dict.fromkeys(qecsim.COMPONENTS, factor)).logical_error_per_round[
        5] == pytest.approx(1e-6, rel=1e-9)
    budget.required_scale(target=1e-6, distance=5, component="two_qubit_gate")


def test_a_circuit_budget_counts_the_circuits_qubits():
    """Circuits of a known family get its count; circuits that follow none get None."""
    noise = qecsim.NoiseModel.si1000(3e-3)
    circuits = {d: qecsim.memory_circuit(distance=d, noise=noise).without_tags()
                for d in (3, 5)}
    options = {"max_errors": 100, "seed": 3, "num_workers": 1, "progress": False}
    budget = qecsim.error_budget(circuits, **options)
    assert budget.code is None and budget.num_qubits == {3: 17, 5: 49}
    projection = budget.what_if(two_qubit_gate=0.5)
    d = projection.teraquop_distance
    assert d is not None and projection.teraquop_qubits == 2 * d * d - 1
    assert budget.required_scale(target=1e-6, distance=5) > 0
    # one more qubit acted on at each distance: no code family has these counts
    for circuit in circuits.values():
        circuit.insert(0, stim.CircuitInstruction("I", [circuit.num_qubits]))
    odd = qecsim.error_budget(circuits, **options)
    assert odd.num_qubits == {3: 18, 5: 50}
    projection = odd.what_if(two_qubit_gate=0.5)
    assert projection.teraquop_distance is not None and projection.teraquop_qubits is None
    assert "qubits unknown" in str(projection)
    assert json.loads(odd.to_json())["num_qubits"] == {"3": 18, "5": 50}
