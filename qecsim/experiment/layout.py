"""Which qubits a detector involves, found through coordinates and the circuit's two-qubit gates.

A detector whose first two coordinates are a qubit's coordinates belongs to that (measure)
qubit; it also involves the qubits that measure qubit interacts with through two-qubit gates
(its stabilizer's data qubits). This holds for qecsim's circuits and Google's alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import stim

__all__ = ["DetectorLayout", "detector_layout"]


def _partners(circuit: stim.Circuit) -> dict[int, set[int]]:
    partners: dict[int, set[int]] = {}
    for instruction in circuit.flattened():
        if instruction.name in ("DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "TICK"):
            continue
        data = stim.gate_data(instruction.name)
        if not (data.is_two_qubit_gate and data.is_unitary):
            continue
        targets = instruction.targets_copy()
        for a, b in zip(targets[::2], targets[1::2], strict=True):
            if a.is_qubit_target and b.is_qubit_target:
                partners.setdefault(a.value, set()).add(b.value)
                partners.setdefault(b.value, set()).add(a.value)
    return partners


@dataclass(frozen=True, eq=False)
class DetectorLayout:
    """Detectors mapped onto the device's qubits.

    Attributes:
        qubit_coordinates: qubit -> its coordinates (from ``QUBIT_COORDS``).
        detector_qubit: The measure qubit of each detector (-1 when none matches).
        detector_round: The last coordinate of each detector (NaN when absent).
        partners: qubit -> the qubits it shares a two-qubit gate with.
    """

    qubit_coordinates: dict[int, tuple[float, ...]]
    detector_qubit: np.ndarray = field(repr=False)
    detector_round: np.ndarray = field(repr=False)
    partners: dict[int, frozenset[int]] = field(repr=False)

    @property
    def measure_qubits(self) -> tuple[int, ...]:
        """Qubits that own detectors."""
        return tuple(sorted({int(q) for q in self.detector_qubit if q >= 0}))

    def qubit_detectors(self) -> dict[int, np.ndarray]:
        """qubit -> the detectors involving it (its own, or its measure qubits' neighbours').

        A measure qubit involves its own detectors; any other qubit the detectors of the
        measure qubits it shares a gate with.
        """
        measure = set(self.measure_qubits)
        own = {q: np.flatnonzero(self.detector_qubit == q) for q in measure}
        result = dict(own)
        for qubit in sorted(self.qubit_coordinates):
            if qubit in measure:
                continue
            linked = sorted(self.partners.get(qubit, frozenset()) & measure)
            if linked:
                result[qubit] = np.sort(np.concatenate([own[q] for q in linked]))
        return dict(sorted(result.items()))

    def neighbouring(self, a: int, b: int) -> bool:
        """Whether measure qubits a and b are the same, coupled, or share a gate partner."""
        if a == b:
            return True
        pa = self.partners.get(a, frozenset())
        return b in pa or bool(pa & self.partners.get(b, frozenset()))


def detector_layout(circuit: stim.Circuit) -> DetectorLayout:
    """Map a circuit's detectors to qubits through coordinates.

    Examples:
        >>> import qecsim
        >>> layout = detector_layout(qecsim.memory_circuit(distance=3, rounds=2))
        >>> len(layout.measure_qubits), sorted(layout.qubit_detectors())[:3]
        (8, [0, 1, 2])
    """
    coordinates = {
        q: tuple(float(c) for c in values)
        for q, values in circuit.get_final_qubit_coordinates().items()
    }
    by_position = {values[:2]: q for q, values in coordinates.items() if len(values) >= 2}
    detectors = circuit.get_detector_coordinates()
    n = circuit.num_detectors
    detector_qubit = np.full(n, -1, dtype=np.int64)
    detector_round = np.full(n, np.nan)
    for index in range(n):
        values = tuple(float(c) for c in detectors.get(index, ()))
        if len(values) >= 2:
            detector_qubit[index] = by_position.get(values[:2], -1)
        if len(values) >= 3:
            detector_round[index] = values[-1]
    partners = {q: frozenset(p) for q, p in _partners(circuit).items()}
    return DetectorLayout(
        qubit_coordinates=coordinates,
        detector_qubit=detector_qubit,
        detector_round=detector_round,
        partners=partners,
    )
