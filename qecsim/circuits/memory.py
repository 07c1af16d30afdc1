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

from qecsim.circuits.layouts import (
    Layout,
    cat_repetition_code_layout,
    repetition_code_layout,
    rotated_surface_code_layout,
    xzzx_surface_code_layout,
)
from qecsim.errors import QecsimError, describe
from qecsim.noise.components import DATA_ROUND_MARKER, GATE_SETS
from qecsim.noise.model import NoiseModel
from qecsim.validation import check_int

__all__ = [
    "CODES",
    "GATE_SETS",
    "MAX_DISTANCE",
    "MAX_ROUNDS",
    "RECTANGULAR_CODES",
    "code_distance",
    "default_gate_set",
    "default_rounds",
    "memory_circuit",
]

#: Code families :func:`memory_circuit` builds.
CODES: tuple[str, ...] = (
    "rotated_surface_code",
    "repetition_code",
    "xzzx_surface_code",
    "cat_repetition_code",
)

# Codes whose X and Z distances may differ (``distance_x``, ``distance_z``).
RECTANGULAR_CODES: tuple[str, ...] = ("rotated_surface_code", "xzzx_surface_code")


def _layout(
    code: str, distance: int, basis: str, distance_x: int | None = None,
    distance_z: int | None = None,
) -> Layout:
    if code == "rotated_surface_code":
        return rotated_surface_code_layout(distance, basis, distance_x=distance_x,
                                           distance_z=distance_z)
    if code == "xzzx_surface_code":
        return xzzx_surface_code_layout(distance, basis, distance_x=distance_x,
                                        distance_z=distance_z)
    if code == "cat_repetition_code":
        return cat_repetition_code_layout(distance, basis)
    return repetition_code_layout(distance, basis)

MAX_DISTANCE = 99
MAX_ROUNDS = 1_000_000


def _round(layout: Layout, gate_set: str) -> stim.Circuit:
    """One round of syndrome extraction, from the data marker to the ancilla measurement."""
    c = stim.Circuit()
    c.append(stim.CircuitInstruction("I_ERROR", list(layout.data), tag=DATA_ROUND_MARKER))
    if gate_set == "cz":
        return c + _cz_round_body(layout)
    h_ancillas = sorted(layout.h_ancillas)
    if h_ancillas:
        c.append("H", h_ancillas)
    if h_ancillas or not layout.native_x:
        # Cat qubits have no Hadamard layer: their data marker opens the first CX tick (an
        # empty moment carries no noise). The plain repetition code keeps its moment so its
        # circuits, and stored results' strong ids, stay byte-identical.
        c.append("TICK")
    for layer in layout.layers:
        _append_layer(c, layer, layout.cz_pairs)
        c.append("TICK")
    if h_ancillas:
        c.append("H", h_ancillas)
        c.append("TICK")
    _append_measure_reset(c, layout)
    return c


def _append_layer(
    c: stim.Circuit, layer: tuple[tuple[int, int], ...], cz_pairs: frozenset
) -> None:
    """One layer of two-qubit gates: its CX pairs, then its CZ pairs (XZZX)."""
    cx = [q for pair in layer if pair not in cz_pairs for q in pair]
    cz = [q for pair in layer if pair in cz_pairs for q in pair]
    if cx:
        c.append("CX", cx)
    if cz:
        c.append("CZ", cz)


def _append_measure_reset(c: stim.Circuit, layout: Layout) -> None:
    """MR on every ancilla, or (cat qubits) MRX on X-check ancillas, in ancilla order."""
    if not layout.native_x:
        c.append("MR", list(layout.ancillas))
        return
    _append_runs(c, [("MRX" if a in layout.x_ancillas else "MR", a) for a in layout.ancillas])


def _append_runs(c: stim.Circuit, ops: list[tuple[str, int]]) -> None:
    """Append (gate, qubit) operations in order, one instruction per run of the same gate."""
    run: list[int] = []
    name = None
    for gate, q in ops:
        if gate != name and run:
            c.append(name, run)
            run = []
        name = gate
        run.append(q)
    if run:
        c.append(name, run)


