"""Reading a qiskit backend's calibration: :class:`DeviceCalibration` and the fake backends.

:func:`device_calibration` reads a ``BackendV2``'s ``Target``, ``qubit_properties`` and, for IBM
snapshots, ``properties()`` (for P(0|1) and P(1|0)) into per-qubit and per-coupler numbers in SI
units, as reported (gate errors are average gate infidelities). :func:`backend_from_name`
finds a fake backend (a real calibration snapshot) of qiskit-ibm-runtime by name. Turning the
numbers into a NoiseModel is :mod:`qecsim.interop.qiskit.backend_noise`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qecsim.errors import QecsimError, describe, require
from qecsim.interop.qiskit._common import pair

__all__ = ["GATE_SET_OF_NATIVE_GATE", "DeviceCalibration", "backend_from_name",
           "device_calibration"]

#: native two-qubit gates, in order of preference, and single-qubit gates.
_TWO_QUBIT_GATES = ("cz", "ecr", "cx")
_SINGLE_QUBIT_GATES = ("sx", "x")

#: The qecsim gate set (:data:`qecsim.GATE_SETS`) of each native two-qubit gate. ECR is CX up
#: to single-qubit gates on both qubits (which the hardware merges into the neighbouring
#: single-qubit layers), so ECR devices run the CX schedule.
GATE_SET_OF_NATIVE_GATE = {"cz": "cz", "ecr": "cx", "cx": "cx"}


@dataclass(frozen=True)
class DeviceCalibration:
    """The calibration numbers of a device, per device qubit and coupler, in SI units.

    Error values are as the backend reports them (gate errors are average gate infidelities);
    a qubit or coupler without a value is absent from that dict. Couplers are sorted pairs; where
    the backend calibrates both directions, the error and duration are their means.

    Attributes:
        backend_name: The backend's name.
        num_qubits: Number of device qubits.
        two_qubit_gate_name: The native two-qubit gate read (``cz``, ``ecr`` or ``cx``).
        single_qubit_gate_name: The single-qubit gate read (``sx`` or ``x``).
        single_qubit_gate_error: qubit -> error of the single-qubit gate.
        two_qubit_gate_error: coupler -> error of the native two-qubit gate.
        two_qubit_gate_duration: coupler -> duration of the native two-qubit gate (s).
        readout_error: qubit -> mean of P(0|1) and P(1|0), or the Target's measure error.
        measurement_duration: qubit -> measurement duration (s).
        reset_error: qubit -> reset error, where reported.
        reset_duration: qubit -> reset duration (s), where reported.
        t1: qubit -> T1 (s).
        t2: qubit -> T2 (s), as reported (may exceed 2 T1).
        single_qubit_gate_duration: qubit -> duration of the single-qubit gate (s).
    """

    backend_name: str
    num_qubits: int
    two_qubit_gate_name: str
    single_qubit_gate_name: str
    single_qubit_gate_error: Mapping[int, float] = field(default_factory=dict)
    two_qubit_gate_error: Mapping[tuple[int, int], float] = field(default_factory=dict)
    two_qubit_gate_duration: Mapping[tuple[int, int], float] = field(default_factory=dict)
    readout_error: Mapping[int, float] = field(default_factory=dict)
    measurement_duration: Mapping[int, float] = field(default_factory=dict)
    reset_error: Mapping[int, float] = field(default_factory=dict)
    reset_duration: Mapping[int, float] = field(default_factory=dict)
    t1: Mapping[int, float] = field(default_factory=dict)
    t2: Mapping[int, float] = field(default_factory=dict)
    single_qubit_gate_duration: Mapping[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.two_qubit_gate_name not in GATE_SET_OF_NATIVE_GATE:
            raise QecsimError(
                f"{self.backend_name}: two_qubit_gate_name={self.two_qubit_gate_name!r} is not "
                f"one of {', '.join(GATE_SET_OF_NATIVE_GATE)}"
            )
        if self.num_qubits < 1:
            raise QecsimError(f"num_qubits={self.num_qubits} is not >= 1")
        for attribute in (
            "single_qubit_gate_error",
            "two_qubit_gate_error",
            "readout_error",
            "reset_error",
        ):
            for key, value in getattr(self, attribute).items():
                self._check_key(attribute, key)
                if not (isinstance(value, (int, float)) and 0 <= value <= 1):
                    raise QecsimError(
                        f"{self.backend_name}: {attribute}[{key!r}]={value!r} is not in [0, 1]"
                    )
        for attribute in (
            "two_qubit_gate_duration",
            "measurement_duration",
            "reset_duration",
            "t1",
            "t2",
            "single_qubit_gate_duration",
        ):
            for key, value in getattr(self, attribute).items():
                self._check_key(attribute, key)
                if not (isinstance(value, (int, float)) and 0 < value < math.inf):
                    raise QecsimError(
                        f"{self.backend_name}: {attribute}[{key!r}]={value!r} is not in (0, inf)"
                    )
        if not self.two_qubit_gate_error:
            raise QecsimError(
                f"{self.backend_name}: no {self.two_qubit_gate_name} gate error on any coupler"
            )
        if not self.single_qubit_gate_error:
            raise QecsimError(
                f"{self.backend_name}: no {self.single_qubit_gate_name} gate error on any qubit"
            )
        if not self.readout_error:
            raise QecsimError(f"{self.backend_name}: no readout error on any qubit")

    def _check_key(self, attribute: str, key: Any) -> None:
        qubits = key if isinstance(key, tuple) else (key,)
        if not all(isinstance(q, int) and 0 <= q < self.num_qubits for q in qubits):
            raise QecsimError(
                f"{self.backend_name}: {attribute} key {key!r} is not a device qubit "
                f"in [0, {self.num_qubits - 1}]"
            )

    @property
    def gate_set(self) -> str:
        """The gate set of the device's circuits: ``"cz"`` for CZ devices, else ``"cx"``.

        ECR (IBM Eagle) is CX up to single-qubit gates, so ECR devices run the CX schedule
        (:data:`GATE_SET_OF_NATIVE_GATE`).

        Examples:
            >>> from qiskit.providers.fake_provider import GenericBackendV2
            >>> from qecsim.interop.qiskit import device_calibration
            >>> device_calibration(GenericBackendV2(3, basis_gates=["cz", "sx", "x"])).gate_set
            'cz'
        """
        return GATE_SET_OF_NATIVE_GATE[self.two_qubit_gate_name]

    @property
    def couplers(self) -> tuple[tuple[int, int], ...]:
        """The device's couplers with a calibrated two-qubit gate (sorted pairs).

        Examples:
            >>> from qiskit.providers.fake_provider import GenericBackendV2
            >>> from qecsim.interop.qiskit import device_calibration
            >>> calibration = device_calibration(GenericBackendV2(3, coupling_map=[[0, 1], [1, 2]]))
            >>> calibration.couplers
            ((0, 1), (1, 2))
        """
        return tuple(sorted(self.two_qubit_gate_error))


def _number(value: Any) -> float | None:
    """A calibration value as float; None where missing. NaN stays NaN (and fails checks)."""
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _per_qubit(target: Any, operation: str, attribute: str) -> dict[int, float]:
    """qubit -> ``attribute`` of ``operation`` in the Target, where reported."""
    values: dict[int, float] = {}
    if operation not in set(target.operation_names):
        return values
    for qargs, props in target[operation].items():
        value = None if props is None or qargs is None else _number(getattr(props, attribute))
        if value is not None:
            values[qargs[0]] = value
    return values


def _two_qubit_gates(
    target: Any, gate: str, name: str
) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], float]]:
    """coupler -> error and coupler -> duration of ``gate``, both directions averaged."""
    directed_error: dict[tuple[int, int], list[float]] = {}
    directed_duration: dict[tuple[int, int], list[float]] = {}
    for qargs, props in target[gate].items():
        if props is None or qargs is None:
            continue
        error, duration = _number(props.error), _number(props.duration)
        if error is not None:
            if not 0 <= error <= 1:  # checked per direction, before directions are averaged
                raise QecsimError(
                    f"{name}: two_qubit_gate_error[{tuple(qargs)!r}]={error!r} ({gate}) "
                    "is not in [0, 1]"
                )
            directed_error.setdefault(pair(*qargs), []).append(error)
        if duration is not None:
            if not 0 < duration < math.inf:
                raise QecsimError(
                    f"{name}: two_qubit_gate_duration[{tuple(qargs)!r}]={duration!r} "
                    f"({gate}) is not in (0, inf)"
                )
            directed_duration.setdefault(pair(*qargs), []).append(duration)
    return (
        {k: float(np.mean(v)) for k, v in directed_error.items()},
        {k: float(np.mean(v)) for k, v in directed_duration.items()},
    )


def _flip_probabilities(backend: Any, name: str) -> dict[int, float]:
    """qubit -> mean of P(0|1) and P(1|0), where ``backend.properties()`` reports both."""
    properties = None
    if callable(getattr(backend, "properties", None)):
        try:
            properties = backend.properties()
        except Exception:  # a backend without BackendProperties
            properties = None
    readout: dict[int, float] = {}
    if properties is None:
        return readout
    for q in range(backend.num_qubits):
        try:
            reported = properties.qubit_property(q)
        except Exception:  # no properties for this qubit
            continue
        if "prob_meas0_prep1" in reported and "prob_meas1_prep0" in reported:
            p01 = _number(reported["prob_meas0_prep1"][0])
            p10 = _number(reported["prob_meas1_prep0"][0])
            if p01 is not None and p10 is not None:
                for label, value in (("prob_meas0_prep1", p01), ("prob_meas1_prep0", p10)):
                    if not 0 <= value <= 1:
                        raise QecsimError(
                            f"{name}: {label} of qubit {q} = {value!r} is not in [0, 1]"
                        )
                readout[q] = (p01 + p10) / 2
    return readout


def _coherence_times(backend: Any) -> tuple[dict[int, float], dict[int, float]]:
    """qubit -> T1 and qubit -> T2 (s), where ``backend.qubit_properties`` reports them."""
    t1: dict[int, float] = {}
    t2: dict[int, float] = {}
    for q in range(backend.num_qubits):
        try:
            qubit_properties = backend.qubit_properties(q)
        except Exception:  # backends without qubit properties raise NotImplementedError
            qubit_properties = None
        if qubit_properties is None:
            continue
        for values, value in ((t1, qubit_properties.t1), (t2, qubit_properties.t2)):
            value = _number(value)
            if value is not None:
                values[q] = value
    return t1, t2


def _check_backend(backend: Any) -> None:
    """A qiskit ``BackendV2`` (it has a ``target``); a name gets the way to a backend."""
    if isinstance(backend, str):
        raise QecsimError(
            f"backend={backend!r} is a name, not a qiskit backend: pass a BackendV2, e.g. "
            f"qecsim.interop.qiskit.backend_from_name({backend!r}) for IBM's fake (snapshot) "
            f"backends, or QiskitRuntimeService().backend({backend!r}) for a device"
        )
    if getattr(backend, "target", None) is None:
        raise QecsimError(
            f"backend={describe(backend)} is not a qiskit BackendV2 (it has no .target)"
        )


def device_calibration(backend: Any) -> DeviceCalibration:
    """Read a qiskit ``BackendV2``'s calibration (its ``Target``, ``qubit_properties`` and,
    where the backend has it, ``properties()`` for P(0|1) and P(1|0)).

    Args:
        backend: A ``BackendV2``, e.g. ``qiskit_ibm_runtime.fake_provider.FakeTorino()`` or
            ``qiskit.providers.fake_provider.GenericBackendV2(5, seed=1)``.

    Returns:
        The :class:`DeviceCalibration` (values as reported, in SI units).

    Raises:
        QecsimError: ``backend`` is not a BackendV2 (e.g. a name); a value is negative,
            NaN or above 1 (errors) or not positive (times); the backend has no native
            two-qubit gate (cz, ecr, cx), no sx/x gate, or no readout errors at all.

    Examples:
        >>> from qiskit.providers.fake_provider import GenericBackendV2
        >>> calibration = device_calibration(GenericBackendV2(5, seed=1))
        >>> calibration.two_qubit_gate_name, len(calibration.couplers)
        ('cx', 10)
    """
    _check_backend(backend)
    target = backend.target
    name = str(getattr(backend, "name", type(backend).__name__))
    operations = set(target.operation_names)
    two_qubit = next((g for g in _TWO_QUBIT_GATES if g in operations), None)
    if two_qubit is None:
        raise QecsimError(
            f"{name}: no native two-qubit gate among {_TWO_QUBIT_GATES} "
            f"(it has {sorted(operations)})"
        )
    one_qubit = next((g for g in _SINGLE_QUBIT_GATES if g in operations), None)
    if one_qubit is None:
        raise QecsimError(f"{name}: no single-qubit gate among {_SINGLE_QUBIT_GATES}")

    two_qubit_gate_error, two_qubit_gate_duration = _two_qubit_gates(target, two_qubit, name)
    readout = _per_qubit(target, "measure", "error")
    readout.update(_flip_probabilities(backend, name))
    t1, t2 = _coherence_times(backend)
    return DeviceCalibration(
        backend_name=name,
        num_qubits=int(backend.num_qubits),
        two_qubit_gate_name=two_qubit,
        single_qubit_gate_name=one_qubit,
        single_qubit_gate_error=_per_qubit(target, one_qubit, "error"),
        two_qubit_gate_error=two_qubit_gate_error,
        two_qubit_gate_duration=two_qubit_gate_duration,
        readout_error=readout,
        measurement_duration=_per_qubit(target, "measure", "duration"),
        reset_error=_per_qubit(target, "reset", "error"),
        reset_duration=_per_qubit(target, "reset", "duration"),
        t1=t1,
        t2=t2,
        single_qubit_gate_duration=_per_qubit(target, one_qubit, "duration"),
    )


def backend_from_name(name: str) -> Any:
    """A fake backend (real calibration snapshot) of ``qiskit_ibm_runtime.fake_provider`` by name.

    ``"fake_torino"``, ``"FakeTorino"`` and ``"torino"`` all name ``FakeTorino``; the ``V2``
    suffix of older classes (``FakeAthensV2``) may be left out.

    Args:
        name: The backend name.

    Returns:
        The backend instance.

    Raises:
        QecsimError: No fake backend has that name (the message lists the valid names).
        MissingDependencyError: qiskit-ibm-runtime is not installed (the ``aer`` extra).

    Examples:
        >>> backend_from_name("fake_torino").name
        'fake_torino'
    """
    fake_provider = require(
        "qiskit_ibm_runtime.fake_provider", extra="aer", package="qiskit-ibm-runtime"
    )

    def key(text: str) -> str:
        text = text.lower().replace("_", "").replace("-", "")
        text = text.removeprefix("fake")
        return text.removesuffix("v2")

    classes = {
        key(attribute): attribute
        for attribute in dir(fake_provider)
        if attribute.startswith("Fake")
        and attribute not in ("FakeProviderForBackendV2", "FakeFractionalBackend")
        and isinstance(getattr(fake_provider, attribute), type)
    }
    if key(name) not in classes:
        valid = ", ".join(sorted(f"fake_{k}" for k in classes))
        raise QecsimError(f"backend {name!r} is not a fake backend; valid names: {valid}")
    return getattr(fake_provider, classes[key(name)])()

