"""Canonical noise components and the stim tags that name them.

Every noise instruction qecsim adds to a circuit carries a tag of the grammar

    tag  := component ["." part] ["@" qubit ("-" qubit)*]

``component`` is one of :data:`COMPONENTS`; ``part`` (optional, lower-case letters, digits and
``_``) names a kind within a component that a budget reports separately (the kinds of
crosstalk, the bit-flip and phase-flip parts of a cat qubit's channel); ``@q`` or ``@a-b``
names the qubit or coupler the rate belongs to. Examples: ``idle``, ``measurement@3``,
``two_qubit_gate@3-7``, ``crosstalk.static_zz@4-9``. stim keeps tags in the detector error
model, so every DEM error knows its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from qecsim.errors import QecsimError

__all__ = [
    "BIASABLE",
    "COMPONENTS",
    "CROSSTALK_KINDS",
    "DATA_ROUND_MARKER",
    "GATE_SETS",
    "ONE_QUBIT_COMPONENTS",
    "PAULI_PARTS",
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

#: Native gate sets a circuit builder can target: ``"cx"`` (CNOT, single-qubit Cliffords, reset,
#: measurement) and ``"cz"`` (CZ with Hadamard-conjugated targets, as superconducting
#: processors run it). A noise model names the gate set of the hardware it describes.
GATE_SETS: tuple[str, ...] = ("cx", "cz")

#: The kinds of crosstalk, each tagged ``crosstalk.<kind>`` so a budget separates them:
#: ``spectator`` (a qubit idling next to a two-qubit gate), ``parallel`` (qubits of adjacent
#: two-qubit gates in the same tick) and ``static_zz`` (residual ZZ on every coupled pair in
#: every tick).
CROSSTALK_KINDS: tuple[str, ...] = ("spectator", "parallel", "static_zz")

# Components that may carry a Z bias eta (qecsim.noise.biased): the one-qubit Pauli channels
# and, globally (not per qubit), the two-qubit gate's channel.
BIASABLE: tuple[str, ...] = (
    "single_qubit_gate", "idle", "measurement_idle", "data_depolarization", "two_qubit_gate",
)

#: The parts a component's Pauli channel may be split into (``NoiseModel.channel_parts``), each
#: tagged ``component.part`` so a budget separates them: ``phase_flip`` (Z errors; on two
#: qubits the Z-type terms IZ, ZI, ZZ) and ``bit_flip`` (X and Y errors; on two qubits every
#: term with an X or a Y). Cat qubits (``NoiseModel.cat_qubit``) use both.
PAULI_PARTS: tuple[str, ...] = ("phase_flip", "bit_flip")

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
    """A parsed noise tag: component, optional part, and the qubits it was attributed to.

    Examples:
        >>> str(ComponentTag("crosstalk", (4, 9), part="static_zz"))
        'crosstalk.static_zz@4-9'
        >>> ComponentTag("crosstalk", (4, 9), part="static_zz").key
        'crosstalk.static_zz'
    """

    component: str
    qubits: tuple[int, ...] = ()
    part: str | None = None

    @property
    def key(self) -> str:
        """``component`` or ``component.part``: what a budget reports as one row."""
        return self.component if self.part is None else f"{self.component}.{self.part}"

    def __str__(self) -> str:
        if not self.qubits:
            return self.key
        return f"{self.key}@{'-'.join(str(q) for q in self.qubits)}"


def parse_tag(tag: str) -> ComponentTag | None:
    """Parse a stim tag written by qecsim; return None for tags qecsim did not write.

    Args:
        tag: A tag such as ``"two_qubit_gate@3-7"``, ``"measurement@2"``, ``"idle"`` or
            ``"crosstalk.parallel@1-2"``.

    Returns:
        The component, part and qubits, or None when the tag names no canonical component
        or does not follow the grammar.

    Examples:
        >>> parse_tag("two_qubit_gate@3-7")
        ComponentTag(component='two_qubit_gate', qubits=(3, 7), part=None)
        >>> parse_tag("idle")
        ComponentTag(component='idle', qubits=(), part=None)
        >>> parse_tag("crosstalk.static_zz@4-9").part
        'static_zz'
        >>> parse_tag("something_else") is None
        True
    """
    key, _, qubits = tag.partition("@")
    component, dot, part = key.partition(".")
    if component not in COMPONENTS:
        return None
    if dot and not _is_part_name(part):
        return None
    part_or_none = part if dot else None
    if not qubits:
        return ComponentTag(component, part=part_or_none)
    try:
        return ComponentTag(component, tuple(int(q) for q in qubits.split("-")), part_or_none)
    except ValueError:
        return None


def _is_part_name(part: str) -> bool:
    return bool(part) and all(c.islower() or c.isdigit() or c == "_" for c in part)
