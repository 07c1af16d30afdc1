"""Sweep grids: (code, basis, distance, rounds, noise, p, scale factors) -> ``sinter.Task`` s.

Every task's ``json_metadata`` is a flat dict of JSON values that holds everything needed to
rebuild its circuit (:func:`circuit_from_metadata`), with these keys, in this order:

=====================  ===============================================================
key                    meaning
=====================  ===============================================================
``code``               code family, one of :data:`qecsim.CODES`
``basis``              ``"Z"`` or ``"X"`` memory
``d``                  code distance
``rounds``             rounds of syndrome extraction
``noise``              preset name (:data:`qecsim.PRESETS`) or ``"custom"``
``noise_label``        custom models only: a short human label (:func:`noise_label`)
``p``                  the preset's parameter; a custom model has it only when it was
                       made from a preset (``NoiseModel.p`` set): that p after scaling
``scale``              custom models only: the factor applied to the model as given
``gate_set``           the circuit's gate set (:data:`qecsim.GATE_SETS`): the noise model's
                       own unless ``sweep_tasks(gate_set=...)`` says otherwise
``scale_<component>``  a per-component factor applied after the preset/model (only if set)
``rate_<component>``   a fixed global rate of one component, overriding p (only if set)
``noise_model``        custom models only: the base model's JSON (:meth:`NoiseModel.to_json`)
``tag_qubits``         only when True: channels also tagged with their qubits
``photons`` ...        cat-qubit models (``noise="cat_qubit"``): |alpha|^2, ``kappa_1``,
                       ``kappa_2`` (1/s) and ``t_*`` durations (s), no ``p``
                       (:data:`qecsim.noise.cat.CAT_METADATA_KEYS`)
``d_x``, ``d_z``       rectangles only: the X and Z distances (``memory_circuit``'s
                       ``distance_x``, ``distance_z``)
=====================  ===============================================================

**Cat-qubit sweeps**: pass a list of :meth:`NoiseModel.cat_qubit` models as ``noise`` (one per
photon number, kappa_1 / kappa_2, ...); each task records the physical parameters, not a p,
so ``circuit_from_metadata`` rebuilds the model from them.

**Custom noise models** (device calibrations, ``NoiseModel.from_json``) are swept by scaling:
``scale`` in the metadata multiplies every rate of the model as given (``scale = 1`` is the
model itself). ``sweep_tasks(p=...)`` on a custom model sets the scale so that the model's
*reference rate* becomes p: its preset parameter ``noise.p`` when set, else its largest
global component rate (its largest rate anywhere, if all global rates are zero). ``p`` is
recorded only where it is a preset's parameter, so a chip whose largest rate is a 0.8 %
readout is not labelled ``p=0.008``; ``noise_label`` says what the model is (its name, the
preset it modifies, or its main rates; :func:`qecsim.sampling.labels.noise_label`). The base
model's JSON stays the same across the sweep, so analysis groups (which vary ``d``,
``rounds``, ``p`` and ``scale``) work unchanged. Stores written before ``scale`` existed
(custom tasks with ``p`` = the reference rate after scaling and no ``scale``) still load and
rebuild.

The decoder is sinter's own ``Task.decoder`` field, not a metadata key.

**Gate set.** Every task records ``gate_set``. Stores written before the key ran every
circuit with CNOTs (SI1000 included), so a missing ``gate_set`` means ``"cx"``
(:func:`gate_set_from_metadata`). The key is part of sinter's task id: a sweep run now does
not resume tasks of such a store (their rows still load, analyse and rebuild).

**Your own circuits** (``sweep_tasks(circuits=...)``, metadata ``noise = "circuit"``) have
``d``, ``rounds``, ``circuit`` (the family's name), optional ``scale``/``scale_<component>``
and ``circuit_files`` (each circuit's distance, rounds, hash and file) instead of the keys
above: see :mod:`qecsim.sampling.circuit_tasks`.

Examples:
    >>> import qecsim
    >>> tasks = qecsim.sweep_tasks(distances=[3, 5], p=[1e-3, 2e-3], noise="si1000")
    >>> len(tasks), tasks[0].json_metadata
    (4, {'code': 'rotated_surface_code', 'basis': 'Z', 'd': 3, 'rounds': 3, 'noise': 'si1000', 'p': 0.001, 'gate_set': 'cz'})
    >>> qecsim.circuit_from_metadata(tasks[0].json_metadata) == tasks[0].circuit
    True
"""  # noqa: E501

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sinter
import stim

