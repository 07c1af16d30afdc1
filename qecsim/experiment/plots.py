"""Plots of a measured-vs-model comparison (:class:`~qecsim.experiment.compare.ModelComparison`).

Every function takes an optional matplotlib ``ax`` (a new figure when None), draws on it and
returns it; none calls ``plt.show()``. Error bars are sinter's likelihood-ratio convention
(factor 1000, 3.7 sigma) for rounds, and 2 sigma for qubits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from qecsim.experiment.compare import ModelComparison

__all__ = ["plot_detection_fraction_by_round", "plot_pij_matrix", "plot_qubit_ratio"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_detection_fraction_by_round(report: ModelComparison, ax=None, *, label: str = ""):
    """Mean detection fraction per round: measured with error bars, and the model's.

    Examples:
        >>> import qecsim
        >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 9))
        >>> ax = qecsim.compare_to_model(experiment, logical=False).plot_by_round()
        >>> ax.get_ylabel()
        'mean detection fraction'
    """
    ax = _axes(ax)
    rounds = sorted(report.rounds)
    measured = [report.rounds[r][0] for r in rounds]
    best = np.array([m.best for m in measured])
    error = np.array([[m.best - m.low for m in measured], [m.high - m.best for m in measured]])
    prefix = f"{label}: " if label else ""
    lines = ax.errorbar(rounds, best, yerr=error, fmt="o", markersize=3, capsize=2,
                        label=f"{prefix}measured")
    ax.plot(rounds, [report.rounds[r][1] for r in rounds], "-", color=lines[0].get_color(),
            alpha=0.6, label=f"{prefix}model")
    ax.set_xlabel("round")
    ax.set_ylabel("mean detection fraction")
    ax.legend(fontsize="small")
    return ax


def plot_qubit_ratio(report: ModelComparison, ax=None, *, cmap: str = "coolwarm"):
    """Measured/model detection-fraction ratio of each qubit, drawn at its coordinates.

    Measure qubits are squares, data qubits circles; the colour is the ratio (centred at 1),
    and qubits whose difference is significant are outlined in black.
    """
    import matplotlib.colors

    ax = _axes(ax)
    rows = [row for row in report.qubits if len(row.coordinates) >= 2]
    if not rows:
        ax.set_title("no qubit coordinates")
        return ax
    ratios = np.array([row.ratio for row in rows])
    spread = max(float(np.max(np.abs(ratios - 1))), 1e-3)
    norm = matplotlib.colors.TwoSlopeNorm(vcenter=1.0, vmin=1 - spread, vmax=1 + spread)
    for role, marker in (("measure", "s"), ("data", "o")):
        chosen = [row for row in rows if row.role == role]
        if not chosen:
            continue
        points = ax.scatter(
            [row.coordinates[0] for row in chosen],
            [row.coordinates[1] for row in chosen],
            c=[row.ratio for row in chosen], cmap=cmap, norm=norm, marker=marker, s=260,
            edgecolors=["black" if row.significant else "none" for row in chosen],
            linewidths=1.5, label=f"{role} qubits",
        )
    for row in rows:
        ax.annotate(str(row.qubit), row.coordinates[:2], ha="center", va="center",
                    fontsize=7)
    ax.figure.colorbar(points, ax=ax, label="measured / model detection fraction")
    ax.set_aspect("equal")
    ax.invert_yaxis()
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return ax


def plot_pij_matrix(
    report: ModelComparison,
    ax=None,
    *,
    vmax: float | None = None,
    detectors: tuple[int, int] | None = None,
):
    """The p_ij matrix: measured below the diagonal, the model's above it.

    Args:
        report: The comparison.
        ax: Axes to draw on (a new figure when None).
        vmax: Top of the colour scale (default: the 99.9th percentile).
        detectors: Show detectors ``start`` to ``stop - 1`` only (default all).
    """
    ax = _axes(ax)
    measured = report.statistics.pij
    combined = np.where(np.tri(*measured.shape, -1, dtype=bool), measured,
                        report.predicted_pij)
    np.fill_diagonal(combined, np.nan)
    start, stop = detectors if detectors is not None else (0, combined.shape[0])
    combined = combined[start:stop, start:stop]
    top = vmax if vmax is not None else float(np.nanpercentile(combined, 99.9))
    image = ax.imshow(combined, cmap="viridis", vmin=0, vmax=top, interpolation="nearest",
                      extent=(start - 0.5, stop - 0.5, stop - 0.5, start - 0.5))
    ax.figure.colorbar(image, ax=ax, label="p_ij")
    ax.set_xlabel("detector j (above the diagonal: model)")
    ax.set_ylabel("detector i (below the diagonal: measured)")
    return ax
