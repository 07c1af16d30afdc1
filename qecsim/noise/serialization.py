"""A :class:`~qecsim.noise.model.NoiseModel` as a JSON-ready dict, and back.

The dict has the keys of :data:`DICT_KEYS`; component rates go under ``"rates"``. A flat
dict of component rates (``{"two_qubit_gate": 0.003, "measurement": 0.008}``, what a person
writes by hand) is read as ``{"rates": {...}}``. Keys that only newer models use (gate set
other than ``"cx"``, durations, coherence, the kinds of crosstalk, channel parts, cat-qubit
parameters) are written only when set,
so a model that does not use them has the same JSON (and the same store hash) as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from qecsim.errors import QecsimError
from qecsim.noise.components import COMPONENTS, check_component
from qecsim.noise.presets import PRESET_DEFINITIONS
from qecsim.noise.timing import Durations

if TYPE_CHECKING:
    from qecsim.noise.model import NoiseModel

__all__ = ["DICT_KEYS", "model_kwargs", "to_dict"]

#: The keys of a noise model dict (all optional).
DICT_KEYS: tuple[str, ...] = (
    "name",
    "p",
    "gate_set",
    "rates",
    "z_bias",
    "qubit_rates",
    "coupler_rates",
    "qubit_z_bias",
    "crosstalk_kinds",
    "durations_s",
    "coherence_s",
    "scales",
    "channel_parts",
    "cat",
)


def to_dict(noise: NoiseModel) -> dict[str, Any]:
    """The JSON-ready dict of ``noise`` (string keys; couplers as ``"a-b"``)."""
    data: dict[str, Any] = {"name": noise.name, "p": noise.p}
    if noise.gate_set != "cx":
        data["gate_set"] = noise.gate_set
    data.update(
        {
            "rates": noise.rates(),
            "z_bias": dict(noise.z_bias),
            "qubit_rates": {str(q): dict(r) for q, r in sorted(noise.qubit_rates.items())},
            "coupler_rates": {
                f"{a}-{b}": dict(r) for (a, b), r in sorted(noise.coupler_rates.items())
            },
            "qubit_z_bias": {str(q): dict(b) for q, b in sorted(noise.qubit_z_bias.items())},
        }
    )
    crosstalk: dict[str, Any] = {}
    if noise.parallel_crosstalk:
        crosstalk["parallel"] = noise.parallel_crosstalk
    if noise.static_zz:
        crosstalk["static_zz_hz"] = noise.static_zz
    if noise.coupler_static_zz:
        crosstalk["coupler_static_zz_hz"] = {
            f"{a}-{b}": v for (a, b), v in sorted(noise.coupler_static_zz.items())
        }
    if crosstalk:
        data["crosstalk_kinds"] = crosstalk
    if noise.durations is not None:
        data["durations_s"] = noise.durations.to_dict()
    coherence: dict[str, Any] = {}
    if math.isfinite(noise.t1) or math.isfinite(noise.t2):
        coherence["device"] = [_time(noise.t1), _time(noise.t2)]
    if noise.qubit_coherence:
        coherence["qubits"] = {
            str(q): [_time(t1), _time(t2)] for q, (t1, t2) in sorted(noise.qubit_coherence.items())
        }
    if coherence:
        data["coherence_s"] = coherence
    if noise.scales:
        data["scales"] = dict(noise.scales)
    if noise.channel_parts:
        data["channel_parts"] = {
            c: {part: list(v) for part, v in parts.items()}
            for c, parts in noise.channel_parts.items()
        }
    if noise.cat is not None:
        data["cat"] = noise.cat.metadata()
    return data


def _time(t: float) -> float | None:
    return t if math.isfinite(t) else None  # JSON has no infinity; None means "no decay"


def _read_time(t: Any) -> Any:
    return math.inf if t is None else t


def model_kwargs(data: Mapping[str, Any]) -> dict[str, Any]:
    """NoiseModel constructor arguments from a dict of :func:`to_dict`'s form (or flat rates).

    Raises:
        QecsimError: ``data`` is not a mapping, has unknown keys (the message lists the
            valid ones and the two accepted forms of rates), or gives rates both flat and
            under ``"rates"``.
    """
    if not isinstance(data, Mapping):
        raise QecsimError(f"a noise model dict is a mapping, not {type(data).__name__}")
    flat = {k: v for k, v in data.items() if k in COMPONENTS}
    if flat and "rates" in data:
        raise QecsimError(
            f"component rates {sorted(flat)} are given at the top level and under 'rates': "
            "give them in one place ({'rates': {'measurement': 0.008}} or "
            "{'measurement': 0.008})"
        )
    unknown = set(data) - set(DICT_KEYS) - set(flat)
    if unknown:
        raise QecsimError(
            f"unknown noise model keys {sorted(unknown)}; a noise model dict has component "
            f"rates ({', '.join(COMPONENTS)}) either at the top level or under 'rates', and "
            f"optionally the keys {', '.join(k for k in DICT_KEYS if k != 'rates')}"
        )
    rates = dict(flat) if flat else dict(data.get("rates", {}))
    for component in rates:
        check_component(component)
    name = data.get("name", "custom")
    preset = PRESET_DEFINITIONS.get(name)
    kwargs: dict[str, Any] = dict(
        rates,
        z_bias=dict(data.get("z_bias", {})),
        qubit_rates={int(q): r for q, r in data.get("qubit_rates", {}).items()},
        coupler_rates=dict(data.get("coupler_rates", {})),
        qubit_z_bias={int(q): b for q, b in data.get("qubit_z_bias", {}).items()},
        gate_set=data.get("gate_set", preset.gate_set if preset else "cx"),
        name=name,
        p=data.get("p"),
        scales=dict(data.get("scales", {})),
        channel_parts={
            c: {part: tuple(v) for part, v in dict(parts).items()}
            for c, parts in dict(data.get("channel_parts", {})).items()
        },
        cat=data.get("cat"),
    )
    crosstalk = dict(data.get("crosstalk_kinds", {}))
    unknown = set(crosstalk) - {"parallel", "static_zz_hz", "coupler_static_zz_hz"}
    if unknown:
        raise QecsimError(
            f"unknown crosstalk_kinds keys {sorted(unknown)}; valid: parallel, static_zz_hz, "
            "coupler_static_zz_hz"
        )
    kwargs["parallel_crosstalk"] = crosstalk.get("parallel", 0.0)
    kwargs["static_zz"] = crosstalk.get("static_zz_hz", 0.0)
    kwargs["coupler_static_zz"] = dict(crosstalk.get("coupler_static_zz_hz", {}))
    if "durations_s" in data:
        durations = dict(data["durations_s"])
        expected = {"single_qubit_gate", "two_qubit_gate", "measurement", "reset"}
        if set(durations) != expected:
            raise QecsimError(
                f"durations_s has keys {sorted(durations)}; expected {sorted(expected)} (s)"
            )
        kwargs["durations"] = Durations(**durations)
    coherence = dict(data.get("coherence_s", {}))
    unknown = set(coherence) - {"device", "qubits"}
    if unknown:
        raise QecsimError(
            f"unknown coherence_s keys {sorted(unknown)}; expected \"device\": [T1, T2] and/or "
            "\"qubits\": {qubit: [T1, T2]}, times in seconds"
        )
    if "device" in coherence:
        kwargs["t1"], kwargs["t2"] = (_read_time(t) for t in coherence["device"])
    kwargs["qubit_coherence"] = {
        int(q): tuple(_read_time(t) for t in v) for q, v in coherence.get("qubits", {}).items()
    }
    return kwargs
