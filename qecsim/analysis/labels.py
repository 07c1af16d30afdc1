"""Short labels of groups of statistics, for legends, tables and messages.

Metadata values are shown as ``key=value`` (floats with ``:g``, long text cut), except the
noise model: a custom model is shown by its ``noise_label`` alone (written by
:func:`qecsim.sweep_tasks`, e.g. ``"chip A"`` or ``"si1000 p=0.001, measurement=0.008"``),
never by its JSON. When two models share a label (or a store predates ``noise_label``), the
label says which components differ between them (``"measurement=0.016"``), or, when only
their per-qubit values differ, ``"model #<8 hex digits>"``. ``noise=custom`` is left out
wherever a model label is shown. See :mod:`qecsim.sampling.labels` for how labels are made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from qecsim.analysis.grouping import _canonical, _short, distinguishing_keys

__all__ = ["describe_metadata", "group_labels"]

#: Values not worth showing in a label (every qecsim sweep has them unless told otherwise).
DEFAULT_VALUES = {"code": "rotated_surface_code", "basis": "Z"}

_MODEL_KEYS = ("noise_label", "noise_model")


def _digest(text: str) -> str:
    return "model #" + hashlib.sha256(text.encode()).hexdigest()[:8]


def _model_rates(text: Any) -> dict | None:
    try:
        rates = json.loads(text)["rates"]
    except (TypeError, ValueError, KeyError):
        return None
    return rates if isinstance(rates, dict) else None


def _model_names(texts: Sequence[Any]) -> dict[str, str]:
    """For each distinct model JSON: the components whose global rate differs between them."""
    distinct = sorted({str(t) for t in texts if t is not None})
    rates = {text: _model_rates(text) for text in distinct}
    components = sorted({c for r in rates.values() if r for c in r})
    differing = [
        c
        for c in components
        if len({(r or {}).get(c) for r in rates.values()}) > 1 and all(rates.values())
    ]
    names = {}
    for text in distinct:
        parts = [f"{c}={float(rates[text].get(c, 0.0)):.3g}" for c in differing]
        names[text] = ", ".join(parts) if parts else _digest(text)
    return names


def _own_model_name(text: Any) -> str:
    """A model's label from its JSON (stores written before ``noise_label``)."""
    from qecsim.errors import QecsimError
    from qecsim.noise.model import NoiseModel
    from qecsim.sampling.labels import noise_label

    try:
        return noise_label(NoiseModel.from_json(str(text)))
    except (QecsimError, TypeError, ValueError):
        return _digest(str(text))


def _model_label(metadata: dict) -> str:
    """A custom model's own label: ``noise_label``, else one made from its JSON."""
    if "noise_label" in metadata:
        return str(metadata["noise_label"])
    if "noise_model" in metadata:
        return _own_model_name(metadata["noise_model"])
    return "noise=custom"


def _classes(metadatas: Sequence[dict], keys: Sequence[str]) -> int:
    """How many groups the values of ``keys`` tell apart."""
    return len({tuple(_canonical(m.get(k)) for k in keys) for m in metadatas})


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
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
    """
    parts = []
    if not isinstance(metadata, dict):
        parts.append(_value(metadata))
        metadata = {}
    has_label = any(key in metadata for key in _MODEL_KEYS)
    for key, value in metadata.items():
        if key in exclude or DEFAULT_VALUES.get(key, object()) == value:
            continue
        if key == "noise" and value == "custom" and has_label:
            parts.append(_short(_model_label(metadata), 60))
        elif key in _MODEL_KEYS:
            continue  # shown in place of noise=custom
        else:
            parts.append(f"{key}={_value(value)}")
    if not parts:  # nothing but varying keys: say which keys the tasks have
        parts.append(f"({', '.join(sorted(metadata))})" if metadata else "(no metadata)")
    if decoder is not None:
        parts.append(f"decoder={decoder}")
    return ", ".join(parts)


def group_labels(
    metadatas: Sequence[dict],
    decoders: Sequence[str] | None = None,
    *,
    exclude: Sequence[str] = (),
    given: Sequence[str] = (),
) -> list[str]:
    """One short label per group naming only what tells the groups apart.

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
    """
    metadatas = [m if isinstance(m, dict) else {"metadata": m} for m in metadatas]
    if decoders is not None:
        metadatas = [{**m, "decoder": d} for m, d in zip(metadatas, decoders, strict=True)]
    # A model's JSON is the last resort: only when the labels do not tell the groups apart.
    keys = distinguishing_keys(metadatas, exclude=(*exclude, "noise_model"), given=given)
    if _classes(metadatas, [*given, *keys, "noise_model"]) > _classes(metadatas, [*given, *keys]):
        keys.append("noise_model")
    models = _model_names([m.get("noise_model") for m in metadatas])
    keys.sort(key=lambda k: (k == "decoder", k not in _MODEL_KEYS, k))
    labels = []
    for metadata in metadatas:
        parts = []
        for key in keys:
            if key not in metadata:
                continue
            value = metadata[key]
            if key == "noise_label":
                parts.append(_short(str(value), 60))
            elif key == "noise_model":
                parts.append(_short(models[str(value)], 60))
            elif key == "noise" and value == "custom":
                if not any(k in keys for k in _MODEL_KEYS):
                    parts.append(_short(_model_label(metadata), 60))
            else:
                parts.append(f"{key}={_value(value)}")
        labels.append(", ".join(parts))
    return labels
