"""Error budget: likelihood ratio against finite differences, attribution, projections, I/O."""

import json
import math

import pytest

import qecsim


@pytest.fixture(scope="module")
def small_budget():
    return qecsim.error_budget(
        qecsim.NoiseModel.si1000(2e-3), distances=(3, 5), max_errors=300, seed=11,
        num_workers=1, progress=False,
    )


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


def test_a_component_switched_off_contributes_nothing():
    noise = qecsim.NoiseModel.si1000(2e-3).scaled(reset=0)
    budget = qecsim.error_budget(noise, distances=(3,), max_errors=100, seed=3, num_workers=1,
                                 progress=False)
    reset = budget.component("reset")
    assert reset.elasticity[3] == qecsim.Estimate(0.0, 0.0, 0.0)
    assert reset.share[3] == 0
    assert budget.component("two_qubit_gate").share[3] > 0.1


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


def test_biased_per_qubit_idle_from_coherence_is_budgeted():
    # T2 = 2 T1 gives a Pauli channel with p_z ~ 0, which stim converts to independent
    # mechanisms only approximately (as sinter does); the budget must handle it.
    noise = qecsim.NoiseModel.si1000(1e-3).with_coherence(
        t1=50e-6, t2=100e-6, gate_duration=50e-9, measurement_duration=1e-6, qubit=3
    )
    budget = qecsim.error_budget(noise, distances=(3,), max_errors=50, seed=1, num_workers=1,
                                 progress=False)
    idle = budget.component("measurement_idle").elasticity[3]
    assert idle.best > 0
    assert idle.high - idle.low < 2  # no runaway weights from stim's approximate conversion


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


def test_json_has_the_documented_format(small_budget, tmp_path):
    data = json.loads(small_budget.to_json())
    assert data["noise"] == qecsim.NoiseModel.si1000(2e-3).to_dict()
    assert data["distances"] == [3, 5]
    assert data["method"] == "likelihood_ratio" and data["decoder"] == "pymatching"
    assert set(data["logical_error_per_round"]["3"]) == {"best", "low", "high"}
    assert set(data["inverse_lambda"]) == {"best", "low", "high"}
    gate = data["components"]["two_qubit_gate"]
    assert gate["rate"] == 2e-3
    assert set(gate["elasticity"]["5"]) == {"best", "low", "high"}
    assert isinstance(gate["share"]["3"], float)
    assert set(gate["inverse_lambda_contribution"]) == {"best", "low", "high"}
    small_budget.to_csv(tmp_path / "budget.csv")
    assert (tmp_path / "budget.csv").read_text().startswith("component,rate,distance")
    assert "two_qubit_gate" in small_budget.table()


def test_plot_draws_error_bars(small_budget):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert small_budget.plot(ax) is ax
    assert ax.containers and any(type(c).__name__ == "ErrorbarContainer" for c in ax.containers)
    plt.close(fig)


def test_ablation_reports_differences():
    budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3,),
                                 method="ablation", max_errors=300, seed=5, num_workers=1,
                                 progress=False)
    gate = budget.component("two_qubit_gate")
    assert gate.elasticity is None
    assert gate.contribution[3].low > 0  # switching off the gates clearly helps
    with pytest.raises(qecsim.QecsimError, match="ablation"):
        budget.what_if(two_qubit_gate=0.5)


def test_results_do_not_depend_on_the_number_of_workers():
    common = dict(distances=(3,), max_errors=200, seed=5, progress=False)
    one = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), num_workers=1, **common)
    two = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), num_workers=2, **common)
    assert one.num_shots == two.num_shots and one.num_errors == two.num_errors
    assert one.components == two.components


def test_heatmap_shows_a_bad_coupler_brightest():
    import matplotlib.pyplot as plt

    noise = qecsim.NoiseModel.si1000(2e-3)
    noise = noise.with_coupler_rates({(5, 1): {"two_qubit_gate": 10 * noise.two_qubit_gate}})
    budget = qecsim.error_budget(noise, distances=(3,), by="qubit", max_errors=400, seed=6,
                                 num_workers=1, progress=False)
    gates = {p.qubits: p.share[3] for p in budget.qubits if p.component == "two_qubit_gate"}
    assert max(gates, key=gates.get) == (1, 5)
    fig, ax = plt.subplots()
    budget.plot_heatmap(ax, component="two_qubit_gate")
    (lines,) = ax.collections[:1]
    assert len(lines.get_segments()) == len(gates)  # one line per coupler of the d=3 code
    plt.close(fig)


def test_no_logical_errors_warns_and_writes_valid_json():
    noise = qecsim.NoiseModel(crosstalk=1e-4)
    with pytest.warns(UserWarning, match="no logical errors"):
        budget = qecsim.error_budget(noise, distances=(3,), max_shots=2000, seed=1,
                                     num_workers=1, progress=False)
    text = budget.to_json()
    assert "Infinity" not in text and "NaN" not in text
    json.loads(text)


def test_bad_input_is_rejected_before_any_sampling(monkeypatch):
    import qecsim.budget

    def refuse(*args, **kwargs):
        raise AssertionError("sampling started")

    monkeypatch.setattr(qecsim.budget, "_sample_all", refuse)
    with pytest.raises(qecsim.QecsimError, match="max_errors=0"):
        qecsim.error_budget(qecsim.NoiseModel.si1000(1e-3), max_errors=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "magic"}, "unknown method 'magic'.*likelihood_ratio"),
        ({"rounds": 0}, r"rounds=0 is not in \[1, 1000000\]"),
        ({"distances": 5}, "distances=5 is not a list"),
        ({"seed": -1}, r"seed=-1 is not in \[0"),
        ({"by": "gate"}, "by='gate'"),
        ({"by": "qubit", "method": "ablation"}, "by='qubit' needs"),
        ({"distances": ()}, "distances is empty"),
        ({"distances": (1,)}, r"distance=1 is not in \[2, 99\]"),
        ({"max_shots": 10}, r"max_shots=10 is not in \[1000"),
        ({"max_errors": 0}, r"max_errors=0 is not in \[1"),
        ({"decoder": "nonsense"}, "nonsense"),
        ({"basis": "Y"}, "basis='Y'"),
        ({"delta": 1.5, "method": "finite_difference"}, r"delta=1.5 is not in \(0, 0.9\]"),
    ],
)
def test_bad_input_fails_before_sampling(kwargs, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        qecsim.error_budget(qecsim.NoiseModel.si1000(1e-3), progress=False, **kwargs)


def test_cli_budget_writes_its_outputs(tmp_path, capsys):
    from qecsim.cli import main

    out = tmp_path / "budget"
    code = main(["budget", "--noise", "si1000", "--p", "2e-3", "--distances", "3,5",
                 "--max-errors", "100", "--seed", "1", "--workers", "1", "--no-progress",
                 "--out", str(out)])
    assert code == 0
    assert {p.name for p in out.iterdir()} == {"budget.json", "budget.csv", "budget.png"}
    printed = capsys.readouterr().out
    assert "two_qubit_gate" in printed and "what if" in printed
    assert main(["budget", "--noise", "sd7", "--out", str(out)]) == 2


def test_table_of_a_named_model_without_p():
    noise = qecsim.NoiseModel(two_qubit_gate=3e-3, measurement=1e-2, name="device:median")
    budget = qecsim.error_budget(noise, distances=(3,), max_errors=50, seed=2, num_workers=1,
                                 progress=False)
    assert budget.table().startswith("error budget: device:median, rotated_surface_code")
