"""The three kinds of crosstalk: their tags, channels, and how they grow with the code."""

import math

import numpy as np
import pytest
import stim

import qecsim

DURATIONS = qecsim.Durations(
    single_qubit_gate=25e-9, two_qubit_gate=40e-9, measurement=500e-9, reset=200e-9
)
ALL_KINDS = qecsim.NoiseModel(durations=DURATIONS).with_crosstalk(
    spectator=1e-4, parallel=1e-4, static_zz=1e3
)


def _pairs_per_kind(circuit: stim.Circuit) -> dict[str, int]:
    counts: dict[str, int] = {}
    for instruction in circuit.flattened():
        tag = qecsim.parse_tag(instruction.tag)
        if tag is not None and tag.component == "crosstalk":
            counts[tag.key] = counts.get(tag.key, 0) + len(instruction.targets_copy()) // 2
    return counts


def _per_round(distance: int, gate_set: str) -> dict[str, int]:
    # one more round adds exactly one round's channels
    short, long = (
        _pairs_per_kind(qecsim.memory_circuit(
            distance=distance, rounds=rounds, noise=ALL_KINDS, gate_set=gate_set))
        for rounds in (3, 4)
    )
    return {key: long[key] - short[key] for key in long}


@pytest.mark.parametrize(("gate_set", "ticks_per_round"), [("cx", 7), ("cz", 10)])
def test_parallel_and_static_crosstalk_grow_with_the_area(gate_set, ticks_per_round):
    counts = {d: _per_round(d, gate_set) for d in (3, 5, 7)}
    # static ZZ: every coupler (4 d (d - 1) of them: the round's two-qubit gates) in every
    # tick, except in the tick where it runs its gate
    for d, per_round in counts.items():
        couplers = 4 * d * (d - 1)
        assert per_round["crosstalk.static_zz"] == ticks_per_round * couplers - couplers
    # parallel: a quadratic in d with a positive d^2 coefficient (the bulk), unlike the
    # spectator kind, which lives on the boundary: 16 d - 20 per round
    parallel = [counts[d]["crosstalk.parallel"] for d in (3, 5, 7)]
    quadratic = np.polyfit([3, 5, 7], parallel, 2)
    assert quadratic[0] > 1
    assert parallel[2] / parallel[0] > (7 / 3) ** 2 * 0.8
    assert [counts[d]["crosstalk.spectator"] for d in (3, 5, 7)] == [16 * d - 20 for d in (3, 5, 7)]


def test_each_kind_has_its_own_tag_and_channel():
    circuit = stim.Circuit("R 0 1 2 3 4\nTICK\nCZ 0 1 2 3\nTICK\nCZ 1 2\nTICK\nCZ 3 4")
    noisy = ALL_KINDS.noisy_circuit(circuit)
    first_cz_tick = str(noisy).split("TICK")[1]
    by_tag = {}
    for instruction in stim.Circuit(first_cz_tick):
        if instruction.tag.startswith("crosstalk"):
            by_tag.setdefault(instruction.tag, []).append(instruction)
    assert set(by_tag) == {"crosstalk.spectator", "crosstalk.parallel", "crosstalk.static_zz"}
    # qubit 4 idles next to gate qubit 3: spectator ZZ on (spectator, gate qubit)
    spectator = by_tag["crosstalk.spectator"][0]
    assert [t.value for t in spectator.targets_copy()] == [4, 3]
    # first tick: gates 0-1 and 2-3 run together; 1-2 are coupled (a later gate): parallel ZZ
    parallel = by_tag["crosstalk.parallel"][0]
    assert [t.value for t in parallel.targets_copy()] == [1, 2]
    assert parallel.gate_args_copy() == [0.0] * 14 + [1e-4]
    # static ZZ: conditional phase phi = 2 pi zeta t twirled: IZ, ZI, ZZ each sin^2(phi/2)/4
    static = by_tag["crosstalk.static_zz"][0]
    phi = 2 * math.pi * 1e3 * 40e-9
    args = static.gate_args_copy()
    assert args[2] == args[11] == args[14] == pytest.approx(math.sin(phi / 2) ** 2 / 4)
    assert sum(args) == pytest.approx(3 * math.sin(phi / 2) ** 2 / 4)
    # static ZZ acts on the coupled pairs not gated together in the tick: 1-2 and 3-4
    assert [t.value for t in static.targets_copy()] == [1, 2, 3, 4]


def test_scaling_one_kind_leaves_the_others():
    only_parallel = ALL_KINDS.scaled(**{"crosstalk.spectator": 0, "crosstalk.static_zz": 0})
    assert only_parallel.crosstalk_kinds_in_use() == ("parallel",)
    assert only_parallel.keys_in_use() == ("crosstalk.parallel",)
    assert ALL_KINDS.scaled(crosstalk=0).crosstalk_kinds_in_use() == ()
    circuit = qecsim.memory_circuit(distance=3, noise=only_parallel)
    assert set(_pairs_per_kind(circuit)) == {"crosstalk.parallel"}
    assert ALL_KINDS.keys_in_use() == (
        "crosstalk.spectator", "crosstalk.parallel", "crosstalk.static_zz"
    )


def test_budget_tags_separate_the_kinds_in_the_detector_error_model():
    noise = qecsim.NoiseModel.si1000(1e-3).with_durations(DURATIONS).with_crosstalk(
        spectator=1e-4, parallel=1e-4, static_zz=2e3, coupler_static_zz={(0, 9): 4e3}
    )
    dem = qecsim.memory_circuit(distance=3, noise=noise).detector_error_model(
        decompose_errors=True, approximate_disjoint_errors=True
    )
    keys = {qecsim.parse_tag(e.tag).key for e in dem.flattened() if e.type == "error"}
    assert {"crosstalk.spectator", "crosstalk.parallel", "crosstalk.static_zz"} <= keys


def test_the_budget_reports_each_kind_as_its_own_row():
    # X-basis memory, where the Z-type static-ZZ errors on data qubits matter. Each kind's
    # lambda (expected errors per shot, from the DEM) is 0.08-0.10 and its elasticity ~0.3
    # (pilot run), so N = 400 errors give a standard error sqrt((lambda + e) / N) ~ 0.033:
    # about 9 sigma, well beyond the interval's 3.72.
    noise = qecsim.NoiseModel.si1000(1e-3).with_durations(DURATIONS).with_crosstalk(
        spectator=1e-3, parallel=1e-3, static_zz=2e4
    )
    budget = qecsim.error_budget(noise, distances=(3,), basis="X", max_errors=400, seed=3,
                                 num_workers=1, progress=False)  # fmt: skip
    kinds = ("crosstalk.spectator", "crosstalk.parallel", "crosstalk.static_zz")
    assert set(kinds) <= set(budget.keys) and "crosstalk" not in budget.keys
    for key in kinds:
        elasticity = budget.component(key).elasticity[3]
        assert elasticity.low > 0, (key, elasticity)
    table = budget.table()
    assert all(key in table for key in kinds)
    # a what-if acts on one kind alone: without static ZZ the projected eps is lower
    without = budget.what_if(**{"crosstalk.static_zz": 0}).logical_error_per_round[3]
    assert without < budget.logical_error_per_round[3].best
