"""Sweep grids: (code, basis, distance, rounds, noise, p, scale factors) -> ``sinter.Task`` s.

:func:`sweep_tasks` expands the product of every listed value into tasks whose
``json_metadata`` rebuilds their circuits; what each key means, and how the noise model
and circuit are rebuilt from it, is in :mod:`qecsim.sampling.metadata`
(:func:`circuit_from_metadata`).
Custom noise models are swept by scaling (``scale``; ``p`` maps to a scale through the model's
reference rate), cat-qubit models by their physical parameters, your own circuits through
:mod:`qecsim.sampling.circuit_tasks`.

Examples:
    >>> import qecsim
    >>> tasks = qecsim.sweep_tasks(distances=[3, 5], p=[1e-3, 2e-3], noise="si1000")
    >>> len(tasks), tasks[0].json_metadata
    (4, {'code': 'rotated_surface_code', 'basis': 'Z', 'd': 3, 'rounds': 3, 'noise': 'si1000', 'p': 0.001, 'gate_set': 'cz'})
    >>> qecsim.circuit_from_metadata(tasks[0].json_metadata) == tasks[0].circuit
    True
"""  # noqa: E501

from __future__ import annotations

import itertools
import json
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sinter
import stim

from qecsim.circuits.memory import (
    CODES,
    MAX_DISTANCE,
    MAX_ROUNDS,
    default_gate_set,
    default_rounds,
)
from qecsim.errors import QecsimError, describe
from qecsim.noise.cat import CatQubit
from qecsim.noise.components import GATE_SETS, check_component
from qecsim.noise.model import PRESETS, RATE_LIMITS, NoiseModel
from qecsim.sampling import circuit_tasks as _circuit_tasks
from qecsim.sampling.labels import noise_label
from qecsim.sampling.metadata import (
    METADATA_KEYS,
    RATE_PREFIX,
    SCALE_PREFIX,
    check_p,
    circuit_from_metadata,
    gate_set_from_metadata,
    noise_from_metadata,
    preset_limit,
    reference_rate,
)
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
        limit = preset_limit(noise)
        return [({"noise": noise, "p": check_p(v, limit, noise)}, None) for v in _as_list("p", p)]
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
        checked = [check_p(v, 1.0, "custom noise") for v in _as_list("p", p)]
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


def _point_model(items: Mapping[str, Any], model_json: str | None) -> NoiseModel:
    """The model of a noise point: the custom model, the cat qubit, or the preset."""
    if model_json:
        return NoiseModel.from_json(model_json)
    if items["noise"] == "cat_qubit":
        return NoiseModel.from_cat(CatQubit.from_metadata(items))
    return NoiseModel.from_preset(items["noise"], items["p"])


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
        circuit_gate_set = gate_set_name or default_gate_set(
            code_name, _point_model(noise_items, model_json))
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
                metadata.update({SCALE_PREFIX + c: f for c, f in factors.items()})
                metadata.update({RATE_PREFIX + c: r for c, r in rates.items()})
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
