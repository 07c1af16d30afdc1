"""Sweep grids: metadata keys, rebuilding circuits from metadata, validation before building."""

from __future__ import annotations

import json
import warnings

import pytest
import sinter

import qecsim
from qecsim.sampling.metadata import noise_from_metadata


def test_grid_is_the_product_in_order_with_flat_json_metadata():
    tasks = qecsim.sweep_tasks(
        distances=[3, 5], p=[1e-3, 2e-3], noise=["si1000", "sd6"], basis=["Z", "X"]
    )
    assert len(tasks) == 2 * 2 * 2 * 2
    for task in tasks:
        metadata = task.json_metadata
        assert list(metadata)[:6] == ["code", "basis", "d", "rounds", "noise", "p"]
        assert all(isinstance(v, (str, int, float, bool)) for v in metadata.values())
        assert json.loads(json.dumps(metadata)) == metadata
        assert metadata["rounds"] == metadata["d"]
        assert task.decoder is None
    keys = [(t.json_metadata["basis"], t.json_metadata["noise"], t.json_metadata["p"],
             t.json_metadata["d"]) for t in tasks]
    assert keys == sorted(keys, key=lambda k: (k[0] != "Z", k[1] != "si1000", k[2], k[3]))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(distances=[3], p=[2e-3], noise="si1000"),
        dict(distances=[3], p=[0.01], noise="phenomenological", code="repetition_code"),
        dict(distances=[5], p=[0.1], noise="code_capacity", basis="X"),
        dict(distances=[3], p=[1e-3], noise="sd6", rounds="2d"),
        dict(distances=[3], p=[1e-3], noise="uniform_depolarizing", rounds=4),
        dict(distances=[3], p=[1e-3], component_scales={"two_qubit_gate": 0.5}),
        dict(distances=[3], p=[1e-3], component_rates={"measurement": 0.02}),
        dict(distances=[3], p=[1e-3], tag_qubits=True),
    ],
)
def test_circuit_from_metadata_rebuilds_the_task_circuit(kwargs):
    (task,) = qecsim.sweep_tasks(**kwargs)
    assert qecsim.circuit_from_metadata(task.json_metadata) == task.circuit
    # also after a round trip through sinter's CSV format (keys come back sorted)
    stat = sinter.TaskStats(strong_id="x", decoder="pymatching", shots=1, errors=0,
                            json_metadata=task.json_metadata)
    line = stat.to_csv_line()
    assert '"d"' in line.replace('""', '"')
    reread = json.loads(json.dumps(task.json_metadata, sort_keys=True))
    assert qecsim.circuit_from_metadata(reread) == task.circuit


def test_rounds_options():
    tasks = qecsim.sweep_tasks(distances=[3, 5], p=0.1, noise="code_capacity")
    assert [t.json_metadata["rounds"] for t in tasks] == [1, 1]
    tasks = qecsim.sweep_tasks(distances=[3, 5], p=0.1, noise="code_capacity", rounds="d")
    assert [t.json_metadata["rounds"] for t in tasks] == [3, 5]
    tasks = qecsim.sweep_tasks(distances=[3], p=1e-3, rounds=["d", "3d", 2, lambda d: d + 1])
    assert [t.json_metadata["rounds"] for t in tasks] == [3, 9, 2, 4]
    tasks = qecsim.sweep_tasks(distances=[3], p=1e-3, rounds=["d", 3])  # duplicates dropped
    assert [t.json_metadata["rounds"] for t in tasks] == [3]


def test_component_scales_and_rates_enter_metadata_and_noise():
    tasks = qecsim.sweep_tasks(
        distances=3, p=2e-3, noise="si1000", component_scales={"measurement": [0.5, 1.0]},
        component_rates={"reset": 0.01},
    )
    assert [t.json_metadata["scale_measurement"] for t in tasks] == [0.5, 1.0]
    noise = noise_from_metadata(tasks[0].json_metadata)
    assert noise.measurement == pytest.approx(0.5 * 5 * 2e-3)
    assert noise.reset == 0.01
    assert noise.two_qubit_gate == pytest.approx(2e-3)


