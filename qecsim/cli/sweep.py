"""``qecsim sweep``: collect logical error rates over a grid of p, distances and rounds."""

from __future__ import annotations

import argparse
import math
import sys
import warnings

from qecsim.circuits.memory import CODES

EPILOG = """\
examples:
  qecsim sweep --code rotated_surface_code --noise si1000 --p 1e-3,2e-3,5e-3 \\
      --distances 3,5,7 --rounds d --max-errors 1000 --store results.csv
  qecsim sweep --noise uniform_depolarizing,si1000 --p 5e-3,7e-3,9e-3 --distances 3,5,7 \\
      --max-shots 1e6 --max-errors 2000 --workers 2
  qecsim sweep --noise-file noise.json --scales 0.5,1,2 --distances 3,5 --dry-run
  qecsim sweep --noise si1000 --p 1e-3 --distances 3,5 --scale two_qubit_gate=0.5,1
  qecsim sweep --noise si1000 --p 1e-3 --distances 5,7,9 --backend dask \\
      --scheduler tcp://10.0.0.5:8786     # a dask cluster (README: Scaling out)
  qecsim sweep --circuit d3.stim --circuit d5.stim --scale two_qubit_gate=0.5,1,2 \\
      --circuit-name chip_a               # your own circuits, scaled by component

Rerunning the same command resumes: shots already in the store count towards --max-shots and
--max-errors and are not sampled again. Ctrl-C stops a sweep and says how many shots the store
keeps (every finished batch); rerun the same command to continue. The store is sinter's CSV
format, so `sinter plot`, `sinter combine`, `qecsim analyze` and `qecsim plot` all read it.
--rounds d means rounds = distance (also 2d, 3d, or an integer); the default is d (1 for
code_capacity).
--noise-file reads a NoiseModel JSON (NoiseModel.to_json); its --p values (or --scales)
rescale the whole model so that its reference rate (preset p, else its largest rate) is p.
--calibration reads a device calibration file (qecsim.load_calibration, format in
qecsim/noise/calibration.py; e.g. qecsim/data/calibrations/example_cz_transmon_17q.json):
the device's gate set, durations, T1/T2 and per-qubit rates, as measured (--scales rescales).
Circuits use the noise model's gate set (si1000 and calibrations of CZ chips: cz; sd6 and
uniform_depolarizing: cx) unless --gate-set says otherwise; every task records it (gate_set).
--circuit sweeps your own .stim circuits (each at its graphlike circuit distance, its rounds
from --rounds or its detectors' time coordinate); --scale scales one component of their
(tag_noise-tagged) noise, --scales all of it; the store's metadata names each file and its
hash, so qecsim.circuit_from_metadata rebuilds every task (see qecsim.sampling.circuit_tasks).
"""


