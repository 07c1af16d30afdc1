"""Noiseless circuits of QEC experiments, built code family by code family.

Its place in the data flow and its modules: ``docs/design.md`` (Layout), in the repository.

- :mod:`qecsim.circuits.layouts`: where each code's qubits sit, its checks and its
  hook-safe two-qubit gate schedule.
- :mod:`qecsim.circuits.memory`: memory experiments (:func:`memory_circuit`) from a layout.
"""

from qecsim.circuits.memory import (
    CODES,
    GATE_SETS,
    MAX_DISTANCE,
    MAX_ROUNDS,
    RECTANGULAR_CODES,
    code_distance,
    default_gate_set,
    default_rounds,
    memory_circuit,
)

__all__ = [
    "CODES",
    "GATE_SETS",
    "MAX_DISTANCE",
    "MAX_ROUNDS",
    "RECTANGULAR_CODES",
    "code_distance",
    "default_gate_set",
    "default_rounds",
    "memory_circuit",
]
