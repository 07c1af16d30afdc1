"""Detector statistics of measured shots: detection fractions and pairwise error probabilities.

For detection events x_i (0/1 per shot), the pairwise error probability of detectors i and j is
(Google, Nature 2021 repetition-code paper, supplement)

    p_ij = 1/2 - 1/2 sqrt(1 - 4 (<x_i x_j> - <x_i><x_j>) / (1 - 2<x_i> - 2<x_j> + 4<x_i x_j>)),

the combined probability of all independent error mechanisms that flip both i and j. Its
uncertainty is the delta method applied to the multinomial distribution of (x_i, x_j), so a
p_ij near zero can come out slightly negative (an unbiased estimate; it is kept that way).
Everything is vectorised: one matrix product (chunked over shots) gives every <x_i x_j>.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from qecsim.analysis.estimate import Estimate
from qecsim.errors import QecsimError

if TYPE_CHECKING:
    from qecsim.experiment.experiment import Experiment

__all__ = [
    "MAX_DETECTORS",
    "DetectorStatistics",
    "detector_statistics",
    "pair_probability",
    "pair_probability_gradient",
    "pair_probability_sigma",
]

#: Detectors beyond which the p_ij matrix (detectors^2 entries) needs ``detectors=``.
MAX_DETECTORS = 8000

# Shots per chunk of the float32 matrix product: counts stay exact (< 2^24).
_CHUNK = 1 << 16

# Intervals default to z = 2 standard deviations (95 %); z-scores use sigma itself.
_DEFAULT_Z = 2.0


def pair_probability(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """p_ij from <x_i> = a, <x_j> = b and <x_i x_j> = c (any broadcastable shapes).

    NaN where the formula has no real value (1 - 2a - 2b + 4c <= 0, or a negative root).

    Examples:
        >>> # one mechanism of probability 0.1 flips both detectors, nothing else happens
        >>> round(float(pair_probability(np.array(0.1), np.array(0.1), np.array(0.1))), 12)
        0.1
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        numerator = c - a * b
        denominator = 1 - 2 * a - 2 * b + 4 * c
        argument = 1 - 4 * numerator / denominator
        valid = (denominator > 0) & (argument >= 0)
        return np.where(valid, 0.5 - 0.5 * np.sqrt(np.where(valid, argument, 1.0)), np.nan)


