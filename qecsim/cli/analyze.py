"""``qecsim analyze``: per-round error, Lambda, footprint and threshold tables of a store."""

from __future__ import annotations

import argparse
import json
import warnings

#: Points with fewer logical errors are flagged, and left out of Lambda fits.
MIN_ERRORS_FOR_FIT = 10
#: A group with this many distinct rounds values at some distance is a rounds series: it is
#: fitted with fit_error_per_round (eps per round and A per distance) instead of one Lambda
#: line through per-round rates that each carry state preparation and measurement.
MIN_ROUNDS_FOR_SERIES = 3

EPILOG = """\
examples:
  qecsim analyze results.csv
  qecsim analyze results.csv --target 1e-9 --where noise=si1000
  qecsim analyze a.csv b.csv --per-round

Groups: a Lambda fit per decoder and metadata other than d/rounds (e.g. per noise and p), a
threshold per decoder and metadata other than d/rounds/p. A group with >= 3 rounds values at
a distance (a rounds series, as an experiment runs) is fitted per distance with
1 - 2 P(r) = A (1 - 2 eps)^r, which separates the error per round eps from state preparation
and measurement (A), and Lambda comes from the fitted eps (qecsim.analysis.fit_error_per_round;
--exclude-rounds leaves the first rounds out). Intervals follow sinter's
convention (likelihood factor 1000, the band `sinter plot` shows). Points with fewer than 10
logical errors are marked * and left out of the Lambda fits (their weights would be
unreliable). Groups that cannot be fitted (one distance, no crossing, no rounds, ...) are
listed with the reason; groups without a swept p (one p per distance, or none, as cat-qubit
sweeps) are counted in one line under Thresholds. Any sinter store works: per-shot rates for
every task, per-round rates where the metadata has rounds (or sinter's `r`). Lambda uses odd
distances only. Custom noise models are shown by their label, never their JSON, cat-qubit
models by n and kappa_1/kappa_2; labels cut to fit the table keep what tells groups apart.
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
    parser.add_argument(
        "stores",
        nargs="+",
        metavar="STORE",
        help="one or more sinter CSV files (from qecsim sweep, sinter collect, ...); required",
    )
    parser.add_argument(
        "--target",
        type=float,
        default=1e-12,
        metavar="EPS",
        help="target logical error per round of the footprint, a number in (0, 0.5) "
        "(default: %(default)g, 'teraquop')",
    )
    parser.add_argument(
        "--per-round",
        action="store_true",
        help="thresholds cross the per-round instead of the per-shot logical error rates "
        "(a flag; default: per shot)",
    )
    parser.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keep only points whose metadata key (or 'decoder') has this value, compared "
        "as text then as JSON, e.g. noise=si1000 or p=0.001; repeat for several (all must "
        "match; default: keep every point)",
    )
    parser.add_argument(
        "--exclude-rounds",
        default="",
        metavar="LIST",
        help="rounds values left out of rounds-series fits, comma-separated, e.g. 1 or 1,3 "
        "(to fit the steady state after a non-exponential onset, A > 1; default: none)",
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
    """Read and filter stores (shared by ``qecsim analyze`` and ``qecsim plot``).

    Args:
        stores: Paths of sinter CSV files.
        where: ``KEY=VALUE`` filters on metadata (or ``decoder``); a value is compared as
            text, then as JSON (so ``p=0.001`` matches ``1e-3``).

    Returns:
        The statistics that match every filter.

    Raises:
        QecsimError: A store is missing or not sinter CSV, a filter is not KEY=VALUE, or
            nothing matches.

    Examples:
        >>> load_stats(["missing.csv"], [])
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: store='missing.csv' does not exist
    """
    from qecsim.errors import QecsimError
    from qecsim.sampling.local import read_store

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


def _metadata(member) -> dict:
    return member.json_metadata if hasattr(member, "json_metadata") else member.metadata


def group_label(members: list, varying: tuple[str, ...]) -> str:
    """A group's label: its metadata except ``varying`` and the defaults, and its decoder.

    Args:
        members: sinter ``TaskStats`` or ``qecsim.LogicalErrorPerRound`` of one group (the
            first member's metadata is shown).
        varying: Keys left out (they vary within the group).

    Returns:
        e.g. ``"noise=si1000, p=0.001, decoder=pymatching"``; a custom model appears as its
        label (:mod:`qecsim.analysis.labels`), never as JSON. Several groups shown together
        are labelled by :func:`group_labels_of`, which keeps them apart.

    Examples:
        >>> import sinter
        >>> stat = sinter.TaskStats(strong_id="a", decoder="pymatching", shots=1, errors=0,
        ...     json_metadata={"code": "rotated_surface_code", "basis": "Z", "d": 3,
        ...                    "rounds": 3, "noise": "si1000", "p": 0.001})
        >>> group_label([stat], ("d", "rounds"))
        'noise=si1000, p=0.001, decoder=pymatching'
    """
    from qecsim.analysis.labels import describe_metadata

    return describe_metadata(_metadata(members[0]), members[0].decoder, exclude=varying)


def group_labels_of(groups: list[list], varying: tuple[str, ...],
                    limit: int | None = None) -> list[str]:
    """The labels of groups shown together (:func:`group_label` of each), such that groups
    that differ read differently (:func:`qecsim.analysis.labels.describe_groups`).

    Args:
        groups: The groups' members (``TaskStats`` or per-round results).
        varying: Keys left out (they vary within a group).
        limit: The longest label in characters (None: whole labels).

    Returns:
        One label per group.
    """
    from qecsim.analysis.labels import describe_groups

    return describe_groups([_metadata(g[0]) for g in groups], [g[0].decoder for g in groups],
                           exclude=varying, limit=limit)


# ---------------------------------------------------------------------------------------------


def _column(value, width: int, fmt: str) -> str:
    return f"{value:{width}{fmt}}" if value is not None else f"{'-':>{width}s}"


def _print_points(shots, per_round: dict) -> None:
    """The table of every point; the decoder has a column of its own (never cut).

    Args:
        shots: ``LogicalErrorPerShot`` of every task.
        per_round: ``(strong_id, decoder)`` -> ``LogicalErrorPerRound`` where rounds are known.
    """
    from qecsim.analysis.labels import LABEL_LIMIT, describe_groups

    # shortened so that groups stay apart; the decoder has a column of its own
    labels = describe_groups([r.metadata for r in shots], exclude=("d", "rounds", "r", "p"),
                             limit=LABEL_LIMIT)
    width = max([len(label) for label in labels] + [5])
    decoder_width = max([len(r.decoder) for r in shots] + [7])
    print("Logical error per round and per shot (interval: likelihood factor 1000)")
    print(
        f"  {'group':{width}s} {'decoder':{decoder_width}s} {'p':>8s} {'d':>3s} {'rounds':>6s} "
        f"{'shots':>10s} {'errors':>7s}  per shot   per round [interval]"
    )
    for result, label in zip(shots, labels, strict=True):
        rate = per_round.get((result.strong_id, result.decoder))
        flag = " *" if result.num_errors < MIN_ERRORS_FOR_FIT else ""
        round_text = (
            f"{rate.best:.3e} [{rate.low:.2e}, {rate.high:.2e}]"
            if rate is not None
            else "- (rounds unknown)"
        )
        print(
            f"  {label:{width}s} {result.decoder:{decoder_width}s} "
            f"{_column(result.p, 8, '.3g')} {_column(result.distance, 3, 'd')} "
            f"{_column(result.rounds, 6, 'd')} {result.num_shots:10d} {result.num_errors:7d}  "
            f"{result.shot_error_rate:.3e}  {round_text}{flag}"
        )
    if any(result.num_errors < MIN_ERRORS_FOR_FIT for result in shots):
        print(
            f"  * fewer than {MIN_ERRORS_FOR_FIT} errors: the interval is wide and the point is "
            "left out of the Lambda fits below (its fit weight, from the observed count, would "
            "be unreliable); collect more shots (--max-errors) to use it"
        )


def _lambda_note(members, per_round: dict) -> str | None:
    """Why a group has no per-round rates (None when every member has them)."""
    lacking = [r for r in members if (r.strong_id, r.decoder) not in per_round]
    if not lacking:
        return None
    first = lacking[0]
    absent = [key for key, value in (("d", first.distance), ("rounds", first.rounds)) if not value]
    return (
        f"{len(lacking)} of {len(members)} task(s) have no per-round rate: json_metadata "
        f"lacks an integer {' and '.join(repr(k) for k in absent)} (it has "
        f"{sorted(first.metadata)}); Lambda needs the logical error per round"
    )


def _is_rounds_series(members) -> bool:
    """Whether some distance of a group has >= MIN_ROUNDS_FOR_SERIES distinct rounds values."""
    rounds: dict[int, set[int]] = {}
    for result in members:
        rounds.setdefault(result.distance, set()).add(result.rounds)
    return any(len(values) >= MIN_ROUNDS_FOR_SERIES for values in rounds.values())


def _print_rounds_series(label: str, stats: list, exclude: tuple[int, ...]) -> None:
    """A rounds series: eps per round and A per distance, Lambda from the fitted eps."""
    from qecsim import analysis
    from qecsim.errors import QecsimError

    print(
        f"  {label}: rounds series, fitted per distance with 1 - 2 P(r) = A (1 - 2 eps)^r "
        "(fit_error_per_round); Lambda from the fitted eps"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fits = analysis.fit_error_per_round(stats, exclude_rounds=exclude)
        except QecsimError as error:
            print(f"      n/a ({error})")
            return
    for fit in fits:
        print(f"      {fit}; fit p-value {fit.p_value:.2g}")
    for warning in caught:
        print(f"      note: {str(warning.message).removeprefix('fit_error_per_round: ')}")
    if any(fit.amplitude.low > 1 for fit in fits):
        print(
            "      note: A > 1 is no fidelity: the first rounds have a lower error per round "
            "than later ones (a non-exponential onset); --exclude-rounds leaves them out"
        )


def _print_lambda_fits(
    shots, per_round: dict, target: float, stats: list, exclude: tuple[int, ...] = ()
) -> None:
    from qecsim import analysis
    from qecsim.analysis.grouping import _LAMBDA_VARYING
    from qecsim.errors import QecsimError

    print(f"Lambda fits and footprint (per-round error <= {target:g})")
    groups = analysis.group_statistics(shots, varying=_LAMBDA_VARYING)
    for group, label in zip(groups, group_labels_of(groups, _LAMBDA_VARYING), strict=True):
        missing = _lambda_note(group, per_round)
        members = [per_round[(r.strong_id, r.decoder)] for r in group if missing is None]
        if missing is not None:
            print(f"  {label}: n/a ({missing})")
            continue
        if _is_rounds_series(members):
            keys = {(r.strong_id, r.decoder) for r in group}
            series = [s for s in stats if (s.strong_id, s.decoder) in keys]
            _print_rounds_series(label, series, exclude)
            continue
        enough = [r for r in members if r.num_errors >= MIN_ERRORS_FOR_FIT]
        left_out = ", ".join(
            f"d={r.distance} ({r.num_errors} errors)"
            for r in members
            if r.num_errors < MIN_ERRORS_FOR_FIT
        )
        note = f"; left out (< {MIN_ERRORS_FOR_FIT} errors): {left_out}" if left_out else ""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fit = analysis.fit_lambda(enough) if enough else None
            except QecsimError as error:
                fit, reason = None, str(error)
            else:
                reason = "no point has enough errors"
        if fit is None:
            print(f"  {label}: n/a ({reason}{note})")
            continue
        print(f"  {label}: {fit}{note}")
        for warning in caught:  # e.g. even distances left out, with the reason
            print(f"      note: {str(warning.message).split(': ', 1)[-1]}")
        print(f"      {analysis.footprint(fit, target=target)}")
        if _is_cat_code(group):
            print("      note: the cat repetition code's distance suppresses phase flips only; "
                  "its bit flips (the Z memory, distance 1) set a floor no distance lowers, "
                  "so the footprint holds only if that floor is below the target")


def _is_cat_code(group) -> bool:
    return any(isinstance(r.metadata, dict)
               and r.metadata.get("code") == "cat_repetition_code" for r in group)


def _unswept(members) -> str | None:
    """Why a group has no curves to cross: ``"no p"`` (no p, nor a custom model's scale),
    ``"one value"`` (one p per distance), else None (estimate_threshold says the rest)."""
    metadatas = [m.json_metadata for m in members]
    if not all(isinstance(metadata, dict) for metadata in metadatas):
        return "no p"
    for parameter in ("p", "scale"):
        if all(parameter in metadata for metadata in metadatas):
            values: dict = {}
            for metadata in metadatas:
                values.setdefault(json.dumps(metadata.get("d")), set()).add(
                    json.dumps(metadata[parameter]))
            return None if any(len(v) >= 2 for v in values.values()) else "one value"
    return "no p"


def _print_thresholds(stats, per_round: bool) -> None:
    """Thresholds of the groups that sweep p (or scale); one line for the groups that do not."""
    from qecsim import analysis
    from qecsim.analysis.grouping import _THRESHOLD_VARYING
    from qecsim.errors import QecsimError

    kind = "per-round" if per_round else "per-shot"
    print(f"Thresholds (crossing of the {kind} logical error curves)")
    without = [s for s in stats if not isinstance(s.json_metadata, dict)]
    groups = analysis.group_statistics(
        [s for s in stats if isinstance(s.json_metadata, dict)], varying=_THRESHOLD_VARYING)
    skipped = {"no p": len(without) > 0, "one value": 0}  # groups (tasks without metadata: 1)
    swept = []
    for members in groups:
        reason = _unswept(members)
        if reason is None:
            swept.append(members)
        else:
            skipped[reason] += 1
    for members, label in zip(swept, group_labels_of(swept, _THRESHOLD_VARYING), strict=True):
        try:
            threshold = analysis.estimate_threshold(members, per_round=per_round)
        except QecsimError as error:
            print(f"  {label}: n/a ({error})")
            continue
        pairs = ", ".join(f"d={a}/{b}: {p:.4g}" for a, b, p in threshold.pairwise)
        print(f"  {label}: {threshold}")
        print(f"      pairwise crossings {pairs}")
    if any(skipped.values()):
        counts = [f"{skipped['no p']} group(s) without p" if skipped["no p"] else "",
                  f"{skipped['one value']} group(s) with one p (or scale) per distance"
                  if skipped["one value"] else ""]  # fmt: skip
        cats = any(m[0].json_metadata.get("noise") == "cat_qubit" for m in groups)
        print(
            f"  n/a for {' and '.join(filter(None, counts))}: thresholds need a swept p "
            "(>= 2 values at >= 2 distances; a custom model: --scales)"
            + ("; cat-qubit sweeps record photons and kappas, not p" if cats else "")
        )


def _rounds_list(text: str) -> tuple[int, ...]:
    """``--exclude-rounds``: comma-separated integers >= 1 (empty: none)."""
    from qecsim.errors import QecsimError

    values = [part.strip() for part in text.split(",") if part.strip()]
    if not all(value.isdigit() and int(value) >= 1 for value in values):
        raise QecsimError(f"--exclude-rounds={text!r} is not a comma-separated list of rounds")
    return tuple(int(value) for value in values)


def run(args) -> int:
    """Print the tables."""
    from qecsim import analysis
    from qecsim.errors import QecsimError

    stats = load_stats(args.stores, args.where)
    if not 0 < args.target < 0.5:
        raise QecsimError(f"--target={args.target!r} is not in (0, 0.5)")
    exclude = _rounds_list(args.exclude_rounds)
    with warnings.catch_warnings():
        # tasks without rounds (e.g. a plain sinter store) are reported in the tables below
        warnings.simplefilter("ignore", UserWarning)
        shots = analysis.logical_error_per_shot(stats)
        try:
            rounds = analysis.logical_error_per_round(stats)
        except QecsimError:  # no task has d and rounds: per-shot rates only
            rounds = ()
    per_round = {(r.strong_id, r.decoder): r for r in rounds}
    _print_points(shots, per_round)
    print()
    _print_lambda_fits(shots, per_round, args.target, stats, exclude)
    print()
    _print_thresholds(stats, args.per_round)
    return 0