def register(subparsers) -> None:
    """Add the ``sweep`` subcommand."""
    parser = subparsers.add_parser(
        "sweep",
        help="sample logical error rates over p, distances and rounds into a resumable store",
        description="Expand a sweep grid (qecsim.sweep_tasks) and collect it on all cores "
        "(qecsim.collect), appending to a resumable sinter CSV store.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--code", default="rotated_surface_code", metavar="CODES",
        help=f"code family: {', '.join(CODES)}; comma-separated for several "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--noise", default=None, metavar="PRESETS",
        help="noise preset(s), comma-separated: uniform_depolarizing, sd6, si1000, "
        "code_capacity, phenomenological (default si1000; not with --noise-file)",
    )
    parser.add_argument(
        "--noise-file", default=None, metavar="PATH",
        help="a NoiseModel JSON file (NoiseModel.to_json, e.g. a device calibration) instead "
        "of a preset (default: none, use --noise)",
    )
    _add_device_arguments(parser)
    parser.add_argument(
        "--p", default=None, metavar="RATES",
        help="physical error rates, comma-separated, e.g. 1e-3,2e-3,5e-3: the preset's p, or "
        "with --noise-file the model's reference rate (required for presets; default with "
        "--noise-file: the model as it is)",
    )
    parser.add_argument(
        "--scales", default=None, metavar="FACTORS",
        help="with --noise-file instead of --p: factors of the whole model, comma-separated, "
        "e.g. 0.5,1,2 (default 1)",
    )
    parser.add_argument(
        "--distances", default=None, metavar="DISTANCES",
        help="code distances, comma-separated, e.g. 3,5,7 (required, except with --circuit)",
    )
    parser.add_argument(
        "--rounds", default=None, metavar="ROUNDS",
        help="rounds per shot: d (= distance), 2d, 3d or an integer; comma-separated for "
        "several (default d; 1 for code_capacity)",
    )
    parser.add_argument(
        "--basis", default="Z", metavar="BASES",
        help="memory basis: Z, X, or Z,X for both (default %(default)s)",
    )
    parser.add_argument(
        "--scale",
        action="append",
        default=[],
        metavar="COMPONENT=FACTORS",
        help="scale one noise component by factor(s), e.g. two_qubit_gate=0.5 or "
        "measurement=0.5,1; repeat for several components (default: none)",
    )
    parser.add_argument(
        "--decoders", default="pymatching", metavar="NAMES",
        help="decoder names, comma-separated, e.g. pymatching,pymatching-correlated "
        "(qecsim.decoders.available() lists them; default %(default)s)",
    )
    parser.add_argument(
        "--max-shots", default="1e7", metavar="N",
        help="stop a point at N shots, store included, e.g. 1e6, or none for no limit "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--max-errors", default="1000", metavar="N",
        help="stop a point at N logical errors, store included, or none for no limit "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--store", default="results.csv", metavar="PATH",
        help="sinter CSV store to resume from and append to, created if missing "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help="worker processes, an integer >= 1 (default: one per core this process may use)",
    )
    parser.add_argument(
        "--no-progress", action="store_true",
        help="hide the progress bar (default: shown on stderr)",
    )
    parser.add_argument(
        "--backend", default="local", choices=("local", "dask"),
        help="local: worker processes on this machine; dask: a dask.distributed cluster "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--scheduler", default=None, metavar="ADDRESS",
        help="with --backend dask: a scheduler address tcp://host:port (default: an embedded "
        "LocalCluster on this machine, one worker per core)",
    )
    parser.add_argument(
        "--dry-run", action="store_true",
        help="list the grid's points and exit without sampling (default: sample)",
    )
    _add_circuit_arguments(parser)
    parser.set_defaults(func=run)


def _add_device_arguments(parser: argparse.ArgumentParser) -> None:
    """--calibration and --gate-set (issue 12)."""
    parser.add_argument(
        "--calibration", default=None, metavar="FILE",
        help="a device calibration JSON file (qecsim.load_calibration: gate set, durations, "
        "T1/T2, per-qubit and per-coupler errors) instead of --noise/--noise-file; "
        "--scales rescales it (default: none, use --noise)",
    )
    parser.add_argument(
        "--gate-set", default=None, metavar="GATE_SETS",
        help="circuit gate set(s), comma-separated: cx, cz, or cx,cz to compare schedules "
        "(default: each noise model's own: cz for si1000 and CZ chips, cx otherwise)",
    )


def noise_file_model(text: str):
    """The NoiseModel of ``--noise-file PATH`` (a NoiseModel JSON file, e.g. from
    ``NoiseModel.to_json`` or ``qecsim noise-from-backend``)."""
    import pathlib

    import qecsim

    path = pathlib.Path(text)
    if not path.is_file():
        raise qecsim.QecsimError(f"--noise-file={text!r} is not a file")
    return qecsim.NoiseModel.from_json(path.read_text())


def calibration_noise(path: str, *, conflicts: dict[str, object], circuit=None):
    """The NoiseModel of ``--calibration FILE``, after checking the options it excludes.

    Args:
        path: The option's value (a calibration file, see :func:`qecsim.load_calibration`).
        conflicts: option name (``"--noise"``) -> its value; any value but None is an error.
        circuit: A noiseless circuit whose qubit coordinates place a file without ``layout``.

    Returns:
        The noise model.

    Raises:
        QecsimError: A conflicting option is given (the message names both), or the file is
            missing or bad (the message names the file, the key and the allowed range).

    Examples:
        >>> calibration_noise("chip.json", conflicts={"--noise": "si1000"})
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: give --calibration or --noise, not both (...)
    """
    import qecsim
    from qecsim.errors import QecsimError

    for option, value in conflicts.items():
        if value is not None:
            raise QecsimError(
                f"give --calibration or {option}, not both (--calibration reads the whole "
                "noise model from the file)"
            )
    return qecsim.load_calibration(path, circuit=circuit)


