"""Short labels of groups of statistics, for legends, tables and messages.

Metadata values are shown as ``key=value`` (floats with ``:g``, or with as many digits as it
takes to tell two groups apart; long text cut), except the noise model: a custom model is
shown by its ``noise_label`` (written by :func:`qecsim.sweep_tasks`, e.g. ``"chip A"`` or
``"si1000 p=0.001, measurement=8p"``), never by its JSON. A model made from a preset and swept
in p shows the p of the point in its label (``"si1000 p=0.002, measurement=8p"``, not the
model's own p next to a second ``p=``). When two models share a label (or a store predates
``noise_label``), the label says what differs between their whole definitions (rates, gate
set, T1/T2, crosstalk, overrides, biases, ...; e.g. ``"measurement@3=0.01"``), and only when
that cannot tell them apart, ``"model #<8 hex digits>"``. ``noise=custom`` is left out wherever
a model label is shown. Tasks of your own circuits (``noise="circuit"``) are shown by their
family's name (``circuit=chip A``), never by their ``circuit_files``; two families with the same
name are told apart by ``circuits #<8 hex digits>`` of their circuits' hashes. See
:mod:`qecsim.sampling.labels` for how labels are made.
"""

from __future__ import annotations

import functools
import hashlib
import json
import warnings
from collections.abc import Sequence
from typing import Any

from qecsim.analysis.grouping import (
    _canonical,
    _short,
    circuit_family_digest,
    distinguishing_keys,
)

__all__ = ["describe_metadata", "group_labels"]

#: Values not worth showing in a label (every qecsim sweep has them unless told otherwise).
DEFAULT_VALUES = {"code": "rotated_surface_code", "basis": "Z"}

_MODEL_KEYS = ("noise_label", "noise_model")
#: A family of circuits (``noise="circuit"``): its name is shown, its files never.
_FILES = "circuit_files"
_CIRCUIT = "circuit"
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


def _model_names(texts: Sequence[Any]) -> dict[str, str]:
    """For each distinct model JSON: the few parts of its definition that tell it apart from
    the others (:func:`distinguishing_keys` on the flattened dicts), else its digest."""
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


# ---------------------------------------------------------------------------------------------
# A custom model's own label


@functools.lru_cache(maxsize=256)
def _parts(text: str):
    """The :class:`~qecsim.sampling.labels.NoiseLabel` of a model JSON (None if unreadable)."""
    from qecsim.errors import QecsimError
    from qecsim.noise.model import NoiseModel
    from qecsim.sampling.labels import label_parts

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unit warnings were given when it was made
            noise = NoiseModel.from_json(text)
        return label_parts(noise), noise
    except (QecsimError, TypeError, ValueError):
        return None


def _custom_label(metadata: dict, *, show_p: bool) -> tuple[str, tuple[str, ...]]:
    """A custom model's label and the metadata keys it already says (``p``, ``scale``).

    A model made from a preset and labelled relative to it shows the p of this point (the
    preset parameter after scaling); a model without physical channels (T1/T2, ZZ) then needs
    no ``scale`` either.
    """
    stored = metadata.get("noise_label")
    text = metadata.get("noise_model")
    made = _parts(str(text)) if text is not None else None
    if made is None:
        if stored is not None:
            return str(stored), ()
        return (_digest(str(text)) if text is not None else "noise=custom"), ()
    parts, noise = made
    own = parts.text()
    # a label given some other way is kept; one that noise_label wrote (also in an older
    # format: "si1000 p=0.001, measurement=0.008") is remade from the model
    written = stored is None or str(stored) == own
    if not written and not (parts.preset and str(stored).startswith(f"{parts.preset} p=")):
        return str(stored), ()
    if parts.preset is None or "p" not in metadata:
        return own, ()
    p = metadata["p"]
    label = parts.text(p=float(p), show_p=show_p) if isinstance(p, (int, float)) else own
    physical = noise.has_coherence or noise.static_zz or noise.coupler_static_zz
    return label, ("p",) if physical else ("p", "scale")


def _classes(metadatas: Sequence[dict], keys: Sequence[str]) -> int:
    """How many groups the values of ``keys`` tell apart."""
    return len({tuple(_canonical(m.get(k)) for k in keys) for m in metadatas})


def _value(value: Any, digits: int | None = None) -> str:
    if isinstance(value, float):
        return _number(value, digits) if digits else f"{value:g}"
    return _short(value if isinstance(value, str) else json.dumps(value, default=str))


def describe_metadata(
    metadata: dict, decoder: str | None = None, *, exclude: Sequence[str] = ()
) -> str:
    """A group's full label: its metadata (minus ``exclude`` and defaults) and its decoder.

    Args:
        metadata: A task's ``json_metadata`` (anything else is shown as it is).
        decoder: The decoder's name, shown last (None: left out).
        exclude: Keys left out (e.g. ``("d", "rounds")``, which vary within a group).

    Returns:
        e.g. ``"noise=si1000, p=0.001, decoder=pymatching"``; a custom model appears as its
        label (``"chip A, scale=2, decoder=pymatching"``), never as JSON.

    Examples:
        >>> describe_metadata({"code": "rotated_surface_code", "basis": "Z", "d": 3,
        ...     "rounds": 3, "noise": "si1000", "p": 0.001}, "pymatching", exclude=("d", "rounds"))
        'noise=si1000, p=0.001, decoder=pymatching'
        >>> describe_metadata({"noise": "custom", "noise_label": "chip A", "scale": 2.0,
        ...     "noise_model": "{...}"})
        'chip A, scale=2'
        >>> describe_metadata({"d": 3, "rounds": 5, "noise": "circuit", "circuit": "chip A",
        ...     "circuit_files": [{"d": 3, "rounds": 5, "sha256": "ab", "path": "/a.stim"}]})
        'd=3, rounds=5, circuit=chip A'
    """
    parts = []
    if not isinstance(metadata, dict):
        parts.append(_value(metadata))
        metadata = {}
    has_label = any(key in metadata for key in _MODEL_KEYS)
    said: tuple[str, ...] = ()
    if metadata.get("noise") == "custom" and has_label:
        model_label, said = _custom_label(metadata, show_p="p" not in exclude)
    named_family = metadata.get("noise") == _CIRCUIT and _CIRCUIT in metadata
    for key, value in metadata.items():
        if key in exclude or key in said or DEFAULT_VALUES.get(key, object()) == value:
            continue
        if key == "noise" and value == "custom" and has_label:
            parts.append(_short(model_label, 60))
        elif key in _MODEL_KEYS or key == _FILES:
            continue  # shown in place of noise=custom; a circuit family by its name
        elif key == "noise" and named_family:
            continue  # circuit=<name> says it
        else:
            parts.append(f"{key}={_value(value)}")
    if not parts:  # nothing but varying keys: say which keys the tasks have
        parts.append(f"({', '.join(sorted(metadata))})" if metadata else "(no metadata)")
    if decoder is not None:
        parts.append(f"decoder={decoder}")
    return ", ".join(parts)


