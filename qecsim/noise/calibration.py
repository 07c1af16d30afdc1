"""Device calibration files: a human-writable JSON description of a chip, read into a NoiseModel.

Format (``"format": "qecsim.calibration/1"``; keys starting with ``_`` are comments and are
ignored; every time in seconds, every ZZ strength in Hz)::

    {
      "format": "qecsim.calibration/1",
      "device": "my chip",                    # the model's name
      "gate_set": "cz",                       # the native two-qubit gate: "cz" or "cx"
      "error_convention": "average_infidelity",   # or "pauli"; applies to the gate errors
      "durations_s": {"single_qubit_gate": 25e-9, "two_qubit_gate": 40e-9,
                      "measurement": 500e-9, "reset": 200e-9},
      "qubits": {
        "Q0": {"coordinates": [1, 1],         # optional, in the code's frame
               "t1_s": 70e-6, "t2_s": 50e-6,
               "single_qubit_gate": 0.0006,   # per the error convention
               "readout_p0_given_1": 0.015,   # P(read 0 | prepared 1)
               "readout_p1_given_0": 0.006,   # P(read 1 | prepared 0)
               "reset": 0.003,                # probability the reset leaves |1>
               "measurement_idle": 0.0}       # optional: extra error waiting for readout
      },
      "couplers": {"Q0-Q1": {"two_qubit_gate": 0.005, "static_zz_hz": 4e3}},
      "crosstalk": {"spectator": 0.0, "parallel": 1e-4, "static_zz_hz": 2e3},
      "layout": {"0": "Q0", "1": "Q1"}        # optional: code qubit index -> device qubit
    }

Which value goes where in the :class:`~qecsim.noise.model.NoiseModel`:

- ``single_qubit_gate`` and ``two_qubit_gate`` are average gate infidelities r (randomized
  benchmarking) when ``error_convention`` is ``"average_infidelity"``, converted by
  :func:`~qecsim.noise.conventions.pauli_error_from_infidelity` (p = 3r/2 and 5r/4), or
  Pauli error probabilities when it is ``"pauli"``. Readout and reset are flip probabilities.
- Readout: stim has no asymmetric measurement channel, so the ``measurement`` rate is the
  mean (P(0|1) + P(1|0)) / 2 (the flip probability averaged over both prepared states).
- T1/T2 give the idle errors of every tick through the durations (``idle`` is 0);
  ``static_zz_hz`` of a coupler overrides the crosstalk section's global value.
- Global rates (used for qubits and couplers without their own) are the medians over the
  file's qubits and couplers; every code qubit gets its device qubit's values as overrides.

The layout (code qubit index -> device qubit) is taken from ``"layout"``; without it, from
the qubits' ``coordinates`` matched to the ``QUBIT_COORDS`` of the ``circuit`` passed to
:func:`load_calibration`; without either, device qubit names must be code qubit indices.
"""

from __future__ import annotations

import json
import math
import pathlib
import re
import statistics
import warnings
from collections.abc import Mapping
from typing import Any

import stim

from qecsim.errors import QecsimError
from qecsim.noise.components import GATE_SETS
from qecsim.noise.conventions import ERROR_CONVENTIONS, pauli_error_from_infidelity
from qecsim.noise.model import NoiseModel
from qecsim.noise.timing import Durations
from qecsim.validation import check_real

__all__ = ["CALIBRATION_FORMAT", "EXAMPLE_CALIBRATION", "calibration_from_dict", "load_calibration"]

CALIBRATION_FORMAT = "qecsim.calibration/1"

#: The example file shipped with the package: an invented but typical CZ-native transmon
#: chip of 17 qubits, laid out for the distance-3 rotated surface code.
EXAMPLE_CALIBRATION = (
    pathlib.Path(__file__).resolve().parent.parent
    / "data" / "calibrations" / "example_cz_transmon_17q.json"
)

_TOP = ("format", "device", "gate_set", "error_convention", "durations_s", "qubits",
        "couplers", "crosstalk", "layout")
_QUBIT = ("coordinates", "t1_s", "t2_s", "single_qubit_gate", "readout_p0_given_1",
          "readout_p1_given_0", "reset", "measurement_idle")