def _add_circuit_arguments(parser: argparse.ArgumentParser) -> None:
    """``--circuit`` and ``--circuit-name``: sweep your own circuits."""
    group = parser.add_argument_group("your own circuits (instead of --code/--noise)")
    group.add_argument(
        "--circuit", action="append", default=[], metavar="FILE",
        help="a noisy .stim circuit; repeat for several (one family: the same analysis "
        "groups as a generated sweep). Not with --noise, --noise-file, --p, --distances "
        "(default: none)")
    group.add_argument(
        "--circuit-name", default="circuit", metavar="NAME",
        help="the circuits' name in the store and in labels (default %(default)s)")


def _circuit_tasks(args):
    """The tasks of ``--circuit`` (validated, nothing sampled)."""
    from qecsim.errors import QecsimError
    from qecsim.sampling.circuit_tasks import circuit_tasks

    for option in ("noise", "noise_file", "p", "distances", "gate_set"):
        if getattr(args, option) is not None:
            raise QecsimError(f"--{option.replace('_', '-')} does not apply with --circuit")
    rounds = parse_list("rounds", args.rounds, int)
    if rounds is not None and len(rounds) not in (1, len(args.circuit)):
        raise QecsimError(
            f"--rounds={args.rounds!r}: give one value, or one per --circuit "
            f"({len(args.circuit)})")
    return circuit_tasks(
        args.circuit,
        rounds=None if rounds is None else (rounds[0] if len(rounds) == 1 else rounds),
        scales=parse_list("scales", args.scales, float),
        component_scales=_component_scales(args.scale),
        name=args.circuit_name,
    )


def parse_list(name: str, text: str | None, convert=str) -> list | None:
    """Split a comma-separated option; QecsimError naming the option on a bad entry.

    Args:
        name: The option's name without the leading ``--`` (for messages).
        text: The option's value, or None (option not given).
        convert: Applied to each entry (``int``, ``float``, ``str``).

    Returns:
        The converted entries, or None if ``text`` is None.

    Raises:
        QecsimError: The option is empty, an entry does not convert, or an entry is repeated.

    Examples:
        >>> parse_list("distances", "3, 5,7", int)
        [3, 5, 7]
        >>> parse_list("distances", "3,x", int)
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: --distances='3,x' has an entry that is not a int: 'x'
        >>> parse_list("p", "1e-3,0.001", float)
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: --p='1e-3,0.001' lists 0.001 more than once
    """
    from qecsim.errors import QecsimError

    if text is None:
        return None
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise QecsimError(f"--{name}={text!r} is empty")
    values = []
    for part in parts:
        try:
            value = convert(part)
        except (TypeError, ValueError):
            raise QecsimError(
                f"--{name}={text!r} has an entry that is not a {convert.__name__}: {part!r}"
            ) from None
        if value in values:
            raise QecsimError(f"--{name}={text!r} lists {value!r} more than once")
        values.append(value)
    return values


