"""Qiskit interop: device calibration -> NoiseModel, stim -> qiskit / OpenQASM 3, qiskit-aer checks.

- :func:`noise_from_backend` turns a qiskit ``BackendV2`` (its ``Target``, ``qubit_properties``
  and, for IBM snapshots, ``properties()``) into a :class:`qecsim.NoiseModel`, either uniform
  (median or mean over the device) or per qubit and per coupler for a given layout.
- :func:`to_qiskit` and :func:`to_qasm3` export a stim circuit (gates, resets, measurements);
  noise channels are dropped, or kept as inline qiskit-aer Pauli channels (``noise="aer"``).
- :func:`to_aer_noise_model` exports a NoiseModel's gate, reset and measurement components as a
  qiskit-aer ``NoiseModel`` (aer attaches noise to instructions, so idle noise does not map).
- :func:`aer_cross_check` simulates a circuit with qiskit-aer's stabilizer method and stim, and
  compares per-detector detection fractions.

qiskit is a core dependency of qecsim but is imported lazily so that ``import qecsim`` stays
fast; qiskit-aer and qiskit-ibm-runtime come with the ``aer`` extra.

Conventions (documented once, used everywhere in this module):

- **Gate errors** reported by IBM (and stored in a ``Target``) are average gate infidelities
  ``r`` from randomized benchmarking. A depolarizing channel on ``n`` qubits with total Pauli
  error probability ``p`` (stim's ``DEPOLARIZE1(p)``/``DEPOLARIZE2(p)``) has ``r = p d / (d + 1)``
  with ``d = 2**n``, so by default ``p = r (d + 1) / d``: ``3r/2`` for one qubit, ``5r/4`` for two
  (``gate_error_convention="average_infidelity"``). Pass
  ``gate_error_convention="depolarizing"`` to use the reported numbers as ``p`` unchanged.
- **Readout**: the mean of P(0|1) and P(1|0) where the backend reports both (stim has no
  asymmetric readout channel), else the ``Target``'s ``measure`` error.
- **Idle**: T1/T2 Pauli twirl (:func:`qecsim.pauli_twirl_idle`) over the median native two-qubit
  gate duration (``idle``, qubits waiting in a gate moment) and over the median measurement
  plus reset duration (``measurement_idle``: qecsim's memory circuits measure and reset
  ancillas in one ``MR`` moment). The CX of the circuits is charged the native gate's error
  (cz/ecr plus basis changes on hardware; those single-qubit gates are not added).
  Caveat: the NoiseModel has ONE ``idle`` rate for every gate moment, so qubits idling during a
  single-qubit-gate moment are charged a two-qubit-gate duration too. On ECR devices (Eagle:
  ECR ~530 ns, sx ~57 ns in the FakeSherbrooke snapshot) that overstates idling in
  single-qubit-gate moments about tenfold; on CZ devices (FakeTorino: CZ 68 ns, sx 32 ns)
  about twofold. The idle contribution is pessimistic there.
- **Fallbacks** (each reported in ONE ``UserWarning`` that lists every affected item):
  T2 > 2 T1 (unphysical for the twirl) -> T2 is clipped to 2 T1; a rate above its channel's limit
  (IBM marks broken couplers with error 1.0) -> clipped to the limit; a qubit without T1/T2, gate
  or readout data -> the device median; a coupler the code needs but the device lacks -> the
  device median two-qubit error.
- **Errors** (:class:`qecsim.QecsimError`): negative, NaN or > 1 error values, non-positive T1/T2
  or durations, a backend with no data at all for a component, a bad layout.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from qecsim.errors import QecsimError, describe, require

if TYPE_CHECKING:  # pragma: no cover
    import stim

__all__ = [
    "AGGREGATES",
    "AerCrossCheck",
    "DeviceCalibration",
    "aer_cross_check",
    "backend_from_name",
    "device_calibration",
    "greedy_layout",
    "noise_from_backend",
    "to_aer_noise_model",
    "to_qasm3",
    "to_qiskit",
]

#: Valid values of ``noise_from_backend(aggregate=...)``.
AGGREGATES: tuple[str, ...] = ("per_qubit", "median", "mean")

_NOISE_MODES = ("drop", "aer")

# ---------------------------------------------------------------------------------------------
# stim -> qiskit
# ---------------------------------------------------------------------------------------------

#: stim gates with a direct qiskit method (name in stim -> QuantumCircuit method).
_DIRECT_GATES = {
    "I": "id",
    "X": "x",
    "Y": "y",
    "Z": "z",
    "H": "h",
    "S": "s",
    "S_DAG": "sdg",
    "SQRT_X": "sx",
    "SQRT_X_DAG": "sxdg",
    "CX": "cx",
    "CY": "cy",
    "CZ": "cz",
    "SWAP": "swap",
}

#: stim annotations with no quantum effect (they only shape the detector/observable layer).
_ANNOTATIONS = ("DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "SHIFT_COORDS", "TICK")

#: measurement gates: basis change before / after, and whether the qubit is reset after.
_MEASUREMENTS = {
    "M": ((), (), False),
    "MX": (("h",), ("h",), False),
    "MY": (("sdg", "h"), ("h", "s"), False),
    "MR": ((), (), True),
    "MRX": (("h",), ("h",), True),
    "MRY": (("sdg", "h"), ("h", "s"), True),
}

#: resets: the gates after a |0> reset that prepare the basis state.
_RESETS = {"R": (), "RX": ("h",), "RY": ("h", "s")}

#: the Pauli that flips a measurement in the given basis (for M(p) noise kept inline).
_FLIP_BEFORE = {"M": "X", "MR": "X", "MX": "Z", "MRX": "Z", "MY": "X", "MRY": "X"}

_PAULI_CHANNEL_2_ORDER = tuple(a + b for a in "IXYZ" for b in "IXYZ")[1:]


def _decomposition(gate_name: str) -> list[tuple[str, tuple[int, ...]]]:
    """A Clifford gate as H/S/CX on local qubits 0 (and 1), exact up to global phase."""
    import stim

    tableau = stim.Tableau.from_named_gate(gate_name)
    steps = []
    for instruction in tableau.to_circuit("elimination"):
        targets = [t.value for t in instruction.targets_copy()]
        arity = 2 if stim.gate_data(instruction.name).is_two_qubit_gate else 1
        for k in range(0, len(targets), arity):
            steps.append((instruction.name, tuple(targets[k : k + arity])))
    return steps


class _PauliErrors:
    """Builds (and caches) qiskit-aer Pauli-channel instructions from stim noise channels."""

    def __init__(self) -> None:
        noise = require("qiskit_aer.noise", extra="aer", package="qiskit-aer")
        self._pauli_error = noise.pauli_error
        self._cache: dict[tuple, Any] = {}

    def instruction(self, terms: Sequence[tuple[str, float]]):
        """terms: (stim-order Pauli string, probability); identity gets the rest."""
        terms = tuple((pauli, float(prob)) for pauli, prob in terms if prob > 0)
        if not terms:
            return None
        if terms not in self._cache:
            num_qubits = len(terms[0][0])
            total = math.fsum(prob for _, prob in terms)
            if total > 1 + 1e-12:
                raise QecsimError(f"Pauli channel probabilities sum to {total} > 1")
            # qiskit Pauli labels are little-endian: the last character acts on the first qubit.
            ops = [(pauli[::-1], prob) for pauli, prob in terms]
            ops.append(("I" * num_qubits, max(0.0, 1.0 - total)))
            self._cache[terms] = self._pauli_error(ops).to_instruction()
        return self._cache[terms]


def _channel_terms(name: str, args: Sequence[float], width: int) -> list[tuple[str, float]]:
    if name in ("X_ERROR", "Y_ERROR", "Z_ERROR"):
        return [(name[0], args[0])]
    if name == "DEPOLARIZE1":
        return [(pauli, args[0] / 3) for pauli in "XYZ"]
    if name == "DEPOLARIZE2":
        return [(pauli, args[0] / 15) for pauli in _PAULI_CHANNEL_2_ORDER]
    if name == "PAULI_CHANNEL_1":
        return list(zip("XYZ", args, strict=True))
    if name == "PAULI_CHANNEL_2":
        return list(zip(_PAULI_CHANNEL_2_ORDER, args, strict=True))
    raise QecsimError(f"noise channel {name!r} has no qiskit-aer equivalent in to_qiskit")


def to_qiskit(circuit: stim.Circuit, *, noise: str = "drop", ticks_as_barriers: bool = False):
    """Convert a stim circuit to a qiskit ``QuantumCircuit``.

    Qubit ``q`` of the stim circuit is qubit ``q`` of the result; the ``k``-th stim measurement
    writes classical bit ``k`` of the single register ``m`` (so in qiskit's bitstrings, which are
    little-endian, measurement ``k`` is the ``k``-th character from the RIGHT). ``REPEAT`` blocks
    are unrolled; detectors, observables, coordinates and ticks carry no quantum effect and are
    dropped (ticks optionally become barriers). Gates without a direct qiskit name are
    decomposed into H, S and CX (exact up to global phase). ``RX`` is reset then H, ``RY`` reset,
    H, S; ``MX`` is H, measure, H; ``MR`` is measure then reset.

    With ``noise="aer"``, a noisy measurement ``MR(p)``/``MRX(p)``/``MRY(p)`` becomes the flipping
    Pauli channel before the measurement (the reset after it erases the flip of the qubit). For
    ``M(p)``/``MX(p)``/``MY(p)``, which in stim flip only the recorded result and leave the qubit
    alone, the circuit gets one extra qubit (register ``flip``, no classical bits): the channel
    acts on it and a CX from it before and after the measurement flips the result without
    flipping the qubit.

    Args:
        circuit: The stim circuit.
        noise: ``"drop"`` removes noise channels (and the flip probability of noisy
            measurements such as ``M(0.01)``); ``"aer"`` keeps every Pauli channel as an inline
            qiskit-aer instruction at the same position (needs the ``aer`` extra) -- the
            circuit then samples the same distribution as stim in qiskit-aer.
        ticks_as_barriers: Put a barrier where stim has a ``TICK``.

    Returns:
        The ``qiskit.QuantumCircuit``.

    Raises:
        QecsimError: ``noise`` is not valid, or the circuit uses something with no qiskit
            equivalent (classically controlled Paulis, ``MPP``, pair measurements, ``MPAD``,
            heralded errors, ``ELSE_CORRELATED_ERROR``).

    Examples:
        >>> import stim
        >>> from qecsim.interop.qiskit import to_qiskit
        >>> qc = to_qiskit(stim.Circuit("RX 0\\nCX 0 1\\nX_ERROR(0.1) 1\\nM 0 1"))
        >>> sorted(qc.count_ops().items())
        [('cx', 1), ('h', 1), ('measure', 2), ('reset', 1)]
    """
    if noise not in _NOISE_MODES:
        raise QecsimError(f"noise={describe(noise)} is not one of {_NOISE_MODES}")
    import stim

    qiskit = require("qiskit", extra="aer")
    channels = _PauliErrors() if noise == "aer" else None

    flat = circuit.flattened()
    instructions = list(flat)
    num_qubits = max(circuit.num_qubits, 1)
    registers = [qiskit.QuantumRegister(num_qubits, "q")]
    # stim's M(p) flips the RECORD only. A Pauli before the measurement would also flip the
    # qubit, so (without a reset after) the flip is applied through an ancilla: the channel acts
    # on the ancilla, and a CX from it before AND after the measurement flips the result with
    # the same random bit while the qubit ends as if unflipped.
    flip_ancilla = None
    if channels is not None and any(
        _MEASUREMENTS.get(stim.gate_data(inst.name).name, (0, 0, True))[2] is False
        and any(a > 0 for a in inst.gate_args_copy())
        for inst in instructions
    ):
        registers.append(qiskit.QuantumRegister(1, "flip"))
        flip_ancilla = registers[-1][0]
    if circuit.num_measurements:
        registers.append(qiskit.ClassicalRegister(circuit.num_measurements, "m"))
    qc = qiskit.QuantumCircuit(*registers)
    next_bit = 0
    decompositions: dict[str, list] = {}

    for position, instruction in enumerate(instructions):
        name = stim.gate_data(instruction.name).name
        targets = instruction.targets_copy()
        args = instruction.gate_args_copy()
        if name in _ANNOTATIONS:
            if name == "TICK" and ticks_as_barriers:
                qc.barrier()
            continue
        for target in targets:
            if target.is_measurement_record_target or target.is_sweep_bit_target:
                raise QecsimError(
                    f"{instruction} is classically controlled; to_qiskit supports only "
                    "unconditional gates"
                )
        data = stim.gate_data(name)
        if name in _MEASUREMENTS:
            before, after, reset = _MEASUREMENTS[name]
            flips = channels is not None and bool(args) and args[0] > 0
            for target in targets:
                q = target.value
                if flips and reset:  # the reset undoes the flip of the qubit itself
                    qc.append(channels.instruction([(_FLIP_BEFORE[name], args[0])]), [q])
                for gate in before:
                    getattr(qc, gate)(q)
                if target.is_inverted_result_target:
                    qc.x(q)
                if flips and not reset:
                    qc.reset(flip_ancilla)
                    qc.append(channels.instruction([("X", args[0])]), [flip_ancilla])
                    qc.cx(flip_ancilla, q)
                qc.measure(q, next_bit)
                next_bit += 1
                if flips and not reset:
                    qc.cx(flip_ancilla, q)
                if reset:
                    qc.reset(q)
                elif target.is_inverted_result_target:
                    qc.x(q)
                for gate in after:
                    getattr(qc, gate)(q)
        elif name in _RESETS:
            for target in targets:
                qc.reset(target.value)
                for gate in _RESETS[name]:
                    getattr(qc, gate)(target.value)
        elif data.is_unitary and name not in ("SPP", "SPP_DAG"):
            arity = 2 if data.is_two_qubit_gate else 1
            qubits = [t.value for t in targets]
            for k in range(0, len(qubits), arity):
                group = qubits[k : k + arity]
                if name in _DIRECT_GATES:
                    getattr(qc, _DIRECT_GATES[name])(*group)
                    continue
                if name not in decompositions:
                    decompositions[name] = _decomposition(name)
                for step, local in decompositions[name]:
                    getattr(qc, _DIRECT_GATES[step])(*(group[i] for i in local))
        elif name in ("I_ERROR", "II_ERROR"):
            continue  # stim's no-op placeholders
        elif data.is_noisy_gate and not data.produces_measurements:
            if channels is None:
                continue
            if name == "E":
                if position + 1 < len(instructions) and (
                    instructions[position + 1].name == "ELSE_CORRELATED_ERROR"
                ):
                    raise QecsimError(
                        "ELSE_CORRELATED_ERROR chains have no independent-channel equivalent "
                        "in qiskit-aer"
                    )
                qubits = [t.value for t in targets]
                pauli = "".join(t.pauli_type for t in targets)
                qc.append(channels.instruction([(pauli, args[0])]), qubits)
                continue
            if name == "ELSE_CORRELATED_ERROR":
                raise QecsimError(
                    "ELSE_CORRELATED_ERROR chains have no independent-channel equivalent "
                    "in qiskit-aer"
                )
            width = 2 if data.is_two_qubit_gate else 1
            error = channels.instruction(_channel_terms(name, args, width))
            if error is None:
                continue
            qubits = [t.value for t in targets]
            for k in range(0, len(qubits), width):
                qc.append(error, qubits[k : k + width])
        else:
            raise QecsimError(f"stim instruction {name!r} has no qiskit equivalent in to_qiskit")
    return qc


def to_qasm3(circuit: stim.Circuit) -> str:
    """Export a stim circuit as OpenQASM 3 (via :func:`to_qiskit`, noise dropped).

    Args:
        circuit: The stim circuit.

    Returns:
        The OpenQASM 3 program text.

    Examples:
        >>> import stim
        >>> from qecsim.interop.qiskit import to_qasm3
        >>> print(to_qasm3(stim.Circuit("H 0\\nCX 0 1\\nM 0 1")))
        OPENQASM 3.0;
        include "stdgates.inc";
        bit[2] m;
        qubit[2] q;
        h q[0];
        cx q[0], q[1];
        m[0] = measure q[0];
        m[1] = measure q[1];
        <BLANKLINE>
    """
    qasm3 = require("qiskit.qasm3", extra="aer", package="qiskit")
    return qasm3.dumps(to_qiskit(circuit, noise="drop"))


# ---------------------------------------------------------------------------------------------
# qiskit-aer cross-check
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AerCrossCheck:
    """Per-detector detection fractions of one circuit sampled by stim and by qiskit-aer.

    Attributes:
        shots: Shots taken by each simulator.
        stim_fractions: Fraction of shots in which each detector fired, sampled by stim.
        aer_fractions: The same from qiskit-aer's stabilizer simulator, its measurement
            records converted to detection events with stim's ``compile_m2d_converter()``.
        stim_observable_fractions: Fraction of shots in which each observable flipped (stim).
        aer_observable_fractions: The same from qiskit-aer.
    """

    shots: int
    stim_fractions: tuple[float, ...]
    aer_fractions: tuple[float, ...]
    stim_observable_fractions: tuple[float, ...] = ()
    aer_observable_fractions: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.shots < 1:
            raise QecsimError(f"shots={self.shots} is not >= 1")
        if len(self.stim_fractions) != len(self.aer_fractions):
            raise QecsimError(
                f"len(stim_fractions)={len(self.stim_fractions)} != "
                f"len(aer_fractions)={len(self.aer_fractions)}"
            )
        if len(self.stim_observable_fractions) != len(self.aer_observable_fractions):
            raise QecsimError("stim and aer observable fractions differ in length")

    def z_scores(self) -> np.ndarray:
        """Two-proportion z-scores (pooled binomial variance), detectors then observables.

        Returns:
            ``(aer - stim) / sqrt(2 q (1 - q) / shots)`` with ``q`` the pooled fraction; 0 where
            both fractions are 0 or 1, ``inf`` where the variance is 0 but they differ.

        Examples:
            >>> check = AerCrossCheck(shots=10_000, stim_fractions=(0.10, 0.0),
            ...                       aer_fractions=(0.11, 0.0))
            >>> [round(float(z), 2) for z in check.z_scores()]
            [2.31, 0.0]
        """
        a = np.array(self.stim_fractions + self.stim_observable_fractions, dtype=float)
        b = np.array(self.aer_fractions + self.aer_observable_fractions, dtype=float)
        pooled = (a + b) / 2
        standard_error = np.sqrt(2 * pooled * (1 - pooled) / self.shots)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(standard_error > 0, (b - a) / standard_error, 0.0)
        return np.where((standard_error == 0) & (a != b), np.inf, z)

    def critical_z(self, *, alpha: float = 1e-3) -> float:
        """Two-sided critical |z| for a family-wise false-alarm rate ``alpha`` (Bonferroni).

        Args:
            alpha: Probability that ANY of the compared fractions exceeds the critical value
                when both simulators sample the same distribution, in (0, 1).

        Returns:
            ``norm.isf(alpha / (2 n))`` for ``n`` compared fractions.

        Raises:
            QecsimError: ``alpha`` is not in (0, 1).

        Examples:
            >>> check = AerCrossCheck(shots=100, stim_fractions=(0.1,), aer_fractions=(0.1,))
            >>> round(check.critical_z(alpha=0.05), 2)
            1.96
        """
        if not 0 < alpha < 1:
            raise QecsimError(f"alpha={alpha} is not in (0, 1)")
        from scipy.stats import norm

        count = max(1, len(self.stim_fractions) + len(self.stim_observable_fractions))
        return float(norm.isf(alpha / (2 * count)))

    def agrees(self, *, alpha: float = 1e-3) -> bool:
        """True if every |z| is within :meth:`critical_z` (no significant disagreement).

        Args:
            alpha: Family-wise false-alarm rate (see :meth:`critical_z`).

        Returns:
            Whether stim and qiskit-aer agree within sampling noise.

        Examples:
            >>> check = AerCrossCheck(shots=10_000, stim_fractions=(0.10, 0.20),
            ...                       aer_fractions=(0.11, 0.30))
            >>> check.agrees(), AerCrossCheck(shots=10_000, stim_fractions=(0.10,),
            ...                               aer_fractions=(0.105,)).agrees()
            (False, True)
        """
        return bool(np.all(np.abs(self.z_scores()) <= self.critical_z(alpha=alpha)))


def aer_memory_to_measurements(memory: Sequence[str], *, num_measurements: int) -> np.ndarray:
    """Turn qiskit ``memory`` bitstrings into a (shots, measurements) bool array in stim order.

    qiskit writes classical bit 0 as the RIGHTMOST character, so each string is reversed.

    Examples:
        >>> aer_memory_to_measurements(["001", "110"], num_measurements=3).astype(int).tolist()
        [[1, 0, 0], [0, 1, 1]]
    """
    text = "".join(s.replace(" ", "") for s in memory).encode()
    bits = np.frombuffer(text, dtype=np.uint8).reshape(len(memory), num_measurements) == ord("1")
    return np.ascontiguousarray(bits[:, ::-1])


def aer_cross_check(circuit: stim.Circuit, *, shots: int, seed: int | None = None) -> AerCrossCheck:
    """Sample ``circuit`` with stim and with qiskit-aer's stabilizer method; compare detectors.

    The circuit is exported with :func:`to_qiskit` (``noise="aer"``: every Pauli channel kept
    inline), run on ``AerSimulator(method="stabilizer")`` with memory, and the measurement
    records are turned into detection events with ``circuit.compile_m2d_converter()``.

    Args:
        circuit: A stim circuit with Pauli noise, detectors and observables.
        shots: Shots per simulator.
        seed: Seed for both simulators (None: random).

    Returns:
        An :class:`AerCrossCheck`; ``result.agrees()`` tests the agreement.

    Raises:
        QecsimError: ``shots`` < 1, or the circuit has no qiskit-aer equivalent.
        MissingDependencyError: qiskit-aer is not installed.

    Examples:
        >>> import stim
        >>> from qecsim.interop.qiskit import aer_cross_check
        >>> circuit = stim.Circuit("X_ERROR(0.2) 0\\nM 0\\nDETECTOR rec[-1]")
        >>> aer_cross_check(circuit, shots=500, seed=1).agrees()
        True
    """
    if shots < 1:
        raise QecsimError(f"shots={shots} is not >= 1")
    aer = require("qiskit_aer", extra="aer", package="qiskit-aer")
    qc = to_qiskit(circuit, noise="aer")
    simulator = aer.AerSimulator(method="stabilizer", seed_simulator=seed)
    result = simulator.run(qc, shots=shots, memory=True).result()
    measurements = aer_memory_to_measurements(
        result.get_memory(), num_measurements=circuit.num_measurements
    )
    converter = circuit.compile_m2d_converter()
    aer_detectors, aer_observables = converter.convert(
        measurements=measurements, separate_observables=True
    )
    stim_detectors, stim_observables = circuit.compile_detector_sampler(seed=seed).sample(
        shots, separate_observables=True
    )
    return AerCrossCheck(
        shots=shots,
        stim_fractions=tuple(float(x) for x in stim_detectors.mean(axis=0)),
        aer_fractions=tuple(float(x) for x in aer_detectors.mean(axis=0)),
        stim_observable_fractions=tuple(float(x) for x in stim_observables.mean(axis=0)),
        aer_observable_fractions=tuple(float(x) for x in aer_observables.mean(axis=0)),
    )


# ---------------------------------------------------------------------------------------------
# backend calibration -> NoiseModel
# ---------------------------------------------------------------------------------------------

#: native two-qubit gates, in order of preference, and single-qubit gates.
_TWO_QUBIT_GATES = ("cz", "ecr", "cx")
_SINGLE_QUBIT_GATES = ("sx", "x")

_GATE_ERROR_CONVENTIONS = ("average_infidelity", "depolarizing")


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


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

    def __post_init__(self) -> None:
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


def device_calibration(backend: Any) -> DeviceCalibration:
    """Read a qiskit ``BackendV2``'s calibration (its ``Target``, ``qubit_properties`` and,
    where the backend has it, ``properties()`` for P(0|1) and P(1|0)).

    Args:
        backend: A ``BackendV2``, e.g. ``qiskit_ibm_runtime.fake_provider.FakeTorino()`` or
            ``qiskit.providers.fake_provider.GenericBackendV2(5, seed=1)``.

    Returns:
        The :class:`DeviceCalibration` (values as reported, in SI units).

    Raises:
        QecsimError: A value is negative, NaN or above 1 (errors) or not positive (times);
            the backend has no native two-qubit gate (cz, ecr, cx), no sx/x gate, or no
            readout errors at all.

    Examples:
        >>> from qiskit.providers.fake_provider import GenericBackendV2
        >>> calibration = device_calibration(GenericBackendV2(5, seed=1))
        >>> calibration.two_qubit_gate_name, len(calibration.couplers)
        ('cx', 10)
    """
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

    def per_qubit(operation: str, attribute: str) -> dict[int, float]:
        values = {}
        if operation not in operations:
            return values
        for qargs, props in target[operation].items():
            value = None if props is None or qargs is None else _number(getattr(props, attribute))
            if value is not None:
                values[qargs[0]] = value
        return values

    directed_error: dict[tuple[int, int], list[float]] = {}
    directed_duration: dict[tuple[int, int], list[float]] = {}
    for qargs, props in target[two_qubit].items():
        if props is None or qargs is None:
            continue
        error, duration = _number(props.error), _number(props.duration)
        if error is not None:
            if not 0 <= error <= 1:  # checked per direction, before directions are averaged
                raise QecsimError(
                    f"{name}: two_qubit_gate_error[{tuple(qargs)!r}]={error!r} ({two_qubit}) "
                    "is not in [0, 1]"
                )
            directed_error.setdefault(_pair(*qargs), []).append(error)
        if duration is not None:
            if not 0 < duration < math.inf:
                raise QecsimError(
                    f"{name}: two_qubit_gate_duration[{tuple(qargs)!r}]={duration!r} "
                    f"({two_qubit}) is not in (0, inf)"
                )
            directed_duration.setdefault(_pair(*qargs), []).append(duration)

    readout = per_qubit("measure", "error")
    properties = None
    if callable(getattr(backend, "properties", None)):
        try:
            properties = backend.properties()
        except Exception:  # a backend without BackendProperties
            properties = None
    if properties is not None:
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
                            raise QecsimError(f"{name}: {label} of qubit {q} = {value!r} is not "
                                              "in [0, 1]")
                    readout[q] = (p01 + p10) / 2

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

    return DeviceCalibration(
        backend_name=name,
        num_qubits=int(backend.num_qubits),
        two_qubit_gate_name=two_qubit,
        single_qubit_gate_name=one_qubit,
        single_qubit_gate_error=per_qubit(one_qubit, "error"),
        two_qubit_gate_error={k: float(np.mean(v)) for k, v in directed_error.items()},
        two_qubit_gate_duration={k: float(np.mean(v)) for k, v in directed_duration.items()},
        readout_error=readout,
        measurement_duration=per_qubit("measure", "duration"),
        reset_error=per_qubit("reset", "error"),
        reset_duration=per_qubit("reset", "duration"),
        t1=t1,
        t2=t2,
    )


def _depolarizing_factor(num_qubits: int, convention: str) -> float:
    if convention == "depolarizing":
        return 1.0
    dimension = 2**num_qubits
    return (dimension + 1) / dimension


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


def _circuit_couplers(circuit: stim.Circuit) -> set[tuple[int, int]]:
    import stim

    couplers = set()
    for instruction in circuit.flattened():
        data = stim.gate_data(instruction.name)
        if data.is_two_qubit_gate and data.is_unitary:
            qubits = [t.value for t in instruction.targets_copy() if t.is_qubit_target]
            couplers.update(_pair(a, b) for a, b in zip(qubits[::2], qubits[1::2], strict=True))
    return couplers


def noise_from_backend(
    backend: Any,
    *,
    layout: Mapping[int, int] | Sequence[int] | None = None,
    aggregate: str = "per_qubit",
    circuit: stim.Circuit | None = None,
    gate_error_convention: str = "average_infidelity",
):
    """A :class:`qecsim.NoiseModel` from a qiskit backend's calibration.

    Components (conventions in the module docstring):

    - ``two_qubit_gate`` from the native two-qubit gate (cz, ecr or cx) per coupler;
    - ``single_qubit_gate`` from ``sx`` (else ``x``) per qubit;
    - ``measurement``: mean of P(0|1) and P(1|0) where reported, else the ``measure`` error;
    - ``reset`` where the backend reports a reset error (IBM devices do not: then 0);
    - ``idle`` and ``measurement_idle`` from T1 and T2 by the Pauli twirl over the median
      two-qubit gate duration and over the median measurement-plus-reset duration (qecsim's
      memory circuits measure and reset ancillas in one ``MR`` moment), with their Z bias.
      Single-qubit-gate moments get the same two-qubit-gate idle: about 10x too much on ECR
      devices (ECR ~530 ns vs sx ~57 ns), about 2x on CZ devices (see the module docstring);
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
        The noise model, named ``"<backend name>:<aggregate>"``.

    Raises:
        QecsimError: Bad arguments, or malformed calibration (see the module docstring).

    Warns:
        UserWarning: One per kind of fallback (T2 clipped to 2 T1, rates clipped to a
            channel's limit, qubits without data given the median, couplers missing), and
            one for ``per_qubit`` with neither ``layout`` nor ``circuit`` (identity layout).

    Examples:
        >>> from qiskit.providers.fake_provider import GenericBackendV2
        >>> from qecsim.interop.qiskit import noise_from_backend
        >>> noise = noise_from_backend(GenericBackendV2(5, seed=1), aggregate="median")
        >>> noise.name, noise.two_qubit_gate > noise.single_qubit_gate > 0
        ('generic_backend_5q:median', True)
    """
    from qecsim.noise.model import RATE_LIMITS, NoiseModel

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
    calibration = backend if isinstance(backend, DeviceCalibration) else device_calibration(backend)
    report = _Report(calibration.backend_name)
    how = "median" if aggregate == "per_qubit" else aggregate
    one_factor = _depolarizing_factor(1, gate_error_convention)
    two_factor = _depolarizing_factor(2, gate_error_convention)

    def limited(component: str, value: float, where: str) -> float:
        limit = RATE_LIMITS[component]
        if value > limit:
            report.add(
                f"{component} rates above the channel limit {limit:g} clipped to it",
                f"{where} ({value:.4g})",
            )
            return limit
        return value

    def coherent(t1: float, t2: float, where: str) -> tuple[float, float]:
        if t2 > 2 * t1:
            report.add("T2 > 2 T1 (unphysical for the Pauli twirl), T2 clipped to 2 T1", where)
            return t1, 2 * t1
        return t1, t2

    # device-wide statistics: the uniform model, and the fallback of the per-qubit model
    global_rates = {
        "single_qubit_gate": limited(
            "single_qubit_gate",
            one_factor * _aggregate(calibration.single_qubit_gate_error.values(), how),
            f"device {how}",
        ),
        "two_qubit_gate": limited(
            "two_qubit_gate",
            two_factor * _aggregate(calibration.two_qubit_gate_error.values(), how),
            f"device {how}",
        ),
        "measurement": _aggregate(calibration.readout_error.values(), how),
        "reset": _aggregate(calibration.reset_error.values(), how)
        if calibration.reset_error
        else 0.0,
    }
    noise = NoiseModel(**global_rates)
    name = f"{calibration.backend_name}:{aggregate}"

    gate_duration = (
        _aggregate(calibration.two_qubit_gate_duration.values(), "median")
        if calibration.two_qubit_gate_duration
        else None
    )
    measurement_duration = (
        _aggregate(calibration.measurement_duration.values(), "median")
        if calibration.measurement_duration
        else None
    )
    if measurement_duration is not None and calibration.reset_duration:
        measurement_duration += _aggregate(calibration.reset_duration.values(), "median")
    has_coherence = bool(
        calibration.t1 and calibration.t2 and gate_duration and measurement_duration
    )
    if has_coherence:
        global_t1, global_t2 = coherent(
            _aggregate(calibration.t1.values(), how),
            _aggregate(calibration.t2.values(), how),
            f"device {how}",
        )
        noise = noise.with_coherence(
            t1=global_t1,
            t2=global_t2,
            gate_duration=gate_duration,
            measurement_duration=measurement_duration,
        )
    else:
        report.add(
            "no T1/T2 or durations reported, idle and measurement_idle set to 0", "device"
        )

    if aggregate != "per_qubit":
        report.warn()
        return dataclasses.replace(noise, name=name)

    # ------------------------------------------------------------- per-qubit overrides
    if layout is None and circuit is not None:
        layout = greedy_layout(circuit, calibration)
    elif layout is None:
        report.add(
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

    qubit_rates: dict[int, dict[str, float]] = {}
    for code_qubit, device_qubit in sorted(mapping.items()):
        where = f"code qubit {code_qubit} (device {device_qubit})"
        rates: dict[str, float] = {}
        for component, values, factor in (
            ("single_qubit_gate", calibration.single_qubit_gate_error, one_factor),
            ("measurement", calibration.readout_error, 1.0),
            ("reset", calibration.reset_error, 1.0),
        ):
            if device_qubit in values:
                rates[component] = limited(component, factor * values[device_qubit], where)
            elif values:
                report.add(f"no {component} data, device median used", where)
        qubit_rates[code_qubit] = rates
    noise = noise.with_qubit_rates(qubit_rates)

    if has_coherence:
        for code_qubit, device_qubit in sorted(mapping.items()):
            where = f"code qubit {code_qubit} (device {device_qubit})"
            if device_qubit not in calibration.t1 or device_qubit not in calibration.t2:
                report.add("no T1/T2 data, device median used", where)
            t1, t2 = coherent(
                calibration.t1.get(device_qubit, global_t1),
                calibration.t2.get(device_qubit, global_t2),
                where,
            )
            noise = noise.with_coherence(
                t1=t1,
                t2=t2,
                gate_duration=gate_duration,
                measurement_duration=measurement_duration,
                qubit=code_qubit,
            )

    if circuit is not None:
        needed = sorted(_circuit_couplers(circuit))
    else:
        device_to_code = {d: c for c, d in mapping.items()}
        needed = sorted(
            _pair(device_to_code[a], device_to_code[b])
            for a, b in calibration.couplers
            if a in device_to_code and b in device_to_code
        )
    coupler_rates: dict[tuple[int, int], dict[str, float]] = {}
    missing = []
    for a, b in needed:
        device_pair = _pair(mapping[a], mapping[b])
        if device_pair in calibration.two_qubit_gate_error:
            where = f"code coupler {a}-{b} (device {device_pair[0]}-{device_pair[1]})"
            coupler_rates[(a, b)] = {
                "two_qubit_gate": limited(
                    "two_qubit_gate",
                    two_factor * calibration.two_qubit_gate_error[device_pair],
                    where,
                )
            }
        else:
            missing.append(f"{a}-{b} (device {device_pair[0]}-{device_pair[1]})")
    if missing:
        report.items[
            f"{len(missing)} of {len(needed)} couplers the code needs are not device couplers "
            "(expected when a square-grid code meets a heavy-hex device), device median "
            "two-qubit error used for"
        ] = missing
    noise = noise.with_coupler_rates(coupler_rates)
    report.warn()
    return dataclasses.replace(noise, name=name)


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


# ---------------------------------------------------------------------------------------------
# NoiseModel -> qiskit-aer NoiseModel
# ---------------------------------------------------------------------------------------------

_AER_ONE_QUBIT_GATES = ("id", "x", "y", "z", "h", "s", "sdg", "sx", "sxdg")
_AER_TWO_QUBIT_GATES = ("cx", "cy", "cz", "swap")
_AER_UNMAPPED = ("idle", "measurement_idle", "data_depolarization", "crosstalk")


def _one_qubit_terms(rate: float, eta: float | None) -> list[tuple[str, float]]:
    if eta is None:
        return [(pauli, rate / 3) for pauli in "XYZ"]
    if math.isinf(eta):
        return [("Z", rate)]
    transverse = rate / (2 * (1 + eta))
    return [("X", transverse), ("Y", transverse), ("Z", rate * eta / (1 + eta))]


def to_aer_noise_model(noise: Any, *, num_qubits: int | None = None):
    """Export a :class:`qecsim.NoiseModel` as a qiskit-aer ``NoiseModel``, where it maps.

    qiskit-aer attaches errors to instructions, so the components that follow an instruction
    map exactly: ``single_qubit_gate`` (after one-qubit Cliffords, Z bias kept),
    ``two_qubit_gate`` (after cx, cy, cz, swap), ``reset`` (X flip after reset; after
    :func:`to_qiskit`'s H for ``RX`` it becomes the Z flip stim applies) and ``measurement``
    (a symmetric readout error). Per-qubit and per-coupler overrides become local errors, which
    take precedence over the all-qubit ones in qiskit-aer. ``idle``, ``measurement_idle``,
    ``data_depolarization`` and ``crosstalk`` act on qubits that have no instruction in that
    moment and have no aer equivalent: if nonzero they are left out with one warning. For an
    exact simulation of every component use ``to_qiskit(noise.noisy_circuit(c), noise="aer")``.

    Args:
        noise: The qecsim noise model (qubit indices are circuit indices, which
            :func:`to_qiskit` keeps).
        num_qubits: If given, every error is added per qubit (and per qubit pair) for qubits
            0 .. num_qubits - 1 instead of as an all-qubit error. Needed when an override
            switches a component off on some qubits (qiskit-aer ignores ideal local errors).

    Returns:
        The ``qiskit_aer.noise.NoiseModel``.

    Raises:
        QecsimError: An override is 0 where the global rate is not, and ``num_qubits`` is
            None; or ``num_qubits`` is not a positive integer.

    Warns:
        UserWarning: Nonzero components that do not map.

    Examples:
        >>> import qecsim
        >>> from qecsim.interop.qiskit import to_aer_noise_model
        >>> aer_noise = to_aer_noise_model(qecsim.NoiseModel.sd6(0.001).scaled(idle=0))
        >>> sorted(aer_noise.noise_instructions)[:4]
        ['cx', 'cy', 'cz', 'h']
    """
    aer_noise = require("qiskit_aer.noise", extra="aer", package="qiskit-aer")
    unmapped = [c for c in _AER_UNMAPPED if c in noise.components_in_use()]
    if unmapped:
        warnings.warn(
            f"to_aer_noise_model: components {unmapped} act on idle qubits and have no "
            "qiskit-aer equivalent; they are left out (use to_qiskit(..., noise='aer') on the "
            "noisy circuit for an exact export)",
            UserWarning,
            stacklevel=2,
        )
    model = aer_noise.NoiseModel()

    def pauli(terms: list[tuple[str, float]], num_qubits: int):
        terms = [(p[::-1], prob) for p, prob in terms if prob > 0]
        total = math.fsum(prob for _, prob in terms)
        return aer_noise.pauli_error([*terms, ("I" * num_qubits, max(0.0, 1 - total))])

    def one_qubit_gate(q: int | None):
        rate = noise.rate("single_qubit_gate", () if q is None else (q,))
        return pauli(_one_qubit_terms(rate, noise.bias("single_qubit_gate", q)), 1)

    def two_qubit_gate(pair: tuple[int, int] | None):
        rate = noise.rate("two_qubit_gate", () if pair is None else pair)
        return pauli([(p, rate / 15) for p in _PAULI_CHANNEL_2_ORDER], 2)

    def reset(q: int | None):
        return pauli([("X", noise.rate("reset", () if q is None else (q,)))], 1)

    def readout(q: int | None):
        p = noise.rate("measurement", () if q is None else (q,))
        return aer_noise.ReadoutError([[1 - p, p], [p, 1 - p]])

    one_qubit, two_qubit = list(_AER_ONE_QUBIT_GATES), list(_AER_TWO_QUBIT_GATES)
    if num_qubits is not None:
        if not (isinstance(num_qubits, int) and num_qubits >= 1):
            raise QecsimError(f"num_qubits={num_qubits!r} is not an integer >= 1")
        qubits = range(num_qubits)
        pairs = sorted(_pair(a, b) for a in qubits for b in qubits if a < b)
    else:
        qubits = sorted(set(noise.qubit_rates) | set(noise.qubit_z_bias))
        pairs = sorted(noise.coupler_rates)
        if noise.single_qubit_gate > 0:
            model.add_all_qubit_quantum_error(one_qubit_gate(None), one_qubit)
        if noise.two_qubit_gate > 0:
            model.add_all_qubit_quantum_error(two_qubit_gate(None), two_qubit)
        if noise.reset > 0:
            model.add_all_qubit_quantum_error(reset(None), ["reset"])
        if noise.measurement > 0:
            model.add_all_qubit_readout_error(readout(None))

    def local(component: str, where: tuple[int, ...]) -> bool:
        """Whether ``where`` needs its own error (qiskit-aer drops ideal local errors)."""
        rate = noise.rate(component, where)
        if num_qubits is not None:
            return rate > 0
        differs = rate != getattr(noise, component) or (
            component == "single_qubit_gate"
            and noise.bias(component, where[0]) != noise.bias(component)
        )
        if differs and rate == 0 and getattr(noise, component) > 0:
            raise QecsimError(
                f"{component} is 0 on {where} but {getattr(noise, component)} elsewhere; "
                "qiskit-aer cannot override an all-qubit error with none: pass num_qubits="
            )
        return differs

    # local errors replace the all-qubit error on those qubits in qiskit-aer
    for q in qubits:
        if local("single_qubit_gate", (q,)):
            model.add_quantum_error(one_qubit_gate(q), one_qubit, [q], warnings=False)
        if local("reset", (q,)):
            model.add_quantum_error(reset(q), ["reset"], [q], warnings=False)
        if local("measurement", (q,)):
            model.add_readout_error(readout(q), [q], warnings=False)
    for pair in pairs:
        if local("two_qubit_gate", pair):
            for ordered in (list(pair), list(pair[::-1])):
                model.add_quantum_error(two_qubit_gate(pair), two_qubit, ordered, warnings=False)
    return model


def greedy_layout(
    circuit: stim.Circuit,
    backend: Any,
    *,
    start: int | None = None,
    exclude: Iterable[int] = (),
    max_two_qubit_gate_error: float = 0.5,
) -> dict[int, int]:
    """A layout (code qubit -> device qubit) that keeps the code's couplers short on the device.

    Code qubits are placed in breadth-first order from the code's best-connected qubit; each
    goes to the free device qubit with the smallest summed hop distance to its already placed
    code neighbours (ties: closest to ``start``). Couplers whose reported error is at least
    ``max_two_qubit_gate_error`` (IBM marks broken ones with 1.0) are not used for distances,
    and the device qubits in ``exclude`` are never used. A square-grid code cannot fit a heavy-hex
    device, so some code couplers stay non-adjacent: :func:`noise_from_backend` reports them.

    Args:
        circuit: The code's circuit (its two-qubit gates define the code's couplers).
        backend: A qiskit ``BackendV2`` or a :class:`DeviceCalibration`.
        start: The device qubit for the first code qubit (None: the device's most central
            usable qubit, i.e. the smallest summed distance to all others).
        exclude: Device qubits not to use (e.g. those with poor readout).
        max_two_qubit_gate_error: Couplers with a reported error at or above this are avoided.

    Returns:
        code qubit -> device qubit, for every qubit of the circuit.

    Raises:
        QecsimError: The device has fewer usable qubits than the circuit, ``start`` is not a
            usable device qubit, or ``max_two_qubit_gate_error`` is not in (0, 1].

    Examples:
        >>> import qecsim
        >>> from qiskit.providers.fake_provider import GenericBackendV2
        >>> circuit = qecsim.memory_circuit(distance=3, rounds=1)
        >>> layout = greedy_layout(circuit, GenericBackendV2(20, seed=1))
        >>> sorted(layout) == list(range(circuit.num_qubits))
        True
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import shortest_path

    calibration = backend if isinstance(backend, DeviceCalibration) else device_calibration(backend)
    n_device, n_code = calibration.num_qubits, circuit.num_qubits
    excluded = {int(q) for q in exclude}
    if not 0 < max_two_qubit_gate_error <= 1:
        raise QecsimError(
            f"max_two_qubit_gate_error={max_two_qubit_gate_error!r} is not in (0, 1]"
        )
    if n_code > n_device - len(excluded & set(range(n_device))):
        raise QecsimError(
            f"the circuit has {n_code} qubits but {calibration.backend_name} has "
            f"{n_device - len(excluded & set(range(n_device)))} usable ones"
        )
    if start is not None and not (0 <= start < n_device and start not in excluded):
        raise QecsimError(f"start={start!r} is not a usable device qubit in [0, {n_device - 1}]")
    edges = [
        (a, b)
        for (a, b), error in calibration.two_qubit_gate_error.items()
        if error < max_two_qubit_gate_error and a not in excluded and b not in excluded
    ]
    rows = [a for a, b in edges] + [b for a, b in edges]
    cols = [b for a, b in edges] + [a for a, b in edges]
    adjacency = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_device, n_device))
    distance = shortest_path(adjacency.tocsr(), unweighted=True, directed=False)
    distance[np.isinf(distance)] = 10 * n_device
    usable = np.ones(n_device, dtype=bool)
    usable[[q for q in excluded if 0 <= q < n_device]] = False
    if start is None:
        start = int(np.argmin(np.where(usable, distance.sum(axis=1), np.inf)))

    neighbours: dict[int, set[int]] = {q: set() for q in range(n_code)}
    for a, b in _circuit_couplers(circuit):
        neighbours[a].add(b)
        neighbours[b].add(a)
    order: list[int] = []
    seen: set[int] = set()
    for root in sorted(range(n_code), key=lambda q: (-len(neighbours[q]), q)):
        if root in seen:
            continue
        queue = [root]
        seen.add(root)
        while queue:
            q = queue.pop(0)
            order.append(q)
            for n in sorted(neighbours[q]):
                if n not in seen:
                    seen.add(n)
                    queue.append(n)

    layout: dict[int, int] = {}
    free = usable.copy()
    for q in order:
        placed = [layout[n] for n in neighbours[q] if n in layout]
        score = distance[:, placed].sum(axis=1) if placed else np.zeros(n_device)
        score = score * (n_device * 20) + distance[start]
        score[~free] = np.inf
        choice = int(np.argmin(score))
        layout[q] = choice
        free[choice] = False
    return dict(sorted(layout.items()))
