"""``qecsim budget``: the error budget of a noise model, as a table, JSON, CSV and plots."""

from __future__ import annotations

import argparse

EXAMPLES = """\
examples:
  qecsim budget --noise si1000 --p 1e-3 --distances 3,5,7 --out budget/
  qecsim budget --noise-file noise.json --distances 3,5 --by qubit --out device_budget/
  qecsim budget --noise sd6 --p 2e-3 --method finite_difference --max-errors 2000

Writes OUT/budget.json (documented format, see ErrorBudget.to_json), OUT/budget.csv and
OUT/budget.png (plus OUT/heatmap.png with --by qubit), and prints the table, a what-if for
halving each component, and the improvement needed for --target at the largest distance.
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "budget",
        help="error budget: each component's share of the logical error and of 1/Lambda",
        description="Error budget: each noise component's share of the logical error per "
        "round and of 1/Lambda, from one run (likelihood ratio) or by brute force.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_budget_arguments(parser)
    parser.set_defaults(func=run)


def add_budget_arguments(parser: argparse.ArgumentParser, *, max_errors: int = 1000) -> None:
    """The options shared by ``qecsim budget`` and ``qecsim demo``."""
    parser.add_argument("--noise", default=None, help="preset name (default si1000)")
    parser.add_argument("--p", type=float, default=None, help="preset parameter (default 1e-3)")
    parser.add_argument("--noise-file", default=None, help="a NoiseModel JSON file")
    parser.add_argument("--code", default="rotated_surface_code")
    parser.add_argument("--basis", default="Z")
    parser.add_argument("--distances", default="3,5,7", help="comma-separated (default 3,5,7)")
    parser.add_argument("--rounds", type=int, default=None, help="default: rounds = distance")
    parser.add_argument("--decoder", default="pymatching")
    parser.add_argument(
        "--method", default="likelihood_ratio",
        help="likelihood_ratio (default), finite_difference or ablation",
    )
    parser.add_argument("--by", default="component", help="component (default) or qubit")
    parser.add_argument("--max-shots", default="1e7", help="per distance (default 1e7)")
    parser.add_argument(
        "--max-errors", default=str(max_errors), help=f"per distance (default {max_errors})"
    )
    parser.add_argument("--target", type=float, default=1e-6,
                        help="logical error per round to reach (default 1e-6)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None, help="default: all cores")
    parser.add_argument("--out", default="budget", help="output folder (default budget/)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def noise_from_args(args):
    """The NoiseModel the options name: ``--noise-file``, or ``--noise`` at ``--p``."""
    import pathlib

    import qecsim

    if args.noise_file is not None:
        if args.noise is not None or args.p is not None:
            raise qecsim.QecsimError("give --noise/--p or --noise-file, not both")
        path = pathlib.Path(args.noise_file)
        if not path.is_file():
            raise qecsim.QecsimError(f"--noise-file={args.noise_file!r} is not a file")
        return qecsim.NoiseModel.from_json(path.read_text())
    return qecsim.NoiseModel.from_preset(args.noise or "si1000", 1e-3 if args.p is None else args.p)


def run(args) -> int:
    import pathlib

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import qecsim
    from qecsim.cli.sweep import parse_count, parse_list

    noise = noise_from_args(args)
    budget = qecsim.error_budget(
        noise,
        code=args.code,
        basis=args.basis,
        distances=parse_list("distances", args.distances, int),
        rounds=args.rounds,
        decoder=args.decoder,
        method=args.method,
        by=args.by,
        max_shots=parse_count("max-shots", args.max_shots),
        max_errors=parse_count("max-errors", args.max_errors),
        seed=args.seed,
        num_workers=args.workers,
        progress=not args.no_progress,
    )
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "budget.json").write_text(budget.to_json(indent=2))
    budget.to_csv(out / "budget.csv")
    fig = budget.plot()[0].figure
    fig.savefig(out / "budget.png", dpi=120)
    plt.close(fig)
    written = ["budget.json", "budget.csv", "budget.png"]
    if budget.by == "qubit":
        fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
        budget.plot_heatmap(ax)
        fig.savefig(out / "heatmap.png", dpi=120)
        plt.close(fig)
        written.append("heatmap.png")
    print_table(budget)
    print()
    print(summary(budget, target=args.target))
    print(f"\nwrote {', '.join(str(out / name) for name in written)}")
    return 0


def print_table(budget) -> None:
    """Print the budget as a rich table (plain text when rich is not installed)."""
    try:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table
    except ImportError:
        print(budget.table())
        return
    from qecsim.budget import table as cells

    header = cells.header_lines(budget)
    table = Table(caption=escape("\n".join(cells.footer_lines(budget))))
    for i, title in enumerate(cells.columns(budget)):
        table.add_column(title, no_wrap=i == 0, justify="left" if i == 0 else "right")
    for component, row in zip(budget.components, cells.rows(budget), strict=True):
        table.add_row(*(escape(cell) for cell in row),
                      style=None if any(component.share.values()) else "dim")
    console = Console()
    if not console.is_terminal:  # a log file or a pipe: no wrapping at 80 columns
        console = Console(width=200)
    for line in header:
        console.print(escape(line), highlight=False)
    console.print(table)


def summary(budget, *, target: float) -> str:
    """What-if and target lines under the table (elasticity methods only)."""
    if budget.method == "ablation":
        return "(what-if projections need elasticities: use --method likelihood_ratio)"
    lines = ["what if one component is halved (projection, not simulation):"]
    largest = max(budget.distances)
    projections = []
    for c in budget.components:
        if any(c.share.values()):
            projection = budget.what_if(**{c.component: 0.5})
            projections.append((projection, c.component))
    for projection, name in sorted(
        projections, key=lambda item: item[0].logical_error_per_round[largest]
    ):
        lam = "n/a" if projection.lambda_ is None else f"{projection.lambda_:.2f}"
        lines.append(
            f"  {name:<20} eps(d={largest}) -> {projection.logical_error_per_round[largest]:.3g}"
            f"   Lambda -> {lam}   teraquop d -> {projection.teraquop_distance}"
        )
    factor = budget.required_scale(target=target, distance=largest)
    lines.append(
        f"to reach eps = {target:g} per round at d = {largest}: scale every component by "
        f"{factor:.3g}"
    )
    for c in budget.components:
        if not any(c.share.values()):
            continue
        alone = budget.required_scale(target=target, distance=largest, component=c.component)
        verdict = "cannot reach it alone" if alone is None else f"alone: scale by {alone:.3g}"
        lines.append(f"  {c.component:<20} {verdict}")
    return "\n".join(lines)
