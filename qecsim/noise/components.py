"""Canonical noise components and the stim tags that name them.

Every noise instruction qecsim adds to a circuit carries a tag ``component``,
``component@q`` (a per-qubit rate) or ``component@q1-q2`` (a per-coupler rate).
stim keeps tags in the detector error model, so every DEM error knows its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from qecsim.errors import QecsimError

__all__ = [
    "BIASABLE",
    "COMPONENTS",
    "DATA_ROUND_MARKER",
    "ONE_QUBIT_COMPONENTS",
    "RATE_LIMITS",
    "TWO_QUBIT_COMPONENTS",
    "ComponentTag",
    "check_component",
    "parse_tag",
]

#: The canonical component keys, in display order.
COMPONENTS: tuple[str, ...] = (
    "two_qubit_gate",
    "single_qubit_gate",
    "idle",
    "measurement_idle",
    "reset",
    "measurement",
    "data_depolarization",
    "crosstalk",
)

#: Components whose channels act on one qubit (rates may be overridden per qubit).
ONE_QUBIT_COMPONENTS: tuple[str, ...] = (
    "single_qubit_gate",
    "idle",
    "measurement_idle",
    "reset",
    "measurement",
    "data_depolarization",
)

#: Components whose channels act on a pair (rates may be overridden per coupler).
TWO_QUBIT_COMPONENTS: tuple[str, ...] = ("two_qubit_gate", "crosstalk")

# The largest rate each component's channel accepts (DEPOLARIZE1 <= 3/4, DEPOLARIZE2 <= 15/16).
RATE_LIMITS: dict[str, float] = {
    "two_qubit_gate": 15 / 16,
    "single_qubit_gate": 3 / 4,
    "idle": 3 / 4,
    "measurement_idle": 3 / 4,
    "reset": 1.0,
    "measurement": 1.0,
    "data_depolarization": 3 / 4,
    "crosstalk": 1.0,
}

# Components that may carry a Z bias (they are one-qubit Pauli channels).
BIASABLE: tuple[str, ...] = ("single_qubit_gate", "idle", "measurement_idle", "data_depolarization")

# Placeholder the code builders put on data qubits at the start of each round.
DATA_ROUND_MARKER = "data_depolarization"


def check_component(name: str) -> str:
    """Return ``name`` if it is a canonical component, else raise naming the valid ones.

    Examples:
        >>> check_component("idle")
        'idle'
    """
    if name not in COMPONENTS:
        raise QecsimError(f"unknown component {name!r}; valid components: {', '.join(COMPONENTS)}")
    return name


@dataclass(frozen=True)
class ComponentTag:
    """A parsed noise tag: the component and the qubits it was attributed to (maybe none)."""

    component: str
    qubits: tuple[int, ...] = ()

    def __str__(self) -> str:
        if not self.qubits:
            return self.component
        return f"{self.component}@{'-'.join(str(q) for q in self.qubits)}"


def parse_tag(tag: str) -> ComponentTag | None:
    """Parse a stim tag written by qecsim; return None for tags qecsim did not write.

    Args:
        tag: A tag such as ``"two_qubit_gate@3-7"``, ``"measurement@2"`` or ``"idle"``.

    Returns:
        The component and qubits, or None when the tag names no canonical component.

    Examples:
        >>> parse_tag("two_qubit_gate@3-7")
        ComponentTag(component='two_qubit_gate', qubits=(3, 7))
        >>> parse_tag("idle")
        ComponentTag(component='idle', qubits=())
        >>> parse_tag("something_else") is None
        True
    """
    component, _, qubits = tag.partition("@")
    if component not in COMPONENTS:
        return None
    if not qubits:
        return ComponentTag(component)
    try:
        return ComponentTag(component, tuple(int(q) for q in qubits.split("-")))
    except ValueError:
        return None
