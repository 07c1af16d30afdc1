"""qecsim: from measured component error rates to logical error rates.

Build a noise model (presets, per-qubit rates, device calibration), turn a noiseless QEC
memory circuit into a noisy stim circuit whose every noise channel is tagged with its
component, sample and decode it with sinter, and attribute the logical error to components.

Examples:
    >>> import qecsim
    >>> noise = qecsim.NoiseModel.si1000(1e-3)
    >>> circuit = qecsim.memory_circuit(distance=3, rounds=3, noise=noise)
    >>> len(circuit.shortest_graphlike_error())
    3
"""

# --- foundation (issue 2) ---
from qecsim.codes import CODES, memory_circuit
from qecsim.components import COMPONENTS, ComponentTag, parse_tag
from qecsim.errors import MissingDependencyError, QecsimError
from qecsim.noise import PRESETS, NoiseModel, pauli_twirl_idle

__all__ = [
    "CODES",
    "COMPONENTS",
    "PRESETS",
    "ComponentTag",
    "MissingDependencyError",
    "NoiseModel",
    "QecsimError",
    "memory_circuit",
    "parse_tag",
    "pauli_twirl_idle",
]

# --- sweeps and analysis (issue 3) ---
from qecsim import analysis
from qecsim.analysis import Footprint, LambdaFit, LogicalErrorPerRound, Threshold
from qecsim.plotting import plot_lambda, plot_logical_error_vs_p, plot_threshold

__all__ += ["Footprint", "LambdaFit", "LogicalErrorPerRound", "Threshold", "analysis"]
__all__ += ["plot_lambda", "plot_logical_error_vs_p", "plot_threshold"]
from qecsim.collection import collect
from qecsim.sweep import circuit_from_metadata, sweep_tasks

__all__ += ["circuit_from_metadata", "collect", "sweep_tasks"]

# --- decoders (issue 4) ---
from qecsim import decoders
from qecsim.decoder_benchmark import DecoderBenchmark, DecoderBenchmarkRow, benchmark_decoders

__all__ += ["DecoderBenchmark", "DecoderBenchmarkRow", "benchmark_decoders", "decoders"]

# --- error budget (issue 5) ---
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

# --- qiskit interop (issue 6): lives in qecsim.interop.qiskit, imported lazily ---

# --- scale-out on dask.distributed (issue 7): imports dask only when used ---
from qecsim import distributed

__all__ += ["distributed"]

__version__ = "0.1.0"
