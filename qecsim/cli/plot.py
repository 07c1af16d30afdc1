"""``qecsim plot``: threshold, logical-error and Lambda plots of a store, to an image file."""

from __future__ import annotations

import argparse

EPILOG = """\
examples:
  qecsim plot results.csv -o plot.png
  qecsim plot results.csv -o lambda.pdf --kind lambda --where p=0.001
  qecsim plot results.csv -o thresholds.png --kind threshold --per-round

--kind auto draws one threshold panel per group whose curves cross (else the logical error
against p) and a Lambda panel when a group spans several distances. Error bars and bands are
sinter's likelihood intervals (factor 1000).
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
    parser.add_argument("stores", nargs="+", help="sinter CSV file(s)")
    parser.add_argument("-o", "--output", default="plot.png", help="image file (plot.png)")
    parser.add_argument("--kind", default="auto", choices=KINDS, help="what to draw (auto)")
    parser.add_argument(
        "--per-round", action="store_true", help="per-round (not per-shot) error vs p"
    )
    parser.add_argument(
        "--where", action="append", default=[], metavar="KEY=VALUE", help="filter the points"
    )
    parser.add_argument("--dpi", type=int, default=120, help="resolution of raster images")
    parser.set_defaults(func=run)


def _panels(stats, kind: str, per_round: bool) -> list[tuple[str, object]]:
    """(title, drawing function of ax) for every panel to draw."""
    import qecsim
    from qecsim import analysis
    from qecsim.cli.analyze import group_label
    from qecsim.errors import QecsimError

    panels = []
    if kind in ("auto", "threshold"):
        for members in analysis.group_statistics(stats, varying=("d", "rounds", "p")):
            try:
                threshold = analysis.estimate_threshold(members, per_round=per_round)
            except QecsimError:
                continue
            panels.append(
                (
                    "threshold: " + group_label(members, ("d", "rounds", "p")),
                    lambda ax, m=members, t=threshold: qecsim.plot_threshold(
                        m, ax, per_round=per_round, threshold=t
                    ),
                )
            )
        if kind == "threshold" and not panels:
            raise QecsimError("no group of the store has crossing curves (see qecsim analyze)")
    has_p = all(isinstance(s.json_metadata, dict) and "p" in s.json_metadata for s in stats)
    several_p = has_p and len({s.json_metadata["p"] for s in stats}) > 1
    if kind == "error" or (kind == "auto" and not panels and several_p):
        panels.append(
            (
                "logical error vs p",
                lambda ax: qecsim.plot_logical_error_vs_p(stats, ax, per_round=per_round),
            )
        )
    if kind in ("auto", "lambda"):
        fits = []
        for members in analysis.group_statistics(stats, varying=("d", "rounds")):
            try:
                fits.append(analysis.fit_lambda(members))
            except QecsimError:
                continue
        if fits:
            panels.append(("Lambda", lambda ax, f=fits: qecsim.plot_lambda(f, ax)))
        elif kind == "lambda":
            raise QecsimError("no group of the store spans 2 distances with errors")
    if not panels:
        raise QecsimError(
            "nothing to plot: no crossing curves, a single p, and no group with 2 distances"
        )
    return panels


def run(args) -> int:
    """Draw the panels and save the figure."""
    import pathlib

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from qecsim.cli.analyze import load_stats

    stats = load_stats(args.stores, args.where)
    panels = _panels(stats, args.kind, args.per_round)
    figure, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
    for ax, (title, draw) in zip(axes[0], panels, strict=True):
        draw(ax)
        ax.set_title(title, fontsize=9)
    figure.tight_layout()
    output = pathlib.Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, dpi=args.dpi)
    plt.close(figure)
    print(f"wrote {output} ({len(panels)} panel(s): {', '.join(t for t, _ in panels)})")
    return 0