def _label_keys(metadatas: list[dict], exclude: Sequence[str], given: Sequence[str]) -> list[str]:
    """The keys a label shows: the fewest that tell the groups apart (the model's JSON last;
    ``p`` rather than ``scale`` when either does, p being the physical parameter)."""
    keys = distinguishing_keys(metadatas, exclude=(*exclude, "noise_model", _FILES),
                               given=given)
    if "scale" in keys and "p" not in keys and "p" not in exclude:
        swapped = [k if k != "scale" else "p" for k in keys]
        if _classes(metadatas, [*given, *swapped]) == _classes(metadatas, [*given, *keys]):
            keys = swapped
    for last in ("noise_model", _FILES):  # only when nothing shorter tells groups apart
        if last in exclude:
            continue
        if _classes(metadatas, [*given, *keys, last]) > _classes(metadatas, [*given, *keys]):
            keys.append(last)
    keys.sort(key=lambda k: (k == "decoder", k not in (*_MODEL_KEYS, _CIRCUIT, _FILES), k))
    return keys


def group_labels(
    metadatas: Sequence[dict],
    decoders: Sequence[str] | None = None,
    *,
    exclude: Sequence[str] = (),
    given: Sequence[str] = (),
) -> list[str]:
    """One short label per group naming only what tells the groups apart.

    Numbers get as many significant digits as it takes to tell the groups apart.

    Args:
        metadatas: One metadata dict per group (e.g. its first task's ``json_metadata``).
        decoders: The groups' decoders (shown only when they differ); None: not compared.
        exclude: Keys never shown (e.g. ``("d", "rounds")``).
        given: Keys shown elsewhere (e.g. ``("d",)`` in a curve label); they count as
            separating but are not part of the label.

    Returns:
        The labels (empty strings when nothing tells the groups apart).

    Examples:
        >>> group_labels([{"noise": "custom", "noise_label": "chip A", "noise_model": "{1}"},
        ...               {"noise": "custom", "noise_label": "chip B", "noise_model": "{2}"}])
        ['chip A', 'chip B']
        >>> group_labels([{"p": 0.001}, {"p": 0.002}, {"p": 0.001}], ["m", "m", "tesseract"])
        ['p=0.001, decoder=m', 'p=0.002, decoder=m', 'p=0.001, decoder=tesseract']
        >>> group_labels([{"p": 0.003}, {"p": 0.0030004}])
        ['p=0.003', 'p=0.0030004']
        >>> group_labels([{"noise": "circuit", "circuit": "chip", "circuit_files": [1]},
        ...               {"noise": "circuit", "circuit": "chip", "circuit_files": [2]}])
        ['circuits #080a9ed4', 'circuits #038966de']
    """
    metadatas = [m if isinstance(m, dict) else {"metadata": m} for m in metadatas]
    if decoders is not None:
        metadatas = [{**m, "decoder": d} for m, d in zip(metadatas, decoders, strict=True)]
    keys = _label_keys(metadatas, exclude, given)
    models = _model_names([m.get("noise_model") for m in metadatas])
    digits = {key: _digits_to_tell_apart([m.get(key) for m in metadatas]) for key in keys}
    labels = []
    for metadata in metadatas:
        parts, said = [], ()
        model_shown = metadata.get("noise") == "custom" and any(k in keys for k in _MODEL_KEYS)
        for key in keys:
            if key not in metadata or key in said:
                continue
            value = metadata[key]
            if key == "noise_label" or (key == "noise" and value == "custom"):
                if key == "noise" and model_shown:
                    continue  # the model's label says it
                show_p = "p" in keys or ("p" not in exclude and "p" not in given)
                text, said = _custom_label(metadata, show_p=show_p)
                parts.append(_short(text, 60))
            elif key == "noise_model":
                parts.append(_short(models[str(value)], 60))
            elif key == _FILES:
                parts.append(f"circuits {circuit_family_digest(value)}")
            elif key == "noise" and value == _CIRCUIT and _CIRCUIT in keys:
                continue  # circuit=<name> says it
            else:
                parts.append(f"{key}={_value(value, digits[key])}")
        labels.append(", ".join(parts))
    if any(labels):  # a circuit family that lacks every key shown: its name
        labels = [
            label or (f"circuit={_short(str(m[_CIRCUIT]), 60)}"
                      if m.get("noise") == _CIRCUIT and _CIRCUIT in m else "")
            for label, m in zip(labels, metadatas, strict=True)
        ]
    return labels