def pair_probability_gradient(
    a: np.ndarray, b: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The partial derivatives of :func:`pair_probability` in a, b and c."""
    with np.errstate(divide="ignore", invalid="ignore"):
        numerator = c - a * b
        denominator = 1 - 2 * a - 2 * b + 4 * c
        root = np.sqrt(1 - 4 * numerator / denominator)
        scale = 1 / (root * denominator**2)
        grad_a = (2 * numerator - b * denominator) * scale
        grad_b = (2 * numerator - a * denominator) * scale
        grad_c = (denominator - 4 * numerator) * scale
    return grad_a, grad_b, grad_c


def pair_probability_sigma(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, num_shots: int
) -> np.ndarray:
    """The standard deviation of :func:`pair_probability` from ``num_shots`` shots.

    The delta method: the gradient of p_ij in (a, b, c) against the multinomial covariance
    of (x_i, x_j, x_i x_j) divided by the number of shots.
    """
    grad_a, grad_b, grad_c = pair_probability_gradient(a, b, c)
    with np.errstate(invalid="ignore"):
        variance = (
            grad_a**2 * a * (1 - a)
            + grad_b**2 * b * (1 - b)
            + grad_c**2 * c * (1 - c)
            + 2 * grad_a * grad_b * (c - a * b)
            + 2 * grad_a * grad_c * c * (1 - a)
            + 2 * grad_b * grad_c * c * (1 - b)
        )
        return np.sqrt(np.maximum(variance, 0) / num_shots)


def _moments(events: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts of x_i = 1 and of x_i = x_j = 1 (float64), by float32 products over chunks."""
    shots, n = events.shape
    counts = np.zeros(n, dtype=np.float64)
    pairs = np.zeros((n, n), dtype=np.float64)
    for start in range(0, shots, _CHUNK):
        chunk = events[start : start + _CHUNK].astype(np.float32)
        counts += chunk.sum(axis=0, dtype=np.float64)
        pairs += chunk.T @ chunk
    return counts, pairs


def _group_means(
    events: np.ndarray, labels: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group of detectors (rows of ``labels``): detection fraction and sigma over shots.

    The sigma comes from the per-shot mean over the group's detectors, so correlations
    between the group's detectors are accounted for.
    """
    keys, inverse = np.unique(labels, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    membership = np.zeros((labels.shape[0], keys.shape[0]), dtype=np.float32)
    membership[np.arange(labels.shape[0]), inverse] = 1
    membership /= membership.sum(axis=0, keepdims=True)
    shots = events.shape[0]
    sums = np.zeros(keys.shape[0])
    squares = np.zeros(keys.shape[0])
    for start in range(0, shots, _CHUNK):
        per_shot = events[start : start + _CHUNK].astype(np.float32) @ membership
        sums += per_shot.sum(axis=0, dtype=np.float64)
        squares += (per_shot.astype(np.float64) ** 2).sum(axis=0)
    mean = sums / shots
    variance = np.maximum(squares / shots - mean**2, 0)
    return keys, mean, np.sqrt(variance / shots)


def _coordinates(circuit, detectors: np.ndarray) -> np.ndarray:
    found = circuit.get_detector_coordinates(only=[int(d) for d in detectors])
    width = max((len(c) for c in found.values()), default=0)
    table = np.full((detectors.size, width), np.nan)
    for row, detector in enumerate(detectors):
        values = found.get(int(detector), [])
        table[row, : len(values)] = values
    return table


@dataclass(frozen=True, eq=False)
class DetectorStatistics:
    """Detection fractions and pairwise error probabilities of measured detection events.

    Row/column ``k`` of every array belongs to circuit detector ``detectors[k]``.

    Attributes:
        num_shots: Shots used.
        detectors: The circuit's indices of the detectors covered.
        coordinates: Their coordinates (x, y, t for surface-code circuits), NaN when absent.
        fraction: Detection fraction <x_i> of each detector.
        fraction_sigma: Its binomial standard deviation.
        coincidence: <x_i x_j>.
        pij: Pairwise error probabilities (NaN on the diagonal and where undefined).
        pij_sigma: Their standard deviations.
        round_values, round_fraction, round_sigma: Mean detection fraction per round (the
            last coordinate), with sigma from the per-shot means (empty without coordinates).
        stabilizer_coordinates, stabilizer_fraction, stabilizer_sigma: The same per
            stabilizer (the first two coordinates), over all rounds.
    """

    num_shots: int
    detectors: np.ndarray = field(repr=False)
    coordinates: np.ndarray = field(repr=False)
    fraction: np.ndarray = field(repr=False)
    fraction_sigma: np.ndarray = field(repr=False)
    coincidence: np.ndarray = field(repr=False)
    pij: np.ndarray = field(repr=False)
    pij_sigma: np.ndarray = field(repr=False)
    round_values: np.ndarray = field(repr=False)
    round_fraction: np.ndarray = field(repr=False)
    round_sigma: np.ndarray = field(repr=False)
    stabilizer_coordinates: np.ndarray = field(repr=False)
    stabilizer_fraction: np.ndarray = field(repr=False)
    stabilizer_sigma: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        n = self.detectors.size
        if self.fraction.shape != (n,) or self.pij.shape != (n, n):
            raise QecsimError(
                f"fraction {self.fraction.shape} and pij {self.pij.shape} do not fit {n} "
                "detectors"
            )

    @property
    def num_detectors(self) -> int:
        """Detectors covered."""
        return int(self.detectors.size)

    def _position(self, detector: int) -> int:
        found = np.flatnonzero(self.detectors == detector)
        if not found.size:
            raise QecsimError(f"detector {detector} is not among the {self.num_detectors} covered")
        return int(found[0])

    def detection_fraction(self, detector: int, *, z: float = _DEFAULT_Z) -> Estimate:
        """The detection fraction of a circuit detector, +- z sigma.

        Examples:
            >>> import qecsim
            >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 25))
            >>> statistics = qecsim.detector_statistics(experiment)
            >>> print(statistics.detection_fraction(100))
            0.132 [0.129, 0.135]
        """
        k = self._position(detector)
        return Estimate.from_sigma(self.fraction[k], self.fraction_sigma[k], z)

    def pair(self, i: int, j: int, *, z: float = _DEFAULT_Z) -> Estimate:
        """p_ij of two circuit detectors, +- z sigma."""
        a, b = self._position(i), self._position(j)
        if a == b:
            raise QecsimError(f"p_ij needs two different detectors, got {i} twice")
        return Estimate.from_sigma(self.pij[a, b], self.pij_sigma[a, b], z)

    def by_round(self, *, z: float = _DEFAULT_Z) -> dict[int, Estimate]:
        """round (the detectors' last coordinate) -> mean detection fraction, +- z sigma."""
        return {
            int(r): Estimate.from_sigma(f, s, z)
            for r, f, s in zip(self.round_values, self.round_fraction, self.round_sigma,
                               strict=True)
        }

    def by_stabilizer(self, *, z: float = _DEFAULT_Z) -> dict[tuple[float, float], Estimate]:
        """(x, y) of a stabilizer -> its mean detection fraction over rounds, +- z sigma."""
        return {
            (float(x), float(y)): Estimate.from_sigma(f, s, z)
            for (x, y), f, s in zip(self.stabilizer_coordinates, self.stabilizer_fraction,
                                    self.stabilizer_sigma, strict=True)
        }


def _check_detectors(detectors: Sequence[int] | np.ndarray | None, total: int) -> np.ndarray:
    if detectors is None:
        chosen = np.arange(total)
    else:
        chosen = np.asarray(detectors)
        if chosen.ndim != 1 or not np.issubdtype(chosen.dtype, np.integer) or chosen.size == 0:
            raise QecsimError("detectors must be a non-empty list of detector indices")
        if chosen.min() < 0 or chosen.max() >= total or np.unique(chosen).size != chosen.size:
            raise QecsimError(f"detectors must be distinct indices in [0, {total - 1}]")
    if chosen.size > MAX_DETECTORS:
        raise QecsimError(
            f"{chosen.size} detectors make a {chosen.size}^2 p_ij matrix; pass detectors= "
            f"(at most {MAX_DETECTORS}, e.g. a window of rounds)"
        )
    return chosen


def detector_statistics(
    experiment: Experiment, *, detectors: Sequence[int] | np.ndarray | None = None
) -> DetectorStatistics:
    """Detection fractions (per detector, round and stabilizer) and the p_ij matrix.

    Args:
        experiment: The measured experiment.
        detectors: Circuit detector indices to cover (default all; at most
            :data:`MAX_DETECTORS`).

    Returns:
        The :class:`DetectorStatistics`.

    Raises:
        QecsimError: An experiment without shots, or bad ``detectors``.

    Examples:
        >>> import qecsim
        >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(5, 25))
        >>> statistics = qecsim.detector_statistics(experiment)
        >>> statistics.pij.shape
        (600, 600)
        >>> print(statistics.by_round()[12])  # bulk detectors of a long experiment
        0.163 [0.161, 0.165]
    """
    from qecsim.experiment.experiment import Experiment

    if not isinstance(experiment, Experiment):
        raise QecsimError(f"experiment is a {type(experiment).__name__}, not a qecsim.Experiment")
    if experiment.num_shots < 2:
        raise QecsimError(f"the experiment has {experiment.num_shots} shots; statistics need >= 2")
    chosen = _check_detectors(detectors, experiment.num_detectors)
    events = experiment.detection_events
    if detectors is not None:
        events = events[:, chosen]
    shots = experiment.num_shots
    counts, pair_counts = _moments(events)
    fraction = counts / shots
    coincidence = pair_counts / shots
    a, b = fraction[:, None], fraction[None, :]
    pij = pair_probability(a, b, coincidence)
    pij_sigma = pair_probability_sigma(a, b, coincidence, shots)
    np.fill_diagonal(pij, np.nan)
    np.fill_diagonal(pij_sigma, np.nan)
    coordinates = _coordinates(experiment.circuit, chosen)
    empty = np.zeros(0)
    rounds = (empty, empty, empty)
    stabilizers = (np.zeros((0, 2)), empty, empty)
    if coordinates.shape[1] >= 3 and not np.isnan(coordinates).any():
        keys, mean, sigma = _group_means(events, coordinates[:, -1:])
        rounds = (keys[:, 0], mean, sigma)
        stabilizers = _group_means(events, coordinates[:, :2])
    return DetectorStatistics(
        num_shots=shots,
        detectors=chosen,
        coordinates=coordinates,
        fraction=fraction,
        fraction_sigma=np.sqrt(fraction * (1 - fraction) / shots),
        coincidence=coincidence,
        pij=pij,
        pij_sigma=pij_sigma,
        round_values=rounds[0],
        round_fraction=rounds[1],
        round_sigma=rounds[2],
        stabilizer_coordinates=stabilizers[0],
        stabilizer_fraction=stabilizers[1],
        stabilizer_sigma=stabilizers[2],
    )

