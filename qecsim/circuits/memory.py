"""Noiseless memory-experiment circuits (rotated surface code, repetition code).

A builder lays out qubits with coordinates and emits ``TICK``-separated moments,
``DETECTOR``s with coordinates (x, y, t) and one ``OBSERVABLE_INCLUDE``. Data qubits are
marked at the start of every round with ``I_ERROR[data_depolarization]``, a stim no-op
that :meth:`qecsim.NoiseModel.noisy_circuit` turns into the data-depolarization channel.
"""

from __future__ import annotations

import functools
import warnings

import stim

from qecsim.circuits.layouts import Layout, repetition_code_layout, rotated_surface_code_layout
from qecsim.errors import QecsimError, describe
from qecsim.noise.components import DATA_ROUND_MARKER, GATE_SETS
from qecsim.noise.model import NoiseModel
from qecsim.validation import check_int

__all__ = ["CODES", "GATE_SETS", "MAX_DISTANCE", "MAX_ROUNDS", "default_rounds", "memory_circuit"]

#: Code families :func:`memory_circuit` builds.
CODES: tuple[str, ...] = ("rotated_surface_code", "repetition_code")

MAX_DISTANCE = 99
MAX_ROUNDS = 1_000_000


def _round(layout: Layout, gate_set: str) -> stim.Circuit:
    """One round of syndrome extraction, from the data marker to the ancilla measurement."""
    c = stim.Circuit()
    c.append(stim.CircuitInstruction("I_ERROR", list(layout.data), tag=DATA_ROUND_MARKER))
    if gate_set == "cz":
        return c + _cz_round_body(layout)
    x_ancillas = sorted(layout.x_ancillas)
    if x_ancillas:
        c.append("H", x_ancillas)
    c.append("TICK")
    for layer in layout.layers:
        c.append("CX", [q for pair in layer for q in pair])
        c.append("TICK")
    if x_ancillas:
        c.append("H", x_ancillas)
        c.append("TICK")
    c.append("MR", list(layout.ancillas))
    return c


def _cz_round_body(layout: Layout) -> stim.Circuit:
    """The CNOT round compiled to CZ: CX(c, t) = H(t) CZ(c, t) H(t), Hadamard layers merged.

    The Hadamards after one CZ layer and before the next act on the same qubit twice where
    that qubit is a target in both layers; those pairs cancel, so between two CZ layers only
    the qubits whose role changes get a Hadamard (one single-qubit layer between CZ layers,
    as hardware runs it). The X-check Hadamards merge into the first and last layers. The CZ
    layers keep the CNOT layers' hook-safe order.
    """
    c = stim.Circuit()
    targets = [{t for _, t in layer} for layer in layout.layers]
    boundaries = [set(layout.x_ancillas) ^ targets[0]]
    boundaries += [targets[k] ^ targets[k + 1] for k in range(len(targets) - 1)]
    boundaries.append(targets[-1] ^ set(layout.x_ancillas))
    for k, layer in enumerate(layout.layers):
        if boundaries[k]:
            c.append("H", sorted(boundaries[k]))
        if boundaries[k] or k == 0:
            c.append("TICK")
        c.append("CZ", [q for pair in layer for q in pair])
        c.append("TICK")
    if boundaries[-1]:
        c.append("H", sorted(boundaries[-1]))
        c.append("TICK")
    c.append("MR", list(layout.ancillas))
    return c


