"""Sweep tasks from your own circuits: metadata, rebuilding, collection, resume, analysis.

References: Google's published circuits (their folders name distance and rounds), qecsim's
own circuits (their NoiseModel says what a scaled circuit must be), and stim's detector error
model (scaling a component scales its mechanisms).
"""

from __future__ import annotations

import pathlib
import shutil

import pytest
import stim

import qecsim
from qecsim import analysis
from qecsim.experiment import google_data_path
from qecsim.sampling import read_store
from qecsim.sampling.circuit_tasks import (
    circuit_sha256,
    circuit_tasks,
    read_user_circuits,
    rounds_from_detectors,
)


def google_file(distance: int, rounds: int) -> pathlib.Path:
    return google_data_path(distance, rounds) / "circuit_noisy.stim"


def test_google_circuits_get_their_distance_and_rounds_from_the_circuit():
    files = [google_file(d, r) for d in (3, 5) for r in (1, 5, 13)]
    users = read_user_circuits(files)
    assert [(u.distance, u.rounds) for u in users] == [(d, r) for d in (3, 5) for r in (1, 5, 13)]
    assert all(u.path == str(f.resolve()) for u, f in zip(users, files, strict=True))
    assert all(u.summary is not None and u.summary.num_other == 0 for u in users)
    tagged = qecsim.memory_circuit(distance=3, rounds=6, noise=qecsim.NoiseModel.sd6(1e-3))
    (user,) = read_user_circuits({7: tagged}, rounds={7: 2})  # given beats measured
    assert (user.distance, user.rounds, user.summary) == (7, 2, None)
    assert rounds_from_detectors(tagged) == 6


def test_the_metadata_of_a_family_differs_only_in_distance_rounds_and_scales():
    files = [google_file(3, 5), google_file(5, 5)]
    tasks = qecsim.sweep_tasks(circuits=files, component_scales={"two_qubit_gate": [0.5, 1]})
    assert len(tasks) == 4
    first = tasks[0].json_metadata
    assert {k: first[k] for k in ("d", "rounds", "noise", "circuit",
                                  "scale_two_qubit_gate")} == {
        "d": 3, "rounds": 5, "noise": "circuit", "circuit": "circuit",
        "scale_two_qubit_gate": 0.5}
    family = first["circuit_files"]
    assert [(e["d"], e["rounds"]) for e in family] == [(3, 5), (5, 5)]
    assert family[0]["sha256"] == circuit_sha256(stim.Circuit.from_file(files[0]))
    varying = {"d", "rounds", "scale_two_qubit_gate"}
    assert all({k: v for k, v in t.json_metadata.items() if k not in varying}
               == {k: v for k, v in first.items() if k not in varying} for t in tasks)
    # two_qubit_gate scaled by 0.5: exactly the DEPOLARIZE2 channels, at half probability
    half = tasks[0].circuit
    nominal = qecsim.tag_noise(stim.Circuit.from_file(files[0]))
    for a, b in zip(half.flattened(), nominal.flattened(), strict=True):
        factor = 0.5 if a.tag.startswith("two_qubit_gate") else 1.0
        assert a.gate_args_copy() == pytest.approx([factor * x for x in b.gate_args_copy()])


def test_circuit_from_metadata_rebuilds_the_task_and_refuses_a_changed_file(tmp_path):
    path = tmp_path / "d3.stim"
    shutil.copy(google_file(3, 3), path)
    (task,) = qecsim.sweep_tasks(circuits=[path], scales=[2.0])
    assert task.json_metadata["scale"] == 2.0
    assert qecsim.circuit_from_metadata(task.json_metadata) == task.circuit
    moved = tmp_path / "moved.stim"
    path.rename(moved)
    with pytest.raises(qecsim.QecsimError, match="which is missing: pass circuits="):
        qecsim.circuit_from_metadata(task.json_metadata)
    assert qecsim.circuit_from_metadata(task.json_metadata, circuits=[moved]) == task.circuit
    path.write_text(moved.read_text().replace("DEPOLARIZE1(0.0005", "DEPOLARIZE1(0.0006", 1))
    with pytest.raises(qecsim.QecsimError, match="has changed since the task was made"):
        qecsim.circuit_from_metadata(task.json_metadata)


def test_a_circuit_that_was_never_a_file_needs_to_be_passed_back():
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(1e-3))
    (task,) = circuit_tasks(circuit)
    assert task.json_metadata["circuit_files"][0]["path"] is None
    with pytest.raises(qecsim.QecsimError, match=r"was a stim\.Circuit, not a file"):
        qecsim.circuit_from_metadata(task.json_metadata)
    other = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(2e-3))
    with pytest.raises(qecsim.QecsimError, match="none of the circuits given is"):
        qecsim.circuit_from_metadata(task.json_metadata, circuits=[other])
    assert qecsim.circuit_from_metadata(task.json_metadata, circuits=[other, circuit]) == (
        task.circuit)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"circuits": 3}, "is not a stim.Circuit, a .stim path"),
        ({"circuits": "missing.stim"}, "cannot read circuit file"),
        ({"circuits": [], "rounds": 3}, "circuits is empty"),
        ({"circuits": {0: stim.Circuit()}}, "the keys of a mapping are distances"),
        ({"circuits": "CIRCUIT", "distances": [3]}, "distances=.* does not apply to circuits="),
        ({"circuits": "CIRCUIT", "p": 0.001}, "p=0.001 does not apply to circuits="),
        ({"circuits": "CIRCUIT", "component_scales": {"gates": 2}}, "not a component"),
        ({"circuits": "CIRCUIT", "component_scales": {"idle": -1}}, r"is not a number in \[0"),
        ({"circuits": "CIRCUIT", "scales": [1, 1]}, "lists a factor twice"),
        ({"circuits": "CIRCUIT", "component_scales": {"two_qubit_gate": 1000}},
         "beyond its limit"),
        ({"circuits": ["CIRCUIT", "CIRCUIT"]}, "two circuits have d=3 and rounds=3"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(1e-3))

    def resolve(value):
        if value == "CIRCUIT":
            return circuit
        return [resolve(v) for v in value] if isinstance(value, list) else value

    kwargs = {k: resolve(v) for k, v in kwargs.items()}
    with pytest.raises(qecsim.QecsimError, match=message):
        qecsim.sweep_tasks(**kwargs)


