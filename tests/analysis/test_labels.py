"""Legend and table labels of groups of statistics (qecsim.analysis.labels)."""

from __future__ import annotations

import qecsim
from qecsim.analysis.labels import describe_metadata, group_labels
from qecsim.sampling.circuit_tasks import circuit_tasks

DURATIONS = qecsim.Durations(
    single_qubit_gate=25e-9, two_qubit_gate=40e-9, measurement=500e-9, reset=200e-9
)
SI1000 = qecsim.NoiseModel.si1000(1e-3)


def metadata_of(noise, **extra) -> dict:
    (task,) = qecsim.sweep_tasks(distances=3, noise=noise, **extra)
    return task.json_metadata


def test_stored_labels_of_models_that_differ_beyond_rates_tell_them_apart():
    models = [
        SI1000.with_coherence(t1=80e-6, t2=60e-6, durations=DURATIONS),
        SI1000.with_coherence(t1=20e-6, t2=10e-6, durations=DURATIONS),
        SI1000.with_crosstalk(parallel=1e-4),
        SI1000.with_crosstalk(parallel=1e-3),
    ]
    labels = group_labels([metadata_of(m) for m in models], exclude=("d", "rounds"))
    assert labels == [
        "si1000 p=0.001, T1/T2 80/60 us",
        "si1000 p=0.001, T1/T2 20/10 us",
        "si1000 p=0.001, parallel crosstalk 0.0001",
        "si1000 p=0.001, parallel crosstalk 0.001",
    ]
    assert not any("#" in label for label in labels)


def test_models_that_differ_below_three_digits_get_the_digits_they_need():
    a = qecsim.NoiseModel(two_qubit_gate=0.003, measurement=0.008)
    b = qecsim.NoiseModel(two_qubit_gate=0.0030004, measurement=0.008)
    labels = group_labels([metadata_of(a), metadata_of(b)], exclude=("d", "rounds"))
    assert labels == ["two_qubit_gate=0.003", "two_qubit_gate=0.0030004"]


def test_models_that_differ_only_in_where_an_override_is_name_it():
    base = qecsim.NoiseModel(two_qubit_gate=0.003, measurement=0.008)
    c = base.with_qubit_rates({0: {"measurement": 0.01}})
    d = base.with_qubit_rates({1: {"measurement": 0.01}})
    labels = group_labels([metadata_of(c), metadata_of(d)], exclude=("d", "rounds"))
    assert labels == ["measurement@0=0.01", "measurement@1=0.01"]


def test_models_that_differ_only_in_durations_are_told_apart_in_ns():
    slow = DURATIONS.__class__(
        single_qubit_gate=25e-9, two_qubit_gate=60e-9, measurement=500e-9, reset=200e-9
    )
    models = [SI1000.with_coherence(t1=80e-6, t2=60e-6, durations=d) for d in (DURATIONS, slow)]
    labels = group_labels([metadata_of(m) for m in models], exclude=("d", "rounds"))
    assert labels == ["two_qubit_gate duration=40 ns", "two_qubit_gate duration=60 ns"]


def test_identical_definitions_fall_back_to_the_digest():
    # Two JSON texts of the same model (one with a key the other leaves at its default)
    # cannot be told apart by what they define: the digest says they are different text.
    text = SI1000.with_gate_set("cx").to_json(sort_keys=True)
    other = text.replace('"name": "custom"', '"name": "custom", "scales": {}')
    metadatas = [{"noise": "custom", "noise_model": t} for t in (text, other)]
    labels = group_labels(metadatas)
    assert len(set(labels)) == 2 and all(label.startswith("model #") for label in labels)



def test_noise_label_is_where_labels_are_looked_for():
    from qecsim.sampling.labels import noise_label

    assert qecsim.analysis.noise_label is noise_label
    assert "noise_label" in qecsim.analysis.__all__
    assert qecsim.analysis.lambda_distances([3, 5]).usable == (3, 5)


def test_a_label_in_an_older_format_is_remade_from_the_model():
    noise = SI1000.scaled(measurement=1.6)
    (_, task) = qecsim.sweep_tasks(distances=3, noise=noise, p=[1e-3, 2e-3])
    old = {**task.json_metadata, "noise_label": "si1000 p=0.001, measurement=0.008"}
    exclude = ("d", "rounds", "gate_set")
    assert describe_metadata(old, exclude=exclude) == "si1000 p=0.002, measurement=8p"
    given = {**task.json_metadata, "noise_label": "chip A"}  # written by hand: kept
    assert describe_metadata(given, exclude=exclude) == "chip A, p=0.002, scale=2"


def circuit_family(noise, name=None, distances=(3, 5)):
    circuits = {d: qecsim.memory_circuit(distance=d, noise=noise) for d in distances}
    options = {} if name is None else {"name": name}
    return [t.json_metadata for t in circuit_tasks(circuits, **options)]


def test_circuit_families_show_their_name_never_their_files():
    chip = circuit_family(SI1000, name="chip A")
    assert "circuit_files" in chip[0]
    assert describe_metadata(chip[0]) == "d=3, rounds=3, circuit=chip A"
    assert describe_metadata(chip[0], exclude=("d", "rounds")) == "circuit=chip A"
    other = circuit_family(SI1000.scaled(2), name="chip B")
    assert group_labels([chip[0], other[0]], exclude=("d", "rounds")) == [
        "circuit=chip A", "circuit=chip B"]
    # two families with one name: told apart by their circuits' hashes, never the files
    again = circuit_family(SI1000.scaled(2), name="chip A")
    labels = group_labels([chip[0], again[0]], exclude=("d", "rounds"))
    assert all(label.startswith("circuits #") and len(label) == 18 for label in labels)
    assert labels[0] != labels[1]
    # next to a noise model, a family is still named
    model = metadata_of(SI1000)
    labels = group_labels([chip[0], model], exclude=("d", "rounds"))
    assert labels[0] == "circuit=chip A" and labels[1] and labels[1] != labels[0]
    assert not any("circuit_files" in label or '"path"' in label for label in labels)
