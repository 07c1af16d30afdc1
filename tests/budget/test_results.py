"""ErrorBudget output: the documented JSON format, CSV, the table of a named model."""

import json

import pytest

import qecsim


def test_json_has_the_documented_format(small_budget, tmp_path):
    data = json.loads(small_budget.to_json())
    assert data["noise"] == qecsim.NoiseModel.si1000(2e-3).to_dict()
    assert data["distances"] == [3, 5]
    assert data["method"] == "likelihood_ratio" and data["decoder"] == "pymatching"
    assert set(data["logical_error_per_round"]["3"]) == {"best", "low", "high"}
    assert set(data["inverse_lambda"]) == {"best", "low", "high"}
    gate = data["components"]["two_qubit_gate"]
    assert gate["rate"] == pytest.approx(2e-3, rel=1e-12)  # the mean of its channels
    assert data["num_qubits"] == {"3": 17, "5": 49}
    assert set(gate["elasticity"]["5"]) == {"best", "low", "high"}
    assert isinstance(gate["share"]["3"], float)
    assert set(gate["inverse_lambda_contribution"]) == {"best", "low", "high"}
    small_budget.to_csv(tmp_path / "budget.csv")
    assert (tmp_path / "budget.csv").read_text().startswith("component,rate,distance")
    assert "two_qubit_gate" in small_budget.table()


def test_table_of_a_named_model_without_p():
    noise = qecsim.NoiseModel(two_qubit_gate=3e-3, measurement=1e-2, name="device:median")
    budget = qecsim.error_budget(noise, distances=(3,), max_errors=50, seed=2, num_workers=1,
                                 progress=False)
    assert budget.table().startswith("error budget: device:median, rotated surface code, Z basis")
