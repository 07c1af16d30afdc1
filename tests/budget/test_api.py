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
        ({"delta": 1.5, "method": "finite_difference"}, r"delta=1.5 is not in \(0, 0.9\]"),
    ],
)
def test_bad_input_fails_before_sampling(kwargs, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        qecsim.error_budget(qecsim.NoiseModel.si1000(1e-3), progress=False, **kwargs)
