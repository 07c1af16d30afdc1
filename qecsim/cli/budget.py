"""``qecsim budget``: the error budget of a noise model, as a table, JSON, CSV and plots."""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings

from qecsim.circuits.memory import CODES

EXAMPLES = """\
examples:
  qecsim budget --noise si1000 --p 1e-3 --distances 3,5,7 --out budget/
  qecsim budget --noise-file noise.json --distances 3,5 --by qubit --out device_budget/
  qecsim budget --noise sd6 --p 2e-3 --method finite_difference --max-errors 2000
  qecsim budget --calibration qecsim/data/calibrations/example_cz_transmon_17q.json \
      --distances 3 --by qubit --out chip_budget/
  qecsim budget --circuit d3.stim --circuit d5.stim --basis X --out google_budget/

Writes OUT/budget.json (documented format, see ErrorBudget.to_json), OUT/budget.csv and
OUT/budget.png (plus OUT/heatmap.png with --by qubit), and prints the table, a what-if for
halving each component, and the improvement needed for --target at the largest distance.

Every finished batch is kept in a store (default OUT/batches.jsonl): after Ctrl-C (or a
killed process), rerunning the same command continues where it stopped (its first line says
how many batches and shots it found) and gives the same result as an uninterrupted run with
the same --seed (without --seed, the store's own seed). Ctrl-C prints one line: how many
shots of the most the budget could take (--max-shots per sample set) the store keeps.
Raising --max-errors and rerunning adds to the batches already there.

--circuit budgets your own stim circuits instead of a noise model (each at its graphlike
circuit distance, its rounds from its detectors' time coordinate unless --rounds is given;
untagged noise is tagged by qecsim.tag_noise, and the output says so): --code and --basis are
then labels, and --distances does not apply.
"""

# Kept in step with qecsim.PRESETS and qecsim.BUDGET_METHODS (a test checks).
PRESET_NAMES = "uniform_depolarizing, sd6, si1000, code_capacity, phenomenological"
CODE_NAMES = CODES
METHOD_NAMES = ("likelihood_ratio", "finite_difference", "ablation")