def _cz_round_body(layout: Layout) -> stim.Circuit:
    """The CNOT round compiled to CZ: CX(c, t) = H(t) CZ(c, t) H(t), Hadamard layers merged.

    The Hadamards after one CZ layer and before the next act on the same qubit twice where
    that qubit is a target in both layers; those pairs cancel, so between two CZ layers only
    the qubits whose role changes get a Hadamard (one single-qubit layer between CZ layers,
    as hardware runs it). The X-check Hadamards merge into the first and last layers. The CZ
    layers keep the CNOT layers' hook-safe order.
    """
    c = stim.Circuit()
    cz_pairs = layout.cz_pairs
    targets = [{t for pair in layer if pair not in cz_pairs for t in pair[1:]}
               for layer in layout.layers]
    h_ancillas = set(layout.h_ancillas)
    boundaries = [h_ancillas ^ targets[0]]
    boundaries += [targets[k] ^ targets[k + 1] for k in range(len(targets) - 1)]
    boundaries.append(targets[-1] ^ h_ancillas)
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
    _append_measure_reset(c, layout)
    return c


def _build(layout: Layout, *, rounds: int, basis: str, gate_set: str) -> stim.Circuit:
    c = stim.Circuit()
    for q, (x, y) in sorted(layout.coords.items()):
        c.append("QUBIT_COORDS", [q], [x, y])
    flipped = [q for q in layout.data if q in layout.flipped_data]
    plain = [q for q in layout.data if q not in layout.flipped_data]
    if plain:
        c.append("R" if basis == "Z" else "RX", plain)
    if flipped:
        c.append("RX" if basis == "Z" else "R", flipped)
    if layout.native_x:
        z_ancillas = [a for a in layout.ancillas if a not in layout.x_ancillas]
        if z_ancillas:
            c.append("R", z_ancillas)
        c.append("RX", [a for a in layout.ancillas if a in layout.x_ancillas])
    else:
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
    _append_data_measurement(c, layout, basis)
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


def _append_data_measurement(c: stim.Circuit, layout: Layout, basis: str) -> None:
    """Measure the data in ``basis`` (flipped data in the other), keeping data order."""
    other = {"Z": "X", "X": "Z"}[basis]
    _append_runs(c, [
        ("M" if (other if q in layout.flipped_data else basis) == "Z" else "MX", q)
        for q in layout.data
    ])


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


def default_gate_set(code: str, noise: NoiseModel | None = None) -> str:
    """The gate set a code's circuits use when none is given.

    The noise model's (:attr:`NoiseModel.gate_set`), or ``"cx"`` without one; always
    ``"cx"`` for ``"cat_repetition_code"``, whose bias-preserving CX gates are its point.

    Examples:
        >>> default_gate_set("rotated_surface_code", NoiseModel.si1000(1e-3))
        'cz'
        >>> default_gate_set("cat_repetition_code", NoiseModel.si1000(1e-3))
        'cx'
    """
    if code == "cat_repetition_code" or noise is None:
        return "cx"
    return noise.gate_set