def _build(layout: Layout, *, rounds: int, basis: str, gate_set: str) -> stim.Circuit:
    c = stim.Circuit()
    for q, (x, y) in sorted(layout.coords.items()):
        c.append("QUBIT_COORDS", [q], [x, y])
    c.append("R" if basis == "Z" else "RX", list(layout.data))
    c.append("R", list(layout.ancillas))
    c.append("TICK")
    num_ancillas = len(layout.ancillas)
    position = {a: i for i, a in enumerate(layout.ancillas)}
    basis_ancillas = [a for a in layout.ancillas if (a in layout.x_ancillas) == (basis == "X")]

    def detector(recs: list[int], ancilla: int, t: int) -> stim.CircuitInstruction:
        x, y = layout.coords[ancilla]
        return stim.CircuitInstruction("DETECTOR", [stim.target_rec(r) for r in recs], [x, y, t])

    c += _round(layout, gate_set)
    for a in basis_ancillas:  # first round: only checks of the basis are deterministic
        c.append(detector([position[a] - num_ancillas], a, 0))
    if rounds > 1:
        body = stim.Circuit()
        body.append("TICK")
        body += _round(layout, gate_set)
        body.append("SHIFT_COORDS", [], [0, 0, 1])
        for a in layout.ancillas:
            rec = position[a] - num_ancillas
            body.append(detector([rec, rec - num_ancillas], a, 0))
        c.append(stim.CircuitRepeatBlock(rounds - 1, body))
    c.append("TICK")
    num_data = len(layout.data)
    data_position = {q: i for i, q in enumerate(layout.data)}
    c.append("M" if basis == "Z" else "MX", list(layout.data))
    for a in basis_ancillas:
        recs = [data_position[q] - num_data for q in layout.support[a]]
        recs.append(position[a] - num_ancillas - num_data)
        c.append(detector(recs, a, 1))
    c.append(
        "OBSERVABLE_INCLUDE",
        [stim.target_rec(data_position[q] - num_data) for q in layout.observable],
        [0],
    )
    return c


def default_rounds(*, distance: int, noise: NoiseModel | str | None = None) -> int:
    """Rounds when none are given: the distance, or one for the code-capacity preset.

    Args:
        distance: The code distance.
        noise: The noise model, or its preset name.

    Examples:
        >>> default_rounds(distance=5)
        5
        >>> default_rounds(distance=5, noise=NoiseModel.code_capacity(0.1))
        1
    """
    name = noise.name if isinstance(noise, NoiseModel) else noise
    return 1 if name == "code_capacity" else distance