def test_stim_circuits_without_detector_times_need_rounds():
    circuit = stim.Circuit("R 0 1\nX_ERROR(0.1) 0\nM 0 1\nDETECTOR rec[-1]\n"
                           "OBSERVABLE_INCLUDE(0) rec[-2]")
    with pytest.raises(qecsim.QecsimError, match=r"have no coordinates.*give rounds="):
        circuit_tasks(circuit)
    (task,) = circuit_tasks({1: circuit}, rounds=1)
    assert task.json_metadata["rounds"] == 1


@pytest.mark.slow
def test_collected_resumed_and_analysed_like_a_generated_sweep(tmp_path):
    files = [google_file(d, r) for d in (3, 5) for r in (1, 5, 9, 13)]
    tasks = qecsim.sweep_tasks(circuits=files)
    store = tmp_path / "google.csv"
    options = {"store": store, "max_shots": 4000, "num_workers": 2, "progress": False}
    stats = qecsim.collect(tasks, **options)
    assert [s.shots for s in stats] == [4000] * 8
    before = store.read_text()
    again = qecsim.collect(tasks, **options)  # resumed: nothing left to sample
    assert store.read_text() == before and [s.errors for s in again] == [s.errors for s in stats]
    # the family groups as a generated sweep does: one rounds series per distance, Lambda
    fits = analysis.fit_error_per_round(stats)
    assert [f.metadata["d"] for f in fits] == [3, 5]
    for fit in fits:  # Google's Sycamore: about 3% per round at d = 3 and 5 (Nature 2023)
        assert 0.015 < fit.error_per_round.best < 0.06
    assert fits[1].lambda_ is not None
    lam = analysis.fit_lambda([s for s in stats if s.json_metadata["rounds"] == 5])
    assert tuple(lam.distances) == (3, 5) and 0.5 < lam.best < 3
    # and every stored task's circuit is rebuilt from the store alone
    for stat in read_store(store):
        rebuilt = qecsim.circuit_from_metadata(stat.json_metadata)
        task = next(t for t in tasks if t.json_metadata == stat.json_metadata)
        assert rebuilt == task.circuit


def test_a_store_never_merges_two_circuits_with_the_same_metadata_keys(tmp_path):
    noise = qecsim.NoiseModel.si1000(2e-3)
    a = tmp_path / "a" / "c.stim"
    b = tmp_path / "b" / "c.stim"
    for path, p in ((a, 2e-3), (b, 4e-3)):
        path.parent.mkdir()
        path.write_text(str(qecsim.memory_circuit(distance=3, noise=noise.scaled(p / 2e-3))))
    tasks = [*qecsim.sweep_tasks(circuits=[a]), *qecsim.sweep_tasks(circuits=[b])]
    store = tmp_path / "store.csv"
    stats = qecsim.collect(tasks, store=store, max_shots=3000, num_workers=1, progress=False)
    assert len({s.strong_id for s in stats}) == 2
    assert sorted(s.shots for s in read_store(store)) == [3000, 3000]


@pytest.mark.slow
def test_circuit_tasks_on_the_dask_backend(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster, set_as_default=False)
    try:
        tasks = qecsim.sweep_tasks(circuits=[google_file(3, 3), google_file(5, 3)],
                                   component_scales={"measurement": [0.5, 1.0]})
        store = tmp_path / "dask.csv"
        stats = qecsim.collect(tasks, store=store, max_shots=5000, backend="dask",
                               scheduler=client, progress=False)
        assert [s.shots for s in stats] == [5000] * 4
        local = qecsim.collect(tasks, store=store, max_shots=5000, num_workers=1,
                               progress=False)  # the local backend resumes: nothing to do
        assert [s.errors for s in local] == [s.errors for s in stats]
        fits = analysis.fit_lambdas(stats)
        assert len(fits) == 2  # one Lambda per measurement scale
    finally:
        client.close()
        cluster.close()


def test_circuit_tasks_plot_like_generated_ones(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    tasks = qecsim.sweep_tasks(circuits=[google_file(3, 3), google_file(5, 3)],
                               scales=[0.5, 1.0])
    stats = qecsim.collect(tasks, store=None, max_shots=2000, num_workers=1, progress=False)
    ax = qecsim.plot_logical_error_vs_distance(stats)
    assert len(ax.get_lines()) >= 2
