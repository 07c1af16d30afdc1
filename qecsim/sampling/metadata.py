"""Task metadata: what a sweep task records, and the noise model and circuit rebuilt from it.

Every task's ``json_metadata`` (written by :func:`qecsim.sampling.tasks.sweep_tasks`) is a
flat dict of JSON values that holds everything needed to rebuild its circuit
(:func:`circuit_from_metadata`), with these keys, in this order:

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
    >>> metadata = {"code": "rotated_surface_code", "basis": "Z", "d": 3, "rounds": 3,
    ...             "noise": "si1000", "p": 0.001, "gate_set": "cz"}
    >>> circuit_from_metadata(metadata) == qecsim.memory_circuit(
    ...     distance=3, noise=qecsim.NoiseModel.si1000(1e-3))
    True
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Mapping
from typing import Any

import stim

from qecsim.circuits.memory import memory_circuit
from qecsim.errors import QecsimError, describe
from qecsim.noise.cat import CatQubit
from qecsim.noise.components import GATE_SETS, check_component
from qecsim.noise.model import PRESETS, RATE_LIMITS, NoiseModel
from qecsim.sampling import circuit_tasks as _circuit_tasks

__all__ = [
    "METADATA_KEYS",
    "circuit_from_metadata",
    "gate_set_from_metadata",
    "noise_from_metadata",
    "reference_rate",
]

#: Keys :func:`circuit_from_metadata` needs (every task also has ``gate_set``, see above).
METADATA_KEYS: tuple[str, ...] = ("code", "basis", "d", "rounds", "noise", "p")

SCALE_PREFIX = "scale_"
RATE_PREFIX = "rate_"
OPTIONAL_KEYS = ("noise_label", "scale", "gate_set", "noise_model", "tag_qubits")
_GATE_SET_OF_OLD_STORES = "cx"  # what tasks without ``gate_set`` ran


def check_p(value: Any, limit: float, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise QecsimError(
            f"p={describe(value)} is not a number in (0, {limit:g}] ({what})"
        ) from None
    if isinstance(value, bool) or not 0 < number <= limit:  # also rejects NaN
        raise QecsimError(f"p={describe(value)} is not in (0, {limit:g}] ({what})")
    return number


def preset_limit(name: str) -> float:
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


# ---------------------------------------------------------------------------------------------
# Noise from metadata


def _apply_modifiers(noise: NoiseModel, metadata: Mapping[str, Any]) -> NoiseModel:
    scales = {
        key[len(SCALE_PREFIX) :]: value
        for key, value in metadata.items()
        if key.startswith(SCALE_PREFIX)
    }
    rates = {
        key[len(RATE_PREFIX) :]: value
        for key, value in metadata.items()
        if key.startswith(RATE_PREFIX)
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
    p = check_p(metadata["p"], math.inf, "custom noise")
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
