"""Checking and normalising the fields of a :class:`~qecsim.noise.model.NoiseModel`.

:func:`checked_fields` is what ``NoiseModel.__post_init__`` runs: every rate in its channel's
range, overrides keyed by qubit index or ordered coupler, times in seconds and plausible
(:func:`~qecsim.noise.timing.unit_warnings`), a known gate set.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import stim

from qecsim.errors import QecsimError
from qecsim.noise.cat import CatQubit
from qecsim.noise.components import (
    BIASABLE,
    COMPONENTS,
    GATE_SETS,
    ONE_QUBIT_COMPONENTS,
    PAULI_PARTS,
    RATE_LIMITS,
    TWO_QUBIT_COMPONENTS,
    check_component,
)
from qecsim.noise.timing import Durations, unit_warnings
from qecsim.validation import check_probability, check_real, check_time

if TYPE_CHECKING:
    from qecsim.noise.model import NoiseModel

__all__ = ["SCALE_KEYS", "checked_fields", "coordinate_index", "pair", "qubit_index"]

#: Channels computed from physical parameters (T1/T2, ZZ in Hz) rather than given as rates;
#: ``NoiseModel.scaled`` scales their probabilities through ``NoiseModel.scales``.
SCALE_KEYS: tuple[str, ...] = ("idle", "crosstalk.static_zz")


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


def qubit_index(key: Any, coordinates: Mapping[tuple[float, ...], int] | None) -> int:
    """A qubit index from an index, a digit string, or a coordinate tuple (with coordinates)."""
    if isinstance(key, bool):
        raise QecsimError(f"qubit {key!r} is not a qubit index or coordinate tuple")
    if isinstance(key, int):
        if key < 0:
            raise QecsimError(f"qubit={key} is not a qubit index >= 0")
        return key
    if isinstance(key, str) and key.isdigit():
        return int(key)
    if isinstance(key, tuple) and coordinates is not None:
        coords = tuple(float(c) for c in key)
        if coords not in coordinates:
            raise QecsimError(f"no qubit at coordinates {key!r}; known: {sorted(coordinates)}")
        return coordinates[coords]
    if isinstance(key, tuple):
        raise QecsimError(f"qubit {key!r} is a coordinate: pass circuit= to resolve coordinates")
    raise QecsimError(f"qubit {key!r} is not a qubit index or coordinate tuple")


def coordinate_index(circuit: stim.Circuit | None) -> dict[tuple[float, ...], int] | None:
    """Coordinates -> qubit index of a circuit's ``QUBIT_COORDS`` (None without a circuit)."""
    if circuit is None:
        return None
    return {
        tuple(float(c) for c in coords): q
        for q, coords in circuit.get_final_qubit_coordinates().items()
    }


def coupler_key(key: Any, coordinates: Mapping[tuple[float, ...], int] | None = None) -> tuple:
    """An ordered (a, b) pair from a pair of qubits or an ``"a-b"`` string."""
    if isinstance(key, str):
        key = tuple(key.split("-"))
    if not (isinstance(key, tuple) and len(key) == 2):
        raise QecsimError(f"coupler {key!r} is not a pair of qubit indices")
    a, b = (qubit_index(q, coordinates) for q in key)
    if a == b:
        raise QecsimError(f"coupler {key!r} joins a qubit to itself")
    return pair(a, b)


def _frozen_rates(name: str, rates: Mapping[str, Any], allowed: Iterable[str]) -> dict:
    allowed = tuple(allowed)
    result = {}
    for component, rate in dict(rates).items():
        check_component(component)
        if component not in allowed:
            raise QecsimError(
                f"{name} cannot override {component!r}; allowed here: {', '.join(allowed)}"
            )
        result[component] = check_probability(
            f"{name}[{component!r}]", rate, RATE_LIMITS[component]
        )
    return result


