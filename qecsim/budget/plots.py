"""Figures of an :class:`qecsim.ErrorBudget`: contributions to eps_d and 1/Lambda, per-qubit map.

:func:`plot_budget` draws two panels side by side, one row per budget key (component, or
``component.part``): the absolute contribution of each key to the logical error per round
eps_d at each distance (log scale, one bar per distance, each with its own interval, and the
measured eps_d as a dashed line), and each key's part of 1/Lambda with its interval, under a
title that says what was run. :func:`plot_budget_heatmap` draws per-qubit and per-coupler
shares on the code layout.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from qecsim.budget.labels import experiment_label
from qecsim.circuits.memory import memory_circuit
from qecsim.errors import QecsimError

if TYPE_CHECKING:  # pragma: no cover
    from qecsim.analysis.estimate import Estimate
    from qecsim.budget.results import ComponentBudget, ErrorBudget

__all__ = [
    "plot_budget",
    "plot_budget_contributions",
    "plot_budget_heatmap",
    "plot_budget_inverse_lambda",
]


def _axes(ax, figsize=(7, 4)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _rows(budget: ErrorBudget) -> list[ComponentBudget]:
    """The rows worth drawing: keys with a rate or any nonzero estimate."""
    return [
        c for c in budget.components
        if c.rate > 0 or any(c.contribution[d].best or c.contribution[d].high
                             for d in budget.distances)
    ]


def _shows_lambda(budget: ErrorBudget) -> bool:
    return budget.inverse_lambda is not None and all(
        c.inverse_lambda_contribution is not None for c in budget.components
    )


def plot_budget(budget: ErrorBudget, ax=None) -> list:
    """Contributions to eps_d per distance and parts of 1/Lambda, side by side.

    Args:
        budget: The budget to draw.
        ax: None for a new figure; one matplotlib Axes, whose place the panels take (in a
            subfigure); or a pair of Axes to draw the two panels into.

    Returns:
        The panels' axes: [contributions] or [contributions, parts of 1/Lambda] (no 1/Lambda
        with one distance or for ``method="ablation"``).

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
        ...     max_errors=100, seed=7, num_workers=1, progress=False)
        >>> [ax.get_title() for ax in plot_budget(budget)]
        ['contributions to eps_d per round', 'parts of 1/Lambda']
    """
    container, axes = _panels(budget, ax)
    plot_budget_contributions(budget, axes[0], legend=container is None)
    if len(axes) > 1:
        plot_budget_inverse_lambda(budget, axes[1])
        axes[1].tick_params(labelleft=False)
    if container is not None:
        width = container.bbox.width / container.dpi_scale_trans.get_matrix()[0, 0]
        title = textwrap.fill(f"error budget: {experiment_label(budget)}",
                              width=max(40, int(11 * width)), break_long_words=False)
        container.suptitle(title, fontsize="medium")
        handles, labels = axes[0].get_legend_handles_labels()
        container.legend(handles, labels, loc="outside lower center", fontsize="small",
                         ncols=min(len(labels), 3), frameon=False,
                         title="measured logical error per round (dashed lines)",
                         title_fontsize="small")
    return axes


def _panels(budget: ErrorBudget, ax) -> tuple[Any, list]:
    """(figure or subfigure to title, the panels' axes)."""
    import matplotlib.pyplot as plt

    count = 2 if _shows_lambda(budget) else 1
    if ax is not None and np.iterable(ax):
        axes = list(ax)
        if len(axes) < count:
            raise QecsimError(f"this budget needs {count} axes (got {len(axes)})")
        return None, axes[:count]
    if ax is None:
        height = 1.8 + 0.28 * len(_rows(budget)) * max(1.0, len(budget.distances) / 2)
        container = plt.figure(figsize=(11.5 if count == 2 else 7.5, height),
                               layout="constrained")
    else:
        figure = ax.figure
        container = figure.add_subfigure(ax.get_subplotspec())
        ax.remove()
        if figure.get_layout_engine() is None:
            figure.set_layout_engine("constrained")
    widths = [3, 2] if count == 2 else [1]
    axes = container.subplots(1, count, sharey=True, width_ratios=widths, squeeze=False)[0]
    return container, list(axes)


def _distance_colors(budget: ErrorBudget) -> dict[int, Any]:
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("viridis")
    n = len(budget.distances)
    positions = [0.45] if n == 1 else np.linspace(0.1, 0.75, n)
    return {d: cmap(x) for d, x in zip(budget.distances, positions, strict=True)}


def _log_limits(budget: ErrorBudget, rows: list[ComponentBudget]) -> tuple[float, float]:
    """From 1/300 of the smallest eps_d (smaller parts are negligible) to above the largest."""
    eps = [e.best for e in budget.logical_error_per_round.values() if e.best > 0]
    if not eps:
        return 1e-6, 1.0
    highs = [c.contribution[d].high for c in rows for d in budget.distances]
    top = min(max([*eps, *highs]), 3 * max(eps))
    return min(eps) / 300, top * 1.6


def plot_budget_contributions(budget: ErrorBudget, ax=None, *, legend: bool = True):
    """Each key's contribution to eps_d per round: one bar per distance, with intervals.

    An estimate compatible with zero (its interval contains 0, as ``0 (< x)`` in the table)
    has no bar, only a marker on the left edge and its interval up to x; an estimate that
    small against eps_d is negligible. Dashed lines mark the measured eps_d. For
    ``method="ablation"`` a contribution is eps(all) - eps(without k).

    Args:
        budget: The budget to draw.
        ax: Matplotlib axes; a new figure when None.
        legend: Draw the legend (the measured eps_d per distance) below the axes.

    Returns:
        The axes.
    """
    ax = _axes(ax)
    rows = _rows(budget)
    colors = _distance_colors(budget)
    low_edge, high_edge = _log_limits(budget, rows)
    height = 0.8 / len(budget.distances)
    for j, d in enumerate(budget.distances):
        y = np.arange(len(rows)) - 0.4 + (j + 0.5) * height
        _bars_with_intervals(ax, y, [c.contribution[d] for c in rows], colors[d], height,
                             low_edge)
        eps = budget.logical_error_per_round[d]
        ax.axvline(eps.best, color=colors[d], linestyle="--", linewidth=1,
                   label=f"d={d}: eps = {eps.best:.2g} [{eps.low:.2g}, {eps.high:.2g}] per round")
    ax.set_xscale("log")
    ax.set_xlim(low_edge, high_edge)
    ax.set_yticks(np.arange(len(rows)), [c.component for c in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(
        "eps(all) - eps(without the component), per round" if budget.method == "ablation"
        else "contribution to logical error per round"
    )
    ax.set_title("contributions to eps_d per round")
    ax.grid(axis="x", which="major", alpha=0.3)
    if legend:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize="small",
                  frameon=False, title="measured (dashed lines)", title_fontsize="small")
    return ax


def _bars_with_intervals(ax, y, estimates: list[Estimate], color, height: float, edge: float):
    best = np.array([e.best for e in estimates])
    low = np.maximum(np.array([e.low for e in estimates]), edge)
    high = np.maximum(np.array([e.high for e in estimates]), edge)
    shown = (np.array([e.low for e in estimates]) > 0) & (best > edge)  # excludes zero
    ax.barh(y[shown], best[shown] - edge, left=edge, height=height * 0.9, color=color)
    centre = np.where(shown, best, edge)
    ax.errorbar(centre, y, xerr=[centre - low, high - centre], fmt="none", ecolor="black",
                elinewidth=0.8, capsize=2)
    if not shown.all():  # compatible with zero: a marker on the edge, the interval from it
        ax.plot(np.full((~shown).sum(), edge), y[~shown], marker="<", linestyle="none",
                color=color, markersize=4)


def plot_budget_inverse_lambda(budget: ErrorBudget, ax=None):
    """Each key's part of 1/Lambda with its interval; 1/Lambda, Lambda and the parts' sum.

    Parts are first-order (``s_k d(1/Lambda)/ds_k``), so they need not add up to 1/Lambda;
    the axis label states both. A part compatible with zero has no bar, only a dot at its
    estimate and its interval.

    Args:
        budget: A budget with 1/Lambda (two or more distances, an elasticity method).
        ax: Matplotlib axes; a new figure when None.

    Returns:
        The axes.
    """
    if not _shows_lambda(budget):
        raise QecsimError("this budget has no parts of 1/Lambda (one distance, or ablation)")
    ax = _axes(ax)
    rows = _rows(budget)
    parts = [c.inverse_lambda_contribution for c in rows]
    best = np.array([p.best for p in parts])
    errors = [best - np.array([p.low for p in parts]), np.array([p.high for p in parts]) - best]
    y = np.arange(len(rows))
    resolved = np.array([p.low > 0 or p.high < 0 for p in parts])  # the interval excludes 0
    ax.barh(y[resolved], best[resolved], height=0.6, color="#4c72b0")
    ax.errorbar(best, y, xerr=[np.where(np.isfinite(e), e, 0) for e in errors], fmt="none",
                ecolor="black", elinewidth=0.8, capsize=2)
    ax.plot(best[~resolved], y[~resolved], marker="o", markersize=3, linestyle="none",
            color="#4c72b0")  # compatible with zero: the estimate and its interval, no bar
    ax.axvline(0, color="black", linewidth=0.6)
    inverse = budget.inverse_lambda
    total = sum(c.inverse_lambda_contribution.best for c in budget.components)
    lambda_fit = budget.lambda_fit
    lam = "" if lambda_fit is None else f", Lambda = {lambda_fit.best:.3g}"
    ax.set_yticks(y, [c.component for c in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_title("parts of 1/Lambda")
    ax.set_xlabel(
        f"1/Lambda = {inverse.best:.3g} [{inverse.low:.3g}, {inverse.high:.3g}]{lam}\n"
        f"parts add up to {total:.3g} ({_percent(total, inverse.best)} of 1/Lambda):\n"
        "first-order parts need not add up to 100%"
    )
    ax.grid(axis="x", alpha=0.3)
    return ax


def _percent(value: float, total: float) -> str:
    return f"{100 * value / total:.0f}%" if total and math.isfinite(total) else "n/a"


def _layout(budget: ErrorBudget, distance: int) -> dict[int, tuple[float, ...]]:
    """Qubit -> coordinates: the circuit's own ``QUBIT_COORDS`` (a budget of circuits), else
    those of qecsim's memory circuit."""
    if distance in budget.qubit_coordinates:
        coords = {q: tuple(c) for q, c in budget.qubit_coordinates[distance].items()}
        if not coords:
            raise QecsimError(f"the circuit of d={distance} has no QUBIT_COORDS to draw")
        return {q: (*c, 0.0, 0.0)[:2] for q, c in coords.items()}
    circuit = memory_circuit(budget.code, distance=distance, rounds=1, basis=budget.basis)
    return {q: tuple(c) for q, c in circuit.get_final_qubit_coordinates().items()}


def plot_budget_heatmap(
    budget: ErrorBudget, ax=None, *, component: str | None = None, distance: int | None = None
):
    """Per-qubit and per-coupler shares of eps_d drawn on the code layout.

    Qubits are dots at their circuit coordinates (a budget of circuits: the circuit's own
    ``QUBIT_COORDS``, first two), coloured by the share of their one-qubit channels;
    couplers are lines coloured by the share of their two-qubit channels (gate errors and
    crosstalk). Needs a budget made with ``by="qubit"``.

    Args:
        budget: A ``by="qubit"`` budget.
        ax: Matplotlib axes; a new figure when None.
        component: Only this component (with its parts) or one part; None sums all of them.
        distance: Which distance; None means the largest.

    Returns:
        The axes.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> noise = qecsim.NoiseModel.si1000(2e-3)
        >>> noise = noise.with_coupler_rates({(5, 1): {"two_qubit_gate": 0.02}})
        >>> budget = qecsim.error_budget(noise, distances=(3,), by="qubit", max_errors=100,
        ...     seed=7, num_workers=1, progress=False)
        >>> plot_budget_heatmap(budget).get_title().splitlines()[0]
        'all components: share of eps per round at d=3'
    """
    if budget.by != "qubit":
        raise QecsimError("plot_heatmap needs a budget made with by='qubit'")
    distance = max(budget.distances) if distance is None else distance
    if distance not in budget.distances:
        raise QecsimError(f"distance={distance!r} is not one of {list(budget.distances)}")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    ax = _axes(ax)
    coords = _layout(budget, distance)
    qubit_share: dict[int, float] = dict.fromkeys(coords, 0.0)
    coupler_share: dict[tuple[int, int], float] = {}
    for part in budget.qubits:
        wanted = component is None or component in (part.component,
                                                     part.component.partition(".")[0])
        if not wanted or distance not in part.share:
            continue
        share = 100 * part.share[distance]
        if any(q not in coords for q in part.qubits):
            continue  # a qubit without coordinates is not drawn
        if len(part.qubits) == 1:
            qubit_share[part.qubits[0]] = qubit_share.get(part.qubits[0], 0.0) + share
        elif len(part.qubits) == 2:
            key = tuple(sorted(part.qubits))
            coupler_share[key] = coupler_share.get(key, 0.0) + share
    values = list(qubit_share.values()) + list(coupler_share.values())
    norm = plt.Normalize(vmin=0, vmax=max(values) if values and max(values) > 0 else 1)
    cmap = plt.get_cmap("viridis")
    segments = [(coords[a], coords[b]) for a, b in coupler_share]
    lines = LineCollection(segments, colors=[cmap(norm(v)) for v in coupler_share.values()],
                           linewidths=4, zorder=1)
    ax.add_collection(lines)
    qubits = sorted(coords)
    points = ax.scatter([coords[q][0] for q in qubits], [coords[q][1] for q in qubits],
                        c=[qubit_share[q] for q in qubits], cmap=cmap, norm=norm, s=160,
                        edgecolors="black", zorder=2)
    for q in qubits:
        dark = np.mean(cmap(norm(qubit_share[q]))[:3]) < 0.5
        ax.annotate(str(q), coords[q], ha="center", va="center", fontsize=6,
                    color="white" if dark else "black",
                    zorder=3)
    ax.figure.colorbar(points, ax=ax, label="share of eps (%)")
    ax.set_aspect("equal")
    ax.invert_yaxis()
    ax.set_title(f"{component or 'all components'}: share of eps per round at d={distance}\n"
                 "per qubit (dots) and coupler (lines)", fontsize="medium")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return ax
