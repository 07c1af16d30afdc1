"""The preset noise models: one parameter p, fixed multiples of it per component.

One table, :data:`PRESET_DEFINITIONS`, holds every preset's gate set and the multiple of p
each component gets; :class:`~qecsim.noise.model.NoiseModel`'s named constructors
(``NoiseModel.si1000(p)``) and the tests read it. Components absent from a row are 0.

Sources and conventions:

- ``uniform_depolarizing``: the four noise parameters of ``stim.Circuit.generated``
  (``after_clifford_depolarization``, ``after_reset_flip_probability``,
  ``before_measure_flip_probability``, ``before_round_data_depolarization``) all equal to p,
  on CNOT circuits. No idle noise.
- ``sd6`` and ``si1000``: Gidney, Newman, Fowler and Broughton, "A Fault-Tolerant Honeycomb
  Memory", arXiv:2108.10457 (Quantum 5, 605 (2021)), section 2 and its noise-model tables,
  as implemented in the paper's own circuit generator: idle depolarization on every qubit
  that no operation touches in a tick (measurement and reset ticks included), and, in
  SI1000, a further "resonator idle" depolarization of 2p on every qubit not measured or
  reset during a tick that measures or resets (``measurement_idle``, on top of ``idle``).
  SD6 (standard depolarizing, CNOT circuits): p after every gate, p reset flips, p
  measurement flips, p idle. SI1000 (superconducting inspired, CZ circuits): p after CZ,
  p/10 after single-qubit gates and on idle qubits, 2p reset flips, 5p measurement flips,
  2p resonator idle. The resonator idle is charged once per measurement/reset tick, so the
  readout's timing changes SI1000's logical error: qecsim's memory circuits (``MR``, one
  tick) give 0.6-0.7x that of circuits measuring and resetting in two ticks, as
  surface-sim's do (benchmarks/README.md; 1.0-1.1x once ``MR`` is split the same way).
- Measurement flips follow the paper: a flip of the qubit just before a measurement that is
  followed by a reset (or by nothing); a measurement whose qubit is used again without a
  reset gets a result flip instead (``M(p)``), not a state flip (see
  :meth:`~qecsim.noise.model.NoiseModel.noisy_circuit`). The variant of Gidney's later code
  that also depolarizes (DEPOLARIZE1(p)) a measured qubit that is not reset is NOT used.
- ``code_capacity``: depolarizing data noise once, perfect measurement. ``phenomenological``:
  depolarizing data noise each round and measurement flips. Neither has gate noise, so the
  gate set changes nothing but the circuit text; they use ``"cx"``, like
  ``stim.Circuit.generated``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = ["PRESETS", "PRESET_DEFINITIONS", "PresetDefinition"]


@dataclass(frozen=True)
class PresetDefinition:
    """A preset: its native gate set and each component's rate as a multiple of p."""

    gate_set: str
    multipliers: dict[str, Fraction]


PRESET_DEFINITIONS: dict[str, PresetDefinition] = {
    "uniform_depolarizing": PresetDefinition(
        "cx",
        {
            "two_qubit_gate": Fraction(1),
            "single_qubit_gate": Fraction(1),
            "reset": Fraction(1),
            "measurement": Fraction(1),
            "data_depolarization": Fraction(1),
        },
    ),
    "sd6": PresetDefinition(
        "cx",
        {
            "two_qubit_gate": Fraction(1),
            "single_qubit_gate": Fraction(1),
            "reset": Fraction(1),
            "measurement": Fraction(1),
            "idle": Fraction(1),
        },
    ),
    "si1000": PresetDefinition(
        "cz",
        {
            "two_qubit_gate": Fraction(1),
            "single_qubit_gate": Fraction(1, 10),
            "reset": Fraction(2),
            "measurement": Fraction(5),
            "idle": Fraction(1, 10),
            "measurement_idle": Fraction(2),
        },
    ),
    "code_capacity": PresetDefinition("cx", {"data_depolarization": Fraction(1)}),
    "phenomenological": PresetDefinition(
        "cx", {"data_depolarization": Fraction(1), "measurement": Fraction(1)}
    ),
}

#: Names of the preset noise models (named constructors of :class:`NoiseModel`).
PRESETS: tuple[str, ...] = tuple(PRESET_DEFINITIONS)