_COUPLER = ("two_qubit_gate", "static_zz_hz")
_CROSSTALK = ("spectator", "parallel", "static_zz_hz")
_DURATIONS = ("single_qubit_gate", "two_qubit_gate", "measurement", "reset")


class _Reader:
    """Reads values from the file, naming the file, the key and the allowed range on error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> QecsimError:
        separator = "" if message.startswith("=") else " "
        return QecsimError(f"{self.source}: {key}{separator}{message}")

    def section(self, data: Any, key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise self.fail(key, f"is {type(data).__name__}, not an object")
        data = {k: v for k, v in data.items() if not str(k).startswith("_")}
        unknown = sorted(set(data) - set(allowed))
        if unknown and allowed:
            raise self.fail(key, f"has unknown keys {unknown}; allowed: {', '.join(allowed)}")
        return data

    def number(self, key: str, value: Any, low: float, high: float, *, open_low=False) -> float:
        if isinstance(value, (str, bool)):  # JSON "0.1" or true: a typo, not a number
            raise self.fail(key, f"={value!r} is not a number (write it without quotes)")
        return check_real(f"{self.source}: {key}", value, low=low, high=high, open_low=open_low,
                          open_high=math.isinf(high))

    def choice(self, key: str, value: Any, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise self.fail(key, f"={value!r} is not one of {', '.join(allowed)}")
        return value


def load_calibration(
    path: str | pathlib.Path, *, circuit: stim.Circuit | None = None
) -> NoiseModel:
    """Read a device calibration file (JSON, see :mod:`qecsim.noise.calibration`).

    Args:
        path: The file.
        circuit: A noiseless circuit whose ``QUBIT_COORDS`` place the code qubits, used
            when the file has no ``"layout"`` but gives qubit coordinates.

    Returns:
        The noise model, named after the device, with the device's gate set, durations,
        per-qubit and per-coupler values.

    Raises:
        QecsimError: The file is missing or not JSON, or a value is missing or out of range
            (the message names the file, the key and the allowed range), before any work.

    Examples:
        >>> import qecsim
        >>> noise = qecsim.load_calibration(qecsim.EXAMPLE_CALIBRATION)
        >>> noise.gate_set, noise.name
        ('cz', 'example CZ transmon chip, 17 qubits')
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise QecsimError(f"calibration file {str(path)!r} does not exist")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise QecsimError(f"{path}: not valid JSON ({error})") from None
    return calibration_from_dict(data, source=str(path), circuit=circuit)


def calibration_from_dict(
    data: Mapping[str, Any], *, source: str = "calibration", circuit: stim.Circuit | None = None
) -> NoiseModel:
    """The noise model of a calibration already parsed into a dict (see :func:`load_calibration`).

    Args:
        data: The file's content.
        source: What error messages call it (the file name).
        circuit: Places code qubits by coordinates when there is no ``"layout"``.
    """
    read = _Reader(source)
    top = read.section(data, "the file", _TOP)
    for key in ("format", "gate_set", "error_convention", "durations_s", "qubits"):
        if key not in top:
            raise read.fail(key, "is missing")
    if top["format"] != CALIBRATION_FORMAT:
        raise read.fail("format", f"={top['format']!r} is not {CALIBRATION_FORMAT!r}")
    gate_set = read.choice("gate_set", top["gate_set"], GATE_SETS)
    convention = read.choice("error_convention", top["error_convention"], ERROR_CONVENTIONS)
    durations = _durations(read, top["durations_s"])
    qubits = {
        str(name): _qubit(read, f"qubits.{name}", values, convention)
        for name, values in read.section(top["qubits"], "qubits", ()).items()
    }
    couplers = {
        _coupler_name(read, name, qubits): _coupler(read, f"couplers.{name}", values, convention)
        for name, values in read.section(top.get("couplers", {}), "couplers", ()).items()
    }
    crosstalk = read.section(top.get("crosstalk", {}), "crosstalk", _CROSSTALK)
    crosstalk = {
        k: read.number(f"crosstalk.{k}", v, 0, math.inf if k == "static_zz_hz" else 1)
        for k, v in crosstalk.items()
    }
    mapping = _layout(read, top.get("layout"), qubits, circuit)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = _model(
            name=str(top.get("device", "calibration")), gate_set=gate_set, durations=durations,
            qubits=qubits, couplers=couplers, crosstalk=crosstalk, mapping=mapping,
        )
    for warning in caught:  # the model's unit checks, told in the file's own names
        warnings.warn(_in_file_terms(str(warning.message), source, mapping), warning.category,
                      stacklevel=3)
    return model


