"""Calibration import: a :class:`qecsim.NoiseModel` from a device's calibration numbers.

:func:`noise_from_backend` turns a qiskit ``BackendV2`` (read by
:func:`qecsim.interop.qiskit.calibration.device_calibration`) into a NoiseModel, uniform (median
or mean over the device) or per qubit and per coupler for a layout. The conventions (gate-error
conversion, readout, idling, fallbacks) are in the docstring of :mod:`qecsim.interop.qiskit`.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from qecsim.errors import QecsimError
from qecsim.interop.qiskit._common import circuit_couplers, pair
from qecsim.interop.qiskit.calibration import DeviceCalibration, device_calibration
from qecsim.interop.qiskit.layout import greedy_layout

if TYPE_CHECKING:  # pragma: no cover
    import stim

    from qecsim.noise.model import NoiseModel
    from qecsim.noise.timing import Durations

__all__ = ["AGGREGATES", "noise_from_backend"]

#: Valid values of ``noise_from_backend(aggregate=...)``.
AGGREGATES: tuple[str, ...] = ("per_qubit", "median", "mean")

_GATE_ERROR_CONVENTIONS = ("average_infidelity", "depolarizing")


class _Report:
    """Collects fallbacks, to warn once per kind with every affected item listed."""

    def __init__(self, backend_name: str) -> None:
        self.backend_name = backend_name
        self.items: dict[str, list[str]] = {}

    def add(self, kind: str, item: str) -> None:
        self.items.setdefault(kind, []).append(item)

    def warn(self) -> None:
        for kind, items in self.items.items():
            warnings.warn(
                f"noise_from_backend({self.backend_name}): {kind}: {', '.join(items)}",
                UserWarning,
                stacklevel=3,
            )


def _aggregate(values: Iterable[float], how: str) -> float:
    values = list(values)
    return float(np.median(values) if how == "median" else np.mean(values))


def _normalise_layout(
    layout: Mapping[int, int] | Sequence[int] | None,
    *,
    num_code_qubits: int,
    calibration: DeviceCalibration,
) -> dict[int, int]:
    if layout is None:
        if num_code_qubits > calibration.num_qubits:
            raise QecsimError(
                f"the circuit has {num_code_qubits} qubits but {calibration.backend_name} has "
                f"{calibration.num_qubits}: pass a layout"
            )
        return {q: q for q in range(num_code_qubits)}
    pairs = layout.items() if isinstance(layout, Mapping) else enumerate(layout)
    result: dict[int, int] = {}
    for code_qubit, device_qubit in pairs:
        if not (isinstance(code_qubit, (int, np.integer)) and code_qubit >= 0):
            raise QecsimError(f"layout key {code_qubit!r} is not a code qubit index >= 0")
        if not (
            isinstance(device_qubit, (int, np.integer))
            and 0 <= device_qubit < calibration.num_qubits
        ):
            raise QecsimError(
                f"layout[{code_qubit}]={device_qubit!r} is not a device qubit in "
                f"[0, {calibration.num_qubits - 1}]"
            )
        result[int(code_qubit)] = int(device_qubit)
    if len(set(result.values())) != len(result):
        repeated = sorted({d for d in result.values() if list(result.values()).count(d) > 1})
        raise QecsimError(f"layout maps several code qubits to device qubits {repeated}")
    return result




class _Converter:
    """Calibration numbers -> rates: gate-error convention, channel limits, T2 <= 2 T1,
    durations, and the fallbacks (each reported once)."""

    def __init__(self, calibration: DeviceCalibration, *, how: str, convention: str) -> None:
        self.calibration = calibration
        self.how = how  # the device statistic: "median" or "mean"
        self.convention = convention
        self.report = _Report(calibration.backend_name)
        self.device_t1_t2: tuple[float, float] | None = None  # device statistic, T2 clipped
        self.reset_error = self._reset_error()

    def limited(self, component: str, value: float, where: str) -> float:
        from qecsim.noise.model import RATE_LIMITS

        limit = RATE_LIMITS[component]
        if value > limit:
            self.report.add(
                f"{component} rates above the channel limit {limit:g} clipped to it",
                f"{where} ({value:.4g})",
            )
            return limit
        return value

    def gate_error(self, component: str, reported: float, where: str) -> float:
        """A reported gate error as a Pauli error probability (clipped to the channel limit).

        Average infidelities r convert by :func:`qecsim.pauli_error_from_infidelity`
        (p = r (d + 1) / d); an r whose p would exceed the channel's limit (IBM marks broken
        couplers with error 1.0) gives the limit, reported.
        """
        from qecsim.noise.conventions import pauli_error_from_infidelity
        from qecsim.noise.model import RATE_LIMITS

        if self.convention == "depolarizing":
            return self.limited(component, reported, where)
        num_qubits = 1 if component == "single_qubit_gate" else 2
        dimension = 2**num_qubits
        if reported > RATE_LIMITS[component] * dimension / (dimension + 1):
            return self.limited(component, reported * (dimension + 1) / dimension, where)
        return pauli_error_from_infidelity(reported, num_qubits=num_qubits)

    def _reset_error(self) -> Mapping[int, float]:
        """qubit -> reset error: as reported, else (none reported) the readout error."""
        calibration = self.calibration
        if calibration.reset_error:
            return calibration.reset_error
        self.report.add(
            "no reset error reported, reset error set to the readout error (IBM's reset is a "
            "measurement and a conditional X)",
            f"{len(calibration.readout_error)} qubits",
        )
        return calibration.readout_error

    def durations(self) -> Durations | None:
        """Median duration of each operation kind (s); None without two-qubit gate and
        measurement durations. A missing single-qubit gate duration is 0, a missing reset
        duration the measurement's (IBM's reset measures), each reported."""
        from qecsim.noise.timing import Durations

        calibration = self.calibration
        if not (calibration.two_qubit_gate_duration and calibration.measurement_duration):
            return None
        measurement = _aggregate(calibration.measurement_duration.values(), "median")
        reset = measurement
        if calibration.reset_duration:
            reset = _aggregate(calibration.reset_duration.values(), "median")
        else:
            self.report.add("no reset duration reported, the measurement duration used", "device")
        single = 0.0
        if calibration.single_qubit_gate_duration:
            single = _aggregate(calibration.single_qubit_gate_duration.values(), "median")
        else:
            self.report.add(
                "no single-qubit gate duration reported, 0 used (no idling in single-qubit "
                "ticks)", "device",
            )
        return Durations(
            single_qubit_gate=single,
            two_qubit_gate=_aggregate(calibration.two_qubit_gate_duration.values(), "median"),
            measurement=measurement,
            reset=reset,
        )

    def device_model(self) -> NoiseModel:
        """The uniform model from the device-wide statistic (the per-qubit model's fallback)."""
        from qecsim.noise.model import NoiseModel

        calibration, how = self.calibration, self.how
        where = f"device {how}"
        noise = NoiseModel(
            single_qubit_gate=self.gate_error(
                "single_qubit_gate",
                _aggregate(calibration.single_qubit_gate_error.values(), how),
                where,
            ),
            two_qubit_gate=self.gate_error(
                "two_qubit_gate", _aggregate(calibration.two_qubit_gate_error.values(), how), where
            ),
            measurement=_aggregate(calibration.readout_error.values(), how),
            reset=_aggregate(self.reset_error.values(), how),
            gate_set=calibration.gate_set,
        )
        durations = self.durations()
        if durations is None or not (calibration.t1 and calibration.t2):
            self.report.add("no T1/T2 or durations reported, no idle noise", "device")
            return noise
        self.device_t1_t2 = self.coherent(
            _aggregate(calibration.t1.values(), how),
            _aggregate(calibration.t2.values(), how),
            where,
        )
        t1, t2 = self.device_t1_t2
        return dataclasses.replace(noise, durations=durations, t1=t1, t2=t2)

    def coherent(self, t1: float, t2: float, where: str) -> tuple[float, float]:
        if t2 > 2 * t1:
            self.report.add(
                "T2 > 2 T1 (unphysical for the Pauli twirl), T2 clipped to 2 T1", where
            )
            return t1, 2 * t1
        return t1, t2

    def qubit_overrides(self, noise: NoiseModel, mapping: dict[int, int]) -> NoiseModel:
        """Per-qubit gate, readout and reset rates, and (where known) T1 and T2."""
        calibration = self.calibration
        qubit_rates: dict[int, dict[str, float]] = {}
        for code_qubit, device_qubit in sorted(mapping.items()):
            where = f"code qubit {code_qubit} (device {device_qubit})"
            rates: dict[str, float] = {}
            for component, values in (
                ("single_qubit_gate", calibration.single_qubit_gate_error),
                ("measurement", calibration.readout_error),
                ("reset", self.reset_error),
            ):
                if device_qubit not in values:
                    self.report.add(f"no {component} data, device median used", where)
                elif component == "single_qubit_gate":
                    rates[component] = self.gate_error(component, values[device_qubit], where)
                else:
                    rates[component] = self.limited(component, values[device_qubit], where)
            qubit_rates[code_qubit] = rates
        noise = noise.with_qubit_rates(qubit_rates)
        if self.device_t1_t2 is None:  # device_model() found no T1/T2 or durations
            return noise
        global_t1, global_t2 = self.device_t1_t2
        coherence = {}
        for code_qubit, device_qubit in sorted(mapping.items()):
            where = f"code qubit {code_qubit} (device {device_qubit})"
            if device_qubit not in calibration.t1 or device_qubit not in calibration.t2:
                self.report.add("no T1/T2 data, device median used", where)
            coherence[code_qubit] = self.coherent(
                calibration.t1.get(device_qubit, global_t1),
                calibration.t2.get(device_qubit, global_t2),
                where,
            )
        return dataclasses.replace(noise, qubit_coherence=coherence)

    def coupler_overrides(
        self, noise: NoiseModel, mapping: dict[int, int], circuit: stim.Circuit | None
    ) -> NoiseModel:
        """Per-coupler two-qubit gate rates; couplers the device lacks keep the median."""
        calibration = self.calibration
        if circuit is not None:
            needed = sorted(circuit_couplers(circuit))
        else:
            device_to_code = {d: c for c, d in mapping.items()}
            needed = sorted(
                pair(device_to_code[a], device_to_code[b])
                for a, b in calibration.couplers
                if a in device_to_code and b in device_to_code
            )
        coupler_rates: dict[tuple[int, int], dict[str, float]] = {}
        missing = []
        for a, b in needed:
            device_pair = pair(mapping[a], mapping[b])
            if device_pair in calibration.two_qubit_gate_error:
                where = f"code coupler {a}-{b} (device {device_pair[0]}-{device_pair[1]})"
                rate = self.gate_error(
                    "two_qubit_gate", calibration.two_qubit_gate_error[device_pair], where
                )
                coupler_rates[(a, b)] = {"two_qubit_gate": rate}
            else:
                missing.append(f"{a}-{b} (device {device_pair[0]}-{device_pair[1]})")
        if missing:
            self.report.items[
                f"{len(missing)} of {len(needed)} couplers the code needs are not device "
                "couplers (expected when a square-grid code meets a heavy-hex device), device "
                "median two-qubit error used for"
            ] = missing
        return noise.with_coupler_rates(coupler_rates)


def _check_arguments(aggregate: str, gate_error_convention: str, layout: Any) -> None:
    if aggregate not in AGGREGATES:
        raise QecsimError(f"aggregate={aggregate!r} is not one of {AGGREGATES}")
    if gate_error_convention not in _GATE_ERROR_CONVENTIONS:
        raise QecsimError(
            f"gate_error_convention={gate_error_convention!r} is not one of "
            f"{_GATE_ERROR_CONVENTIONS}"
        )
    if layout is not None and aggregate != "per_qubit":
        raise QecsimError(
            f"layout is only used with aggregate='per_qubit', not aggregate={aggregate!r}"
        )


def _code_layout(
    layout: Mapping[int, int] | Sequence[int] | None,
    circuit: stim.Circuit | None,
    converter: _Converter,
) -> dict[int, int]:
    """code qubit -> device qubit: ``layout``, else greedy for ``circuit``, else identity."""
    calibration = converter.calibration
    if layout is None and circuit is not None:
        layout = greedy_layout(circuit, calibration)
    elif layout is None:
        converter.report.add(
            "aggregate='per_qubit' without layout or circuit: identity layout (code qubit i = "
            "device qubit i) over all device qubits; pass circuit= (greedy layout) or layout=",
            f"{calibration.num_qubits} qubits",
        )
    num_code_qubits = circuit.num_qubits if circuit is not None else calibration.num_qubits
    mapping = _normalise_layout(layout, num_code_qubits=num_code_qubits, calibration=calibration)
    if circuit is not None:
        unmapped = sorted(set(range(circuit.num_qubits)) - set(mapping))
        if unmapped:
            raise QecsimError(f"layout has no device qubit for code qubits {unmapped}")
    return mapping


def noise_from_backend(
    backend: Any,
    *,
    layout: Mapping[int, int] | Sequence[int] | None = None,
    aggregate: str = "per_qubit",
    circuit: stim.Circuit | None = None,
    gate_error_convention: str = "average_infidelity",
):
    """A :class:`qecsim.NoiseModel` from a qiskit backend's calibration.

    Components (conventions in the docstring of :mod:`qecsim.interop.qiskit`):

    - gate set: ``"cz"`` on CZ devices (IBM Heron, e.g. FakeTorino), ``"cx"`` on ECR and CX
      devices (ECR is CX up to single-qubit gates); circuits built for the model use it;
    - ``two_qubit_gate`` from the native two-qubit gate (cz, ecr or cx) per coupler and
      ``single_qubit_gate`` from ``sx`` (else ``x``) per qubit, average infidelities converted
      by :func:`qecsim.pauli_error_from_infidelity`;
    - ``measurement``: mean of P(0|1) and P(1|0) where reported, else the ``measure`` error;
    - ``reset``: the reset error where the backend reports one; IBM backends report none
      (their reset is a measurement and a conditional X), and then each qubit's readout error
      is used, with a warning;
    - ``durations``: the median duration of each operation kind (single-qubit gate, native
      two-qubit gate, measurement, reset) from the ``Target``, and T1/T2 per qubit: in every
      tick each qubit gets the Pauli twirl over the part of the tick (as long as its longest
      operation) it spends idle, tagged ``idle`` (``idle`` and ``measurement_idle`` rates are
      0). A 32 ns single-qubit tick is charged 32 ns, a 68 ns CZ tick 68 ns, a
      measure-and-reset (``MR``) tick measurement + reset;
    - ``data_depolarization`` and ``crosstalk``: 0.

    ``aggregate="median"`` or ``"mean"`` gives a uniform model from the statistic over the
    whole device (the median is robust to broken couplers, which IBM reports with error 1.0;
    the mean is not). ``"per_qubit"`` gives the device medians as global rates plus per-qubit
    and per-coupler overrides for the code qubits of ``layout``. A coupler the code needs (a
    two-qubit gate of ``circuit``) but the device lacks keeps the median, and ONE warning
    lists them: the rotated surface code needs a square grid, which heavy-hex devices do not
    contain, so some missing couplers are expected there.

    Args:
        backend: A qiskit ``BackendV2`` (or a :class:`DeviceCalibration` already read).
        layout: Code qubit (the circuit's qubit index) -> device qubit, as a mapping or a
            sequence (``layout[code_qubit]``). Only for ``per_qubit``. None with a
            ``circuit``: :func:`greedy_layout` of the circuit on the device (as the CLI does).
            None without a ``circuit``: the identity over ALL device qubits (code qubit i is
            device qubit i, every device coupler gets an override), with a warning -- such a
            model is rarely what a code on the device sees.
        aggregate: One of :data:`AGGREGATES`.
        circuit: The (noiseless) circuit the model is for. With ``per_qubit`` its two-qubit
            gates decide which couplers get overrides and which are reported as missing;
            without it every device coupler between layout qubits gets an override.
        gate_error_convention: ``"average_infidelity"`` (reported gate errors are average
            gate infidelities r; the depolarizing probability is r (d+1)/d) or
            ``"depolarizing"`` (use them as the depolarizing probability).

    Returns:
        The noise model, named ``"<backend name>:<aggregate>"``, with the device's gate set
        and durations.

    Raises:
        QecsimError: Bad arguments (e.g. a backend's name instead of the backend: see
            :func:`backend_from_name`), or malformed calibration (see the module docstring).

    Warns:
        UserWarning: One per kind of fallback (T2 clipped to 2 T1, rates clipped to a
            channel's limit, qubits without data given the median, couplers missing, reset
            error or durations not reported), and one for ``per_qubit`` with neither
            ``layout`` nor ``circuit`` (identity layout).

    Examples:
        >>> from qiskit.providers.fake_provider import GenericBackendV2
        >>> from qecsim.interop.qiskit import noise_from_backend
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # no reset error reported: the readout's used
        ...     noise = noise_from_backend(GenericBackendV2(5, seed=1), aggregate="median")
        >>> noise.name, noise.gate_set, noise.two_qubit_gate > noise.single_qubit_gate > 0
        ('generic_backend_5q:median', 'cx', True)
        >>> noise.reset == noise.measurement, round(noise.durations.two_qubit_gate * 1e9)
        (True, 523)
    """
    _check_arguments(aggregate, gate_error_convention, layout)
    calibration = backend if isinstance(backend, DeviceCalibration) else device_calibration(backend)
    converter = _Converter(
        calibration,
        how="median" if aggregate == "per_qubit" else aggregate,
        convention=gate_error_convention,
    )
    noise = converter.device_model()
    if aggregate == "per_qubit":
        mapping = _code_layout(layout, circuit, converter)
        noise = converter.qubit_overrides(noise, mapping)
        noise = converter.coupler_overrides(noise, mapping, circuit)
    converter.report.warn()
    return dataclasses.replace(noise, name=f"{calibration.backend_name}:{aggregate}")