def _biases(name: str, biases: Mapping[str, Any], per_qubit: bool = False) -> dict[str, float]:
    allowed = tuple(c for c in BIASABLE if not (per_qubit and c in TWO_QUBIT_COMPONENTS))
    checked = {}
    for component, eta in dict(biases).items():
        check_component(component)
        if component not in allowed:
            raise QecsimError(
                f"{name} cannot apply to {component!r}; allowed: {', '.join(allowed)}"
            )
        checked[component] = check_real(
            f"{name}[{component!r}]", eta, low=0, high=math.inf, what="Z bias (p_z / (p_x + p_y))"
        )
    return checked


def _coherence_pair(name: str, value: Any) -> tuple[float, float]:
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise QecsimError(f"{name}={value!r} is not a pair (T1, T2) in seconds")
    t1 = check_time(f"{name} T1 (s)", value[0])
    t2 = check_time(f"{name} T2 (s)", value[1])
    if t2 > 2 * t1 and math.isinf(t2):
        raise QecsimError(
            f"{name} T1={t1!r} s is given without T2: give t2 too, in (0, 2*T1={2 * t1!r}] "
            f"s (t2={2 * t1!r} if the qubit dephases only through T1)"
        )
    if t2 > 2 * t1:
        raise QecsimError(f"{name} T2={t2!r} is not in (0, 2*T1={2 * t1!r}] (T2 <= 2 T1)")
    return t1, t2


def checked_fields(noise: NoiseModel) -> dict[str, Any]:
    """The normalised value of every field of ``noise``, or a QecsimError naming a bad one.

    Also warns (UserWarning) about times that look like unit mistakes.
    """
    fields: dict[str, Any] = {
        c: check_probability(c, getattr(noise, c), RATE_LIMITS[c]) for c in COMPONENTS
    }
    fields["parallel_crosstalk"] = check_probability(
        "parallel_crosstalk", noise.parallel_crosstalk, 1.0
    )
    fields["static_zz"] = check_real(
        "static_zz (Hz)", noise.static_zz, low=0, high=math.inf, open_high=True
    )
    fields["z_bias"] = _biases("z_bias", noise.z_bias)
    fields["qubit_rates"] = {
        qubit_index(q, None): _frozen_rates(f"qubit_rates[{q!r}]", r, ONE_QUBIT_COMPONENTS)
        for q, r in dict(noise.qubit_rates).items()
    }
    fields["coupler_rates"] = {
        coupler_key(k): _frozen_rates(f"coupler_rates[{k!r}]", r, TWO_QUBIT_COMPONENTS)
        for k, r in dict(noise.coupler_rates).items()
    }
    fields["qubit_z_bias"] = {
        qubit_index(q, None): _biases(f"qubit_z_bias[{q!r}]", b, per_qubit=True)
        for q, b in dict(noise.qubit_z_bias).items()
    }
    fields["coupler_static_zz"] = {
        coupler_key(k): check_real(
            f"coupler_static_zz[{k!r}] (Hz)", v, low=0, high=math.inf, open_high=True
        )
        for k, v in dict(noise.coupler_static_zz).items()
    }
    if noise.gate_set not in GATE_SETS:
        raise QecsimError(f"gate_set={noise.gate_set!r} is not one of {', '.join(GATE_SETS)}")
    durations = noise.durations
    if isinstance(durations, Mapping):
        durations = Durations(**durations)
    if durations is not None and not isinstance(durations, Durations):
        raise QecsimError(f"durations={durations!r} is not a qecsim.Durations or None")
    fields["durations"] = durations
    t1, t2 = _coherence_pair("device coherence", (noise.t1, noise.t2))
    fields["t1"], fields["t2"] = t1, t2
    fields["qubit_coherence"] = {
        qubit_index(q, None): _coherence_pair(f"qubit_coherence[{q!r}]", v)
        for q, v in dict(noise.qubit_coherence).items()
    }
    fields["scales"] = _scales(noise.scales)
    fields["channel_parts"] = _channel_parts(noise.channel_parts, fields)
    fields["cat"] = _cat_qubit(noise.cat)
    _check_durations_given(fields)
    if noise.p is not None:
        fields["p"] = check_probability("p", noise.p)
    if not isinstance(noise.name, str) or not noise.name:
        raise QecsimError(f"name={noise.name!r} is not a non-empty string")
    _warn_about_units(fields)
    return fields


