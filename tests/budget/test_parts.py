"""Tags that name parts of a component (``crosstalk.static_zz``) become rows of their own."""

import math

import numpy as np
import pytest
import stim

import qecsim
from qecsim.noise.components import parse_tag

CROSSTALK = qecsim.NoiseModel.si1000(2e-3).with_crosstalk(spectator=1e-3, parallel=5e-4)
CAT = qecsim.NoiseModel.cat_qubit(4, kappa_2=1e7, kappa_ratio=1e-3)
QUICK = {"max_errors": 20, "seed": 1, "num_workers": 1, "progress": False}


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
    with pytest.raises(qecsim.QecsimError, match=r"'two_qubit_gate' is split into parts in "
                       r"this budget: two_qubit_gate\.a, two_qubit_gate\.b; ask for one"):
        parts_budget.component("two_qubit_gate")
    with pytest.raises(qecsim.QecsimError, match="unknown component 'gates'"):
        parts_budget.component("gates.a")


def test_a_component_split_into_parts_names_them():
    budget = qecsim.error_budget(CROSSTALK, distances=(3, 5), **QUICK)
    assert "crosstalk" not in budget.keys
    with pytest.raises(qecsim.QecsimError, match=r"'crosstalk' is split into parts in this "
                       r"budget: crosstalk\.parallel, crosstalk\.spectator"):
        budget.component("crosstalk")
    with pytest.raises(qecsim.QecsimError, match=r"'crosstalk\.static_zz' is not a row"):
        budget.component("crosstalk.static_zz")
    with pytest.raises(qecsim.QecsimError, match=r"'crosstalk\.static_zz' is not a row"):
        budget.what_if(**{"crosstalk.static_zz": 0.5})
    with pytest.raises(qecsim.QecsimError, match="unknown component 'gates'"):
        budget.what_if(**{"gates.a": 0.5})
    whole = budget.what_if(crosstalk=0.5).logical_error_per_round
    parts = budget.what_if(**{"crosstalk.parallel": 0.5, "crosstalk.spectator": 0.5})
    assert parts.logical_error_per_round == whole


def test_rates_are_the_mean_probability_of_the_rows_channels():
    """Every crosstalk kind and every cat part has its own rate (not its component's), the
    idle of a T1/T2 model its twirled probability, all as the circuits' channels have them."""
    budget = qecsim.error_budget(CROSSTALK, distances=(3,), **QUICK)
    rate = {c.component: c.rate for c in budget.components}
    assert rate["crosstalk.spectator"] == pytest.approx(1e-3, rel=1e-12)
    assert rate["crosstalk.parallel"] == pytest.approx(5e-4, rel=1e-12)
    assert rate["measurement"] == pytest.approx(5 * 2e-3, rel=1e-12)
    assert rate["data_depolarization"] == 0

    cat = qecsim.error_budget(CAT, code="cat_repetition_code", basis="X", distances=(3,),
                              **QUICK)
    for row in cat.components:
        component, _, part = row.component.partition(".")
        if not part:
            continue
        px_py_pz = CAT.parts(component)[part]
        if component in ("reset", "measurement"):  # RX, MX: a flip of the X basis
            assert row.rate == pytest.approx(px_py_pz[1] + px_py_pz[2], rel=1e-9), row
        else:  # each CX's phase flip is three CORRELATED_ERROR terms: their sum
            assert row.rate == pytest.approx(sum(px_py_pz), rel=1e-9), row
    assert cat.component("two_qubit_gate.phase_flip").rate > 0.04

    durations = qecsim.Durations(single_qubit_gate=25e-9, two_qubit_gate=40e-9,
                                 measurement=500e-9, reset=200e-9)
    coherent = qecsim.NoiseModel(two_qubit_gate=1e-3, durations=durations, t1=50e-6, t2=40e-6)
    idle = qecsim.error_budget(coherent, distances=(3,), **QUICK).component("idle")
    circuit = qecsim.memory_circuit(distance=3, noise=coherent)
    channels = [sum(i.gate_args_copy()) for i in circuit.flattened() if i.tag == "idle"
                for _ in i.target_groups()]
    assert idle.rate == pytest.approx(np.mean(channels), rel=1e-12) and idle.rate > 1e-4
    assert "rate: the mean probability of the row's channels" in budget.table()


def plan(noise, method, monkeypatch, **kwargs):
    """The sample sets error_budget would sample (nothing is sampled)."""
    import qecsim.budget.api

    planned = {}

    class Planned(Exception):
        pass

    def capture(configs, **options):
        planned["configs"] = configs
        raise Planned

    monkeypatch.setattr(qecsim.budget.api, "sample_all", capture)
    with pytest.raises(Planned):
        qecsim.error_budget(noise, method=method, distances=(3,), **QUICK, **kwargs)
    nominal, *variants = planned["configs"]
    return nominal, variants


def channels(circuit: stim.Circuit) -> dict[str, list[float]]:
    """key -> the probability of each of its channels (nonzero ones), in circuit order."""
    by_key: dict[str, list[float]] = {}
    for instruction in circuit.flattened():
        if instruction.tag and sum(instruction.gate_args_copy()) > 0:
            key = parse_tag(instruction.tag).key
            by_key.setdefault(key, []).append(sum(instruction.gate_args_copy()))
    return by_key


@pytest.mark.parametrize("method", ["finite_difference", "ablation"])
@pytest.mark.parametrize("which", ["crosstalk", "cat"])
def test_finite_differences_and_ablation_scale_each_part_alone(method, which, monkeypatch):
    """One scaled sample set per part the circuits have, scaling exactly its channels."""
    noise, extra = (CROSSTALK, {}) if which == "crosstalk" else (
        CAT, {"code": "cat_repetition_code", "basis": "X"})
    nominal, variants = plan(noise, method, monkeypatch, **extra)
    base = channels(nominal.circuit())
    keys = set(base)
    scaled = {}
    for variant in variants:
        now = channels(variant.circuit())
        changed = {key for key in keys if now.get(key) != base[key]}
        assert len(changed) == 1 and set(now) <= keys, (variant, changed)
        (key,) = changed
        values = now.get(key, [0.0] * len(base[key]))
        ratios = {round(b / a, 9) for a, b in zip(base[key], values, strict=True)}
        scaled.setdefault(key, set()).update(ratios)
    assert set(scaled) == keys
    if which == "crosstalk":
        assert {"crosstalk.parallel", "crosstalk.spectator"} <= keys
    else:
        assert "two_qubit_gate.phase_flip" in keys and "single_qubit_gate.phase_flip" not in keys
    expected = {0.0} if method == "ablation" else {1.25, round(1 / 1.25, 9)}
    assert all(ratios == expected for ratios in scaled.values()), scaled
