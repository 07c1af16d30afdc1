"""What-if projections and required improvements from a budget's elasticities (no sampling).

The model is ``eps_d(s) = eps_d x (sum_k share_k(d) s_k) ** E(d)`` with
``E(d) = sum_k e_k(d)``: exact to first order at s = 1, a power law under uniform scaling,
and with a floor when a single component is removed. Lambda and the teraquop footprint follow
from the budget's Lambda fit, moved by the weighted fit of the projected ratios. The qubits
of the teraquop distance follow the code family whose qubit count
(:data:`qecsim.analysis.QUBITS_PER_CODE`) matches the budget's circuits at every distance
(``ErrorBudget.num_qubits``): the budget's code first, for circuits any family (none
matches: the count is unknown, None).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qecsim import analysis
from qecsim.budget.statistics import log_eps_per_round_sigma, weighted_line
from qecsim.errors import QecsimError
from qecsim.noise.components import COMPONENTS, check_component

if TYPE_CHECKING:  # pragma: no cover
    from qecsim.budget.results import ErrorBudget

__all__ = ["Projection", "project", "qubit_count", "required_scale"]


@dataclass(frozen=True)
class Projection:
    """A what-if projection from a budget's elasticities (not a simulation).

    The model is ``eps_d(s) = eps_d x (sum_k share_k(d) s_k) ** E(d)`` with
    ``E(d) = sum_k e_k(d)``: exact to first order at s = 1, a power law under uniform
    scaling, and with a floor when a single component is removed.

    Attributes:
        factors: component -> scale factor (1 for those not named); also any
            ``component.part`` named on its own.
        logical_error_per_round: distance -> projected eps_d.
        lambda_: projected Lambda (None with one distance).
        teraquop_distance: projected distance for eps <= 1e-12 per round (None if unknown).
        teraquop_qubits: physical qubits of that distance (None if unknown: circuits
            whose qubit counts follow no code family of :data:`qecsim.CODES`).
    """

    factors: Mapping[str, float]
    logical_error_per_round: Mapping[int, float]
    lambda_: float | None
    teraquop_distance: int | None
    teraquop_qubits: int | None

    def __str__(self) -> str:
        eps = ", ".join(f"d={d}: {e:.3g}" for d, e in self.logical_error_per_round.items())
        lam = "n/a" if self.lambda_ is None else f"{self.lambda_:.3g}"
        if self.teraquop_distance is None:
            teraquop = "teraquop d unknown (needs Lambda > 1)"
        else:
            qubits = "qubits unknown" if self.teraquop_qubits is None else (
                f"{self.teraquop_qubits} qubits")
            teraquop = f"teraquop d = {self.teraquop_distance} ({qubits})"
        return (
            f"projection (not simulated) for {dict(self.factors)}: eps per round {eps}; "
            f"Lambda {lam}; {teraquop}"
        )


def _require_elasticities(budget: ErrorBudget, what: str) -> None:
    if budget.method == "ablation":
        raise QecsimError(
            f"{what} needs elasticities; method='ablation' has none: use "
            "method='likelihood_ratio' or 'finite_difference'"
        )


def _fit_weights(budget: ErrorBudget) -> list[float]:
    """The Lambda fit's weights: 1 / Var(ln eps_d) by the delta method (as analysis)."""
    return [
        1 / log_eps_per_round_sigma(budget.num_shots[d], budget.num_errors[d], budget.rounds[d])
        ** 2
        for d in budget.distances
    ]


def qubit_count(budget: ErrorBudget) -> Callable[[int], int] | None:
    """Physical qubits at distance d for the budget's code family, or None if unknown.

    The family is the first of the budget's code and then every code of
    :data:`qecsim.analysis.QUBITS_PER_CODE` whose count equals ``budget.num_qubits`` at every
    distance (a budget made without ``num_qubits``: its code's count).
    """
    formulas = analysis.QUBITS_PER_CODE
    names = [budget.code] if budget.code in formulas else []
    if not budget.num_qubits:
        return formulas[names[0]] if names else None
    names += [name for name in formulas if name != budget.code]
    for name in names:
        if all(formulas[name](d) == n for d, n in budget.num_qubits.items()):
            return formulas[name]
    return None