def test_custom_model_is_stored_as_json_and_swept_by_reference_rate():
    calibrated = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.01, idle=0.001)
    calibrated = calibrated.with_qubit_rates({2: {"measurement": 0.03}})
    tasks = qecsim.sweep_tasks(distances=3, noise=calibrated, scales=[0.5, 1.0])
    assert [t.json_metadata["scale"] for t in tasks] == [0.5, 1.0]
    assert all("p" not in t.json_metadata for t in tasks)  # p: a preset's parameter only
    assert {t.json_metadata["noise"] for t in tasks} == {"custom"}
    # the base model's JSON is constant over the sweep, so analysis groups stay together
    assert len({t.json_metadata["noise_model"] for t in tasks}) == 1
    assert qecsim.NoiseModel.from_json(tasks[0].json_metadata["noise_model"]) == calibrated
    rebuilt = noise_from_metadata(tasks[0].json_metadata)
    assert rebuilt.two_qubit_gate == pytest.approx(0.002)
    assert rebuilt.rate("measurement", (2,)) == pytest.approx(0.015)
    assert noise_from_metadata(tasks[1].json_metadata) == calibrated
    for task in tasks:
        assert qecsim.circuit_from_metadata(task.json_metadata) == task.circuit
    # p given directly means the same scaling
    (task,) = qecsim.sweep_tasks(distances=3, noise=calibrated, p=0.005)
    assert task.circuit == tasks[0].circuit


def test_a_model_equal_to_a_preset_is_recorded_as_the_preset():
    (task,) = qecsim.sweep_tasks(distances=3, noise=qecsim.NoiseModel.si1000(2e-3))
    assert task.json_metadata["noise"] == "si1000"
    assert task.json_metadata["p"] == 2e-3
    assert "noise_model" not in task.json_metadata


def test_decoders_set_the_sinter_decoder_field():
    tasks = qecsim.sweep_tasks(distances=3, p=1e-3, decoders="pymatching,pymatching-correlated")
    assert [t.decoder for t in tasks] == ["pymatching", "pymatching-correlated"]
    assert all("decoder" not in t.json_metadata for t in tasks)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(distances=[], p=1e-3), "distances=[] is empty"),
        (dict(distances=[3], p=[]), "p=[] is empty"),
        (dict(distances=[3], p=0.3, noise="si1000"), "p=0.3 is not in (0, 0.2]"),
        (dict(distances=[3], p=-1e-3), "p=-0.001 is not in"),
        (dict(distances=[3], p=0.0), "p=0.0 is not in"),
        (dict(distances=[3], p="a lot"), "p='a lot' is not a number"),
        (dict(distances=[3], p=None), "needs physical error rates p"),
        (dict(distances=[3], p=1e-3, noise="si1001"), "noise='si1001' is not in"),
        (dict(distances=[3], p=1e-3, code="color_code"), "code='color_code' is not in"),
        (dict(distances=[1], p=1e-3), "distance=1 is not in [2, 99]"),
        (dict(distances=[3.5], p=1e-3), "distance=3.5 is not an integer"),
        (dict(distances=[3], p=1e-3, basis="Y"), "basis='Y' is not in"),
        (dict(distances=[3], p=1e-3, rounds="dd"), "rounds='dd' is not an integer"),
        (dict(distances=[3], p=1e-3, rounds=0), "rounds=0 (for d=3) is not in"),
        (dict(distances=[3], p=1e-3, decoders=["pymatchin"]), "decoder='pymatchin' is not in"),
        (dict(distances=[3], p=1e-3, component_scales={"gates": 2}), "unknown component 'gates'"),
        (dict(distances=[3], p=1e-3, component_scales={"idle": -1}), "is not in [0, inf)"),
        (dict(distances=[3], p=1e-3, component_rates={"measurement": 2}), "is not in [0, 1]"),
        (dict(distances=[3], p=1e-3, scales=[2]), "scales=[2] applies to a NoiseModel"),
        (dict(distances=[3, 3], p=1e-3), "distances=[3, 3] lists 3 more than once"),
        (dict(distances=[3], p=[1e-3, 1e-3]), "p=[0.001, 0.001] lists 0.001 more than once"),
        (dict(distances=[3], p=1e-3, basis="Z,Z".split(",")), "basis=['Z', 'Z'] lists 'Z'"),
        (dict(distances=[3], p=1e-3, code=["repetition_code"] * 2), "code=['repetition_code'"),
    ],
)
def test_bad_grids_fail_with_the_bad_value_named(kwargs, message):
    with pytest.raises(qecsim.QecsimError) as error:
        qecsim.sweep_tasks(**kwargs)
    assert message in str(error.value)


