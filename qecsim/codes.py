"""Noiseless memory-experiment circuits (rotated surface code, repetition code).

A builder lays out qubits with coordinates and emits ``TICK``-separated moments,
``DETECTOR``s with coordinates (x, y, t) and one ``OBSERVABLE_INCLUDE``. Data qubits are
marked at the start of every round with ``I_ERROR[data_depolarization]``, a stim no-op
that :meth:`qecsim.NoiseModel.noisy_circuit` turns into the data-depolarization channel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import stim

from qecsim.errors import QecsimError
from qecsim.noise import DATA_ROUND_MARKER, NoiseModel

__all__ = ["CODES", "check_int", "default_rounds", "memory_circuit"]

#: Code families :func:`memory_circuit` builds.
CODES: tuple[str, ...] = ("rotated_surface_code", "repetition_code")

MAX_DISTANCE = 99
MAX_ROUNDS = 1_000_000


@dataclass(frozen=True)
class _Layout:
    """Qubits of a code: coordinates, check types, CNOT layers, the logical observable."""

    coords: dict[int, tuple[int, int]]
    data: tuple[int, ...]
    ancillas: tuple[int, ...]
    x_ancillas: frozenset[int]
    # Each layer is a list of (control, target) pairs acting in one moment.
    layers: tuple[tuple[tuple[int, int], ...], ...]
    # The data qubits a check touches, per ancilla.
    support: dict[int, tuple[int, ...]]
    observable: tuple[int, ...]


def _index(points: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    return {point: i for i, point in enumerate(sorted(points, key=lambda xy: (xy[1], xy[0])))}


def _rotated_surface_code(distance: int, basis: str) -> _Layout:
    # Data at odd (x, y); measure qubits at even (x, y). X-type checks where (x + y)/2 is even;
    # X checks line the top and bottom boundaries, Z checks the left and right ones. Logical Z
    # is a row of Zs, logical X a column of Xs.
    d = distance
    data_points = [(x, y) for x in range(1, 2 * d, 2) for y in range(1, 2 * d, 2)]
    ancilla_points = []
    for x in range(0, 2 * d + 1, 2):
        for y in range(0, 2 * d + 1, 2):
            is_x = (x + y) // 2 % 2 == 0
            on_top_bottom = y in (0, 2 * d)
            on_left_right = x in (0, 2 * d)
            if on_top_bottom and on_left_right:
                continue
            if (on_top_bottom and not is_x) or (on_left_right and is_x):
                continue
            ancilla_points.append((x, y))
    index = _index(data_points + ancilla_points)
    data_set = set(data_points)
    # Hook errors run along the last two CNOTs of a check: X checks end on a row (harmless
    # for the column-shaped logical X), Z checks end on a column (harmless for the row-shaped
    # logical Z). Both orders share their first and last steps, so the checks commute.
    x_order = ((-1, -1), (1, -1), (-1, 1), (1, 1))
    z_order = ((-1, -1), (-1, 1), (1, -1), (1, 1))
    layers: list[list[tuple[int, int]]] = [[] for _ in range(4)]
    support: dict[int, tuple[int, ...]] = {}
    x_ancillas = set()
    for x, y in ancilla_points:
        ancilla = index[(x, y)]
        is_x = (x + y) // 2 % 2 == 0
        if is_x:
            x_ancillas.add(ancilla)
        touched = []
        for step, (dx, dy) in enumerate(x_order if is_x else z_order):
            neighbour = (x + dx, y + dy)
            if neighbour not in data_set:
                continue
            q = index[neighbour]
            touched.append(q)
            layers[step].append((ancilla, q) if is_x else (q, ancilla))
        support[ancilla] = tuple(sorted(touched))
    if basis == "Z":
        observable = tuple(index[(x, 1)] for x in range(1, 2 * d, 2))
    else:
        observable = tuple(index[(1, y)] for y in range(1, 2 * d, 2))
    return _Layout(
        coords={q: xy for xy, q in index.items()},
        data=tuple(sorted(index[p] for p in data_points)),
        ancillas=tuple(sorted(index[p] for p in ancilla_points)),
        x_ancillas=frozenset(x_ancillas),
        layers=tuple(tuple(layer) for layer in layers),
        support=support,
        observable=observable,
    )


def _repetition_code(distance: int, basis: str) -> _Layout:
    # Data at even x, checks at odd x between them; Z_i Z_i+1 checks for basis Z and
    # X_i X_i+1 checks (ancilla as control between Hadamards) for basis X.
    index = _index([(x, 0) for x in range(2 * distance - 1)])
    data = tuple(index[(x, 0)] for x in range(0, 2 * distance - 1, 2))
    ancillas = tuple(index[(x, 0)] for x in range(1, 2 * distance - 1, 2))
    is_x = basis == "X"
    layers: list[list[tuple[int, int]]] = [[], []]
    support = {}
    for i, ancilla in enumerate(ancillas):
        left, right = data[i], data[i + 1]
        support[ancilla] = (left, right)
        for step, q in enumerate((left, right)):
            layers[step].append((ancilla, q) if is_x else (q, ancilla))
    return _Layout(
        coords={q: xy for xy, q in index.items()},
        data=data,
        ancillas=ancillas,
        x_ancillas=frozenset(ancillas if is_x else ()),
        layers=tuple(tuple(layer) for layer in layers),
        support=support,
        observable=(data[0],),
    )


def _round(layout: _Layout) -> stim.Circuit:
    """One round of syndrome extraction, from the data marker to the ancilla measurement."""
    c = stim.Circuit()
    c.append(stim.CircuitInstruction("I_ERROR", list(layout.data), tag=DATA_ROUND_MARKER))
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


def _build(layout: _Layout, *, rounds: int, basis: str) -> stim.Circuit:
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

    c += _round(layout)
    for a in basis_ancillas:  # first round: only checks of the basis are deterministic
        c.append(detector([position[a] - num_ancillas], a, 0))
    if rounds > 1:
        body = stim.Circuit()
        body.append("TICK")
        body += _round(layout)
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


def check_int(name: str, value: object, low: int, high: int) -> int:
    """``value`` if it is an integer in [low, high], else a QecsimError naming it and the range.

    Examples:
        >>> check_int("distance", 3, 2, 99)
        3
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise QecsimError(f"{name}={value!r} is not an integer in [{low}, {high}]")
    if not low <= value <= high:
        raise QecsimError(f"{name}={value!r} is not in [{low}, {high}]")
    return int(value)