def _factor(factors: Mapping[str, float], key: str) -> float:
    """A row's factor: named by its key, else by its component, else 1."""
    return factors.get(key, factors.get(key.partition(".")[0], 1.0))


def _projected_eps(budget: ErrorBudget, distance: int, factors: Mapping[str, float]) -> float:
    eps = budget.logical_error_per_round[distance].best
    total = sum(c.elasticity[distance].best for c in budget.components)
    effective = sum(c.share[distance] * _factor(factors, c.component) for c in budget.components)
    if effective <= 0:
        return 0.0
    return float(eps * effective**total)


def _check_factors(budget: ErrorBudget, factors: Mapping[str, float]) -> None:
    """Each name a row of the budget or a component (all its parts); each value a factor."""
    for name, value in factors.items():
        if name not in budget.keys:
            check_component(name.partition(".")[0])
            if "." in name:
                raise QecsimError(
                    f"{name!r} is not a row of this budget; rows: {', '.join(budget.keys)}"
                )
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise QecsimError(f"{name}={value!r} is not a scale factor in [0, inf)")


def project(budget: ErrorBudget, factors: Mapping[str, float]) -> Projection:
    """The projection behind :meth:`ErrorBudget.what_if` (see there)."""
    _require_elasticities(budget, "what_if")
    _check_factors(budget, factors)
    eps = {d: _projected_eps(budget, d, factors) for d in budget.distances}
    lambda_ = distance = qubits = None
    if budget.lambda_fit is not None and all(e > 0 for e in eps.values()):
        # the measured fit, moved by the weighted fit of the projected ratios (same
        # weights), so that what_if() with all factors 1 reproduces the fit exactly
        log_ratio = [math.log(eps[d] / budget.logical_error_per_round[d].best)
                     for d in budget.distances]
        x = [(d + 1) / 2 for d in budget.distances]
        shift, slope = weighted_line(x, log_ratio, _fit_weights(budget))
        lambda_ = float(budget.lambda_fit.best * math.exp(-slope))
        if lambda_ > 1:
            intercept = budget.lambda_fit.intercept + shift
            needed = (intercept - math.log(1e-12)) / math.log(lambda_)
            distance = max(2 * math.ceil(needed) - 1, 3)
            per_code = qubit_count(budget)
            qubits = None if per_code is None else per_code(distance)
    return Projection(
        factors={c: float(factors.get(c, 1.0)) for c in COMPONENTS}
        | {k: float(v) for k, v in factors.items() if k not in COMPONENTS},
        logical_error_per_round=eps,
        lambda_=lambda_,
        teraquop_distance=distance,
        teraquop_qubits=qubits,
    )


def required_scale(
    budget: ErrorBudget, *, target: float, distance: int, component: str | None = None
) -> float | None:
    """The factor behind :meth:`ErrorBudget.required_scale` (see there)."""
    _require_elasticities(budget, "required_scale")
    if distance not in budget.distances:
        raise QecsimError(f"distance={distance!r} is not one of {list(budget.distances)}")
    if not 0 < target < 0.5:
        raise QecsimError(f"target={target!r} is not in (0, 0.5)")
    eps = budget.logical_error_per_round[distance].best
    total = sum(c.elasticity[distance].best for c in budget.components)
    if total <= 0 or eps <= 0:
        raise QecsimError(f"the budget at distance {distance} has no positive elasticity")
    ratio = (target / eps) ** (1 / total)
    if component is None:
        return ratio
    rows = [c for c in budget.components if component in (c.component, c.component.split(".")[0])]
    if not rows:
        budget.component(component)  # raises naming the rows
    share = sum(c.share[distance] for c in rows)
    if share <= 0:
        return None
    factor = 1 - (1 - ratio) / share
    return factor if factor >= 0 else None
