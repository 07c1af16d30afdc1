"""From sampled tallies to each component's elasticity, share and parts of eps_d and 1/Lambda.

One function per method of :func:`qecsim.error_budget`:

- likelihood ratio: the mean score over failing shots (:func:`score_elasticities`), for
  components and for qubit groups (:func:`qubit_parts`);
- finite differences: central differences of ln eps in ln s
  (:func:`finite_difference_elasticities`);
- ablation: eps(all) - eps(without k) (:func:`ablation_component`).

:func:`elasticity_component` turns elasticities into a :class:`ComponentBudget` (share, part of
eps_d, part of 1/Lambda). Intervals are ``best +- z sigma`` by the delta method.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from qecsim.analysis import per_round_error_rate, per_round_log_slope
from qecsim.analysis.estimate import Estimate
from qecsim.budget.results import ComponentBudget, QubitBudget
from qecsim.budget.statistics import log_eps_per_round_sigma, log_eps_sigma, slope_with_sigma
from qecsim.errors import QecsimError

if TYPE_CHECKING:  # pragma: no cover
    from qecsim.budget.sampling import Tally

__all__ = [
    "ablation_component",
    "elasticity_component",
    "finite_difference_elasticities",
    "likelihood_ratio_elasticities",
    "qubit_parts",
    "score_elasticities",
]

_ZERO = Estimate(0.0, 0.0, 0.0)


def score_elasticities(tally: Tally, key: str, z: float) -> list[Estimate]:
    """Elasticities of eps from the likelihood-ratio scores summed over failing shots.

    The shot elasticity is the mean score over failing shots, m = sum(S) / F, with variance
    Var(S | fail) / F (the delta method for the ratio E[f S] / E[f]). Var(S | fail) is
    floored at the score's unconditional variance (the Fisher information of s_k): with few
    failing shots a rare component can show the same score in all of them, and a zero
    sample variance would claim certainty the data do not have.

    Args:
        tally: A sample set with scores.
        key: ``"component"`` or ``"group"`` (qubit groups).
        z: Interval half-width in sigmas.

    Returns:
        One estimate per label of ``tally.labels[key + "s"]``, in that order.
    """
    failures = tally.errors
    sums = np.atleast_1d(tally.sums.get(f"{key}_sum", np.zeros(0)))
    squares = np.atleast_1d(tally.sums.get(f"{key}_square_sum", np.zeros(0)))
    fisher = np.atleast_1d(tally.labels.get(f"{key}_fisher", np.zeros(len(sums))))
    if failures == 0:
        return [Estimate(0.0, -math.inf, math.inf) for _ in sums]
    jacobian = per_round_log_slope(failures / tally.shots, rounds=tally.config.rounds)
    estimates = []
    for total, square, information in zip(sums, squares, fisher, strict=True):
        mean = total / failures
        variance = max(square / failures - mean * mean, information) / failures
        estimates.append(Estimate.from_sigma(mean * jacobian, math.sqrt(variance) * jacobian, z))
    return estimates


def likelihood_ratio_elasticities(
    nominal: Mapping[int, Tally], z: float
) -> dict[str, dict[int, Estimate]]:
    """component -> distance -> elasticity, from the scores of the nominal sample sets."""
    elasticity: dict[str, dict[int, Estimate]] = {}
    for d, tally in nominal.items():
        names = tally.labels.get("components", ())
        for name, estimate in zip(names, score_elasticities(tally, "component", z), strict=True):
            elasticity.setdefault(name, {})[d] = estimate
    return elasticity


def qubit_parts(nominal: Mapping[int, Tally], z: float) -> list[QubitBudget]:
    """One :class:`QubitBudget` per (component, qubits) group, from the nominal scores."""
    per_group: dict[tuple[str, tuple[int, ...]], dict[int, Estimate]] = {}
    totals: dict[int, float] = {}
    for d, tally in nominal.items():
        estimates = score_elasticities(tally, "group", z)
        for group, estimate in zip(tally.labels.get("groups", ()), estimates, strict=True):
            per_group.setdefault(group, {})[d] = estimate
        totals[d] = sum(e.best for e in estimates)
    parts = []
    for (component, qubits), values in sorted(per_group.items()):
        # only the distances at which these qubits carry this component (indices differ by d)
        share = {d: v.best / totals[d] if totals[d] else 0.0 for d, v in values.items()}
        parts.append(QubitBudget(component, qubits, values, share))
    return parts


def finite_difference_elasticities(
    variants: Mapping[tuple[str, float, int], Tally], *, delta: float, max_shots: int, z: float
) -> dict[str, dict[int, Estimate]]:
    """component -> distance -> elasticity from runs at s = 1 + delta and 1 / (1 + delta).

    Raises:
        QecsimError: A scaled run saw no logical error (the difference is undefined).
    """
    step = 2 * math.log(1 + delta)
    elasticity: dict[str, dict[int, Estimate]] = {}
    for (component, s, d), up in variants.items():
        if s < 1:
            continue
        down = variants[(component, 1 / (1 + delta), d)]
        if up.errors == 0 or down.errors == 0:
            raise QecsimError(
                f"no logical errors at distance {d} for {component} scaled by "
                f"1 +- {delta}: raise max_shots={max_shots}"
            )
        r = up.config.rounds
        log_up = math.log(per_round_error_rate(up.errors / up.shots, rounds=r))
        log_down = math.log(per_round_error_rate(down.errors / down.shots, rounds=r))
        jacobians = [per_round_log_slope(t.errors / t.shots, rounds=r) for t in (up, down)]
        sigma = math.hypot(
            jacobians[0] * log_eps_sigma(up.shots, up.errors),
            jacobians[1] * log_eps_sigma(down.shots, down.errors),
        ) / step
        elasticity.setdefault(component, {})[d] = Estimate.from_sigma(
            (log_up - log_down) / step, sigma, z
        )
    return elasticity


def ablation_component(
    component: str,
    rate: float,
    *,
    in_use: Iterable[str],
    nominal: Mapping[int, Tally],
    variants: Mapping[tuple[str, float, int], Tally],
    z: float,
) -> ComponentBudget:
    """eps(all) - eps(without the component) per distance, with its share of eps(all)."""
    contribution, share = {}, {}
    for d, base in nominal.items():
        if component not in in_use:
            contribution[d], share[d] = _ZERO, 0.0
            continue
        without = variants[(component, 0.0, d)]
        r = base.config.rounds
        eps_all = per_round_error_rate(base.errors / base.shots, rounds=r)
        eps_without = per_round_error_rate(without.errors / without.shots, rounds=r)
        # with no errors, the sigma of one error (not 0) bounds eps(without k)
        eps_floor = per_round_error_rate(max(without.errors, 1) / without.shots, rounds=r)
        sigma = math.hypot(
            eps_all * log_eps_sigma(base.shots, base.errors),
            eps_floor * log_eps_sigma(without.shots, without.errors),
        )
        contribution[d] = Estimate.from_sigma(eps_all - eps_without, sigma, z)
        share[d] = contribution[d].best / eps_all if eps_all > 0 else 0.0
    return ComponentBudget(component, rate, None, share, contribution, None)


def elasticity_component(
    component: str,
    rate: float,
    *,
    elasticity: Mapping[str, Mapping[int, Estimate]],
    eps: Mapping[int, Estimate],
    inverse_lambda: Estimate | None,
    nominal: Mapping[int, Tally],
    z: float,
) -> ComponentBudget:
    """A component's share and part of eps_d, and its part of 1/Lambda, from elasticities.

    The part of 1/Lambda is ``(1/Lambda) x`` the slope of e_k(d) against (d + 1) / 2 with the
    Lambda fit's weights (exactly s_k d(1/Lambda)/ds_k of that fit).
    """
    distances = list(nominal)
    e = {d: elasticity.get(component, {}).get(d, _ZERO) for d in distances}
    totals = {d: sum(elasticity[c][d].best for c in elasticity) for d in distances}
    share = {d: e[d].best / totals[d] if totals[d] else 0.0 for d in distances}
    contribution = {
        d: Estimate(*(v / totals[d] * eps[d].best if totals[d] else 0.0
                      for v in (e[d].best, e[d].low, e[d].high)))
        for d in distances
    }
    c_lambda = None
    if inverse_lambda is not None:
        c_lambda = _ZERO
        if component in elasticity:
            c_lambda = _inverse_lambda_part([e[d] for d in distances], inverse_lambda, nominal, z)
    return ComponentBudget(component, rate, e, share, contribution, c_lambda)


def _inverse_lambda_part(
    elasticities: Sequence[Estimate], inverse_lambda: Estimate, nominal: Mapping[int, Tally],
    z: float,
) -> Estimate:
    slope, slope_sigma = slope_with_sigma(
        elasticities, [(d + 1) / 2 for d in nominal],
        [1 / log_eps_per_round_sigma(t.shots, t.errors, t.config.rounds) ** 2
         for t in nominal.values()],
        z,
    )
    inv = inverse_lambda.best
    inv_sigma = (inverse_lambda.high - inverse_lambda.low) / (2 * z)
    return Estimate.from_sigma(inv * slope, math.hypot(inv * slope_sigma, slope * inv_sigma), z)
