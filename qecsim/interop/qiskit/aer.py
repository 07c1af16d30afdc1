"""qiskit-aer: a NoiseModel as an aer noise model, and stim-vs-aer cross-checks.

- :func:`to_aer_noise_model` exports a NoiseModel's gate, reset and measurement components as
  a qiskit-aer ``NoiseModel`` (aer attaches noise to instructions, so idle noise does not map).
- :func:`aer_cross_check` simulates a circuit with qiskit-aer's stabilizer method and with
  stim, and compares per-detector detection fractions (:class:`AerCrossCheck`).
- :func:`aer_memory_to_measurements` turns aer's ``memory`` bitstrings into stim's order.

qiskit-aer comes with the ``aer`` extra and is imported when a function is called.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from qecsim.errors import QecsimError, require
from qecsim.interop.qiskit._common import PAULI_CHANNEL_2_ORDER, pair
from qecsim.interop.qiskit.export import to_qiskit

if TYPE_CHECKING:  # pragma: no cover
    import stim

__all__ = ["AerCrossCheck", "aer_cross_check", "aer_memory_to_measurements", "to_aer_noise_model"]

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




class _AerErrors:
    """The qiskit-aer error of each mapped component of ``noise``, globally or at a place."""

    def __init__(self, noise: Any, aer_noise: Any) -> None:
        self.noise = noise
        self.aer_noise = aer_noise

    def _pauli(self, terms: list[tuple[str, float]], num_qubits: int):
        terms = [(p[::-1], prob) for p, prob in terms if prob > 0]
        total = math.fsum(prob for _, prob in terms)
        return self.aer_noise.pauli_error([*terms, ("I" * num_qubits, max(0.0, 1 - total))])

    def single_qubit_gate(self, q: int | None):
        rate = self.noise.rate("single_qubit_gate", () if q is None else (q,))
        return self._pauli(_one_qubit_terms(rate, self.noise.bias("single_qubit_gate", q)), 1)

    def two_qubit_gate(self, qubits: tuple[int, int] | None):
        rate = self.noise.rate("two_qubit_gate", () if qubits is None else qubits)
        return self._pauli([(p, rate / 15) for p in PAULI_CHANNEL_2_ORDER], 2)

    def reset(self, q: int | None):
        return self._pauli([("X", self.noise.rate("reset", () if q is None else (q,)))], 1)

    def measurement(self, q: int | None):
        p = self.noise.rate("measurement", () if q is None else (q,))
        return self.aer_noise.ReadoutError([[1 - p, p], [p, 1 - p]])

    def needs_local(self, component: str, where: tuple[int, ...], *, per_qubit: bool) -> bool:
        """Whether ``where`` needs its own error (qiskit-aer drops ideal local errors)."""
        noise = self.noise
        rate = noise.rate(component, where)
        if per_qubit:
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
    if num_qubits is not None and not (isinstance(num_qubits, int) and num_qubits >= 1):
        raise QecsimError(f"num_qubits={num_qubits!r} is not an integer >= 1")
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
    errors = _AerErrors(noise, aer_noise)
    one_qubit, two_qubit = list(_AER_ONE_QUBIT_GATES), list(_AER_TWO_QUBIT_GATES)
    per_qubit = num_qubits is not None
    if per_qubit:
        qubits = range(num_qubits)
        pairs = sorted(pair(a, b) for a in qubits for b in qubits if a < b)
    else:
        qubits = sorted(set(noise.qubit_rates) | set(noise.qubit_z_bias))
        pairs = sorted(noise.coupler_rates)
        if noise.single_qubit_gate > 0:
            model.add_all_qubit_quantum_error(errors.single_qubit_gate(None), one_qubit)
        if noise.two_qubit_gate > 0:
            model.add_all_qubit_quantum_error(errors.two_qubit_gate(None), two_qubit)
        if noise.reset > 0:
            model.add_all_qubit_quantum_error(errors.reset(None), ["reset"])
        if noise.measurement > 0:
            model.add_all_qubit_readout_error(errors.measurement(None))

    # local errors replace the all-qubit error on those qubits in qiskit-aer
    for q in qubits:
        if errors.needs_local("single_qubit_gate", (q,), per_qubit=per_qubit):
            model.add_quantum_error(errors.single_qubit_gate(q), one_qubit, [q], warnings=False)
        if errors.needs_local("reset", (q,), per_qubit=per_qubit):
            model.add_quantum_error(errors.reset(q), ["reset"], [q], warnings=False)
        if errors.needs_local("measurement", (q,), per_qubit=per_qubit):
            model.add_readout_error(errors.measurement(q), [q], warnings=False)
    for coupler in pairs:
        if errors.needs_local("two_qubit_gate", coupler, per_qubit=per_qubit):
            error = errors.two_qubit_gate(coupler)
            for ordered in (list(coupler), list(coupler[::-1])):
                model.add_quantum_error(error, two_qubit, ordered, warnings=False)
    return model
