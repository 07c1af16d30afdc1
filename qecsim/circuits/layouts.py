"""Code layouts: qubit coordinates, check types, the two-qubit gate schedule, the observable.

A layout is all a memory-experiment builder needs to know about a code family. The schedules
are hook-safe: a hook error (a check qubit's fault spreading to the last data qubits of its
check) runs perpendicular to the logical operator it could shorten, so circuits keep the
full distance.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Layout",
    "cat_repetition_code_layout",
    "repetition_code_layout",
    "rotated_surface_code_layout",
    "xzzx_surface_code_layout",
]


@dataclass(frozen=True)
class Layout:
    """Qubits of a code: coordinates, check types, CNOT layers, the logical observable.

    The last four fields generalise the CSS layouts (their defaults give the CSS circuits):
    ``cz_pairs`` are (ancilla, data) pairs of the layers run as CZ instead of CX (XZZX checks
    measured with the ancilla as control), ``flipped_data`` are data qubits prepared and
    measured in the other basis (the Hadamard-conjugated qubits of the XZZX code),
    ``hadamard_ancillas`` the ancillas measured between Hadamards (None: the X-check
    ancillas), and ``native_x`` makes X-check ancillas prepared and measured in the X basis
    (``RX``, ``MRX``) without Hadamards, as cat qubits do (no bias-preserving Hadamard).
    """

    coords: dict[int, tuple[int, int]]
    data: tuple[int, ...]
    ancillas: tuple[int, ...]
    x_ancillas: frozenset[int]
    # Each layer is a list of (control, target) pairs acting in one moment.
    layers: tuple[tuple[tuple[int, int], ...], ...]
    # The data qubits a check touches, per ancilla.
    support: dict[int, tuple[int, ...]]
    observable: tuple[int, ...]
    cz_pairs: frozenset[tuple[int, int]] = frozenset()
    flipped_data: frozenset[int] = frozenset()
    hadamard_ancillas: frozenset[int] | None = None
    native_x: bool = False

    @property
    def h_ancillas(self) -> frozenset[int]:
        """Ancillas measured between Hadamards."""
        if self.native_x:
            return frozenset()
        return self.x_ancillas if self.hadamard_ancillas is None else self.hadamard_ancillas


def _index(points: list[tuple[int, int]]) -> dict[tuple[int, int], int]:
    return {point: i for i, point in enumerate(sorted(points, key=lambda xy: (xy[1], xy[0])))}


def rotated_surface_code_layout(
    distance: int, basis: str, *, distance_x: int | None = None, distance_z: int | None = None
) -> Layout:
    """The rotated surface code: d x d, or a rectangle of distance_z columns, distance_x rows.

    Logical Z is a row of Zs (weight = columns = distance_z, the Z errors a logical needs);
    logical X a column of Xs (weight = rows = distance_x).
    """
    # Data at odd (x, y); measure qubits at even (x, y). X-type checks where (x + y)/2 is even;
    # X checks line the top and bottom boundaries, Z checks the left and right ones. Logical Z
    # is a row of Zs, logical X a column of Xs.
    width = distance if distance_z is None else distance_z
    height = distance if distance_x is None else distance_x
    data_points = [(x, y) for x in range(1, 2 * width, 2) for y in range(1, 2 * height, 2)]
    ancilla_points = []
    for x in range(0, 2 * width + 1, 2):
        for y in range(0, 2 * height + 1, 2):
            is_x = (x + y) // 2 % 2 == 0
            on_top_bottom = y in (0, 2 * height)
            on_left_right = x in (0, 2 * width)
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
        observable = tuple(index[(x, 1)] for x in range(1, 2 * width, 2))
    else:
        observable = tuple(index[(1, y)] for y in range(1, 2 * height, 2))
    return Layout(
        coords={q: xy for xy, q in index.items()},
        data=tuple(sorted(index[p] for p in data_points)),
        ancillas=tuple(sorted(index[p] for p in ancilla_points)),
        x_ancillas=frozenset(x_ancillas),
        layers=tuple(tuple(layer) for layer in layers),
        support=support,
        observable=observable,
    )


def repetition_code_layout(distance: int, basis: str) -> Layout:
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
    return Layout(
        coords={q: xy for xy, q in index.items()},
        data=data,
        ancillas=ancillas,
        x_ancillas=frozenset(ancillas if is_x else ()),
        layers=tuple(tuple(layer) for layer in layers),
        support=support,
        observable=(data[0],),
    )



def xzzx_surface_code_layout(
    distance: int, basis: str, *, distance_x: int | None = None, distance_z: int | None = None
) -> Layout:
    """The XZZX surface code (Bonilla Ataides et al., Nat. Commun. 12, 2172 (2021)).

    The rotated surface code conjugated by a Hadamard on every data qubit at (x, y) with
    (x + y)/2 even: every check becomes X Z Z X (X on the NW-SE diagonal of its face, Z on the
    other). Every check is measured with its ancilla as the control between Hadamards: CX for
    an X letter, CZ for a Z letter, in the CSS code's hook-safe order, so the circuit has the
    CSS circuit's distance. ``basis`` names the CSS memory it is conjugated from: Z-basis
    memory prepares and measures the conjugated data in X. ``distance_x`` and ``distance_z``
    are the CSS code's (rows and columns).
    """
    css = rotated_surface_code_layout(distance, basis, distance_x=distance_x,
                                      distance_z=distance_z)
    flipped = frozenset(q for q in css.data if sum(css.coords[q]) // 2 % 2 == 0)
    layers, cz_pairs = [], set()
    for layer in css.layers:
        pairs = []
        for control, target in layer:
            ancilla, data = (control, target) if control in css.x_ancillas else (target, control)
            pairs.append((ancilla, data))
            if (ancilla in css.x_ancillas) == (data in flipped):  # the letter is Z
                cz_pairs.add((ancilla, data))
        layers.append(tuple(pairs))
    return Layout(
        coords=css.coords, data=css.data, ancillas=css.ancillas, x_ancillas=css.x_ancillas,
        layers=tuple(layers), support=css.support, observable=css.observable,
        cz_pairs=frozenset(cz_pairs), flipped_data=flipped,
        hadamard_ancillas=frozenset(css.ancillas),
    )


def cat_repetition_code_layout(distance: int, basis: str) -> Layout:
    """The repetition code against phase flips, as cat qubits run it.

    X_i X_i+1 checks; each ancilla is prepared in |+> (``RX``), is the control of a
    bias-preserving CX onto its two data qubits, and is measured in the X basis (``MRX``): no
    Hadamard, which cat qubits cannot do without losing their bias (Guillaud and Mirrahimi,
    PRX 9, 041053 (2019)). Basis X: the logical X (one data qubit) survives phase flips up to
    distance d. Basis Z: the logical Z (all data qubits), flipped by a single bit flip
    (distance 1), measures the logical bit-flip rate.
    """
    rep = repetition_code_layout(distance, "X")
    observable = rep.data if basis == "Z" else rep.observable
    return Layout(
        coords=rep.coords, data=rep.data, ancillas=rep.ancillas, x_ancillas=rep.x_ancillas,
        layers=rep.layers, support=rep.support, observable=observable, native_x=True,
    )
