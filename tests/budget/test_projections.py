"""What-if projections and required improvements from a budget's elasticities."""

import pytest

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
