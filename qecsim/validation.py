"""Validators shared by every stage: a value in range, or a QecsimError naming both."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from qecsim.errors import QecsimError, describe

__all__ = ["check_int", "check_probability", "check_real", "check_time"]


def check_real(
    name: str, value: Any, *, low: float, high: float, open_low: bool = False,
    open_high: bool = False, what: str = "",
) -> float:
    """``value`` as a float if it lies in the interval, else a QecsimError naming both.

    NaN is outside every interval. ``what`` prefixes the message (e.g. "scale factor").

    Examples:
        >>> check_real("t1", 2e-5, low=0, high=math.inf, open_low=True)
        2e-05
    """
    interval = f"{'(' if open_low else '['}{low:g}, {high:g}{')' if open_high else ']'}"
    label = f"{what} {name}" if what else name
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise QecsimError(f"{label}={describe(value)} is not a number in {interval}") from None
    above_low = number > low if open_low else number >= low
    below_high = number < high if open_high else number <= high
    if not (above_low and below_high):
        raise QecsimError(f"{label}={describe(value)} is not in {interval}")
    return number


def check_probability(name: str, value: Any, limit: float = 1.0) -> float:
    return check_real(name, value, low=0, high=limit)


def check_time(name: str, value: Any) -> float:
    return check_real(name, value, low=0, high=math.inf, open_low=True)  # inf: no decay



def check_int(name: str, value: object, low: int, high: int) -> int:
    """``value`` if it is an integer in [low, high], else a QecsimError naming it and the range.

    Examples:
        >>> check_int("distance", 3, 2, 99)
        3
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise QecsimError(f"{name}={describe(value)} is not an integer in [{low}, {high}]")
    if not low <= value <= high:
        raise QecsimError(f"{name}={value!r} is not in [{low}, {high}]")
    return int(value)
