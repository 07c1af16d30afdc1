"""The budget of your own circuits: check them, tag them, plan their sample sets.

:func:`qecsim.error_budget` takes a ``stim.Circuit`` (one distance: elasticities and shares, no
1/Lambda) or a mapping ``{distance: stim.Circuit}`` (1/Lambda and what-if as for a noise
model). This module turns them into :class:`~qecsim.budget.worker.CircuitSampleConfig` s:

- rounds: given (one integer, or ``{distance: rounds}``), else from the time coordinate of
  each circuit's detectors (an error when neither works);
- the distance of a lone circuit: its graphlike circuit distance;
- untagged noise is tagged with :func:`qecsim.tag_noise`, and the budget says so (a note in its
  table and JSON); a channel tag_noise cannot place (``other``), or a tag that is not a qecsim
  component, is an error naming its line, before any sampling;
- ``by="qubit"`` splits channels whose tags name no qubits per qubit;
- finite differences and ablation scale a component's channels in the circuit (by their
  tags, :mod:`qecsim.noise.tagging.scaling`), so their rows may be parts
  (``crosstalk.static_zz``) where the tags name parts;
- each row's rate is the mean probability of its channels (the sum of a channel's
  arguments, per target group) over the circuits;
- per-qubit attribution and the heatmap use the circuits' own ``QUBIT_COORDS``;
- each circuit's qubits are those its operations act on (``QUBIT_COORDS`` aside), which
  size the teraquop footprint of what-if projections when they follow a code family.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import stim

from qecsim.budget.worker import CircuitSampleConfig, key_order
from qecsim.circuits.files import circuit_text
from qecsim.errors import QecsimError, describe
from qecsim.noise.components import parse_tag
from qecsim.noise.tagging import check_tagged, split_by_qubit
from qecsim.sampling.circuit_tasks import UserCircuit, read_user_circuits

__all__ = ["CircuitPlan", "channel_rates", "is_circuit_input", "plan_circuits", "used_qubits"]


@dataclasses.dataclass(frozen=True)
class CircuitPlan:
    """Everything :func:`qecsim.error_budget` needs from circuits, checked.

    Attributes:
        distances: The distances, increasing.
        nominal: One configuration per distance (in that order).
        variants: (key, factor, distance) -> configuration, for the method's scaled runs
            (the channels tagged with exactly that key scaled).
        keys: The budget keys the circuits' tags hold (component or component.part).
        rates: key (and component) -> mean probability of its channels.
        notes: What the budget says about its input (tagging).
        coordinates: distance -> qubit -> coordinates (``QUBIT_COORDS``).
        hashes: distance -> SHA-256 of the tagged circuit's text (first 24 hex digits).
        num_qubits: distance -> the qubits the circuit's operations act on.
    """

    distances: tuple[int, ...]
    nominal: list[CircuitSampleConfig]
    variants: dict[tuple[str, float, int], CircuitSampleConfig]
    keys: tuple[str, ...]
    rates: dict[str, float]
    notes: tuple[str, ...]
    coordinates: dict[int, dict[int, tuple[float, ...]]]
    hashes: dict[int, str]
    num_qubits: dict[int, int]


def used_qubits(circuit: stim.Circuit) -> int:
    """How many qubits the circuit's operations act on (``QUBIT_COORDS`` alone counts none).

    Examples:
        >>> circuit = stim.Circuit("CX 2 9")
        >>> circuit.insert(0, stim.CircuitInstruction("QUBIT_COORDS", [0], [0, 0]))
        >>> used_qubits(circuit), circuit.num_qubits
        (2, 10)
    """
    return len({
        target.value
        for instruction in circuit.flattened() if instruction.name != "QUBIT_COORDS"
        for target in instruction.targets_copy() if target.is_qubit_target
    })


def is_circuit_input(value: Any) -> bool:
    """Whether ``value`` is a ``stim.Circuit`` or a mapping whose values are circuits."""
    if isinstance(value, stim.Circuit):
        return True
    return isinstance(value, Mapping) and bool(value) and all(
        isinstance(c, stim.Circuit) for c in value.values()
    )


def _read(circuits: Any, rounds: Any) -> list[UserCircuit]:
    if isinstance(circuits, Mapping) and not all(
        isinstance(c, stim.Circuit) for c in circuits.values()
    ):
        bad = next(c for c in circuits.values() if not isinstance(c, stim.Circuit))
        raise QecsimError(f"circuits has the value {describe(bad)}: expected stim.Circuit")
    if isinstance(rounds, bool) or (
        rounds is not None and not isinstance(rounds, (int, Mapping))
    ):
        raise QecsimError(
            f"rounds={describe(rounds)} is not None, an integer or {{distance: rounds}}"
        )
    return read_user_circuits(circuits, rounds=rounds)


def _check_tags(user: UserCircuit) -> None:
    """No ``other`` left by tag_noise, every tag a qecsim component (errors name the line)."""
    if user.summary is not None and user.summary.num_other:
        first = user.summary.unplaced[0]
        raise QecsimError(
            f"circuit d={user.distance}: tag_noise could not place "
            f"{user.summary.num_other} noise channels ({first}); tag them yourself "
            "(a stim tag such as [idle@3]) and run the budget again"
        )
    check_tagged(user.circuit, what=f"circuit d={user.distance}")


def channel_rates(circuits: Iterable[stim.Circuit]) -> dict[str, float]:
    """Each budget key's rate: the mean probability of its channels in the circuits.

    A channel's probability is the sum of its arguments (the total of a Pauli channel) for
    each of its target groups (each qubit of ``DEPOLARIZE1``, each pair of ``DEPOLARIZE2``);
    a component's rate averages all its parts' channels. Keys with no channel are absent.

    Examples:
        >>> channel_rates([stim.Circuit("DEPOLARIZE1[idle](0.001) 0 1"),
        ...                stim.Circuit("PAULI_CHANNEL_1[idle@2](0.001, 0, 0.003) 2")])
        {'idle': 0.002}
    """
    totals: dict[str, list[float]] = {}
    for circuit in circuits:
        _channel_rates(circuit, totals, set())
    return {key: total / count for key, (total, count) in totals.items() if count}


def _channel_rates(
    circuit: stim.Circuit, totals: dict[str, list[float]], keys: set[str]
) -> None:
    """Add each tagged channel's probability (per target group) to its key and component.

    ``CORRELATED_ERROR`` terms with one tag on the qubits of one two-qubit gate of the tick
    (how :class:`~qecsim.NoiseModel` writes a two-qubit part, term by term) are one channel,
    whose probability is the sum of its terms.
    """
    pair_of: dict[int, tuple[int, int]] = {}  # qubit -> its two-qubit gate in this tick
    terms: set[tuple] = set()  # the gate channels already counted
    tick = 0
    for instruction in circuit.flattened():
        name = instruction.name
        if name == "TICK":
            tick, pair_of = tick + 1, {}
            continue
        data = stim.gate_data(name)
        if data.is_two_qubit_gate and data.is_unitary:
            values = [t.value for t in instruction.targets_copy()]
            for a, b in zip(values[::2], values[1::2], strict=True):
                pair_of[a] = pair_of[b] = (a, b)
        tag = parse_tag(instruction.tag) if instruction.tag else None
        args = instruction.gate_args_copy()
        if tag is None or not args:
            continue
        keys.add(tag.key)
        groups = len(instruction.target_groups()) or 1
        if name == "E":
            pairs = {pair_of.get(t.value) for t in instruction.targets_copy()}
            if len(pairs) == 1 and None not in pairs:
                channel = (tag.key, pairs.pop(), tick)
                groups = 0 if channel in terms else 1  # a further term of a counted channel
                terms.add(channel)
        for key in {tag.key, tag.component}:
            total = totals.setdefault(key, [0.0, 0])
            total[0] += sum(args) * max(groups, 1)
            total[1] += groups


def _notes(users: list[UserCircuit]) -> tuple[str, ...]:
    tagged = [u for u in users if u.summary is not None]
    if not tagged:
        return ()
    distances = ", ".join(str(u.distance) for u in tagged)
    channels = sum(u.summary.total for u in tagged)
    which = "circuit" if len(tagged) == 1 else "circuits"
    return (
        f"the noise of the {which} (d = {distances}) was untagged: qecsim.tag_noise tagged "
        f"{channels} channels from their place in the circuit (help(qecsim.tag_noise))",
    )


def _users_by_distance(circuits: Any, rounds: Any) -> list[UserCircuit]:
    users = _read(circuits, rounds)
    distances = [u.distance for u in users]
    if len(set(distances)) != len(distances):
        raise QecsimError(f"the circuits' distances {distances} repeat")  # from a mapping: never
    return sorted(users, key=lambda u: u.distance)


def plan_circuits(
    circuits: Any, *, rounds: Any, decoder: str, method: str, by: str, delta: float
) -> CircuitPlan:
    """Check the circuits and make the sample sets of the method (before any sampling).

    Raises:
        QecsimError: A bad circuit or rounds, channels tag_noise cannot place, tags that are
            not qecsim components, a scaled channel beyond its range (finite differences).
    """
    users = _users_by_distance(circuits, rounds)
    totals: dict[str, list[float]] = {}
    plain: set[str] = set()  # the keys channels are tagged with
    texts, coordinates = {}, {}
    for user in users:
        _check_tags(user)
        circuit = split_by_qubit(user.circuit) if by == "qubit" else user.circuit
        _channel_rates(circuit, totals, plain)
        texts[user.distance] = circuit_text(circuit)
        coordinates[user.distance] = {
            q: tuple(c) for q, c in circuit.get_final_qubit_coordinates().items()
        }
    rates = {key: total / count for key, (total, count) in totals.items() if count}
    keys = tuple(sorted((k for k in plain if rates.get(k, 0.0) > 0), key=key_order))
    if not keys:
        raise QecsimError("the circuits have no noise channel with a nonzero probability: "
                          "nothing to budget")
    rounds_of = {u.distance: u.rounds for u in users}

    def config(d: int, scales: tuple, score: bool) -> CircuitSampleConfig:
        return CircuitSampleConfig(texts[d], scales, d, rounds_of[d], decoder, score)

    distances = tuple(rounds_of)
    nominal = [config(d, (), method == "likelihood_ratio") for d in distances]
    steps = {"finite_difference": (1 + delta, 1 / (1 + delta)), "ablation": (0.0,)}
    variants = {
        (key, s, d): config(d, ((key, s),), False)
        for key in (keys if method in steps else ())
        for s in steps[method]
        for d in distances
    }
    if method == "finite_difference":
        for (_, s, _), variant in variants.items():
            if s > 1:
                variant.circuit()  # raises if a scaled channel leaves its range
    hashes = {d: hashlib.sha256(texts[d].encode()).hexdigest()[:24] for d in distances}
    return CircuitPlan(distances, nominal, variants, keys, rates, _notes(users), coordinates,
                       hashes, {u.distance: used_qubits(u.circuit) for u in users})
