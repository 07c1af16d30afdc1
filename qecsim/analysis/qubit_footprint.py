"""The code distance and physical qubits needed for a target logical error per round."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from qecsim.analysis.lambda_fit import LambdaFit
from qecsim.errors import QecsimError

__all__ = ["QUBITS_PER_CODE", "Footprint", "footprint"]

#: Physical qubits (data + measure) of one logical qubit of each code of
#: :data:`qecsim.CODES` at distance d: ``memory_circuit(code, distance=d).num_qubits``
#: (tests check every code against it), as a formula so that it extends beyond the
#: distances memory_circuit builds.
QUBITS_PER_CODE: dict[str, Callable[[int], int]] = {
    "rotated_surface_code": lambda d: 2 * d * d - 1,
    "repetition_code": lambda d: 2 * d - 1,
    "xzzx_surface_code": lambda d: 2 * d * d - 1,
    "cat_repetition_code": lambda d: 2 * d - 1,
}


@dataclass(frozen=True)
class Footprint:
    """The code distance and physical qubits needed for a target logical error per round.

    ``best``/``low``/``high`` are physical qubit counts. A ``None`` distance means no
    distance up to ``max_distance`` reaches the target (Lambda <= 1 within the interval).

    Attributes:
        target: Target logical error per round.
        code: The code family.
        distance: Smallest odd distance whose fitted per-round error is <= target.
        distance_low: The same for the optimistic end of the fit's interval.
        distance_high: The same for the pessimistic end.
        qubits: Physical qubits at ``distance``.
        qubits_low: Physical qubits at ``distance_low``.
        qubits_high: Physical qubits at ``distance_high``.
        lambda_fit: The fit it came from.
    """

    target: float
    code: str
    distance: int | None
    distance_low: int | None
    distance_high: int | None
    qubits: int | None
    qubits_low: int | None
    qubits_high: int | None
    lambda_fit: LambdaFit = field(repr=False)

    def __post_init__(self) -> None:
        values = [self.distance_low, self.distance, self.distance_high]
        finite = [v for v in values if v is not None]
        if finite != sorted(finite) or (self.distance is None and self.distance_high is not None):
            raise QecsimError(
                f"distance_low={self.distance_low}, distance={self.distance}, "
                f"distance_high={self.distance_high} are not ordered"
            )

    @property
    def best(self) -> int | None:
        """Physical qubits at the best-fit distance."""
        return self.qubits

    @property
    def low(self) -> int | None:
        """Physical qubits at the optimistic distance."""
        return self.qubits_low

    @property
    def high(self) -> int | None:
        """Physical qubits at the pessimistic distance (None: unbounded)."""
        return self.qubits_high

    def __str__(self) -> str:
        def show(value: int | None) -> str:
            return "unbounded" if value is None else str(value)

        return (
            f"per-round error <= {self.target:g}: d = {show(self.distance)} "
            f"[{show(self.distance_low)}, {show(self.distance_high)}], "
            f"{show(self.qubits)} qubits [{show(self.qubits_low)}, {show(self.qubits_high)}]"
        )


def footprint(
    lambda_fit: LambdaFit,
    *,
    target: float = 1e-12,
    code: str | None = None,
    max_distance: int = 2001,
) -> Footprint:
    """The distance and qubit count needed to reach a target logical error per round.

    Extrapolates the fit ``eps_d = C / Lambda ** ((d + 1) / 2)`` over odd distances >= 3.
    The low/high distances use the ends of the fit's interval on ``eps_d`` at each distance
    (:meth:`LambdaFit.predict_interval`, which carries the uncertainty of both Lambda and C
    and their correlation). Qubits: :data:`QUBITS_PER_CODE` (``2 d^2 - 1`` for the rotated
    and XZZX surface codes, ``2 d - 1`` for the repetition and cat repetition codes).

    Args:
        lambda_fit: The Lambda fit.
        target: Target logical error per round, in (0, 0.5); default 1e-12 ("teraquop").
        code: Code family (a key of :data:`QUBITS_PER_CODE`); default: the fit's metadata
            ``code``, else ``"rotated_surface_code"``.
        max_distance: Largest distance considered.

    Returns:
        The :class:`Footprint`.

    Raises:
        QecsimError: ``target`` out of range, unknown ``code``, or ``lambda_fit`` is not a
            LambdaFit.

    Examples:
        >>> import math
        >>> fit = LambdaFit(best=4.0, low=3.5, high=4.5, intercept=math.log(0.1),
        ...     covariance=((1e-4, 0.0), (0.0, 1e-3)), chi_squared=0.0,
        ...     degrees_of_freedom=0, distances=(3, 5), metadata={})
        >>> result = footprint(fit, target=1e-12)
        >>> result.distance, result.qubits
        (37, 2737)
    """
    if not isinstance(lambda_fit, LambdaFit):
        raise QecsimError(f"lambda_fit is a {type(lambda_fit).__name__}; expected a LambdaFit")
    if not (isinstance(target, (int, float)) and 0 < target < 0.5):
        raise QecsimError(f"target={target!r} is not in (0, 0.5)")
    if code is None:
        code = lambda_fit.metadata.get("code", "rotated_surface_code")
    if code not in QUBITS_PER_CODE:
        raise QecsimError(f"code={code!r} is not in {sorted(QUBITS_PER_CODE)}")
    if not (isinstance(max_distance, int) and max_distance >= 3):
        raise QecsimError(f"max_distance={max_distance!r} is not an integer >= 3")
    distances = np.arange(3, max_distance + 1, 2)
    prediction = lambda_fit.predict_interval(distances)

    def first(values: np.ndarray) -> int | None:
        reached = np.nonzero(values <= target)[0]
        return int(distances[reached[0]]) if len(reached) else None

    best, low, high = first(prediction.best), first(prediction.low), first(prediction.high)
    qubits = QUBITS_PER_CODE[code]
    return Footprint(
        target=float(target),
        code=code,
        distance=best,
        distance_low=low,
        distance_high=high,
        qubits=None if best is None else qubits(best),
        qubits_low=None if low is None else qubits(low),
        qubits_high=None if high is None else qubits(high),
        lambda_fit=lambda_fit,
    )
