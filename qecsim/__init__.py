"""qecsim: from measured component error rates to logical error rates.

Build a noise model (presets, per-qubit rates, device calibration), turn a noiseless QEC
memory circuit into a noisy stim circuit whose every noise channel is tagged with its
component, sample and decode it with sinter, and attribute the logical error to components;
read measured experiments and compare them with the model.

How the package is built (data flow, which subpackage owns what, the tag grammar, the presets
and their sources, units and conventions, how to add a code, a noise mechanism, a decoder or
an analysis): ``docs/design.md`` in the repository.

Examples:
    >>> import qecsim
    >>> noise = qecsim.NoiseModel.si1000(1e-3)
    >>> circuit = qecsim.memory_circuit(distance=3, rounds=3, noise=noise)
    >>> len(circuit.shortest_graphlike_error())
    3
"""

# --- noise models and circuits ---
from qecsim.circuits import CODES, GATE_SETS, memory_circuit
from qecsim.errors import MissingDependencyError, QecsimError
from qecsim.noise import (
    COMPONENTS,
    EXAMPLE_CALIBRATION,
    PRESETS,
    CatQubit,
    ComponentTag,
    Durations,
    NoiseModel,
    load_calibration,
    parse_tag,
    pauli_error_from_infidelity,
    pauli_twirl_idle,
)

__all__ = [
    "CODES",
    "COMPONENTS",
    "EXAMPLE_CALIBRATION",
    "GATE_SETS",
    "PRESETS",
    "CatQubit",
    "ComponentTag",
    "Durations",
    "MissingDependencyError",
    "NoiseModel",
    "QecsimError",
    "load_calibration",
    "memory_circuit",
    "parse_tag",
    "pauli_error_from_infidelity",
    "pauli_twirl_idle",
]

# --- tags for the noise of any stim circuit ---
from qecsim.noise import TaggingSummary, tag_noise

__all__ += ["TaggingSummary", "tag_noise"]

# --- sweeps and analysis ---
from qecsim import analysis
from qecsim.analysis import (
    ErrorPerRoundFit,
    Footprint,
    LambdaFit,
    LogicalErrorPerRound,
    Threshold,
    fit_error_per_round,
)
from qecsim.analysis.plots import (
    plot_lambda,
    plot_logical_error_vs_distance,
    plot_logical_error_vs_p,
    plot_threshold,
)

__all__ += ["Footprint", "LambdaFit", "LogicalErrorPerRound", "Threshold", "analysis"]
__all__ += ["ErrorPerRoundFit", "fit_error_per_round"]
__all__ += [
    "plot_lambda",
    "plot_logical_error_vs_distance",
    "plot_logical_error_vs_p",
    "plot_threshold",
]
from qecsim.sampling import circuit_from_metadata, collect, sweep_tasks

__all__ += ["circuit_from_metadata", "collect", "sweep_tasks"]

# --- decoders (qecsim.decoders is qecsim.decoding.registry) ---
from qecsim import decoders
from qecsim.decoding import DecoderBenchmark, DecoderBenchmarkRow, benchmark_decoders

__all__ += ["DecoderBenchmark", "DecoderBenchmarkRow", "benchmark_decoders", "decoders"]

# --- error budget ---
from qecsim.budget import (
    BUDGET_METHODS,
    ComponentBudget,
    ErrorBudget,
    Estimate,
    Projection,
    QubitBudget,
    error_budget,
)

__all__ += [
    "BUDGET_METHODS",
    "ComponentBudget",
    "ErrorBudget",
    "Estimate",
    "Projection",
    "QubitBudget",
    "error_budget",
]

# --- qiskit interop: lives in qecsim.interop.qiskit, imported lazily ---

# --- scale-out on dask.distributed (qecsim.distributed is qecsim.sampling.dask_backend) ---
from qecsim.sampling import dask_backend as distributed

__all__ += ["distributed"]

# --- measured experiments (qecsim.experiment) ---
from qecsim import experiment
from qecsim.experiment import (
    DetectorStatistics,
    Experiment,
    ModelComparison,
    NoiseFit,
    compare_to_model,
    decode_experiments,
    detector_statistics,
    fit_noise,
)

__all__ += [
    "DetectorStatistics",
    "Experiment",
    "ModelComparison",
    "NoiseFit",
    "compare_to_model",
    "decode_experiments",
    "detector_statistics",
    "experiment",
    "fit_noise",
]

__version__ = "0.1.0"
