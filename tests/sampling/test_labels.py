"""Labels of noise models in task metadata (issue 11 item 2), and stores written before them."""

from __future__ import annotations

import pytest
import sinter

import qecsim
from qecsim.sampling.labels import noise_label
from qecsim.sampling.tasks import noise_from_metadata

CHIP = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.008, idle=0.001)


@pytest.mark.parametrize(
    ("noise", "label"),
    [
        (qecsim.NoiseModel.sd6(2e-3), "sd6 p=0.002"),
        (qecsim.NoiseModel.si1000(1e-3).scaled(measurement=1.6),
         "si1000 p=0.001, measurement=0.008"),
        (qecsim.NoiseModel.si1000(1e-3).scaled(idle=0), "si1000 p=0.001, idle=0"),
        (CHIP, "two_qubit_gate=0.004, idle=0.001, measurement=0.008"),
        (qecsim.NoiseModel(two_qubit_gate=0.004, single_qubit_gate=0.001, idle=0.001,
                           reset=0.002, measurement=0.008),
         "two_qubit_gate=0.004, single_qubit_gate=0.001, idle=0.001, +2 more"),
        (CHIP.with_qubit_rates({2: {"measurement": 0.03}}),
         "two_qubit_gate=0.004, idle=0.001, measurement=0.008, overrides on 1 qubit(s)"),
        (qecsim.NoiseModel(two_qubit_gate=0.004, name="chip A"), "chip A"),
    ],
)  # fmt: skip
def test_noise_label(noise, label):
    assert noise_label(noise) == label


def test_a_chip_with_a_large_readout_error_is_not_labelled_with_p():
    tasks = qecsim.sweep_tasks(distances=3, noise=CHIP, scales=[1, 2])
    for task, scale in zip(tasks, (1.0, 2.0), strict=True):
        metadata = task.json_metadata
        assert "p" not in metadata
        assert metadata["scale"] == scale
        assert metadata["noise_label"] == "two_qubit_gate=0.004, idle=0.001, measurement=0.008"
        assert qecsim.circuit_from_metadata(metadata) == task.circuit
    assert noise_from_metadata(tasks[1].json_metadata).measurement == pytest.approx(0.016)


def test_a_modified_preset_keeps_its_p_and_says_what_changed():
    noise = qecsim.NoiseModel.si1000(1e-3).scaled(measurement=0.5)
    (task,) = qecsim.sweep_tasks(distances=3, noise=noise, p=2e-3)
    metadata = task.json_metadata
    assert (metadata["p"], metadata["scale"]) == (2e-3, 2.0)
    assert metadata["noise_label"] == "si1000 p=0.001, measurement=0.0025"
    assert qecsim.circuit_from_metadata(metadata) == task.circuit


def test_two_custom_models_get_two_labels():
    other = CHIP.scaled(measurement=2)
    tasks = qecsim.sweep_tasks(distances=3, noise=[CHIP, other])
    labels = [t.json_metadata["noise_label"] for t in tasks]
    assert len(set(labels)) == 2 and "measurement=0.016" in labels[1]


def test_old_store_rows_of_custom_models_still_load_and_rebuild(tmp_path):
    # The metadata a custom model had before `scale` and `noise_label`: p = reference rate
    # (the largest rate, 0.008 here) after scaling, here scaled by 2.
    old = {"code": "repetition_code", "basis": "Z", "d": 3, "rounds": 3, "noise": "custom",
           "p": 0.016, "noise_model": CHIP.to_json(sort_keys=True)}  # fmt: skip
    noise = noise_from_metadata(old)
    assert noise.measurement == pytest.approx(0.016) and noise.idle == pytest.approx(0.002)
    (new,) = qecsim.sweep_tasks(code="repetition_code", distances=3, noise=CHIP, scales=[2])
    assert qecsim.circuit_from_metadata(old) == new.circuit
    store = tmp_path / "old.csv"
    row = sinter.TaskStats(strong_id="x", decoder="pymatching", shots=100, errors=3,
                           json_metadata=old)  # fmt: skip
    store.write_text(sinter.CSV_HEADER + "\n" + row.to_csv_line() + "\n")
    (stat,) = qecsim.sampling.read_store(store)
    assert stat.json_metadata == old
    (result,) = qecsim.analysis.logical_error_per_round([stat])
    assert result.p == 0.016