from qecsim.circuits.memory import CODES, MAX_DISTANCE, MAX_ROUNDS, default_rounds, memory_circuit
from qecsim.errors import QecsimError, describe
from qecsim.noise.cat import CatQubit
from qecsim.noise.components import GATE_SETS, check_component
from qecsim.noise.model import PRESETS, RATE_LIMITS, NoiseModel
from qecsim.sampling import circuit_tasks as _circuit_tasks
from qecsim.sampling.labels import noise_label
from qecsim.validation import check_int

__all__ = [
    "METADATA_KEYS",
    "circuit_from_metadata",
    "gate_set_from_metadata",
    "noise_from_metadata",
    "noise_label",
    "reference_rate",
    "sweep_tasks",
]

#: Keys :func:`circuit_from_metadata` needs (every task also has ``gate_set``, see above).
METADATA_KEYS: tuple[str, ...] = ("code", "basis", "d", "rounds", "noise", "p")

_SCALE_PREFIX = "scale_"
_RATE_PREFIX = "rate_"
_OPTIONAL_KEYS = ("noise_label", "scale", "gate_set", "noise_model", "tag_qubits")
_GATE_SET_OF_OLD_STORES = "cx"  # what tasks without ``gate_set`` ran

Rounds = int | str | Callable[[int], int] | None


# ---------------------------------------------------------------------------------------------
# Argument normalisation


def _as_list(name: str, value: Any) -> list:
    """A scalar becomes a one-element list; strings are scalars; empty sequences are errors."""
    if isinstance(value, (str, bytes, NoiseModel)) or not isinstance(value, Iterable):
        return [value]
    values = list(value)
    if not values:
        raise QecsimError(f"{name}={value!r} is empty: the sweep grid has no points")
    return values


def _check_unique(name: str, values: list) -> list:
    """Reject repeated values: each would be a duplicate point (sinter merges them)."""
    for index, value in enumerate(values):
        if any(value == earlier for earlier in values[:index]):
            raise QecsimError(f"{name}={values!r} lists {value!r} more than once")
    return values


def _warn_about_layout_bound_overrides(
    models: list, distances: list[int], codes: list[str]
) -> None:
    """Per-qubit/per-coupler overrides are keyed by circuit qubit index: one circuit only."""
    for model in models:
        if not isinstance(model, NoiseModel) or not model.is_layout_bound:
            continue
        if len(distances) > 1 or len(codes) > 1:
            warnings.warn(
                f"noise model {model.name!r} has per-qubit/per-coupler overrides "
                f"({len(model.qubit_rates)} qubits, {len(model.coupler_rates)} couplers), keyed "
                "by circuit qubit index, so they fit the ONE circuit (layout) they were made "
                f"for; swept over distances={distances} and codes={codes} they land on other "
                "qubits of the other circuits. Build one model per circuit (e.g. "
                "noise_from_backend(backend, circuit=memory_circuit(distance=d))) and sweep "
                "each at its own distance.",
                UserWarning,
                stacklevel=3,
            )


def _check_distance(value: Any) -> int:
    return check_int("distance", value, 2, MAX_DISTANCE)


