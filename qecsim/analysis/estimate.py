"""A value with a confidence interval, the result type of every estimate in qecsim."""

from __future__ import annotations

import math
from dataclasses import dataclass

from qecsim.errors import QecsimError

__all__ = ["Estimate"]


@dataclass(frozen=True)
class Estimate:
    """A value with a confidence interval.

    Examples:
        >>> Estimate(2.0, 1.5, 2.5).contains(1.6)
        True
    """

    best: float
    low: float
    high: float

    def __post_init__(self) -> None:
        for name in ("best", "low", "high"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if not self.low <= self.best <= self.high and not any(
            math.isnan(v) for v in (self.best, self.low, self.high)
        ):
            raise QecsimError(f"Estimate needs low <= best <= high, got {self}")

    @classmethod
    def from_sigma(cls, best: float, sigma: float, z: float) -> Estimate:
        """``best +- z sigma``.

        Examples:
            >>> print(Estimate.from_sigma(1.0, 0.1, 2.0))
            1 [0.8, 1.2]
        """
        return cls(best, best - z * sigma, best + z * sigma)

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in [low, high].

        Examples:
            >>> Estimate(0.02, 0.019, 0.021).contains(0.0205), Estimate(2, 1, 3).contains(4)
            (True, False)
        """
        return self.low <= value <= self.high

    def scaled(self, factor: float) -> Estimate:
        """All three values times a positive factor.

        Examples:
            >>> print(Estimate(0.02, 0.019, 0.021).scaled(100))  # in percent
            2 [1.9, 2.1]
        """
        return Estimate(self.best * factor, self.low * factor, self.high * factor)

    def to_dict(self) -> dict[str, float | None]:
        """``{"best", "low", "high"}``, with None for an infinite bound (valid JSON).

        Examples:
            >>> Estimate(0.0, -math.inf, math.inf).to_dict()
            {'best': 0.0, 'low': None, 'high': None}
        """
        return {
            name: value if math.isfinite(value) else None
            for name, value in (("best", self.best), ("low", self.low), ("high", self.high))
        }

    def __str__(self) -> str:
        return f"{self.best:.3g} [{self.low:.3g}, {self.high:.3g}]"