def memory_circuit(
    code: str = "rotated_surface_code",
    *,
    distance: int,
    rounds: int | None = None,
    basis: str = "Z",
    noise: NoiseModel | None = None,
    tag_qubits: bool = False,
) -> stim.Circuit:
    """A memory experiment: prepare a logical basis state, measure stabilizers, read it out.

    The rotated surface code uses 2 d^2 - 1 qubits (indices 0 .. 2 d^2 - 2, sorted by
    coordinates), measure qubits reset and measured with ``MR`` each round, X checks
    between Hadamards, and a CNOT order whose hook errors run perpendicular to the
    logical operator they could shorten, so the circuit keeps the full distance. The
    repetition code uses 2 d - 1 qubits on a line. Detector coordinates are (x, y, t).

    Args:
        code: One of :data:`CODES`.
        distance: Code distance, in [2, 99].
        rounds: Rounds of syndrome extraction, in [1, 1000000]; None means ``distance``
            (one round for the ``code_capacity`` preset).
        basis: ``"Z"`` (protects against X errors) or ``"X"``.
        noise: A noise model to apply; None for the noiseless circuit.
        tag_qubits: Tag every noise channel with its qubits (per-qubit attribution).

    Returns:
        The circuit, with qubit coordinates, detectors and one logical observable.

    Raises:
        QecsimError: Unknown code, bad distance, rounds or basis.

    Examples:
        >>> circuit = memory_circuit(distance=3, rounds=2)
        >>> circuit.num_qubits, circuit.num_detectors, circuit.num_observables
        (17, 16, 1)
        >>> noisy = memory_circuit("repetition_code", distance=5, noise=NoiseModel.sd6(1e-3))
        >>> len(noisy.shortest_graphlike_error())
        5
    """
    if code not in CODES:
        raise QecsimError(f"unknown code {code!r}; valid codes: {', '.join(CODES)}")
    distance = check_int("distance", distance, 2, MAX_DISTANCE)
    if isinstance(basis, str):
        basis = basis.upper()
    if basis not in ("X", "Z"):
        raise QecsimError(f"basis={basis!r} is not 'X' or 'Z'")
    if noise is not None and not isinstance(noise, NoiseModel):
        raise QecsimError(f"noise={noise!r} is not a qecsim.NoiseModel or None")
    if rounds is None:
        rounds = default_rounds(distance=distance, noise=noise)
    rounds = check_int("rounds", rounds, 1, MAX_ROUNDS)
    if code == "rotated_surface_code":
        layout = _rotated_surface_code(distance, basis)
    else:
        layout = _repetition_code(distance, basis)
    circuit = _build(layout, rounds=rounds, basis=basis)
    if noise is None:
        return circuit
    return noise.noisy_circuit(circuit, tag_qubits=tag_qubits)