def memory_circuit(
    code: str = "rotated_surface_code",
    *,
    distance: int | None = None,
    rounds: int | None = None,
    basis: str = "Z",
    noise: NoiseModel | None = None,
    gate_set: str | None = None,
    tag_qubits: bool = False,
    distance_x: int | None = None,
    distance_z: int | None = None,
) -> stim.Circuit:
    """A memory experiment: prepare a logical basis state, measure stabilizers, read it out.

    The rotated surface code uses 2 d^2 - 1 qubits (indices 0 .. 2 d^2 - 2, sorted by
    coordinates), measure qubits reset and measured with ``MR`` each round, X checks
    between Hadamards, and a CNOT order whose hook errors run perpendicular to the
    logical operator they could shorten, so the circuit keeps the full distance. The
    repetition code uses 2 d - 1 qubits on a line. Detector coordinates are (x, y, t).

    Codes for biased noise: ``"xzzx_surface_code"`` (the rotated code conjugated by
    Hadamards on half of the data, every check XZZX, measured with CX and CZ from the check
    qubit; Bonilla Ataides et al., Nat. Commun. 12, 2172 (2021)); rectangles of the rotated
    and XZZX codes with ``distance_x`` rows and ``distance_z`` columns (a Z-basis memory has
    distance ``distance_x``, an X-basis memory ``distance_z``; :func:`code_distance`);
    ``"cat_repetition_code"`` (X checks with ancillas prepared and measured in the X basis
    and bias-preserving CX onto the data, no Hadamard; basis X: logical phase flips, distance
    d; basis Z: logical bit flips, distance 1), for :meth:`NoiseModel.cat_qubit` (cat qubits
    run CX natively: gate set ``"cz"`` would put Hadamards on the data, which no cat qubit
    does without losing its bias).

    Gate sets (:data:`GATE_SETS`): ``"cx"`` runs each check with CNOTs (X checks between
    Hadamards on the check qubit), the circuits of ``stim.Circuit.generated``. ``"cz"`` runs
    the same checks in the same hook-safe order with CZ, as superconducting processors do:
    each CNOT becomes CZ with Hadamards on its target, and the Hadamards between two CZ
    layers are merged (a qubit that is a target in both layers needs none), which leaves one
    single-qubit layer before, between and after the four CZ layers. Both gate sets measure
    the same stabilizers with the same detectors.

    Args:
        code: One of :data:`CODES`.
        distance: Code distance, in [2, 99]. May be omitted for a rectangle given by
            ``distance_x`` and ``distance_z`` (it then means the larger, for default rounds).
        rounds: Rounds of syndrome extraction, in [1, 1000000]; None means ``distance``
            (one round for the ``code_capacity`` preset).
        basis: ``"Z"`` (protects against X errors) or ``"X"``.
        noise: A noise model to apply; None for the noiseless circuit.
        gate_set: ``"cx"`` or ``"cz"``; None means the noise model's
            (:attr:`NoiseModel.gate_set`: ``"cz"`` for SI1000, ``"cx"`` for SD6 and
            ``uniform_depolarizing``), or ``"cx"`` without a noise model and for
            ``"cat_repetition_code"`` (which refuses ``"cz"``; :func:`default_gate_set`).
        tag_qubits: Tag every noise channel with its qubits (per-qubit attribution).
        distance_x: Rotated and XZZX codes: the X distance (rows; default ``distance``).
        distance_z: Rotated and XZZX codes: the Z distance (columns; default ``distance``).

    Returns:
        The circuit, with qubit coordinates, detectors and one logical observable.

    Raises:
        QecsimError: Unknown code or gate set, bad distance, rounds or basis, distance_x /
            distance_z on a code without them, ``gate_set="cz"`` for the cat repetition code.

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
        >>> rectangle = memory_circuit(distance_x=3, distance_z=5, basis="X", rounds=2,
        ...                            noise=NoiseModel.sd6(1e-3))
        >>> len(rectangle.shortest_graphlike_error())
        5
    """
    if code not in CODES:
        raise QecsimError(f"unknown code {code!r}; valid codes: {', '.join(CODES)}")
    distance, distance_x, distance_z = _distances(code, distance, distance_x, distance_z)
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
        gate_set = default_gate_set(code, noise)
    if gate_set not in GATE_SETS:
        raise QecsimError(f"gate_set={gate_set!r} is not one of {', '.join(GATE_SETS)}")
    if code == "cat_repetition_code" and gate_set != "cx":
        raise QecsimError(
            f"gate_set={gate_set!r} does not apply to cat_repetition_code: it runs on "
            "bias-preserving CX gates ('cx'); a CZ schedule conjugates the data by Hadamards, "
            "which turn the cats' phase flips into bit flips"
        )
    layout = _layout(code, distance, basis, distance_x, distance_z)
    circuit = _build(layout, rounds=rounds, basis=basis, gate_set=gate_set)
    if noise is None:
        return circuit
    if noise.crosstalk_kinds_in_use():
        expected = code_distance(code, basis=basis, distance=distance, distance_x=distance_x,
                                 distance_z=distance_z)
        _warn_if_distance_drops(noise, code=code, distance=distance, basis=basis,
                                gate_set=gate_set, dims=(distance_x, distance_z),
                                expected=expected)
    return noise.noisy_circuit(circuit, tag_qubits=tag_qubits)


