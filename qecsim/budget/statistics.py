"""Counting statistics shared by the budget's estimators and projections.

Binomial intervals of the logical error per round, delta-method sigmas of its logarithm, and
the weighted straight line of the Lambda fit (:func:`qecsim.analysis.fit_lambda` uses the
same weights), from which the budget takes each component's part of 1/Lambda.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sinter

from qecsim.analysis import per_round_error_rate, per_round_log_slope
from qecsim.analysis.estimate import Estimate

__all__ = [
    "eps_estimate",
    "log_eps_per_round_sigma",
    "log_eps_sigma",
    "slope_with_sigma",
    "weighted_line",
]


def eps_estimate(shots: int, errors: int, rounds: int, factor: float) -> Estimate:
    """The logical error per round with sinter's binomial interval (likelihood ``factor``).

    Examples:
        >>> str(eps_estimate(1000, 10, 1, 1000))
        '0.01 [0.00234, 0.0265]'
    """
    fit = sinter.fit_binomial(num_shots=shots, num_hits=errors, max_likelihood_factor=factor)
    values = (fit.best, fit.low, fit.high)
    return Estimate(*(per_round_error_rate(v, rounds=rounds) for v in values))


def log_eps_sigma(shots: int, errors: int) -> float:
    """Delta-method sigma of ln P for a binomial count (as if one error when there is none).

    Examples:
        >>> round(log_eps_sigma(1000, 100), 4)  # sqrt(0.9 / 100)
        0.0949
    """
    return math.sqrt(max(1 - errors / shots, 0) / max(errors, 1))


def log_eps_per_round_sigma(shots: int, errors: int, rounds: int) -> float:
    """Delta-method sigma of ln eps per round (as in :func:`qecsim.analysis.fit_lambda`)."""
    slope = per_round_log_slope(max(errors, 1) / shots, rounds=rounds)
    return log_eps_sigma(shots, errors) * slope


def weighted_line(
    x: Sequence[float], y: Sequence[float], weights: Sequence[float]
) -> tuple[float, float]:
    """Weighted least-squares (intercept, slope) of y against x.

    Examples:
        >>> weighted_line([1, 2, 3], [1, 3, 5], [1, 1, 1])
        (-1.0, 2.0)
    """
    x, y, w = (np.asarray(v, dtype=float) for v in (x, y, weights))
    xm, ym = np.sum(w * x) / np.sum(w), np.sum(w * y) / np.sum(w)
    slope = float(np.sum(w * (x - xm) * (y - ym)) / np.sum(w * (x - xm) ** 2))
    return float(ym - slope * xm), slope


def slope_with_sigma(
    values: Sequence[Estimate], x: Sequence[float], weights: Sequence[float], z: float
) -> tuple[float, float]:
    """The weighted slope of estimates against x, and its sigma from their intervals.

    With the Lambda fit's weights this is exactly d ln(1/Lambda) / d ln s_k.
    """
    x, w = np.asarray(x, dtype=float), np.asarray(weights, dtype=float)
    _, slope = weighted_line(x, [v.best for v in values], w)
    xm = np.sum(w * x) / np.sum(w)
    coefficients = w * (x - xm) / np.sum(w * (x - xm) ** 2)
    sigmas = np.array([(v.high - v.low) / (2 * z) for v in values])
    return slope, float(math.sqrt(np.sum((coefficients * sigmas) ** 2)))
