"""Tests of the sweep plots on synthetic statistics (Agg backend)."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import sinter
from matplotlib.collections import PolyCollection
from matplotlib.container import ErrorbarContainer

import qecsim
from qecsim import analysis
from qecsim.analysis import plots as plotting

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def sweep(threshold_stats):
    """Factory: per-shot error rates of all distances crossing at p = threshold."""

    def make(rng, *, threshold=0.01, distances=(3, 5, 7), shots=20_000, **extra):
        ps = tuple(threshold * 1.25**k for k in range(-3, 4))
        return threshold_stats(
            rng, threshold=threshold, distances=distances, ps=ps, shots=shots, **extra
        )

    return make


def flat(points) -> list[float]:
    return [value for point in sorted(points) for value in point]


def error_bar_extents(ax) -> list[float]:
    """x, y_low, y_high of every vertical error bar on the axes (sorted, flattened)."""
    extents = []
    for container in ax.containers:
        if isinstance(container, ErrorbarContainer):
            (bars,) = container.lines[2]
            for segment in bars.get_segments():
                (x0, y0), (x1, y1) = segment
                assert x0 == x1
                extents.append((x0, min(y0, y1), max(y0, y1)))
    return flat(extents)


@pytest.mark.parametrize("per_round", [False, True])
def test_logical_error_vs_p_has_the_analysis_error_bars(per_round, sweep):
    stats = sweep(np.random.default_rng(1))
    ax = qecsim.plot_logical_error_vs_p(stats, per_round=per_round)
    expected = sorted(
        (r.p, r.low, r.high) if per_round else (r.p, r.shot_error_rate_low, r.shot_error_rate_high)
        for r in analysis.logical_error_per_round(stats)
    )
    assert error_bar_extents(ax) == pytest.approx(flat(expected), rel=1e-9)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["d=3", "d=5", "d=7"]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert ax.get_ylabel() == ("logical error per round" if per_round else "logical error per shot")
    # One line per distance through the best estimates (drawn by sinter).
    curve = next(line for line in ax.get_lines() if line.get_label() == "d=5")
    best = sorted(
        (r.p, r.best if per_round else r.shot_error_rate)
        for r in analysis.logical_error_per_round(stats)
        if r.distance == 5
    )
    assert flat(zip(curve.get_xdata(), curve.get_ydata(), strict=True)) == pytest.approx(flat(best))


def test_logical_error_vs_p_uses_given_ax_labels_groups_and_marks_zero_errors(task_stats, sweep):
    rng = np.random.default_rng(2)
    stats = sweep(rng, distances=(3, 5)) + sweep(rng, distances=(3, 5), noise="sd6")
    stats.append(task_stats(7, 0.001, 7, 1000, 0))
    _, ax = plt.subplots()
    assert qecsim.plot_logical_error_vs_p(stats, ax) is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "d=3, noise=sd6",
        "d=3, noise=si1000",
        "d=5, noise=sd6",
        "d=5, noise=si1000",
        "d=7, noise=si1000",
    ]
    # The zero-error point is an upper-limit marker at its interval's high end.
    (result,) = [r for r in analysis.logical_error_per_round(stats) if r.distance == 7]
    markers = [line for line in ax.get_lines() if line.get_marker() == plotting.UPPER_LIMIT_MARKER]
    assert len(markers) == 1
    assert markers[0].get_ydata()[0] == pytest.approx(result.shot_error_rate_high)


def test_plot_lambda_points_error_bars_and_fit_line(task_stats):
    rng = np.random.default_rng(3)
    stats = []
    for d in (3, 5, 7, 9):
        eps = 0.1 / 3.0 ** ((d + 1) / 2)
        stats.append(
            task_stats(d, 1e-3, d, 10**5, rng.binomial(10**5, (1 - (1 - 2 * eps) ** d) / 2))
        )
    fit = analysis.fit_lambda(stats)
    ax = qecsim.plot_lambda(stats)
    expected = sorted((r.distance, r.low, r.high) for r in fit.points)
    assert error_bar_extents(ax) == pytest.approx(flat(expected), rel=1e-9)
    (line,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert line.get_label() == f"Lambda = {fit.best:.3g} [{fit.low:.3g}, {fit.high:.3g}]"
    assert line.get_ydata() == pytest.approx(fit.predict(line.get_xdata()))
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    assert ax.get_yscale() == "log"
    assert list(ax.get_xticks()) == [3, 5, 7, 9]
    # A fit given directly draws the same thing.
    again = qecsim.plot_lambda(fit)
    assert error_bar_extents(again) == pytest.approx(flat(expected), rel=1e-9)


def test_plot_lambda_several_groups(task_stats):
    rng = np.random.default_rng(4)
    stats = []
    for p, lam in ((1e-3, 4.0), (2e-3, 2.0)):
        for d in (3, 5, 7):
            eps = 0.1 / lam ** ((d + 1) / 2)
            stats.append(
                task_stats(d, p, d, 10**5, rng.binomial(10**5, (1 - (1 - 2 * eps) ** d) / 2))
            )
    ax = qecsim.plot_lambda(stats)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 2
    assert labels[0].startswith("p=0.001: Lambda = ")
    assert labels[1].startswith("p=0.002: Lambda = ")
    assert len(error_bar_extents(ax)) == 3 * 6


def test_plot_threshold_band_and_curves(sweep):
    stats = sweep(np.random.default_rng(5))
    threshold = analysis.estimate_threshold(stats)
    ax = qecsim.plot_threshold(stats)
    spans = [p for p in ax.patches if p.get_label().startswith("threshold")]
    assert len(spans) == 1
    xs = spans[0].get_patch_transform().transform(spans[0].get_path().vertices)[:, 0]
    assert (min(xs), max(xs)) == pytest.approx((threshold.low, threshold.high))
    assert any(
        line.get_linestyle() == "--" and list(line.get_xdata()) == [threshold.best] * 2
        for line in ax.get_lines()
    )
    assert len(error_bar_extents(ax)) == 3 * len(stats)
    # A precomputed threshold is drawn as given.
    ax = qecsim.plot_threshold(stats, threshold=threshold, per_round=False)
    assert ax.get_legend().get_texts()[-1].get_text().startswith(f"threshold {threshold.best:.3g}")


def test_plots_reject_bad_input(sweep):
    with pytest.raises(qecsim.QecsimError, match="stats is empty"):
        qecsim.plot_logical_error_vs_p([])
    with pytest.raises(qecsim.QecsimError, match="is empty"):
        qecsim.plot_lambda([])
    no_p = [
        sinter.TaskStats(
            strong_id=str(d), decoder="m", json_metadata={"d": d, "rounds": d}, shots=100, errors=3
        )
        for d in (3, 5)
    ]
    with pytest.raises(qecsim.QecsimError, match="no 'p'"):
        qecsim.plot_logical_error_vs_p(no_p)
    with pytest.raises(qecsim.QecsimError, match="expected a Threshold"):
        qecsim.plot_threshold(sweep(np.random.default_rng(6)), threshold=0.01)
    rng = np.random.default_rng(7)
    with pytest.raises(qecsim.QecsimError, match="2 groups"):
        qecsim.plot_threshold(sweep(rng) + sweep(rng, noise="sd6"))


def test_labels_name_only_the_keys_that_tell_curves_apart(task_stats, sweep):
    rng = np.random.default_rng(8)
    stats = sweep(rng, distances=(3, 5))
    # A custom model (as sweep_tasks records it): shown by its label, never its JSON.
    chip = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.01, name="chip A")
    stats += [
        task_stats(d, p, d, 1000, 50, noise="custom", noise_label="chip A",
                   noise_model=chip.to_json())
        for d in (3, 5)
        for p in (0.01, 0.02)
    ]  # fmt: skip
    ax = qecsim.plot_logical_error_vs_p(stats)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["d=3, chip A", "d=3, noise=si1000", "d=5, chip A", "d=5, noise=si1000"]
    stats += [task_stats(3, p, 9, 1000, 80) for p in (0.01, 0.02)]
    ax = qecsim.plot_logical_error_vs_p(stats)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "d=3, noise=si1000, rounds=9" in labels
    assert "d=3, noise=si1000, rounds=3" in labels


def test_custom_models_are_told_apart_by_what_differs_never_by_json(task_stats):
    base = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.008, idle=0.001)
    # Two models of one chip with the same user-given label, and a store row written before
    # labels existed (no noise_label: the label is made from the JSON).
    models = [("chip", base), ("chip", base.scaled(measurement=2)), (None, base.scaled(idle=0))]
    stats = []
    for label, model in models:
        extra = {"noise": "custom", "noise_model": model.to_json(sort_keys=True)}
        if label is not None:
            extra["noise_label"] = label
        stats += [task_stats(d, 1e-3, d, 10**4, 900 // d, **extra) for d in (3, 5)]
    for stat in stats:
        del stat.json_metadata["p"]  # p only where it is a preset's parameter
        stat.json_metadata["scale"] = 1.0
    ax = qecsim.plot_lambda(stats)
    texts = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    labels = [text.split(": Lambda")[0] for text in texts]
    assert sorted(labels) == sorted([
        "chip, measurement=0.008",  # what differs between the two "chip" models
        "chip, measurement=0.016",
        "idle=0, measurement=0.008",  # no stored label: what differs from all the others
    ])  # fmt: skip
    assert not any("{" in text for text in labels)


def test_long_legend_entries_are_wrapped(task_stats):
    label = "a device with a long descriptive name " * 3
    stats = [
        task_stats(d, 1e-3, d, 10**4, 900 // d, noise="custom", noise_label=label, batch=b)
        for d in (3, 5)
        for b in (1, 2)
    ]
    ax = qecsim.plot_lambda(stats)
    for text in ax.get_legend().get_texts():
        assert max(len(line) for line in text.get_text().splitlines()) <= plotting.LEGEND_WIDTH