def _resolve_rounds(rounds: Rounds, distance: int, noise_name: str) -> int:
    """``None``: memory_circuit's default; ``"d"``/``"2d"``: multiples of d; int; callable."""
    if rounds is None:
        value: Any = default_rounds(distance=distance, noise=noise_name)
    elif callable(rounds):
        value = rounds(distance)
    elif isinstance(rounds, str):
        text = rounds.strip().lower()
        if text.endswith("d"):
            factor = text[:-1].strip() or "1"
            if not factor.isdigit() or int(factor) < 1:
                raise QecsimError(
                    f"rounds={rounds!r} is not an integer, 'd' or a multiple such as '3d'"
                )
            value = int(factor) * distance
        elif text.isdigit():
            value = int(text)
        else:
            raise QecsimError(
                f"rounds={rounds!r} is not an integer, 'd' or a multiple such as '3d'"
            )
    else:
        value = rounds
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise QecsimError(
            f"rounds={value!r} (for d={distance}) is not an integer in [1, {MAX_ROUNDS}]"
        )
    if not 1 <= value <= MAX_ROUNDS:
        raise QecsimError(f"rounds={value!r} (for d={distance}) is not in [1, {MAX_ROUNDS}]")
    return int(value)


def _check_p(value: Any, limit: float, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise QecsimError(
            f"p={describe(value)} is not a number in (0, {limit:g}] ({what})"
        ) from None
    if isinstance(value, bool) or not 0 < number <= limit:  # also rejects NaN
        raise QecsimError(f"p={describe(value)} is not in (0, {limit:g}] ({what})")
    return number


def _preset_limit(name: str) -> float:
    """The largest p the preset accepts (its tightest channel limit)."""
    rates = NoiseModel.from_preset(name, 1e-3).rates()
    return min(RATE_LIMITS[c] * 1e-3 / rate for c, rate in rates.items() if rate > 0)


def reference_rate(noise: NoiseModel) -> float:
    """The rate that ``p`` stands for in a sweep of a custom model (see the module docstring).

    Args:
        noise: A noise model.

    Returns:
        ``noise.p`` when set, else the largest global rate, else the largest override.

    Raises:
        QecsimError: The model has no nonzero rate at all.

    Examples:
        >>> reference_rate(NoiseModel(two_qubit_gate=0.004, measurement=0.01))
        0.01
        >>> reference_rate(NoiseModel.si1000(1e-3).scaled(measurement=0.5))
        0.001
    """
    if noise.p is not None and noise.p > 0:
        return float(noise.p)
    rates = [rate for rate in noise.rates().values() if rate > 0]
    # a component split into parts (NoiseModel.channel_parts): its total probability
    rates += [t for parts in noise.channel_parts.values() if (t := sum(map(sum, parts.values())))]
    if not rates:
        for overrides in (*noise.qubit_rates.values(), *noise.coupler_rates.values()):
            rates.extend(rate for rate in overrides.values() if rate > 0)
    if not rates:
        raise QecsimError("noise has no nonzero rate: a noiseless model cannot be swept")
    return float(max(rates))


def _component_grid(name: str, values: Mapping[str, Any] | None) -> list[dict[str, float]]:
    """{component: factor or [factors]} -> list of {component: factor} (the product)."""
    if values is None:
        return [{}]
    if not isinstance(values, Mapping):
        raise QecsimError(f"{name}={values!r} is not a mapping component -> value(s)")
    keys = [check_component(key) for key in values]
    grids = []
    for key in keys:
        options = []
        for value in _as_list(f"{name}[{key!r}]", values[key]):
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise QecsimError(f"{name}[{key!r}]={value!r} is not a number >= 0")
            if not 0 <= value < math.inf:
                raise QecsimError(f"{name}[{key!r}]={value!r} is not in [0, inf)")
            options.append(float(value))
        grids.append(options)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*grids)]


# ---------------------------------------------------------------------------------------------
# Noise from metadata