def _distances(
    code: str, distance: int | None, distance_x: int | None, distance_z: int | None
) -> tuple[int, int | None, int | None]:
    """(distance, distance_x, distance_z), checked; distance defaults to the larger one."""
    if code not in RECTANGULAR_CODES:
        if distance_x is not None or distance_z is not None:
            raise QecsimError(
                f"distance_x/distance_z apply to {', '.join(RECTANGULAR_CODES)}, not {code!r}"
            )
        return check_int("distance", distance, 2, MAX_DISTANCE), None, None
    if distance is None and (distance_x is None or distance_z is None):
        raise QecsimError(
            "give distance, or both distance_x and distance_z (got "
            f"distance_x={distance_x!r}, distance_z={distance_z!r})"
        )
    if distance is not None:
        distance = check_int("distance", distance, 2, MAX_DISTANCE)
    dx = distance if distance_x is None else check_int("distance_x", distance_x, 2, MAX_DISTANCE)
    dz = distance if distance_z is None else check_int("distance_z", distance_z, 2, MAX_DISTANCE)
    if dx == dz == distance:
        return distance, None, None  # the square code, built exactly as before
    return (max(dx, dz) if distance is None else distance), dx, dz


def code_distance(
    code: str, *, basis: str, distance: int, distance_x: int | None = None,
    distance_z: int | None = None,
) -> int:
    """The distance of a memory experiment: the fewest faults that flip its observable.

    For the rotated and XZZX surface codes, a Z-basis memory fails through X-type logicals
    (weight ``distance_x``, the rows), an X-basis memory through Z-type ones (``distance_z``,
    the columns). The cat repetition code protects its X basis (distance d) and not its Z
    basis (a single bit flip, distance 1).

    Examples:
        >>> code_distance("rotated_surface_code", basis="X", distance=3, distance_z=7)
        7
        >>> code_distance("cat_repetition_code", basis="Z", distance=5)
        1
    """
    if code == "cat_repetition_code":
        return distance if basis.upper() == "X" else 1
    if code in RECTANGULAR_CODES:
        dx = distance if distance_x is None else distance_x
        dz = distance if distance_z is None else distance_z
        return dx if basis.upper() == "Z" else dz
    return distance


# Largest distance whose graphlike distance memory_circuit checks (the search grows fast).
MAX_CHECKED_DISTANCE = 11


@functools.lru_cache(maxsize=256)
def _graphlike_distance(
    noise_json: str, code: str, distance: int, basis: str, gate_set: str,
    dims: tuple[int | None, int | None] = (None, None),
):
    noise = NoiseModel.from_json(noise_json)
    layout = _layout(code, distance, basis, *dims)
    circuit = noise.noisy_circuit(_build(layout, rounds=2, basis=basis, gate_set=gate_set))
    try:
        return len(circuit.shortest_graphlike_error(ignore_ungraphlike_errors=True))
    except ValueError:  # no graphlike logical error at all: nothing lowers the distance
        return MAX_DISTANCE + 1


def _warn_if_distance_drops(
    noise: NoiseModel, *, code: str, distance: int, basis: str, gate_set: str,
    dims: tuple[int | None, int | None], expected: int,
) -> None:
    """Warn when crosstalk lowers the graphlike circuit distance below the code distance."""
    if max([distance, *(d for d in dims if d is not None)]) > MAX_CHECKED_DISTANCE:
        return
    found = _graphlike_distance(noise.to_json(), code, distance, basis, gate_set, dims)
    if found < expected:
        warnings.warn(
            f"the noise model lowers the graphlike circuit distance of this d={expected} "
            f"{code} ({basis} basis, gate set {gate_set}) to {found}: its crosstalk spreads "
            "from a check qubit to data qubits like a hook error",
            UserWarning,
            stacklevel=3,
        )
