"""The rules that give an untagged noise channel its component, from its place in the circuit.

Each target group of a channel (one qubit, a pair, a Pauli product) is decided on its own,
by the first rule that applies:

1. A measurement's own flip probability (``M(p)``, ``MR(p)``, ``MPP(p)``) -> ``measurement``
   (``MPAD(p)`` too, with no qubits: its targets are bits, not qubits).
2. A flip (``X_ERROR``, ``Y_ERROR``, ``Z_ERROR``, a one-qubit ``E``) right after a reset ->
   ``reset``; right before a measurement -> ``measurement``. "Right" means in the same moment,
   or in noise-only moments between the two (Google's circuits), with no other operation on
   the qubit in between. A flip between a reset and a measurement counts as the reset's.
3. A one-qubit depolarization (``DEPOLARIZE1``, ``PAULI_CHANNEL_1``) that opens a round ->
   ``data_depolarization``: before every operation of the first gate moment after a moment
   that measured or reset (where ``stim.Circuit.generated`` and qecsim put it), or, in a
   circuit that writes its noise inside the operations' moments, in a noise-only moment
   between such a measurement/reset moment and a gate moment (qecsim's repetition code).
   Never on a measure qubit (one measured and then operated on again, such as a syndrome
   qubit) or on a qubit measured in that measurement moment: there it is that qubit's idle
   noise. Only for noise that follows its operation (in the other placement it cannot be
   told from gate noise), and not in circuits that write every channel in a noise-only
   moment of its own (Google's): there the moment after a measurement holds that moment's
   idle noise.
4. Otherwise the channel belongs to the operation on its qubit next to it: in its own moment
   the operation before it (the one after it when there is none), or, in a noise-only
   moment, the qubit's operation in the previous moment with operations. A circuit whose
   noise precedes its operations (detected, or ``placement="before"``) reads the other way.
   A two-qubit gate -> ``two_qubit_gate`` (the pair, in increasing order; also for a
   one-qubit channel after it); a one-qubit gate (classically controlled ones included) ->
   ``single_qubit_gate``; a reset -> ``reset``; a measurement -> ``measurement``; ``MR``:
   ``measurement`` before it, ``reset`` after it; no operation on the qubit, or an explicit
   ``I`` -> ``idle`` in a moment of gates. In a moment with measurements or resets, a qubit's
   idle channel is ``idle`` when it is like the qubit's idle channels in gate moments (or any
   qubit's, for a qubit never idle in a gate moment): the same channel, or T1/T2
   decoherence (a ``PAULI_CHANNEL_1`` with p_x = p_y) with the same T2/T1 over another
   duration (``ln(1 - 2 (p_x + p_z)) / ln(1 - 4 p_x)`` does not depend on the duration).
   The others are ``measurement_idle`` (waiting for a readout costs more, as in Google's
   circuits); when none is like a gate moment's, the first of several is ``idle``.
5. A channel on two qubits (``DEPOLARIZE2``, ``PAULI_CHANNEL_2``, ``E``) whose pair shares a
   two-qubit gate (or a two-qubit measurement) there -> ``two_qubit_gate`` (or
   ``measurement``); otherwise crosstalk, with the qubits in target order (qecsim writes the
   spectator first) and the kind where the channel or its moment shows it:
   ``crosstalk.static_zz`` for a ``PAULI_CHANNEL_2`` whose only errors are IZ = ZI = ZZ (the
   twirled conditional phase of residual ZZ coupling, in any moment);
   ``crosstalk.parallel`` between qubits of two different two-qubit gates of the moment;
   ``crosstalk.spectator`` between a qubit idle in the moment and a qubit of a two-qubit
   gate; plain ``crosstalk`` otherwise (say, between two idle qubits, or a correlated error
   on three or more qubits, which gets no qubits: the ``@a-b`` grammar names one coupler).
   An ``ELSE_CORRELATED_ERROR`` takes the tag of the ``E`` that heads its chain.
6. What none of this places -> ``other``, with the reason.

How this relates to :class:`~qecsim.noise.model.NoiseModel`: the rules are its conventions
read backwards (noise after the operation, in the same moment; ``MR`` measurement flip before
and reset flip after; data depolarization opening each round; idle noise in every tick and
``measurement_idle`` on top of it in measurement/reset ticks; crosstalk spectator first), so
a qecsim circuit stripped of its tags gets every tag back, per-qubit tags and crosstalk kinds
included (tested for every preset, gate set, basis and code, with durations, T1/T2 and every
kind of crosstalk; decoherence scaled by a factor other than 1 changes its T2/T1 signature
and reads as ``measurement_idle`` in measurement moments). A ``REPEAT`` body is tagged once,
as most of its iterations see it: for two or more repetitions the moment before its first
moment is its own last moment (see :mod:`qecsim.noise.tagging.timeline`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import stim

from qecsim.noise.tagging.timeline import FLIP_CHANNELS, Channel, Operation, Timeline
from qecsim.noise.tagging.timeline import has_flip_probability as _is_noisy_measurement

__all__ = ["PLACEMENTS", "Decision", "Placement", "decide", "detect_placement"]

#: Values of ``tag_noise(placement=...)``: detect, noise after its operation, or before it.
PLACEMENTS: tuple[str, ...] = ("auto", "after", "before")
_DEPOLARIZING = frozenset({"DEPOLARIZE1", "PAULI_CHANNEL_1"})
_CORRELATED = frozenset({"E", "ELSE_CORRELATED_ERROR"})
_RESETS = frozenset({"reset", "measure_reset"})
_MEASUREMENTS = frozenset({"measure", "measure_reset"})
_STATIC_ZZ = (2, 11, 14)  # PAULI_CHANNEL_2 arguments IZ, ZI, ZZ


@dataclass(frozen=True)
class Home:
    """Where a channel on one qubit belongs: an operation, or idling in a moment."""

    kind: str
    moment: int
    operation: Operation | None


@dataclass
class Decision:
    """The component of one target group, its qubits, and why it is ``other`` if it is."""

    component: str
    qubits: tuple[int, ...]
    reason: str = ""
    idle_moment: int | None = None  # the moment an idle channel belongs to
    channel: tuple = ()  # (name, arguments) of an idle channel
    part: str | None = None  # the kind within the component (crosstalk kinds)

    @property
    def tag(self) -> str:
        key = self.component if self.part is None else f"{self.component}.{self.part}"
        if not self.qubits:
            return key
        return f"{key}@{'-'.join(str(q) for q in self.qubits)}"


def _qubits(group: Sequence[stim.GateTarget]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(t.qubit_value for t in group if t.qubit_value is not None))


@dataclass(frozen=True)
class Placement:
    """Where a circuit writes its noise: ``side`` of its operation (``"after"`` or
    ``"before"``), and whether in the operation's own moment (``inline``, as stim and qecsim
    do) or in noise-only moments of its own (as Google's published circuits do)."""

    side: str = "after"
    inline: bool = True


def detect_placement(timeline: Timeline, side: str = "auto") -> Placement:
    """Where the circuit puts noise relative to its gates (see :class:`Placement`).

    Votes of the channels on a gate pair (or, when the circuit has none, on a qubit with a
    one-qubit gate) next to that gate; ties and no votes give ``"after"`` and inline.
    ``side`` other than ``"auto"`` fixes the side (the votes still decide ``inline``).
    """
    for arity, kind in ((2, "gate2"), (1, "gate1")):
        votes = {"after": 0, "before": 0, "inline": 0, "separate": 0}
        for channel in timeline.channels:
            if _is_noisy_measurement(channel.instruction):
                continue
            if arity == 1 and _opens_round(timeline, channel):
                continue  # data depolarization, if the circuit writes noise after gates
            inline = timeline.moments[channel.moment].has_operations
            for group in channel.groups:
                qubits = _qubits(group)
                if len(qubits) == arity:
                    vote = _vote(timeline, channel, qubits, kind)
                    if vote:
                        votes[vote] += 1
                        votes["inline" if inline else "separate"] += 1
        if votes["after"] or votes["before"]:
            break
    if side == "auto":
        side = "before" if votes["before"] > votes["after"] else "after"
    return Placement(side, votes["inline"] >= votes["separate"])


def _opens_round(timeline: Timeline, channel: Channel) -> bool:
    """Before every operation of a gate moment whose previous moment measured or reset."""
    moment = timeline.moments[channel.moment]
    if not moment.has_gates or moment.has_measurements_or_resets:
        return False
    if channel.position > moment.first_position:
        return False
    previous = timeline.previous_operation_moment(channel.moment)
    return previous is not None and timeline.moments[previous].has_measurements_or_resets


def _vote(timeline: Timeline, channel: Channel, qubits: tuple[int, ...], kind: str) -> str | None:
    def matches(operation: Operation | None, moment: int | None) -> bool:
        return (
            operation is not None
            and operation.moment == moment
            and operation.kind == kind
            and set(operation.qubits) == set(qubits)
        )

    q, m, position = qubits[0], channel.moment, channel.position
    if timeline.moments[m].has_operations:
        before, after = m, m
    else:
        before = timeline.previous_operation_moment(m)
        after = timeline.next_operation_moment(m)
    if matches(timeline.previous_operation(q, position), before):
        return "after"
    if matches(timeline.next_operation(q, position), after):
        return "before"
    return None


def decide(timeline: Timeline, placement: Placement) -> dict[int, list[Decision]]:
    """The decision for every target group of every untagged channel, by channel ordinal."""
    rules = _Rules(timeline, placement)
    decisions: dict[int, list[Decision]] = {}
    for channel in timeline.channels:
        if channel.chain_head is not None:  # an ELSE takes its chain's tag
            head = decisions[channel.chain_head][0]
            decisions[channel.ordinal] = [
                Decision(head.component, head.qubits, head.reason, part=head.part)
            ]
        else:
            decisions[channel.ordinal] = rules.decide(channel)
    _split_measurement_moment_idles(timeline, decisions)
    return decisions


def _twirl_ratio(channel: tuple) -> float | None:
    """T1/T2 of a ``PAULI_CHANNEL_1`` (p_x, p_y = p_x, p_z) read as twirled T1/T2
    decoherence, which does not depend on the idle duration (0 for pure dephasing); None for
    any other channel."""
    name, args = channel
    if name != "PAULI_CHANNEL_1" or len(args) != 3:
        return None
    px, py, pz = args
    if not math.isclose(px, py, rel_tol=1e-9, abs_tol=0.0) or pz < 0:
        return None
    if px == 0:
        return 0.0 if pz > 0 else None
    amplitude, phase = 1 - 4 * px, 1 - 2 * (px + pz)
    if not (0 < amplitude < 1 and 0 < phase <= 1):
        return None
    return math.log(phase) / math.log(amplitude)


def _alike(channel: tuple, others: set[tuple]) -> bool:
    """The same channel as one of ``others``, or the same T1/T2 decoherence."""
    if channel in others:
        return True
    ratio = _twirl_ratio(channel)
    if ratio is None:
        return False
    for other in others:
        other_ratio = _twirl_ratio(other)
        if other_ratio is not None and math.isclose(ratio, other_ratio, rel_tol=1e-6,
                                                    abs_tol=1e-12):
            return True
    return False


def _split_measurement_moment_idles(
    timeline: Timeline, decisions: dict[int, list[Decision]]
) -> None:
    """Which idle channels of a measurement/reset moment are ``idle`` (baseline, every tick).

    A channel like the qubit's idle channels in gate moments (or, for a qubit that never
    idles in a gate moment, any qubit's) is ``idle``: the same channel (name and arguments),
    as SD6 idles alike in every tick, or T1/T2 decoherence with the same T2/T1 over the
    moment's own duration. The others are ``measurement_idle``: waiting for a readout costs
    more, as in Google's circuits. When none is like a gate moment's and there are several,
    the first is ``idle`` (qecsim writes idle noise before measurement-idle noise).
    """
    slots: dict[tuple[int, int], list[Decision]] = {}
    gate_idles: dict[int, set[tuple]] = {}
    for position in sorted(decisions):
        for decision in decisions[position]:
            if decision.idle_moment is None:
                continue
            qubit = decision.qubits[0]
            if timeline.moments[decision.idle_moment].has_measurements_or_resets:
                slots.setdefault((decision.idle_moment, qubit), []).append(decision)
            else:
                gate_idles.setdefault(qubit, set()).add(decision.channel)
    anywhere = set().union(*gate_idles.values()) if gate_idles else set()
    for (_, qubit), group in slots.items():
        alike = [_alike(d.channel, gate_idles.get(qubit, anywhere)) for d in group]
        for decision, is_idle in zip(group, alike, strict=True):
            if is_idle:
                decision.component = "idle"
        if len(group) > 1 and not any(alike):
            group[0].component = "idle"


class _Rules:
    def __init__(self, timeline: Timeline, placement: Placement) -> None:
        self.timeline = timeline
        self.placement = placement.side
        self.inline = placement.inline

    def decide(self, channel: Channel) -> list[Decision]:
        name = channel.instruction.name
        noisy_measurement = _is_noisy_measurement(channel.instruction)
        decisions = []
        for group in channel.groups:
            qubits = _qubits(group)
            if noisy_measurement:
                # MPAD's targets are bits, not qubits
                decisions.append(Decision("measurement", () if name == "MPAD" else qubits))
            elif not qubits:
                decisions.append(Decision("other", (), "it targets no qubit"))
            elif len(qubits) == 1:
                is_flip = name in FLIP_CHANNELS or (name in _CORRELATED and len(group) == 1)
                decisions.append(self._one_qubit(channel, qubits[0], is_flip))
            else:
                decisions.append(self._correlated(channel, qubits))
        return decisions

    # ------------------------------------------------------------------ one qubit
    def _one_qubit(self, channel: Channel, qubit: int, is_flip: bool) -> Decision:
        timeline, position, moment = self.timeline, channel.position, channel.moment
        if is_flip:
            previous = timeline.previous_operation(qubit, position)
            if (
                previous
                and previous.kind in _RESETS
                and self._adjacent(previous.moment, moment, moment)
            ):
                return Decision("reset", (qubit,))
            following = timeline.next_operation(qubit, position)
            if (
                following
                and following.kind in _MEASUREMENTS
                and self._adjacent(moment, following.moment, moment)
            ):
                return Decision("measurement", (qubit,))
        if channel.instruction.name in _DEPOLARIZING and self._at_round_start(channel, qubit):
            return Decision("data_depolarization", (qubit,))
        signature = (channel.instruction.name, tuple(channel.instruction.gate_args_copy()))
        home = self._home(qubit, position, moment)
        return self._from_home(home, qubit, position, signature)

    def _adjacent(self, first: int, last: int, channel_moment: int) -> bool:
        """Moments ``first`` <= ``last`` are one, or only noise lies between them (the
        channel's own moment, one of the two, then holds no operation)."""
        if first == last:
            return True
        timeline = self.timeline
        return not timeline.moments[channel_moment].has_operations and (
            timeline.only_noise_between(first, last)
        )

    def _at_round_start(self, channel: Channel, qubit: int) -> bool:
        """At the top of a round's first gate moment, or (noise written inline) in a
        noise-only moment between a measurement/reset moment and a gate moment; on a data
        qubit (not a measure qubit, not measured in that measurement moment)."""
        if self.placement != "after":
            return False
        timeline = self.timeline
        if qubit in timeline.measure_qubits:
            return False
        previous = timeline.previous_operation_moment(channel.moment)
        if previous is not None:
            last = timeline.last_operation_in(qubit, previous)
            if last is not None and last.kind in _MEASUREMENTS:
                return False
        if timeline.moments[channel.moment].has_operations:
            return _opens_round(timeline, channel)
        if not self.inline:
            return False
        following = timeline.next_operation_moment(channel.moment)
        if following is None or previous is None:
            return False
        gate_moment = timeline.moments[following]
        return (
            gate_moment.has_gates
            and not gate_moment.has_measurements_or_resets
            and timeline.moments[previous].has_measurements_or_resets
        )

    def _home(self, qubit: int, position: int, moment: int) -> Home | None:
        timeline = self.timeline
        if timeline.moments[moment].has_operations:
            before = timeline.previous_operation(qubit, position)
            after = timeline.next_operation(qubit, position)
            before = before if before and before.moment == moment else None
            after = after if after and after.moment == moment else None
            operation = before or after if self.placement == "after" else after or before
            return Home(operation.kind if operation else "idle", moment, operation)
        previous = timeline.previous_operation_moment(moment)
        following = timeline.next_operation_moment(moment)
        use_previous = following is None or (self.placement == "after" and previous is not None)
        target = previous if use_previous else following
        if target is None:
            return None
        if use_previous:
            operation = timeline.last_operation_in(qubit, target)
        else:
            operation = timeline.first_operation_in(qubit, target)
        return Home(operation.kind if operation else "idle", target, operation)

    def _from_home(
        self, home: Home | None, qubit: int, position: int, signature: tuple = ()
    ) -> Decision:
        if home is None:
            return Decision("other", (qubit,), "the circuit has no operation to attach it to")
        operation, kind = home.operation, home.kind
        if kind == "gate2":
            return Decision("two_qubit_gate", tuple(sorted(operation.qubits)))
        if kind == "gate1":
            return Decision("single_qubit_gate", (qubit,))
        if kind == "idle":
            measuring = self.timeline.moments[home.moment].has_measurements_or_resets
            component = "measurement_idle" if measuring else "idle"
            return Decision(component, (qubit,), idle_moment=home.moment, channel=signature)
        if kind == "measure":
            return Decision("measurement", (qubit,))
        if kind == "reset":
            return Decision("reset", (qubit,))
        if kind == "measure_reset":
            return Decision("measurement" if position < operation.position else "reset", (qubit,))
        return Decision(
            "other",
            (qubit,),
            f"it follows {operation.name} on {len(operation.qubits)} qubits, which has no rule",
        )

    # ------------------------------------------------------------------ several qubits
    def _correlated(self, channel: Channel, qubits: tuple[int, ...]) -> Decision:
        if not self.timeline.has_operations():
            return Decision("other", qubits, "the circuit has no operation to attach it to")
        if len(qubits) > 2:
            return Decision("crosstalk", ())  # no coupler to name
        homes = [self._home(q, channel.position, channel.moment) for q in qubits]
        operations = {id(h.operation): h.operation for h in homes if h is not None}
        shared = next(iter(operations.values())) if len(operations) == 1 else None
        if shared is not None and set(shared.qubits) == set(qubits):
            if shared.kind == "gate2":
                return Decision("two_qubit_gate", tuple(sorted(qubits)))
            if shared.kind in _MEASUREMENTS:
                return Decision("measurement", qubits)
        return Decision("crosstalk", qubits, part=_crosstalk_kind(channel, homes))


def _crosstalk_kind(channel: Channel, homes: list[Home | None]) -> str | None:
    """``static_zz``, ``parallel``, ``spectator`` or None (plain crosstalk); see rule 5."""
    instruction = channel.instruction
    if instruction.name == "PAULI_CHANNEL_2":
        args = instruction.gate_args_copy()
        zz = args[_STATIC_ZZ[0]]
        if zz > 0 and all(
            math.isclose(a, zz, rel_tol=1e-9) if i in _STATIC_ZZ else a == 0
            for i, a in enumerate(args)
        ):
            return "static_zz"
    kinds = sorted(h.kind if h is not None else "" for h in homes)
    if kinds == ["gate2", "gate2"]:
        return "parallel"
    if kinds == ["gate2", "idle"]:
        return "spectator"
    return None