def _apply_modifiers(noise: NoiseModel, metadata: Mapping[str, Any]) -> NoiseModel:
    scales = {
        key[len(_SCALE_PREFIX) :]: value
        for key, value in metadata.items()
        if key.startswith(_SCALE_PREFIX)
    }
    rates = {
        key[len(_RATE_PREFIX) :]: value
        for key, value in metadata.items()
        if key.startswith(_RATE_PREFIX)
    }
    for component in (*scales, *rates):
        check_component(component)
    if scales:
        noise = noise.scaled(**scales)
    if rates:
        # a fixed rate replaces the global rate (per-qubit overrides of it stay)
        noise = dataclasses.replace(noise, **{c: float(r) for c, r in rates.items()}, name="custom")
    return noise


def noise_from_metadata(metadata: Mapping[str, Any]) -> NoiseModel:
    """The noise model a task of :func:`sweep_tasks` used, rebuilt from its ``json_metadata``.

    Args:
        metadata: A task's ``json_metadata`` (keys ``noise``, ``p`` for presets, and for
            custom models ``noise_model`` and ``scale`` (or, in older stores, ``p``);
            optional ``scale_<component>`` / ``rate_<component>``).

    Returns:
        The :class:`qecsim.NoiseModel` (with its own gate set; the circuit's is
        :func:`gate_set_from_metadata`).

    Raises:
        QecsimError: A key is missing or holds a bad value.

    Examples:
        >>> noise_from_metadata({"noise": "si1000", "p": 0.002, "scale_measurement": 0.5})
        ... # doctest: +ELLIPSIS
        NoiseModel(single_qubit_gate=0.0002, two_qubit_gate=0.002, ..., measurement=0.005, ...)
    """
    if not isinstance(metadata, Mapping):
        raise QecsimError(f"metadata={metadata!r} is not a dict")
    no_p = metadata.get("noise") == "cat_qubit" or (
        metadata.get("noise") == "custom" and "scale" in metadata
    )
    for key in ("noise",) if no_p else ("noise", "p"):
        if key not in metadata:
            raise QecsimError(f"metadata lacks key {key!r} (it has {sorted(metadata)})")
    name = metadata["noise"]
    if name in PRESETS:
        noise = NoiseModel.from_preset(name, metadata["p"])
    elif name == "custom":
        noise = _custom_noise(metadata)
    elif name == "cat_qubit":
        noise = NoiseModel.from_cat(CatQubit.from_metadata(metadata))
    else:
        raise QecsimError(
            f"metadata noise={name!r} is not in {[*PRESETS, 'custom', 'cat_qubit']}"
        )
    return _apply_modifiers(noise, metadata)


def _custom_noise(metadata: Mapping[str, Any]) -> NoiseModel:
    """The base model scaled by ``scale`` (or, in older stores, to the reference rate ``p``)."""
    text = metadata.get("noise_model")
    if not isinstance(text, str):
        raise QecsimError(
            f"metadata has noise='custom' but noise_model={text!r}; expected the model's JSON"
        )
    base = NoiseModel.from_json(text)
    if "scale" in metadata:
        scale = metadata["scale"]
        if (
            isinstance(scale, bool)
            or not isinstance(scale, numbers.Real)
            or not 0 < scale < math.inf
        ):
            raise QecsimError(f"metadata scale={scale!r} is not a number in (0, inf)")
        return base if scale == 1 else base.scaled(float(scale))
    reference = reference_rate(base)
    p = _check_p(metadata["p"], math.inf, "custom noise")
    return base if p == reference else base.scaled(p / reference)


def gate_set_from_metadata(metadata: Mapping[str, Any]) -> str:
    """The gate set of a task's circuit: its ``gate_set``, else ``"cx"`` (what old stores ran).

    Args:
        metadata: A task's ``json_metadata``.

    Returns:
        One of :data:`qecsim.GATE_SETS`.

    Raises:
        QecsimError: ``gate_set`` holds something else.

    Examples:
        >>> gate_set_from_metadata({"noise": "si1000", "p": 0.001, "gate_set": "cz"})
        'cz'
        >>> gate_set_from_metadata({"noise": "si1000", "p": 0.001})  # an old store: CNOTs
        'cx'
    """
    gate_set = metadata.get("gate_set", _GATE_SET_OF_OLD_STORES)
    if gate_set not in GATE_SETS:
        raise QecsimError(f"metadata gate_set={gate_set!r} is not one of {', '.join(GATE_SETS)}")
    return gate_set


