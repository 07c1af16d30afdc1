"""The CSV store of collected statistics, in sinter's own format.

A store is a CSV file with sinter's header (``sinter.CSV_HEADER``) and one row per finished
batch (``sinter.TaskStats.to_csv_line()``), so ``sinter plot``, ``sinter combine`` and
``sinter.read_stats_from_csv_files`` read it, and the rows of one point (its ``strong_id``
and decoder) add up to its totals. Both collection backends resume from a store and append to
it, one whole row per write: a process killed mid-write leaves at most a torn last row, which
:func:`open_store` detects and :func:`prepare_store` cuts off (those shots were never recorded).

Examples:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "results.csv"
    >>> prepare_store(path, truncate_to=None)
    >>> open_store(path).existing
    {}
"""

from __future__ import annotations

import collections
import csv
import dataclasses
import io
import json
import os
import pathlib
import warnings
from typing import Any

import sinter

from qecsim.errors import QecsimError

__all__ = ["STORE_COLUMNS", "OpenStore", "open_store", "prepare_store", "read_store"]

#: The columns of sinter's CSV format, in order (sinter's ``CSV_HEADER``, stripped).
STORE_COLUMNS: tuple[str, ...] = (
    "shots",
    "errors",
    "discards",
    "seconds",
    "decoder",
    "strong_id",
    "json_metadata",
    "custom_counts",
)


def csv_header() -> str:
    """sinter's CSV header line (without its newline).

    Examples:
        >>> csv_header().replace(" ", "").split(",")[:2]
        ['shots', 'errors']
    """
    return sinter.CSV_HEADER


def parse_stats(text: str) -> dict[str, sinter.TaskStats]:
    """sinter CSV text -> summed TaskStats by strong id (as sinter reads its own files).

    Args:
        text: The whole CSV text, header included, ending with a newline.

    Returns:
        One summed ``sinter.TaskStats`` per strong id, in order of first appearance.

    Raises:
        ValueError: A row is malformed (the caller names the file).

    Examples:
        >>> row = sinter.TaskStats(strong_id="a", decoder="pymatching", json_metadata={},
        ...                        shots=10, errors=1)
        >>> text = csv_header() + "\\n" + 2 * (row.to_csv_line() + "\\n")
        >>> parse_stats(text)["a"].shots
        20
    """
    stats: dict[str, sinter.TaskStats] = {}
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [name.strip() for name in reader.fieldnames or ()]
    for row in reader:
        counts = row["custom_counts"]
        custom_counts = collections.Counter(json.loads(counts) if counts else {})
        if not all(isinstance(v, int) for v in custom_counts.values()):
            raise ValueError(f"custom_counts={counts!r} is not a dict of integer counts")
        stat = sinter.TaskStats(
            shots=int(row["shots"]),
            errors=int(row["errors"]),
            discards=int(row["discards"]),
            seconds=float(row["seconds"]),
            decoder=row["decoder"],
            strong_id=row["strong_id"],
            json_metadata=json.loads(row["json_metadata"]),
            custom_counts=custom_counts,
        )
        previous = stats.get(stat.strong_id)
        stats[stat.strong_id] = stat if previous is None else previous + stat
    return stats


@dataclasses.dataclass(frozen=True)
class OpenStore:
    """A validated store: where it is, what it holds, and whether its last row is torn.

    Attributes:
        path: The file, or None for ``store=None`` (nothing kept on disk).
        existing: Summed statistics by strong id (empty for a new file).
        truncate_to: Byte length of the file without its torn last row, or None.
    """

    path: pathlib.Path | None
    existing: dict[str, sinter.TaskStats]
    truncate_to: int | None = None


def open_store(store: Any) -> OpenStore:
    """Validate a store argument and read what it holds (nothing is written).

    Args:
        store: A file path (str or ``os.PathLike``) or None.

    Returns:
        The :class:`OpenStore`.

    Raises:
        QecsimError: Not a path, a directory, not text, not sinter's header, a malformed row.

    Examples:
        >>> open_store(None)
        OpenStore(path=None, existing={}, truncate_to=None)
        >>> open_store(3)
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: store=3 is not a file path (str or pathlib.Path) or None
    """
    if store is None:
        return OpenStore(None, {})
    if not isinstance(store, (str, os.PathLike)):
        raise QecsimError(f"store={store!r} is not a file path (str or pathlib.Path) or None")
    path = pathlib.Path(store)
    if path.is_dir():
        raise QecsimError(f"store={str(path)!r} is a directory; expected a CSV file path")
    if not path.exists():
        return OpenStore(path, {})
    data = path.read_bytes()
    if not data.strip():
        return OpenStore(path, {})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise QecsimError(f"store={str(path)!r} is not a text file (sinter CSV expected)") from None
    header, _, _ = text.partition("\n")
    columns = tuple(column.strip() for column in header.split(","))
    if columns != STORE_COLUMNS:
        raise QecsimError(
            f"store={str(path)!r} is not a sinter CSV file: its header is "
            f"{header.strip()[:120]!r}, "
            f"expected the columns {list(STORE_COLUMNS)} (an older sinter file can be converted "
            "with `sinter combine old.csv > new.csv`)"
        )
    if "\n" not in text:
        return OpenStore(path, {})  # the header alone (prepare_store rewrites it)
    truncate_to = None
    if not text.endswith("\n"):
        # A process killed while writing leaves a torn last row: those shots were never
        # recorded, so the row is dropped (and the file cut back to its last full row).
        cut = text.rfind("\n") + 1
        truncate_to = len(text[:cut].encode("utf-8"))
        text = text[:cut]
    try:
        existing = parse_stats(text)
    except Exception as error:  # ValueError/KeyError/TypeError/JSONDecodeError
        raise QecsimError(
            f"store={str(path)!r} is not a readable sinter CSV file: {type(error).__name__}: "
            f"{error}"
        ) from None
    return OpenStore(path, existing, truncate_to)


def prepare_store(path: pathlib.Path, truncate_to: int | None, *, stacklevel: int = 2) -> None:
    """Make ``path`` ready for appending: create it with sinter's header, or cut a torn row.

    Args:
        path: The store (its folder is created if missing).
        truncate_to: From :func:`open_store`: the length without a torn last row, or None.
        stacklevel: Of the warning about a torn row (to point at the user's call).

    Examples:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "sub" / "results.csv"
        >>> prepare_store(path, truncate_to=None)
        >>> path.read_text() == csv_header() + "\\n"
        True
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if truncate_to is not None:
        warnings.warn(
            f"store {str(path)!r} ended in a torn row (a killed run); dropped it",
            stacklevel=stacklevel + 1,
        )
        os.truncate(path, truncate_to)
    if not path.exists() or b"\n" not in path.read_bytes():
        path.write_text(csv_header() + "\n")  # new, empty, or the header alone


def read_store(store: str | os.PathLike) -> list[sinter.TaskStats]:
    """The statistics in a store, one (summed) entry per task and decoder.

    The same as ``sinter.read_stats_from_csv_files(store)``, with qecsim's validation
    (a clear :class:`qecsim.QecsimError` for a missing or non-sinter file) and tolerance of a
    torn last row left by a killed process.

    Args:
        store: Path of a sinter CSV file.

    Returns:
        The statistics.

    Raises:
        QecsimError: The file does not exist or is not sinter CSV.

    Examples:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.csv"
        >>> read_store(path)
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: store=... does not exist
    """
    path = pathlib.Path(store)
    if not path.exists():
        raise QecsimError(f"store={str(path)!r} does not exist")
    return list(open_store(path).existing.values())
