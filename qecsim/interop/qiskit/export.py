"""Export of stim circuits to qiskit ``QuantumCircuit`` and OpenQASM 3.

:func:`to_qiskit` keeps gates, resets and measurements; noise channels are dropped, or kept as
inline qiskit-aer Pauli channels (``noise="aer"``) so that qiskit-aer samples the same
distribution as stim. :func:`to_qasm3` writes the noiseless circuit as OpenQASM 3.
qiskit (and qiskit-aer for ``noise="aer"``) is imported when a function is called.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qecsim.errors import QecsimError, describe, require
from qecsim.interop.qiskit._common import PAULI_CHANNEL_2_ORDER

if TYPE_CHECKING:  # pragma: no cover
    import stim

__all__ = ["to_qasm3", "to_qiskit"]

_NOISE_MODES = ("drop", "aer")

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
        return [(pauli, args[0] / 15) for pauli in PAULI_CHANNEL_2_ORDER]
    if name == "PAULI_CHANNEL_1":
        return list(zip("XYZ", args, strict=True))
    if name == "PAULI_CHANNEL_2":
        return list(zip(PAULI_CHANNEL_2_ORDER, args, strict=True))
    raise QecsimError(f"noise channel {name!r} has no qiskit-aer equivalent in to_qiskit")




class _Writer:
    """Appends stim instructions, one at a time, to a qiskit ``QuantumCircuit``."""

    def __init__(self, qc: Any, *, channels: _PauliErrors | None, flip_ancilla: Any) -> None:
        self.qc = qc
        self.channels = channels
        self.flip_ancilla = flip_ancilla
        self.next_bit = 0
        self.decompositions: dict[str, list] = {}

    def add(self, instruction: stim.CircuitInstruction, *, ticks_as_barriers: bool) -> None:
        import stim

        name = stim.gate_data(instruction.name).name
        if name in _ANNOTATIONS:
            if name == "TICK" and ticks_as_barriers:
                self.qc.barrier()
            return
        targets = instruction.targets_copy()
        for target in targets:
            if target.is_measurement_record_target or target.is_sweep_bit_target:
                raise QecsimError(
                    f"{instruction} is classically controlled; to_qiskit supports only "
                    "unconditional gates"
                )
        data = stim.gate_data(name)
        args = instruction.gate_args_copy()
        if name in _MEASUREMENTS:
            self._measure(name, targets, args)
        elif name in _RESETS:
            for target in targets:
                self.qc.reset(target.value)
                for gate in _RESETS[name]:
                    getattr(self.qc, gate)(target.value)
        elif data.is_unitary and name not in ("SPP", "SPP_DAG"):
            self._unitary(name, [t.value for t in targets], 2 if data.is_two_qubit_gate else 1)
        elif name in ("I_ERROR", "II_ERROR"):
            return  # stim's no-op placeholders
        elif data.is_noisy_gate and not data.produces_measurements:
            if self.channels is not None:
                self._noise(name, targets, args, 2 if data.is_two_qubit_gate else 1)
        else:
            raise QecsimError(f"stim instruction {name!r} has no qiskit equivalent in to_qiskit")

    def _measure(self, name: str, targets: list, args: list[float]) -> None:
        qc = self.qc
        before, after, reset = _MEASUREMENTS[name]
        flips = self.channels is not None and bool(args) and args[0] > 0
        for target in targets:
            q = target.value
            if flips and reset:  # the reset undoes the flip of the qubit itself
                qc.append(self.channels.instruction([(_FLIP_BEFORE[name], args[0])]), [q])
            for gate in before:
                getattr(qc, gate)(q)
            if target.is_inverted_result_target:
                qc.x(q)
            if flips and not reset:
                qc.reset(self.flip_ancilla)
                qc.append(self.channels.instruction([("X", args[0])]), [self.flip_ancilla])
                qc.cx(self.flip_ancilla, q)
            qc.measure(q, self.next_bit)
            self.next_bit += 1
            if flips and not reset:
                qc.cx(self.flip_ancilla, q)
            if reset:
                qc.reset(q)
            elif target.is_inverted_result_target:
                qc.x(q)
            for gate in after:
                getattr(qc, gate)(q)

    def _unitary(self, name: str, qubits: list[int], arity: int) -> None:
        for k in range(0, len(qubits), arity):
            group = qubits[k : k + arity]
            if name in _DIRECT_GATES:
                getattr(self.qc, _DIRECT_GATES[name])(*group)
                continue
            if name not in self.decompositions:
                self.decompositions[name] = _decomposition(name)
            for step, local in self.decompositions[name]:
                getattr(self.qc, _DIRECT_GATES[step])(*(group[i] for i in local))

    def _noise(self, name: str, targets: list, args: list[float], width: int) -> None:
        qubits = [t.value for t in targets]
        if name == "E":
            pauli = "".join(t.pauli_type for t in targets)
            self.qc.append(self.channels.instruction([(pauli, args[0])]), qubits)
            return
        if name == "ELSE_CORRELATED_ERROR":
            raise QecsimError(
                "ELSE_CORRELATED_ERROR chains have no independent-channel equivalent "
                "in qiskit-aer"
            )
        error = self.channels.instruction(_channel_terms(name, args, width))
        if error is None:
            return
        for k in range(0, len(qubits), width):
            self.qc.append(error, qubits[k : k + width])


def _has_noisy_record_only_measurement(instructions: list) -> bool:
    """Whether some ``M(p)``/``MX(p)``/``MY(p)`` (no reset after) has ``p > 0``."""
    import stim

    return any(
        _MEASUREMENTS.get(stim.gate_data(inst.name).name, (0, 0, True))[2] is False
        and any(a > 0 for a in inst.gate_args_copy())
        for inst in instructions
    )


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
        QecsimError: ``circuit`` is not a stim circuit, ``noise`` is not valid, or the
            circuit uses something with no qiskit equivalent (classically controlled Paulis,
            ``MPP``, pair measurements, ``MPAD``, heralded errors, ``ELSE_CORRELATED_ERROR``).

    Examples:
        >>> import stim
        >>> from qecsim.interop.qiskit import to_qiskit
        >>> qc = to_qiskit(stim.Circuit("RX 0\\nCX 0 1\\nX_ERROR(0.1) 1\\nM 0 1"))
        >>> sorted(qc.count_ops().items())
        [('cx', 1), ('h', 1), ('measure', 2), ('reset', 1)]
    """
    import stim

    if not isinstance(circuit, stim.Circuit):
        raise QecsimError(f"circuit={describe(circuit)} is not a stim.Circuit")
    if not isinstance(noise, str) or noise not in _NOISE_MODES:
        raise QecsimError(f"noise={describe(noise)} is not one of {_NOISE_MODES}")
    qiskit = require("qiskit", extra="aer")
    channels = _PauliErrors() if noise == "aer" else None

    instructions = list(circuit.flattened())
    registers = [qiskit.QuantumRegister(max(circuit.num_qubits, 1), "q")]
    # stim's M(p) flips the RECORD only. A Pauli before the measurement would also flip the
    # qubit, so (without a reset after) the flip is applied through an ancilla: the channel acts
    # on the ancilla, and a CX from it before AND after the measurement flips the result with
    # the same random bit while the qubit ends as if unflipped.
    flip_ancilla = None
    if channels is not None and _has_noisy_record_only_measurement(instructions):
        registers.append(qiskit.QuantumRegister(1, "flip"))
        flip_ancilla = registers[-1][0]
    if circuit.num_measurements:
        registers.append(qiskit.ClassicalRegister(circuit.num_measurements, "m"))
    writer = _Writer(
        qiskit.QuantumCircuit(*registers), channels=channels, flip_ancilla=flip_ancilla
    )
    for instruction in instructions:
        writer.add(instruction, ticks_as_barriers=ticks_as_barriers)
    return writer.qc


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
