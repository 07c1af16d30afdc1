"""Small helpers shared by the qiskit interop modules (not public API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import stim

#: The 15 non-identity two-qubit Paulis in stim's ``PAULI_CHANNEL_2`` argument order.
PAULI_CHANNEL_2_ORDER: tuple[str, ...] = tuple(a + b for a in "IXYZ" for b in "IXYZ")[1:]


def pair(a: int, b: int) -> tuple[int, int]:
    """A coupler as a sorted pair.

    Examples:
        >>> pair(7, 3)
        (3, 7)
    """
    return (a, b) if a <= b else (b, a)


def circuit_couplers(circuit: stim.Circuit) -> set[tuple[int, int]]:
    """The qubit pairs (sorted) that share a two-qubit unitary gate anywhere in ``circuit``.

    Examples:
        >>> import stim
        >>> sorted(circuit_couplers(stim.Circuit("CX 0 1 2 1\\nREPEAT 2 {\\nCZ 3 0\\n}")))
        [(0, 1), (0, 3), (1, 2)]
    """
    import stim

    couplers = set()
    for instruction in circuit.flattened():
        data = stim.gate_data(instruction.name)
        if data.is_two_qubit_gate and data.is_unitary:
            qubits = [t.value for t in instruction.targets_copy() if t.is_qubit_target]
            couplers.update(pair(a, b) for a, b in zip(qubits[::2], qubits[1::2], strict=True))
    return couplers
