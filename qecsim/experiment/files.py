"""Measured shot files in stim's formats, checked against the circuit before they are read.

stim reads the data (:func:`stim.read_shot_data_file`); this module only decides the format,
checks that a file's size fits the circuit (so a truncated file or one written for another
circuit fails with a message naming the file and the size it should have, before anything is
computed), and reads Google's flat ``properties.yml``.
"""

from __future__ import annotations

import math
import os
import pathlib
from typing import Any

import numpy as np
import stim

from qecsim.errors import QecsimError

__all__ = [
    "SHOT_FORMATS",
    "check_shot_file",
    "read_circuit",
    "read_properties",
    "read_shot_file",
    "resolve_format",
]

#: The shot-data formats of stim that measured data may come in
#: (https://github.com/quantumlib/Stim/blob/main/doc/result_formats.md).
SHOT_FORMATS: tuple[str, ...] = ("b8", "01", "r8", "ptb64", "dets")

PathLike = str | os.PathLike


def resolve_format(path: PathLike, format: str | None) -> str:
    """``format``, or the file's extension when ``format`` is None; checked against SHOT_FORMATS.

    Examples:
        >>> resolve_format("detection_events.b8", None)
        'b8'
        >>> resolve_format("shots.txt", "01")
        '01'
    """
    name = pathlib.Path(path).name
    if format is None:
        suffix = pathlib.Path(path).suffix.lstrip(".")
        if suffix not in SHOT_FORMATS:
            raise QecsimError(
                f"{name}: cannot tell the format from the extension {suffix!r}; pass "
                f"format= one of {list(SHOT_FORMATS)}"
            )
        return suffix
    if format not in SHOT_FORMATS:
        raise QecsimError(f"{name}: unknown format {format!r}; known formats: {list(SHOT_FORMATS)}")
    return format


def _first_line_length(path: pathlib.Path) -> int:
    with open(path, "rb") as handle:
        line = handle.readline(1 << 24)
    return len(line.rstrip(b"\r\n"))


def check_shot_file(
    path: PathLike, *, format: str, num_bits: int, what: str, shots: int | None = None
) -> int | None:
    """Check a shot file's size against ``num_bits`` per shot, without reading its data.

    Args:
        path: The file.
        format: One of :data:`SHOT_FORMATS`.
        num_bits: Bits per shot the circuit implies (detectors, observables, measurements).
        what: What the bits are, for messages (e.g. ``"40 detectors of circuit_ideal.stim"``).
        shots: The number of shots the file must hold, if known (e.g. from properties.yml).

    Returns:
        The number of shots the file holds, when the format tells it (b8, 01), else None.

    Raises:
        QecsimError: The file is missing, or its size does not fit; the message names the
            file, its size and the size expected.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise QecsimError(f"{path}: no such file")
    size = path.stat().st_size
    count: int | None = None
    if format == "b8":
        per_shot = math.ceil(num_bits / 8)
        if per_shot == 0:
            return shots
        if size % per_shot:
            raise QecsimError(
                f"{path.name} has {size} bytes, not a multiple of {per_shot} bytes per shot "
                f"({what}): the file is truncated or was written for another circuit"
            )
        count = size // per_shot
    elif format == "01":
        per_shot = num_bits + 1
        first = _first_line_length(path) if size else num_bits
        if first != num_bits or size % per_shot:
            raise QecsimError(
                f"{path.name}: lines of {first} characters and {size} bytes in all; expected "
                f"lines of {num_bits} characters ({what}), {per_shot} bytes per shot with "
                "the newline: the file is truncated or was written for another circuit"
            )
        count = size // per_shot
    elif format == "ptb64":
        per_group = 8 * num_bits
        if per_group and size % per_group:
            raise QecsimError(
                f"{path.name} has {size} bytes, not a multiple of {per_group} bytes per 64 "
                f"shots ({what}): the file is truncated or was written for another circuit"
            )
    if shots is not None and count is not None and count != shots:
        expected = shots * (math.ceil(num_bits / 8) if format == "b8" else num_bits + 1)
        raise QecsimError(
            f"{path.name} holds {count} shots ({size} bytes) but {shots} were expected "
            f"({expected} bytes for {what})"
        )
    return count


def read_shot_file(
    path: PathLike,
    *,
    format: str,
    num_detectors: int = 0,
    num_observables: int = 0,
    num_measurements: int = 0,
) -> np.ndarray:
    """Read a shot file with :func:`stim.read_shot_data_file` (bool array, shots x bits).

    stim's own errors (e.g. a ``dets`` file naming a detector beyond the circuit's) come back
    as a QecsimError that names the file.
    """
    try:
        data = stim.read_shot_data_file(
            path=str(path),
            format=format,
            num_detectors=num_detectors,
            num_observables=num_observables,
            num_measurements=num_measurements,
        )
    except ValueError as error:
        raise QecsimError(f"{pathlib.Path(path).name}: {error}") from None
    return np.asarray(data, dtype=bool)


def _scalar(text: str) -> Any:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False, "null": None, "~": None}.get(text.lower(), text)


def read_properties(path: PathLike) -> dict[str, Any]:
    """Read a flat ``key: value`` YAML file such as Google's ``properties.yml``.

    Examples:
        >>> import tempfile, pathlib
        >>> file = pathlib.Path(tempfile.mkdtemp()) / "properties.yml"
        >>> _ = file.write_text("basis: X\\nrounds: 5\\nshots: 50000\\n")
        >>> read_properties(file)
        {'basis': 'X', 'rounds': 5, 'shots': 50000}
    """
    path = pathlib.Path(path)
    result: dict[str, Any] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        stripped = line.split(" #")[0].rstrip()
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        key, colon, value = stripped.partition(":")
        if not colon or line[:1].isspace() or not key.strip():
            raise QecsimError(
                f"{path.name} line {number}: {line.strip()!r} is not a flat 'key: value' line"
            )
        result[key.strip()] = _scalar(value)
    return result


def read_circuit(path: PathLike, what: str) -> stim.Circuit:
    """Parse a ``.stim`` file; a missing or unparsable file is a QecsimError naming it."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise QecsimError(f"{path}: no such file ({what})")
    try:
        return stim.Circuit.from_file(str(path))
    except ValueError as error:
        raise QecsimError(f"{path.name} is not a stim circuit: {error}") from None
