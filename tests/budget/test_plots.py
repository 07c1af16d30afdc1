"""The budget figures: contributions to eps_d and parts of 1/Lambda, the per-qubit heatmap.

Every figure is drawn (Agg) and inspected: panels, one interval per bar, the measured eps per
round and Lambda on the figure, a title that names what was run (never the method key), and
labels that stay inside the figure without overlapping.
"""

import dataclasses
import itertools

import matplotlib
import pytest

import qecsim

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.container import ErrorbarContainer


@pytest.fixture(scope="module")
def one_distance():
    return qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3,), max_errors=100,
                               seed=3, num_workers=1, progress=False)


@pytest.fixture(scope="module")
def three_distances():
    return qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5, 7),
                               max_errors=60, seed=3, num_workers=1, progress=False)


@pytest.fixture(scope="module")
def by_qubit():
    noise = qecsim.NoiseModel.si1000(2e-3)
    noise = noise.with_coupler_rates({(5, 1): {"two_qubit_gate": 10 * noise.two_qubit_gate}})
    return qecsim.error_budget(noise, distances=(3,), by="qubit", max_errors=400, seed=6,
                               num_workers=1, progress=False)


def drawn_rows(budget):
    return [c.component for c in budget.components if c.rate > 0]


def figure_texts(figure):
    texts = [t.get_text() for t in figure.findobj(matplotlib.text.Text)]
    return "\n".join(texts)


