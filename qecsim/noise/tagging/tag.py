"""``tag_noise``: tag every untagged noise channel of any stim circuit with its component."""

from __future__ import annotations

from typing import Literal, overload

import stim

from qecsim.errors import QecsimError
from qecsim.noise.components import parse_tag
from qecsim.noise.tagging.rules import (
    PLACEMENTS,
    Decision,
    Placement,
    decide,
    detect_placement,
)
from qecsim.noise.tagging.summary import TaggingSummary, UnplacedChannel
from qecsim.noise.tagging.timeline import (
    Timeline,
    format_instruction,
    has_flip_probability,
    is_noise_channel,
)

__all__ = ["tag_noise"]

_PRODUCT_GATES = frozenset({"MPP", "SPP", "SPP_DAG"})
_CHAIN = frozenset({"E", "CORRELATED_ERROR", "ELSE_CORRELATED_ERROR"})


@overload
def tag_noise(
    circuit: stim.Circuit, *, placement: str = ..., return_summary: Literal[False] = ...
) -> stim.Circuit: ...


@overload
def tag_noise(
    circuit: stim.Circuit, *, placement: str = ..., return_summary: Literal[True]
) -> tuple[stim.Circuit, TaggingSummary]: ...


def tag_noise(
    circuit: stim.Circuit, *, placement: str = "auto", return_summary: bool = False
) -> stim.Circuit | tuple[stim.Circuit, TaggingSummary]:
    """Tag every untagged noise channel of a stim circuit with its component and qubits.

    The tag of each channel comes from its place in the circuit (the rules, in order, are in
    :mod:`qecsim.noise.tagging.rules`): after a two-qubit gate on the same pair
    ``two_qubit_gate@a-b``; after a one-qubit gate ``single_qubit_gate@q``; on a qubit idle
    in a gate moment (no operation, or ``I``) ``idle@q``, in a moment with measurements or
    resets ``measurement_idle@q`` (or ``idle@q`` when the circuit idles alike in every
    tick); a flip right before a measurement, or a measurement's own
    probability (``M(p)``), ``measurement@q``; a flip right after a reset ``reset@q`` (an
    ``MR`` gets ``measurement`` before and ``reset`` after, as :class:`NoiseModel` writes
    it); depolarization at the top of a round's first gate moment ``data_depolarization@q``
    (data qubits only); a two-qubit channel between qubits that share no gate there
    ``crosstalk@a-b``, with its kind where it shows (``crosstalk.static_zz``,
    ``crosstalk.parallel``, ``crosstalk.spectator``); anything else ``other`` (never dropped,
    listed in the summary with its line).

    Noise may follow its operation or precede it, in the same moment or in noise-only
    moments of its own between operation moments (Google's published circuits), inside
    ``REPEAT`` blocks (tagged once, as most iterations see them), next to ``sweep[k]``- or
    ``rec[-k]``-controlled gates, ``MPP`` and heralded channels. Channels that already carry
    a tag keep it; ``I_ERROR``/``II_ERROR`` (no error) are left as they are. An instruction
    whose targets get different tags is split into consecutive instructions, in target
    order, with the same arguments: the circuit's probabilities, measurement record and
    detector error model (tags aside) do not change.

    Args:
        circuit: Any stim circuit.
        placement: ``"auto"`` (detect from the channels next to gates on their qubits),
            ``"after"`` (noise follows its operation: stim, qecsim, Google) or
            ``"before"`` (noise precedes it; then ``data_depolarization`` is not
            recognised, since it cannot be told from gate noise).
        return_summary: Also return a :class:`TaggingSummary` (counts per component, the
            lines tagged ``other``, notes such as "no TICKs: idle noise cannot be told from
            gate noise").

    Returns:
        The tagged circuit, or ``(circuit, summary)`` with ``return_summary=True``.

    Raises:
        QecsimError: ``circuit`` is not a ``stim.Circuit``, or an unknown ``placement``.

    Examples:
        >>> import stim
        >>> circuit = stim.Circuit('''
        ...     R 0 1
        ...     X_ERROR(0.01) 0 1
        ...     TICK
        ...     CZ 0 1
        ...     DEPOLARIZE2(0.02) 0 1
        ...     TICK
        ...     H 0
        ...     DEPOLARIZE1(0.001) 0 1
        ...     TICK
        ...     M(0.03) 0 1
        ... ''')
        >>> tagged, summary = tag_noise(circuit, return_summary=True)
        >>> print(tagged)
        R 0 1
        X_ERROR[reset@0](0.01) 0
        X_ERROR[reset@1](0.01) 1
        TICK
        CZ 0 1
        DEPOLARIZE2[two_qubit_gate@0-1](0.02) 0 1
        TICK
        H 0
        DEPOLARIZE1[single_qubit_gate@0](0.001) 0
        DEPOLARIZE1[idle@1](0.001) 1
        TICK
        M[measurement@0](0.03) 0
        M[measurement@1](0.03) 1
        >>> summary.counts["reset"], summary.num_other
        (2, 0)
    """
    if not isinstance(circuit, stim.Circuit):
        raise QecsimError(f"circuit is a {type(circuit).__name__}, not a stim.Circuit")
    if placement not in PLACEMENTS:
        raise QecsimError(f"placement={placement!r} is not one of {', '.join(PLACEMENTS)}")
    timeline = Timeline(circuit)
    chosen = detect_placement(timeline, placement)
    decisions = decide(timeline, chosen)
    kept: dict[str, int] = {}
    tagged = _rebuild(circuit, decisions, [0], kept)
    if not return_summary:
        return tagged
    return tagged, _summary(timeline, decisions, kept, chosen, placement)