def circuit_from_metadata(metadata: Mapping[str, Any], *, circuits: Any = None) -> stim.Circuit:
    """Rebuild the noisy circuit of a task from its ``json_metadata``.

    The inverse of :func:`sweep_tasks`: ``circuit_from_metadata(task.json_metadata) ==
    task.circuit``. Works on metadata read back from a sinter CSV store, so a store is
    enough to rebuild (and re-sample, or budget) every circuit in it.

    The gate set is the metadata's; without one (an old store) ``"cx"``, whatever the noise
    model's own (:func:`gate_set_from_metadata`).

    Args:
        metadata: A task's ``json_metadata``, with the keys listed in the module docstring.
        circuits: For tasks of your own circuits (``noise = "circuit"``): circuits or paths
            to pick the task's circuit from by its hash; None reads the file the metadata
            names (:func:`qecsim.sampling.circuit_tasks.circuit_from_circuit_metadata`).

    Returns:
        The noisy ``stim.Circuit``.

    Raises:
        QecsimError: A key is missing or holds a bad value.

    Examples:
        >>> metadata = {"code": "repetition_code", "basis": "Z", "d": 3, "rounds": 2,
        ...             "noise": "sd6", "p": 0.001}
        >>> circuit_from_metadata(metadata).num_detectors
        6
    """
    if not isinstance(metadata, Mapping):
        raise QecsimError(f"metadata={metadata!r} is not a dict")
    if metadata.get("noise") == _circuit_tasks.CIRCUIT_NOISE:
        return _circuit_tasks.circuit_from_circuit_metadata(metadata, circuits=circuits)
    required = METADATA_KEYS
    if metadata.get("noise") == "cat_qubit" or (
        metadata.get("noise") == "custom" and "scale" in metadata
    ):
        required = tuple(key for key in METADATA_KEYS if key != "p")  # p: presets only
    missing = [key for key in required if key not in metadata]
    if missing:
        raise QecsimError(
            f"metadata lacks key(s) {missing} (it has {sorted(metadata)}); "
            f"circuit_from_metadata needs {list(METADATA_KEYS)}"
        )
    noise = noise_from_metadata(metadata)
    return memory_circuit(
        metadata["code"],
        distance=metadata["d"],
        rounds=metadata["rounds"],
        basis=metadata["basis"],
        noise=noise,
        gate_set=gate_set_from_metadata(metadata),
        tag_qubits=bool(metadata.get("tag_qubits", False)),
        distance_x=metadata.get("d_x"),
        distance_z=metadata.get("d_z"),
    )


# ---------------------------------------------------------------------------------------------
# The grid


