"""Code layouts: qubit coordinates, check types, the two-qubit gate schedule, the observable.

A layout is all a memory-experiment builder needs to know about a code family. The schedules
are hook-safe: a hook error (a check qubit's fault spreading to the last data qubits of its
check) runs perpendicular to the logical operator it could shorten, so circuits keep the
full distance.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Layout", "repetition_code_layout", "rotated_surface_code_layout"]


@dataclass(frozen=True)
class Layout:
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


def rotated_surface_code_layout(distance: int, basis: str) -> Layout:
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

