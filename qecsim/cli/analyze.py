"""``qecsim analyze``: per-round error, Lambda, footprint and threshold tables of a store."""

from __future__ import annotations

import argparse
import hashlib
import json

EPILOG = """\
examples:
  qecsim analyze results.csv
  qecsim analyze results.csv --target 1e-9 --where noise=si1000
  qecsim analyze a.csv b.csv --per-round

Groups: a Lambda fit per decoder and metadata other than d/rounds (e.g. per noise and p), a
threshold per decoder and metadata other than d/rounds/p. Intervals follow sinter's
convention (likelihood factor 1000, the band `sinter plot` shows). Groups that cannot be
fitted (one distance, no crossing, ...) are listed with the reason.
"""


def register(subparsers) -> None:
    """Add the ``analyze`` subcommand."""
    parser = subparsers.add_parser(
        "analyze",
        help="tables of logical error per round, Lambda, footprint and threshold of a store",
        description="Read sinter CSV stores (e.g. from `qecsim sweep`) and print the logical "
        "error per round of every point, Lambda fits with the projected footprint, and "
        "threshold estimates, each with its confidence interval.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("stores", nargs="+", help="sinter CSV file(s)")
    parser.add_argument(
        "--target", type=float, default=1e-12, help="footprint target per round (1e-12)"
    )
    parser.add_argument(
        "--per-round", action="store_true", help="cross per-round (not per-shot) error rates"
    )
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keep only points whose metadata (or decoder) matches, e.g. noise=si1000",
    )
    parser.set_defaults(func=run)


# ---------------------------------------------------------------------------------------------
# Shared with `qecsim plot`


def _matches(value, wanted: str) -> bool:
    if str(value) == wanted:
        return True
    try:
        parsed = json.loads(wanted)
    except json.JSONDecodeError:
        return False
    return value == parsed


def load_stats(stores: list[str], where: list[str]) -> list:
    """Read and filter stores; QecsimError for a missing or non-sinter file or no match."""
    from qecsim.collection import read_store
    from qecsim.errors import QecsimError

    stats = []
    for store in stores:
        stats.extend(read_store(store))
    conditions = []
    for entry in where:
        key, sep, value = entry.partition("=")
        if not sep:
            raise QecsimError(f"--where {entry!r} is not KEY=VALUE")
        conditions.append((key.strip(), value.strip()))
    kept = []
    for stat in stats:
        metadata = stat.json_metadata if isinstance(stat.json_metadata, dict) else {}
        if all(
            _matches(stat.decoder if key == "decoder" else metadata.get(key), value)
            for key, value in conditions
        ):
            kept.append(stat)
    if not kept:
        raise QecsimError(
            f"no statistics in {stores} match {where}" if where else f"{stores} hold no statistics"
        )
    return kept


def groups(stats: list, varying: tuple[str, ...]) -> list[list]:
    """Stats grouped by decoder and every metadata key except ``varying``, in sorted order."""
    grouped: dict[tuple, list] = {}
    for stat in stats:
        metadata = stat.json_metadata if isinstance(stat.json_metadata, dict) else {}
        rest = {k: v for k, v in metadata.items() if k not in varying}
        key = (stat.decoder, json.dumps(rest, sort_keys=True, default=str))
        grouped.setdefault(key, []).append(stat)
    return [grouped[key] for key in sorted(grouped)]


def group_label(members: list, varying: tuple[str, ...]) -> str:
    """``noise=si1000, p=0.001, decoder=pymatching`` (custom model JSON shortened)."""
    metadata = dict(members[0].json_metadata)
    parts = []
    for key, value in metadata.items():
        if key in varying or (key in ("code", "basis") and value in ("rotated_surface_code", "Z")):
            continue
        if key == "noise_model":
            digest = hashlib.sha256(str(value).encode()).hexdigest()[:8]
            parts.append(f"noise_model=#{digest}")
            continue
        parts.append(f"{key}={value:g}" if isinstance(value, float) else f"{key}={value}")
    parts.append(f"decoder={members[0].decoder}")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------


def run(args) -> int:
    """Print the tables."""
    from qecsim import analysis
    from qecsim.errors import QecsimError

    stats = load_stats(args.stores, args.where)
    if not 0 < args.target < 0.5:
        raise QecsimError(f"--target={args.target!r} is not in (0, 0.5)")

    print("Logical error per round (interval: likelihood factor 1000)")
    print(
        f"  {'group':44s} {'p':>8s} {'d':>3s} {'rounds':>6s} {'shots':>10s} {'errors':>7s}"
        "  per shot            per round [interval]"
    )
    for result in analysis.logical_error_per_round(stats):
        label = group_label([_Fake(result)], ("d", "rounds", "p"))
        p = f"{result.p:8.3g}" if result.p is not None else f"{'-':>8s}"
        print(
            f"  {label[:44]:44s} {p} {result.distance:3d} {result.rounds:6d} "
            f"{result.num_shots:10d} {result.num_errors:7d}  {result.shot_error_rate:.3e}  "
            f"{result.best:.3e} [{result.low:.2e}, {result.high:.2e}]"
        )

    print()
    print(f"Lambda fits and footprint (per-round error <= {args.target:g})")
    for members in groups(stats, ("d", "rounds")):
        label = group_label(members, ("d", "rounds"))
        try:
            fit = analysis.fit_lambda(members)
        except QecsimError as error:
            print(f"  {label}: n/a ({error})")
            continue
        print(f"  {label}: {fit}")
        print(f"      {analysis.footprint(fit, target=args.target)}")

    print()
    print(
        "Thresholds (crossing of the "
        + ("per-round" if args.per_round else "per-shot")
        + " logical error curves)"
    )
    for members in groups(stats, ("d", "rounds", "p")):
        label = group_label(members, ("d", "rounds", "p"))
        try:
            threshold = analysis.estimate_threshold(members, per_round=args.per_round)
        except QecsimError as error:
            print(f"  {label}: n/a ({error})")
            continue
        pairs = ", ".join(f"d={a}/{b}: {p:.4g}" for a, b, p in threshold.pairwise)
        print(f"  {label}: {threshold}")
        print(f"      pairwise crossings {pairs}")
    return 0


class _Fake:
    """Adapter: a per-round result looks like a TaskStats to :func:`group_label`."""

    def __init__(self, result) -> None:
        self.json_metadata = result.metadata
        self.decoder = result.decoder
