"""The budget table: no negative shares, zero-compatible estimates as such, the 1/Lambda sum."""

import dataclasses
import re

import pytest

import qecsim
from qecsim.analysis.estimate import Estimate


def cells_of(table: str, component: str) -> list[str]:
    (line,) = [line for line in table.splitlines() if line.startswith(component + " ")]
    return re.split(r"\s{2,}", line.strip())


@pytest.fixture(scope="module")
def with_negative_estimate(small_budget):
    """small_budget with single-qubit gates at -0.01 [-0.05, 0.03] (noise around zero)."""
    gate = small_budget.component("single_qubit_gate")
    noisy = Estimate(-0.01, -0.05, 0.03)
    changed = dataclasses.replace(
        gate, elasticity=dict.fromkeys(small_budget.distances, noisy),
        share={d: -0.01 / 2 for d in small_budget.distances},
        inverse_lambda_contribution=Estimate(-0.002, -0.01, 0.006),
    )
    components = tuple(changed if c is gate else c for c in small_budget.components)
    return dataclasses.replace(small_budget, components=components)


def test_no_share_is_negative(with_negative_estimate, small_budget):
    for budget in (with_negative_estimate, small_budget):
        table = budget.table()
        assert not re.search(r"-\d[\d.]*%", table), table


def test_zero_compatible_estimates_show_as_zero_with_their_bound(with_negative_estimate):
    budget = with_negative_estimate
    cells = cells_of(budget.table(), "single_qubit_gate")
    total = {d: sum(c.elasticity[d].best for c in budget.components) for d in (3, 5)}
    # rate, then (elasticity, share) per distance, then the 1/Lambda part and its share
    assert cells[2] == "0 (< 0.03)"
    assert cells[3] == f"0 (< {100 * 0.03 / total[3]:.2g}%)"
    assert cells[5] == f"0 (< {100 * 0.03 / total[5]:.2g}%)"
    assert cells[6] == "0 (< 0.006)"
    # a clearly positive component keeps its value and interval
    gate = budget.component("two_qubit_gate")
    assert cells_of(budget.table(), "two_qubit_gate")[2] == str(gate.elasticity[3])


def test_the_inverse_lambda_line_states_the_sum_of_the_parts(with_negative_estimate):
    budget = with_negative_estimate
    total = sum(c.inverse_lambda_contribution.best for c in budget.components)
    percent = 100 * total / budget.inverse_lambda.best
    (line,) = [line for line in budget.table().splitlines() if "parts add up to" in line]
    assert f"add up to {total:.3g} ({percent:.0f}% of 1/Lambda" in line  # percent >= 10
    assert "first-order" in line and "need not add up to 100%" in line


def test_the_header_names_the_experiment_not_the_method_key(small_budget):
    header = small_budget.table().splitlines()[:2]
    assert header[0] == ("error budget: si1000 p=0.002, rotated surface code, Z basis, "
                         "rounds = d, decoder pymatching, gate set cz")
    assert "likelihood_ratio" not in "\n".join(header)


def test_ablation_shares_are_never_negative_either():
    budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3,),
                                 method="ablation", max_errors=100, seed=5, num_workers=1,
                                 progress=False)
    table = budget.table()
    assert not re.search(r"-\d[\d.]*%", table)
    for c in budget.components:
        if c.contribution[3].low <= 0 < c.contribution[3].high:
            assert cells_of(table, c.component)[3].startswith("0 (< ")