def _channel_parts(parts: Mapping[str, Any], fields: Mapping[str, Any]) -> dict:
    """component -> part -> Pauli probabilities (3 for one qubit, 15 for two), checked."""
    checked: dict[str, dict[str, tuple[float, ...]]] = {}
    for component, by_part in dict(parts).items():
        check_component(component)
        if component == "crosstalk":
            raise QecsimError("channel_parts cannot split 'crosstalk' (it has kinds, not parts)")
        if fields[component] != 0 or component in fields["z_bias"] or any(
            component in r for r in (*fields["qubit_rates"].values(),
                                     *fields["coupler_rates"].values(),
                                     *fields["qubit_z_bias"].values())
        ):
            raise QecsimError(
                f"channel_parts[{component!r}] replaces the {component} channel: its rate must "
                "be 0, with no bias and no per-qubit or per-coupler override"
            )
        size = 15 if component == "two_qubit_gate" else 3
        checked[component] = {}
        for part, probabilities in dict(by_part).items():
            where = f"channel_parts[{component!r}][{part!r}]"
            if part not in PAULI_PARTS:
                raise QecsimError(f"{where}: part {part!r} is not one of {', '.join(PAULI_PARTS)}")
            values = tuple(check_probability(where, v) for v in probabilities)
            if len(values) != size:
                raise QecsimError(f"{where} has {len(values)} probabilities; {component} "
                                  f"takes {size} (stim's PAULI_CHANNEL_{1 if size == 3 else 2})")
            if sum(values) > 1:
                raise QecsimError(f"{where} adds up to {sum(values):.4g} > 1")
            checked[component][part] = values
        total = sum(sum(v) for v in checked[component].values())
        if total > 1:
            raise QecsimError(f"channel_parts[{component!r}] adds up to {total:.4g} > 1")
    return checked


def _cat_qubit(cat: Any) -> CatQubit | None:
    if isinstance(cat, Mapping):
        cat = CatQubit.from_metadata(dict(cat))
    if cat is not None and not isinstance(cat, CatQubit):
        raise QecsimError(f"cat={cat!r} is not a qecsim.noise.cat.CatQubit or None")
    return cat


def _scales(scales: Mapping[str, Any]) -> dict[str, float]:
    checked = {}
    for key, value in dict(scales).items():
        if key not in SCALE_KEYS:
            raise QecsimError(f"scales key {key!r} is not one of {', '.join(SCALE_KEYS)}")
        value = check_real(f"scales[{key!r}]", value, low=0, high=math.inf, open_high=True)
        if value != 1:
            checked[key] = value
    return checked


def _check_durations_given(fields: Mapping[str, Any]) -> None:
    needs = []
    if math.isfinite(fields["t1"]) or math.isfinite(fields["t2"]) or fields["qubit_coherence"]:
        needs.append("T1/T2")
    if fields["static_zz"] > 0 or any(fields["coupler_static_zz"].values()):
        needs.append("static ZZ")
    if needs and fields["durations"] is None:
        raise QecsimError(
            f"{' and '.join(needs)} need the operation durations to turn into errors: give "
            "durations=qecsim.Durations(single_qubit_gate=..., two_qubit_gate=..., "
            "measurement=..., reset=...) in seconds"
        )


def _warn_about_units(fields: Mapping[str, Any]) -> None:
    coherence = []
    if math.isfinite(fields["t1"]) or math.isfinite(fields["t2"]):
        coherence.append(("device", fields["t1"], fields["t2"]))
    coherence += [(f"qubit {q}", t1, t2) for q, (t1, t2) in fields["qubit_coherence"].items()]
    for message in unit_warnings(fields["durations"], coherence):
        warnings.warn(message, UserWarning, stacklevel=5)
