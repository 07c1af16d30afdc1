"""Grouping sinter statistics: merging repeated rows, reading metadata, splitting into groups.

The Lambda fits, thresholds and per-round fits group statistics by decoder and by every
metadata key except the ones that vary by design inside a group (``d`` and ``rounds`` for
Lambda, also ``p`` for thresholds); ``group_by`` overrides this with a list of metadata keys
or a function of the metadata. :func:`distinguishing_keys` picks the few keys that tell groups
apart, for messages and legend labels.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import sinter

from qecsim.errors import QecsimError, describe

__all__ = ["GroupBy", "circuit_family_digest", "distinguishing_keys", "group_statistics"]

# Metadata keys that vary inside one Lambda fit / one threshold estimate.
_LAMBDA_VARYING = ("d", "rounds", "r")
# ("scale": a custom noise model swept by scale factors instead of p.)
_THRESHOLD_VARYING = ("d", "rounds", "r", "p", "scale")

#: Metadata keys that hold the rounds per shot: qecsim's ``rounds``, else ``r`` (the key of
#: sinter's own examples, ``{"d": d, "r": rounds, "p": p}``).
ROUNDS_KEYS = ("rounds", "r")


def _rounds_key(metadata: Any) -> str:
    """The key that holds the rounds per shot (``"rounds"`` when there is none)."""
    if isinstance(metadata, dict):
        for key in ROUNDS_KEYS:
            if key in metadata:
                return key
    return "rounds"

GroupBy = Sequence[str] | Callable[[dict], Hashable] | None


def _metadata_dict(item: Any) -> Any:
    """``json_metadata`` of a TaskStats, ``metadata`` of a result (e.g. LogicalErrorPerRound)."""
    return item.json_metadata if isinstance(item, sinter.TaskStats) else item.metadata


# ---------------------------------------------------------------------------------------------
# Input handling


def _metadata_of(stat: sinter.TaskStats, required: Sequence[str]) -> dict:
    metadata = stat.json_metadata
    if not isinstance(metadata, dict):
        raise QecsimError(
            f"TaskStats strong_id={stat.strong_id[:16]!r} has json_metadata={metadata!r}; "
            f"expected a dict with keys {list(required)}"
        )
    missing = [key for key in required if key not in metadata]
    if missing:
        raise QecsimError(
            f"TaskStats strong_id={stat.strong_id[:16]!r} json_metadata lacks key(s) {missing} "
            f"(it has {sorted(metadata)}); this analysis needs {list(required)}"
        )
    return metadata


def _int_value(metadata: dict, key: str, lowest: int = 1) -> int:
    value = metadata[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise QecsimError(f"json_metadata {key}={value!r} is not an integer >= {lowest}")
    if value < lowest:
        raise QecsimError(f"json_metadata {key}={value!r} is not an integer >= {lowest}")
    return int(value)


def _p_value(metadata: dict, required: bool) -> float | None:
    if "p" not in metadata or metadata["p"] is None:
        if required and "p" in metadata:
            raise QecsimError("json_metadata p=null: this task has no physical error rate p "
                              "(measured data, or a model that is not a preset)")
        if required:
            raise QecsimError(f"json_metadata has no 'p' (it has {sorted(metadata)})")
        return None
    value = metadata["p"]
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise QecsimError(f"json_metadata p={value!r} is not a number in (0, 1]") from None
    if required and not 0 < value <= 1:
        raise QecsimError(f"json_metadata p={value!r} is not in (0, 1]")
    return value


def _check_iterable(stats: Any, *, what: str) -> None:
    """Refuse what is not a collection of statistics (a number, None, a file name)."""
    if isinstance(stats, (str, bytes)) or not isinstance(stats, Iterable):
        raise QecsimError(
            f"{what}={describe(stats)} is not an iterable of sinter.TaskStats (read a store "
            "with qecsim.read_store or sinter.read_stats_from_csv_files)"
        )


def _merge_task_stats(stats: Iterable[Any], *, what: str) -> list[sinter.TaskStats]:
    """Materialize, type-check, and add up repeated rows of the same task."""
    if isinstance(stats, sinter.TaskStats):
        stats = [stats]
    _check_iterable(stats, what=what)
    merged: dict[tuple[str, str], sinter.TaskStats] = {}
    for index, stat in enumerate(stats):
        if not isinstance(stat, sinter.TaskStats):
            raise QecsimError(
                f"{what}[{index}] is a {type(stat).__name__}; expected sinter.TaskStats"
            )
        key = (stat.strong_id, stat.decoder)
        merged[key] = merged[key] + stat if key in merged else stat
    if not merged:
        raise QecsimError(f"{what} is empty: there are no TaskStats to analyse")
    return list(merged.values())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _sortable(value: Any) -> tuple:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, _canonical(value))


def _group_key(metadata: dict, decoder: str, varying: Sequence[str], group_by: GroupBy) -> tuple:
    if group_by is None:
        items = tuple(
            (key, _canonical(metadata[key])) for key in sorted(metadata) if key not in varying
        )
        # which varying keys a task has tells experiments apart too ({d, p} vs {d, r})
        present = tuple(key for key in varying if key in metadata)
        return (decoder, items, present)
    if callable(group_by):
        key = group_by(metadata)
        try:
            hash(key)
        except TypeError:
            raise QecsimError(
                f"group_by returned {describe(key)} for metadata {_short(repr(metadata), 60)}; "
                "it must return a hashable value (e.g. a tuple, not a list)"
            ) from None
        return (decoder, key)
    if isinstance(group_by, str):
        group_by = [group_by]
    return (decoder, tuple((key, _canonical(metadata.get(key))) for key in group_by))


def _group_sort_key(members: list, varying: Sequence[str]) -> tuple:
    metadata = _metadata_dict(members[0])
    decoder = members[0].decoder
    return (
        decoder,
        tuple((key, _sortable(metadata[key])) for key in sorted(metadata) if key not in varying),
    )


def _shared_metadata(metadatas: Sequence[dict], varying: Sequence[str]) -> dict:
    """The metadata items every member agrees on, minus the keys that vary by design."""
    first = metadatas[0]
    return {
        key: value
        for key, value in first.items()
        if key not in varying
        and all(key in other and _canonical(other[key]) == _canonical(value) for other in metadatas)
    }


def _short(text: str, limit: int = 40) -> str:
    """Cut long values (e.g. a custom noise model's JSON) in messages and labels."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def distinguishing_keys(
    metadatas: Sequence[dict], *, exclude: Sequence[str] = (), given: Sequence[str] = ()
) -> list[str]:
    """The fewest metadata keys (not in ``exclude``) that tell the dicts apart.

    Keys with short values are tried first; a key is kept only when it splits the dicts
    further than the keys already kept (and ``given``), so e.g. a custom model's JSON is
    left out when ``noise`` already separates it. Used for legend labels and messages.

    Args:
        metadatas: The dicts (e.g. ``json_metadata`` of several tasks).
        exclude: Keys never to use (e.g. ``d`` and ``rounds``).
        given: Keys already shown elsewhere (they count as separating but are not returned).

    Returns:
        The keys, in alphabetical order.

    Examples:
        >>> distinguishing_keys([{"noise": "sd6", "p": 0.001, "d": 3},
        ...                      {"noise": "sd6", "p": 0.002, "d": 5}], exclude=["d"])
        ['p']
    """
    keys = {key for metadata in metadatas for key in metadata if key not in exclude}
    values = {key: [_canonical(m.get(key)) for m in metadatas] for key in keys | set(given)}
    candidates = sorted(
        (key for key in keys - set(given) if len(set(values[key])) > 1),
        key=lambda key: (max(len(v) for v in values[key]), key),
    )
    kept: list[str] = []

    def classes(selected: Sequence[str]) -> int:
        return len(set(zip(*(values[k] for k in selected), strict=True))) if selected else 1

    for key in candidates:
        if classes([*given, *kept, key]) > classes([*given, *kept]):
            kept.append(key)
    return sorted(kept)


