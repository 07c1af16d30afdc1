"""Whether two circuits run the same operations (noise, tags and annotations aside).

A model is only comparable with measured data when it describes the circuit that was run: a
CZ-native noise model's circuit against data from a CX circuit (or the reverse) has the same
detectors but other error mechanisms. :func:`operation_difference` finds the first
operation where two circuits differ, after removing noise (``without_noise``: channels,
measurement flip probabilities), tags, annotations (``TICK``, ``DETECTOR``,
``OBSERVABLE_INCLUDE``, ``QUBIT_COORDS``, ``SHIFT_COORDS``) and identity gates (``I``, on
which Google's noisy circuits hang idle noise), with every instruction split into its target
groups (``H 0 1`` is ``H 0`` then ``H 1``).
"""

from __future__ import annotations

import warnings

import stim

__all__ = ["operation_difference", "warn_if_operations_differ"]

# Instructions that are not operations: annotations, and identities (Google's noisy circuits
# hang idle noise on ``I`` gates their ideal circuits do not have).
_SKIPPED = frozenset(
    {"TICK", "DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "SHIFT_COORDS", "I", "II"}
)


def _target_text(target: stim.GateTarget) -> str:
    if target.is_combiner:
        return "*"
    if target.is_measurement_record_target:
        return f"rec[{target.value}]"
    if target.is_sweep_bit_target:
        return f"sweep[{target.value}]"
    pauli = target.pauli_type if target.pauli_type != "I" else ""
    return f"{'!' if target.is_inverted_result_target else ''}{pauli}{target.value}"


def _operations(circuit: stim.Circuit) -> list[str]:
    """Each operation of the noiseless circuit as text: ``CX 1 0``, ``M !3``."""
    operations = []
    for instruction in circuit.without_noise().flattened():
        if instruction.name in _SKIPPED:
            continue
        for group in instruction.target_groups() or [[]]:
            targets = " ".join(_target_text(t) for t in group)
            operations.append(f"{instruction.name} {targets}".rstrip())
    return operations


def operation_difference(
    first: stim.Circuit, second: stim.Circuit, *, names: tuple[str, str] = ("first", "second")
) -> str | None:
    """Where two circuits' operations differ, in words, or None when they are the same.

    Args:
        first, second: The circuits.
        names: How the message calls them.

    Returns:
        None, or e.g. ``"operation 9 of the circuit as run is CX 1 0, of the model CZ 1 0"``
        (never a whole circuit).

    Examples:
        >>> import qecsim
        >>> cx = qecsim.memory_circuit(distance=3, rounds=2, gate_set="cx")
        >>> noisy = qecsim.memory_circuit(distance=3, rounds=2,
        ...                               noise=qecsim.NoiseModel.sd6(1e-3))
        >>> operation_difference(cx, noisy) is None
        True
        >>> cz = qecsim.memory_circuit(distance=3, rounds=2, gate_set="cz")
        >>> operation_difference(cx, cz, names=("the circuit", "the model")).split(" (")[0]
        'operation 19 of the circuit is H 5, of the model H 1'
        >>> longer = cx.copy()
        >>> longer.append("H", [0])
        >>> print(operation_difference(longer, cx))
        first goes on after the other ends, with H 0 (first has 107 operations, second 106)
    """
    a, b = _operations(first), _operations(second)
    sizes = f"{names[0]} has {len(a)} operations, {names[1]} {len(b)}"
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f"operation {index + 1} of {names[0]} is {x}, of {names[1]} {y} ({sizes})"
    if len(a) != len(b):
        longer, extra = (names[0], a) if len(a) > len(b) else (names[1], b)
        return (f"{longer} goes on after the other ends, with {extra[min(len(a), len(b))]} "
                f"({sizes})")
    return None


def warn_if_operations_differ(
    circuit: stim.Circuit, other: stim.Circuit, *, what: str, stacklevel: int = 3
) -> None:
    """Warn when ``other`` (a model or the circuit sampled as the device) runs other
    operations than ``circuit``, the circuit as run, naming the first difference."""
    difference = operation_difference(circuit, other, names=("the circuit as run", what))
    if difference is not None:
        warnings.warn(
            f"the circuit as run and {what} run different operations: {difference}. A model of "
            "other operations (e.g. a CZ-native model's circuit next to data from a CX "
            "circuit) predicts other statistics: build both for one gate set, e.g. "
            "memory_circuit(..., gate_set=noise.gate_set)",
            stacklevel=stacklevel,
        )
