"""The numerical core of :func:`qecsim.fit_noise`: residuals, Jacobian, sandwich covariance.

One :class:`FitData` per experiment holds the DEM of its current tagged circuit as sparse
matrices, the measured statistics it is fitted to, and what the covariance needs. Parameters
are *relative* scales r_g of parameter groups: mechanism e gets probability r_g(e) q_e.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import stim

if TYPE_CHECKING:
    import scipy.sparse

from qecsim.experiment.dem import dem_errors
from qecsim.experiment.experiment import Experiment
from qecsim.experiment.statistics import (
    DetectorStatistics,
    pair_probability_gradient,
    pair_probability_sigma,
)
from qecsim.noise.components import ComponentTag, parse_tag

__all__ = ["FitData", "build_fit_data", "influence_covariance"]

_CHUNK = 4096


def _pair_incidence(detectors: scipy.sparse.csr_matrix):
    """Sparse (mechanisms x pairs) incidence of the detector pairs each mechanism flips."""
    import scipy.sparse  # imported on first use (slow to import)

    rows: list[int] = []
    codes: list[int] = []
    n = detectors.shape[1]
    indptr, indices = detectors.indptr, detectors.indices
    for row in range(detectors.shape[0]):
        dets = np.sort(indices[indptr[row] : indptr[row + 1]])
        if dets.size < 2:
            continue
        first, second = np.triu_indices(dets.size, 1)
        codes.extend((dets[first] * n + dets[second]).tolist())
        rows.extend([row] * first.size)
    unique, columns = np.unique(np.asarray(codes, dtype=np.int64), return_inverse=True)
    incidence = scipy.sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns.reshape(-1))), shape=(detectors.shape[0], unique.size)
    )
    incidence.data[:] = 1.0  # a mechanism counts once per pair
    return incidence, unique // n, unique % n


@dataclass(eq=False)
class FitData:
    """One experiment's part of the fit (see the module docstring)."""

    probabilities: np.ndarray
    keys: list[Hashable | None]
    detectors: scipy.sparse.csr_matrix
    pairs: scipy.sparse.csr_matrix
    pair_i: np.ndarray
    pair_j: np.ndarray
    measured: np.ndarray
    sigma: np.ndarray
    fraction_rows: np.ndarray
    pair_rows: np.ndarray
    events: np.ndarray = field(repr=False)
    fraction: np.ndarray = field(repr=False)
    coincidence: np.ndarray = field(repr=False)
    param: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    @property
    def num_observations(self) -> int:
        """Statistics fitted."""
        return int(self.measured.size)

    def index_keys(self, keys: Sequence[Hashable]) -> None:
        """Set each mechanism's parameter index (-1: not a parameter) from the key list."""
        position = {key: k for k, key in enumerate(keys)}
        self.param = np.array([position.get(key, -1) if key is not None else -1
                               for key in self.keys], dtype=int)

    def _factors(self, relative: np.ndarray, group_of: np.ndarray) -> np.ndarray:
        group = np.where(self.param >= 0, group_of[np.maximum(self.param, 0)], -1)
        return np.where(group >= 0, relative[np.maximum(group, 0)], 1.0), group

    def _model(self, relative, group_of):
        factors, group = self._factors(relative, group_of)
        q = np.clip(factors * self.probabilities, 0, 0.5 - 1e-12)
        w = np.log1p(-2 * q)
        fraction_log = self.detectors.T @ w
        pair_log = self.pairs.T @ w
        model = np.concatenate([(1 - np.exp(fraction_log)) / 2, (1 - np.exp(pair_log)) / 2])
        return model, np.concatenate([fraction_log, pair_log]), q, group

    def residuals(self, relative: np.ndarray, group_of: np.ndarray) -> np.ndarray:
        """(measured - model) / sigma of every fitted statistic."""
        model, *_ = self._model(relative, group_of)
        rows = np.concatenate([self.fraction_rows, self.detectors.shape[1] + self.pair_rows])
        return (self.measured - model[rows]) / self.sigma

    def jacobian(self, relative: np.ndarray, group_of: np.ndarray, count: int) -> np.ndarray:
        """d residuals / d relative scales (statistics x groups), dense."""
        import scipy.sparse

        _, logs, q, group = self._model(relative, group_of)
        used = group >= 0
        dw = np.zeros_like(q)
        dw[used] = -2 * self.probabilities[used] / (1 - 2 * q[used])
        onehot = scipy.sparse.csr_matrix(
            (dw[used], (np.flatnonzero(used), group[used])), shape=(q.size, count)
        )
        n = self.detectors.shape[1]
        derivative = np.vstack([
            np.asarray((self.detectors.T @ onehot).todense()),
            np.asarray((self.pairs.T @ onehot).todense()),
        ])
        rows = np.concatenate([self.fraction_rows, n + self.pair_rows])
        # residual = (m - (1 - e^L)/2) / sigma  ->  d/dr = e^L dL/dr / (2 sigma)
        return 0.5 * np.exp(logs[rows])[:, None] * derivative[rows] / self.sigma[:, None]