def _describe_groups(groups: Sequence[list], varying: Sequence[str]) -> str:
    metadatas = [
        {
            **_metadata_dict(g[0]),
            "decoder": g[0].decoder,
        }
        for g in groups
    ]
    keys = distinguishing_keys(metadatas, exclude=varying)
    shown = [
        "(" + ", ".join(f"{k}={_shown(k, m.get(k))}" for k in keys) + ")" for m in metadatas
    ]
    text = "; ".join(shown[:4]) + (f"; ... ({len(shown)} groups)" if len(shown) > 4 else "")
    return f"they differ in {', '.join(keys) or 'the group_by key'}: {text}"


def _describe_metadata(metadata: dict) -> str:
    text = ", ".join(f"{k}={_shown(k, v)}" for k, v in sorted(metadata.items()))
    return text or "(no shared metadata)"


def _shown(key: str, value: Any) -> str:
    """A value in a message: a custom model's JSON or a circuit family's files as a short
    hash, long text cut."""
    if key == "noise_model" and value is not None:
        return "#" + hashlib.sha256(str(value).encode()).hexdigest()[:8]
    if key == "circuit_files" and value is not None:
        return circuit_family_digest(value)
    return _short(repr(value))


def circuit_family_digest(files: Any) -> str:
    """A short name of a circuit family's ``circuit_files`` metadata: ``#`` and 8 hex digits
    of the hash of its circuits' hashes (their files' paths aside).

    Examples:
        >>> circuit_family_digest([{"d": 3, "rounds": 3, "sha256": "ab", "path": "/x.stim"}])
        '#d880809d'
        >>> circuit_family_digest([{"d": 3, "rounds": 3, "sha256": "ab", "path": None}])
        '#d880809d'
    """
    if isinstance(files, list) and all(isinstance(f, dict) for f in files):
        files = [[f.get("d"), f.get("rounds"), f.get("sha256")] for f in files]
    text = json.dumps(files, sort_keys=True, default=str)
    return "#" + hashlib.sha256(text.encode()).hexdigest()[:8]


