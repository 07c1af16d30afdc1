"""Tests of qecsim.analysis.qubit_footprint: distance and qubits for a target error per round."""

from __future__ import annotations

import math

import numpy as np
import pytest

import qecsim
from qecsim import analysis


def make_fit(lam, prefactor, *, var_intercept=0.0, var_log_lambda=0.0, cov=0.0, factor=1000.0):
    z = analysis.sigma_equivalent(factor)
    return qecsim.LambdaFit(
        best=lam,
        low=lam * math.exp(-z * math.sqrt(var_log_lambda)),
        high=lam * math.exp(z * math.sqrt(var_log_lambda)),
        intercept=math.log(prefactor),
        covariance=((var_intercept, cov), (cov, var_log_lambda)),
        chi_squared=0.0,
        degrees_of_freedom=0,
        distances=(3, 5),
        metadata={},
        max_likelihood_factor=factor,
    )


def smallest_distance(lam, prefactor, target):
    d = 3
    while prefactor / lam ** ((d + 1) / 2) > target:
        d += 2
    return d


def test_footprint_arithmetic():
    fit = make_fit(10.0, 0.1)  # eps_d = 0.1 / 10^((d+1)/2): 1e-12 at (d+1)/2 = 11, d = 21
    result = analysis.footprint(fit)
    assert (result.distance, result.qubits) == (21, 2 * 21**2 - 1)
    assert (result.distance_low, result.distance_high) == (21, 21)
    assert (result.low, result.best, result.high) == (881, 881, 881)
    repetition = analysis.footprint(fit, target=1e-6, code="repetition_code")
    assert (repetition.distance, repetition.qubits) == (9, 17)
    assert analysis.footprint(make_fit(10.0, 0.1), target=0.3).distance == 3


def test_footprint_interval_follows_lambda_interval():
    # Only ln Lambda uncertain: the ends must equal the distances for Lambda = low and high.
    fit = make_fit(3.0, 0.08, var_log_lambda=0.02**2)
    result = analysis.footprint(fit, target=1e-12)
    assert result.distance == smallest_distance(3.0, 0.08, 1e-12)
    assert result.distance_low == smallest_distance(fit.high, 0.08, 1e-12)
    assert result.distance_high == smallest_distance(fit.low, 0.08, 1e-12)
    assert result.distance_low < result.distance < result.distance_high
    assert result.qubits_high == 2 * result.distance_high**2 - 1


def test_footprint_unreachable_when_lambda_at_most_one():
    result = analysis.footprint(make_fit(1.05, 0.1, var_log_lambda=0.1**2))
    assert result.distance is not None and result.distance_high is None
    assert result.high is None
    below = analysis.footprint(make_fit(0.9, 0.1))
    assert (below.distance, below.qubits) == (None, None)


def test_footprint_takes_code_from_fit_metadata(lambda_stats):
    rng = np.random.default_rng(1)
    stats = lambda_stats(rng, lam=3.0, prefactor=0.1, distances=(3, 5, 7), shots=10**5)
    for stat in stats:
        stat.json_metadata["code"] = "repetition_code"
    result = analysis.footprint(analysis.fit_lambda(stats))
    assert result.code == "repetition_code"
    assert result.qubits == 2 * result.distance - 1


def test_footprint_rejects_bad_input():
    fit = make_fit(3.0, 0.1)
    with pytest.raises(qecsim.QecsimError, match=r"target=0 is not in \(0, 0.5\)"):
        analysis.footprint(fit, target=0)
    with pytest.raises(qecsim.QecsimError, match="code='color_code' is not in"):
        analysis.footprint(fit, code="color_code")
    with pytest.raises(qecsim.QecsimError, match="expected a LambdaFit"):
        analysis.footprint(3.0)


@pytest.mark.parametrize("code", qecsim.CODES)
def test_qubits_per_code_counts_the_qubits_memory_circuit_uses(code):
    """Every code qecsim builds has a count, equal to the qubits its circuits use."""
    for basis in "XZ":
        for d in (2, 3, 4, 5, 7, 9):
            circuit = qecsim.memory_circuit(code, distance=d, rounds=1, basis=basis)
            used = {t.value for instruction in circuit.flattened()
                    for t in instruction.targets_copy() if t.is_qubit_target}
            assert analysis.QUBITS_PER_CODE[code](d) == circuit.num_qubits == len(used)
    result = analysis.footprint(make_fit(4.0, 0.1), target=1e-12, code=code)
    assert result.qubits == analysis.QUBITS_PER_CODE[code](result.distance)