def register(subparsers) -> None:
    """Add the ``budget`` subcommand."""
    parser = subparsers.add_parser(
        "budget",
        help="error budget: each component's share of the logical error and of 1/Lambda",
        description="Error budget: each noise component's share of the logical error per "
        "round and of 1/Lambda, from one run (likelihood ratio) or by brute force.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_budget_arguments(parser)
    add_circuit_arguments(parser)
    parser.set_defaults(func=run)


def add_circuit_arguments(parser: argparse.ArgumentParser) -> None:
    """``--circuit``: the budget of your own circuits (``qecsim budget`` only)."""
    group = parser.add_argument_group("your own circuits (instead of --noise/--noise-file)")
    group.add_argument(
        "--circuit", action="append", default=[], metavar="FILE",
        help="a noisy .stim circuit (repeat for several distances: 1/Lambda needs two); its "
        "distance is its graphlike circuit distance, its rounds --rounds or its detectors' "
        "time coordinate (default: none, budget a noise model)")
    # with circuits, code and basis are labels (None: none) and distances come from the files;
    # error_budget gives a noise model the usual defaults for None
    parser.set_defaults(code=None, basis=None, distances=None)


def add_budget_arguments(
    parser: argparse.ArgumentParser, *, max_errors: int = 1000, out: str = "budget",
    seed: int | None = None,
) -> None:
    """The options shared by ``qecsim budget`` and ``qecsim demo`` (with their defaults)."""
    add = parser.add_argument
    add("--noise", default=None, metavar="PRESET",
        help=f"noise preset, one of {PRESET_NAMES} (default si1000)")
    add("--p", type=float, default=None,
        help="the preset's parameter p, a Pauli error probability (default 1e-3)")
    add("--noise-file", default=None, metavar="PATH",
        help="a NoiseModel JSON file (NoiseModel.to_json, e.g. from `qecsim "
        "noise-from-backend`) instead of --noise/--p (default: none)")
    add("--calibration", default=None, metavar="FILE",
        help="a device calibration JSON file (qecsim.load_calibration: gate set, durations, "
        "T1/T2, per-qubit and per-coupler errors) instead of --noise/--p/--noise-file; its "
        "per-qubit values fit the distance its layout was made for (default: none)")
    add("--gate-set", default=None, choices=("cx", "cz"),
        help="the circuits' gate set, cx or cz (default: the noise model's own: cz for si1000 "
        "and CZ chips, cx otherwise)")
    add("--code", default="rotated_surface_code", choices=CODE_NAMES,
        help="code family (default rotated_surface_code)")
    add("--basis", default="Z", type=str.upper, choices=("Z", "X"),
        help="memory basis, Z or X (default Z)")
    add("--distances", default="3,5,7",
        help="comma-separated code distances; at least two odd ones for 1/Lambda (default 3,5,7)")
    add("--rounds", type=int, default=None,
        help="rounds of syndrome extraction per experiment, an integer (default: the distance)")
    add("--decoder", default="pymatching", metavar="NAME",
        help="a decoder name: pymatching, or an installed plug-in such as fusion_blossom or "
        "tesseract; `qecsim bench-decoders --list` lists them (default pymatching)")
    add("--method", default="likelihood_ratio", choices=METHOD_NAMES,
        help="likelihood_ratio: one sample set per distance, decoder at its nominal weights; "
        "finite_difference: each row (component or part) scaled by 1 +- 0.25, decoder rebuilt; "
        "ablation: each switched off (default likelihood_ratio)")
    add("--by", default="component", choices=("component", "qubit"),
        help="component, or qubit to also attribute per qubit and coupler (likelihood_ratio "
        "only; default component)")
    add("--max-shots", default="1e7", metavar="N",
        help="shots per sample set at most, e.g. 1e7 (default 1e7)")
    add("--max-errors", default=str(max_errors), metavar="N",
        help=f"stop a sample set at this many logical errors (default {max_errors})")
    add("--target", type=float, default=1e-6,
        help="the logical error per round to reach in the summary (default 1e-6)")
    add("--seed", type=int, default=seed,
        help="an integer seed for reproducible results (default "
        + (f"{seed})" if seed is not None else "none: the store's own seed, or a fresh one "
           "with --no-store)"))
    add("--workers", type=int, default=None, metavar="N",
        help="worker processes (default: all cores)")
    add("--out", default=out, metavar="FOLDER", help=f"output folder (default {out}/)")
    add("--store", default=None, metavar="PATH",
        help="batch store that makes a rerun continue (default OUT/batches.jsonl)")
    add("--no-store", action="store_true", help="keep no batch store (default: keep one)")
    add("--no-progress", action="store_true", help="hide the progress bar (default: show it)")


def noise_from_args(args):
    """The NoiseModel the options name: --calibration, --noise-file, or --noise at --p; on the
    gate set --gate-set names, if any."""
    noise = _noise_source(args)
    gate_set = getattr(args, "gate_set", None)
    return noise if gate_set is None else noise.with_gate_set(gate_set)


def _noise_source(args):

    import qecsim

    if getattr(args, "calibration", None) is not None:
        from qecsim.cli.sweep import calibration_noise, parse_list

        # the layout of the smallest distance places the chip's qubits (error_budget's
        # defaults where the options are None: rotated surface code, Z basis, d = 3, 5, 7)
        distances = parse_list("distances", args.distances, int) or [3]
        first = qecsim.memory_circuit(args.code or "rotated_surface_code",
                                      distance=min(distances), rounds=1,
                                      basis=args.basis or "Z")
        return calibration_noise(args.calibration, circuit=first, conflicts={
            "--noise": args.noise, "--p": args.p, "--noise-file": args.noise_file})
    if args.noise_file is not None:
        if args.noise is not None or args.p is not None:
            raise qecsim.QecsimError("give --noise/--p or --noise-file, not both")
        from qecsim.cli.sweep import noise_file_model

        return noise_file_model(args.noise_file)
    return qecsim.NoiseModel.from_preset(args.noise or "si1000", 1e-3 if args.p is None else args.p)


def run(args) -> int:
    """Run ``qecsim budget`` (or ``demo``); Ctrl-C at any moment prints one line (what the
    batch store keeps, how to go on) and returns 130."""
    from qecsim.errors import reveal_ctrl_c

    state: dict[str, object] = {"budget_called": False, "store": None}
    try:
        with reveal_ctrl_c():  # a Ctrl-C while an extension imports is an ImportError
            return _run(args, state)
    except KeyboardInterrupt as interrupt:
        from qecsim.budget.sampling import INTERRUPTED_BEFORE_SAMPLING, Interrupted

        if isinstance(interrupt, Interrupted):  # before or while sampling
            message = str(interrupt)
        elif not state["budget_called"]:
            message = INTERRUPTED_BEFORE_SAMPLING
        elif state["store"] is None:
            message = ("interrupted after sampling: nothing kept (no batch store); rerun the "
                       "same command to start over")
        else:
            message = (f"interrupted after sampling: {state['store']} keeps every batch; rerun "
                       "the same command to write the outputs (it samples nothing again)")
        print(f"qecsim {args.command}: {message}", file=sys.stderr)
        return 130


@contextlib.contextmanager
def _warnings_as_lines(command: str):
    """Show warnings as ``qecsim COMMAND: warning: ...`` lines on stderr, as they happen."""
    with warnings.catch_warnings():
        warnings.showwarning = lambda message, *rest, **kwargs: print(
            f"qecsim {command}: warning: {message}", file=sys.stderr
        )
        yield


def circuits_from_args(args):
    """The circuits ``--circuit`` names: {graphlike distance: circuit}, or one circuit."""
    import qecsim
    from qecsim.circuits.files import read_circuit
    from qecsim.sampling.circuit_tasks import graphlike_distance

    for option in ("noise", "p", "noise_file", "distances", "calibration", "gate_set"):
        if getattr(args, option, None) is not None:
            raise qecsim.QecsimError(
                f"--{option.replace('_', '-')} does not apply with --circuit")
    circuits = [(path, read_circuit(path)) for path in args.circuit]
    if len(circuits) == 1:
        return circuits[0][1]
    by_distance: dict[int, tuple[str, object]] = {}
    for path, circuit in circuits:
        d = graphlike_distance(circuit, what=path)
        if d in by_distance:
            raise qecsim.QecsimError(
                f"--circuit {by_distance[d][0]} and {path} both have graphlike distance {d}: "
                "a budget takes one circuit per distance")
        by_distance[d] = (path, circuit)
    return {d: circuit for d, (_, circuit) in by_distance.items()}


def _run(args, state: dict) -> int:
    import pathlib

    import qecsim
    from qecsim.cli.sweep import parse_count, parse_list

    noise = circuits_from_args(args) if getattr(args, "circuit", None) else noise_from_args(args)
    out = pathlib.Path(args.out)
    store = None if args.no_store else pathlib.Path(args.store or out / "batches.jsonl")
    # error_budget turns a Ctrl-C before and while sampling into an Interrupted (its own
    # message): any other Ctrl-C from here on comes after sampling
    state.update(budget_called=True, store=store)
    with _warnings_as_lines(args.command):
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
            store=store,
        )
    written = write_outputs(budget, out)
    print_table(budget)
    print()
    print(summary(budget, target=args.target))
    print(f"\nwrote {', '.join(str(out / name) for name in written)}")
    return 0


def write_outputs(budget, out) -> list[str]:
    """Write budget.json, budget.csv, budget.png (and heatmap.png) into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    return written


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
        teraquop = ("teraquop d unknown (needs Lambda > 1)" if projection.teraquop_distance is None
                    else f"teraquop d -> {projection.teraquop_distance}")
        if projection.teraquop_qubits is not None:
            teraquop += f" ({projection.teraquop_qubits} qubits)"
        lines.append(
            f"  {name:<20} eps(d={largest}) -> {projection.logical_error_per_round[largest]:.3g}"
            f"   Lambda -> {lam}   {teraquop}"
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
