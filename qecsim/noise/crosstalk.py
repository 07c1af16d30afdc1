"""The three kinds of crosstalk a :class:`~qecsim.noise.model.NoiseModel` adds to a tick.

Qubits are coupled where the circuit has a two-qubit gate between them (:func:`coupling_graph`).
Each function returns, for one tick, the channels of one kind as (tag, (gate, args)) ->
targets, which the applier emits:

- spectator (``crosstalk.spectator``): ZZ on (spectator, gate qubit) for each idle qubit
  coupled to a qubit of a two-qubit gate in the tick. In the bulk of a surface code every
  qubit is busy in a gate tick, so this kind lives on the boundary (grows like d).
- parallel (``crosstalk.parallel``): ZZ on each coupled pair of qubits that belong to two
  different two-qubit gates of the tick (grows like d^2).
- static ZZ (``crosstalk.static_zz``): the Pauli twirl of the conditional phase of residual
  ZZ coupling over the tick's duration, on every coupled pair that does not run a gate
  together in the tick (grows like d^2).

Old models and stores: the rate key ``crosstalk`` (a field of the model, a key of its JSON) keeps
its meaning, the spectator ZZ probability, so noise JSON written before the kinds existed
rebuilds the same channels; only their tag reads ``crosstalk.spectator`` instead of
``crosstalk`` (the DEM without tags, hence sampling and decoding, is unchanged). The plain tag
would read as "all crosstalk" next to ``crosstalk.parallel`` in a budget, so every kind carries
its part; ``parse_tag("crosstalk")`` still parses old tagged circuits (component ``crosstalk``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import stim

from qecsim.errors import QecsimError
from qecsim.noise.timing import static_zz_probability

if TYPE_CHECKING:
    from qecsim.noise.model import NoiseModel

__all__ = ["coupling_graph", "parallel", "spectator", "static_zz"]

Groups = dict[tuple[str, tuple[str, tuple[float, ...]]], list[int]]
Tagger = Callable[[str, tuple[int, ...], bool], str]

_ZZ_ONLY = (0.0,) * 14  # PAULI_CHANNEL_2 arguments IX .. ZY; ZZ is the 15th


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


def coupling_graph(circuit: stim.Circuit, graph: dict[int, set[int]] | None = None) -> dict:
    """qubit -> the qubits it shares a two-qubit gate with somewhere in ``circuit``."""
    graph = {} if graph is None else graph
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            coupling_graph(item.body_copy(), graph)
            continue
        if item.name == "TICK" or not stim.gate_data(item.name).is_unitary:
            continue
        if stim.gate_data(item.name).is_two_qubit_gate:
            qubits = [t.value for t in item.targets_copy() if t.is_qubit_target]
            for a, b in zip(qubits[::2], qubits[1::2], strict=True):
                graph.setdefault(a, set()).add(b)
                graph.setdefault(b, set()).add(a)
    return graph


def spectator(
    noise: NoiseModel, graph: dict, gates: list[tuple[int, int]], idle: set[int], tag: Tagger
) -> Groups:
    """ZZ on (idle spectator, gate qubit) pairs of one tick."""
    groups: Groups = {}
    for gate in gates:
        for gate_qubit in gate:
            for spectator_qubit in sorted(graph.get(gate_qubit, set()) & idle):
                rate = noise.rate("crosstalk", (spectator_qubit, gate_qubit))
                if rate <= 0:
                    continue
                overridden = "crosstalk" in noise.coupler_rates.get(
                    _pair(spectator_qubit, gate_qubit), {}
                )
                key = (
                    tag("crosstalk.spectator", (spectator_qubit, gate_qubit), overridden),
                    ("PAULI_CHANNEL_2", (*_ZZ_ONLY, rate)),
                )
                groups.setdefault(key, []).extend((spectator_qubit, gate_qubit))
    return groups


def parallel(noise: NoiseModel, graph: dict, gates: list[tuple[int, int]], tag: Tagger) -> Groups:
    """ZZ on coupled pairs of qubits of two different two-qubit gates of one tick."""
    groups: Groups = {}
    rate = noise.parallel_crosstalk
    if rate <= 0 or len(gates) < 2:
        return groups
    gate_of = {q: k for k, gate in enumerate(gates) for q in gate}
    for a in sorted(gate_of):
        for b in sorted(graph.get(a, set())):
            if a < b and b in gate_of and gate_of[a] != gate_of[b]:
                channel = ("PAULI_CHANNEL_2", (*_ZZ_ONLY, rate))
                key = (tag("crosstalk.parallel", (a, b), False), channel)
                groups.setdefault(key, []).extend((a, b))
    return groups


def static_zz(
    noise: NoiseModel,
    couplers: Iterable[tuple[int, int]],
    gates: list[tuple[int, int]],
    duration: float,
    tag: Tagger,
) -> Groups:
    """Twirled static-ZZ conditional phase on coupled pairs not gated together in one tick."""
    groups: Groups = {}
    if duration <= 0:
        return groups
    gated = {_pair(a, b) for a, b in gates}
    scale = noise.scales.get("crosstalk.static_zz", 1.0)
    for a, b in couplers:
        if (a, b) in gated:
            continue
        zeta = noise.static_zz_on(a, b)
        probability = scale * static_zz_probability(zeta, duration)
        if probability <= 0:
            continue
        if 3 * probability > 1:
            raise QecsimError(
                f"static ZZ of coupler {a}-{b} ({zeta:g} Hz over {duration:g} s, scaled by "
                f"{scale:g}) gives a total error 3 x {probability:.3g} > 1"
            )
        args = [0.0] * 15
        args[2] = args[11] = args[14] = probability  # IZ, ZI, ZZ
        overridden = (a, b) in noise.coupler_static_zz
        key = (tag("crosstalk.static_zz", (a, b), overridden), ("PAULI_CHANNEL_2", tuple(args)))
        groups.setdefault(key, []).extend((a, b))
    return groups