def test_custom_model_sweep_errors():
    model = qecsim.NoiseModel(two_qubit_gate=0.004, measurement=0.01)
    with pytest.raises(qecsim.QecsimError, match="not both"):
        qecsim.sweep_tasks(distances=3, noise=model, p=0.01, scales=[1])
    with pytest.raises(qecsim.QecsimError, match="noiseless model"):
        qecsim.sweep_tasks(distances=3, noise=qecsim.NoiseModel())
    with pytest.raises(qecsim.QecsimError, match=r"is 2.0, not in \[0, 1\]"):
        qecsim.sweep_tasks(distances=3, noise=model, scales=[200])


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"code": "rotated_surface_code", "d": 3}, "lacks key(s)"),
        ({"code": "rotated_surface_code", "basis": "Z", "d": 3, "rounds": 3,
          "noise": "custom", "p": 0.01}, "noise_model=None"),
        ({"code": "rotated_surface_code", "basis": "Z", "d": 3, "rounds": 3,
          "noise": "nope", "p": 0.01}, "noise='nope' is not in"),
        ([1, 2], "is not a dict"),
    ],
)
def test_circuit_from_bad_metadata(metadata, message):
    with pytest.raises(qecsim.QecsimError) as error:
        qecsim.circuit_from_metadata(metadata)
    assert message in str(error.value)


def test_a_preset_model_swept_by_scales_stays_a_preset():
    tasks = qecsim.sweep_tasks(distances=3, noise=qecsim.NoiseModel.sd6(1e-3), scales=[1, 2])
    assert [(t.json_metadata["noise"], t.json_metadata["p"]) for t in tasks] == [
        ("sd6", 1e-3),
        ("sd6", 2e-3),
    ]


