"""The results of :func:`qecsim.error_budget`: per component, per qubit, and the whole budget.

:class:`ErrorBudget` holds the numbers and writes them out (table, rows, CSV, JSON); its
what-if projections live in :mod:`qecsim.budget.projections`, its table in
:mod:`qecsim.budget.table` and its figures in :mod:`qecsim.budget.plots` (imported when
drawn; the plot module sees this one for type hints only).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qecsim import analysis
from qecsim.analysis.estimate import Estimate
from qecsim.budget.projections import Projection, project, required_scale
from qecsim.budget.table import format_table
from qecsim.errors import QecsimError
from qecsim.noise.components import check_component
from qecsim.noise.model import NoiseModel

__all__ = ["ComponentBudget", "ErrorBudget", "QubitBudget"]


@dataclass(frozen=True)
class ComponentBudget:
    """One component's part of the budget.

    Attributes:
        component: The budget key: a canonical component, or ``component.part`` when the
            noise tags name parts of a component.
        rate: The mean probability of the row's channels in the nominal circuits (every
            distance): a channel's probability is the sum of its arguments (a Pauli channel's
            total), per target group; a component without its own row averages all its
            parts. For a noise model this is the rate its channels actually get (per-qubit
            overrides, T1/T2 idles, crosstalk kinds and parts included); 0 for a row
            without channels.
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
        component: The budget key (component, or ``component.part``).
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
class ErrorBudget:
    """The result of :func:`error_budget`.

    Attributes:
        noise: The noise model (s = 1); None for a budget of circuits.
        code, basis, decoder, method, by: The experiment and how it was estimated (code and
            basis None for circuits given without them).
        distances: The code distances, increasing.
        rounds: distance -> rounds used.
        num_shots, num_errors: distance -> shots and logical errors of the nominal run.
        logical_error_per_round: distance -> eps_d with CI.
        inverse_lambda: 1/Lambda from a fit of ln eps_d against (d + 1) / 2 (None with one
            distance).
        components: One :class:`ComponentBudget` per canonical component (per part, where
            the tags split a component into parts).
        qubits: Per-qubit and per-coupler parts (``by="qubit"`` only).
        max_likelihood_factor: The CI convention (see :mod:`qecsim.analysis`).
        cpu_seconds: CPU time spent sampling and decoding.
        notes: What the budget says about its input, in sentences (e.g. that tag_noise
            tagged a circuit's noise).
        circuits: For a budget of circuits: distance -> the SHA-256 (first 24 hex digits)
            of the tagged circuit that was sampled; empty for a noise model.
        qubit_coordinates: For a budget of circuits: distance -> qubit -> its
            ``QUBIT_COORDS`` (the heatmap's layout); empty for a noise model.
        num_qubits: distance -> the physical qubits the sampled circuit acts on (what
            sizes the teraquop footprint of :meth:`what_if`).
    """

    noise: NoiseModel | None
    code: str | None
    basis: str | None
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
    notes: tuple[str, ...] = ()
    circuits: Mapping[int, str] = field(default_factory=dict)
    qubit_coordinates: Mapping[int, Mapping[int, tuple[float, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    num_qubits: Mapping[int, int] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        """The budget's rows: canonical components, or ``component.part`` where tags name parts."""
        return tuple(c.component for c in self.components)

    def component(self, name: str) -> ComponentBudget:
        """The budget of one row by key (a component, or ``component.part``).

        A component whose channels all carry parts (the kinds of crosstalk, the bit and phase
        flips of cat qubits) has no row of its own: ask for its parts. Their sum is not
        returned as a row: the parts' elasticities add up to the component's to first order,
        but their interval needs the covariance of the parts' estimates (the same shots),
        which the budget does not keep. :meth:`what_if` and :meth:`required_scale` take the
        component's name and scale all its parts.

        Raises:
            QecsimError: ``name`` is not a component, is split into parts in this budget (the
                message names them), or is a part this budget does not have.

        Examples:
            >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3).with_crosstalk(
            ...     spectator=1e-3, parallel=1e-3), distances=[3], max_errors=20, seed=1,
            ...     num_workers=1, progress=False)
            >>> budget.component("crosstalk")
            Traceback (most recent call last):
            ...
            qecsim.errors.QecsimError: 'crosstalk' is split into parts in this budget: \
crosstalk.parallel, crosstalk.spectator; ask for one of them (what_if and required_scale take \
'crosstalk' for all of them)
        """
        for budget in self.components:
            if budget.component == name:
                return budget
        component = check_component(name.partition(".")[0])
        parts = [key for key in self.keys if key.startswith(component + ".")]
        if name == component and parts:
            raise QecsimError(
                f"{name!r} is split into parts in this budget: {', '.join(parts)}; ask for "
                f"one of them (what_if and required_scale take {name!r} for all of them)"
            )
        raise QecsimError(f"{name!r} is not a row of this budget; rows: {', '.join(self.keys)}")

    # --------------------------------------------------------------- projections
    def what_if(self, **factors: float) -> Projection:
        """Project eps_d, Lambda and the teraquop footprint with components scaled.

        Args:
            **factors: component -> scale factor (e.g. ``two_qubit_gate=0.5`` halves it); a
                part of a component by its key, ``**{"crosstalk.static_zz": 0.5}``.

        Returns:
            A :class:`Projection`, labelled as a projection.

        Examples:
            >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
            ...     max_errors=100, seed=7, num_workers=1, progress=False)
            >>> projection = budget.what_if(two_qubit_gate=0.5)
            >>> projection.logical_error_per_round[5] < budget.logical_error_per_round[5].best
            True
        """
        return project(self, factors)

    def required_scale(
        self, *, target: float, distance: int, component: str | None = None
    ) -> float | None:
        """The factor by which to scale components to reach ``target`` eps at ``distance``.

        Args:
            target: The logical error per round wanted.
            distance: One of the budget's distances.
            component: Scale only this component (all its parts), or one part by its key;
                None scales all of them uniformly.

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
        return required_scale(self, target=target, distance=distance, component=component)

    # --------------------------------------------------------------- output
    def table(self) -> str:
        """A text table: component, rate, elasticity and share per distance, 1/Lambda part.

        Estimates whose interval contains zero show as ``0 (< upper bound)``; the line under
        1/Lambda states the sum of its parts (first-order, so not necessarily 100%).

        Examples:
            >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
            ...     max_errors=100, seed=7, num_workers=1, progress=False)
            >>> print(budget.table())  # doctest: +ELLIPSIS
            error budget: si1000 p=0.002, rotated surface code, Z basis, rounds = d, decoder ...
            estimated by first-order attribution, likelihood ratio (one sample set per distance)
            ...
        """
        return format_table(self)

    def rows(self) -> list[dict[str, Any]]:
        """One flat dict per component and distance (for CSV or a DataFrame).

        Each row also names the circuits' gate set (``gate_set``), so rows of budgets on
        CX and CZ schedules stay apart when concatenated.
        """
        rows = []
        for c in self.components:
            for d in self.distances:
                row: dict[str, Any] = {
                    "component": c.component,
                    "rate": c.rate,
                    "distance": d,
                    "gate_set": None if self.noise is None else self.noise.gate_set,
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
            "noise": None if self.noise is None else self.noise.to_dict(),
            "circuits": per_distance(self.circuits),
            "notes": list(self.notes),
            "code": self.code,
            "basis": self.basis,
            "gate_set": None if self.noise is None else self.noise.gate_set,
            "distances": list(self.distances),
            "rounds": per_distance(self.rounds),
            "num_qubits": per_distance(self.num_qubits),
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

        Top-level keys: ``format`` ("qecsim.error_budget/1"), ``noise`` (NoiseModel.to_dict,
        or null for circuits), ``circuits`` ({"3": sha256 of the tagged circuit} for a budget
        of circuits, else {}), ``notes`` (a list of sentences), ``code``, ``basis``,
        ``gate_set`` (of the circuits: the noise model's, or null for circuits given as
        such), ``distances``, ``rounds``, ``num_qubits`` ({"3": physical qubits of the
        circuit}), ``method``, ``decoder``, ``by``,
        ``max_likelihood_factor``, ``num_shots``, ``num_errors``,
        ``logical_error_per_round`` ({"3": {"best", "low", "high"}, ...}),
        ``inverse_lambda`` ({"best", "low", "high"} or null), ``components``
        ({key: {"rate" (the mean probability of the row's channels, see
        :class:`ComponentBudget`), "elasticity": {"3": {...}} or null, "share": {"3": x},
        "contribution": {"3": {...}}, "inverse_lambda_contribution": {...} or null}}) and
        ``qubits`` (a list of {"component", "qubits", "elasticity", "share"}).
        Distances are string keys, as JSON requires.
        """
        return json.dumps(self.to_dict(), **kwargs)

    def plot(self, ax=None) -> list:
        """Contributions to eps_d per distance and parts of 1/Lambda, with intervals.

        See :func:`qecsim.budget.plots.plot_budget`: ``ax`` is None (a new figure), one Axes
        (the panels take its place) or a pair; returns the panels' axes.
        """
        from qecsim.budget.plots import plot_budget

        return plot_budget(self, ax=ax)

    def plot_heatmap(self, ax=None, *, component: str | None = None, distance: int | None = None):
        """Per-qubit and per-coupler shares drawn on the code layout (``by="qubit"``)."""
        from qecsim.budget.plots import plot_budget_heatmap

        return plot_budget_heatmap(self, ax=ax, component=component, distance=distance)
