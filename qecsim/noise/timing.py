"""Operation durations, tick durations and the unit checks of times (all times in seconds).

A tick (the operations between two ``TICK``s) lasts as long as its busiest qubit: a qubit's
operations in one tick run one after another (``M 0`` then ``R 0`` take measurement + reset,
as ``MR 0`` does), each lasting :meth:`Durations.of`. Idle qubits decohere for the tick's
duration, and a busy qubit decoheres for the rest of it (:mod:`qecsim.noise.coherence`);
static ZZ acts on coupled pairs for the tick's duration (:func:`static_zz_probability`).

:func:`unit_warnings` catches the usual unit mistakes before any sampling: T1 in
microseconds typed as seconds, durations in nanoseconds typed as seconds.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from qecsim.errors import QecsimError
from qecsim.noise.coherence import pauli_twirl_idle
from qecsim.validation import check_real

__all__ = [
    "Durations",
    "static_zz_probability",
    "unit_warnings",
]

# Bounds of the unit checks (see unit_warnings).
T_MIN, T_MAX = 100e-9, 1000.0
MAX_TICK_IDLE_ERROR = 0.05
MAX_T1_IN_GATES = 1e8
# (shortest, longest, typical) duration in seconds of each operation on any platform
# (superconducting gates from ~10 ns, trapped-ion gates up to ~1 ms, neutral-atom imaging
# readout up to tens of ms); a
# duration longer than the longest is read in the unit that puts it in this range, nearest
# the typical superconducting value.
PLAUSIBLE_DURATIONS = {
    "single_qubit_gate": (5e-9, 100e-6, 25e-9),
    "two_qubit_gate": (10e-9, 1e-3, 40e-9),
    "measurement": (50e-9, 50e-3, 500e-9),
    "reset": (10e-9, 10e-3, 200e-9),
}
_UNITS = (("nanoseconds", "ns", 1e-9), ("microseconds", "us", 1e-6), ("milliseconds", "ms", 1e-3))

_MEASURE = {"M", "MX", "MY", "MZ"}
_RESET = {"R", "RX", "RY", "RZ"}
_MEASURE_RESET = {"MR", "MRX", "MRY", "MRZ"}


@dataclass(frozen=True)
class Durations:
    """How long each kind of operation takes, in seconds.

    Args:
        single_qubit_gate: A single-qubit gate (s), e.g. 25e-9.
        two_qubit_gate: A two-qubit gate (s), e.g. 40e-9.
        measurement: A measurement, readout resonator ring-down included (s), e.g. 500e-9.
        reset: A reset (s), e.g. 200e-9. ``MR`` lasts measurement + reset.

    Raises:
        QecsimError: A duration is negative, not finite, or not a number.

    Examples:
        >>> durations = Durations(single_qubit_gate=25e-9, two_qubit_gate=40e-9,
        ...                       measurement=500e-9, reset=200e-9)
        >>> durations.of("CZ"), durations.of("MR")
        (4e-08, 7e-07)
    """

    single_qubit_gate: float
    two_qubit_gate: float
    measurement: float
    reset: float

    def __post_init__(self) -> None:
        for name in ("single_qubit_gate", "two_qubit_gate", "measurement", "reset"):
            value = check_real(
                f"{name} duration (s)", getattr(self, name), low=0, high=math.inf,
                open_high=True,
            )
            object.__setattr__(self, name, value)

    def of(self, gate: str) -> float:
        """The duration (s) of one stim gate: ``MR`` is a measurement then a reset.

        ``I`` (an explicit idle) lasts a single-qubit gate.

        Raises:
            QecsimError: ``gate`` is not a unitary, measurement or reset gate of stim.
        """
        if gate in _MEASURE_RESET:
            return self.measurement + self.reset
        if gate in _MEASURE:
            return self.measurement
        if gate in _RESET:
            return self.reset
        import stim

        try:
            data = stim.gate_data(gate)
        except (IndexError, ValueError):
            raise QecsimError(f"gate {gate!r} is not a stim gate") from None
        if data.is_unitary and data.is_two_qubit_gate:
            return self.two_qubit_gate
        if data.is_unitary and data.is_single_qubit_gate:
            return self.single_qubit_gate
        raise QecsimError(f"gate {gate!r} has no duration (not a gate, measurement or reset)")

    def tick_kinds(self) -> dict[str, float]:
        """The duration (s) of a tick of each kind, by the longest operation it holds."""
        return {
            "single-qubit gate": self.single_qubit_gate,
            "two-qubit gate": self.two_qubit_gate,
            "measurement": self.measurement,
            "reset": self.reset,
            "measurement + reset (MR)": self.measurement + self.reset,
        }

    def to_dict(self) -> dict[str, float]:
        """The durations as a JSON-ready dict (seconds)."""
        return {
            "single_qubit_gate": self.single_qubit_gate,
            "two_qubit_gate": self.two_qubit_gate,
            "measurement": self.measurement,
            "reset": self.reset,
        }


def static_zz_probability(zeta: float, duration: float) -> float:
    """Pauli-twirl probability of each of IZ, ZI and ZZ from static ZZ coupling.

    A residual coupling of strength ``zeta`` (Hz; the conditional frequency shift
    (E11 - E10 - E01 + E00) / h) acting for ``duration`` seconds applies the conditional
    phase diag(1, 1, 1, e^{i phi}) with phi = 2 pi zeta t. Its Pauli twirl has IZ, ZI and ZZ
    each with probability sin^2(phi / 2) / 4 (total 3/4 sin^2(phi / 2)).

    Examples:
        >>> round(static_zz_probability(10e3, 1e-6), 8)
        0.00024666
    """
    phi = 2 * math.pi * zeta * duration
    return math.sin(phi / 2) ** 2 / 4


def unit_warnings(
    durations: Durations | None,
    coherence: Iterable[tuple[str, float, float]],
) -> list[str]:
    """Messages naming the likely unit mistake in times that no hardware has.

    Checks (times in seconds): each finite T1 or T2 lies in [100 ns, 1000 s]; a finite T1
    is at most 1e8 two-qubit-gate durations (no platform comes close; microseconds typed as
    seconds do); the idle error of a tick (the twirl over the tick's duration) is at most 5%
    for the typical qubit (the median T1 and the median T2 of the entries); no duration is
    longer than that operation takes on any known platform (:data:`PLAUSIBLE_DURATIONS`:
    100 us for a single-qubit gate, 1 ms for a two-qubit gate, 50 ms for a measurement, 10 ms
    for a reset); the message names the unit, ns, us or ms, that puts it in the operation's range,
    nearest its typical value: 1.56 for a measurement reads as 1.56 us, 40 for a two-qubit
    gate as 40 ns, 0.025 for a single-qubit gate as 0.025 us.

    The tick check looks at the typical qubit, not at each one: a unit mistake affects every
    qubit, while real devices have a few poor qubits that lose more than 5% during a
    microseconds-long readout (IBM Torino: T1 down to 3 us, measure + reset 3.3 us), which
    is physics, not a typo.

    Args:
        durations: The operation durations, or None.
        coherence: (where, T1, T2) for each qubit or for the whole device.

    Returns:
        One message per problem (empty when all is plausible).
    """
    messages: list[str] = []
    if durations is not None:
        for name, value in durations.to_dict().items():
            if value > PLAUSIBLE_DURATIONS[name][1]:
                messages.append(_duration_unit_message(name, value))
    coherence = list(coherence)
    out_of_range: list[str] = []
    too_long: list[str] = []
    for where, t1, t2 in coherence:
        for label, t in (("T1", t1), ("T2", t2)):
            if math.isfinite(t) and not T_MIN <= t <= T_MAX:
                out_of_range.append(f"{label}={t:g} s ({where})")
        gate = durations.two_qubit_gate if durations is not None else 0.0
        if math.isfinite(t1) and gate > 0 and t1 > MAX_T1_IN_GATES * gate:
            too_long.append(f"T1={t1:g} s ({where}) is {t1 / gate:.3g} two-qubit-gate durations")
    worst_tick = _worst_typical_tick(durations, coherence)
    if out_of_range:
        messages.append(
            f"{_some(out_of_range)} outside [100 ns, 1000 s]: times are in seconds; were they "
            "given in microseconds (70 us is 70e-6 s) or nanoseconds?"
        )
    if too_long:
        gate = durations.two_qubit_gate if durations is not None else math.nan
        messages.append(
            f"{_some(too_long)} ({gate:g} s each); no platform exceeds 1e8: was T1 given in "
            "microseconds (70 us is 70e-6 s) while durations are in seconds?"
        )
    if worst_tick is not None:
        error, kind, duration, where, t1 = worst_tick
        messages.append(
            f"the idle error of a {kind} tick ({duration:g} s) is {error:.3g} > 5% "
            f"({where}, T1={t1:g} s): are all times in seconds? Durations typed in "
            "nanoseconds (40 ns is 40e-9 s) while T1/T2 are in seconds give this"
        )
    return messages


def _duration_unit_message(name: str, value: float) -> str:
    """The warning for a duration longer than known hardware's, naming the unit that makes it
    plausible."""
    low, high, typical = PLAUSIBLE_DURATIONS[name]
    fits = [(abs(math.log(value * factor / typical)), unit, short, factor)
            for unit, short, factor in _UNITS if low <= value * factor <= high]
    message = (f"{name} duration {value:g} s is longer than any {name} of known hardware "
               f"({high:g} s): durations are in seconds")
    if not fits:
        return f"{message} (a {name} lasts {low:g} s to {high:g} s on known hardware)"
    _, unit, short, factor = min(fits)
    return f"{message}; was it given in {unit} ({value:g} {short} = {value * factor:g} s)?"


def _worst_typical_tick(
    durations: Durations | None, coherence: list[tuple[str, float, float]]
) -> tuple[float, str, float, str, float] | None:
    """(error, tick kind, duration, where, T1) of the worst tick above 5% for the typical
    qubit (median T1 and T2 of the entries), or None."""
    if durations is None or not coherence:
        return None
    t1 = statistics.median(t1 for _, t1, _ in coherence)
    t2 = statistics.median(t2 for _, _, t2 in coherence)
    where = coherence[0][0] if len(coherence) == 1 else f"median of {len(coherence)} entries"
    worst = None
    for kind, duration in durations.tick_kinds().items():
        px, py, pz = pauli_twirl_idle(t1=t1, t2=min(t2, 2 * t1), duration=duration)
        error = px + py + pz
        if error > MAX_TICK_IDLE_ERROR and (worst is None or error > worst[0]):
            worst = (error, kind, duration, where, t1)
    return worst


def _some(items: list[str], shown: int = 3) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more
