"""Short labels of groups of statistics, for legends, tables and messages.

Metadata values are shown as ``key=value`` (floats with ``:g``, or with as many digits as it
takes to tell two groups apart; long text cut), except the noise model: a custom model is
shown by its ``noise_label`` (written by :func:`qecsim.sweep_tasks`, e.g. ``"chip A"`` or
``"si1000 p=0.001, measurement=8p"``), never by its JSON, and a cat-qubit model by its
physical parameters (``"cat qubit n=4, kappa_1/kappa_2=0.001"``), first in a label. A model
made from a preset and swept in p shows the p of the point in its label (``"si1000 p=0.002,
measurement=8p"``, not the model's own p next to a second ``p=``). When two models share a
label (or a store predates ``noise_label``), the label says what differs between their whole
definitions (rates, gate set, T1/T2, crosstalk, overrides, biases, ...; e.g.
``"measurement@3=0.01"``, :mod:`qecsim.analysis.model_differences`), and only when that cannot
tell them apart, ``"model #<8 hex digits>"``. ``noise=custom`` is left out wherever a model
label is shown. Tasks of your own circuits (``noise="circuit"``) are shown by their family's
name (``circuit=chip A``), never by their ``circuit_files``; two families with the same name
are told apart by ``circuits #<8 hex digits>`` of their circuits' hashes. Metadata with nothing
but varying keys (a plain sinter store's ``{"d": 3, "p": 0.001}``) reads ``"tasks with d and
p"``. See :mod:`qecsim.sampling.labels` for how labels are made.

Labels of several groups shown together (:func:`group_labels`, :func:`describe_groups`,
:func:`noise_labels`) always tell different groups apart, also once shortened: a long label is
cut at its commas, keeping the parts in which it differs from the others
(:func:`fit_labels`), e.g. ``"two_qubit_gate=0.003, ..., idle=0.0012, ..."``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import warnings
from collections.abc import Sequence
from typing import Any

from qecsim.analysis.grouping import (
    _canonical,
    _short,
    circuit_family_digest,
    distinguishing_keys,
)
from qecsim.analysis.model_differences import (
    _classes,
    _digest,
    _digits_to_tell_apart,
    _number,
    model_names,
)
from qecsim.noise.cat import CAT_METADATA_KEYS

__all__ = [
    "LABEL_LIMIT", "describe_groups", "describe_metadata", "fit_labels", "group_labels",
    "noise_labels",
]

#: Values not worth showing in a label (every qecsim sweep has them unless told otherwise).
DEFAULT_VALUES = {"code": "rotated_surface_code", "basis": "Z"}

_MODEL_KEYS = ("noise_label", "noise_model")
#: A family of circuits (``noise="circuit"``): its name is shown, its files never.
_FILES = "circuit_files"
_CIRCUIT = "circuit"
#: Cat-qubit tasks (``noise="cat_qubit"``): shown by their label, not their parameters.
_CAT = "cat_qubit"
_CAT_KEYS = CAT_METADATA_KEYS
#: Labels longer than this are shortened, keeping what tells them apart (:func:`fit_labels`).
LABEL_LIMIT = 60
#: What stands for the parts a shortened label leaves out.
_ELLIPSIS = "..."
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


def _cat_label(metadata: dict) -> str | None:
    """A cat-qubit task's label (``"cat qubit n=4, kappa_1/kappa_2=0.001"``), None if its
    metadata does not rebuild a model."""
    values = tuple(metadata.get(key) for key in _CAT_KEYS)
    return _cat_label_of(json.dumps(values, default=str))


@functools.lru_cache(maxsize=256)
def _cat_label_of(values: str) -> str | None:
    from qecsim.errors import QecsimError
    from qecsim.noise.cat import CatQubit
    from qecsim.noise.model import NoiseModel
    from qecsim.sampling.labels import noise_label

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # range warnings were given when it was made
            cat = CatQubit.from_metadata(dict(zip(_CAT_KEYS, json.loads(values), strict=True)))
            return noise_label(NoiseModel.from_cat(cat))
    except (QecsimError, TypeError, ValueError):
        return None


def _cat_said(metadata: dict) -> tuple[str, ...]:
    """The keys a cat-qubit label says: n and the kappas, and the durations when they are
    the default 1 / kappa_2 (else they are shown as they are)."""
    kappa_2 = metadata.get("kappa_2")
    default = 1 / kappa_2 if isinstance(kappa_2, (int, float)) and kappa_2 > 0 else None
    durations = tuple(
        key for key in _CAT_KEYS if key.startswith("t_")
        and isinstance(metadata.get(key), (int, float))
        and default is not None and math.isclose(metadata[key], default, rel_tol=1e-9)
    )  # fmt: skip
    return ("noise", "photons", "kappa_1", "kappa_2", *durations)


def _model_label(metadata: dict, *, show_p: bool) -> tuple[str, tuple[str, ...]] | None:
    """The label of a task's model where it has one of its own (a custom or a cat-qubit
    model), and the metadata keys it says; None for presets and circuit families."""
    if metadata.get("noise") == "custom" and any(key in metadata for key in _MODEL_KEYS):
        text, said = _custom_label(metadata, show_p=show_p)
        return text, ("noise", *_MODEL_KEYS, *said)
    if metadata.get("noise") == _CAT:
        text = _cat_label(metadata)
        if text is not None:
            return text, _cat_said(metadata)
    return None


def _value(value: Any, digits: int | None = None) -> str:
    if isinstance(value, float):
        return _number(value, digits) if digits else f"{value:g}"
    return _short(value if isinstance(value, str) else json.dumps(value, default=str))


def _description(metadata: Any, exclude: Sequence[str], *, limit: int | None) -> list[str]:
    """The parts of :func:`describe_metadata` but the decoder: the model's label (cut at
    ``limit`` characters; None: whole) or ``""``, then the other keys."""
    parts = [""]
    if not isinstance(metadata, dict):
        parts.append(_value(metadata))
        metadata = {}
    said: tuple[str, ...] = ()
    model = _model_label(metadata, show_p="p" not in exclude)
    if model is not None:  # the model first: it says most about what was run
        text, said = model
        parts[0] = text if limit is None else _short(text, limit)
    named_family = metadata.get("noise") == _CIRCUIT and _CIRCUIT in metadata
    for key, value in metadata.items():
        if key in exclude or key in said or DEFAULT_VALUES.get(key, object()) == value:
            continue
        if key in _MODEL_KEYS or key == _FILES:
            continue  # a custom model by its label; a circuit family by its name
        if key == "noise" and named_family:
            continue  # circuit=<name> says it
        parts.append(f"{key}={_value(value)}")
    if parts == [""]:  # nothing but varying keys: say which keys the tasks have
        keys = sorted(metadata)
        listed = " and ".join([", ".join(keys[:-1]), keys[-1]] if len(keys) > 1 else keys)
        parts.append(f"tasks with {listed}" if metadata else "tasks without metadata")
    return parts


def _joined(parts: Sequence[str], decoder: str | None = None) -> str:
    shown = [*parts, f"decoder={decoder}"] if decoder is not None else parts
    return ", ".join(part for part in shown if part)


def describe_metadata(
    metadata: dict, decoder: str | None = None, *, exclude: Sequence[str] = ()
) -> str:
    """A group's full label: its metadata (minus ``exclude`` and defaults) and its decoder.

    For one group on its own; :func:`describe_groups` labels several so that they differ.

    Args:
        metadata: A task's ``json_metadata`` (anything else is shown as it is).
        decoder: The decoder's name, shown last (None: left out).
        exclude: Keys left out (e.g. ``("d", "rounds")``, which vary within a group).

    Returns:
        e.g. ``"noise=si1000, p=0.001, decoder=pymatching"``; a custom model appears as its
        label (``"chip A, scale=2, decoder=pymatching"``), never as JSON, and a cat-qubit
        model as its physical parameters (``"cat qubit n=4, kappa_1/kappa_2=0.001"``).
        Metadata without anything but ``exclude`` (a plain sinter store's ``{"d", "p"}``)
        says which keys the tasks have: ``"tasks with d and p"``.

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
        >>> describe_metadata({"d": 3, "p": 0.001}, exclude=("d", "p"))
        'tasks with d and p'
    """
    return _joined(_description(metadata, exclude, limit=LABEL_LIMIT), decoder)


def _identity(metadata: Any, decoder: str | None, leave_out: Sequence[str]) -> str:
    """What makes a group the group it is: its metadata but ``leave_out``, and its decoder."""
    if isinstance(metadata, dict):
        metadata = {k: v for k, v in metadata.items() if k not in leave_out}
    return _canonical([metadata, decoder])


def _tell_apart(
    labels: list[str], identities: list[str], differences, shown: Sequence[str] | None = None
) -> list[str]:
    """What to add to labels so that groups of different identities that read alike read
    differently: what differs between them (``differences(indices)``: one text per index),
    else a digest; ``""`` where nothing is needed. Groups that differ in what is ``shown``
    next to the label (one text per group, e.g. the distance of a curve) need nothing."""
    shown = [""] * len(labels) if shown is None else shown
    indices_of: dict[tuple[str, str], dict[str, int]] = {}
    for index, (label, identity) in enumerate(zip(labels, identities, strict=True)):
        indices_of.setdefault((label, shown[index]), {}).setdefault(identity, index)
    extra: dict[str, str] = {}
    for by_identity in indices_of.values():
        if len(by_identity) < 2:
            continue
        texts = differences(list(by_identity.values()))
        if len(set(texts)) < len(texts) or not all(texts):
            texts = ["#" + hashlib.sha256(i.encode()).hexdigest()[:8] for i in by_identity]
        extra.update(zip(by_identity, texts, strict=True))
    return [extra.get(identity, "") for identity in identities]


def _kept_text(parts: list[str], kept: list[bool]) -> str:
    """The parts kept, each run of parts left out shown as one ``...``."""
    shown: list[str] = []
    for part, keep in zip(parts, kept, strict=True):
        if keep:
            shown.append(part)
        elif not shown or shown[-1] != _ELLIPSIS:
            shown.append(_ELLIPSIS)
    return ", ".join(shown)


def _fit_one(parts: list[str], others: list[set[str]], limit: int) -> str:
    """One label's parts cut to ``limit`` characters: parts every other label has are left
    out first, then the others, the last first (never the first part, which says what the
    label is about), each only while the parts kept still tell the label apart from each of
    ``others``."""
    kept = [True] * len(parts)
    common = [all(part in other for other in others) for part in parts]
    for index in [i for i in range(len(parts) - 1, 0, -1) if common[i]] + [
        i for i in range(len(parts) - 1, 0, -1) if not common[i]
    ]:
        if len(_kept_text(parts, kept)) <= limit:
            break
        kept[index] = False
        shown = {part for part, keep in zip(parts, kept, strict=True) if keep}
        if any(shown <= other for other in others):
            kept[index] = True  # leaving it out would make the label read like another's
    return _kept_text(parts, kept)


def fit_labels(labels: Sequence[str], limit: int = LABEL_LIMIT) -> list[str]:
    """Shorten labels longer than ``limit``, keeping the parts that tell them apart.

    A label is cut at its commas: parts are left out (shown as ``...``), those every label
    has first, the last first, while the parts kept still tell it apart from every other
    label (a part that differs between groups, e.g. the one component in which two noise
    models differ, is kept wherever it is in the label). The first part is always kept, so a label that needs all
    its differing parts may stay a little longer than ``limit``. Labels that differ stay
    different: where no shortening keeps them apart, they are left whole. Labels shorter
    than ``limit`` are unchanged.

    Args:
        labels: One label per group (equal labels count as one group).
        limit: The longest label, in characters.

    Returns:
        The labels, as short as they can be while telling the groups apart.

    Examples:
        >>> fit_labels(["two_qubit_gate=0.003, single_qubit_gate=0.0005, idle=0.001, reset=0.002",
        ...             "two_qubit_gate=0.003, single_qubit_gate=0.0005, idle=0.0012, reset=0.002"],
        ...            limit=45)
        ['two_qubit_gate=0.003, ..., idle=0.001, ...', 'two_qubit_gate=0.003, ..., idle=0.0012, ...']
    """  # noqa: E501
    labels = list(labels)
    split = {label: label.split(", ") for label in labels}
    fitted = {}
    for label, parts in split.items():
        if len(label) <= limit:
            fitted[label] = label
            continue
        others = [set(other) for text, other in split.items() if text != label]
        fitted[label] = _fit_one(parts, others, limit)
    counts: dict[str, int] = {}
    for text in fitted.values():
        counts[text] = counts.get(text, 0) + 1
    return [fitted[label] if counts[fitted[label]] == 1 else label for label in labels]


def describe_groups(
    metadatas: Sequence[Any],
    decoders: Sequence[str] | None = None,
    *,
    exclude: Sequence[str] = (),
    limit: int | None = None,
) -> list[str]:
    """Full labels (:func:`describe_metadata`) of several groups that tell them apart.

    Groups whose labels read alike (two models with the same name, or whose labels list the
    same first components) get what differs between them appended (:func:`group_labels`);
    then labels longer than ``limit`` are shortened by :func:`fit_labels`, which keeps them
    apart. Groups are the same when their metadata (but ``exclude``) and decoders are.

    Args:
        metadatas: One metadata dict per group or per point (points of one group repeat it).
        decoders: The decoders, shown last (None: left out, and not compared).
        exclude: Keys left out (e.g. ``("d", "rounds")``, which vary within a group).
        limit: The longest label in characters (None: labels are not shortened).

    Returns:
        One label per entry of ``metadatas``.

    Examples:
        >>> from qecsim.noise.model import NoiseModel
        >>> chip = NoiseModel(two_qubit_gate=0.003, measurement=0.008, name="chip A")
        >>> def metadata(model, scale):
        ...     return {"noise": "custom", "noise_label": "chip A", "scale": scale,
        ...             "noise_model": model.to_json()}
        >>> describe_groups([metadata(chip, 1), metadata(chip, 2),
        ...                  metadata(chip.scaled(measurement=1.25), 1)])
        ['chip A, measurement=0.008, scale=1', 'chip A, scale=2', 'chip A, measurement=0.01, scale=1']
    """  # noqa: E501
    metadatas = list(metadatas)
    decoders = [None] * len(metadatas) if decoders is None else list(decoders)
    parts = [_description(m, exclude, limit=None) for m in metadatas]
    # the decoder comes last and tells groups apart by itself: compared without it here
    identities = [_identity(m, None, exclude) for m in metadatas]

    def differences(indices: list[int]) -> list[str]:
        return group_labels([metadatas[i] for i in indices], exclude=exclude)

    extras = _tell_apart([_joined(p) for p in parts], identities, differences)
    labels = [_joined([p[0], extra, *p[1:]], d)  # what differs, after the model's label
              for p, extra, d in zip(parts, extras, decoders, strict=True)]  # fmt: skip
    return labels if limit is None else fit_labels(labels, limit)


#: The metadata keys that say what noise a task ran (:func:`noise_labels`).
_NOISE_KEYS = ("noise", "p", "scale", *_MODEL_KEYS, _CIRCUIT, _FILES, *_CAT_KEYS)


def noise_labels(metadatas: Sequence[Any], *, limit: int | None = LABEL_LIMIT) -> list[str]:
    """What noise each task ran, for a table that shows p in a column of its own.

    A preset by its name, a custom model by its label (its name, the preset it modifies, or
    its main rates) and its scale factor, a cat-qubit model by its physical parameters,
    your own circuits by their family's name; component factors (``scale_<component>``,
    ``rate_<component>``) follow. Different models read differently (:func:`describe_groups`).

    Args:
        metadatas: The tasks' ``json_metadata``.
        limit: The longest label in characters (None: whole labels).

    Returns:
        One label per task.

    Examples:
        >>> from qecsim.noise.model import NoiseModel
        >>> chip = NoiseModel(two_qubit_gate=0.003, measurement=0.008, name="chip_b")
        >>> noise_labels([{"code": "repetition_code", "d": 3, "noise": "si1000", "p": 0.001},
        ...               {"noise": "custom", "noise_label": "chip_b", "scale": 2.0,
        ...                "noise_model": chip.to_json()}])
        ['si1000', 'chip_b, scale=2']
    """
    def noise_part(metadata: Any) -> Any:
        if not isinstance(metadata, dict):
            return metadata
        return {k: v for k, v in metadata.items()
                if k in _NOISE_KEYS or k.startswith(("scale_", "rate_"))}  # fmt: skip

    labels = describe_groups([noise_part(m) for m in metadatas], exclude=("p",), limit=limit)
    return [label.removeprefix("noise=") for label in labels]


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
    front = (*_MODEL_KEYS, _CIRCUIT, _FILES, *_CAT_KEYS[:3])  # what was run, first
    keys.sort(key=lambda k: (k == "decoder", k not in front, k))
    return keys


def _models_alike(metadatas: list[dict]) -> dict[str, str]:
    """What tells apart the models (JSON -> text) that share a stored label; a model without
    a stored label (an older store) is told apart from all others; models with a label of
    their own need nothing."""
    texts = sorted({str(m["noise_model"]) for m in metadatas if m.get("noise_model") is not None})
    by_label: dict[str, set[str]] = {}
    for metadata in metadatas:
        if metadata.get("noise_model") is not None:
            by_label.setdefault(_canonical(metadata.get("noise_label")),
                                set()).add(str(metadata["noise_model"]))  # fmt: skip
    names: dict[str, str] = {}
    for label, alike in by_label.items():
        if label == _canonical(None):  # no stored label: only its definition names it
            names.update({t: n for t, n in model_names(texts).items() if t in alike})
        elif len(alike) > 1:
            names.update(model_names(sorted(alike)))
    return names


def _group_label(metadata: dict, keys: list[str], models: dict, digits: dict, *,
                 show_p: bool) -> str:
    """One group's label: its values of ``keys``; a model with a label of its own (custom,
    cat qubit) by that label, in place of the keys the label says."""
    parts: list[str] = []
    said: tuple[str, ...] = ()
    for key in keys:
        if key not in metadata or key in said:
            continue
        value = metadata[key]
        if key == "noise_model":  # what differs, less what the model's label says already
            said_parts = ", ".join(parts).split(", ")
            name = models.get(str(value), "")
            parts.extend(p for p in name.split(", ") if p and p not in said_parts)
            continue
        model = _model_label(metadata, show_p=show_p) if key in _MODEL_KEYS or key in (
            "noise", *_CAT_KEYS[:3]) else None
        if model is not None:
            text, said = model
            said = tuple(k for k in said if k != "noise_model")  # told apart below
            parts.append(text)
        elif key == _FILES:
            parts.append(f"circuits {circuit_family_digest(value)}")
        elif key == "noise" and value == _CIRCUIT and _CIRCUIT in keys:
            continue  # circuit=<name> says it
        else:
            parts.append(f"{key}={_value(value, digits[key])}")
    return ", ".join(parts)


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
    models = _models_alike(metadatas)
    digits = {key: _digits_to_tell_apart([m.get(key) for m in metadatas]) for key in keys}
    show_p = "p" in keys or ("p" not in exclude and "p" not in given)
    labels = [_group_label(m, keys, models, digits, show_p=show_p) for m in metadatas]
    if any(labels):  # a circuit family that lacks every key shown: its name
        labels = [
            label or (f"circuit={m[_CIRCUIT]}"
                      if m.get("noise") == _CIRCUIT and _CIRCUIT in m else "")
            for label, m in zip(labels, metadatas, strict=True)
        ]
    # groups that still read alike (e.g. long names cut alike): a digest of their metadata
    identities = [_identity(m, None, exclude) for m in metadatas]
    shown = [_canonical([m.get(key) for key in given]) for m in metadatas]
    extras = _tell_apart(labels, identities, lambda indices: [""] * len(indices), shown)
    return fit_labels([_joined([label, extra]) for label, extra in zip(labels, extras,
                                                                        strict=True)])
