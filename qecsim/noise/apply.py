"""How a :class:`~qecsim.noise.model.NoiseModel` adds noise to a noiseless circuit.

:class:`NoiseApplier` walks the circuit moment by moment (``TICK`` to ``TICK``) and emits each
operation with the noise that belongs to it, then idle (and crosstalk) noise on the qubits the
moment leaves untouched. Every channel it emits carries its component tag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import stim

from qecsim.errors import QecsimError
from qecsim.noise.components import DATA_ROUND_MARKER

if TYPE_CHECKING:
    from qecsim.noise.model import NoiseModel

__all__ = ["NoiseApplier"]

_MEASUREMENTS = {"M": "Z", "MX": "X", "MY": "Y", "MR": "Z", "MRX": "X", "MRY": "Y"}
_RESETS = {"R": "Z", "RX": "X", "RY": "Y", "MR": "Z", "MRX": "X", "MRY": "Y"}
_ANNOTATIONS = {"DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "SHIFT_COORDS", "MPAD"}


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)



class NoiseApplier:
    """Walks a noiseless circuit moment by moment and emits the noisy one."""

    def __init__(self, noise: NoiseModel, circuit: stim.Circuit, *, tag_qubits: bool) -> None:
        self.noise = noise
        self.tag_qubits = tag_qubits
        self.all_qubits = sorted(_used_qubits(circuit))
        self.neighbours = (
            _two_qubit_neighbours(circuit) if "crosstalk" in noise.components_in_use() else {}
        )
        self.source = circuit

    def apply(self) -> stim.Circuit:
        return self._block(self.source)

    def _block(self, block: stim.Circuit) -> stim.Circuit:
        out = stim.Circuit()
        moment: list[stim.CircuitInstruction] = []
        for item in block:
            if isinstance(item, stim.CircuitRepeatBlock):
                out += self._moment(moment)
                moment = []
                out.append(
                    stim.CircuitRepeatBlock(item.repeat_count, self._block(item.body_copy()))
                )
            elif item.name == "TICK":
                out += self._moment(moment)
                out.append(item)
                moment = []
            else:
                moment.append(item)
        out += self._moment(moment)
        return out

    # A moment's noise: data depolarization first, then each operation with the noise
    # before/after it, then idle (and crosstalk) noise on untouched qubits.
    def _moment(self, moment: list[stim.CircuitInstruction]) -> stim.Circuit:
        out = stim.Circuit()
        if not moment:
            return out
        touched: set[int] = set()
        two_qubit_pairs: list[tuple[int, int]] = []
        measures_or_resets = False
        has_gates = False
        for instruction in moment:
            if instruction.name == "I_ERROR" and instruction.tag == DATA_ROUND_MARKER:
                qubits = [t.value for t in instruction.targets_copy()]
                self._one_qubit_channel(out, "data_depolarization", qubits)
        for instruction in moment:
            name = instruction.name
            if name == "I_ERROR" and instruction.tag == DATA_ROUND_MARKER:
                continue
            if name in _ANNOTATIONS:
                out.append(instruction)
                continue
            data = stim.gate_data(name)
            if data.is_noisy_gate and not data.produces_measurements:
                out.append(instruction)
                continue
            qubits = [t.value for t in instruction.targets_copy() if t.is_qubit_target]
            if name in ("I", "II"):
                out.append(instruction)  # an explicit idle: noise comes from the idle rule
                has_gates = True
                continue
            if len(qubits) != len(instruction.targets_copy()):
                raise QecsimError(
                    f"gate {name!r} with targets {instruction.targets_copy()!r} has classical "
                    "(measurement record or sweep) controls, which have no noise rule"
                )
            touched.update(qubits)
            if name in _MEASUREMENTS:
                measures_or_resets = True
                flip = "Z_ERROR" if _MEASUREMENTS[name] == "X" else "X_ERROR"
                self._flip(out, "measurement", flip, qubits)
                out.append(instruction)
                if name in _RESETS:
                    self._reset_flip(out, name, qubits)
            elif name in _RESETS:
                measures_or_resets = True
                out.append(instruction)
                self._reset_flip(out, name, qubits)
            elif data.is_unitary and data.is_single_qubit_gate:
                has_gates = True
                out.append(instruction)
                self._one_qubit_channel(out, "single_qubit_gate", qubits)
            elif data.is_unitary and data.is_two_qubit_gate:
                has_gates = True
                out.append(instruction)
                pairs = list(zip(qubits[::2], qubits[1::2], strict=True))
                two_qubit_pairs.extend(pairs)
                self._two_qubit_channel(out, pairs)
            else:
                raise QecsimError(
                    f"gate {name!r} has no noise rule; supported: single- and two-qubit "
                    f"Clifford gates, {', '.join(sorted(set(_MEASUREMENTS) | set(_RESETS)))}"
                )
        idle = [q for q in self.all_qubits if q not in touched]
        if idle and measures_or_resets:
            self._one_qubit_channel(out, "measurement_idle", idle)
        elif idle and has_gates:
            self._one_qubit_channel(out, "idle", idle)
        if two_qubit_pairs and idle and self.neighbours:
            self._crosstalk(out, two_qubit_pairs, set(idle))
        return out

    def _tag(self, component: str, qubits: tuple[int, ...], overridden: bool) -> str:
        if overridden or self.tag_qubits:
            return f"{component}@{'-'.join(str(q) for q in qubits)}"
        return component

    def _emit_grouped(self, out: stim.Circuit, groups: dict[tuple[str, tuple], list[int]]) -> None:
        for (tag, (name, args)), targets in groups.items():
            out.append(stim.CircuitInstruction(name, targets, list(args), tag=tag))

    def _one_qubit_channel(self, out: stim.Circuit, component: str, qubits: list[int]) -> None:
        groups: dict[tuple[str, tuple], list[int]] = {}
        for q in qubits:
            rate = self.noise.rate(component, (q,))
            if rate <= 0:
                continue
            eta = self.noise.bias(component, q)
            if eta is None or eta == 0.5:
                channel = ("DEPOLARIZE1", (rate,))
            else:
                pxy = rate / (2 * (1 + eta))
                channel = ("PAULI_CHANNEL_1", (pxy, pxy, rate - 2 * pxy))
            overridden = component in self.noise.qubit_rates.get(q, {}) or (
                component in self.noise.qubit_z_bias.get(q, {})
            )
            groups.setdefault((self._tag(component, (q,), overridden), channel), []).append(q)
        self._emit_grouped(out, groups)

    def _flip(self, out: stim.Circuit, component: str, flip: str, qubits: list[int]) -> None:
        groups: dict[tuple[str, tuple], list[int]] = {}
        for q in qubits:
            rate = self.noise.rate(component, (q,))
            if rate > 0:
                overridden = component in self.noise.qubit_rates.get(q, {})
                key = (self._tag(component, (q,), overridden), (flip, (rate,)))
                groups.setdefault(key, []).append(q)
        self._emit_grouped(out, groups)

    def _reset_flip(self, out: stim.Circuit, name: str, qubits: list[int]) -> None:
        flip = "Z_ERROR" if _RESETS[name] == "X" else "X_ERROR"
        self._flip(out, "reset", flip, qubits)

    def _two_qubit_channel(self, out: stim.Circuit, pairs: list[tuple[int, int]]) -> None:
        groups: dict[tuple[str, tuple], list[int]] = {}
        for a, b in pairs:
            rate = self.noise.rate("two_qubit_gate", (a, b))
            if rate > 0:
                overridden = "two_qubit_gate" in self.noise.coupler_rates.get(_pair(a, b), {})
                tag = self._tag("two_qubit_gate", _pair(a, b), overridden)
                key = (tag, ("DEPOLARIZE2", (rate,)))
                groups.setdefault(key, []).extend((a, b))
        self._emit_grouped(out, groups)

    def _crosstalk(self, out: stim.Circuit, pairs: list[tuple[int, int]], idle: set[int]) -> None:
        groups: dict[tuple[str, tuple], list[int]] = {}
        for gate_pair in pairs:
            for gate_qubit in gate_pair:
                for spectator in sorted(self.neighbours.get(gate_qubit, set()) & idle):
                    rate = self.noise.rate("crosstalk", (spectator, gate_qubit))
                    if rate <= 0:
                        continue
                    overridden = "crosstalk" in self.noise.coupler_rates.get(
                        _pair(spectator, gate_qubit), {}
                    )
                    args = (0.0,) * 14 + (rate,)  # PAULI_CHANNEL_2's last argument is ZZ
                    tag = self._tag("crosstalk", (spectator, gate_qubit), overridden)
                    groups.setdefault((tag, ("PAULI_CHANNEL_2", args)), []).extend(
                        (spectator, gate_qubit)
                    )
        self._emit_grouped(out, groups)


def _used_qubits(circuit: stim.Circuit) -> set[int]:
    used: set[int] = set()
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            used |= _used_qubits(item.body_copy())
        elif item.name not in _ANNOTATIONS and item.name != "TICK":
            used.update(t.value for t in item.targets_copy() if t.is_qubit_target)
    return used


def _two_qubit_neighbours(
    circuit: stim.Circuit, neighbours: dict[int, set[int]] | None = None
) -> dict[int, set[int]]:
    neighbours = {} if neighbours is None else neighbours
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            _two_qubit_neighbours(item.body_copy(), neighbours)
            continue
        if item.name in _ANNOTATIONS or item.name == "TICK":
            continue
        data = stim.gate_data(item.name)
        if data.is_unitary and data.is_two_qubit_gate:
            qubits = [t.value for t in item.targets_copy() if t.is_qubit_target]
            for a, b in zip(qubits[::2], qubits[1::2], strict=True):
                neighbours.setdefault(a, set()).add(b)
                neighbours.setdefault(b, set()).add(a)
    return neighbours