def _rebuild(
    circuit: stim.Circuit,
    decisions: dict[int, list[Decision]],
    position: list[int],
    kept: dict[str, int],
) -> stim.Circuit:
    """The circuit with each decided instruction split into runs of one tag each.

    Positions count instructions in text order (REPEAT bodies once): the channels'
    ordinals. An untagged ``ELSE_CORRELATED_ERROR`` after a tagged one (or a tagged ``E``)
    takes its chain's tag.
    """
    out = stim.Circuit()
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            body = _rebuild(item.body_copy(), decisions, position, kept)
            out.append(stim.CircuitRepeatBlock(item.repeat_count, body, tag=item.tag))
            continue
        position[0] += 1
        group_decisions = decisions.get(position[0])
        if group_decisions is None:
            if item.name == "ELSE_CORRELATED_ERROR" and not item.tag and len(out):
                head = out[len(out) - 1]
                if isinstance(head, stim.CircuitInstruction) and head.name in _CHAIN:
                    item = stim.CircuitInstruction(
                        item.name, item.targets_copy(), item.gate_args_copy(), tag=head.tag
                    )
            if item.tag and (is_noise_channel(item.name) or has_flip_probability(item)):
                parsed = parse_tag(item.tag)
                key = parsed.key if parsed is not None else item.tag
                kept[key] = kept.get(key, 0) + len(item.target_groups())
            out.append(item)
            continue
        for tag, groups in _runs(item.target_groups(), group_decisions):
            targets = _join(item.name, groups)
            out.append(stim.CircuitInstruction(item.name, targets, item.gate_args_copy(), tag=tag))
    return out


def _runs(groups: list, decisions: list[Decision]) -> list[tuple[str, list]]:
    runs: list[tuple[str, list]] = []
    for group, decision in zip(groups, decisions, strict=True):
        if runs and runs[-1][0] == decision.tag:
            runs[-1][1].append(group)
        else:
            runs.append((decision.tag, [group]))
    return runs


def _join(name: str, groups: list[list[stim.GateTarget]]) -> list[stim.GateTarget]:
    targets: list[stim.GateTarget] = []
    for group in groups:
        if name in _PRODUCT_GATES:
            for i, target in enumerate(group):
                if i:
                    targets.append(stim.target_combiner())
                targets.append(target)
        else:
            targets.extend(group)
    return targets


def _summary(
    timeline: Timeline,
    decisions: dict[int, list[Decision]],
    kept: dict[str, int],
    placement: Placement,
    requested: str,
) -> TaggingSummary:
    counts: dict[str, int] = {}
    unplaced = []
    for channel in timeline.channels:
        reasons = []
        for decision in decisions[channel.ordinal]:
            counts[decision.component] = counts.get(decision.component, 0) + 1
            if decision.component == "other" and decision.reason not in reasons:
                reasons.append(decision.reason)
        if reasons:
            text = format_instruction(channel.instruction)
            unplaced.append(UnplacedChannel(channel.line, text, "; ".join(reasons)))
    return TaggingSummary(
        counts=counts,
        kept=kept,
        unplaced=tuple(unplaced),
        placement=placement.side,
        has_ticks=timeline.has_ticks,
        notes=tuple(_notes(timeline, placement, requested)),
    )


def _notes(timeline: Timeline, placement: Placement, requested: str) -> list[str]:
    notes = []
    if not timeline.channels:
        notes.append("the circuit has no untagged noise channels")
    if timeline.channels and not timeline.has_ticks:
        notes.append(
            "the circuit has no TICKs, so every channel goes to the nearest operation on its "
            "qubits: idle noise cannot be told from gate noise, and depolarization of data "
            "qubits at the start of a round (stim's before_round_data_depolarization) reads "
            "as reset or gate noise (add TICKs between the moments to separate them)"
        )
    if timeline.channels and not placement.inline:
        notes.append(
            "noise sits in noise-only moments of its own (as in Google's circuits): a "
            "depolarization in the moment after a measurement or reset reads as that moment's "
            "measurement_idle, not as data_depolarization"
        )
    if placement.side == "before":
        how = "detected" if requested == "auto" else "as requested"
        notes.append(
            f"noise precedes its operations ({how}); data_depolarization is not recognised "
            "with this placement (it reads as gate or idle noise)"
        )
    return notes
