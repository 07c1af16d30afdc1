"""Labels of noise models in task metadata (issue 11 item 2), and stores written before them."""

from __future__ import annotations

import pytest
import sinter

import qecsim
from qecsim.sampling.labels import noise_label
from qecsim.sampling.metadata import noise_from_metadata

CHIP = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.008, idle=0.001)


@pytest.mark.parametrize(
    ("noise", "label"),
    [
        (qecsim.NoiseModel.sd6(2e-3), "sd6 p=0.002"),
        (qecsim.NoiseModel.si1000(1e-3).scaled(measurement=1.6),
         "si1000 p=0.001, measurement=8p"),
        (qecsim.NoiseModel.si1000(1e-3).scaled(idle=0), "si1000 p=0.001, idle=0"),
        (qecsim.NoiseModel.sd6(1e-3).with_qubit_rates({0: {"measurement": 0.01}}),
         "sd6 p=0.001, overrides on 1 qubit(s)"),
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
    assert metadata["noise_label"] == "si1000 p=0.001, measurement=2.5p"
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


DURATIONS = qecsim.Durations(
    single_qubit_gate=25e-9, two_qubit_gate=40e-9, measurement=500e-9, reset=200e-9
)
SI1000 = qecsim.NoiseModel.si1000(1e-3)


@pytest.mark.parametrize(
    ("noise", "label"),
    [
        (SI1000.with_coherence(t1=80e-6, t2=60e-6, durations=DURATIONS),
         "si1000 p=0.001, T1/T2 80/60 us"),
        (SI1000.with_coherence(t1=20e-6, t2=10e-6, durations=DURATIONS),
         "si1000 p=0.001, T1/T2 20/10 us"),
        (SI1000.with_coherence(t1=20e-6, t2=10e-6, durations=DURATIONS, qubit=3),
         "si1000 p=0.001, T1/T2 on 1 qubit(s)"),
        (SI1000.with_gate_set("cx"), "si1000 p=0.001, gate set cx"),
        (qecsim.NoiseModel.sd6(1e-3).with_gate_set("cz"), "sd6 p=0.001, gate set cz"),
        (SI1000.with_crosstalk(parallel=1e-4), "si1000 p=0.001, parallel crosstalk 0.0001"),
        (SI1000.with_crosstalk(spectator=1e-4), "si1000 p=0.001, crosstalk=0.1p"),
        (SI1000.with_durations(DURATIONS).with_crosstalk(static_zz=50e3),
         "si1000 p=0.001, static ZZ 50 kHz"),
        (SI1000.with_durations(DURATIONS).with_crosstalk(coupler_static_zz={(1, 2): 2e5}),
         "si1000 p=0.001, static ZZ on 1 coupler(s)"),
        (SI1000.with_coupler_rates({(1, 2): {"two_qubit_gate": 0.01}}),
         "si1000 p=0.001, overrides on 1 coupler(s)"),
        (qecsim.NoiseModel.uniform_depolarizing(1e-3).with_z_bias(10.0),
         "uniform_depolarizing p=0.001, Z bias 10"),
        (SI1000.with_z_bias(10.0, qubit=2), "si1000 p=0.001, Z bias on 1 qubit(s)"),
        (SI1000.with_coherence(t1=80e-6, t2=60e-6, durations=DURATIONS).scaled(idle=2),
         "si1000 p=0.001, idle=0.2p, T1/T2 80/60 us, T1/T2 idle x2"),
        (CHIP.with_gate_set("cz"), "two_qubit_gate=0.004, idle=0.001, measurement=0.008, "
         "gate set cz"),
    ],
)  # fmt: skip
def test_labels_say_what_differs_from_the_preset_beyond_its_rates(noise, label):
    assert noise_label(noise) == label


def test_models_that_differ_beyond_their_rates_get_different_labels():
    # Regression: all of these were labelled "si1000 p=0.001".
    models = [
        SI1000,
        SI1000.with_coherence(t1=80e-6, t2=60e-6, durations=DURATIONS),
        SI1000.with_coherence(t1=20e-6, t2=10e-6, durations=DURATIONS),
        SI1000.with_gate_set("cx"),
        SI1000.with_crosstalk(parallel=1e-4),
        SI1000.with_crosstalk(parallel=1e-3),
        SI1000.with_durations(DURATIONS).with_crosstalk(static_zz=50e3),
    ]
    labels = [noise_label(model) for model in models]
    assert len(set(labels)) == len(models), labels
    assert all(len(label) <= 45 for label in labels), labels


def test_a_model_swept_in_p_is_labelled_with_the_p_of_each_point():
    from qecsim.analysis.labels import describe_metadata, group_labels

    noise = SI1000.scaled(measurement=1.6)
    tasks = qecsim.sweep_tasks(distances=3, noise=noise, p=[1e-3, 2e-3])
    metadatas = [task.json_metadata for task in tasks]
    assert [describe_metadata(m, "pymatching", exclude=("d", "rounds")) for m in metadatas] == [
        "si1000 p=0.001, measurement=8p, gate_set=cz, decoder=pymatching",
        "si1000 p=0.002, measurement=8p, gate_set=cz, decoder=pymatching",
    ]
    # with p varying inside the group (a threshold), the label has no p at all
    assert describe_metadata(metadatas[1], exclude=("d", "rounds", "p", "scale", "gate_set")) == (
        "si1000, measurement=8p"
    )
    assert group_labels(metadatas, exclude=("d", "rounds")) == ["p=0.001", "p=0.002"]
    # a model with T1/T2 keeps its scale: the T1/T2 idle errors are scaled too
    coherent = SI1000.with_coherence(t1=80e-6, t2=60e-6, durations=DURATIONS)
    (_, task) = qecsim.sweep_tasks(distances=3, noise=coherent, p=[1e-3, 2e-3])
    assert describe_metadata(task.json_metadata, exclude=("d", "rounds", "gate_set")) == (
        "si1000 p=0.002, T1/T2 80/60 us, scale=2"
    )
