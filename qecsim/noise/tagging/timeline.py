"""A stim circuit read as a sequence of moments, with every operation indexed per qubit.

:class:`Timeline` reads a circuit once, in the order of its text: ``TICK`` and the start and
end of a ``REPEAT`` block separate moments. A ``REPEAT`` body's noise is tagged once, so it
is read as most iterations see it: a body repeated two or more times is read between two
copies of its own operations (its last moment before its first, its first after its last:
what n - 1 of n iterations see); a body run once is read in place. Every instruction gets a
position (its index in that reading; the copies' operations have positions too) and its
ordinal (its index in the circuit's text, REPEAT bodies counted once), and the line it has
in the circuit's text as stim prints it (``str(circuit)``, the format of a ``.stim`` file).
The rules of :mod:`qecsim.noise.tagging.rules` then ask, for a noise channel on a qubit,
which operation on that qubit comes right before or after it, and what kind of moment it is
in.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

import stim

__all__ = [
    "FLIP_CHANNELS",
    "Channel",
    "Moment",
    "Operation",
    "Timeline",
    "format_instruction",
    "instructions_with_lines",
]

#: Noise channels that apply no error: left as they are (qecsim uses I_ERROR as a marker).
NO_ERROR_CHANNELS = frozenset({"I_ERROR", "II_ERROR"})
#: Single-qubit flips: measurement and reset errors are written with these.
FLIP_CHANNELS = frozenset({"X_ERROR", "Y_ERROR", "Z_ERROR"})
_ANNOTATIONS = frozenset({"DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "SHIFT_COORDS", "TICK"})
_IDLE_GATES = frozenset({"I", "II"})
_CHAIN_HEADS = frozenset({"E", "CORRELATED_ERROR"})
_CHAIN = _CHAIN_HEADS | {"ELSE_CORRELATED_ERROR"}
_MAX_TEXT = 100


def instructions_with_lines(
    circuit: stim.Circuit, first_line: int = 1
) -> Iterator[tuple[int, stim.CircuitInstruction | stim.CircuitRepeatBlock]]:
    """Every instruction of ``circuit`` (``REPEAT`` bodies read once) with its line number.

    Lines count as in ``str(circuit)``: one per instruction, one for ``REPEAT n {`` and one
    for the closing ``}``. A ``REPEAT`` block is yielded (with the line of its header)
    before its body's instructions. Use it to name the line of an instruction in an error.

    Examples:
        >>> circuit = stim.Circuit("H 0\\nREPEAT 2 {\\n    CX 0 1\\n}\\nM 0")
        >>> [(line, getattr(item, "name", "REPEAT")) for line, item in
        ...  instructions_with_lines(circuit)]
        [(1, 'H'), (2, 'REPEAT'), (3, 'CX'), (5, 'M')]
    """
    counter = [first_line]
    yield from _walk(circuit, counter)


def _walk(
    circuit: stim.Circuit, counter: list[int]
) -> Iterator[tuple[int, stim.CircuitInstruction | stim.CircuitRepeatBlock]]:
    for item in circuit:
        line = counter[0]
        counter[0] += 1
        yield line, item
        if isinstance(item, stim.CircuitRepeatBlock):
            yield from _walk(item.body_copy(), counter)
            counter[0] += 1  # the closing brace


def format_instruction(instruction: stim.CircuitInstruction, line: int | None = None) -> str:
    """An instruction as one short line of text (long target lists are cut), for messages.

    Examples:
        >>> format_instruction(stim.CircuitInstruction("DEPOLARIZE1", [0, 1], [0.01]), 7)
        'line 7: DEPOLARIZE1(0.01) 0 1'
    """
    text = str(instruction)
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 4].rstrip() + " ..."
    return text if line is None else f"line {line}: {text}"


@dataclass(frozen=True)
class Operation:
    """One target group of a non-noise instruction (a gate, measurement or reset).

    ``kind`` is ``gate1``, ``gate2`` (a two-qubit gate on ``qubits``), ``gate_many`` (a
    Pauli-product gate on more qubits), ``idle`` (``I``, ``II``), ``measure``, ``reset`` or
    ``measure_reset``. A gate with a classical control (``CX sweep[0] 3``,
    ``CZ rec[-1] 2``) acts on its one qubit: ``gate1``.
    """

    position: int
    moment: int
    kind: str
    qubits: tuple[int, ...]
    name: str


@dataclass(frozen=True)
class Channel:
    """A noise instruction (or a measurement with its own flip probability) to tag.

    ``ordinal`` is its index among the circuit's instructions in text order (what
    :func:`~qecsim.noise.tagging.tag_noise` rebuilds by); ``chain_head`` is, for an
    ``ELSE_CORRELATED_ERROR``, the ordinal of the untagged ``E`` that heads its chain.
    """

    position: int
    moment: int
    instruction: stim.CircuitInstruction
    line: int
    groups: list[list[stim.GateTarget]] = field(default_factory=list)
    ordinal: int = 0
    chain_head: int | None = None


@dataclass
class Moment:
    """What a moment holds: its operations, and whether it gates, measures or resets."""

    operations: list[Operation] = field(default_factory=list)
    has_gates: bool = False
    has_measurements_or_resets: bool = False

    @property
    def has_operations(self) -> bool:
        return bool(self.operations)

    @property
    def first_position(self) -> int:
        return self.operations[0].position


def _operation_kind(name: str, data: stim.GateData, qubits: tuple[int, ...]) -> str:
    if data.produces_measurements:
        return "measure_reset" if data.is_reset else "measure"
    if data.is_reset:
        return "reset"
    if name in _IDLE_GATES:
        return "idle"
    return {1: "gate1", 2: "gate2"}.get(len(qubits), "gate_many")


def is_noise_channel(name: str) -> bool:
    """Whether ``name`` is a stim noise channel (heralded ones included), not a measurement."""
    data = stim.gate_data(name)
    return data.is_noisy_gate and (not data.produces_measurements or name.startswith("HERALDED"))


def has_flip_probability(instruction: stim.CircuitInstruction) -> bool:
    """A measurement with its own nonzero flip probability (``M(0.01)``, ``MPP(0.02)``)."""
    if instruction.name.startswith("HERALDED"):
        return False  # a noise channel that heralds, not a measurement
    data = stim.gate_data(instruction.name)
    return data.produces_measurements and any(a > 0 for a in instruction.gate_args_copy())


class Timeline:
    """The moments, operations and noise channels of a circuit, in the order of its text.

    Examples:
        >>> timeline = Timeline(stim.Circuit("H 0\\nDEPOLARIZE1(0.1) 0\\nTICK\\nM 0 1"))
        >>> [m.has_measurements_or_resets for m in timeline.moments]
        [False, True]
        >>> timeline.previous_operation(0, timeline.channels[0].position).kind
        'gate1'
    """

    def __init__(self, circuit: stim.Circuit) -> None:
        self.moments: list[Moment] = [Moment()]
        self.channels: list[Channel] = []
        self.has_ticks = False
        #: Qubits measured and then operated on again (measure qubits, not data qubits).
        self.measure_qubits: set[int] = set()
        self._measured: set[int] = set()
        self._position = 0
        self._ordinal = 0
        self._chain: tuple[int | None, str] | None = None  # (head ordinal, head tag)
        self._per_qubit: dict[int, tuple[list[int], list[Operation]]] = {}
        self._lines = instructions_with_lines(circuit)
        self._read(circuit)
        # _op_moments_before[m]: how many moments with operations come before moment m
        counts = [0]
        for moment in self.moments:
            counts.append(counts[-1] + moment.has_operations)
        self._op_moments_before = counts

    # ------------------------------------------------------------------ reading
    def _new_moment(self) -> None:
        self.moments.append(Moment())

    def _read(self, circuit: stim.Circuit) -> None:
        for item in circuit:
            line, _ = next(self._lines)
            self._line = line
            if isinstance(item, stim.CircuitRepeatBlock):
                body = item.body_copy()
                self._new_moment()
                if item.repeat_count >= 2:
                    self._read_copy(body)  # the previous iteration, as most iterations see
                    self._new_moment()
                self._read(body)
                self._new_moment()
                if item.repeat_count >= 2:
                    self._read_copy(body)  # the next iteration
                    self._new_moment()
                self._chain = None
                continue
            self._position += 1
            self._ordinal += 1
            if item.name == "TICK":
                self.has_ticks = True
                self._new_moment()
            elif item.name in _ANNOTATIONS or item.name == "MPAD":
                if item.name == "MPAD" and not item.tag and has_flip_probability(item):
                    self._add_channel(item, line)
            elif is_noise_channel(item.name):
                self._read_channel(item, line)
            else:
                self._add_operation(item)
            if item.name not in _CHAIN:
                self._chain = None

    def _read_copy(self, circuit: stim.Circuit) -> None:
        """A copy of a REPEAT body's moments and operations (no channels, no ordinals)."""
        for item in circuit:
            if isinstance(item, stim.CircuitRepeatBlock):
                self._new_moment()
                self._read_copy(item.body_copy())
                self._new_moment()
            elif item.name == "TICK":
                self._position += 1
                self._new_moment()
            elif not (item.name in _ANNOTATIONS or item.name == "MPAD"
                      or is_noise_channel(item.name)):
                self._position += 1
                self._add_operation(item, copy=True)

    def _read_channel(self, item: stim.CircuitInstruction, line: int) -> None:
        """A noise instruction: a channel to tag unless it has a tag (or applies no error).

        An ``ELSE_CORRELATED_ERROR`` belongs to the chain its ``E`` heads: untagged after an
        untagged head, it takes the head's decision; after a tagged head it is no channel
        (``tag_noise`` gives it the head's tag).
        """
        chain = self._chain
        if item.name in _CHAIN_HEADS:
            self._chain = (None if item.tag else self._ordinal, item.tag)
        if item.tag or item.name in NO_ERROR_CHANNELS:
            return
        if item.name == "ELSE_CORRELATED_ERROR" and chain is not None:
            if chain[0] is not None:
                self._add_channel(item, line, chain_head=chain[0])
            return
        self._add_channel(item, line)

    def _add_channel(
        self, instruction: stim.CircuitInstruction, line: int, chain_head: int | None = None
    ) -> None:
        moment = len(self.moments) - 1
        groups = instruction.target_groups()
        self.channels.append(Channel(self._position, moment, instruction, line, groups,
                                     self._ordinal, chain_head))

    def _add_operation(self, instruction: stim.CircuitInstruction, copy: bool = False) -> None:
        moment_index = len(self.moments) - 1
        moment = self.moments[moment_index]
        data = stim.gate_data(instruction.name)
        for group in instruction.target_groups():
            qubits = tuple(dict.fromkeys(t.qubit_value for t in group if t.qubit_value is not None))
            if not qubits:
                continue
            kind = _operation_kind(instruction.name, data, qubits)
            operation = Operation(self._position, moment_index, kind, qubits, instruction.name)
            moment.operations.append(operation)
            if kind.startswith("measure") or kind == "reset":
                moment.has_measurements_or_resets = True
            else:
                moment.has_gates = True
            for q in qubits:
                positions, operations = self._per_qubit.setdefault(q, ([], []))
                positions.append(self._position)
                operations.append(operation)
            self._note_measure_qubits(kind, qubits)
        if not copy and not instruction.tag and has_flip_probability(instruction):
            self._add_channel(instruction, self._line)

    def _note_measure_qubits(self, kind: str, qubits: tuple[int, ...]) -> None:
        if kind.startswith("measure"):
            self._measured.update(qubits)
        elif kind.startswith("gate"):
            self.measure_qubits.update(q for q in qubits if q in self._measured)

    # ------------------------------------------------------------------ queries
    def previous_operation(self, qubit: int, position: int) -> Operation | None:
        """The last operation on ``qubit`` before ``position`` (None if there is none)."""
        positions, operations = self._per_qubit.get(qubit, ((), ()))
        i = bisect.bisect_left(positions, position)
        return operations[i - 1] if i > 0 else None

    def next_operation(self, qubit: int, position: int) -> Operation | None:
        """The first operation on ``qubit`` after ``position`` (None if there is none)."""
        positions, operations = self._per_qubit.get(qubit, ((), ()))
        i = bisect.bisect_right(positions, position)
        return operations[i] if i < len(operations) else None

    def last_operation_in(self, qubit: int, moment: int) -> Operation | None:
        """The last operation on ``qubit`` in moment ``moment``, if any."""
        positions, operations = self._per_qubit.get(qubit, ((), ()))
        i = bisect.bisect_right(positions, self._moment_end(moment))
        return operations[i - 1] if i > 0 and operations[i - 1].moment == moment else None

    def first_operation_in(self, qubit: int, moment: int) -> Operation | None:
        """The first operation on ``qubit`` in moment ``moment``, if any."""
        positions, operations = self._per_qubit.get(qubit, ((), ()))
        i = bisect.bisect_left(positions, self.moments[moment].first_position)
        return operations[i] if i < len(operations) and operations[i].moment == moment else None

    def _moment_end(self, moment: int) -> int:
        return self.moments[moment].operations[-1].position

    def previous_operation_moment(self, moment: int) -> int | None:
        """The nearest moment before ``moment`` that holds operations."""
        for m in range(moment - 1, -1, -1):
            if self.moments[m].has_operations:
                return m
        return None

    def next_operation_moment(self, moment: int) -> int | None:
        """The nearest moment after ``moment`` that holds operations."""
        for m in range(moment + 1, len(self.moments)):
            if self.moments[m].has_operations:
                return m
        return None

    def only_noise_between(self, first: int, last: int) -> bool:
        """Whether every moment strictly between moments ``first`` and ``last`` has no operation."""
        if last - first <= 1:
            return True
        return self._op_moments_before[last] - self._op_moments_before[first + 1] == 0

    def has_operations(self) -> bool:
        return any(moment.has_operations for moment in self.moments)