def _noise_points(
    noise: str | NoiseModel, p: Any, scales: Any
) -> list[tuple[dict[str, Any], str | None]]:
    """(noise metadata items, custom model JSON or None) for each noise point of the grid."""
    if isinstance(noise, str):
        if noise not in PRESETS:
            raise QecsimError(f"noise={noise!r} is not in {list(PRESETS)} (or pass a NoiseModel)")
        if scales is not None:
            raise QecsimError(
                f"scales={scales!r} applies to a NoiseModel; for the preset {noise!r} sweep p"
            )
        if p is None:
            raise QecsimError(f"p=None: the preset {noise!r} needs physical error rates p")
        limit = _preset_limit(noise)
        return [({"noise": noise, "p": _check_p(v, limit, noise)}, None) for v in _as_list("p", p)]
    if not isinstance(noise, NoiseModel):
        raise QecsimError(f"noise={describe(noise)} is not a preset name or a qecsim.NoiseModel")
    if noise.cat is not None and noise == NoiseModel.from_cat(noise.cat):
        if p is not None or scales is not None:
            raise QecsimError("a cat-qubit model is swept by its physical parameters: pass "
                              "one NoiseModel.cat_qubit(...) per point as noise, not p or scales")
        return [({"noise": "cat_qubit", **noise.cat.metadata()}, None)]
    # a model that is exactly a preset is stored as that preset
    if (
        noise.name in PRESETS
        and noise.p is not None
        and noise == NoiseModel.from_preset(noise.name, noise.p)
    ):
        if scales is None and p is None:
            return [({"noise": noise.name, "p": float(noise.p)}, None)]
        if scales is None:
            return _noise_points(noise.name, p, None)
        if p is None:
            factors = _as_list("scales", scales)
            for scale in factors:
                if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0:
                    raise QecsimError(f"scales entry {scale!r} is not a number in (0, inf)")
            return _noise_points(noise.name, [noise.p * float(s) for s in factors], None)
    reference = reference_rate(noise)
    if p is not None and scales is not None:
        raise QecsimError(f"give p={p!r} or scales={scales!r}, not both")
    if scales is not None:
        values = []
        for scale in _as_list("scales", scales):
            if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0:
                raise QecsimError(f"scales entry {scale!r} is not a number in (0, inf)")
            values.append((reference * float(scale), float(scale)))
    elif p is not None:
        checked = [_check_p(v, 1.0, "custom noise") for v in _as_list("p", p)]
        values = [(v, v / reference) for v in checked]
    else:
        values = [(reference, 1.0)]
    return _custom_points(noise, values)


def _custom_points(
    noise: NoiseModel, values: list[tuple[float, float]]
) -> list[tuple[dict[str, Any], str | None]]:
    """Metadata of a custom model at (reference rate, scale) pairs: a label, ``scale``, and
    ``p`` only when the model was made from a preset (module docstring)."""
    text = noise.to_json(sort_keys=True)
    label = noise_label(noise)
    points = []
    for value, scale in values:
        if scale != 1:
            noise.scaled(scale)  # raises if a scaled rate leaves its channel's range
        items: dict[str, Any] = {"noise": "custom", "noise_label": label}
        if noise.p is not None and noise.p > 0:
            items["p"] = value  # the preset parameter after scaling
        items["scale"] = scale
        points.append((items, text))
    return points


def _gate_set_options(gate_set: str | Sequence[str] | None) -> list[str | None]:
    """The gate sets to sweep; ``[None]`` means each noise model's own."""
    if gate_set is None:
        return [None]
    options = _check_unique("gate_set", _as_list("gate_set", gate_set))
    for value in options:
        if value not in GATE_SETS:
            raise QecsimError(f"gate_set={value!r} is not one of {', '.join(GATE_SETS)}")
    return options


def _native_gate_set(items: Mapping[str, Any], model_json: str | None) -> str:
    """The gate set of a noise point's model: the custom model's own, or the preset's."""
    if model_json:
        return NoiseModel.from_json(model_json).gate_set
    if items["noise"] == "cat_qubit":
        return NoiseModel.from_cat(CatQubit.from_metadata(items)).gate_set
    return NoiseModel.from_preset(items["noise"], items["p"]).gate_set


