"""The estimators: likelihood ratio against finite differences, per-qubit parts, ablation."""

import math

import pytest

import qecsim


@pytest.mark.slow
def test_likelihood_ratio_agrees_with_finite_difference():
    # Two independent estimators of the same elasticities (different shots, different
    # method): for every component with share > 5% they must agree within their combined
    # intervals (each interval is ~3.7 sigma wide, so this is a ~5 sigma test).
    noise = qecsim.NoiseModel.si1000(1e-3)
    common = dict(distances=(3, 5), num_workers=1, progress=False)
    lr = qecsim.error_budget(noise, method="likelihood_ratio", max_errors=1000, seed=1, **common)
    fd = qecsim.error_budget(noise, method="finite_difference", max_errors=1000, seed=2, **common)
    checked = 0
    for component in lr.components:
        for d in (3, 5):
            if component.share[d] <= 0.05:
                continue
            a = component.elasticity[d]
            b = fd.component(component.component).elasticity[d]
            combined = math.hypot((a.high - a.low) / 2, (b.high - b.low) / 2)
            assert abs(a.best - b.best) <= combined, (component.component, d, a, b)
            checked += 1
    assert checked >= 6  # 2q gate, measurement, measurement idle, reset at both distances


def test_elasticities_add_up_to_about_the_error_exponent(small_budget):
    # At low p, eps_d ~ p^((d+1)/2): summed elasticities near (d+1)/2 (sampling allows ~25%).
    for d in small_budget.distances:
        total = sum(c.elasticity[d].best for c in small_budget.components)
        assert total == pytest.approx((d + 1) / 2, rel=0.25)


def test_a_bad_qubit_dominates_its_components_attribution():
    circuit = qecsim.memory_circuit(distance=3)
    # a Z-check measure qubit (in a Z memory, X-check readout errors cannot flip the result)
    (bad,) = [q for q, xy in circuit.get_final_qubit_coordinates().items() if xy == [4, 2]]
    noise = qecsim.NoiseModel.si1000(2e-3)
    noise = noise.with_qubit_rates({bad: {"measurement": 10 * noise.measurement}})
    budget = qecsim.error_budget(noise, distances=(3,), by="qubit", max_errors=1000, seed=4,
                                 num_workers=1, progress=False)
    parts = {p.qubits: p for p in budget.qubits if p.component == "measurement"}
    ranked = sorted(parts.values(), key=lambda p: -p.elasticity[3].best)
    assert ranked[0].qubits == (bad,)
    # its lower bound lies above the average of the other measured qubits. (Not 10x above:
    # the decoder knows the bad readout, and a readout error alone is a cheap timelike edge,
    # so eps grows only ~17% when this qubit's readout error grows 10x.)
    others = [p.elasticity[3].best for p in ranked[1:]]
    assert ranked[0].elasticity[3].low > sum(others) / len(others)
    # the per-qubit parts add up to the component's part
    total = sum(p.share[3] for p in parts.values())
    assert total == pytest.approx(budget.component("measurement").share[3], rel=1e-9)


def test_ablation_reports_differences():
    budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3,),
                                 method="ablation", max_errors=300, seed=5, num_workers=1,
                                 progress=False)
    gate = budget.component("two_qubit_gate")
    assert gate.elasticity is None
    assert gate.contribution[3].low > 0  # switching off the gates clearly helps
    with pytest.raises(qecsim.QecsimError, match="ablation"):
        budget.what_if(two_qubit_gate=0.5)
