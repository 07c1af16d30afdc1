"""Z-biased Pauli channels: one and two qubits, and bias-preserving CX noise.

Definitions (used by every function here and by :class:`~qecsim.noise.model.NoiseModel`):

- **Bias of a one-qubit Pauli channel** (Tuckett, Bartlett and Flammia, PRL 120, 050505
  (2018); the convention of Bonilla Ataides et al., Nat. Commun. 12, 2172 (2021)):
  eta = p_z / (p_x + p_y) with p_x = p_y. eta = 1/2 is depolarizing (each Pauli p/3),
  eta = inf pure dephasing, eta = 0 no Z at all.
- **Z-type and X/Y-type two-qubit Paulis.** A two-qubit Pauli P1 P2 is *Z-type* when both
  letters are I or Z (IZ, ZI, ZZ: it flips no bit, only phases); it is *X/Y-type* when a
  letter is X or Y (the other 12: it flips a bit of at least one qubit).
- **Weights seen by one qubit.** For a two-qubit channel and one of its qubits k, the
  *Z-type weight* of qubit k is the probability that the channel applies Z to qubit k
  (sum over the Paulis whose k-th letter is Z), its *X/Y-type weight* the probability it
  applies X or Y to qubit k. They are the weights of the one-qubit channel that qubit k
  sees (the marginal), so their ratio is that one-qubit channel's eta.
- **Bias of a two-qubit channel**: eta such that on each qubit the X/Y-type weight is the
  Z-type weight divided by eta, i.e. both qubits see a one-qubit channel of bias eta.
  DEPOLARIZE2 (each of the 15 Paulis p/15) gives each qubit Z with 4p/15 and X or Y with
  8p/15: eta = 1/2, as for DEPOLARIZE1.

The **Z-biased two-qubit channel** of rate p and bias eta (:func:`z_biased_pauli_channel_2`)
gives each non-identity Pauli P1 P2 a probability proportional to w(P1) w(P2), with the
one-qubit letter weights w(I) = 1/4, w(X) = w(Y) = 3 / (8 (1 + eta)), w(Z) = 3 eta / (4 (1 +
eta)), normalised so that the 15 probabilities add up to p. The letters are drawn as from a
one-qubit channel of bias eta (total 3/4, the fully mixing channel at eta = 1/2), so at eta =
1/2 all 15 are p/15: exactly DEPOLARIZE2. Each qubit sees bias exactly eta for every eta in
[0, inf]; at eta = inf the channel is IZ and ZI with p/5 each and ZZ with 3p/5.

**Bias-preserving CX noise** (:func:`bias_preserving_cx`) is the noise of a CX that does not
turn phase flips into bit flips, as the CX between stabilized cat qubits (Guillaud and
Mirrahimi, PRX 9, 041053 (2019); Puri et al., Sci. Adv. 6, eaay5901 (2020)): Z-type errors on
the control (ZI), the target (IZ) and both (ZZ) with their own probabilities, and bit flips
suppressed by eta: X and Y on each qubit alone (XI, YI on the control, IX, IY on the target,
equal halves) with that qubit's Z-type weight divided by eta. Its two parts are tagged
``two_qubit_gate.phase_flip`` and ``two_qubit_gate.bit_flip``.

Probabilities are in stim's argument order: PAULI_CHANNEL_1 (p_x, p_y, p_z), PAULI_CHANNEL_2
(IX, IY, IZ, XI, XX, XY, XZ, YI, YX, YY, YZ, ZI, ZX, ZY, ZZ), the first letter acting on the
first target (the control of a CX).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from qecsim.errors import QecsimError
from qecsim.validation import check_probability, check_real

__all__ = [
    "PAULIS_2",
    "bias_preserving_cx",
    "pauli_weights",
    "split_z_type",
    "z_biased_pauli_channel_1",
    "z_biased_pauli_channel_2",
]

#: The 15 two-qubit Paulis in PAULI_CHANNEL_2's argument order.
PAULIS_2: tuple[str, ...] = tuple(
    a + b for a in "IXYZ" for b in "IXYZ" if a + b != "II"
)

_Z_TYPE = frozenset({"IZ", "ZI", "ZZ"})


def _eta(eta: float) -> float:
    return check_real("eta", eta, low=0, high=math.inf, what="Z bias (p_z / (p_x + p_y))")


def z_biased_pauli_channel_1(p: float, eta: float) -> tuple[float, float, float]:
    """(p_x, p_y, p_z) of a one-qubit channel of total p and bias eta = p_z / (p_x + p_y).

    Examples:
        >>> [round(v, 12) for v in z_biased_pauli_channel_1(0.03, 0.5)]  # depolarizing
        [0.01, 0.01, 0.01]
        >>> z_biased_pauli_channel_1(0.03, math.inf)
        (0.0, 0.0, 0.03)
    """
    p = check_probability("p", p, 1.0)
    eta = _eta(eta)
    if math.isinf(eta):
        return 0.0, 0.0, p
    pxy = p / (2 * (1 + eta))
    return pxy, pxy, p - 2 * pxy


def z_biased_pauli_channel_2(p: float, eta: float) -> tuple[float, ...]:
    """The 15 PAULI_CHANNEL_2 probabilities of the Z-biased two-qubit channel (module docstring).

    Args:
        p: Total error probability (the p of DEPOLARIZE2 at eta = 1/2), in [0, 15/16].
        eta: Bias seen by each qubit, in [0, inf].

    Returns:
        The probabilities in stim's order (:data:`PAULIS_2`), adding up to p.

    Examples:
        >>> set(z_biased_pauli_channel_2(0.015, 0.5)) == {0.015 / 15}
        True
        >>> z_biased_pauli_channel_2(0.01, math.inf)[PAULIS_2.index("ZZ")]
        0.006
    """
    p = check_probability("p", p, 15 / 16)
    eta = _eta(eta)
    if eta == 0.5:
        return (p / 15,) * 15
    if math.isinf(eta):
        letter = {"I": 0.25, "X": 0.0, "Y": 0.0, "Z": 0.75}
    else:
        letter = {"I": 0.25, "X": 3 / (8 * (1 + eta)), "Y": 3 / (8 * (1 + eta)),
                  "Z": 3 * eta / (4 * (1 + eta))}
    raw = [letter[a] * letter[b] for a, b in PAULIS_2]
    total = sum(raw)
    return tuple(p * r / total for r in raw)


def pauli_weights(probabilities: Sequence[float]) -> tuple[tuple[float, float], ...]:
    """(Z-type weight, X/Y-type weight) seen by each qubit of a Pauli channel.

    Args:
        probabilities: 3 (PAULI_CHANNEL_1) or 15 (PAULI_CHANNEL_2) probabilities.

    Returns:
        One (probability of Z on the qubit, probability of X or Y on it) per qubit.

    Examples:
        >>> [tuple(round(w, 6) for w in pair) for pair in pauli_weights((0.01,) * 15)]
        [(0.04, 0.08), (0.04, 0.08)]
    """
    values = [float(v) for v in probabilities]
    if len(values) == 3:
        return ((values[2], values[0] + values[1]),)
    if len(values) != 15:
        raise QecsimError(f"a Pauli channel has 3 or 15 probabilities, not {len(values)}")
    weights = []
    for k in range(2):
        z = sum(v for pauli, v in zip(PAULIS_2, values, strict=True) if pauli[k] == "Z")
        xy = sum(v for pauli, v in zip(PAULIS_2, values, strict=True) if pauli[k] in "XY")
        weights.append((z, xy))
    return tuple(weights)


def split_z_type(probabilities: Sequence[float]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Split a PAULI_CHANNEL_2 into its Z-type terms and its X/Y-type terms.

    Returns:
        (the 15 probabilities with only IZ, ZI, ZZ kept, the 15 with only the other 12).

    Examples:
        >>> z, xy = split_z_type((0.01,) * 15)
        >>> round(sum(z), 6), round(sum(xy), 6)
        (0.03, 0.12)
    """
    if len(probabilities) != 15:
        raise QecsimError(f"a PAULI_CHANNEL_2 has 15 probabilities, not {len(probabilities)}")
    z = tuple(v if pauli in _Z_TYPE else 0.0 for pauli, v in zip(PAULIS_2, probabilities,
                                                                  strict=True))
    xy = tuple(0.0 if pauli in _Z_TYPE else v for pauli, v in zip(PAULIS_2, probabilities,
                                                                  strict=True))
    return z, xy


