"""How a :class:`~qecsim.noise.model.NoiseModel` adds noise to a noiseless circuit.

:class:`NoiseApplier` walks the circuit tick by tick (``TICK`` to ``TICK``) and emits each
operation with the noise that belongs to it, then the noise of the tick: idle noise on the
qubits no operation touches, decoherence over the idle part of the tick's duration,
measurement-idle noise on the qubits a measurement/reset tick leaves alone, and crosstalk.
Every channel it emits carries its component tag (see
:meth:`~qecsim.noise.model.NoiseModel.noisy_circuit` for the rules).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import stim

from qecsim.errors import QecsimError
from qecsim.noise import crosstalk
from qecsim.noise.biased import PAULIS_2, z_biased_pauli_channel_2
from qecsim.noise.coherence import pauli_twirl_idle
from qecsim.noise.components import DATA_ROUND_MARKER, PAULI_PARTS

if TYPE_CHECKING:
    from qecsim.noise.model import NoiseModel

__all__ = ["NoiseApplier"]

_MEASUREMENTS = {"M": "Z", "MX": "X", "MY": "Y", "MR": "Z", "MRX": "X", "MRY": "Y"}
_RESETS = {"R": "Z", "RX": "X", "RY": "Y", "MR": "Z", "MRX": "X", "MRY": "Y"}
_PURE_RESETS = {"R", "RX", "RY"}
_ANNOTATIONS = {"DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "SHIFT_COORDS", "MPAD"}
_IDLES = {"I", "II"}

Path = tuple[int, ...]
Groups = dict[tuple[str, tuple], list[int]]


def _short(instruction: stim.CircuitInstruction, limit: int = 60) -> str:
    """An instruction as text, cut to ``limit`` characters (never a whole target list)."""
    text = str(instruction)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


class _Tick:
    """What one tick does: the qubits it touches, its gates, measurements and duration."""

    def __init__(self) -> None:
        self.touched: set[int] = set()
        self.collapsed: set[int] = set()  # measured or reset
        self.gates: list[tuple[int, int]] = []
        self.has_ops = False
        self.busy: dict[int, float] = {}  # qubit -> time its operations take (s)
        self.duration = 0.0

    def occupy(self, qubits: list[int], duration: float) -> None:
        """Operations of ``duration`` s on ``qubits``: a qubit's operations in one tick run
        one after another (``M 0`` then ``R 0`` take measurement + reset, like ``MR 0``),
        and the tick lasts as long as its busiest qubit."""
        for q in qubits:
            self.busy[q] = self.busy.get(q, 0.0) + duration
            self.duration = max(self.duration, self.busy[q])


class NoiseApplier:
    """Walks a noiseless circuit tick by tick and emits the noisy one."""

    def __init__(self, noise: NoiseModel, circuit: stim.Circuit, *, tag_qubits: bool) -> None:
        self.noise = noise
        self.tag_qubits = tag_qubits
        self.all_qubits = sorted(_used_qubits(circuit))
        uses_crosstalk = bool(noise.crosstalk_kinds_in_use())
        self.graph = crosstalk.coupling_graph(circuit) if uses_crosstalk else {}
        self.couplers = sorted(
            {_pair(a, b) for a, neighbours in self.graph.items() for b in neighbours}
        )
        self.result_flips = _result_flip_sites(circuit) if noise.measurement or any(
            "measurement" in r for r in noise.qubit_rates.values()
        ) else set()
        self.source = circuit

    def apply(self) -> stim.Circuit:
        return self._block(self.source, ())

    def _block(self, block: stim.Circuit, path: Path) -> stim.Circuit:
        out = stim.Circuit()
        moment: list[tuple[Path, stim.CircuitInstruction]] = []
        for index, item in enumerate(block):
            if isinstance(item, stim.CircuitRepeatBlock):
                out += self._moment(moment)
                moment = []
                body = self._block(item.body_copy(), (*path, index))
                out.append(stim.CircuitRepeatBlock(item.repeat_count, body))
            elif item.name == "TICK":
                out += self._moment(moment)
                out.append(item)
                moment = []
            else:
                moment.append(((*path, index), item))
        out += self._moment(moment)
        return out

    # A tick's noise: data depolarization first, then each operation with the noise
    # before/after it, then the tick's idle, decoherence, measurement-idle and crosstalk.
    def _moment(self, moment: list[tuple[Path, stim.CircuitInstruction]]) -> stim.Circuit:
        out = stim.Circuit()
        if not moment:
            return out
        tick = _Tick()
        for _, instruction in moment:
            if instruction.name == "I_ERROR" and instruction.tag == DATA_ROUND_MARKER:
                qubits = [t.value for t in instruction.targets_copy()]
                self._one_qubit_channel(out, "data_depolarization", qubits)
        for key, instruction in moment:
            self._operation(out, key, instruction, tick)
        idle = [q for q in self.all_qubits if q not in tick.touched]
        if tick.has_ops and idle:
            self._one_qubit_channel(out, "idle", idle)
        if tick.has_ops and self.noise.has_coherence:
            self._decoherence(out, tick)
        if tick.collapsed:
            waiting = [q for q in self.all_qubits if q not in tick.collapsed]
            self._one_qubit_channel(out, "measurement_idle", waiting)
        if self.graph and tick.has_ops:
            self._crosstalk(out, tick, set(idle))
        return out

    def _operation(
        self, out: stim.Circuit, key: Path, instruction: stim.CircuitInstruction, tick: _Tick
    ) -> None:
        name = instruction.name
        if name == "I_ERROR" and instruction.tag == DATA_ROUND_MARKER:
            return
        if name in _ANNOTATIONS:
            out.append(instruction)
            return
        data = stim.gate_data(name)
        if data.is_noisy_gate and not data.produces_measurements:
            out.append(instruction)
            return
        targets = instruction.targets_copy()
        if not all(t.is_qubit_target for t in targets):
            self._classically_controlled(out, key, instruction, tick)
            return
        qubits = [t.value for t in targets]
        durations = self.noise.durations
        if durations is not None and _has_duration(name):
            tick.duration = max(tick.duration, durations.of(name))
        if name in _IDLES:
            out.append(instruction)  # an explicit idle: noise comes from the idle rule
            tick.has_ops = True
            return
        tick.touched.update(qubits)
        tick.has_ops = True
        if durations is not None:
            tick.occupy(qubits, durations.of(name))
        if name in _MEASUREMENTS:
            tick.collapsed.update(qubits)
            self._measure(out, key, instruction)
            if name in _RESETS:
                self._reset_flip(out, name, qubits)
        elif name in _RESETS:
            tick.collapsed.update(qubits)
            out.append(instruction)
            self._reset_flip(out, name, qubits)
        elif data.is_unitary and data.is_single_qubit_gate:
            out.append(instruction)
            self._one_qubit_channel(out, "single_qubit_gate", qubits)
        elif data.is_unitary and data.is_two_qubit_gate:
            out.append(instruction)
            pairs = list(zip(qubits[::2], qubits[1::2], strict=True))
            tick.gates.extend(pairs)
            self._two_qubit_channel(out, pairs)
        else:
            raise QecsimError(
                f"gate {name!r} has no noise rule; supported: single- and two-qubit "
                f"Clifford gates, {', '.join(sorted(set(_MEASUREMENTS) | set(_RESETS)))}"
            )

    def _classically_controlled(
        self, out: stim.Circuit, key: Path, instruction: stim.CircuitInstruction, tick: _Tick
    ) -> None:
        """A two-qubit gate whose pairs include classical controls (``CX sweep[0] 3``,
        ``CZ rec[-1] 5``): each such pair is a Pauli on its qubit, applied or not as a sweep
        bit or a measurement says, so it is a single-qubit gate (``single_qubit_gate`` noise
        and duration), as :func:`~qecsim.noise.tagging.tag_noise` reads such gates; pairs of
        two qubits are ordinary two-qubit gates."""
        name = instruction.name
        targets = instruction.targets_copy()
        if not stim.gate_data(name).is_two_qubit_gate:
            raise QecsimError(
                f"instruction {'.'.join(map(str, key))} ({_short(instruction)}): gate {name!r} "
                "has no noise rule for targets other than qubits"
            )
        pairs = list(zip(targets[::2], targets[1::2], strict=True))
        classical = [t for pair in pairs if not all(t.is_qubit_target for t in pair) for t in pair]
        quantum = [t for pair in pairs if all(t.is_qubit_target for t in pair) for t in pair]
        args = instruction.gate_args_copy()
        out.append(stim.CircuitInstruction(name, classical, args, tag=instruction.tag))
        qubits = [t.value for t in classical if t.is_qubit_target]
        tick.touched.update(qubits)
        tick.has_ops = True
        if self.noise.durations is not None:
            tick.occupy(qubits, self.noise.durations.single_qubit_gate)
        self._one_qubit_channel(out, "single_qubit_gate", qubits)
        if quantum:
            self._operation(
                out, key, stim.CircuitInstruction(name, quantum, args, tag=instruction.tag), tick
            )

    def _tag(self, component: str, qubits: tuple[int, ...], overridden: bool) -> str:
        if overridden or self.tag_qubits:
            return f"{component}@{'-'.join(str(q) for q in qubits)}"
        return component

    def _emit_grouped(self, out: stim.Circuit, groups: Groups) -> None:
        for (tag, (name, args)), targets in groups.items():
            out.append(stim.CircuitInstruction(name, targets, list(args), tag=tag))

    def _one_qubit_channel(self, out: stim.Circuit, component: str, qubits: list[int]) -> None:
        if self.noise.parts(component):
            self._parts_channel(out, component, [(q,) for q in qubits], "PAULI_CHANNEL_1")
            return
        groups: Groups = {}
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

    def _parts_channel(
        self, out: stim.Circuit, component: str, sites: list[tuple[int, ...]], gate: str,
        args_of: dict[str, tuple[float, ...]] | None = None,
    ) -> None:
        """One channel per part of ``component`` (``component.part``), on every site.

        A two-qubit part is written as one ``CORRELATED_ERROR`` per Pauli term instead of a
        ``PAULI_CHANNEL_2``: stim's ``decompose_errors`` splits some single-detector-pair
        errors of a ``PAULI_CHANNEL_2`` into two boundary pieces (e.g. a cat qubit's CX
        phase flip on the check qubit, a time-like edge, became ``D1 ^ D3``), and matching
        on that graph overstated the cat repetition code's logical error up to tenfold.
        Separate terms are independent instead of disjoint: the detector error model is the
        same (stim approximates disjoint errors as independent anyway), and sampled joint
        probabilities differ at second order in the term probabilities.
        """
        parts = self.noise.parts(component) if args_of is None else args_of
        for part in PAULI_PARTS:
            args = parts.get(part)
            if args is None or sum(args) <= 0:
                continue
            if gate == "PAULI_CHANNEL_2":
                for site in sites:
                    tag = self._tag(f"{component}.{part}", tuple(sorted(site)), False)
                    _correlated_terms(out, site, args, tag)
                continue
            groups: Groups = {}
            for site in sites:
                tag = self._tag(f"{component}.{part}", tuple(sorted(site)), False)
                groups.setdefault((tag, (gate, tuple(args))), []).extend(site)
            self._emit_grouped(out, groups)

    def _basis_flips(self, component: str, basis: str) -> dict[str, tuple[float]]:
        """part -> (flip probability) of a measurement/reset in ``basis``, from the parts."""
        flips = {}
        for part, (px, py, pz) in self.noise.parts(component).items():
            flips[part] = (px + py,) if basis == "Z" else (pz + py,)
        return flips

    def _decoherence(self, out: stim.Circuit, tick: _Tick) -> None:
        """The Pauli twirl of T1/T2 over the part of the tick each qubit spends idle."""
        scale = self.noise.scales.get("idle", 1.0)
        groups: Groups = {}
        for q in self.all_qubits:
            idle_time = tick.duration - tick.busy.get(q, 0.0)
            if idle_time <= 0 or scale == 0:
                continue
            t1, t2 = self.noise.coherence(q)
            px, py, pz = (scale * e for e in pauli_twirl_idle(t1=t1, t2=t2, duration=idle_time))
            if px + py + pz <= 0:
                continue
            if px + py + pz > 1:
                raise QecsimError(
                    f"idle error of qubit {q} over {idle_time:g} s scaled by {scale:g} is "
                    f"{px + py + pz:.3g} > 1"
                )
            tag = self._tag("idle", (q,), q in self.noise.qubit_coherence)
            groups.setdefault((tag, ("PAULI_CHANNEL_1", (px, py, pz))), []).append(q)
        self._emit_grouped(out, groups)

    def _measure(self, out: stim.Circuit, key: Path, instruction: stim.CircuitInstruction) -> None:
        """A state flip before the measurement, or a result flip where the qubit lives on."""
        name = instruction.name
        flip = "Z_ERROR" if _MEASUREMENTS[name] == "X" else "X_ERROR"
        if self.noise.parts("measurement") and _MEASUREMENTS[name] != "Y":
            qubits = [(t.value,) for t in instruction.targets_copy()]
            flips = self._basis_flips("measurement", _MEASUREMENTS[name])
            self._parts_channel(out, "measurement", qubits, flip, flips)
            out.append(instruction)
            return
        before: Groups = {}
        runs: list[tuple[tuple[float, ...], str, list[stim.GateTarget]]] = []
        own = instruction.gate_args_copy()
        for target in instruction.targets_copy():
            q = target.value
            rate = self.noise.rate("measurement", (q,))
            overridden = "measurement" in self.noise.qubit_rates.get(q, {})
            args, tag = tuple(own), instruction.tag
            if rate > 0 and (key, q) in self.result_flips:
                total = rate if not own else own[0] + rate - 2 * own[0] * rate
                args, tag = (total,), self._tag("measurement", (q,), overridden)
            elif rate > 0:
                before.setdefault(
                    (self._tag("measurement", (q,), overridden), (flip, (rate,))), []
                ).append(q)
            if runs and runs[-1][:2] == (args, tag):
                runs[-1][2].append(target)
            else:
                runs.append((args, tag, [target]))
        self._emit_grouped(out, before)
        if len(runs) == 1 and runs[0][:2] == (tuple(own), instruction.tag):
            out.append(instruction)
            return
        for args, tag, targets in runs:
            out.append(stim.CircuitInstruction(name, targets, list(args), tag=tag))

    def _flip(self, out: stim.Circuit, component: str, flip: str, qubits: list[int]) -> None:
        groups: Groups = {}
        for q in qubits:
            rate = self.noise.rate(component, (q,))
            if rate > 0:
                overridden = component in self.noise.qubit_rates.get(q, {})
                key = (self._tag(component, (q,), overridden), (flip, (rate,)))
                groups.setdefault(key, []).append(q)
        self._emit_grouped(out, groups)

    def _reset_flip(self, out: stim.Circuit, name: str, qubits: list[int]) -> None:
        flip = "Z_ERROR" if _RESETS[name] == "X" else "X_ERROR"
        if self.noise.parts("reset") and _RESETS[name] != "Y":
            flips = self._basis_flips("reset", _RESETS[name])
            self._parts_channel(out, "reset", [(q,) for q in qubits], flip, flips)
            return
        self._flip(out, "reset", flip, qubits)

    def _two_qubit_channel(self, out: stim.Circuit, pairs: list[tuple[int, int]]) -> None:
        """DEPOLARIZE2, its Z-biased PAULI_CHANNEL_2, or one PAULI_CHANNEL_2 per part.

        Parts and biased channels keep the gate's target order (control first for CX).
        """
        if self.noise.parts("two_qubit_gate"):
            self._parts_channel(out, "two_qubit_gate", pairs, "PAULI_CHANNEL_2")
            return
        eta = self.noise.bias("two_qubit_gate")
        groups: Groups = {}
        for a, b in pairs:
            rate = self.noise.rate("two_qubit_gate", (a, b))
            if rate > 0:
                overridden = "two_qubit_gate" in self.noise.coupler_rates.get(_pair(a, b), {})
                tag = self._tag("two_qubit_gate", _pair(a, b), overridden)
                if eta is None or eta == 0.5:
                    channel = ("DEPOLARIZE2", (rate,))
                else:
                    channel = ("PAULI_CHANNEL_2", z_biased_pauli_channel_2(rate, eta))
                groups.setdefault((tag, channel), []).extend((a, b))
        self._emit_grouped(out, groups)

    def _crosstalk(self, out: stim.Circuit, tick: _Tick, idle: set[int]) -> None:
        noise, graph, gates, tag = self.noise, self.graph, tick.gates, self._tag
        if gates and idle:
            self._emit_grouped(out, crosstalk.spectator(noise, graph, gates, idle, tag))
        if gates:
            self._emit_grouped(out, crosstalk.parallel(noise, graph, gates, tag))
        if noise.durations is not None:
            groups = crosstalk.static_zz(noise, self.couplers, gates, tick.duration, tag)
            self._emit_grouped(out, groups)


def _has_duration(name: str) -> bool:
    data = stim.gate_data(name)
    return data.is_unitary or name in _MEASUREMENTS or name in _RESETS


def _used_qubits(circuit: stim.Circuit) -> set[int]:
    used: set[int] = set()
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            used |= _used_qubits(item.body_copy())
        elif item.name not in _ANNOTATIONS and item.name != "TICK":
            used.update(t.value for t in item.targets_copy() if t.is_qubit_target)
    return used


def _operation_events(
    circuit: stim.Circuit, path: Path, events: list[tuple[Path, str, list[int]]]
) -> None:
    """Operations in execution order; a REPEAT body twice (its wrap-around and its exit)."""
    for index, item in enumerate(circuit):
        if isinstance(item, stim.CircuitRepeatBlock):
            body = item.body_copy()
            for _ in range(1 if item.repeat_count == 1 else 2):
                _operation_events(body, (*path, index), events)
            continue
        if item.name in _ANNOTATIONS or item.name in _IDLES or item.name == "TICK":
            continue
        data = stim.gate_data(item.name)
        if data.is_noisy_gate and not data.produces_measurements:
            continue
        qubits = [t.value for t in item.targets_copy() if t.is_qubit_target]
        events.append(((*path, index), item.name, qubits))


def _result_flip_sites(circuit: stim.Circuit) -> set[tuple[Path, int]]:
    """(instruction path, qubit) of measurements whose qubit is used again without a reset."""
    events: list[tuple[Path, str, list[int]]] = []
    _operation_events(circuit, (), events)
    next_is_use: dict[int, bool] = {}
    sites: set[tuple[Path, int]] = set()
    for key, name, qubits in reversed(events):
        if name in _MEASUREMENTS and name not in _RESETS:
            sites.update((key, q) for q in qubits if next_is_use.get(q, False))
        for q in qubits:
            next_is_use[q] = name not in _PURE_RESETS
    return sites


def _correlated_terms(
    out: stim.Circuit, pair: tuple[int, ...], args: tuple[float, ...], tag: str
) -> None:
    """Each nonzero term of a ``PAULI_CHANNEL_2`` on ``pair`` as its own ``CORRELATED_ERROR``."""
    a, b = pair
    for pauli, probability in zip(PAULIS_2, args, strict=True):
        if probability <= 0:
            continue
        targets = [
            stim.target_pauli(qubit, letter)
            for qubit, letter in zip((a, b), pauli, strict=True)
            if letter != "I"
        ]
        out.append(stim.CircuitInstruction("CORRELATED_ERROR", targets, [probability], tag=tag))