def parse_count(name: str, text: str | None) -> int | None:
    """A count option: ``'1e6'`` -> 1000000; ``'none'`` or ``''`` -> None.

    Args:
        name: The option's name without the leading ``--`` (for messages).
        text: The option's value, or None.

    Returns:
        The count (>= 1), or None for no limit.

    Raises:
        QecsimError: Not a number, not an integer, or < 1.

    Examples:
        >>> parse_count("max-shots", "1e6"), parse_count("max-shots", "none")
        (1000000, None)
        >>> parse_count("max-errors", "0")
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: --max-errors='0' is not an integer in [1, inf)
    """
    from qecsim.errors import QecsimError

    if text is None or text.strip().lower() in ("", "none"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise QecsimError(f"--{name}={text!r} is not a number") from None
    if not math.isfinite(value) or value != int(value) or value < 1:
        raise QecsimError(f"--{name}={text!r} is not an integer in [1, inf)")
    return int(value)


def _rounds_option(text: str) -> int | str:
    return int(text) if text.isdigit() else text


def _component_scales(entries: list[str]) -> dict[str, list[float]] | None:
    from qecsim.errors import QecsimError

    if not entries:
        return None
    scales = {}
    for entry in entries:
        component, sep, values = entry.partition("=")
        if not sep:
            raise QecsimError(f"--scale {entry!r} is not COMPONENT=FACTOR[,FACTOR...]")
        scales[component.strip()] = parse_list("scale", values, float)
    return scales


def _build_tasks(args):
    """The sinter tasks of the command line's grid (validated, nothing sampled)."""

    import qecsim
    from qecsim.errors import QecsimError

    if getattr(args, "circuit", None):
        if args.calibration is not None:
            raise QecsimError("--calibration does not apply with --circuit")
        return _circuit_tasks(args)
    if args.distances is None:
        raise QecsimError("--distances is required (or give --circuit)")
    codes = parse_list("code", args.code)
    bases = parse_list("basis", args.basis)
    distances = parse_list("distances", args.distances, int)
    if args.calibration is not None:
        first = qecsim.memory_circuit(codes[0], distance=distances[0], rounds=1, basis=bases[0])
        noise = [calibration_noise(args.calibration, circuit=first, conflicts={
            "--noise": args.noise, "--noise-file": args.noise_file, "--p": args.p})]
    elif args.noise_file is not None:
        if args.noise is not None:
            raise QecsimError("give --noise or --noise-file, not both")
        noise = [noise_file_model(args.noise_file)]
    else:
        if args.scales is not None:
            raise QecsimError(
                "--scales applies to --noise-file and --calibration; for presets give --p"
            )
        noise = parse_list("noise", args.noise or "si1000")
    rounds_options = parse_list("rounds", args.rounds, _rounds_option)
    return qecsim.sweep_tasks(
        code=codes,
        basis=bases,
        noise=noise,
        p=parse_list("p", args.p, float),
        scales=parse_list("scales", args.scales, float),
        distances=distances,
        rounds=None if rounds_options is None else rounds_options,
        component_scales=_component_scales(args.scale),
        gate_set=parse_list("gate-set", args.gate_set),
    )


def _describe(metadata: dict) -> str:
    shown = {k: v for k, v in metadata.items() if k not in ("noise_model", "circuit_files")}
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def _old_custom(metadata: dict) -> dict:
    """A custom task of a store written before the ``scale`` key (p = the model's reference
    rate after scaling): its p as the scale it stands for, unless p is a preset's parameter."""
    if metadata.get("noise") != "custom" or "scale" in metadata or "p" not in metadata:
        return metadata
    from qecsim.noise.model import NoiseModel
    from qecsim.sampling.metadata import reference_rate

    model = NoiseModel.from_json(metadata["noise_model"])
    if model.p is not None:
        return metadata
    scale = metadata["p"] / reference_rate(model)
    return {**{k: v for k, v in metadata.items() if k != "p"}, "scale": float(f"{scale:.6g}")}


def _noise_labels(metadatas: list[dict]) -> list[str]:
    """The noise column: a preset's name; a custom or cat-qubit model's label (its name, the
    preset it modifies, or its main rates) and scale factor; your own circuits by their name
    and scale factors. Different models read differently (qecsim.analysis.labels)."""
    from qecsim.analysis.labels import noise_labels

    labels = noise_labels([_old_custom(metadata) for metadata in metadatas])
    for index, metadata in enumerate(metadatas):
        if metadata.get("noise") == "circuit":  # your own circuits: their name and factors
            factors = [f"{k[len('scale_'):] if k != 'scale' else 'all'}={v:g}"
                       for k, v in metadata.items() if k == "scale" or k.startswith("scale_")]
            labels[index] = " ".join([str(metadata.get("circuit", "circuit")), *factors])
    return labels


def _gates_column(metadata: dict) -> str:
    """The circuits' gate set; ``-`` for your own circuits, which run as written."""
    from qecsim.sampling.metadata import gate_set_from_metadata

    return "-" if metadata.get("noise") == "circuit" else gate_set_from_metadata(metadata)


def _p_column(metadata: dict, p: float | None) -> str:
    """p where it is a preset's parameter (a custom model has it only when made from a
    preset), else ``-``."""
    shown = p is not None and "p" in _old_custom(metadata)
    return f"{p:8.3g}" if shown else f"{'-':>8s}"


def run(args) -> int:
    """Run ``qecsim sweep``; Ctrl-C at any moment prints one line and returns 130."""
    from qecsim.errors import reveal_ctrl_c

    state = {"sampled": False}
    try:
        with reveal_ctrl_c():  # a Ctrl-C while an extension imports is an ImportError
            return _run(args, state)
    except KeyboardInterrupt as error:  # collect's own message says what the store keeps
        from qecsim.sampling.collection import INTERRUPTED_BEFORE_SAMPLING

        message = str(error) or INTERRUPTED_BEFORE_SAMPLING
        if state["sampled"] and not str(error):
            message = (f"interrupted after sampling: the store {args.store!r} keeps every "
                       "point; rerun the same command to print the table")
        print(f"qecsim sweep: {message}", file=sys.stderr)
        return 130


def _run(args, state: dict) -> int:
    """Build the grid, collect it, print a table of the results."""
    import qecsim
    from qecsim import analysis
    from qecsim.decoding.registry import check_names
    from qecsim.errors import QecsimError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tasks = _build_tasks(args)
    for warning in caught:
        print(f"qecsim sweep: warning: {warning.message}", file=sys.stderr)
    decoders = check_names(parse_list("decoders", args.decoders))
    max_shots = parse_count("max-shots", args.max_shots)
    max_errors = parse_count("max-errors", args.max_errors)
    if max_shots is None and max_errors is None:
        raise QecsimError("--max-shots none and --max-errors none: give at least one limit")
    if args.workers is not None and args.workers < 1:
        raise QecsimError(f"--workers={args.workers} is not an integer >= 1")
    if args.scheduler is not None and args.backend != "dask":
        raise QecsimError(f"--scheduler={args.scheduler!r} needs --backend dask")
    backend_options = {"scheduler": args.scheduler} if args.backend == "dask" else {}
    if args.dry_run:
        for task in tasks:
            print(_describe(task.json_metadata))
        print(f"{len(tasks)} points x {len(decoders)} decoder(s); nothing sampled (--dry-run)")
        return 0
    try:
        stats = qecsim.collect(
            tasks,
            store=args.store,
            max_shots=max_shots,
            max_errors=max_errors,
            num_workers=args.workers,
            decoders=decoders,
            progress=not args.no_progress,
            backend=args.backend,
            **backend_options,
        )
        state["sampled"] = True
    except KeyboardInterrupt as error:  # Ctrl-C: one line, no traceback
        print(f"qecsim sweep: {error or 'interrupted'}", file=sys.stderr)
        return 130
    results = analysis.logical_error_per_round(stats)
    labels = _noise_labels([result.metadata for result in results])
    width = max([len(label) for label in labels] + [20])
    print(
        f"{'code':22s} {'noise':{width}s} {'gates':5s} {'p':>8s} {'d':>3s} {'rounds':>6s} "
        f"{'decoder':12s} {'shots':>10s} {'errors':>7s}  logical error per round [interval]"
    )
    for result, label in zip(results, labels, strict=True):
        metadata = result.metadata
        print(
            f"{metadata.get('code', '?'):22s} {label:{width}s} "
            f"{_gates_column(metadata):5s} {_p_column(metadata, result.p)} "
            f"{result.distance:3d} {result.rounds:6d} {result.decoder:12s} "
            f"{result.num_shots:10d} {result.num_errors:7d}  "
            f"{result.best:.3e} [{result.low:.2e}, {result.high:.2e}]"
        )
    if args.store is not None:
        print(
            f"store: {args.store}  (next: qecsim analyze {args.store}; "
            f"qecsim plot {args.store} -o plot.png)"
        )
    return 0
