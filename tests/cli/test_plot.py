"""``qecsim plot``: legends that fit beside the data, on stores written by qecsim and by sinter."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import sinter

import qecsim
from qecsim.analysis.plots import LEGEND_WIDTH
from qecsim.cli import main
from qecsim.cli.plot import draw_figure

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def custom_stats() -> list[sinter.TaskStats]:
    """Two calibrated chips (as `qecsim sweep --noise-file` records them), three scales each."""
    chip_a = qecsim.NoiseModel(two_qubit_gate=0.003, measurement=0.008, idle=0.001)
    chip_b = chip_a.scaled(measurement=0.5)
    rng = np.random.default_rng(5)
    stats = []
    for task in qecsim.sweep_tasks(distances=[3, 5], noise=[chip_a, chip_b], scales=[1, 2, 4]):
        d, scale = task.json_metadata["d"], task.json_metadata["scale"]
        rate = 0.5 * (1 - np.exp(-0.3 * (scale / 2.5) ** ((d + 1) / 2)))
        key = f"{d}-{scale}-{task.json_metadata['noise_label']}"
        stats.append(sinter.TaskStats(strong_id=key, decoder="pymatching", shots=20_000,
                                      errors=int(rng.binomial(20_000, rate)),
                                      json_metadata=task.json_metadata))  # fmt: skip
    return stats


def test_legends_sit_beside_the_panels_and_inside_the_image(tmp_path):
    figure, titles = draw_figure(custom_stats())
    assert titles[0].startswith("threshold: ") and titles[-1] == "Lambda"
    figure.savefig(tmp_path / "plot.png", bbox_inches="tight")  # draws: extents are final
    renderer = figure.canvas.get_renderer()
    image = figure.get_tightbbox(renderer)
    for ax in figure.axes:
        legend = ax.get_legend()
        box = legend.get_window_extent(renderer)
        panel = ax.get_window_extent(renderer)
        assert box.x0 >= panel.x1  # beside the data, never over it
        image_box = image.transformed(figure.dpi_scale_trans)
        assert image_box.x0 <= box.x0 and box.x1 <= image_box.x1 + 1  # not cut off
        for text in legend.get_texts():
            assert "{" not in text.get_text()  # no raw JSON
            assert all(len(line) <= LEGEND_WIDTH for line in text.get_text().splitlines())
    texts = [t.get_text() for ax in figure.axes for t in ax.get_legend().get_texts()]
    assert any("measurement=0.004" in text.replace("\n", " ") for text in texts)


def test_plot_command_writes_the_image(tmp_path, capsys):
    store = tmp_path / "custom.csv"
    rows = custom_stats()
    store.write_text(sinter.CSV_HEADER + "\n" + "".join(r.to_csv_line() + "\n" for r in rows))
    assert main(["plot", str(store), "-o", str(tmp_path / "out.png")]) == 0
    assert (tmp_path / "out.png").stat().st_size > 10_000
    assert "threshold: " in capsys.readouterr().out


def test_plot_reads_a_plain_sinter_store(sinter_store, tmp_path, capsys):
    assert main(["plot", str(sinter_store), "-o", str(tmp_path / "all.png")]) == 0
    out = capsys.readouterr().out
    assert "threshold: " in out and "Lambda" in out
    # one p and no rounds: no threshold, no Lambda, but the error against distance
    assert main(["plot", str(sinter_store), "-o", str(tmp_path / "one.png"), "--where",
                 "p=0.002"]) == 0  # fmt: skip
    assert "logical error per shot vs d (no 'rounds' in the metadata)" in capsys.readouterr().out
    code = main(["plot", str(sinter_store), "-o", str(tmp_path / "x.png"), "--kind", "lambda",
                 "--where", "p=0.002"])  # fmt: skip
    assert code == 2 and "lacks key(s) ['rounds']" in capsys.readouterr().err


#: Six components; the other two chips differ in idle (third) or measurement (sixth) only.
CHIP = qecsim.NoiseModel(two_qubit_gate=3e-3, single_qubit_gate=5e-4, idle=1e-3,
                         measurement=8e-3, reset=2e-3, measurement_idle=1e-3)  # fmt: skip


def chips_stats(chips, scales=(1,)) -> list[sinter.TaskStats]:
    """Counts of curves that cross at scale 2.5, for chips as `qecsim sweep --noise-file`
    records them."""
    rng = np.random.default_rng(7)
    stats = []
    for task in qecsim.sweep_tasks(distances=[3, 5], noise=chips, scales=list(scales)):
        d, scale = task.json_metadata["d"], task.json_metadata["scale"]
        rate = 0.5 * (1 - np.exp(-0.3 * (scale / 2.5) ** ((d + 1) / 2)))
        stats.append(sinter.TaskStats(strong_id=f"{sorted(task.json_metadata.items())}",
                                      decoder="pymatching", shots=20_000,
                                      errors=int(rng.binomial(20_000, rate)),
                                      json_metadata=task.json_metadata))  # fmt: skip
    return stats


def legend_texts(ax) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]


def test_legends_and_titles_tell_apart_models_that_differ_in_a_late_component():
    chips = [CHIP, CHIP.scaled(idle=1.2), CHIP.scaled(measurement=1.125)]
    figure, titles = draw_figure(chips_stats(chips, scales=(1, 2, 4)))
    thresholds = [title for title in titles if title.startswith("threshold: ")]
    assert len(thresholds) == 3 and len(set(thresholds)) == 3, thresholds
    lambda_ax = figure.axes[titles.index("Lambda")]
    entries = [text.split(": Lambda = ")[0] for text in legend_texts(lambda_ax)]
    assert len(entries) == 9 and len(set(entries)) == 9, entries  # 3 chips x 3 scales
    assert any("idle=0.0012" in entry for entry in entries)
    assert any("measurement=0.009" in entry for entry in entries)
    # two chips at one scale (the reproduction): the legend says how they differ
    figure, titles = draw_figure(chips_stats(chips[:2]))
    (lambda_ax,) = figure.axes
    assert [text.split(": Lambda")[0] for text in legend_texts(lambda_ax)] == [
        "two_qubit_gate=0.003, ..., idle=0.001, ...",
        "two_qubit_gate=0.003, ..., idle=0.0012, ...",
    ]


def test_plot_of_one_point_curves_gives_no_numpy_deprecation_note(sinter_store, tmp_path,
                                                                   capsys):  # fmt: skip
    # one p: each curve of the error-vs-p panel, and the error-vs-d panel, has single points
    # (matplotlib turned a one-point NumPy error bar into a scalar: a DeprecationWarning)
    argv = ["plot", str(sinter_store), "-o", str(tmp_path / "one.png"), "--where", "p=0.002"]
    for kind in ("auto", "error"):
        assert main([*argv, "--kind", kind]) == 0
        assert "deprecat" not in capsys.readouterr().err.lower()
    stats = [s for s in sinter.read_stats_from_csv_files(sinter_store)
             if isinstance(s.json_metadata, dict) and s.json_metadata.get("p") == 0.002]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        qecsim.plot_logical_error_vs_p(stats)
        qecsim.analysis.plots.plot_logical_error_vs_distance(stats)