def _check_group_by(group_by: Any) -> None:
    """None, a key, a sequence of keys, or a callable; anything else is refused up front."""
    if group_by is None or callable(group_by) or isinstance(group_by, str):
        return
    if isinstance(group_by, Sequence) and all(isinstance(key, str) for key in group_by):
        return
    raise QecsimError(
        f"group_by={describe(group_by)} is not None, a metadata key, a list of keys or a "
        "function of the metadata returning a hashable value"
    )


def _groups(items: list, varying: Sequence[str], group_by: GroupBy) -> list[list]:
    _check_group_by(group_by)
    groups: dict[tuple, list] = {}
    for item in items:
        metadata = _metadata_dict(item)
        key = _group_key(metadata, item.decoder, varying, group_by)
        groups.setdefault(key, []).append(item)
    return sorted(groups.values(), key=lambda members: _group_sort_key(members, varying))


def group_statistics(
    items: Iterable[sinter.TaskStats] | Iterable[Any],
    *,
    varying: Sequence[str],
    group_by: GroupBy = None,
) -> list[list]:
    """Split statistics into the groups that the Lambda fits and thresholds use.

    Args:
        items: sinter statistics or :class:`~qecsim.analysis.LogicalErrorPerRound` results
            (metadata must be a dict).
        varying: The metadata keys that vary within a group: ``("d", "rounds", "r")`` for
            Lambda fits, ``("d", "rounds", "r", "p", "scale")`` for thresholds.
        group_by: See :func:`~qecsim.analysis.fit_lambdas` (default: every other key; the
            decoder always separates groups).

    Returns:
        The groups (lists of the items), sorted by decoder and metadata.

    Raises:
        QecsimError: An item's metadata is not a dict.

    Examples:
        >>> import sinter
        >>> stats = [sinter.TaskStats(strong_id=f"{d}{p}", decoder="pymatching", shots=10,
        ...     errors=1, json_metadata={"d": d, "rounds": d, "p": p})
        ...     for d in (3, 5) for p in (0.001, 0.002)]
        >>> [[s.json_metadata["d"] for s in g] for g in group_statistics(stats,
        ...                                                             varying=("d", "rounds"))]
        [[3, 5], [3, 5]]
    """
    items = list(items)
    for item in items:
        metadata = _metadata_dict(item)
        if not isinstance(metadata, dict):
            raise QecsimError(f"metadata={metadata!r} is not a dict")
    return _groups(items, tuple(varying), group_by)


def _leave_out_failures(
    items: list, make: Callable[[Any], Any], *, what: str, stacklevel: int = 3
) -> list:
    """``make(item)`` for every item; items for which it raises QecsimError are left out.

    One ``UserWarning`` per group of left-out items (same decoder and metadata other than
    d/rounds/p/scale) names the reason; never an abort of the rest. When every item fails,
    the first item's error is raised (nothing is left to return).
    """
    made, failed = [], {}
    first_error: QecsimError | None = None
    for item in items:
        try:
            made.append(make(item))
        except QecsimError as error:
            first_error = first_error or error
            metadata = _metadata_dict(item)
            shared = metadata if isinstance(metadata, dict) else {"json_metadata": metadata}
            key = _group_key(shared, item.decoder, _THRESHOLD_VARYING, None)
            failed.setdefault(key, (shared, item.decoder, error, []))[3].append(item)
    if not made and first_error is not None:
        raise first_error
    for shared, decoder, error, members in failed.values():
        rest = {k: v for k, v in shared.items() if k not in _THRESHOLD_VARYING}
        warnings.warn(
            f"{what}: left out {len(members)} task(s) of ({_describe_metadata(rest)}, "
            f"decoder={decoder}): {error}",
            UserWarning,
            stacklevel=stacklevel,
        )
    return made


def _each_group(groups: list[list], analyse: Callable[[list], Any], *, what: str) -> list:
    """``analyse(members)`` for every group; a group that fails is left out with a warning.

    Never an abort of the rest: when some groups fail (too few distances, no ``rounds``,
    no crossing, ...), each gets one ``UserWarning`` naming the reason; only when every group
    fails is the first group's error raised.
    """
    results, errors = [], []
    for members in groups:
        try:
            results.append(analyse(members))
        except QecsimError as error:
            errors.append(error)
    if not results and errors:
        raise errors[0]
    for error in errors:
        warnings.warn(f"{what}: a group is left out: {error}", UserWarning, stacklevel=3)
    return results
