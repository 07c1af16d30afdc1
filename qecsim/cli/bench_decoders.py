"""``qecsim bench-decoders``: compare decoders on the same sampled syndromes."""

from __future__ import annotations

import argparse

EPILOG = """\
examples:
  qecsim bench-decoders --noise si1000 --p 1e-3 --distances 3,5,7 \\
      --decoders pymatching,pymatching-correlated,bposd --shots 100000
  qecsim bench-decoders --list                 # which decoders work here
  qecsim bench-decoders --distances 3 --decoders pymatching,tesseract --shots 2000 --plot out.png

Every decoder decodes the SAME detection events (one stim sample per circuit, --seed), so the
disagreement counts are exact. Times are single-threaded wall times (median over batches after a
warm-up batch), so they are only as quiet as the machine.
"""


def register(subparsers) -> None:
    """Add the ``bench-decoders`` subcommand."""
    parser = subparsers.add_parser(
        "bench-decoders",
        help="compare decoders' logical error and speed on identical syndromes",
        description="Sample each memory circuit once and decode the same detection events with "
        "every decoder: logical error rate with interval, time per shot and per round, setup "
        "time, and pairwise disagreements.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--code", default="rotated_surface_code", help="code family")
    parser.add_argument("--noise", default="si1000", help="noise preset (default si1000)")
    parser.add_argument("--p", type=float, default=1e-3, help="preset parameter (default 1e-3)")
    parser.add_argument("--distances", default="3,5", help="comma-separated, e.g. 3,5,7")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default: distance)")
    parser.add_argument("--basis", default="Z", help="memory basis, Z or X")
    from qecsim.decoding.registry import describe_names

    parser.add_argument(
        "--decoders",
        default="pymatching,pymatching-correlated",
        metavar="NAMES",
        help="comma-separated decoder names, a name may repeat (default: "
        f"pymatching,pymatching-correlated). Names: {describe_names()}. "
        "--list shows which work here",
    )
    parser.add_argument("--shots", type=int, default=10_000, help="shots per circuit")
    parser.add_argument("--seed", type=int, default=None, help="sampling seed (default: random)")
    parser.add_argument("--batch-size", type=int, default=None, help="shots per timed batch")
    parser.add_argument("--plot", default=None, help="write the accuracy-vs-speed plot here")
    parser.add_argument(
        "--list", action="store_true", help="list known decoders and whether they work here"
    )
    parser.set_defaults(func=run)


def _list_decoders() -> int:
    from qecsim import decoders

    for name in decoders.KNOWN_DECODERS:
        aliases = [alias for alias, target in decoders.ALIASES.items() if target == name]
        also = f"  (also: {', '.join(aliases)})" if aliases else ""
        if decoders.is_available(name):
            print(f"{name:24s} available{also}")
        else:
            try:
                decoders.get(name)
            except ImportError as error:
                print(f"{name:24s} missing: {error}{also}")
    for name in decoders.available():
        if name not in decoders.KNOWN_DECODERS:
            print(f"{name:24s} available (registered)")
    print("names are canonical; case, '-' and '_' do not matter when you type them")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print the table and the disagreements."""
    if args.list:
        return _list_decoders()

    import qecsim
    from qecsim.cli.sweep import parse_list
    from qecsim.decoding.benchmark import circuit_rounds
    from qecsim.errors import QecsimError

    names = qecsim.decoders.check_names(parse_list("decoders", args.decoders))
    distances = parse_list("distances", args.distances, int)
    if args.shots < 1:
        raise QecsimError(f"--shots={args.shots!r} is not an integer >= 1")
    if args.batch_size is not None and args.batch_size < 1:
        raise QecsimError(f"--batch-size={args.batch_size!r} is not an integer >= 1")
    noise = qecsim.NoiseModel.from_preset(args.noise, args.p)
    circuits = {}
    for distance in distances:
        circuit = qecsim.memory_circuit(
            args.code, distance=distance, rounds=args.rounds, basis=args.basis, noise=noise
        )
        circuits[f"d={distance}, r={circuit_rounds(circuit)}"] = circuit
    result = qecsim.benchmark_decoders(
        circuits,
        decoders=names,
        num_shots=args.shots,
        seed=args.seed,
        batch_size=args.batch_size,
    )
    print(f"{args.code}, {args.noise} p={args.p}, basis {args.basis}, seed {result.seed}")
    print(result.table())
    if len(result.decoders) > 1:
        print("\nshots on which two decoders disagree:")
        for index, a in enumerate(result.decoders):
            for b in result.decoders[index + 1 :]:
                counts = result.disagreements(a, b)
                text = ", ".join(f"{label}: {count}" for label, count in counts.items())
                print(f"  {a} vs {b}: {text}")
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        ax = result.plot()
        ax.set_title(f"{args.noise} p={args.p}, {args.shots} shots")
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=120)
        plt.close(ax.figure)
        print(f"\nplot written to {args.plot}")
    return 0
