"""Coherence: the Pauli twirl of amplitude and phase damping of an idle qubit."""

from __future__ import annotations

import math

from qecsim.errors import QecsimError
from qecsim.validation import check_time

__all__ = ["pauli_twirl_idle"]


def pauli_twirl_idle(*, t1: float, t2: float, duration: float) -> tuple[float, float, float]:
    """Pauli-twirled amplitude and phase damping of an idle qubit (Tomita & Svore, 1404.3747).

    p_x = p_y = (1 - exp(-t/T1)) / 4 and p_z = (1 - exp(-t/T2)) / 2 - (1 - exp(-t/T1)) / 4.

    Args:
        t1: Energy relaxation time T1 in seconds (``inf`` for none).
        t2: Dephasing time T2 in seconds, at most 2 * T1.
        duration: Idle duration in seconds, >= 0.

    Returns:
        The probabilities (p_x, p_y, p_z).

    Raises:
        QecsimError: A time is not positive, or T2 > 2 * T1 (unphysical).

    Examples:
        >>> px, py, pz = pauli_twirl_idle(t1=100e-6, t2=80e-6, duration=1e-6)
        >>> round(px, 6), round(pz, 6)
        (0.002488, 0.003724)
    """
    t1 = check_time("t1", t1)
    t2 = check_time("t2", t2)
    try:
        duration = float(duration)
    except (TypeError, ValueError):
        raise QecsimError(f"duration={duration!r} is not a finite number >= 0") from None
    if not duration >= 0 or math.isinf(duration):
        raise QecsimError(f"duration={duration!r} is not a finite number >= 0")
    if t2 > 2 * t1:
        raise QecsimError(f"t2={t2!r} is not in (0, 2*t1={2 * t1!r}] (T2 <= 2 T1 physically)")
    amplitude = -math.expm1(-duration / t1)
    phase = -math.expm1(-duration / t2)
    px = amplitude / 4
    pz = max(phase / 2 - amplitude / 4, 0.0)
    return px, px, pz

