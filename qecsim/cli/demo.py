"""``qecsim demo``: the main job. An error budget of SI1000 noise at p = 1e-3."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Run the error budget of the rotated surface code (d = 3, 5, 7) under SI1000 noise at
p = 1e-3: prints the table, what-if projections and the improvement needed for 1e-6 per
round; writes JSON, CSV and a plot.

How long (measured): about 22 CPU-seconds in all, 12 s of wall time on 2 idle cores; on
cores shared with other jobs (load average 6) it took 57-59 s. A rerun with the same --out
takes about 2 s: it finds every batch in its store.
"""


def register(subparsers) -> None:
    from qecsim.cli.budget import add_budget_arguments, run

    parser = subparsers.add_parser(
        "demo",
        help="the main job: error budget of the rotated surface code under SI1000, p=1e-3",
        description=DESCRIPTION,
        epilog="example:\n  qecsim demo --out demo_output",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_budget_arguments(parser, max_errors=500, out="demo_output", seed=2026)
    parser.set_defaults(func=run)
