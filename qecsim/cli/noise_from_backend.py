"""``qecsim noise-from-backend``: a noise model JSON file from a device calibration snapshot."""

from __future__ import annotations

import argparse
import sys
import warnings

__all__ = ["register", "run"]

EPILOG = """\
examples:
  # uniform model from the medians of IBM Torino's calibration snapshot
  qecsim noise-from-backend fake_torino -o noise.json
  qecsim budget --noise-file noise.json       # (or: qecsim sweep --noise-file noise.json)

  # per-qubit and per-coupler rates for a distance-3 rotated surface code placed greedily
  qecsim noise-from-backend fake_sherbrooke --aggregate per_qubit --distance 3 -o noise_d3.json

  # an explicit layout: code qubit i -> device qubit LAYOUT[i]
  qecsim noise-from-backend fake_kyiv --aggregate per_qubit --distance 3 \\
      --layout 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -o noise.json

BACKEND is any class of qiskit_ibm_runtime.fake_provider (fake_torino, fake_kyiv, ...),
which needs the aer extra: pip install -e '.[aer]' in the qecsim-hw clone. Fallbacks (T2 >
2 T1 clipped, broken couplers clipped, couplers the code needs but the device lacks) are
reported on stderr.
"""


def register(subparsers) -> None:
    """Add the ``noise-from-backend`` subcommand."""
    parser = subparsers.add_parser(
        "noise-from-backend",
        help="noise model JSON from a qiskit fake backend's calibration",
        description="Write a qecsim NoiseModel (JSON) built from a real device calibration "
        "snapshot of qiskit-ibm-runtime: gate errors, readout, T1/T2 idling.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from qecsim.circuits.memory import CODES

    parser.add_argument(
        "backend",
        help="fake backend name (a class of qiskit_ibm_runtime.fake_provider; fake_torino, "
        "FakeTorino and torino all work); required",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="output JSON file (default: print the JSON to stdout)",
    )
    parser.add_argument(
        "--aggregate",
        choices=("median", "mean", "per_qubit"),
        default="median",
        help="median or mean: a uniform model from the device statistic; per_qubit: device "
        "medians plus per-qubit and per-coupler rates of the code's qubits (needs "
        "--distance) (default: median)",
    )
    parser.add_argument(
        "--code",
        default="rotated_surface_code",
        metavar="CODE",
        help=f"code family for --aggregate per_qubit: {', '.join(CODES)} "
        "(default: rotated_surface_code)",
    )
    parser.add_argument(
        "--distance",
        type=int,
        metavar="D",
        help="code distance, an integer, for --aggregate per_qubit (required there; "
        "default: none)",
    )
    parser.add_argument(
        "--basis",
        default="Z",
        choices=("X", "Z"),
        help="memory basis of the code for --aggregate per_qubit (default: Z)",
    )
    parser.add_argument(
        "--layout",
        default="greedy",
        metavar="LAYOUT",
        help="code qubit -> device qubit for --aggregate per_qubit: 'greedy' (short couplers "
        "on the device), 'identity' (code qubit i on device qubit i), or comma-separated "
        "device qubits, one per code qubit (default: greedy)",
    )
    parser.add_argument(
        "--gate-error-convention",
        choices=("average_infidelity", "depolarizing"),
        default="average_infidelity",
        help="how reported gate errors become depolarizing rates: average_infidelity "
        "(p = r (d+1)/d, d = 2^qubits) or depolarizing (p = r) (default: average_infidelity)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the noise model and write it; return the exit code."""
    from qecsim.errors import QecsimError
    from qecsim.interop import qiskit as qecsim_qiskit

    backend = qecsim_qiskit.backend_from_name(args.backend)
    circuit = None
    layout = None
    if args.aggregate == "per_qubit":
        if args.distance is None:
            raise QecsimError("--aggregate per_qubit needs --distance (the code to lay out)")
        import qecsim

        circuit = qecsim.memory_circuit(
            args.code, distance=args.distance, rounds=1, basis=args.basis
        )
        if args.layout == "greedy":
            layout = qecsim_qiskit.greedy_layout(circuit, backend)
        elif args.layout == "identity":
            layout = list(range(circuit.num_qubits))
        else:
            try:
                layout = [int(q) for q in args.layout.split(",")]
            except ValueError:
                raise QecsimError(
                    f"--layout {args.layout!r} is not 'greedy', 'identity' or integers "
                    "separated by commas"
                ) from None
    elif args.distance is not None or args.layout != "greedy":
        raise QecsimError("--distance and --layout are only used with --aggregate per_qubit")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        noise = qecsim_qiskit.noise_from_backend(
            backend,
            layout=layout,
            aggregate=args.aggregate,
            circuit=circuit,
            gate_error_convention=args.gate_error_convention,
        )
    for warning in caught:
        print(f"qecsim noise-from-backend: warning: {warning.message}", file=sys.stderr)
    text = noise.to_json(indent=2)
    if args.output:
        with open(args.output, "w") as file:
            file.write(text + "\n")
        print(f"wrote {args.output}: {summary(noise)}", file=sys.stderr)
        if noise.qubit_rates or noise.coupler_rates:
            print(
                f"  with {len(noise.qubit_rates)} per-qubit and {len(noise.coupler_rates)} "
                "per-coupler overrides",
                file=sys.stderr,
            )
    else:
        print(text)
    return 0


def summary(noise) -> str:
    """The model in one line: name, rates, gate set, durations (ns) and T1/T2 (us).

    Examples:
        >>> from qecsim.noise import Durations, NoiseModel
        >>> noise = NoiseModel(two_qubit_gate=5e-3, gate_set="cz", name="chip",
        ...     durations=Durations(single_qubit_gate=32e-9, two_qubit_gate=68e-9,
        ...                         measurement=1.56e-6, reset=1.708e-6), t1=185e-6, t2=141e-6)
        >>> print(summary(noise))
        chip: two_qubit_gate=0.005; gate set cz; durations 1q 32 ns, 2q 68 ns, measurement \
1560 ns, reset 1708 ns; T1/T2 185/141 us
    """
    rates = ", ".join(f"{c}={r:.3g}" for c, r in noise.rates().items() if r > 0)
    parts = [f"{noise.name}: {rates or 'no rates'}", f"gate set {noise.gate_set}"]
    if noise.durations is not None:
        d = noise.durations
        parts.append(
            f"durations 1q {d.single_qubit_gate * 1e9:.4g} ns, 2q {d.two_qubit_gate * 1e9:.4g} "
            f"ns, measurement {d.measurement * 1e9:.4g} ns, reset {d.reset * 1e9:.4g} ns"
        )
    if noise.t1 is not None and noise.t2 is not None:
        parts.append(f"T1/T2 {noise.t1 * 1e6:.3g}/{noise.t2 * 1e6:.3g} us")
    if noise.qubit_coherence:
        parts.append(f"T1/T2 of {len(noise.qubit_coherence)} qubits")
    return "; ".join(parts)
