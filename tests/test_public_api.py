"""Every public name of the first round still imports from the same place (issue 10).

The lists are the public names of ``qecsim``, ``qecsim.analysis``, ``qecsim.decoders``,
``qecsim.distributed`` and ``qecsim.interop.qiskit`` at commit b9de89c, before the package was
split into one subpackage per stage. New names may be added; none of these may go.
"""

from __future__ import annotations

import importlib

import pytest

FIRST_ROUND = {
    "qecsim": [
        "BUDGET_METHODS", "CODES", "COMPONENTS", "ComponentBudget", "ComponentTag",
        "DecoderBenchmark", "DecoderBenchmarkRow", "ErrorBudget", "Estimate", "Footprint",
        "LambdaFit", "LogicalErrorPerRound", "MissingDependencyError", "NoiseModel", "PRESETS",
        "Projection", "QecsimError", "QubitBudget", "Threshold", "analysis",
        "benchmark_decoders", "circuit_from_metadata", "collect", "decoders", "distributed",
        "error_budget", "memory_circuit", "parse_tag", "pauli_twirl_idle", "plot_lambda",
        "plot_logical_error_vs_p", "plot_threshold", "sweep_tasks",
    ],
    "qecsim.analysis": [
        "DEFAULT_MAX_LIKELIHOOD_FACTOR", "Footprint", "LambdaFit", "LogicalErrorPerRound",
        "QUBITS_PER_CODE", "Threshold", "distinguishing_keys", "estimate_threshold",
        "estimate_thresholds", "fit_lambda", "fit_lambdas", "footprint", "group_statistics",
        "logical_error_per_round", "per_round_error_rate", "per_round_log_slope",
        "sigma_equivalent",
    ],
    "qecsim.decoders": [
        "BeliefMatchingDecoder", "KNOWN_DECODERS", "UntaggedDemDecoder", "available",
        "check_names", "compile_for_dem", "get", "is_available", "register", "sinter_decoders",
        "unregister", "untagged_dem",
    ],
    "qecsim.distributed": ["close_embedded_cluster", "collect_dask", "connect"],
    "qecsim.interop.qiskit": [
        "AGGREGATES", "AerCrossCheck", "DeviceCalibration", "aer_cross_check",
        "backend_from_name", "device_calibration", "greedy_layout", "noise_from_backend",
        "to_aer_noise_model", "to_qasm3", "to_qiskit",
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("module", "name"), [(module, name) for module, names in FIRST_ROUND.items() for name in names]
)
def test_first_round_name_still_imports_from_the_same_place(module, name):
    imported = importlib.import_module(module)
    assert hasattr(imported, name), f"{module}.{name} is gone"
    if module == "qecsim":
        assert name in imported.__all__


def test_the_old_module_names_are_the_new_modules():
    import qecsim

    assert importlib.import_module("qecsim.decoders") is qecsim.decoding.registry
    assert importlib.import_module("qecsim.distributed") is qecsim.sampling.dask_backend
    # a setting changed through the old name is the setting the new module uses
    assert qecsim.distributed.NO_WORKERS_TIMEOUT is qecsim.sampling.dask_backend.NO_WORKERS_TIMEOUT