def build_fit_data(
    experiment: Experiment,
    statistics: DetectorStatistics,
    circuit: stim.Circuit,
    key_of: Callable[[ComponentTag], Hashable],
) -> FitData:
    """The DEM of ``circuit`` and the statistics it is fitted to, as a :class:`FitData`."""
    errors = dem_errors(circuit.detector_error_model(approximate_disjoint_errors=True))
    keys = []
    for tag in errors.tags:
        parsed = parse_tag(tag)
        keys.append(None if parsed is None else key_of(parsed))
    pairs, pair_i, pair_j = _pair_incidence(errors.detectors)
    # weights from the model's own predictions (weights from the measured values would
    # bias the fit towards lower rates): binomial for fractions, delta method for p_ij
    shots = statistics.num_shots
    w = np.log1p(-2 * np.clip(errors.probabilities, 0, 0.5 - 1e-12))
    single = np.exp(errors.detectors.T @ w)
    pair_log = pairs.T @ w
    both = np.exp(np.log(single[pair_i]) + np.log(single[pair_j]) - 2 * pair_log)
    model_a = (1 - single) / 2
    model_c = (1 - single[pair_i] - single[pair_j] + both) / 4
    fraction_sigma = np.sqrt(model_a * (1 - model_a) / shots)
    fraction_rows = np.flatnonzero(fraction_sigma > 0)
    pij = statistics.pij[pair_i, pair_j]
    pij_sigma = pair_probability_sigma(model_a[pair_i], model_a[pair_j], model_c, shots)
    pair_rows = np.flatnonzero(np.isfinite(pij) & np.isfinite(pij_sigma) & (pij_sigma > 0))
    return FitData(
        probabilities=errors.probabilities,
        keys=keys,
        detectors=errors.detectors,
        pairs=pairs,
        pair_i=pair_i[pair_rows],
        pair_j=pair_j[pair_rows],
        measured=np.concatenate([statistics.fraction[fraction_rows], pij[pair_rows]]),
        sigma=np.concatenate([fraction_sigma[fraction_rows], pij_sigma[pair_rows]]),
        fraction_rows=fraction_rows,
        pair_rows=pair_rows,
        events=experiment.detection_events,
        fraction=statistics.fraction,
        coincidence=statistics.coincidence[pair_i[pair_rows], pair_j[pair_rows]],
    )


def influence_covariance(
    data: Sequence[FitData], jacobian: np.ndarray, hessian: np.ndarray, count: int
) -> np.ndarray:
    """The sandwich covariance of the fitted relative scales, from per-shot influences.

    The fit moves by -H^-1 J^T (delta statistics / sigma) (J: the data Jacobian, H: the
    Hessian with the prior's rows); each statistic is a smooth
    function of shot averages (x_i, and x_i x_j for p_ij), so each shot contributes a linear
    and a quadratic term in its detection events, whose covariance over shots (divided by the
    shots, summed over experiments) is the covariance of the fit.
    """
    inverse = np.linalg.pinv(hessian, rcond=1e-12, hermitian=True)
    covariance = np.zeros((count, count))
    start = 0
    for item in data:
        rows = slice(start, start + item.num_observations)
        start += item.num_observations
        weights = -(inverse @ jacobian[rows].T) / item.sigma  # groups x statistics
        n = item.detectors.shape[1]
        f_count = item.fraction_rows.size
        linear = np.zeros((count, n))
        linear[:, item.fraction_rows] += weights[:, :f_count]
        pair_weights = weights[:, f_count:]
        a = item.fraction[item.pair_i]
        b = item.fraction[item.pair_j]
        grad_a, grad_b, grad_c = pair_probability_gradient(a, b, item.coincidence)
        np.add.at(linear.T, item.pair_i, (pair_weights * grad_a).T)
        np.add.at(linear.T, item.pair_j, (pair_weights * grad_b).T)
        quadratic = (pair_weights * grad_c).astype(np.float32)
        linear32 = linear.T.astype(np.float32)
        shots = item.events.shape[0]
        total = np.zeros(count)
        outer = np.zeros((count, count))
        for first in range(0, shots, _CHUNK):
            events = item.events[first : first + _CHUNK]
            both = events[:, item.pair_i] & events[:, item.pair_j]
            u = (events.astype(np.float32) @ linear32
                 + both.astype(np.float32) @ quadratic.T).astype(np.float64)
            total += u.sum(axis=0)
            outer += u.T @ u
        mean = total / shots
        covariance += (outer / shots - np.outer(mean, mean)) / shots
    return covariance
