"""Plots of an :class:`qecsim.ErrorBudget`: stacked shares and a per-qubit heatmap."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from qecsim.circuits.memory import memory_circuit
from qecsim.errors import QecsimError

if TYPE_CHECKING:  # pragma: no cover
    from qecsim.budget.results import ErrorBudget

__all__ = ["plot_budget", "plot_budget_heatmap"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 4))
    return ax


def plot_budget(budget: ErrorBudget, ax=None):
    """Stacked bars: each component's share of eps_d per distance, and of 1/Lambda.

    Segments carry error bars (the CI of the component's part). For ``method="ablation"``
    the bars show eps(all) - eps(without k) over eps(all), which need not add up to 100%.

    Args:
        budget: The budget to draw.
        ax: Matplotlib axes; a new figure when None.

    Returns:
        The axes.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
        ...     max_errors=100, seed=7, num_workers=1, progress=False)
        >>> ax = plot_budget(budget)
        >>> ax.get_ylabel()
        'share (%)'
    """
    ax = _axes(ax)
    labels = [f"eps d={d}" for d in budget.distances]
    show_lambda = budget.inverse_lambda is not None and budget.method != "ablation"
    if show_lambda:
        labels.append("1/Lambda")
    x = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    colors = _component_colors()
    for component in budget.components:
        if not any(component.share[d] for d in budget.distances):
            continue
        heights, errors = [], []
        for d in budget.distances:
            eps = budget.logical_error_per_round[d].best
            part = component.contribution[d]
            scale = 100 / eps if eps > 0 else 0.0
            heights.append(part.best * scale)
            errors.append(((part.best - part.low) * scale, (part.high - part.best) * scale))
        if show_lambda:
            inverse = budget.inverse_lambda.best
            part = component.inverse_lambda_contribution
            heights.append(100 * part.best / inverse)
            errors.append((100 * (part.best - part.low) / inverse,
                           100 * (part.high - part.best) / inverse))
        heights = np.array(heights)
        ax.bar(x, heights, bottom=bottom, label=component.component,
               color=colors.get(component.component), edgecolor="white", width=0.6)
        ax.errorbar(x + 0.12, bottom + heights, yerr=np.array(errors).T, fmt="none",
                    ecolor="black", elinewidth=0.8, capsize=2)
        bottom = bottom + np.where(heights > 0, heights, 0)
    ax.set_xticks(x, labels)
    ax.set_ylabel("share (%)")
    title = f"error budget: {budget.noise.name}"
    if budget.noise.p is not None:
        title += f" p={budget.noise.p:g}"
    ax.set_title(f"{title} ({budget.method})")
    ax.axhline(100, color="grey", linewidth=0.5, linestyle=":")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    return ax


def _component_colors() -> dict[str, str]:
    from qecsim.noise.components import COMPONENTS

    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f"]
    return dict(zip(COMPONENTS, palette, strict=True))


def plot_budget_heatmap(
    budget: ErrorBudget, ax=None, *, component: str | None = None, distance: int | None = None
):
    """Per-qubit and per-coupler shares of eps_d drawn on the code layout.

    Qubits are dots at their circuit coordinates, coloured by the share of their one-qubit
    channels; couplers are lines coloured by the share of their two-qubit channels (gate
    errors and crosstalk). Needs a budget made with ``by="qubit"``.

    Args:
        budget: A ``by="qubit"`` budget.
        ax: Matplotlib axes; a new figure when None.
        component: Only this component; None sums all of them.
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
        >>> plot_budget_heatmap(budget).get_title()
        'all components, d=3: share per qubit/coupler'
    """
    if budget.by != "qubit":
        raise QecsimError("plot_heatmap needs a budget made with by='qubit'")
    distance = max(budget.distances) if distance is None else distance
    if distance not in budget.distances:
        raise QecsimError(f"distance={distance!r} is not one of {list(budget.distances)}")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    ax = _axes(ax)
    circuit = memory_circuit(budget.code, distance=distance, rounds=1, basis=budget.basis)
    coords = {q: tuple(c) for q, c in circuit.get_final_qubit_coordinates().items()}
    qubit_share: dict[int, float] = dict.fromkeys(coords, 0.0)
    coupler_share: dict[tuple[int, int], float] = {}
    for part in budget.qubits:
        if (component is not None and part.component != component) or distance not in part.share:
            continue
        share = 100 * part.share[distance]
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
        ax.annotate(str(q), coords[q], ha="center", va="center", fontsize=6, color="white",
                    zorder=3)
    ax.figure.colorbar(points, ax=ax, label="share of eps (%)")
    ax.set_aspect("equal")
    ax.invert_yaxis()
    ax.set_title(f"{component or 'all components'}, d={distance}: share per qubit/coupler")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return ax
