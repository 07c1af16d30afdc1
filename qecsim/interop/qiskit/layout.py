"""Layout search: where to put a code's qubits on a device (:func:`greedy_layout`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from qecsim.errors import QecsimError
from qecsim.interop.qiskit._common import circuit_couplers
from qecsim.interop.qiskit.calibration import DeviceCalibration, device_calibration

if TYPE_CHECKING:  # pragma: no cover
    import stim

__all__ = ["greedy_layout"]


def _placement_order(circuit: stim.Circuit) -> tuple[list[int], dict[int, set[int]]]:
    """Code qubits in breadth-first order from the best-connected one, and their neighbours."""
    neighbours: dict[int, set[int]] = {q: set() for q in range(circuit.num_qubits)}
    for a, b in circuit_couplers(circuit):
        neighbours[a].add(b)
        neighbours[b].add(a)
    order: list[int] = []
    seen: set[int] = set()
    for root in sorted(neighbours, key=lambda q: (-len(neighbours[q]), q)):
        if root in seen:
            continue
        queue = [root]
        seen.add(root)
        while queue:
            q = queue.pop(0)
            order.append(q)
            for n in sorted(neighbours[q]):
                if n not in seen:
                    seen.add(n)
                    queue.append(n)
    return order, neighbours


def _hop_distances(
    calibration: DeviceCalibration, *, excluded: set[int], max_two_qubit_gate_error: float
) -> np.ndarray:
    """Device qubit x device qubit hop counts over usable couplers (unreachable: 10 n)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import shortest_path

    n_device = calibration.num_qubits
    edges = [
        (a, b)
        for (a, b), error in calibration.two_qubit_gate_error.items()
        if error < max_two_qubit_gate_error and a not in excluded and b not in excluded
    ]
    rows = [a for a, b in edges] + [b for a, b in edges]
    cols = [b for a, b in edges] + [a for a, b in edges]
    adjacency = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_device, n_device))
    distance = shortest_path(adjacency.tocsr(), unweighted=True, directed=False)
    distance[np.isinf(distance)] = 10 * n_device
    return distance


def greedy_layout(
    circuit: stim.Circuit,
    backend: Any,
    *,
    start: int | None = None,
    exclude: Iterable[int] = (),
    max_two_qubit_gate_error: float = 0.5,
) -> dict[int, int]:
    """A layout (code qubit -> device qubit) that keeps the code's couplers short on the device.

    Code qubits are placed in breadth-first order from the code's best-connected qubit; each
    goes to the free device qubit with the smallest summed hop distance to its already placed
    code neighbours (ties: closest to ``start``). Couplers whose reported error is at least
    ``max_two_qubit_gate_error`` (IBM marks broken ones with 1.0) are not used for distances,
    and the device qubits in ``exclude`` are never used. A square-grid code cannot fit a heavy-hex
    device, so some code couplers stay non-adjacent: :func:`noise_from_backend` reports them.

    Args:
        circuit: The code's circuit (its two-qubit gates define the code's couplers).
        backend: A qiskit ``BackendV2`` or a :class:`DeviceCalibration`.
        start: The device qubit for the first code qubit (None: the device's most central
            usable qubit, i.e. the smallest summed distance to all others).
        exclude: Device qubits not to use (e.g. those with poor readout).
        max_two_qubit_gate_error: Couplers with a reported error at or above this are avoided.

    Returns:
        code qubit -> device qubit, for every qubit of the circuit.

    Raises:
        QecsimError: The device has fewer usable qubits than the circuit, ``start`` is not a
            usable device qubit, or ``max_two_qubit_gate_error`` is not in (0, 1].

    Examples:
        >>> import qecsim
        >>> from qiskit.providers.fake_provider import GenericBackendV2
        >>> circuit = qecsim.memory_circuit(distance=3, rounds=1)
        >>> layout = greedy_layout(circuit, GenericBackendV2(20, seed=1))
        >>> sorted(layout) == list(range(circuit.num_qubits))
        True
    """
    calibration = backend if isinstance(backend, DeviceCalibration) else device_calibration(backend)
    n_device, n_code = calibration.num_qubits, circuit.num_qubits
    excluded = {int(q) for q in exclude}
    if not 0 < max_two_qubit_gate_error <= 1:
        raise QecsimError(
            f"max_two_qubit_gate_error={max_two_qubit_gate_error!r} is not in (0, 1]"
        )
    if n_code > n_device - len(excluded & set(range(n_device))):
        raise QecsimError(
            f"the circuit has {n_code} qubits but {calibration.backend_name} has "
            f"{n_device - len(excluded & set(range(n_device)))} usable ones"
        )
    if start is not None and not (0 <= start < n_device and start not in excluded):
        raise QecsimError(f"start={start!r} is not a usable device qubit in [0, {n_device - 1}]")
    distance = _hop_distances(
        calibration, excluded=excluded, max_two_qubit_gate_error=max_two_qubit_gate_error
    )
    usable = np.ones(n_device, dtype=bool)
    usable[[q for q in excluded if 0 <= q < n_device]] = False
    if start is None:
        start = int(np.argmin(np.where(usable, distance.sum(axis=1), np.inf)))

    order, neighbours = _placement_order(circuit)
    layout: dict[int, int] = {}
    free = usable.copy()
    for q in order:
        placed = [layout[n] for n in neighbours[q] if n in layout]
        score = distance[:, placed].sum(axis=1) if placed else np.zeros(n_device)
        score = score * (n_device * 20) + distance[start]
        score[~free] = np.inf
        choice = int(np.argmin(score))
        layout[q] = choice
        free[choice] = False
    return dict(sorted(layout.items()))
