"""Error budgets: how much each noise component contributes to the logical error rate.

For component k with scale factor s_k (1 = as measured) and eps_d the logical error per
round at distance d, the budget reports:

- the elasticity ``e_k(d) = d ln eps_d / d ln s_k`` at s = 1 and the share
  ``e_k / sum_j e_j`` of eps_d (at low p, ``sum_k e_k`` is about (d + 1) / 2, not 1);
- the contribution to 1/Lambda, ``c_k = s_k d(1/Lambda)/ds_k = (1/Lambda) x`` the slope of
  e_k(d) against (d + 1) / 2 (with two distances: ``(1/Lambda)(e_k(d+2) - e_k(d))``);
- for ``method="ablation"``, eps(all) - eps(without k) instead of elasticities.

Methods:

- ``"likelihood_ratio"`` (default): per distance ONE sample set from the tagged detector
  error model, decoded once by a decoder built from the nominal model. For each component,
  ``d P_fail / d s_k = E[fail x score_k]`` with ``score_k = sum_{e tagged k} (x_e - q_e) /
  (q_e (1 - q_e)) x dq_e/ds_k`` (x_e: did DEM error e fire; dq_e/ds_k from a DEM built at a
  slightly scaled rate; dq_e/ds_k = q_e where stim's approximate conversion of a channel
  gives an implausible slope). All components (and all qubits, with ``by="qubit"``) come
  from the same shots. CIs by the delta method, with the score's conditional variance
  floored at its Fisher information.
- ``"finite_difference"``: sample at s_k = 1 + delta and 1 / (1 + delta) for each
  component (symmetric in ln s); central differences of ln eps against ln s give e_k.
  CIs by the delta method.
- ``"ablation"``: sample with component k switched off.

Every method samples the tagged detector error model (:mod:`qecsim.sampling.dem_sampling`); ablation
and finite differences decode each scaled model with a decoder built for that model.
Intervals follow :mod:`qecsim.analysis`: ``max_likelihood_factor=1000`` means z = 3.72.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sinter

from qecsim import analysis
from qecsim.analysis import per_round_error_rate, per_round_log_slope
from qecsim.analysis.estimate import Estimate
from qecsim.budget.sampling import _Config, _sample_all, _Tally
from qecsim.circuits.memory import CODES, default_rounds, memory_circuit
from qecsim.decoding import registry as decoder_registry
from qecsim.errors import QecsimError, describe
from qecsim.noise.components import COMPONENTS, check_component
from qecsim.noise.model import NoiseModel
from qecsim.validation import check_int

__all__ = [
    "BUDGET_METHODS",
    "ComponentBudget",
    "ErrorBudget",
    "Estimate",
    "Projection",
    "QubitBudget",
    "error_budget",
]

#: The estimation methods of :func:`error_budget`.
BUDGET_METHODS: tuple[str, ...] = ("likelihood_ratio", "finite_difference", "ablation")

_BY = ("component", "qubit")


@dataclass(frozen=True)
class ComponentBudget:
    """One component's part of the budget.

    Attributes:
        component: The canonical component key.
        rate: Its global rate in the noise model.
        elasticity: distance -> e_k(d) (None for ablation).
        share: distance -> share of eps_d (e_k / sum e_j; ablation: contribution / eps_d).
        contribution: distance -> part of eps_d caused by the component (share x eps_d;
            ablation: eps(all) - eps(without k)).
        inverse_lambda_contribution: c_k, its part of 1/Lambda (None for one distance or
            ablation).
    """

    component: str
    rate: float
    elasticity: Mapping[int, Estimate] | None
    share: Mapping[int, float]
    contribution: Mapping[int, Estimate]
    inverse_lambda_contribution: Estimate | None


@dataclass(frozen=True)
class QubitBudget:
    """The part of one component on one qubit (or coupler) for ``by="qubit"``.

    Attributes:
        component: The component key.
        qubits: One qubit, or a coupler (two qubits).
        elasticity: distance -> e(d) of this qubit's channels of this component, for the
            distances whose circuit has them (qubit indices depend on the distance).
        share: distance -> share of eps_d, for the same distances.
    """

    component: str
    qubits: tuple[int, ...]
    elasticity: Mapping[int, Estimate]
    share: Mapping[int, float]


@dataclass(frozen=True)
class Projection:
    """A what-if projection from a budget's elasticities (not a simulation).

    The model is ``eps_d(s) = eps_d x (sum_k share_k(d) s_k) ** E(d)`` with
    ``E(d) = sum_k e_k(d)``: exact to first order at s = 1, a power law under uniform
    scaling, and with a floor when a single component is removed.

    Attributes:
        factors: component -> scale factor (1 for those not named).
        logical_error_per_round: distance -> projected eps_d.
        lambda_: projected Lambda (None with one distance).
        teraquop_distance: projected distance for eps <= 1e-12 per round (None if unknown).
        teraquop_qubits: physical qubits of that distance.
    """

    factors: Mapping[str, float]
    logical_error_per_round: Mapping[int, float]
    lambda_: float | None
    teraquop_distance: int | None
    teraquop_qubits: int | None

    def __str__(self) -> str:
        eps = ", ".join(f"d={d}: {e:.3g}" for d, e in self.logical_error_per_round.items())
        lam = "n/a" if self.lambda_ is None else f"{self.lambda_:.3g}"
        return (
            f"projection (not simulated) for {dict(self.factors)}: eps per round {eps}; "
            f"Lambda {lam}; teraquop d = {self.teraquop_distance} "
            f"({self.teraquop_qubits} qubits)"
        )


@dataclass(frozen=True)
class ErrorBudget:
    """The result of :func:`error_budget`.

    Attributes:
        noise: The noise model (s = 1).
        code, basis, decoder, method, by: The experiment and how it was estimated.
        distances: The code distances, increasing.
        rounds: distance -> rounds used.
        num_shots, num_errors: distance -> shots and logical errors of the nominal run.
        logical_error_per_round: distance -> eps_d with CI.
        inverse_lambda: 1/Lambda from a fit of ln eps_d against (d + 1) / 2 (None with one
            distance).
        components: One :class:`ComponentBudget` per canonical component.
        qubits: Per-qubit and per-coupler parts (``by="qubit"`` only).
        max_likelihood_factor: The CI convention (see :mod:`qecsim.analysis`).
        cpu_seconds: CPU time spent sampling and decoding.
    """

    noise: NoiseModel
    code: str
    basis: str
    decoder: str
    method: str
    by: str
    distances: tuple[int, ...]
    rounds: Mapping[int, int]
    num_shots: Mapping[int, int]
    num_errors: Mapping[int, int]
    logical_error_per_round: Mapping[int, Estimate]
    inverse_lambda: Estimate | None
    components: tuple[ComponentBudget, ...]
    qubits: tuple[QubitBudget, ...] = ()
    max_likelihood_factor: float = analysis.DEFAULT_MAX_LIKELIHOOD_FACTOR
    cpu_seconds: float = 0.0
    lambda_fit: Any = field(default=None, compare=False, repr=False)

    def component(self, name: str) -> ComponentBudget:
        """The budget of one component by key."""
        check_component(name)
        return next(budget for budget in self.components if budget.component == name)

    # --------------------------------------------------------------- projections
    def _require_elasticities(self, what: str) -> None:
        if self.method == "ablation":
            raise QecsimError(
                f"{what} needs elasticities; method='ablation' has none: use "
                "method='likelihood_ratio' or 'finite_difference'"
            )

    def _fit_x(self) -> list[float]:
        return [(d + 1) / 2 for d in self.distances]

    def _fit_weights(self) -> list[float]:
        """The Lambda fit's weights: 1 / Var(ln eps_d) by the delta method (as analysis)."""
        return [
            1 / _log_eps_per_round_sigma(self.num_shots[d], self.num_errors[d], self.rounds[d])
            ** 2
            for d in self.distances
        ]

    def _projected_eps(self, distance: int, factors: Mapping[str, float]) -> float:
        eps = self.logical_error_per_round[distance].best
        total = sum(c.elasticity[distance].best for c in self.components)
        effective = sum(c.share[distance] * factors.get(c.component, 1.0) for c in self.components)
        if effective <= 0:
            return 0.0
        return float(eps * effective**total)

    def what_if(self, **factors: float) -> Projection:
        """Project eps_d, Lambda and the teraquop footprint with components scaled.

        Args:
            **factors: component -> scale factor (e.g. ``two_qubit_gate=0.5`` halves it).

        Returns:
            A :class:`Projection`, labelled as a projection.

        Examples:
            >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
            ...     max_errors=100, seed=7, num_workers=1, progress=False)
            >>> projection = budget.what_if(two_qubit_gate=0.5)
            >>> projection.logical_error_per_round[5] < budget.logical_error_per_round[5].best
            True
        """
        self._require_elasticities("what_if")
        for name, value in factors.items():
            check_component(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise QecsimError(f"{name}={value!r} is not a scale factor in [0, inf)")
        eps = {d: self._projected_eps(d, factors) for d in self.distances}
        lambda_ = distance = qubits = None
        if self.lambda_fit is not None and all(e > 0 for e in eps.values()):
            # the measured fit, moved by the weighted fit of the projected ratios (same
            # weights), so that what_if() with all factors 1 reproduces the fit exactly
            log_ratio = [math.log(eps[d] / self.logical_error_per_round[d].best)
                         for d in self.distances]
            shift, slope = _weighted_line(self._fit_x(), log_ratio, self._fit_weights())
            lambda_ = float(self.lambda_fit.best * math.exp(-slope))
            if lambda_ > 1:
                intercept = self.lambda_fit.intercept + shift
                needed = (intercept - math.log(1e-12)) / math.log(lambda_)
                distance = max(2 * math.ceil(needed) - 1, 3)
                qubits = analysis.QUBITS_PER_CODE[self.code](distance)
        return Projection(
            factors={c: float(factors.get(c, 1.0)) for c in COMPONENTS},
            logical_error_per_round=eps,
            lambda_=lambda_,
            teraquop_distance=distance,
            teraquop_qubits=qubits,
        )

    def required_scale(
        self, *, target: float, distance: int, component: str | None = None
    ) -> float | None:
        """The factor by which to scale components to reach ``target`` eps at ``distance``.

        Args:
            target: The logical error per round wanted.
            distance: One of the budget's distances.
            component: Scale only this component; None scales all of them uniformly.

        Returns:
            The factor (below 1 means improve), or None when scaling this component alone,
            even to 0, cannot reach the target (the other components set a floor).

        Examples:
            >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
            ...     max_errors=100, seed=7, num_workers=1, progress=False)
            >>> factor = budget.required_scale(target=1e-6, distance=5)
            >>> projection = budget.what_if(**dict.fromkeys(qecsim.COMPONENTS, factor))
            >>> round(projection.logical_error_per_round[5], 12)
            1e-06
        """
        self._require_elasticities("required_scale")
        if distance not in self.distances:
            raise QecsimError(f"distance={distance!r} is not one of {list(self.distances)}")
        if not 0 < target < 0.5:
            raise QecsimError(f"target={target!r} is not in (0, 0.5)")
        eps = self.logical_error_per_round[distance].best
        total = sum(c.elasticity[distance].best for c in self.components)
        if total <= 0 or eps <= 0:
            raise QecsimError(f"the budget at distance {distance} has no positive elasticity")
        ratio = (target / eps) ** (1 / total)
        if component is None:
            return ratio
        share = self.component(component).share[distance]
        if share <= 0:
            return None
        factor = 1 - (1 - ratio) / share
        return factor if factor >= 0 else None

    # --------------------------------------------------------------- output
    def table(self) -> str:
        """A text table: component, rate, elasticity and share per distance, 1/Lambda part.

        Examples:
            >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
            ...     max_errors=100, seed=7, num_workers=1, progress=False)
            >>> print(budget.table())  # doctest: +ELLIPSIS
            error budget: si1000 p=0.002, rotated_surface_code basis Z, ...
        """
        return _format_table(self)

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per component and distance (for CSV or a DataFrame)."""
        rows = []
        for c in self.components:
            for d in self.distances:
                row: dict[str, Any] = {
                    "component": c.component,
                    "rate": c.rate,
                    "distance": d,
                    "logical_error_per_round": self.logical_error_per_round[d].best,
                    "share": c.share[d],
                    "contribution": c.contribution[d].best,
                    "contribution_low": c.contribution[d].low,
                    "contribution_high": c.contribution[d].high,
                }
                if c.elasticity is not None:
                    row |= {
                        "elasticity": c.elasticity[d].best,
                        "elasticity_low": c.elasticity[d].low,
                        "elasticity_high": c.elasticity[d].high,
                    }
                if c.inverse_lambda_contribution is not None:
                    row |= {
                        "inverse_lambda_contribution": c.inverse_lambda_contribution.best,
                        "inverse_lambda_contribution_low": c.inverse_lambda_contribution.low,
                        "inverse_lambda_contribution_high": c.inverse_lambda_contribution.high,
                    }
                rows.append(row)
        return rows

    def to_csv(self, path: str | os.PathLike) -> None:
        """Write :meth:`rows` as CSV."""
        import csv

        rows = self.rows()
        fields: list[str] = []
        for row in rows:
            fields += [k for k in row if k not in fields]
        with open(path, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON format (see :meth:`to_json`)."""
        def per_distance(values: Mapping[int, Any]) -> dict[str, Any]:
            return {
                str(d): v.to_dict() if isinstance(v, Estimate) else v for d, v in values.items()
            }

        return {
            "format": "qecsim.error_budget/1",
            "noise": self.noise.to_dict(),
            "code": self.code,
            "basis": self.basis,
            "distances": list(self.distances),
            "rounds": per_distance(self.rounds),
            "method": self.method,
            "decoder": self.decoder,
            "by": self.by,
            "max_likelihood_factor": self.max_likelihood_factor,
            "num_shots": per_distance(self.num_shots),
            "num_errors": per_distance(self.num_errors),
            "logical_error_per_round": per_distance(self.logical_error_per_round),
            "inverse_lambda": (
                None if self.inverse_lambda is None else self.inverse_lambda.to_dict()
            ),
            "components": {
                c.component: {
                    "rate": c.rate,
                    "elasticity": None if c.elasticity is None else per_distance(c.elasticity),
                    "share": per_distance(c.share),
                    "contribution": per_distance(c.contribution),
                    "inverse_lambda_contribution": None
                    if c.inverse_lambda_contribution is None
                    else c.inverse_lambda_contribution.to_dict(),
                }
                for c in self.components
            },
            "qubits": [
                {
                    "component": q.component,
                    "qubits": list(q.qubits),
                    "elasticity": per_distance(q.elasticity),
                    "share": per_distance(q.share),
                }
                for q in self.qubits
            ],
        }

    def to_json(self, **kwargs: Any) -> str:
        """The budget as JSON: a documented format other tools can read.

        Top-level keys: ``format`` ("qecsim.error_budget/1"), ``noise`` (NoiseModel.to_dict),
        ``code``, ``basis``, ``distances``, ``rounds``, ``method``, ``decoder``, ``by``,
        ``max_likelihood_factor``, ``num_shots``, ``num_errors``,
        ``logical_error_per_round`` ({"3": {"best", "low", "high"}, ...}),
        ``inverse_lambda`` ({"best", "low", "high"} or null), ``components``
        ({key: {"rate", "elasticity": {"3": {...}} or null, "share": {"3": x},
        "contribution": {"3": {...}}, "inverse_lambda_contribution": {...} or null}}) and
        ``qubits`` (a list of {"component", "qubits", "elasticity", "share"}).
        Distances are string keys, as JSON requires.
        """
        return json.dumps(self.to_dict(), **kwargs)

    def plot(self, ax=None):
        """Stacked bars: each component's share of eps_d per distance, and of 1/Lambda."""
        from qecsim.budget.plots import plot_budget

        return plot_budget(self, ax=ax)

    def plot_heatmap(self, ax=None, *, component: str | None = None, distance: int | None = None):
        """Per-qubit and per-coupler shares drawn on the code layout (``by="qubit"``)."""
        from qecsim.budget.plots import plot_budget_heatmap

        return plot_budget_heatmap(self, ax=ax, component=component, distance=distance)


# ------------------------------------------------------------------------------- statistics
def _eps_estimate(shots: int, errors: int, rounds: int, factor: float) -> Estimate:
    fit = sinter.fit_binomial(num_shots=shots, num_hits=errors, max_likelihood_factor=factor)
    values = (fit.best, fit.low, fit.high)
    return Estimate(*(per_round_error_rate(v, rounds=rounds) for v in values))


def _log_eps_sigma(shots: int, errors: int) -> float:
    return math.sqrt(max(1 - errors / shots, 0) / max(errors, 1))


def _lr_elasticities(tally: _Tally, key: str, z: float) -> list[Estimate]:
    """Elasticities of eps from the likelihood-ratio scores summed over failing shots.

    The shot elasticity is the mean score over failing shots, m = sum(S) / F, with variance
    Var(S | fail) / F (the delta method for the ratio E[f S] / E[f]). Var(S | fail) is
    floored at the score's unconditional variance (the Fisher information of s_k): with few
    failing shots a rare component can show the same score in all of them, and a zero
    sample variance would claim certainty the data do not have.
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


def _weighted_line(
    x: Sequence[float], y: Sequence[float], weights: Sequence[float]
) -> tuple[float, float]:
    """Weighted least-squares (intercept, slope) of y against x."""
    x, y, w = (np.asarray(v, dtype=float) for v in (x, y, weights))
    xm, ym = np.sum(w * x) / np.sum(w), np.sum(w * y) / np.sum(w)
    slope = float(np.sum(w * (x - xm) * (y - ym)) / np.sum(w * (x - xm) ** 2))
    return float(ym - slope * xm), slope


def _slope_with_sigma(
    values: Sequence[Estimate], x: Sequence[float], weights: Sequence[float], z: float
) -> tuple[float, float]:
    """The weighted slope of estimates against x, and its sigma from their intervals.

    With the Lambda fit's weights this is exactly d ln(1/Lambda) / d ln s_k.
    """
    x, w = np.asarray(x, dtype=float), np.asarray(weights, dtype=float)
    _, slope = _weighted_line(x, [v.best for v in values], w)
    xm = np.sum(w * x) / np.sum(w)
    coefficients = w * (x - xm) / np.sum(w * (x - xm) ** 2)
    sigmas = np.array([(v.high - v.low) / (2 * z) for v in values])
    return slope, float(math.sqrt(np.sum((coefficients * sigmas) ** 2)))


def _log_eps_per_round_sigma(shots: int, errors: int, rounds: int) -> float:
    """Delta-method sigma of ln eps per round (as in :func:`qecsim.analysis.fit_lambda`)."""
    slope = per_round_log_slope(max(errors, 1) / shots, rounds=rounds)
    return _log_eps_sigma(shots, errors) * slope


# =============================================================================== public API
def error_budget(
    noise: NoiseModel,
    *,
    code: str = "rotated_surface_code",
    basis: str = "Z",
    distances: Iterable[int] = (3, 5, 7),
    rounds: int | None = None,
    decoder: str = "pymatching",
    method: str = "likelihood_ratio",
    by: str = "component",
    max_shots: int = 10_000_000,
    max_errors: int = 1_000,
    delta: float = 0.25,
    seed: int | None = None,
    num_workers: int | None = None,
    progress: bool = True,
    max_likelihood_factor: float = analysis.DEFAULT_MAX_LIKELIHOOD_FACTOR,
) -> ErrorBudget:
    """Attribute the logical error per round (and 1/Lambda) to the noise components.

    Args:
        noise: The noise model as measured (all scale factors 1).
        code: One of :data:`qecsim.CODES`.
        basis: ``"Z"`` or ``"X"``.
        distances: Code distances (>= 1 of them; >= 2 for 1/Lambda).
        rounds: Rounds per experiment; None means rounds = d.
        decoder: A name from :func:`qecsim.decoders.available`.
        method: One of :data:`BUDGET_METHODS` (see the module docstring).
        by: ``"component"``, or ``"qubit"`` to also split along qubits and couplers
            (likelihood_ratio only).
        max_shots: Shots per sample set at most (in [1000, 10^10]).
        max_errors: Stop a sample set after this many logical errors (in [1, 10^8]).
        delta: Step of ``finite_difference``: s = 1 + delta and 1 / (1 + delta), delta in
            (0, 0.9].
        seed: Seed for reproducible results (the same for any ``num_workers``).
        num_workers: Processes; None means all cores.
        progress: Show a progress bar.
        max_likelihood_factor: CI convention of :mod:`qecsim.analysis` (1000 = 3.72 sigma).

    Returns:
        An :class:`ErrorBudget`.

    Raises:
        QecsimError: Bad input (checked before any sampling).

    Examples:
        >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=[3],
        ...     max_errors=200, seed=1, num_workers=1, progress=False)
        >>> sorted(c.component for c in budget.components if c.share[3] > 0.15)
        ['measurement', 'measurement_idle', 'two_qubit_gate']
        >>> round(sum(c.elasticity[3].best for c in budget.components))  # ~ (d + 1) / 2
        2
    """
    if not isinstance(noise, NoiseModel):
        raise QecsimError(f"noise={describe(noise)} is not a qecsim.NoiseModel")
    if code not in CODES:
        raise QecsimError(f"unknown code {code!r}; valid codes: {', '.join(CODES)}")
    if method not in BUDGET_METHODS:
        raise QecsimError(f"unknown method {method!r}; valid methods: {', '.join(BUDGET_METHODS)}")
    if by not in _BY:
        raise QecsimError(f"by={by!r} is not one of {', '.join(_BY)}")
    if by == "qubit" and method != "likelihood_ratio":
        raise QecsimError(f"by='qubit' needs method='likelihood_ratio', not {method!r}")
    if isinstance(distances, (int, str)) or not isinstance(distances, Iterable):
        raise QecsimError(f"distances={distances!r} is not a list of code distances")
    distances = tuple(sorted(set(distances)))
    if not distances:
        raise QecsimError("distances is empty; give at least one code distance")
    for d in distances:
        # memory_circuit validates distance, rounds and basis with clear messages
        memory_circuit(code, distance=d, rounds=rounds, basis=basis, noise=None)
    (decoder,) = decoder_registry.check_names([decoder])  # the canonical name
    decoder_registry.get(decoder)  # raises with an install hint when missing
    check_int("max_shots", max_shots, 1000, 10**10)
    check_int("max_errors", max_errors, 1, 10**8)
    if seed is not None:
        check_int("seed", seed, 0, 2**63 - 1)
    if not 0 < delta <= 0.9:
        raise QecsimError(f"delta={delta!r} is not in (0, 0.9]")
    if num_workers is None:
        num_workers = os.cpu_count() or 1
    check_int("num_workers", num_workers, 1, 1024)
    in_use = noise.components_in_use()
    if not in_use:
        raise QecsimError("the noise model has no nonzero rate: nothing to budget")
    if method == "finite_difference":
        for component in in_use:
            noise.scaled(**{component: 1 + delta})  # raises if a rate would exceed its limit
    if noise.is_layout_bound and len(distances) > 1:
        warnings.warn(
            "the noise model has per-qubit/per-coupler overrides, keyed by circuit qubit index; "
            f"indices mean different qubits at distances {list(distances)}, so the overrides "
            "fall on different places at each distance (a device layout fits one distance)",
            stacklevel=2,
        )
    z = analysis.sigma_equivalent(max_likelihood_factor)

    def config(model: NoiseModel, d: int, score: bool) -> _Config:
        r = default_rounds(distance=d, noise=noise) if rounds is None else rounds
        return _Config(model.to_dict(), code, basis.upper(), d, r, decoder, by == "qubit", score)

    nominal = [config(noise, d, method == "likelihood_ratio") for d in distances]
    variants: dict[tuple[str, float, int], _Config] = {}
    if method == "finite_difference":
        for component in in_use:
            for s in (1 + delta, 1 / (1 + delta)):  # symmetric steps in ln s
                for d in distances:
                    variants[(component, s, d)] = config(noise.scaled(**{component: s}), d, False)
    elif method == "ablation":
        for component in in_use:
            for d in distances:
                variants[(component, 0.0, d)] = config(noise.scaled(**{component: 0}), d, False)
    tallies, cpu = _sample_all(
        [*nominal, *variants.values()],
        max_shots=max_shots, max_errors=max_errors, seed=seed, num_workers=num_workers,
        progress=progress, description=f"error budget ({method})",
    )
    nominal_tally = dict(zip(distances, tallies[: len(distances)], strict=True))
    variant_tally = dict(zip(variants, tallies[len(distances):], strict=True))

    eps = {
        d: _eps_estimate(t.shots, t.errors, t.config.rounds, max_likelihood_factor)
        for d, t in nominal_tally.items()
    }
    silent = [d for d, t in nominal_tally.items() if t.errors == 0]
    if silent:
        warnings.warn(
            f"no logical errors at distances {silent} in {max_shots} shots: their "
            "elasticities are unknown (infinite intervals); raise max_shots",
            stacklevel=2,
        )
    lambda_fit = inverse_lambda = None
    if len(distances) >= 2 and all(t.errors > 0 for t in nominal_tally.values()):
        lambda_fit = analysis.fit_lambda(
            [_task_stats(t, noise, decoder) for t in nominal_tally.values()],
            max_likelihood_factor=max_likelihood_factor,
        )
        inverse_lambda = Estimate(1 / lambda_fit.best, 1 / lambda_fit.high, 1 / lambda_fit.low)

    elasticity: dict[str, dict[int, Estimate]] = {}
    qubit_parts: list[QubitBudget] = []
    if method == "likelihood_ratio":
        for d, tally in nominal_tally.items():
            names = tally.labels.get("components", ())
            for name, estimate in zip(names, _lr_elasticities(tally, "component", z), strict=True):
                elasticity.setdefault(name, {})[d] = estimate
        if by == "qubit":
            qubit_parts = _qubit_parts(nominal_tally, z)
    elif method == "finite_difference":
        step = 2 * math.log(1 + delta)
        for (component, s, d), tally in variant_tally.items():
            if s < 1:
                continue
            up, down = tally, variant_tally[(component, 1 / (1 + delta), d)]
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
                jacobians[0] * _log_eps_sigma(up.shots, up.errors),
                jacobians[1] * _log_eps_sigma(down.shots, down.errors),
            ) / step
            elasticity.setdefault(component, {})[d] = Estimate.from_sigma(
                (log_up - log_down) / step, sigma, z
            )

    components = []
    for component in COMPONENTS:
        rate = getattr(noise, component)
        if method == "ablation":
            contribution, share = {}, {}
            for d in distances:
                if component not in in_use:
                    contribution[d], share[d] = Estimate(0.0, 0.0, 0.0), 0.0
                    continue
                without = variant_tally[(component, 0.0, d)]
                base = nominal_tally[d]
                r = base.config.rounds
                eps_all = per_round_error_rate(base.errors / base.shots, rounds=r)
                eps_without = per_round_error_rate(without.errors / without.shots, rounds=r)
                # with no errors, the sigma of one error (not 0) bounds eps(without k)
                eps_floor = per_round_error_rate(max(without.errors, 1) / without.shots, rounds=r)
                sigma = math.hypot(
                    eps_all * _log_eps_sigma(base.shots, base.errors),
                    eps_floor * _log_eps_sigma(without.shots, without.errors),
                )
                contribution[d] = Estimate.from_sigma(eps_all - eps_without, sigma, z)
                share[d] = contribution[d].best / eps_all if eps_all > 0 else 0.0
            components.append(ComponentBudget(component, rate, None, share, contribution, None))
            continue
        e = {
            d: elasticity.get(component, {}).get(d, Estimate(0.0, 0.0, 0.0)) for d in distances
        }
        totals = {d: sum(elasticity[c][d].best for c in elasticity) for d in distances}
        share = {d: e[d].best / totals[d] if totals[d] else 0.0 for d in distances}
        contribution = {
            d: Estimate(*(v / totals[d] * eps[d].best if totals[d] else 0.0
                          for v in (e[d].best, e[d].low, e[d].high)))
            for d in distances
        }
        c_lambda = None
        if inverse_lambda is not None:
            if component in elasticity:
                slope, slope_sigma = _slope_with_sigma(
                    [e[d] for d in distances], [(d + 1) / 2 for d in distances],
                    [1 / _log_eps_per_round_sigma(t.shots, t.errors, t.config.rounds) ** 2
                     for t in nominal_tally.values()],
                    z,
                )
                inv = inverse_lambda.best
                inv_sigma = (inverse_lambda.high - inverse_lambda.low) / (2 * z)
                c_lambda = Estimate.from_sigma(
                    inv * slope, math.hypot(inv * slope_sigma, slope * inv_sigma), z
                )
            else:
                c_lambda = Estimate(0.0, 0.0, 0.0)
        components.append(ComponentBudget(component, rate, e, share, contribution, c_lambda))

    return ErrorBudget(
        noise=noise,
        code=code,
        basis=basis.upper(),
        decoder=decoder,
        method=method,
        by=by,
        distances=distances,
        rounds={d: t.config.rounds for d, t in nominal_tally.items()},
        num_shots={d: t.shots for d, t in nominal_tally.items()},
        num_errors={d: t.errors for d, t in nominal_tally.items()},
        logical_error_per_round=eps,
        inverse_lambda=inverse_lambda,
        components=tuple(components),
        qubits=tuple(qubit_parts),
        max_likelihood_factor=max_likelihood_factor,
        cpu_seconds=cpu,
        lambda_fit=lambda_fit,
    )


def _qubit_parts(nominal_tally: Mapping[int, _Tally], z: float) -> list[QubitBudget]:
    per_group: dict[tuple[str, tuple[int, ...]], dict[int, Estimate]] = {}
    totals: dict[int, float] = {}
    for d, tally in nominal_tally.items():
        estimates = _lr_elasticities(tally, "group", z)
        for group, estimate in zip(tally.labels.get("groups", ()), estimates, strict=True):
            per_group.setdefault(group, {})[d] = estimate
        totals[d] = sum(e.best for e in estimates)
    parts = []
    for (component, qubits), values in sorted(per_group.items()):
        # only the distances at which these qubits carry this component (indices differ by d)
        share = {d: v.best / totals[d] if totals[d] else 0.0 for d, v in values.items()}
        parts.append(QubitBudget(component, qubits, values, share))
    return parts


def _task_stats(tally: _Tally, noise: NoiseModel, decoder: str) -> sinter.TaskStats:
    metadata = {
        "code": tally.config.code, "basis": tally.config.basis, "d": tally.config.distance,
        "rounds": tally.config.rounds, "noise": noise.name, "p": noise.p,
    }
    return sinter.TaskStats(
        strong_id=f"budget-{tally.config.distance}", decoder=decoder, json_metadata=metadata,
        shots=tally.shots, errors=tally.errors, discards=0, seconds=0.0,
    )


def _format_table(budget: ErrorBudget) -> str:
    header = (
        f"error budget: {budget.noise.name}"
        + (f" p={budget.noise.p:g}" if budget.noise.p is not None and budget.noise.name != "custom"
           else "")
        + f", {budget.code} basis {budget.basis}, decoder {budget.decoder}, "
        f"method {budget.method}"
    )
    lines = [header]
    eps = "  ".join(
        f"d={d}: {budget.logical_error_per_round[d]} ({budget.num_errors[d]} errors / "
        f"{budget.num_shots[d]} shots)"
        for d in budget.distances
    )
    lines.append(f"logical error per round  {eps}")
    if budget.inverse_lambda is not None:
        lines.append(f"1/Lambda = {budget.inverse_lambda}  ({budget.lambda_fit})")
    value_name = "contribution" if budget.method == "ablation" else "elasticity"
    columns = ["component", "rate"]
    for d in budget.distances:
        columns += [f"{value_name} d={d}", f"share d={d}"]
    if budget.inverse_lambda is not None and budget.method != "ablation":
        columns.append("1/Lambda part")
    rows = [columns]
    for c in budget.components:
        row = [c.component, f"{c.rate:.3g}"]
        for d in budget.distances:
            value = c.contribution[d] if c.elasticity is None else c.elasticity[d]
            row += [str(value), f"{100 * c.share[d]:.1f}%"]
        if budget.inverse_lambda is not None and budget.method != "ablation":
            row.append(str(c.inverse_lambda_contribution))
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(columns))]
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    z = analysis.sigma_equivalent(budget.max_likelihood_factor)
    lines.append(f"[low, high]: likelihood-ratio {budget.max_likelihood_factor:g} (~{z:.2f} sigma)")
    return "\n".join(lines)
