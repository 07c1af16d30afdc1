"""Average gate infidelity (randomized benchmarking) to Pauli error probability."""

import numpy as np
import pytest
import stim

import qecsim


@pytest.mark.parametrize(("num_qubits", "factor"), [(1, 3 / 2), (2, 5 / 4)])
def test_infidelity_converts_as_d_plus_one_over_d(num_qubits, factor):
    assert qecsim.pauli_error_from_infidelity(0.002, num_qubits=num_qubits) == pytest.approx(
        factor * 0.002
    )


@pytest.mark.parametrize("num_qubits", [1, 2])
def test_the_converted_channel_has_the_given_average_infidelity(num_qubits):
    # independent check: average gate fidelity of the depolarizing channel from its
    # process fidelity, F_avg = (d F_pro + 1) / (d + 1), F_pro = 1 - p
    r = 0.004
    p = qecsim.pauli_error_from_infidelity(r, num_qubits=num_qubits)
    d = 2**num_qubits
    average_fidelity = (d * (1 - p) + 1) / (d + 1)
    assert 1 - average_fidelity == pytest.approx(r, rel=1e-12)
    # and stim accepts it as the channel's probability
    gate = "DEPOLARIZE1" if num_qubits == 1 else "DEPOLARIZE2"
    stim.Circuit(f"{gate}({p}) {' '.join(map(str, range(num_qubits)))}")
    assert np.isfinite(p)


def test_out_of_range_values_are_named():
    with pytest.raises(qecsim.QecsimError, match=r"average infidelity r=0.6 is not in"):
        qecsim.pauli_error_from_infidelity(0.6, num_qubits=1)
    with pytest.raises(qecsim.QecsimError, match="num_qubits=3"):
        qecsim.pauli_error_from_infidelity(0.01, num_qubits=3)
