"""``qecsim bench-decoders``: compare decoders on the same sampled syndromes."""

from __future__ import annotations

import argparse
import sys

EPILOG = """\
examples:
  qecsim bench-decoders --noise si1000 --p 1e-3 --distances 3,5,7 \\
      --decoders pymatching,pymatching-correlated,bposd --shots 100000
  qecsim bench-decoders --list                 # which decoders work here
  qecsim bench-decoders --distances 3 --decoders pymatching,tesseract --shots 2000 --plot out.png
  qecsim bench-decoders --calibration qecsim/data/calibrations/example_cz_transmon_17q.json \
      --distances 3 --shots 20000
  qecsim bench-decoders --noise-file chip.json --distances 3,5   # a NoiseModel JSON
  qecsim bench-decoders --circuit d3.stim --circuit d5.stim        # your own circuits

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
    from qecsim.circuits.memory import CODES
    from qecsim.decoding.registry import describe_names
    from qecsim.noise.model import PRESETS

    parser.add_argument(
        "--code",
        default="rotated_surface_code",
        metavar="CODE",
        help=f"code family: {', '.join(CODES)} (default: rotated_surface_code)",
    )
    parser.add_argument(
        "--noise",
        default=None,
        metavar="PRESET",
        help=f"noise preset: {', '.join(PRESETS)} (default: si1000)",
    )
    parser.add_argument(
        "--p",
        type=float,
        default=None,
        metavar="P",
        help="the preset's physical error rate, a number (default: 1e-3)",
    )
    _add_device_arguments(parser)
    parser.add_argument(
        "--distances",
        default="3,5",
        metavar="D1,D2,...",
        help="code distances, comma-separated integers (default: 3,5)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        metavar="N",
        help="rounds per shot, an integer (default: the distance)",
    )
    parser.add_argument(
        "--basis", default="Z", metavar="{Z,X}", help="memory basis, Z or X (default: Z)"
    )
    parser.add_argument(
        "--decoders",
        default="pymatching,pymatching-correlated",
        metavar="NAMES",
        help="comma-separated decoder names, a name may repeat (default: "
        f"pymatching,pymatching-correlated). Names: {describe_names()}. "
        "--list shows which work here",
    )
    parser.add_argument(
        "--shots",
        type=int,
        default=10_000,
        metavar="N",
        help="shots per circuit, decoded by every decoder, an integer >= 1 (default: 10000)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="sampling seed, an integer (default: random, printed with the results)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        metavar="N",
        help="shots per timed batch, an integer >= 1 (default: shots / 11 rounded up: a "
        "warm-up batch, then 10 timed ones)",
    )
    parser.add_argument(
        "--plot",
        default=None,
        metavar="FILE",
        help="write the accuracy-vs-speed plot to this image file, e.g. out.png (default: "
        "no plot)",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="only list the known decoders, their aliases and whether they work here "
        "(default: off)",
    )
    _add_source_arguments(parser)
    parser.set_defaults(func=run)


def _add_device_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gate-set", default=None, choices=("cx", "cz"),
        help="the circuits' gate set, cx or cz (default: the noise model's own: cz for si1000 "
        "and CZ chips, cx otherwise)",
    )
    parser.add_argument(
        "--calibration",
        default=None,
        metavar="FILE",
        help="a device calibration JSON file (qecsim.load_calibration: gate set, durations, "
        "T1/T2, per-qubit and per-coupler errors) instead of --noise/--p; its per-qubit "
        "values fit the distance its layout was made for (default: none)",
    )


def _noise(args: argparse.Namespace, distances: list[int]):
    """The model of --calibration, or of --noise at --p; and its label for the output."""
    import qecsim
    from qecsim.cli.sweep import calibration_noise

    if args.calibration is not None:
        first = qecsim.memory_circuit(
            args.code, distance=min(distances), rounds=1, basis=args.basis
        )
        noise = calibration_noise(
            args.calibration, circuit=first, conflicts={"--noise": args.noise, "--p": args.p}
        )
        return noise, noise.name
    name, p = args.noise or "si1000", 1e-3 if args.p is None else args.p
    return qecsim.NoiseModel.from_preset(name, p), f"{name} p={p}"


def _add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """``--noise-file`` and ``--circuit``: other sources of circuits than a preset."""
    group = parser.add_argument_group("other noise models and your own circuits")
    group.add_argument(
        "--noise-file", default=None, metavar="PATH",
        help="a NoiseModel JSON file (NoiseModel.to_json) instead of --noise/--p "
        "(default: none)")
    group.add_argument(
        "--circuit", action="append", default=[], metavar="FILE",
        help="a noisy .stim circuit to decode instead of memory circuits (repeat for several; "
        "--rounds or its detectors' time coordinate give its rounds) (default: none)")


def _circuits(args, distances: list[int]) -> tuple[dict, str]:
    """{label: circuit} of the options, and a header line describing them."""
    import pathlib

    import qecsim
    from qecsim.circuits.files import read_circuit
    from qecsim.cli.sweep import noise_file_model
    from qecsim.decoding.benchmark import circuit_rounds
    from qecsim.errors import QecsimError

    if args.circuit:
        for option, value in (("--noise-file", args.noise_file),
                              ("--calibration", args.calibration),
                              ("--gate-set", args.gate_set)):
            if value is not None:
                raise QecsimError(f"give --circuit or {option}, not both")
        paths = [pathlib.Path(path) for path in args.circuit]
        labels = [path.name for path in paths]
        if len(set(labels)) < len(labels):  # one file name in several folders
            labels = [f"{path.parent.name}/{path.name}" for path in paths]
        if len(set(labels)) < len(labels):
            labels = [str(path) for path in paths]
        circuits = {label: read_circuit(path) for label, path in zip(labels, paths, strict=True)}
        return circuits, f"{len(circuits)} circuit file(s)"
    if args.noise_file is not None:
        if args.calibration is not None:
            raise QecsimError("give --noise-file or --calibration, not both")
        noise = noise_file_model(args.noise_file)
        noise_name = f"{pathlib.Path(args.noise_file).name} ({noise.name})"
    else:
        noise, noise_name = _noise(args, distances)
    if args.gate_set is not None:
        noise = noise.with_gate_set(args.gate_set)
    circuits = {}
    for distance in distances:
        circuit = qecsim.memory_circuit(
            args.code, distance=distance, rounds=args.rounds, basis=args.basis, noise=noise
        )
        circuits[f"d={distance}, r={circuit_rounds(circuit)}"] = circuit
    return circuits, f"{args.code}, {noise_name}, gate set {noise.gate_set}, basis {args.basis}"


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
    """Run the benchmark; Ctrl-C at any moment prints one line and returns 130."""
    from qecsim.errors import reveal_ctrl_c

    try:
        with reveal_ctrl_c():  # a Ctrl-C while an extension imports is an ImportError
            return _run(args)
    except KeyboardInterrupt:
        print("qecsim bench-decoders: interrupted: nothing kept (the benchmark keeps no "
              "results); rerun the same command to start over", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    """Run the benchmark and print the table and the disagreements."""
    if args.list:
        return _list_decoders()

    import qecsim
    from qecsim.cli.sweep import parse_list
    from qecsim.errors import QecsimError

    names = qecsim.decoders.check_names(parse_list("decoders", args.decoders))
    distances = parse_list("distances", args.distances, int)
    if args.shots < 1:
        raise QecsimError(f"--shots={args.shots!r} is not an integer >= 1")
    if args.batch_size is not None and args.batch_size < 1:
        raise QecsimError(f"--batch-size={args.batch_size!r} is not an integer >= 1")
    circuits, header = _circuits(args, distances)
    result = qecsim.benchmark_decoders(
        circuits,
        decoders=names,
        num_shots=args.shots,
        seed=args.seed,
        batch_size=args.batch_size,
        rounds=args.rounds if args.circuit else None,
    )
    print(f"{header}, seed {result.seed}")
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
        ax.set_title(f"{header}, {args.shots} shots")
        ax.figure.tight_layout()
        ax.figure.savefig(args.plot, dpi=120)
        plt.close(ax.figure)
        print(f"\nplot written to {args.plot}")
    return 0