def bias_preserving_cx(
    *, z_control: float, z_target: float, z_both: float, eta: float = math.inf,
    bit_flip: float | None = None,
) -> dict[str, tuple[float, ...]]:
    """The two parts of bias-preserving CX noise (module docstring), as PAULI_CHANNEL_2 args.

    Args:
        z_control: Probability of ZI (a phase flip of the control alone).
        z_target: Probability of IZ (a phase flip of the target alone).
        z_both: Probability of ZZ.
        eta: Bias seen by each qubit: X and Y on the control have probability
            (z_control + z_both) / eta, on the target (z_target + z_both) / eta. ``inf``: no
            bit flips. Ignored when ``bit_flip`` is given.
        bit_flip: Instead of eta, the total probability of X/Y-type errors, split equally
            over XI, YI, IX, IY (e.g. a cat qubit's measured or fitted CX bit-flip rate).

    Returns:
        ``{"phase_flip": 15 probabilities, "bit_flip": 15 probabilities}``.

    Raises:
        QecsimError: A probability outside [0, 1], or all parts adding up to more than 1.

    Examples:
        >>> parts = bias_preserving_cx(z_control=0.02, z_target=0.005, z_both=0.005, eta=100)
        >>> [tuple(round(w, 8) for w in pair) for pair in pauli_weights(
        ...     [a + b for a, b in zip(parts["phase_flip"], parts["bit_flip"])])]
        [(0.025, 0.00025), (0.01, 0.0001)]
    """
    zc = check_probability("z_control", z_control, 1.0)
    zt = check_probability("z_target", z_target, 1.0)
    zz = check_probability("z_both", z_both, 1.0)
    if bit_flip is None:
        eta = _eta(eta)
        if eta == 0:
            raise QecsimError("eta=0 is not allowed for bias-preserving CX noise (no Z at all)")
        control, target = (0.0, 0.0) if math.isinf(eta) else ((zc + zz) / eta, (zt + zz) / eta)
    else:
        total = check_probability("bit_flip", bit_flip, 1.0)
        control = target = total / 2
    phase = dict.fromkeys(PAULIS_2, 0.0)
    phase.update({"ZI": zc, "IZ": zt, "ZZ": zz})
    bits = dict.fromkeys(PAULIS_2, 0.0)
    bits.update({"XI": control / 2, "YI": control / 2, "IX": target / 2, "IY": target / 2})
    total = sum(phase.values()) + sum(bits.values())
    if total > 1:
        raise QecsimError(f"bias-preserving CX noise adds up to {total:.4g} > 1")
    return {
        "phase_flip": tuple(phase[p] for p in PAULIS_2),
        "bit_flip": tuple(bits[p] for p in PAULIS_2),
    }
