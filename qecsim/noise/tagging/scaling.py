"""Tagged noisy circuits: check the tags, split channels per qubit, scale channels by tag.

Works from the tags alone (:func:`qecsim.parse_tag` grammar), so it serves circuits made by
:meth:`qecsim.NoiseModel.noisy_circuit` and any other circuit whose noise instructions carry
component tags (e.g. a device's own circuit tagged by :func:`qecsim.tag_noise`). Scaling by
tag is how a budget of a circuit takes finite differences and ablations, how a sweep of a
circuit scales its components, and how :func:`qecsim.fit_noise` rescales a model circuit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import stim

from qecsim.errors import QecsimError
from qecsim.noise.components import ComponentTag, parse_tag

__all__ = ["check_tagged", "scale_components", "scale_tagged", "split_by_qubit"]

# Upper limits of each channel's probability argument(s): one value, or their sum.
_LIMITS = {"DEPOLARIZE1": 0.75, "DEPOLARIZE2": 15 / 16}
_PAIR_CHANNELS = {"DEPOLARIZE2", "PAULI_CHANNEL_2"}
_WHOLE = {"E", "CORRELATED_ERROR", "ELSE_CORRELATED_ERROR", "MPP", "HERALDED_ERASE",
          "HERALDED_PAULI_CHANNEL_1"}


def _is_noise(instruction: stim.CircuitInstruction) -> bool:
    """A noise channel, or a measurement with its own flip probability (``M(p)``,
    ``MPAD(p)``)."""
    if instruction.name == "MPAD":
        return any(instruction.gate_args_copy())
    data = stim.gate_data(instruction.name)
    if not data.is_noisy_gate or instruction.name in ("I_ERROR", "II_ERROR"):
        return False
    return not data.produces_measurements or bool(instruction.gate_args_copy())


def _map(
    circuit: stim.Circuit,
    visit: Callable[[stim.CircuitInstruction, int], list],
    counter: list[int] | None = None,
) -> stim.Circuit:
    """Rebuild a circuit, replacing every noise instruction with ``visit``'s instructions.

    ``visit`` also gets the instruction's position in the circuit's text (1-based, REPEAT
    bodies counted once), for messages.
    """
    counter = [0] if counter is None else counter
    out = stim.Circuit()
    for item in circuit:
        counter[0] += 1
        if isinstance(item, stim.CircuitRepeatBlock):
            body = _map(item.body_copy(), visit, counter)
            counter[0] += 1  # the closing brace
            out.append(stim.CircuitRepeatBlock(item.repeat_count, body, tag=item.tag))
            continue
        if _is_noise(item):
            for replacement in visit(item, counter[0]):
                out.append(replacement)
        else:
            out.append(item)
    return out


def check_tagged(circuit: stim.Circuit, *, what: str = "circuit") -> None:
    """Raise unless every noise instruction carries a component tag.

    Examples:
        >>> import stim
        >>> check_tagged(stim.Circuit("X_ERROR(0.1) 0\\nM 0"))
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: circuit line 1 (X_ERROR, tag '') has no component tag; tag the circuit's noise first (qecsim.tag_noise, or NoiseModel.noisy_circuit)
    """  # noqa: E501

    def visit(instruction: stim.CircuitInstruction, line: int) -> list:
        if parse_tag(instruction.tag) is None:
            raise QecsimError(
                f"{what} line {line} ({instruction.name}, tag {instruction.tag!r}) has "
                "no component tag; tag the circuit's noise first (qecsim.tag_noise, or "
                "NoiseModel.noisy_circuit)"
            )
        return [instruction]

    _map(circuit, visit)


def split_by_qubit(circuit: stim.Circuit) -> stim.Circuit:
    """The circuit with every tagged channel split per qubit (or pair), tagged ``@q``/``@a-b``.

    Channels whose tag already names qubits, and correlated errors (``E``), keep their
    targets; E gets the qubits of all its targets in its tag when it has none. Gate couplers
    are tagged in increasing order (``two_qubit_gate@1-5``), like NoiseModel's.

    Examples:
        >>> import stim
        >>> print(split_by_qubit(stim.Circuit("DEPOLARIZE1[idle](0.01) 0 1")))
        DEPOLARIZE1[idle@0](0.01) 0
        DEPOLARIZE1[idle@1](0.01) 1
    """

    def visit(instruction: stim.CircuitInstruction, line: int) -> list:
        tag = parse_tag(instruction.tag)
        if tag is None or tag.qubits:
            return [instruction]
        targets = instruction.targets_copy()
        args = instruction.gate_args_copy()
        if instruction.name in _WHOLE:
            qubits = tuple(t.value for t in targets)
            tagged = ComponentTag(tag.component, qubits, tag.part)
            return [stim.CircuitInstruction(instruction.name, targets, args, tag=str(tagged))]
        size = 2 if instruction.name in _PAIR_CHANNELS else 1
        out = []
        for start in range(0, len(targets), size):
            group = targets[start : start + size]
            qubits = tuple(t.value for t in group)
            if tag.component == "two_qubit_gate":  # a coupler has no order (as NoiseModel)
                qubits = tuple(sorted(qubits))
            tagged = ComponentTag(tag.component, qubits, tag.part)
            out.append(stim.CircuitInstruction(instruction.name, group, args, tag=str(tagged)))
        return out

    return _map(circuit, visit)


def scale_tagged(
    circuit: stim.Circuit, factor: Callable[[ComponentTag], float]
) -> stim.Circuit:
    """Multiply each tagged channel's probabilities by ``factor(tag)``.

    Args:
        circuit: A circuit with component tags (untagged noise is left as it is).
        factor: The factor of a parsed tag (1 leaves the channel unchanged).

    Raises:
        QecsimError: A scaled channel beyond its limit (named, with its tag).

    Examples:
        >>> import stim
        >>> circuit = stim.Circuit("X_ERROR[measurement@3](0.01) 3\\nX_ERROR[reset](0.02) 0")
        >>> print(scale_tagged(circuit, lambda tag: 5.0 if tag.qubits == (3,) else 1.0))
        X_ERROR[measurement@3](0.05) 3
        X_ERROR[reset](0.02) 0
    """

    def visit(instruction: stim.CircuitInstruction, line: int) -> list:
        tag = parse_tag(instruction.tag)
        if tag is None:
            return [instruction]
        value = float(factor(tag))
        if value == 1.0:
            return [instruction]
        if value < 0:
            raise QecsimError(f"scale factor {value} of {tag} is negative")
        args = [a * value for a in instruction.gate_args_copy()]
        limit = _LIMITS.get(instruction.name, 1.0)
        if sum(args) > limit + 1e-12:
            raise QecsimError(
                f"line {line} ({instruction.name}[{instruction.tag}]) scaled by "
                f"{value:.4g} has probability {sum(args):.4g}, beyond its limit {limit:g}"
            )
        return [stim.CircuitInstruction(instruction.name, instruction.targets_copy(), args,
                                        tag=instruction.tag)]

    return _map(circuit, visit)


def scale_components(circuit: stim.Circuit, factors: Mapping[str, float]) -> stim.Circuit:
    """Scale each tagged channel by the factor of its budget key (or of its component).

    A channel tagged ``crosstalk.static_zz@4-9`` takes ``factors["crosstalk.static_zz"]``
    when given, else ``factors["crosstalk"]`` (which scales every part of crosstalk), else
    1. Untagged channels and tags that are not qecsim's stay as they are.

    Args:
        circuit: A circuit with component tags.
        factors: key (``component`` or ``component.part``) -> factor >= 0.

    Raises:
        QecsimError: A scaled channel beyond its limit (named, with its line and tag).

    Examples:
        >>> import stim
        >>> circuit = stim.Circuit("DEPOLARIZE2[two_qubit_gate@0-1](0.01) 0 1\\n"
        ...                        "X_ERROR[measurement@1](0.02) 1")
        >>> print(scale_components(circuit, {"two_qubit_gate": 0.5}))
        DEPOLARIZE2[two_qubit_gate@0-1](0.005) 0 1
        X_ERROR[measurement@1](0.02) 1
    """
    if not factors:
        return circuit.copy()
    return scale_tagged(circuit, lambda tag: factors.get(tag.key, factors.get(tag.component, 1.0)))