_CODE_QUBIT = re.compile(r"[(]qubit (\d+)")


def _in_file_terms(message: str, source: str, mapping: Mapping[int, str]) -> str:
    """A warning about the model, with the file named and code qubits as the file's keys.

    Examples:
        >>> _in_file_terms("T1=70 s (qubit 3) outside", "chip.json", {3: "Q03"})
        'chip.json: T1=70 s (qubits.Q03, code qubit 3) outside'
    """
    def key(match: re.Match) -> str:
        code = int(match[1])
        return f"(qubits.{mapping[code]}, code qubit {code}" if code in mapping else match[0]

    return f"{source}: {_CODE_QUBIT.sub(key, message)}"


def _durations(read: _Reader, data: Any) -> Durations:
    values = read.section(data, "durations_s", _DURATIONS)
    for key in _DURATIONS:
        if key not in values:
            raise read.fail(f"durations_s.{key}", "is missing")
    return Durations(**{k: read.number(f"durations_s.{k}", v, 0, math.inf)
                        for k, v in values.items()})


def _gate_error(read: _Reader, key: str, value: Any, convention: str, num_qubits: int) -> float:
    pauli_limit = 3 / 4 if num_qubits == 1 else 15 / 16
    if convention == "pauli":
        return read.number(key, value, 0, pauli_limit)
    d = 2**num_qubits
    r = read.number(f"{key} (average infidelity)", value, 0, pauli_limit * d / (d + 1))
    return pauli_error_from_infidelity(r, num_qubits=num_qubits)


def _qubit(read: _Reader, key: str, data: Any, convention: str) -> dict[str, Any]:
    values = read.section(data, key, _QUBIT)
    for needed in ("t1_s", "t2_s", "single_qubit_gate", "readout_p0_given_1",
                   "readout_p1_given_0", "reset"):
        if needed not in values:
            raise read.fail(f"{key}.{needed}", "is missing")
    t1 = read.number(f"{key}.t1_s", values["t1_s"], 0, math.inf, open_low=True)
    t2 = read.number(f"{key}.t2_s", values["t2_s"], 0, 2 * t1, open_low=True)
    qubit: dict[str, Any] = {
        "t1": t1,
        "t2": t2,
        "single_qubit_gate": _gate_error(
            read, f"{key}.single_qubit_gate", values["single_qubit_gate"], convention, 1
        ),
        "measurement": (
            read.number(f"{key}.readout_p0_given_1", values["readout_p0_given_1"], 0, 1)
            + read.number(f"{key}.readout_p1_given_0", values["readout_p1_given_0"], 0, 1)
        ) / 2,
        "reset": read.number(f"{key}.reset", values["reset"], 0, 1),
        "measurement_idle": read.number(
            f"{key}.measurement_idle", values.get("measurement_idle", 0.0), 0, 0.75
        ),
    }
    if "coordinates" in values:
        coords = values["coordinates"]
        if not (isinstance(coords, list) and all(isinstance(c, (int, float)) for c in coords)):
            raise read.fail(f"{key}.coordinates", f"={coords!r} is not a list of numbers")
        qubit["coordinates"] = tuple(float(c) for c in coords)
    return qubit


def _coupler_name(read: _Reader, name: str, qubits: Mapping[str, Any]) -> tuple[str, str]:
    parts = str(name).split("-")
    if len(parts) != 2 or parts[0] == parts[1] or any(p not in qubits for p in parts):
        raise read.fail(
            f"couplers.{name}", "is not 'A-B' with A and B two different qubits of 'qubits'"
        )
    return parts[0], parts[1]