def test_a_model_with_per_qubit_overrides_warns_when_swept_over_several_circuits():
    model = qecsim.NoiseModel(two_qubit_gate=0.004).with_qubit_rates(
        {0: {"measurement": 0.05}}
    )
    with pytest.warns(UserWarning, match=r"keyed by circuit qubit index.*distances=\[3, 5\]"):
        qecsim.sweep_tasks(distances=[3, 5], noise=model)
    with pytest.warns(UserWarning, match="per-qubit/per-coupler overrides"):
        qecsim.sweep_tasks(distances=3, noise=model, code=["repetition_code",
                                                           "rotated_surface_code"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qecsim.sweep_tasks(distances=3, noise=model, scales=[1, 2])  # one circuit: fine
        qecsim.sweep_tasks(distances=[3, 5], noise=qecsim.NoiseModel(two_qubit_gate=0.004))


@pytest.mark.parametrize("argument", ["noise", "p"])
def test_a_circuit_passed_by_mistake_is_named_not_printed(argument):
    circuit = qecsim.memory_circuit(distance=3)
    with pytest.raises(qecsim.QecsimError) as error:
        qecsim.sweep_tasks(distances=3, **{argument: circuit})
    message = str(error.value)
    assert f"{argument}=stim.Circuit(" in message and "instructions" in message
    assert "QUBIT_COORDS" not in message and len(message) < 200


# ---------------------------------------------------------------------------------------------
# Gate sets


def _two_qubit_gates(circuit) -> set[str]:
    return {i.name for i in circuit.flattened() if i.name in ("CX", "CZ")}


def test_gate_set_is_recorded_and_defaults_to_the_noise_models_own():
    tasks = qecsim.sweep_tasks(distances=3, p=1e-3, noise=["si1000", "sd6", "uniform_depolarizing"])
    assert [t.json_metadata["gate_set"] for t in tasks] == ["cz", "cx", "cx"]
    assert [_two_qubit_gates(t.circuit) for t in tasks] == [{"CZ"}, {"CX"}, {"CX"}]
    chip = qecsim.NoiseModel(two_qubit_gate=3e-3, measurement=8e-3, gate_set="cz", name="chip")
    (task,) = qecsim.sweep_tasks(distances=3, noise=chip)
    assert task.json_metadata["gate_set"] == "cz"
    assert _two_qubit_gates(task.circuit) == {"CZ"}
    assert qecsim.circuit_from_metadata(task.json_metadata) == task.circuit


def test_a_sweep_over_gate_sets_rebuilds_each_circuit():
    tasks = qecsim.sweep_tasks(distances=3, p=1e-3, noise="si1000", gate_set=["cx", "cz"])
    assert [t.json_metadata["gate_set"] for t in tasks] == ["cx", "cz"]
    assert [_two_qubit_gates(t.circuit) for t in tasks] == [{"CX"}, {"CZ"}]
    for task in tasks:
        assert qecsim.circuit_from_metadata(task.json_metadata) == task.circuit
    noise = qecsim.NoiseModel.si1000(1e-3)
    assert tasks[0].circuit == qecsim.memory_circuit(distance=3, noise=noise, gate_set="cx")
    # the model is the preset either way; only the circuit's gate set differs
    assert noise_from_metadata(tasks[0].json_metadata) == noise


def test_an_old_store_task_without_gate_set_rebuilds_its_cnot_circuit():
    # Metadata as sweep_tasks wrote it before gate sets existed: every circuit was CNOT-native,
    # SI1000 included, so the missing key must mean "cx" (not SI1000's own "cz").
    old = {"code": "rotated_surface_code", "basis": "Z", "d": 3, "rounds": 3,
           "noise": "si1000", "p": 0.001}  # fmt: skip
    rebuilt = qecsim.circuit_from_metadata(old)
    assert _two_qubit_gates(rebuilt) == {"CX"}
    assert rebuilt == qecsim.memory_circuit(
        distance=3, rounds=3, noise=qecsim.NoiseModel.si1000(1e-3), gate_set="cx"
    )
    (new,) = qecsim.sweep_tasks(distances=3, p=1e-3, noise="si1000")
    assert new.json_metadata == {**old, "gate_set": "cz"} and new.circuit != rebuilt
    # a custom CZ model from an old store: its JSON says cz, the circuit it ran was CX
    chip = qecsim.NoiseModel(two_qubit_gate=3e-3, gate_set="cz", name="chip")
    old_custom = {"code": "rotated_surface_code", "basis": "Z", "d": 3, "rounds": 3,
                  "noise": "custom", "noise_label": "chip", "scale": 1.0,
                  "noise_model": chip.to_json(sort_keys=True)}  # fmt: skip
    assert _two_qubit_gates(qecsim.circuit_from_metadata(old_custom)) == {"CX"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gate_set": "cnot"}, r"gate_set='cnot' is not one of cx, cz"),
        ({"gate_set": ["cz", "cz"]}, r"gate_set=\['cz', 'cz'\] lists 'cz' more than once"),
        ({"gate_set": []}, r"gate_set=\[\] is empty"),
    ],
)
def test_bad_gate_sets_raise(kwargs, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        qecsim.sweep_tasks(distances=3, p=1e-3, **kwargs)


def test_a_bad_gate_set_in_metadata_raises():
    metadata = {"code": "repetition_code", "basis": "Z", "d": 3, "rounds": 2, "noise": "sd6",
                "p": 0.001, "gate_set": "iswap"}  # fmt: skip
    with pytest.raises(qecsim.QecsimError, match=r"metadata gate_set='iswap' is not one of"):
        qecsim.circuit_from_metadata(metadata)
