"""error_budget: input checks before sampling, warnings, components switched off."""

import json

import pytest

import qecsim


def test_a_component_switched_off_contributes_nothing():
    noise = qecsim.NoiseModel.si1000(2e-3).scaled(reset=0)
    budget = qecsim.error_budget(noise, distances=(3,), max_errors=100, seed=3, num_workers=1,
                                 progress=False)
    reset = budget.component("reset")
    assert reset.elasticity[3] == qecsim.Estimate(0.0, 0.0, 0.0)
    assert reset.share[3] == 0
    assert budget.component("two_qubit_gate").share[3] > 0.1


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


def test_no_logical_errors_warns_and_writes_valid_json():
    noise = qecsim.NoiseModel(crosstalk=1e-4)
    with pytest.warns(UserWarning, match="no logical errors"):
        budget = qecsim.error_budget(noise, distances=(3,), max_shots=2000, seed=1,
                                     num_workers=1, progress=False)
    text = budget.to_json()
    assert "Infinity" not in text and "NaN" not in text
    json.loads(text)


def test_bad_input_is_rejected_before_any_sampling(monkeypatch):
    import qecsim.budget.api

    def refuse(*args, **kwargs):
        raise AssertionError("sampling started")

    monkeypatch.setattr(qecsim.budget.api, "sample_all", refuse)
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
        ({"delta": 1.5, "method": "finite_difference"},
         r"delta=1.5 is not a number in \(0, 0.9\]"),
        ({"delta": "0.2", "method": "finite_difference"},
         r"delta='0.2' is not a number in \(0, 0.9\]"),
        ({"delta": float("nan"), "method": "finite_difference"}, r"delta=nan is not a number"),
        ({"store": 3}, r"store=3 is not a file path"),
    ],
)
def test_bad_input_fails_before_sampling(kwargs, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        qecsim.error_budget(qecsim.NoiseModel.si1000(1e-3), progress=False, **kwargs)


@pytest.mark.parametrize("distances", [(3, 4), (4, 6)])
def test_an_even_distance_gives_no_inverse_lambda_and_says_why(distances):
    with pytest.warns(UserWarning, match=r"compares odd distances d and d \+ 2") as caught:
        budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=distances,
                                     max_errors=50, seed=1, num_workers=1, progress=False)
    (message,) = [str(w.message) for w in caught if "Lambda" in str(w.message)]
    assert f"even {[d for d in distances if d % 2 == 0]}" in message
    assert budget.inverse_lambda is None and budget.lambda_fit is None
    assert all(budget.num_errors[d] >= 50 for d in distances)  # each distance is budgeted
    assert "1/Lambda" not in budget.table()
    assert budget.what_if(two_qubit_gate=0.5).lambda_ is None


def test_the_even_distance_warning_comes_before_sampling(monkeypatch):
    import qecsim.budget.api

    def refuse(*args, **kwargs):
        raise AssertionError("sampling started")

    monkeypatch.setattr(qecsim.budget.api, "sample_all", refuse)
    with pytest.warns(UserWarning, match="odd distances"), pytest.raises(AssertionError):
        qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 4), progress=False)