def memory_circuit(
    code: str = "rotated_surface_code",
    *,
    distance: int,
    rounds: int | None = None,
    basis: str = "Z",
    noise: NoiseModel | None = None,
    gate_set: str | None = None,
    tag_qubits: bool = False,
) -> stim.Circuit:
    """A memory experiment: prepare a logical basis state, measure stabilizers, read it out.

    The rotated surface code uses 2 d^2 - 1 qubits (indices 0 .. 2 d^2 - 2, sorted by
    coordinates), measure qubits reset and measured with ``MR`` each round, X checks
    between Hadamards, and a CNOT order whose hook errors run perpendicular to the
    logical operator they could shorten, so the circuit keeps the full distance. The
    repetition code uses 2 d - 1 qubits on a line. Detector coordinates are (x, y, t).

    Gate sets (:data:`GATE_SETS`): ``"cx"`` runs each check with CNOTs (X checks between
    Hadamards on the check qubit), the circuits of ``stim.Circuit.generated``. ``"cz"`` runs
    the same checks in the same hook-safe order with CZ, as superconducting processors do:
    each CNOT becomes CZ with Hadamards on its target, and the Hadamards between two CZ
    layers are merged (a qubit that is a target in both layers needs none), which leaves one
    single-qubit layer before, between and after the four CZ layers. Both gate sets measure
    the same stabilizers with the same detectors.

    Args:
        code: One of :data:`CODES`.
        distance: Code distance, in [2, 99].
        rounds: Rounds of syndrome extraction, in [1, 1000000]; None means ``distance``
            (one round for the ``code_capacity`` preset).
        basis: ``"Z"`` (protects against X errors) or ``"X"``.
        noise: A noise model to apply; None for the noiseless circuit.
        gate_set: ``"cx"`` or ``"cz"``; None means the noise model's
            (:attr:`NoiseModel.gate_set`: ``"cz"`` for SI1000, ``"cx"`` for SD6 and
            ``uniform_depolarizing``), or ``"cx"`` without a noise model.
        tag_qubits: Tag every noise channel with its qubits (per-qubit attribution).

    Returns:
        The circuit, with qubit coordinates, detectors and one logical observable.

    Raises:
        QecsimError: Unknown code or gate set, bad distance, rounds or basis.

    Warns:
        UserWarning: The noise model's crosstalk lowers the graphlike circuit distance below
            ``distance`` (checked for d <= 11, on two rounds), naming the new distance.

    Examples:
        >>> circuit = memory_circuit(distance=3, rounds=2)
        >>> circuit.num_qubits, circuit.num_detectors, circuit.num_observables
        (17, 16, 1)
        >>> noisy = memory_circuit("repetition_code", distance=5, noise=NoiseModel.sd6(1e-3))
        >>> len(noisy.shortest_graphlike_error())
        5
        >>> cz = memory_circuit(distance=3, rounds=1, gate_set="cz")
        >>> sorted({instruction.name for instruction in cz if instruction.name in ("CX", "CZ")})
        ['CZ']
    """
    if code not in CODES:
        raise QecsimError(f"unknown code {code!r}; valid codes: {', '.join(CODES)}")
    distance = check_int("distance", distance, 2, MAX_DISTANCE)
    if isinstance(basis, str):
        basis = basis.upper()
    if basis not in ("X", "Z"):
        raise QecsimError(f"basis={basis!r} is not 'X' or 'Z'")
    if noise is not None and not isinstance(noise, NoiseModel):
        raise QecsimError(f"noise={describe(noise)} is not a qecsim.NoiseModel or None")
    if rounds is None:
        rounds = default_rounds(distance=distance, noise=noise)
    rounds = check_int("rounds", rounds, 1, MAX_ROUNDS)
    if gate_set is None:
        gate_set = "cx" if noise is None else noise.gate_set
    if gate_set not in GATE_SETS:
        raise QecsimError(f"gate_set={gate_set!r} is not one of {', '.join(GATE_SETS)}")
    if code == "rotated_surface_code":
        layout = rotated_surface_code_layout(distance, basis)
    else:
        layout = repetition_code_layout(distance, basis)
    circuit = _build(layout, rounds=rounds, basis=basis, gate_set=gate_set)
    if noise is None:
        return circuit
    if noise.crosstalk_kinds_in_use():
        _warn_if_distance_drops(layout, noise, code=code, distance=distance, basis=basis,
                                gate_set=gate_set)
    return noise.noisy_circuit(circuit, tag_qubits=tag_qubits)


# Largest distance whose graphlike distance memory_circuit checks (the search grows fast).
MAX_CHECKED_DISTANCE = 11


@functools.lru_cache(maxsize=256)
def _graphlike_distance(noise_json: str, code: str, distance: int, basis: str, gate_set: str):
    noise = NoiseModel.from_json(noise_json)
    layout = (rotated_surface_code_layout if code == "rotated_surface_code"
              else repetition_code_layout)(distance, basis)
    circuit = noise.noisy_circuit(_build(layout, rounds=2, basis=basis, gate_set=gate_set))
    try:
        return len(circuit.shortest_graphlike_error(ignore_ungraphlike_errors=True))
    except ValueError:  # no graphlike logical error at all: nothing lowers the distance
        return distance


def _warn_if_distance_drops(
    layout: Layout, noise: NoiseModel, *, code: str, distance: int, basis: str, gate_set: str
) -> None:
    """Warn when crosstalk lowers the graphlike circuit distance below the code distance."""
    if distance > MAX_CHECKED_DISTANCE:
        return
    found = _graphlike_distance(noise.to_json(), code, distance, basis, gate_set)
    if found < distance:
        warnings.warn(
            f"the noise model lowers the graphlike circuit distance of this d={distance} "
            f"{code} ({basis} basis, gate set {gate_set}) to {found}: its crosstalk spreads "
            "from a check qubit to data qubits like a hook error",
            UserWarning,
            stacklevel=3,
        )
