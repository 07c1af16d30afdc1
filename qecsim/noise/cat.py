"""Cat qubits stabilized by two-photon dissipation: per-operation bit- and phase-flip errors.

:class:`CatQubit` holds the physical parameters (mean photon number n = |alpha|^2, the
single-photon loss rate kappa_1 and the two-photon dissipation rate kappa_2, in 1/s, and the
operation durations in seconds) and turns them into the Pauli errors of each operation,
split into a ``phase_flip`` part (Z) and a ``bit_flip`` part (X, Y). :meth:`CatQubit.channel_parts`
is what :meth:`qecsim.NoiseModel.cat_qubit` puts in the noise model; every channel is tagged
``component.phase_flip`` or ``component.bit_flip``, so a budget separates them.

Formulas (t: how long the operation lasts; P(x) = (1 - exp(-2 x)) / 2 turns a flip rate
integrated over time into a probability, as in the code of Le Regent et al. below):

- **Phase flips from single-photon loss** at rate n kappa_1 (Mirrahimi et al., New J. Phys.
  16, 045014 (2014); Guillaud and Mirrahimi, PRX 9, 041053 (2019)): p_Z(t) = P(n kappa_1 t)
  for a cat that idles, is prepared in |+> (``RX``, t = reset duration) or measured in the
  X basis (``MX``, t = measurement duration); the preparation and X-measurement models of
  Le Regent, Berdou, Leghtas, Guillaud and Mirrahimi, "High-performance repetition cat code
  using fast noisy operations", Quantum 7, 1198 (2023), arXiv:2212.11927 (the circuit-level
  model of its repetition-code simulations).
- **CX** of duration T, control c, target t (Le Regent et al., ibid., analytical CX model;
  Guillaud and Mirrahimi, PRX 9, 041053 (2019) for the non-adiabatic term): Z on the control
  with probability p_NA (1 - p_1) + p_1 (1 - p_NA), where p_NA = pi^2 / (64 n kappa_2 T) is
  the non-adiabatic phase flip of the control and p_1 = P(n kappa_1 T); Z on the target and ZZ
  each with P(n kappa_1 T / 2).
- **Bit flips of the CX**: total X/Y-type probability e^(-2n) (a sqrt(kappa_1/kappa_2) + b
  kappa_1/kappa_2), a = 5.58, b = 1.68: the fit of Guillaud and Mirrahimi, "Error rates and
  resource overheads of repetition cat qubits", PRA 103, 042413 (2021), arXiv:2009.10756, to
  their simulated CX (n = 4 ... 8, kappa_1/kappa_2 = 1e-4 ... 1e-3), split equally over X and Y
  on the control and on the target. It does not depend on T. Sources differ here: Alice &
  Bob's provider (``physical_cat.py``) models the CX's bit flips as proportional to
  n (kappa_1/kappa_2) e^(-2n), about 60 times this fit at n = 4, kappa_1/kappa_2 = 1e-3.
  Bit flips fall like e^(-2n) either way, but their prefactor sets where they meet the phase
  flips: with the larger one the photon number of the lowest logical error moves up (by at
  most ln(60)/2, about 2 photons), so read an optimum as this model's, not as a device's.
- **Bit flips of an idle cat** (also during preparation, measurement and single-qubit gates):
  p_X + p_Y = 1.1e-3 n kappa_1 e^(-2n) t (X and Y equal): Alice & Bob's fit (in their open
  qiskit-alice-bob-provider) to the bit-flip curve of Guillaud, Cohen and Mirrahimi,
  "Quantum computation with cat qubits", SciPost Phys. Lect. Notes 72 (2023),
  arXiv:2203.03222, Fig. 7. It is far below the CX's bit flips (1e-6 of them at
  kappa_1/kappa_2 = 1e-3), so the logical bit-flip rate falls like e^(-2n).

Equation numbers: these papers' texts were not available to this project's search tools;
the formulas above were checked against the authors' own code (the repository of Le Regent
et al.: the CX model ``CNOTAnalytical`` and the memory model ``LIdleGateCircuitBased``, the fit
``pX_fit_PRA`` with a = 5.58, b = 1.68) and Alice & Bob's provider (``physical_cat.py``, which
cites arXiv:2302.06639 p. 25 for the CX phase flips, preparation and X measurement).

**Range of validity**: large cats, n >~ 4 (the formulas are the leading terms in 1/n and
e^(-2n); the bit-flip fits span n = 4 ... 8); kappa_1 / kappa_2 << 1 (1e-5 ... 1e-2); gates
slow compared with the two-photon dissipation, n kappa_2 T >~ 1 (the non-adiabatic term is
first order in 1 / (n kappa_2 T)); Pauli-twirled errors (no leakage out of the cat manifold,
no thermal photons). A Z-basis measurement (``M``) and a preparation of |0> (``R``) get only
the bit flips of idling for their duration: their readout infidelity is not modelled. A
Hadamard has no bias-preserving implementation on cat qubits; single-qubit gates get the
errors of idling for their duration.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

from qecsim.errors import QecsimError
from qecsim.noise.biased import bias_preserving_cx
from qecsim.noise.timing import Durations
from qecsim.validation import check_real

__all__ = ["CAT_METADATA_KEYS", "CatQubit"]

#: Fit of the CX bit-flip probability, e^(-2n) (A sqrt(k1/k2) + B k1/k2) (PRA 103, 042413).
CX_BIT_FLIP_A, CX_BIT_FLIP_B = 5.58, 1.68
#: Prefactor of the idle bit-flip rate, 1.1e-3 n kappa_1 e^(-2n).
IDLE_BIT_FLIP = 1.1e-3

#: Task metadata keys of a cat-qubit model (:meth:`CatQubit.metadata`): n, kappa_1 and kappa_2
#: (1/s), and the four durations (s).
CAT_METADATA_KEYS: tuple[str, ...] = (
    "photons", "kappa_1", "kappa_2", "t_single_qubit_gate", "t_two_qubit_gate",
    "t_measurement", "t_reset",
)


def _flip(x: float) -> float:
    """P(x) = (1 - exp(-2x)) / 2: the flip probability of a flip process of integrated rate x."""
    return -math.expm1(-2 * x) / 2


def _either(a: float, b: float) -> float:
    """Probability that exactly one of two independent flips happens."""
    return a * (1 - b) + b * (1 - a)


@dataclass(frozen=True)
class CatQubit:
    """Physical parameters of stabilized cat qubits, and the errors of each operation.

    Args:
        mean_photon_number: n = |alpha|^2, > 0.
        kappa_1: Single-photon loss rate in 1/s (> 0), e.g. 1e4 (a lifetime 1/kappa_1 of
            100 us).
        kappa_2: Two-photon dissipation rate in 1/s (> kappa_1), e.g. 1e7.
        durations: Operation durations in seconds: ``two_qubit_gate`` the CX, ``measurement``
            the X-basis measurement, ``reset`` the preparation of |+>, ``single_qubit_gate``
            an X or Z gate. None: each lasts 1 / kappa_2.

    Raises:
        QecsimError: A parameter out of range, or an operation whose error probability
            leaves [0, 1/2] (far outside the range of validity).

    Warns:
        UserWarning: Parameters outside the formulas' range of validity (module docstring):
            n < 2, kappa_1 / kappa_2 > 0.05, n kappa_2 T < 1 for the CX.

    Examples:
        >>> cat = CatQubit(8, kappa_1=1e4, kappa_2=1e7)
        >>> phase, bit = cat.cx_parts()
        >>> round(sum(phase), 4), f"{sum(bit):.2e}"
        (0.0349, '2.00e-08')
    """

    mean_photon_number: float
    kappa_1: float
    kappa_2: float
    durations: Durations | None = None

    def __post_init__(self) -> None:
        n = check_real("mean_photon_number", self.mean_photon_number, low=0, high=1e4,
                       open_low=True, what="|alpha|^2")
        k1 = check_real("kappa_1 (1/s)", self.kappa_1, low=0, high=math.inf, open_low=True,
                        open_high=True)
        k2 = check_real("kappa_2 (1/s)", self.kappa_2, low=k1, high=math.inf, open_low=True,
                        open_high=True)
        durations = self.durations
        if durations is None:
            t = 1 / k2
            durations = Durations(single_qubit_gate=t, two_qubit_gate=t, measurement=t, reset=t)
        if not isinstance(durations, Durations):
            raise QecsimError(f"durations={durations!r} is not a qecsim.Durations or None")
        for name, value in durations.to_dict().items():
            if not value > 0:
                raise QecsimError(f"{name} duration={value!r} s is not > 0")
        object.__setattr__(self, "mean_photon_number", n)
        object.__setattr__(self, "kappa_1", k1)
        object.__setattr__(self, "kappa_2", k2)
        object.__setattr__(self, "durations", durations)
        self._check_range()

    def _check_range(self) -> None:
        n, ratio = self.mean_photon_number, self.kappa_1 / self.kappa_2
        problems = []
        if n < 2:
            problems.append(f"|alpha|^2={n:g} < 2 (the formulas are for large cats)")
        if ratio > 0.05:
            problems.append(f"kappa_1/kappa_2={ratio:.3g} > 0.05")
        adiabatic = n * self.kappa_2 * self.durations.two_qubit_gate
        if adiabatic < 1:
            problems.append(f"n kappa_2 T_CX={adiabatic:.3g} < 1 (CX too fast)")
        if problems:
            warnings.warn("cat-qubit parameters outside the formulas' range of validity: "
                          + "; ".join(problems), UserWarning, stacklevel=3)
        for name, probability in self._largest().items():
            if probability > 0.5:
                raise QecsimError(
                    f"the {name} error probability of this cat qubit is {probability:.3g} > 1/2 "
                    f"(|alpha|^2={n:g}, kappa_1={self.kappa_1:g}/s, kappa_2={self.kappa_2:g}/s)"
                )

    def _largest(self) -> dict[str, float]:
        z_control, z_half, bits = self._cx_probabilities()
        return {
            "CX phase-flip": z_control + 2 * z_half, "CX bit-flip": bits,
            "CX non-adiabatic": self.non_adiabatic(),
        }

    # ------------------------------------------------------------------ rates and parts
    @property
    def kappa_ratio(self) -> float:
        """kappa_1 / kappa_2."""
        return self.kappa_1 / self.kappa_2

    def phase_flip(self, duration: float) -> float:
        """Z probability of a cat idling for ``duration`` s: P(n kappa_1 t)."""
        return _flip(self.mean_photon_number * self.kappa_1 * duration)

    def bit_flip(self, duration: float) -> float:
        """X-or-Y probability of a cat idling for ``duration`` s: 1.1e-3 n kappa_1 e^(-2n) t."""
        n = self.mean_photon_number
        return min(IDLE_BIT_FLIP * n * self.kappa_1 * math.exp(-2 * n) * duration, 0.5)

    def non_adiabatic(self) -> float:
        """pi^2 / (64 n kappa_2 T): the CX's non-adiabatic phase flip of the control."""
        return math.pi**2 / (
            64 * self.mean_photon_number * self.kappa_2 * self.durations.two_qubit_gate
        )

    def idle_parts(self, duration: float) -> dict[str, tuple[float, float, float]]:
        """The one-qubit parts of idling for ``duration`` s: {part: (p_x, p_y, p_z)}."""
        bit = self.bit_flip(duration)
        return {"phase_flip": (0.0, 0.0, self.phase_flip(duration)),
                "bit_flip": (bit / 2, bit / 2, 0.0)}

    def cx_parts(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """(phase-flip part, bit-flip part) of the CX, as PAULI_CHANNEL_2 arguments (c, t)."""
        z_control, z_half, bits = self._cx_probabilities()
        parts = bias_preserving_cx(z_control=z_control, z_target=z_half, z_both=z_half,
                                   bit_flip=bits)
        return parts["phase_flip"], parts["bit_flip"]

    def _cx_probabilities(self) -> tuple[float, float, float]:
        """(Z on the control, Z on the target = ZZ, total bit flips) of the CX."""
        t = self.durations.two_qubit_gate
        n, ratio = self.mean_photon_number, self.kappa_ratio
        z_control = _either(min(self.non_adiabatic(), 1.0), self.phase_flip(t))
        z_half = _flip(n * self.kappa_1 * t / 2)
        bits = math.exp(-2 * n) * (CX_BIT_FLIP_A * math.sqrt(ratio) + CX_BIT_FLIP_B * ratio)
        return z_control, z_half, bits

    def channel_parts(self) -> dict[str, dict[str, tuple[float, ...]]]:
        """component -> part -> Pauli probabilities, for :class:`~qecsim.NoiseModel`.

        ``idle`` is idling for one CX duration (the tick of a two-qubit gate layer);
        ``measurement_idle`` the extra idling of a tick that measures and resets (``MRX``:
        measurement + reset durations, less the CX duration already in ``idle``).
        """
        d = self.durations
        phase, bit = self.cx_parts()
        extra = max(d.measurement + d.reset - d.two_qubit_gate, 0.0)
        return {
            "two_qubit_gate": {"phase_flip": phase, "bit_flip": bit},
            "single_qubit_gate": self.idle_parts(d.single_qubit_gate),
            "idle": self.idle_parts(d.two_qubit_gate),
            "measurement_idle": self.idle_parts(extra),
            "reset": self.idle_parts(d.reset),
            "measurement": self.idle_parts(d.measurement),
        }

    # ------------------------------------------------------------------ metadata
    def metadata(self) -> dict[str, float]:
        """The flat task metadata of :data:`CAT_METADATA_KEYS` (rates 1/s, times s)."""
        d = self.durations
        return {
            "photons": self.mean_photon_number, "kappa_1": self.kappa_1,
            "kappa_2": self.kappa_2, "t_single_qubit_gate": d.single_qubit_gate,
            "t_two_qubit_gate": d.two_qubit_gate, "t_measurement": d.measurement,
            "t_reset": d.reset,
        }

    @classmethod
    def from_metadata(cls, metadata: dict[str, Any]) -> CatQubit:
        """Rebuild from :meth:`metadata` (a task's ``json_metadata`` or a model's JSON).

        Raises:
            QecsimError: A key of :data:`CAT_METADATA_KEYS` is missing.
        """
        missing = [k for k in CAT_METADATA_KEYS if k not in metadata]
        if missing:
            raise QecsimError(f"cat-qubit metadata lacks key(s) {missing}; it needs "
                              f"{list(CAT_METADATA_KEYS)}")
        durations = Durations(
            single_qubit_gate=metadata["t_single_qubit_gate"],
            two_qubit_gate=metadata["t_two_qubit_gate"],
            measurement=metadata["t_measurement"], reset=metadata["t_reset"],
        )
        return cls(metadata["photons"], kappa_1=metadata["kappa_1"],
                   kappa_2=metadata["kappa_2"], durations=durations)
