"""Error-rate conventions: Pauli error probabilities and randomized-benchmarking infidelities.

A :class:`~qecsim.noise.model.NoiseModel` rate is a Pauli error probability: the p of stim's
``DEPOLARIZE1(p)`` / ``DEPOLARIZE2(p)`` (a uniformly random non-identity Pauli with
probability p) or of ``X_ERROR(p)``. Randomized benchmarking reports the average gate
infidelity r instead. For a depolarizing channel on n qubits (dimension d = 2^n) the two are
related by p = r (d + 1) / d: p = 3r/2 for one qubit, p = 5r/4 for two. Every importer of
measured rates (calibration files, the qiskit import) converts with
:func:`pauli_error_from_infidelity`.
"""

from __future__ import annotations

from qecsim.errors import QecsimError
from qecsim.validation import check_real

__all__ = ["ERROR_CONVENTIONS", "pauli_error_from_infidelity"]

#: How a gate error is given: ``"pauli"`` (the Pauli error probability, used as is) or
#: ``"average_infidelity"`` (randomized benchmarking's r, converted).
ERROR_CONVENTIONS: tuple[str, ...] = ("pauli", "average_infidelity")


def pauli_error_from_infidelity(r: float, *, num_qubits: int) -> float:
    """The depolarizing Pauli error probability of a gate with average infidelity ``r``.

    p = r (d + 1) / d with d = 2^num_qubits, so that ``DEPOLARIZE1(p)`` (one qubit) or
    ``DEPOLARIZE2(p)`` (two qubits) has average gate infidelity r.

    Args:
        r: Average gate infidelity (randomized benchmarking's error per gate), in
            [0, d / (d + 1) * limit] so that p stays within its channel's limit
            (3/4 for one qubit, 15/16 for two).
        num_qubits: 1 or 2.

    Returns:
        The Pauli error probability p.

    Raises:
        QecsimError: ``num_qubits`` is not 1 or 2, or ``r`` is outside its range.

    Examples:
        >>> pauli_error_from_infidelity(0.001, num_qubits=1)
        0.0015
        >>> pauli_error_from_infidelity(0.004, num_qubits=2)
        0.005
    """
    if num_qubits not in (1, 2):
        raise QecsimError(f"num_qubits={num_qubits!r} is not 1 or 2")
    d = 2**num_qubits
    limit = 1 - 1 / d**2  # the fully depolarizing channel's Pauli error probability
    r = check_real(f"{num_qubits}-qubit average infidelity r", r, low=0, high=limit * d / (d + 1))
    return r * (d + 1) / d
