"""Tags that name parts of a component (``crosstalk.static_zz``) become rows of their own."""

import math

import pytest

import qecsim


def test_each_part_is_a_row_and_the_parts_add_up_to_the_component(parts_budget, small_budget):
    keys = parts_budget.keys
    assert "two_qubit_gate.a" in keys and "two_qubit_gate.b" in keys
    assert "two_qubit_gate" not in keys
    assert "crosstalk" in keys  # not in use: one row, zero
    assert len(keys) == 14  # 6 components in use x 2 parts + 2 unused components
    for d in parts_budget.distances:
        assert sum(c.share[d] for c in parts_budget.components) == pytest.approx(1, rel=1e-12)
        # the parts of a component add up to the component of the untagged model (an
        # independent run at the same seed, different samples: within combined intervals)
        for component in ("two_qubit_gate", "measurement", "measurement_idle"):
            parts = [parts_budget.component(f"{component}.{p}").elasticity[d] for p in "ab"]
            whole = small_budget.component(component).elasticity[d]
            total = sum(p.best for p in parts)
            half_widths = [(e.high - e.low) / 2 for e in (*parts, whole)]
            assert abs(total - whole.best) <= math.hypot(*half_widths), (component, d)


def test_a_component_scales_all_its_parts(parts_budget):
    both = parts_budget.what_if(**{"two_qubit_gate.a": 0.5, "two_qubit_gate.b": 0.5})
    whole = parts_budget.what_if(two_qubit_gate=0.5)
    assert both.logical_error_per_round == whole.logical_error_per_round
    one = parts_budget.what_if(**{"two_qubit_gate.a": 0.5})
    assert one.logical_error_per_round[5] > whole.logical_error_per_round[5]
    target = 0.9 * parts_budget.logical_error_per_round[5].best
    whole = parts_budget.required_scale(target=target, distance=5, component="two_qubit_gate")
    projected = parts_budget.what_if(two_qubit_gate=whole).logical_error_per_round[5]
    assert projected == pytest.approx(target, rel=1e-9)
    half = parts_budget.required_scale(target=target, distance=5, component="two_qubit_gate.a")
    assert half is None or half < whole  # half the channels must improve more
    with pytest.raises(qecsim.QecsimError, match=r"rows: two_qubit_gate\.a"):
        parts_budget.component("two_qubit_gate")
    with pytest.raises(qecsim.QecsimError, match="unknown component 'gates'"):
        parts_budget.component("gates.a")
