"""Sweeps over physical parameters: cat-qubit photon number and kappa_1/kappa_2 as axes."""

import pytest

import qecsim
from qecsim.noise.cat import CAT_METADATA_KEYS


def cat_models(photons, ratio=1e-3):
    return [qecsim.NoiseModel.cat_qubit(n, kappa_2=1e7, kappa_ratio=ratio) for n in photons]


def test_photon_number_and_kappa_ratio_are_sweep_axes_that_rebuild_their_circuits():
    models = cat_models([4, 8]) + cat_models([4], ratio=3e-3)
    tasks = qecsim.sweep_tasks(distances=[3, 5], noise=models, code="cat_repetition_code",
                               basis=["X", "Z"])
    assert len(tasks) == 3 * 2 * 2
    for task in tasks:
        metadata = task.json_metadata
        assert metadata["noise"] == "cat_qubit" and "p" not in metadata
        assert set(CAT_METADATA_KEYS) <= set(metadata)
        assert qecsim.circuit_from_metadata(metadata) == task.circuit
    photons = {(t.json_metadata["photons"], t.json_metadata["kappa_1"]) for t in tasks}
    assert photons == {(4.0, 1e4), (8.0, 1e4), (4.0, 3e4)}


def test_a_cat_model_is_not_swept_by_p():
    with pytest.raises(qecsim.QecsimError, match="physical parameters"):
        qecsim.sweep_tasks(distances=3, noise=cat_models([4])[0], p=[1e-3],
                           code="cat_repetition_code")


def test_a_scaled_cat_model_is_a_custom_model():
    (model,) = cat_models([4])
    (task,) = qecsim.sweep_tasks(distances=3, noise=model.scaled(**{"idle.bit_flip": 10}),
                                 code="cat_repetition_code")
    assert task.json_metadata["noise"] == "custom"
    assert qecsim.circuit_from_metadata(task.json_metadata) == task.circuit


def test_rectangle_metadata_rebuilds_the_rectangle():
    metadata = {"code": "rotated_surface_code", "basis": "X", "d": 5, "d_x": 3, "d_z": 5,
                "rounds": 2, "noise": "sd6", "p": 1e-3}
    circuit = qecsim.circuit_from_metadata(metadata)
    assert circuit.num_qubits == 2 * 3 * 5 - 1
    assert len(circuit.shortest_graphlike_error()) == 5
