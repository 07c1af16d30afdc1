"""``qecsim plot``: threshold, logical-error and Lambda plots of a store, to an image file."""

from __future__ import annotations

import argparse
import json
import sys
import warnings

EPILOG = """\
examples:
  qecsim plot results.csv -o plot.png
  qecsim plot results.csv -o lambda.pdf --kind lambda --where p=0.001
  qecsim plot results.csv -o thresholds.png --kind threshold --per-round

--kind auto draws one threshold panel per group whose curves cross (else the logical error
against p) and a Lambda panel when a group spans several distances (else, e.g. for a plain
sinter store without rounds, the logical error per shot against d). Error bars and bands are
sinter's likelihood intervals (factor 1000). Legends sit beside the panels.
"""

KINDS = ("auto", "threshold", "error", "lambda")


def register(subparsers) -> None:
    """Add the ``plot`` subcommand."""
    parser = subparsers.add_parser(
        "plot",
        help="plot thresholds, logical error vs p and Lambda fits of a store",
        description="Read sinter CSV stores and write a figure with error bars: logical error "
        "against p per distance with the threshold, and per-round error against distance "
        "with the Lambda fit.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "stores",
        nargs="+",
        metavar="STORE",
        help="one or more sinter CSV files (from qecsim sweep, sinter collect, ...); required",
    )
    parser.add_argument(
        "-o",
        "--output",
        default="plot.png",
        metavar="FILE",
        help="image file to write; its extension picks the format: .png, .pdf, .svg, ... "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--kind",
        default="auto",
        choices=KINDS,
        help="what to draw: threshold (curves that cross), error (logical error vs p), "
        "lambda (per-round error vs d with the Lambda fit), or auto: whatever the store "
        "supports (default: %(default)s)",
    )
    parser.add_argument(
        "--per-round",
        action="store_true",
        help="plot the per-round instead of the per-shot logical error against p "
        "(a flag; default: per shot)",
    )
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keep only points whose metadata key (or 'decoder') has this value, e.g. "
        "p=0.001; repeat for several (all must match; default: keep every point)",
    )
    parser.add_argument(
        "--dpi",
        type=int,
        default=120,
        metavar="N",
        help="resolution of raster images in dots per inch, an integer >= 1 "
        "(default: %(default)s)",
    )
    parser.set_defaults(func=run)


def _values(stats, key: str) -> set:
    """The distinct values of a metadata key among the tasks that have it."""
    return {
        json.dumps(s.json_metadata[key], sort_keys=True)
        for s in stats
        if isinstance(s.json_metadata, dict) and key in s.json_metadata
    }


def _threshold_panels(stats, per_round: bool) -> list[tuple[str, object]]:
    import qecsim
    from qecsim import analysis
    from qecsim.analysis.grouping import _THRESHOLD_VARYING
    from qecsim.analysis.labels import LABEL_LIMIT
    from qecsim.cli.analyze import group_labels_of
    from qecsim.errors import QecsimError

    found = []
    for members in analysis.group_statistics(stats, varying=_THRESHOLD_VARYING):
        try:
            found.append((members, analysis.estimate_threshold(members, per_round=per_round)))
        except QecsimError:
            continue
    # titles that tell the panels apart, short enough for two lines above a panel
    titles = group_labels_of([m for m, _ in found], _THRESHOLD_VARYING, 2 * LABEL_LIMIT)
    return [
        (
            "threshold: " + title,
            lambda ax, m=members, t=threshold: qecsim.plot_threshold(
                m, ax, per_round=per_round, threshold=t
            ),
        )
        for (members, threshold), title in zip(found, titles, strict=True)
    ]


