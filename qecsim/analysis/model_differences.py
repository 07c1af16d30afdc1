"""What differs between the definitions of noise models whose labels read alike.

Two custom models can share a label (a name, or the first components of their rates): they
are then told apart by the few parts of their whole definitions (rates, gate set, T1/T2,
crosstalk, overrides, biases, durations, ...) in which they differ, e.g.
``"measurement@3=0.01"``, each number with as many digits as it takes; only where nothing in
their definitions differs (the same model written as two texts), by ``"model #<8 hex
digits>"`` of their JSON. Used by :mod:`qecsim.analysis.labels`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from qecsim.analysis.grouping import _canonical

__all__ = ["model_names"]

#: At most this many differences name a model among models with the same label.
_MAX_DIFFERENCES = 3
#: The most significant digits tried before two values count as equal (then: the digest).
_MAX_DIGITS = 17
#: A key a model's definition lacks.
_ABSENT = object()


def _digest(text: str) -> str:
    return "model #" + hashlib.sha256(text.encode()).hexdigest()[:8]


def _number(value: float, digits: int) -> str:
    return f"{value:.{digits}g}"


def _digits_to_tell_apart(values: Sequence[Any]) -> int:
    """The fewest significant digits (>= 3) that keep distinct numbers distinct."""
    numbers = {float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)}
    for digits in range(3, _MAX_DIGITS + 1):
        if len({_number(v, digits) for v in numbers}) == len(numbers):
            return digits
    return _MAX_DIGITS


def _classes(metadatas: Sequence[dict], keys: Sequence[str]) -> int:
    """How many groups the values of ``keys`` tell apart."""
    return len({tuple(_canonical(m.get(k)) for k in keys) for m in metadatas})


# ---------------------------------------------------------------------------------------------
# A model's definition, flattened: what differs between models with the same label


def _flatten(value: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(value, dict):
        flat: dict[tuple[str, ...], Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, (*path, str(key))))
        return flat
    return {path: tuple(value) if isinstance(value, list) else value}


def _model_dict(text: Any) -> dict[tuple[str, ...], Any] | None:
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return None
    return _flatten(data) if isinstance(data, dict) else None


_CROSSTALK_NAMES = {"parallel": "crosstalk.parallel", "static_zz_hz": "static ZZ"}


def _path_name(path: tuple[str, ...]) -> tuple[str, float, str]:
    """(name, factor, unit) of a flattened model key: rates by component (``@q`` for
    overrides, as in tags), times in us or ns, ZZ in kHz."""
    head, rest = path[0], path[1:]
    if head == "rates" and len(rest) == 1:
        return rest[0], 1.0, ""
    if head in ("qubit_rates", "coupler_rates") and len(rest) == 2:
        return f"{rest[1]}@{rest[0]}", 1.0, ""
    if head == "z_bias" and len(rest) == 1:
        return f"Z bias {rest[0]}", 1.0, ""
    if head == "qubit_z_bias" and len(rest) == 2:
        return f"Z bias {rest[1]}@{rest[0]}", 1.0, ""
    if head == "crosstalk_kinds" and rest[:1] == ("coupler_static_zz_hz",) and len(rest) == 2:
        return f"static ZZ@{rest[1]}", 1e-3, " kHz"
    if head == "crosstalk_kinds" and len(rest) == 1 and rest[0] in _CROSSTALK_NAMES:
        scale = 1e-3 if rest[0] == "static_zz_hz" else 1.0
        return _CROSSTALK_NAMES[rest[0]], scale, " kHz" if scale != 1 else ""
    if head == "durations_s" and len(rest) == 1:
        return f"{rest[0]} duration", 1e9, " ns"
    if head == "coherence_s" and rest == ("device",):
        return "T1/T2", 1e6, " us"
    if head == "coherence_s" and len(rest) == 2:
        return f"T1/T2@{rest[1]}", 1e6, " us"
    if head == "scales" and len(rest) == 1:
        return f"{rest[0]} scale", 1.0, ""
    if head == "gate_set":
        return "gate set", 1.0, ""
    return ".".join(path), 1.0, ""


def _scaled_numbers(value: Any, factor: float) -> Any:
    """Numbers of a value (or of a tuple) times ``factor``; None (JSON for inf) as inf."""
    if isinstance(value, tuple):
        return tuple(_scaled_numbers(v, factor) for v in value)
    if value is None:
        return float("inf")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value * factor
    return value


def _render(path: tuple[str, ...], values: list[Any]) -> list[str | None]:
    """Each model's value of one flattened key, as text (None where the model lacks it),
    with as many significant digits as it takes to keep distinct values distinct."""
    name, factor, unit = _path_name(path)
    scaled = [None if v is _ABSENT else _scaled_numbers(v, factor) for v in values]
    distinct = {json.dumps(v): v for v in scaled if v is not None}.values()

    def text(value: Any, digits: int) -> str:
        if isinstance(value, tuple):
            return "/".join(text(v, digits) for v in value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _number(value, digits)
        return str(value)

    digits = next(
        (
            n
            for n in range(3, _MAX_DIGITS + 1)
            if len({text(v, n) for v in distinct}) == len(distinct)
        ),
        _MAX_DIGITS,
    )
    separator = " " if path[0] == "gate_set" else "="
    return [None if v is None else f"{name}{separator}{text(v, digits)}{unit}" for v in scaled]



#: The order in which parts of a definition are tried to tell models apart: global rates,
#: then the other model-wide values, then overrides, then the rest.
_PREFERENCE = {"rates": 0, "gate_set": 1, "crosstalk_kinds": 1, "coherence_s": 1, "z_bias": 1,
               "qubit_rates": 2, "coupler_rates": 2, "qubit_z_bias": 2}  # fmt: skip


def _fewest_keys(rows: list[dict], differing: list[str]) -> list[str]:
    """Greedily, the keys (in order of :data:`_PREFERENCE`, short values first) that tell
    the rows apart, each kept only when it splits them further."""
    def order(key: str) -> tuple:
        values = [_canonical(row.get(key)) for row in rows]
        return (_PREFERENCE.get(key.split(".")[0], 3), max(len(v) for v in values), key)

    kept: list[str] = []
    for key in sorted(differing, key=order):
        if _classes(rows, [*kept, key]) > _classes(rows, kept):
            kept.append(key)
    return kept


def model_names(texts: Sequence[Any]) -> dict[str, str]:
    """For each distinct model JSON: the few parts of its definition that tell it apart from
    the others (at most three, greedily: global rates first), else its digest.

    Args:
        texts: Models' JSON (:meth:`qecsim.NoiseModel.to_json`); None entries are skipped.

    Returns:
        ``{json: name}``, e.g. ``"measurement@3=0.01"`` or ``"model #<8 hex digits>"``.

    Examples:
        >>> from qecsim.noise.model import NoiseModel
        >>> a = NoiseModel(two_qubit_gate=0.003, measurement=0.008, reset=0.002)
        >>> names = model_names([a.to_json(), a.scaled(reset=1.25).to_json()])
        >>> sorted(names.values())
        ['reset=0.002', 'reset=0.0025']
    """
    distinct = sorted({str(t) for t in texts if t is not None})
    flat = {text: _model_dict(text) for text in distinct}
    if not all(flat.values()):
        return {text: _digest(text) for text in distinct}
    rows = [{".".join(k): v for k, v in flat[text].items()} for text in distinct]
    paths = {".".join(k): k for d in flat.values() for k in d}
    differing = [
        key for key in sorted(paths) if len({_canonical(row.get(key)) for row in rows}) > 1
    ]
    keys = _fewest_keys(rows, differing)
    for row in rows:  # a model that lacks every key shown: add one it has
        if keys and all(key not in row for key in keys):
            extra = next((key for key in differing if key in row), None)
            if extra is not None and extra not in keys:
                keys.append(extra)
    rendered = {
        key: _render(paths[key], [row.get(key, _ABSENT) for row in rows]) for key in keys
    }
    names = {}
    for index, text in enumerate(distinct):
        parts = [rendered[key][index] for key in keys if rendered[key][index] is not None]
        if not parts and keys:
            parts = ["no " + _path_name(paths[keys[0]])[0]]
        if len(parts) > _MAX_DIFFERENCES:
            parts = [*parts[:_MAX_DIFFERENCES], f"+{len(parts) - _MAX_DIFFERENCES} more"]
        names[text] = ", ".join(parts) if parts else _digest(text)
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {t: (n if counts[n] == 1 else _digest(t)) for t, n in names.items()}