def sweep_tasks(
    *,
    distances: int | Sequence[int] | None = None,
    p: float | Sequence[float] | None = None,
    noise: str | NoiseModel | Sequence[str | NoiseModel] = "si1000",
    code: str | Sequence[str] = "rotated_surface_code",
    basis: str | Sequence[str] = "Z",
    rounds: Rounds | Sequence[Rounds] = None,
    scales: float | Sequence[float] | None = None,
    component_scales: Mapping[str, float | Sequence[float]] | None = None,
    component_rates: Mapping[str, float | Sequence[float]] | None = None,
    decoders: str | Sequence[str] | None = None,
    tag_qubits: bool = False,
    gate_set: str | Sequence[str] | None = None,
    circuits: Any = None,
) -> list[sinter.Task]:
    """Expand a sweep grid into ``sinter.Task`` s (the product of every listed value).

    Args:
        distances: Code distance(s), each in [2, 99].
        p: Physical error rate(s): the preset's parameter, or for a custom ``NoiseModel`` the
            value its reference rate is scaled to (recorded as ``scale``; module docstring).
            Required for presets.
        noise: Preset name(s) of :data:`qecsim.PRESETS`, or ``NoiseModel`` (s), e.g. from a
            device calibration. A model equal to a preset is recorded as that preset.
        code: Code family (or families) of :data:`qecsim.CODES`.
        basis: ``"Z"`` and/or ``"X"``.
        rounds: Rounds per shot: an int, ``"d"`` (= distance), ``"3d"``, a function of the
            distance, or None for :func:`qecsim.memory_circuit`'s default (d; 1 for
            ``code_capacity``). A list sweeps several.
        scales: For a custom ``NoiseModel`` instead of ``p``: factors of all its rates
            (metadata ``scale``).
        component_scales: component -> factor(s) applied after the preset/model, e.g.
            ``{"two_qubit_gate": [0.5, 1.0]}`` (metadata ``scale_two_qubit_gate``).
        component_rates: component -> fixed global rate(s) that replace the preset's rate of
            that component (metadata ``rate_<component>``).
        decoders: Decoder name(s) set on the tasks (one task per decoder); None leaves
            ``Task.decoder`` unset so that :func:`qecsim.collect` 's ``decoders`` apply.
        tag_qubits: Also tag every channel with its qubits (for per-qubit budgets).
        gate_set: The circuits' gate set(s) (:data:`qecsim.GATE_SETS`), e.g. ``["cx", "cz"]``
            to compare schedules; None means each noise model's own (``"cz"`` for SI1000,
            ``"cx"`` for SD6 and ``uniform_depolarizing``). Recorded as ``gate_set``.
        circuits: Your own circuits instead of a code and a noise model: a ``stim.Circuit`` or
            ``.stim`` path, a sequence of them or ``{distance: circuit}``; then only
            ``rounds`` (None: from the detectors; an int, or one per circuit), ``scales``,
            ``component_scales`` and ``decoders`` apply
            (:func:`qecsim.sampling.circuit_tasks.circuit_tasks`).

    Returns:
        The tasks, in grid order (code, basis, noise, p, gate set, component factors, d,
        rounds, decoder).

    Raises:
        QecsimError: An empty list anywhere, a value listed twice (distances, p, scales,
            code, basis, gate set), p out of its preset's range, an unknown code, preset,
            component, gate set or decoder, bad distances or rounds; all raised before any
            circuit is built.

    Warns:
        UserWarning: A ``NoiseModel`` with per-qubit or per-coupler overrides swept over
            several distances or codes: overrides are keyed by circuit qubit index, so they
            fit only the circuit (layout) they were made for.

    Examples:
        >>> import qecsim
        >>> tasks = sweep_tasks(distances=[5, 7], p=0.05, noise="code_capacity")
        >>> [(t.json_metadata["d"], t.json_metadata["rounds"]) for t in tasks]
        [(5, 1), (7, 1)]
        >>> calibrated = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.01)
        >>> task, = sweep_tasks(distances=3, noise=calibrated, scales=[0.5])
        >>> {k: task.json_metadata[k] for k in ("noise", "noise_label", "scale")}
        {'noise': 'custom', 'noise_label': 'two_qubit_gate=0.004, measurement=0.01', 'scale': 0.5}
        >>> "p" in task.json_metadata  # p only where it is a preset's parameter
        False
        >>> sweep_tasks(distances=[], p=1e-3)
        Traceback (most recent call last):
        ...
        qecsim.errors.QecsimError: distances=[] is empty: the sweep grid has no points
    """
    if circuits is not None:
        if gate_set is not None:
            raise QecsimError("gate_set does not apply to circuits=: they run as written")
        return _circuit_tasks.sweep_circuits(
            circuits, distances=distances, p=p, rounds=rounds, scales=scales,
            component_scales=component_scales, component_rates=component_rates,
            decoders=decoders)
    if distances is None:
        raise QecsimError("distances is required (or give circuits=)")
    codes = _check_unique("code", _as_list("code", code))
    for value in codes:
        if value not in CODES:
            raise QecsimError(f"code={value!r} is not in {list(CODES)}")
    bases = []
    for value in _as_list("basis", basis):
        if not isinstance(value, str) or value.upper() not in ("X", "Z"):
            raise QecsimError(f"basis={value!r} is not in ['X', 'Z']")
        bases.append(value.upper())
    _check_unique("basis", bases)
    distance_values = _check_unique(
        "distances", [_check_distance(value) for value in _as_list("distances", distances)]
    )
    if p is not None:
        _check_unique("p", _as_list("p", p))
    if scales is not None:
        _check_unique("scales", _as_list("scales", scales))
    round_options = (
        [rounds]
        if rounds is None or isinstance(rounds, (int, str)) or callable(rounds)
        else _as_list("rounds", rounds)
    )
    noise_points = []
    models = _as_list("noise", noise)
    for model in models:
        noise_points.extend(_noise_points(model, p, scales))
    _warn_about_layout_bound_overrides(models, distance_values, codes)
    gate_set_options = _gate_set_options(gate_set)
    scale_grid = _component_grid("component_scales", component_scales)
    rate_grid = _component_grid("component_rates", component_rates)
    for rates in rate_grid:
        for component, rate in rates.items():
            if rate > RATE_LIMITS[component]:
                raise QecsimError(
                    f"component_rates[{component!r}]={rate!r} is not in "
                    f"[0, {RATE_LIMITS[component]:g}]"
                )
    if decoders is None:
        decoder_names: list[str | None] = [None]
    else:
        from qecsim.decoding.registry import check_names

        decoder_names = list(check_names(decoders))
    if not isinstance(tag_qubits, bool):
        raise QecsimError(f"tag_qubits={tag_qubits!r} is not True or False")

    # Resolve every metadata dict first (cheap, validates rounds), then build circuits.
    grid: list[tuple[dict, str | None]] = []
    for code_name, basis_name, (
        noise_items,
        model_json,
    ), gate_set_name, factors, rates in itertools.product(
        codes, bases, noise_points, gate_set_options, scale_grid, rate_grid
    ):
        circuit_gate_set = gate_set_name or _native_gate_set(noise_items, model_json)
        noise_items = {**noise_items, "gate_set": circuit_gate_set}
        for distance in distance_values:
            seen_rounds = []
            for option in round_options:
                resolved = _resolve_rounds(option, distance, noise_items["noise"])
                if resolved in seen_rounds:
                    continue
                seen_rounds.append(resolved)
                metadata: dict[str, Any] = {
                    "code": code_name,
                    "basis": basis_name,
                    "d": distance,
                    "rounds": resolved,
                    **noise_items,
                }
                metadata.update({_SCALE_PREFIX + c: f for c, f in factors.items()})
                metadata.update({_RATE_PREFIX + c: r for c, r in rates.items()})
                if model_json is not None:
                    metadata["noise_model"] = model_json
                if tag_qubits:
                    metadata["tag_qubits"] = True
                for decoder in decoder_names:
                    grid.append((metadata, decoder))
    json.dumps([metadata for metadata, _ in grid])  # flat and JSON-serialisable by design
    built: dict[str, stim.Circuit] = {}
    tasks = []
    for metadata, decoder in grid:
        key = json.dumps(metadata, sort_keys=True)
        if key not in built:
            built[key] = circuit_from_metadata(metadata)
        tasks.append(
            sinter.Task(circuit=built[key], decoder=decoder, json_metadata=dict(metadata))
        )
    return tasks