def check_readable(figure):
    """Every panel (ticks, labels, title), legend and title lies inside the figure; the y tick
    labels of a panel do not overlap."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    artists = [*figure.axes, *figure.legends, *(f for sub in figure.subfigs for f in sub.legends)]
    artists += [f._suptitle for f in [figure, *figure.subfigs] if f._suptitle is not None]
    for artist in artists:
        extent = artist.get_tightbbox(renderer)
        assert box.x0 - 1 <= extent.x0 and extent.x1 <= box.x1 + 1, artist
        assert box.y0 - 1 <= extent.y0 and extent.y1 <= box.y1 + 1, artist
    for ax in figure.axes:
        labels = [t for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
        extents = sorted((t.get_window_extent(renderer) for t in labels), key=lambda e: e.y0)
        for lower, upper in itertools.pairwise(extents):
            assert lower.y1 <= upper.y0 + 0.5, "y tick labels overlap"


def check_budget_figure(budget):
    axes = budget.plot()
    figure = axes[0].figure
    rows = drawn_rows(budget)
    contributions = axes[0]
    assert [t.get_text() for t in contributions.get_yticklabels()] == rows
    bars = [c for c in contributions.containers if isinstance(c, ErrorbarContainer)]
    assert len(bars) == len(budget.distances)  # one interval set per distance ...
    for container in bars:  # ... with one interval per row
        (segments,) = container.lines[2]
        assert len(segments.get_segments()) == len(rows)
    # bars only for estimates that exclude zero (the others: a marker on the left edge)
    edge = contributions.get_xlim()[0]
    excluding_zero = sum(
        1 for c in budget.components if c.component in rows for d in budget.distances
        if c.contribution[d].low > 0 and c.contribution[d].best > edge
    )
    assert len(contributions.patches) == excluding_zero
    dashed = [line for line in contributions.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == len(budget.distances)
    texts = figure_texts(figure)
    for d in budget.distances:
        eps = budget.logical_error_per_round[d]
        assert f"d={d}: eps = {eps.best:.2g} [{eps.low:.2g}, {eps.high:.2g}] per round" in texts
    suptitles = [f._suptitle.get_text() for f in [figure, *figure.subfigs] if f._suptitle]
    title = " ".join(suptitles).replace("\n", " ")
    for words in ("decoder pymatching", "Z basis", "rounds = d", "rotated surface code"):
        assert words in title
    assert budget.method not in title  # no internal method key
    check_readable(figure)
    return axes, figure, texts


def test_one_distance_draws_one_panel(one_distance):
    axes, figure, _ = check_budget_figure(one_distance)
    assert len(axes) == 1
    plt.close(figure)


@pytest.mark.parametrize("name", ["small_budget", "three_distances"])
def test_two_and_three_distances_show_lambda_and_its_parts(name, request):
    budget = request.getfixturevalue(name)
    axes, figure, _ = check_budget_figure(budget)
    assert len(axes) == 2
    parts = [c for c in axes[1].containers if isinstance(c, ErrorbarContainer)]
    assert len(parts) == 1 and len(parts[0].lines[2][0].get_segments()) == len(drawn_rows(budget))
    resolved = [c for c in budget.components if c.component in drawn_rows(budget)
                and not c.inverse_lambda_contribution.contains(0)]
    assert len(axes[1].patches) == len(resolved)  # bars only where the interval excludes 0
    inverse, fit = budget.inverse_lambda, budget.lambda_fit
    label = axes[1].get_xlabel()
    assert f"1/Lambda = {inverse.best:.3g} [{inverse.low:.3g}, {inverse.high:.3g}]" in label
    assert f"Lambda = {fit.best:.3g}" in label
    total = sum(c.inverse_lambda_contribution.best for c in budget.components)
    assert f"parts add up to {total:.3g}" in label and "first-order" in label
    plt.close(figure)


def test_per_qubit_budget_and_its_heatmap(by_qubit):
    _, figure, _ = check_budget_figure(by_qubit)
    plt.close(figure)
    fig, ax = plt.subplots(layout="constrained")
    assert by_qubit.plot_heatmap(ax) is ax
    check_readable(fig)
    plt.close(fig)


def test_heatmap_shows_a_bad_coupler_brightest(by_qubit):
    gates = {p.qubits: p.share[3] for p in by_qubit.qubits if p.component == "two_qubit_gate"}
    assert max(gates, key=gates.get) == (1, 5)
    fig, ax = plt.subplots()
    by_qubit.plot_heatmap(ax, component="two_qubit_gate")
    (lines,) = ax.collections[:1]
    assert len(lines.get_segments()) == len(gates)  # one line per coupler of the d=3 code
    coords = qecsim.memory_circuit(distance=3).get_final_qubit_coordinates()
    colours = lines.get_colors()
    brightest = max(range(len(colours)), key=lambda i: sum(colours[i][:3]))  # viridis: yellow
    assert sorted(map(tuple, lines.get_segments()[brightest])) == sorted(
        [tuple(coords[1]), tuple(coords[5])])
    plt.close(fig)


def test_ten_and_more_budget_keys_stay_readable(parts_budget):
    assert len(drawn_rows(parts_budget)) == 12
    axes, figure, _ = check_budget_figure(parts_budget)
    assert "crosstalk" not in [t.get_text() for t in axes[0].get_yticklabels()]
    plt.close(figure)


def test_the_panels_take_the_place_of_a_given_axes(small_budget):
    fig, ax = plt.subplots(figsize=(11, 5))
    axes = small_budget.plot(ax)
    assert ax not in fig.axes and len(axes) == 2
    assert all(a in fig.axes for a in axes)
    check_readable(fig)
    plt.close(fig)


def test_ablation_says_what_its_bars_are():
    budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=(3, 5),
                                 method="ablation", max_errors=100, seed=5, num_workers=1,
                                 progress=False)
    axes = budget.plot()
    assert len(axes) == 1 and "without" in axes[0].get_xlabel()
    plt.close(axes[0].figure)


def test_the_title_names_the_gate_set_when_the_model_has_one(small_budget):
    other = "cz" if small_budget.noise.gate_set == "cx" else "cx"
    budget = dataclasses.replace(small_budget, noise=small_budget.noise.with_gate_set(other))
    axes = budget.plot()
    assert f"gate set {other}" in axes[0].figure._suptitle.get_text().replace("\n", " ")
    plt.close(axes[0].figure)