def _lambda_panel(stats, kind: str) -> tuple[tuple[str, object] | None, str]:
    """The Lambda panel (or, where no Lambda can be fitted, error against distance), and
    the reason when there is none."""
    import qecsim
    from qecsim import analysis
    from qecsim.analysis.grouping import _LAMBDA_VARYING
    from qecsim.errors import QecsimError

    fits, reasons = [], []
    for members in analysis.group_statistics(stats, varying=_LAMBDA_VARYING):
        try:
            fits.append(analysis.fit_lambda(members))
        except QecsimError as error:
            reasons.append(str(error))
    if fits:
        return ("Lambda", lambda ax, f=fits: qecsim.plot_lambda(f, ax)), ""
    reason = reasons[0] if reasons else "no statistics"
    if kind == "auto" and len(_values(stats, "d")) >= 2:
        rounds = _values(stats, "rounds") | _values(stats, "r")
        why = "no 'rounds' in the metadata" if not rounds else "no Lambda fit"
        title = f"logical error per shot vs d ({why})"
        return (title, lambda ax: qecsim.plot_logical_error_vs_distance(stats, ax)), reason
    return None, reason


def _panels(stats, kind: str, per_round: bool) -> list[tuple[str, object]]:
    """(title, drawing function of ax) for every panel to draw."""
    import qecsim
    from qecsim.errors import QecsimError

    all_stats = stats
    stats = [s for s in stats if isinstance(s.json_metadata, dict)]  # others: no d, p, rounds
    panels = []
    if kind in ("auto", "threshold"):
        panels = _threshold_panels(stats, per_round)
        if kind == "threshold" and not panels:
            raise QecsimError("no group of the store has crossing curves (see qecsim analyze)")
    parameter = "p" if _values(stats, "p") else "scale"
    if kind == "error" or (kind == "auto" and not panels and len(_values(stats, parameter)) > 1):
        panels.append(
            (
                f"logical error vs {parameter}",
                lambda ax: qecsim.plot_logical_error_vs_p(all_stats, ax, per_round=per_round),
            )
        )
    reason = ""
    if kind in ("auto", "lambda") and stats:
        panel, reason = _lambda_panel(stats, kind)
        if panel is not None:
            panels.append(panel)
        elif kind == "lambda":
            raise QecsimError(f"no Lambda fit in the store: {reason}")
    if not panels:
        raise QecsimError(
            "nothing to plot: no crossing curves, a single p, and no group with 2 distances"
            + (f" ({reason})" if reason else "")
        )
    return panels


def _legend_beside(ax) -> None:
    """Move the legend out of the data, to the right of the panel, in a small font."""
    legend = ax.get_legend()
    if legend is None:
        return
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
              borderaxespad=0.0)  # fmt: skip


def draw_figure(stats, *, kind: str = "auto", per_round: bool = False):
    """The figure ``qecsim plot`` saves: one panel per group to draw, legends beside them.

    Args:
        stats: sinter statistics (e.g. from :func:`qecsim.cli.analyze.load_stats`).
        kind: One of :data:`KINDS`.
        per_round: Per-round (not per-shot) logical error against p.

    Returns:
        ``(figure, titles)``: the matplotlib figure and the panel titles.

    Raises:
        QecsimError: Nothing of the asked kind can be drawn.
    """
    import textwrap

    import matplotlib.pyplot as plt

    panels = _panels(stats, kind, per_round)
    figure, axes = plt.subplots(
        1, len(panels), figsize=(7.5 * len(panels), 4.5), squeeze=False, layout="constrained"
    )  # constrained: the panels make room for the legends beside them
    for ax, (title, draw) in zip(axes[0], panels, strict=True):
        draw(ax)
        ax.set_title(textwrap.fill(title, 60), fontsize=9)
        _legend_beside(ax)
    return figure, [title for title, _ in panels]


def run(args) -> int:
    """Draw the panels and save the figure."""
    import pathlib

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qecsim.cli.analyze import load_stats
    from qecsim.errors import QecsimError

    if args.dpi < 1:
        raise QecsimError(f"--dpi={args.dpi} is not an integer >= 1")
    stats = load_stats(args.stores, args.where)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure, titles = draw_figure(stats, kind=args.kind, per_round=args.per_round)
    for message in dict.fromkeys(str(w.message) for w in caught):  # e.g. tasks left out
        print(f"qecsim plot: note: {message}", file=sys.stderr)
    output = pathlib.Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # "tight": the image grows to hold the legends beside the panels (nothing is cut off)
    figure.savefig(output, dpi=args.dpi, bbox_inches="tight")
    plt.close(figure)
    print(f"wrote {output} ({len(titles)} panel(s): {', '.join(titles)})")
    return 0
