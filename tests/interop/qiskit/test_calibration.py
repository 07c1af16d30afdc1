"""Tests of qecsim.interop.qiskit.calibration: reading a backend's calibration numbers."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit.providers import QubitProperties
from qiskit.providers.fake_provider import GenericBackendV2
from qiskit.transpiler import InstructionProperties

import qecsim
from qecsim.interop import qiskit as qiskit_interop


def generic(num_qubits: int = 5, seed: int = 1) -> GenericBackendV2:
    return GenericBackendV2(num_qubits, seed=seed)


def test_per_qubit_readout_equals_the_fake_backends_mean_of_both_flip_probabilities(torino):
    backend = torino
    properties = backend.properties()
    layout = [5, 6, 7, 17, 27, 28, 29]
    noise = qiskit_interop.noise_from_backend(backend, layout=layout)
    for code_qubit, device_qubit in enumerate(layout):
        reported = properties.qubit_property(device_qubit)
        expected = (reported["prob_meas0_prep1"][0] + reported["prob_meas1_prep0"][0]) / 2
        assert noise.rate("measurement", (code_qubit,)) == pytest.approx(expected, rel=1e-12)
    # the two flip probabilities really differ on this snapshot, so the mean is what we test
    assert any(
        properties.qubit_property(q)["prob_meas0_prep1"][0]
        != properties.qubit_property(q)["prob_meas1_prep0"][0]
        for q in layout
    )


def test_per_qubit_readout_equals_the_generic_backends_target_error():
    backend = generic()
    noise = qiskit_interop.noise_from_backend(backend, layout=[4, 3, 2, 1, 0])
    for code_qubit, device_qubit in enumerate([4, 3, 2, 1, 0]):
        expected = backend.target["measure"][(device_qubit,)].error
        assert noise.rate("measurement", (code_qubit,)) == expected


def test_mean_aggregation_and_directed_couplers_of_a_generic_backend():
    backend = generic()
    target = backend.target
    noise = qiskit_interop.noise_from_backend(
        backend, aggregate="mean", gate_error_convention="depolarizing"
    )
    per_coupler = {}
    for (a, b), props in target["cx"].items():
        per_coupler.setdefault(tuple(sorted((a, b))), []).append(props.error)
    assert noise.two_qubit_gate == pytest.approx(
        np.mean([np.mean(v) for v in per_coupler.values()]), rel=1e-12
    )
    per_qubit = qiskit_interop.noise_from_backend(
        backend, layout=[0, 1, 2, 3, 4], gate_error_convention="depolarizing"
    )
    # both calibrated directions of a coupler are averaged
    assert per_qubit.rate("two_qubit_gate", (1, 3)) == pytest.approx(np.mean(per_coupler[(1, 3)]))


@pytest.mark.parametrize(
    ("operation", "qargs", "error", "message"),
    [
        ("measure", (0,), -0.01, r"readout_error\[0\]=-0.01 is not in \[0, 1\]"),
        ("measure", (1,), 1.5, r"readout_error\[1\]=1.5 is not in \[0, 1\]"),
        ("sx", (2,), float("nan"), r"single_qubit_gate_error\[2\]=nan is not in \[0, 1\]"),
        ("cx", (1, 0), -1e-3, r"two_qubit_gate_error\[\(1, 0\)\]=-0.001 \(cx\) is not in"),
    ],
)
def test_malformed_error_values_raise(operation, qargs, error, message):
    backend = generic()
    old = backend.target[operation][qargs]
    backend.target.update_instruction_properties(
        operation, qargs, InstructionProperties(duration=old.duration, error=error)
    )
    with pytest.raises(qecsim.QecsimError, match=message):
        qiskit_interop.noise_from_backend(backend, aggregate="median")


def test_malformed_times_raise(edited_backend):
    backend = generic()
    properties = [backend.qubit_properties(q) for q in range(5)]
    properties[1] = QubitProperties(t1=-5e-6, t2=properties[1].t2)
    with pytest.raises(qecsim.QecsimError, match=r"t1\[1\]=-5e-06 is not in \(0, inf\)"):
        qiskit_interop.noise_from_backend(edited_backend(backend, properties))


def test_backend_names():
    pytest.importorskip("qiskit_ibm_runtime.fake_provider")
    assert qiskit_interop.backend_from_name("FakeKyiv").name == "fake_kyiv"
    assert qiskit_interop.backend_from_name("athens").name == "fake_athens"


def test_device_calibration_checks_its_numbers():
    def calibration(**changes):
        values = dict(
            backend_name="toy",
            num_qubits=2,
            two_qubit_gate_name="cz",
            single_qubit_gate_name="sx",
            single_qubit_gate_error={0: 1e-4, 1: 2e-4},
            two_qubit_gate_error={(0, 1): 3e-3},
            readout_error={0: 0.01, 1: 0.02},
        )
        values.update(changes)
        return qiskit_interop.DeviceCalibration(**values)

    assert calibration().couplers == ((0, 1),)
    with pytest.raises(qecsim.QecsimError, match=r"num_qubits=0 is not >= 1"):
        calibration(num_qubits=0)
    with pytest.raises(qecsim.QecsimError, match=r"readout_error key 2 is not a device qubit"):
        calibration(readout_error={2: 0.01})
    with pytest.raises(qecsim.QecsimError, match=r"t2\[0\]=0 is not in \(0, inf\)"):
        calibration(t2={0: 0})
    with pytest.raises(qecsim.QecsimError, match=r"toy: no readout error on any qubit"):
        calibration(readout_error={})
    with pytest.raises(qecsim.QecsimError, match=r"no cz gate error on any coupler"):
        calibration(two_qubit_gate_error={})


def test_device_calibration_reads_what_the_target_reports():
    backend = generic()
    calibration = qiskit_interop.device_calibration(backend)
    target = backend.target
    assert calibration.num_qubits == 5 and calibration.two_qubit_gate_name == "cx"
    for q in range(5):
        assert calibration.single_qubit_gate_error[q] == target["sx"][(q,)].error
        assert calibration.readout_error[q] == target["measure"][(q,)].error
        assert calibration.t1[q] == backend.qubit_properties(q).t1
    a, b = calibration.couplers[0]
    assert calibration.two_qubit_gate_duration[(a, b)] == pytest.approx(
        np.mean([target["cx"][(a, b)].duration, target["cx"][(b, a)].duration])
    )
