"""What a detector error model predicts for detector statistics, and a DEM estimated from data.

For independent error mechanisms e with probabilities q_e, let w_e = ln(1 - 2 q_e) and
L_ij = sum of w_e over the mechanisms that flip both i and j (L_ii: those that flip i). Then,
exactly, the detection fraction is <x_i> = (1 - exp(L_ii)) / 2 and the p_ij formula of
:mod:`qecsim.experiment.statistics` applied to the predicted moments gives
p_ij = (1 - exp(L_ij)) / 2: the combined probability of the mechanisms that flip both. So a
model's predictions are one sparse product ``A^T diag(w) A`` (A: mechanisms x detectors), with
no sampling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import stim

if TYPE_CHECKING:
    import scipy.sparse

from qecsim.errors import QecsimError

__all__ = ["DemErrors", "dem_errors", "estimate_dem", "predicted_moments", "shared_errors"]

# Probabilities handed to the decoder stay inside (floor, 1/2).
_FLOOR = 1e-6
_CEILING = 0.49


@dataclass(frozen=True, eq=False)
class DemErrors:
    """The error mechanisms of a DEM as arrays (flattened, in the DEM's order).

    Attributes:
        num_detectors: Detectors of the DEM.
        num_observables: Observables of the DEM.
        probabilities: q_e of each mechanism.
        detectors: Sparse 0/1 matrix (mechanisms x detectors): the detectors each flips (the
            symmetric difference of its decomposed parts).
        observables: Bool (mechanisms x observables): the observables each flips.
        tags: The tag of each mechanism (``""`` when untagged).
        components: The decomposition of each mechanism (``^``-separated parts) as
            (detectors, observable bit mask) pairs.
    """

    num_detectors: int
    num_observables: int
    probabilities: np.ndarray = field(repr=False)
    detectors: scipy.sparse.csr_matrix = field(repr=False)
    observables: np.ndarray = field(repr=False)
    tags: tuple[str, ...] = field(repr=False)
    components: tuple[tuple[tuple[tuple[int, ...], int], ...], ...] = field(repr=False)

    @property
    def num_errors(self) -> int:
        """Mechanisms."""
        return int(self.probabilities.size)


def dem_errors(dem: stim.DetectorErrorModel) -> DemErrors:
    """Parse a DEM (loops flattened) into :class:`DemErrors`.

    Examples:
        >>> import stim
        >>> errors = dem_errors(stim.DetectorErrorModel("error[a](0.1) D0 D1 ^ D1 L0"))
        >>> errors.detectors.toarray().tolist(), errors.observables.tolist(), errors.tags
        ([[1.0, 0.0]], [[True]], ('a',))
    """
    if not isinstance(dem, stim.DetectorErrorModel):
        raise QecsimError(f"dem is a {type(dem).__name__}, not a stim.DetectorErrorModel")
    probabilities: list[float] = []
    rows: list[int] = []
    columns: list[int] = []
    observable_rows: list[int] = []
    observable_columns: list[int] = []
    tags: list[str] = []
    components: list[tuple] = []
    # stim's text form is parsed directly: ~10x faster than the instruction objects
    for line in str(dem.flattened()).splitlines():
        if not line.startswith("error"):
            continue
        if line.startswith("error["):
            close = line.index("](")
            tag, rest = line[6:close], line[close + 1 :]
        else:
            tag, rest = "", line[5:]
        argument, _, body = rest[1:].partition(")")
        index = len(probabilities)
        probabilities.append(float(argument))
        tags.append(tag)
        parts: list[tuple[tuple[int, ...], int]] = []
        symptom: set[int] = set()
        flips = 0
        for part in body.split("^"):
            dets = []
            mask = 0
            for token in part.split():
                if token[0] == "D":
                    dets.append(int(token[1:]))
                elif token[0] == "L":
                    mask ^= 1 << int(token[1:])
            parts.append((tuple(sorted(dets)), mask))
            symptom.symmetric_difference_update(dets)
            flips ^= mask
        components.append(tuple(parts))
        rows.extend([index] * len(symptom))
        columns.extend(sorted(symptom))
        bit = 0
        while flips >> bit:
            if flips >> bit & 1:
                observable_rows.append(index)
                observable_columns.append(bit)
            bit += 1
    import scipy.sparse  # imported on first use (slow to import)

    count = len(probabilities)
    matrix = scipy.sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(count, dem.num_detectors)
    )
    observables = np.zeros((count, dem.num_observables), dtype=bool)
    observables[observable_rows, observable_columns] = True
    return DemErrors(
        num_detectors=dem.num_detectors,
        num_observables=dem.num_observables,
        probabilities=np.asarray(probabilities, dtype=np.float64),
        detectors=matrix,
        observables=observables,
        tags=tuple(tags),
        components=tuple(components),
    )


def _log_weights(probabilities: np.ndarray) -> np.ndarray:
    return np.log1p(-2 * np.clip(probabilities, 0.0, 0.5 - 1e-15))


def _pair_sums(errors: DemErrors, weights: np.ndarray) -> np.ndarray:
    """L = A^T diag(w) A as a dense (detectors x detectors) array."""
    import scipy.sparse

    a = errors.detectors
    return np.asarray((a.T @ scipy.sparse.diags(weights) @ a).todense())


def predicted_moments(
    errors: DemErrors, probabilities: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Exact detection fractions and p_ij (diagonal NaN) of independent mechanisms.

    Args:
        errors: The mechanisms.
        probabilities: Their probabilities (default ``errors.probabilities``).

    Examples:
        >>> import stim
        >>> errors = dem_errors(stim.DetectorErrorModel("error(0.1) D0 D1\\nerror(0.2) D0"))
        >>> fraction, pij = predicted_moments(errors)
        >>> fraction.round(3).tolist(), round(float(pij[0, 1]), 6)
        ([0.26, 0.1], 0.1)
    """
    weights = _log_weights(errors.probabilities if probabilities is None else probabilities)
    sums = _pair_sums(errors, weights)
    fraction = (1 - np.exp(np.diag(sums))) / 2
    pij = (1 - np.exp(sums)) / 2
    np.fill_diagonal(pij, np.nan)
    return fraction, pij


def shared_errors(errors: DemErrors) -> np.ndarray:
    """Bool (detectors x detectors): whether some mechanism flips both (diagonal False)."""
    a = errors.detectors
    shared = np.asarray(((a.T @ a) != 0).todense())
    np.fill_diagonal(shared, False)
    return shared


def _graphlike_structure(structure: DemErrors) -> dict[tuple[int, ...], int]:
    """Edges and boundary edges of a decomposed DEM, each with its likeliest observable mask."""
    weight: dict[tuple[int, ...], dict[int, float]] = {}
    for probability, parts in zip(structure.probabilities, structure.components, strict=True):
        for detectors, mask in parts:
            if not 1 <= len(detectors) <= 2:
                continue  # a hyperedge part (undecomposed) or an observable-only part
            options = weight.setdefault(detectors, {})
            options[mask] = options.get(mask, 0.0) + float(probability)
    return {edge: max(options, key=options.get) for edge, options in weight.items()}


def estimate_dem(
    fraction: np.ndarray, pij: np.ndarray, *, structure: stim.DetectorErrorModel
) -> stim.DetectorErrorModel:
    """A graphlike DEM whose probabilities come from measured detector statistics.

    The edges (and their observables) are those of ``structure``'s decomposed mechanisms;
    an edge (i, j) gets the measured p_ij, and a boundary edge of i the probability that
    makes the predicted detection fraction of i equal the measured one given i's other edges
    (Google's p_ij method). Probabilities are kept within [1e-6, 0.49].

    Args:
        fraction: Measured detection fraction of every detector of ``structure``.
        pij: Measured p_ij (detectors x detectors).
        structure: A decomposed DEM (e.g. of the model circuit) giving edges and observables.

    Returns:
        The estimated DEM.

    Examples:
        >>> import stim
        >>> structure = stim.DetectorErrorModel("error(0.1) D0 D1\\nerror(0.1) D0 L0")
        >>> pij = np.array([[np.nan, 0.05], [0.05, np.nan]])
        >>> estimated = estimate_dem(np.array([0.2, 0.05]), pij, structure=structure)
        >>> for error in estimated:
        ...     print(round(error.args_copy()[0], 4), error.targets_copy())
        0.05 [stim.DemTarget('D0'), stim.DemTarget('D1')]
        0.1667 [stim.DemTarget('D0'), stim.DemTarget('L0')]
    """
    n = structure.num_detectors
    if fraction.shape != (n,) or pij.shape != (n, n):
        raise QecsimError(
            f"statistics of {fraction.shape[0]} detectors do not fit a structure DEM of {n}"
        )
    edges = _graphlike_structure(dem_errors(structure))
    if not edges:
        raise QecsimError("the structure DEM has no graphlike mechanism to estimate")

    def clip(value: float) -> float:
        return float(min(max(value, _FLOOR), _CEILING)) if np.isfinite(value) else _FLOOR

    probability = {edge: clip(pij[edge]) for edge in edges if len(edge) == 2}
    survive = np.ones(n)
    for (i, j), p in probability.items():
        survive[i] *= 1 - 2 * p
        survive[j] *= 1 - 2 * p
    for edge in edges:
        if len(edge) == 1:
            (i,) = edge
            probability[edge] = clip((1 - (1 - 2 * fraction[i]) / survive[i]) / 2)
    out = stim.DetectorErrorModel()
    for edge, mask in edges.items():
        targets = [stim.target_relative_detector_id(d) for d in edge]
        targets += [stim.target_logical_observable_id(b) for b in range(mask.bit_length())
                    if mask >> b & 1]
        out.append("error", [probability[edge]], targets)
    return out