def _coupler(read: _Reader, key: str, data: Any, convention: str) -> dict[str, float]:
    values = read.section(data, key, _COUPLER)
    if "two_qubit_gate" not in values:
        raise read.fail(f"{key}.two_qubit_gate", "is missing")
    coupler = {
        "two_qubit_gate": _gate_error(
            read, f"{key}.two_qubit_gate", values["two_qubit_gate"], convention, 2
        )
    }
    if "static_zz_hz" in values:
        coupler["static_zz_hz"] = read.number(
            f"{key}.static_zz_hz", values["static_zz_hz"], 0, math.inf
        )
    return coupler


def _layout(
    read: _Reader, layout: Any, qubits: Mapping[str, Any], circuit: stim.Circuit | None
) -> dict[int, str]:
    """code qubit index -> device qubit name."""
    if layout is not None:
        entries = read.section(layout, "layout", ())
        mapping = {}
        for code, device in entries.items():
            if not str(code).isdigit():
                raise read.fail(f"layout.{code}", "is not a code qubit index (0, 1, ...)")
            if device not in qubits:
                raise read.fail(f"layout.{code}", f"={device!r} is not a qubit of 'qubits'")
            mapping[int(code)] = device
        if len(set(mapping.values())) != len(mapping):
            raise read.fail("layout", "maps two code qubits to the same device qubit")
        return mapping
    if circuit is not None and all("coordinates" in q for q in qubits.values()):
        by_coordinates = {q["coordinates"]: name for name, q in qubits.items()}
        mapping = {}
        for code, coords in circuit.get_final_qubit_coordinates().items():
            key = tuple(float(c) for c in coords)
            if key not in by_coordinates:
                raise read.fail("qubits", f"have no qubit at the circuit's coordinates {coords}")
            mapping[code] = by_coordinates[key]
        return mapping
    if not all(name.isdigit() for name in qubits):
        raise read.fail(
            "layout", "is missing: give 'layout' (code qubit -> device qubit), or qubit "
            "coordinates and circuit=, or name the device qubits 0, 1, ..."
        )
    return {int(name): name for name in qubits}


def _model(
    *, name: str, gate_set: str, durations: Durations, qubits: Mapping[str, Any],
    couplers: Mapping[tuple[str, str], Any], crosstalk: Mapping[str, float],
    mapping: Mapping[int, str],
) -> NoiseModel:
    def median(values: list[float]) -> float:
        return float(statistics.median(values)) if values else 0.0

    per_qubit = list(qubits.values())
    rates = {c: median([q[c] for q in per_qubit])
             for c in ("single_qubit_gate", "measurement", "reset", "measurement_idle")}
    rates["two_qubit_gate"] = median([c["two_qubit_gate"] for c in couplers.values()])
    device_to_code = {device: code for code, device in mapping.items()}
    coupler_rates, coupler_zz = {}, {}
    for (a, b), values in couplers.items():
        if a in device_to_code and b in device_to_code:
            pair = (device_to_code[a], device_to_code[b])
            coupler_rates[pair] = {"two_qubit_gate": values["two_qubit_gate"]}
            if "static_zz_hz" in values:
                coupler_zz[pair] = values["static_zz_hz"]
    return NoiseModel(
        **rates,
        crosstalk=crosstalk.get("spectator", 0.0),
        parallel_crosstalk=crosstalk.get("parallel", 0.0),
        static_zz=crosstalk.get("static_zz_hz", 0.0),
        qubit_rates={
            code: {c: qubits[device][c] for c in rates if c != "two_qubit_gate"}
            for code, device in mapping.items()
        },
        coupler_rates=coupler_rates,
        coupler_static_zz=coupler_zz,
        gate_set=gate_set,
        durations=durations,
        t1=median([q["t1"] for q in per_qubit]),
        t2=min(median([q["t2"] for q in per_qubit]), 2 * median([q["t1"] for q in per_qubit])),
        qubit_coherence={
            code: (qubits[device]["t1"], qubits[device]["t2"]) for code, device in mapping.items()
        },
        name=name,
    )
