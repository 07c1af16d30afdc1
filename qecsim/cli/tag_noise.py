"""``qecsim tag-noise``: tag the noise channels of a stim circuit file with their components."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys

__all__ = ["register", "run"]

EPILOG = """\
examples:
  # Google's published Sycamore circuit, tagged for an error budget
  qecsim tag-noise circuit_noisy.stim -o circuit_tagged.stim

  # the summary as JSON too; exit with status 1 if a channel could not be placed
  qecsim tag-noise circuit_noisy.stim -o circuit_tagged.stim --summary-json summary.json --strict

Each untagged noise channel gets a tag such as two_qubit_gate@3-7, single_qubit_gate@4,
idle@2, measurement_idle@2, measurement@5, reset@5, data_depolarization@1,
crosstalk.static_zz@4-9 (or another kind of crosstalk), or other (listed with its line) from
its place in the circuit; existing tags are kept and no probability changes. Without -o the
tagged circuit goes to stdout and the summary to stderr.
The rules: help(qecsim.noise.tagging.rules).
"""


def register(subparsers) -> None:
    """Add the ``tag-noise`` subcommand."""
    parser = subparsers.add_parser(
        "tag-noise",
        help="tag the noise channels of a .stim circuit with their components",
        description="Tag every untagged noise channel of a stim circuit file with its "
        "component and qubits (from its context in the circuit), write the tagged circuit "
        "and print a summary: channels per component and the lines it could not place.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("circuit", metavar="IN.stim", help="the stim circuit file to tag; required")
    parser.add_argument(
        "-o", "--output", metavar="OUT.stim", help="tagged circuit file (default: stdout)"
    )
    parser.add_argument(
        "--placement",
        choices=("auto", "after", "before"),
        default="auto",
        help="noise follows ('after') or precedes ('before') its operation; default: auto "
        "(detected from the circuit)",
    )
    parser.add_argument("--summary-json", metavar="FILE",
                        help="also write the summary as JSON to FILE (default: none)")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when a channel could not be placed (tagged 'other'); "
        "default: exit 0 and list such channels in the summary",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Tag the circuit, write it and print the summary; return the exit code."""
    from qecsim.circuits.files import circuit_text, read_circuit_with_lines, write_circuit
    from qecsim.errors import QecsimError
    from qecsim.noise.tagging import tag_noise

    circuit, lines = read_circuit_with_lines(args.circuit)
    tagged, summary = tag_noise(circuit, placement=args.placement, return_summary=True)
    summary = summary.with_lines(lines)  # the file's own line numbers
    summary_file = None
    if args.summary_json:  # opened first: a bad path fails before anything is written
        try:
            summary_file = open(args.summary_json, "w")  # closed by the with below
        except OSError as error:
            raise QecsimError(f"cannot write {args.summary_json}: {error.strerror}") from None
    with summary_file if summary_file is not None else contextlib.nullcontext():
        if args.output:
            write_circuit(tagged, args.output)
            report = sys.stdout
        else:
            print(circuit_text(tagged))
            report = sys.stderr
        print(f"{args.circuit}: {summary}", file=report)
        if args.output:
            print(f"wrote {args.output}", file=report)
        if summary_file is not None:
            json.dump(summary.to_dict(), summary_file, indent=2)
    return 1 if args.strict and summary.num_other else 0
