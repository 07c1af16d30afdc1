"""Plots of sweep results: logical error vs p, Lambda fits, thresholds.

Every function takes an optional matplotlib ``ax`` (a new figure is made when it is None),
draws on it, and returns it; none calls ``plt.show()``. Error bars are the confidence
intervals of :mod:`qecsim.analysis` (sinter's likelihood-ratio convention,
``max_likelihood_factor=1000`` by default); points without any error are drawn as a down
arrow (:data:`UPPER_LIMIT_MARKER`) at the upper end of their interval.

Examples:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import sinter, qecsim
    >>> stats = [sinter.TaskStats(strong_id=f"{d}", decoder="pymatching", shots=10**5,
    ...     errors=errors, json_metadata={"d": d, "rounds": d, "p": 1e-3})
    ...     for d, errors in [(3, 900), (5, 300), (7, 90)]]
    >>> ax = qecsim.plot_lambda(stats)
    >>> ax.get_xlabel()
    'code distance d'
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import sinter

from qecsim.analysis.grouping import _LAMBDA_VARYING, group_statistics
from qecsim.analysis.labels import group_labels
from qecsim.analysis.lambda_fit import LambdaFit, fit_lambdas
from qecsim.analysis.rates import (
    DEFAULT_MAX_LIKELIHOOD_FACTOR,
    LogicalErrorPerRound,
    logical_error_per_round,
    logical_error_per_shot,
)
from qecsim.analysis.threshold import Threshold, estimate_threshold
from qecsim.errors import QecsimError

__all__ = [
    "UPPER_LIMIT_MARKER",
    "plot_lambda",
    "plot_logical_error_vs_distance",
    "plot_logical_error_vs_p",
    "plot_threshold",
]

#: Marker of points with no logical error, drawn at the upper end of their interval.
UPPER_LIMIT_MARKER = r"$\downarrow$"


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


#: Legend entries are wrapped at this many characters.
LEGEND_WIDTH = 40


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, LEGEND_WIDTH, break_on_hyphens=False)) or text


def _labels(items: Sequence[Any], *, exclude: Sequence[str], given: Sequence[str]) -> list[str]:
    """One short label per item (metadata and decoder) naming what tells them apart."""
    return group_labels(
        [item.metadata for item in items],
        [item.decoder for item in items],
        exclude=exclude,
        given=given,
    )


def _x_parameter(results: Sequence[Any]) -> tuple[str, list]:
    """``"p"`` (or ``"scale"``: custom models swept by scale factors) and the results that
    have it; the others are left out with a warning."""
    for parameter in ("p", "scale"):
        kept = [r for r in results if _number(r.metadata.get(parameter)) is not None]
        if kept:
            if len(kept) < len(results):
                warnings.warn(
                    f"plot_logical_error_vs_p: left out {len(results) - len(kept)} task(s) "
                    f"without '{parameter}' in json_metadata (the x axis)",
                    UserWarning,
                    stacklevel=3,
                )
            return parameter, kept
    missing = results[0]
    raise QecsimError(
        f"the task with d={missing.distance}, rounds={missing.rounds} has no 'p' in its "
        f"json_metadata (it has {sorted(missing.metadata)}); the x axis needs it"
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        return None
    return float(value)


def _draw_error_bars(ax, xs, results: Sequence[Any], color, per_round: bool):
    """Error bars at each point; zero-error points as a down arrow at their upper bound."""
    best = np.array([r.best if per_round else r.shot_error_rate for r in results])
    low = np.array([r.low if per_round else r.shot_error_rate_low for r in results])
    high = np.array([r.high if per_round else r.shot_error_rate_high for r in results])
    xs = np.asarray(xs, dtype=float)
    seen = np.array([r.num_errors > 0 for r in results])
    if seen.any():
        # yerr as plain lists: matplotlib tests math.isfinite on its first entry, which for
        # a one-point NumPy array is a deprecated array-to-scalar conversion
        ax.errorbar(
            xs[seen],
            best[seen],
            yerr=[(best[seen] - low[seen]).tolist(), (high[seen] - best[seen]).tolist()],
            fmt="none",
            ecolor=color,
            elinewidth=1,
            capsize=3,
        )
    if (~seen).any():
        ax.plot(
            xs[~seen],
            high[~seen],
            linestyle="none",
            marker=UPPER_LIMIT_MARKER,
            markersize=12,
            color=color,
        )


def _stats_list(stats: Iterable[Any], what: str) -> list[sinter.TaskStats]:
    if isinstance(stats, sinter.TaskStats):
        stats = [stats]
    stats = list(stats)
    if not stats:
        raise QecsimError(f"{what} is empty: there are no TaskStats to plot")
    for index, stat in enumerate(stats):
        if not isinstance(stat, sinter.TaskStats):
            raise QecsimError(
                f"{what}[{index}] is a {type(stat).__name__}; expected sinter.TaskStats"
            )
    return stats


def plot_logical_error_vs_p(
    stats: Iterable[sinter.TaskStats],
    ax=None,
    *,
    per_round: bool = False,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
):
    """Plot the logical error rate against the physical error rate p, one curve per distance.

    The curves are drawn by ``sinter.plot_error_rate`` (one per distance and per value of
    any other metadata key that differs between the tasks, e.g. the noise model), with error
    bars from :func:`qecsim.analysis.logical_error_per_shot` (or ``logical_error_per_round``)
    on top. Log-log axes. Any sinter store works per shot; tasks without ``p`` (or, for a
    custom model swept by scale factors, ``scale``), or per round without ``rounds``, are
    left out with a warning.

    Args:
        stats: sinter statistics; metadata needs ``p`` (or ``scale``), ``d`` for one curve
            per distance, and ``rounds`` when ``per_round``.
        ax: matplotlib axes to draw on; default a new figure.
        per_round: Plot the logical error per round instead of per shot.
        max_likelihood_factor: Width of the error bars (sinter's convention).

    Returns:
        The axes.

    Raises:
        QecsimError: ``stats`` is empty or lacks metadata keys.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}-{p}", decoder="pymatching", shots=10**4,
        ...     errors=errors, json_metadata={"d": d, "rounds": d, "p": p})
        ...     for (d, p), errors in {(3, 0.005): 400, (3, 0.01): 1500,
        ...                            (5, 0.005): 150, (5, 0.01): 1800}.items()]
        >>> ax = plot_logical_error_vs_p(stats)
        >>> [text.get_text() for text in ax.get_legend().get_texts()]
        ['d=3', 'd=5']
    """
    stats = _stats_list(stats, "stats")
    rates = logical_error_per_round if per_round else logical_error_per_shot
    parameter, results = _x_parameter(rates(stats, max_likelihood_factor=max_likelihood_factor))
    ax = _axes(ax)
    curve_of = {
        (r.strong_id, r.decoder): _wrap(
            ", ".join(filter(None, [f"d={r.distance}" if r.distance else "", rest]))
        )
        for r, rest in zip(
            results, _labels(results, exclude=("p", "scale"), given=("d",)), strict=True
        )
    }

    rounds_of = {(r.strong_id, r.decoder): r.rounds for r in results}

    def label(stat: sinter.TaskStats) -> str:
        return curve_of[(stat.strong_id, stat.decoder)]

    colors: dict[str, str] = {}

    def plot_args(index: int, curve_id: Any, group: Any) -> dict:
        colors[str(curve_id)] = f"C{index % 10}"
        return {"color": colors[str(curve_id)]}

    sinter.plot_error_rate(
        ax=ax,
        stats=[s for s in stats if (s.strong_id, s.decoder) in curve_of],
        x_func=lambda stat: float(stat.json_metadata[parameter]),
        failure_units_per_shot_func=(
            (lambda stat: rounds_of[(stat.strong_id, stat.decoder)])
            if per_round
            else (lambda stat: 1)
        ),
        group_func=label,
        plot_args_func=plot_args,
        highlight_max_likelihood_factor=None,
    )
    by_label: dict[str, list[Any]] = {}
    for result in results:
        by_label.setdefault(curve_of[(result.strong_id, result.decoder)], []).append(result)
    for curve, members in by_label.items():
        xs = [float(r.metadata[parameter]) for r in members]
        _draw_error_bars(ax, xs, members, colors.get(curve, "black"), per_round)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(
        "physical error rate p" if parameter == "p" else "scale factor of the noise model"
    )
    ax.set_ylabel("logical error per round" if per_round else "logical error per shot")
    ax.grid(True, which="major", alpha=0.4)
    ax.grid(True, which="minor", alpha=0.1)
    ax.legend()
    return ax


def plot_logical_error_vs_distance(
    stats: Iterable[sinter.TaskStats],
    ax=None,
    *,
    per_round: bool = False,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
):
    """Plot the logical error against code distance, one line per group, without a fit.

    For any sinter store: per shot needs only ``d`` (e.g. a plain ``sinter collect`` store
    whose metadata has no ``rounds``, where no Lambda can be fitted); per round needs
    ``rounds`` too. Tasks without them are left out with a warning. Groups are as in
    :func:`qecsim.analysis.fit_lambdas` (decoder and metadata other than ``d``/``rounds``).

    Args:
        stats: sinter statistics.
        ax: matplotlib axes to draw on; default a new figure.
        per_round: Plot the logical error per round instead of per shot.
        max_likelihood_factor: Width of the error bars (sinter's convention).

    Returns:
        The axes.

    Raises:
        QecsimError: ``stats`` is empty, or no task has ``d`` (and ``rounds``).

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}", decoder="pymatching", shots=10**4,
        ...     errors=errors, json_metadata={"d": d, "p": 0.001})
        ...     for d, errors in [(3, 300), (5, 90)]]
        >>> ax = plot_logical_error_vs_distance(stats)
        >>> ax.get_ylabel()
        'logical error per shot'
    """
    stats = _stats_list(stats, "stats")
    rates = logical_error_per_round if per_round else logical_error_per_shot
    results = rates(stats, max_likelihood_factor=max_likelihood_factor)
    with_distance = [r for r in results if r.distance]
    if not with_distance:
        raise QecsimError(
            f"no task has an integer 'd' in its json_metadata (the first has "
            f"{sorted(results[0].metadata)}); the x axis needs it"
        )
    if len(with_distance) < len(results):
        warnings.warn(
            f"plot_logical_error_vs_distance: left out {len(results) - len(with_distance)} "
            "task(s) without an integer 'd' in json_metadata (the x axis)",
            UserWarning,
            stacklevel=2,
        )
    ax = _axes(ax)
    groups = group_statistics(with_distance, varying=_LAMBDA_VARYING)
    labels = _labels([g[0] for g in groups], exclude=_LAMBDA_VARYING, given=())
    for index, (members, label) in enumerate(zip(groups, labels, strict=True)):
        members = sorted(members, key=lambda r: (r.distance, r.rounds or 0))
        color = f"C{index % 10}"
        xs = [r.distance for r in members]
        ys = [r.best if per_round else r.shot_error_rate for r in members]
        ax.plot(xs, ys, marker="o", color=color, label=_wrap(label) if label else None)
        _draw_error_bars(ax, xs, members, color, per_round)
    ax.set_yscale("log")
    ax.set_xticks(sorted({r.distance for r in with_distance}))
    ax.set_xlabel("code distance d")
    ax.set_ylabel("logical error per round" if per_round else "logical error per shot")
    ax.grid(True, which="major", alpha=0.4)
    if any(labels):
        ax.legend()
    return ax


def _as_fits(stats_or_fit: Any, max_likelihood_factor: float) -> list[LambdaFit]:
    if isinstance(stats_or_fit, LambdaFit):
        return [stats_or_fit]
    items = (
        [stats_or_fit]
        if isinstance(stats_or_fit, (sinter.TaskStats, LogicalErrorPerRound))
        else list(stats_or_fit)
    )
    if not items:
        raise QecsimError("stats_or_fit is empty: there is nothing to plot")
    if all(isinstance(item, LambdaFit) for item in items):
        return items
    return list(fit_lambdas(items, max_likelihood_factor=max_likelihood_factor))


def plot_lambda(
    stats_or_fit: Any,
    ax=None,
    *,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
):
    """Plot the logical error per round against distance, with the Lambda fit.

    Points carry error bars (their confidence intervals); the fitted line
    ``eps_d = C / Lambda ** ((d + 1) / 2)`` is drawn dashed with a shaded band (the fit's
    interval, :meth:`qecsim.analysis.LambdaFit.predict_interval`) and a legend entry
    ``Lambda = best [low, high]``. Several groups (e.g. several p) give several lines.

    Args:
        stats_or_fit: A :class:`~qecsim.analysis.LambdaFit`, a list of them, or statistics
            (TaskStats or per-round results), which are fitted with
            :func:`qecsim.analysis.fit_lambdas`.
        ax: matplotlib axes to draw on; default a new figure.
        max_likelihood_factor: Width of the intervals when fitting statistics.

    Returns:
        The axes.

    Raises:
        QecsimError: Empty input, or statistics that cannot be fitted.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}", decoder="pymatching", shots=10**5,
        ...     errors=errors, json_metadata={"d": d, "rounds": d, "p": 1e-3})
        ...     for d, errors in [(3, 900), (5, 300), (7, 90)]]
        >>> ax = plot_lambda(stats)
        >>> ax.get_legend().get_texts()[0].get_text()
        'Lambda = 4.91 [4.15, 5.82]'
    """
    fits = _as_fits(stats_or_fit, max_likelihood_factor)
    ax = _axes(ax)
    groups = _labels(fits, exclude=(), given=())
    all_distances: set[int] = set()
    for index, (fit, group) in enumerate(zip(fits, groups, strict=True)):
        color = f"C{index % 10}"
        points = sorted(fit.points + fit.excluded, key=lambda r: (r.distance, r.rounds))
        distances = [r.distance for r in points]
        all_distances.update(distances)
        ax.plot(
            [r.distance for r in fit.points],
            [r.best for r in fit.points],
            linestyle="none",
            marker="o",
            color=color,
        )
        _draw_error_bars(ax, distances, points, color, per_round=True)
        line = np.linspace(min(distances), max(distances), 100)
        band = fit.predict_interval(line)
        name = f"Lambda = {fit.best:.3g} [{fit.low:.3g}, {fit.high:.3g}]"
        ax.plot(
            line,
            band.best,
            linestyle="--",
            color=color,
            label=_wrap(f"{group}: {name}") if group else name,
        )
        ax.fill_between(line, band.low, band.high, color=color, alpha=0.15, linewidth=0)
    ax.set_yscale("log")
    ax.set_xticks(sorted(all_distances))
    ax.set_xlabel("code distance d")
    ax.set_ylabel("logical error per round")
    ax.grid(True, which="major", alpha=0.4)
    ax.legend()
    return ax


def plot_threshold(
    stats: Iterable[sinter.TaskStats],
    ax=None,
    *,
    per_round: bool = False,
    threshold: Threshold | None = None,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
):
    """Plot the logical error curves of several distances and the estimated threshold.

    The curves are :func:`plot_logical_error_vs_p`; the threshold
    (:func:`qecsim.analysis.estimate_threshold`) is a dashed vertical line at ``best`` and a
    grey band from ``low`` to ``high``.

    Args:
        stats: sinter statistics of one group (one noise model, decoder, ...).
        ax: matplotlib axes to draw on; default a new figure.
        per_round: Use the logical error per round instead of per shot.
        threshold: A threshold already estimated from ``stats`` (skips re-estimating it).
        max_likelihood_factor: Width of the error bars and of the threshold's interval.

    Returns:
        The axes.

    Raises:
        QecsimError: ``stats`` is empty, spans several groups, or its curves do not cross.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}-{p}", decoder="pymatching", shots=10**4,
        ...     errors=errors, json_metadata={"d": d, "rounds": d, "p": p})
        ...     for (d, p), errors in {(3, 0.005): 400, (3, 0.01): 1500,
        ...                            (5, 0.005): 150, (5, 0.01): 1800}.items()]
        >>> ax = plot_threshold(stats)
        >>> ax.get_legend().get_texts()[-1].get_text()
        'threshold 0.00897 [0.00837, 0.00961]'
    """
    stats = _stats_list(stats, "stats")
    if threshold is None:
        threshold = estimate_threshold(
            stats, per_round=per_round, max_likelihood_factor=max_likelihood_factor
        )
    elif not isinstance(threshold, Threshold):
        raise QecsimError(f"threshold is a {type(threshold).__name__}; expected a Threshold")
    ax = plot_logical_error_vs_p(
        stats, ax, per_round=per_round, max_likelihood_factor=max_likelihood_factor
    )
    ax.axvspan(
        threshold.low,
        threshold.high,
        color="grey",
        alpha=0.2,
        linewidth=0,
        label=f"threshold {threshold.best:.3g} [{threshold.low:.3g}, {threshold.high:.3g}]",
    )
    ax.axvline(threshold.best, color="black", linestyle="--", linewidth=1)
    ax.legend()
    return ax
