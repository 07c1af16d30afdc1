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


# ---------------------------------------------------------------------------------------------
# Labels that tell groups apart once shortened (issue 11 item 2)

LABEL_LIMIT = 60  # qecsim.analysis.labels.LABEL_LIMIT (checked below)

#: A chip of six components, and two that differ from it in one late component only: idle
#: (the third: shown in its stored label, beyond 60 characters) and measurement (the sixth:
#: hidden in the stored label's "+3 more").
CHIP = qecsim.NoiseModel(two_qubit_gate=3e-3, single_qubit_gate=5e-4, idle=1e-3,
                         measurement=8e-3, reset=2e-3, measurement_idle=1e-3)  # fmt: skip
CHIPS = [CHIP, CHIP.scaled(idle=1.2), CHIP.scaled(measurement=1.125)]
DIFFERENCES = ["idle=0.001", "idle=0.0012", "measurement=0.009"]


def chip_metadatas() -> list[dict]:
    return [metadata_of(chip) for chip in CHIPS]


def test_stored_labels_of_the_chips_are_long_or_alike():
    # what made the bug: labels too long to show whole, two of them identical
    labels = [m["noise_label"] for m in chip_metadatas()]
    assert all(len(label) > LABEL_LIMIT for label in labels)
    assert labels[0] == labels[2] and labels[0] != labels[1]


def test_legend_labels_of_models_that_differ_in_a_late_component_differ():
    # the reproduction: two chips that differ in idle read alike once cut at 60
    pair = group_labels(chip_metadatas()[:2], exclude=("d", "rounds"))
    assert len(set(pair)) == 2, pair
    assert pair == ["two_qubit_gate=0.003, ..., idle=0.001, ...",
                    "two_qubit_gate=0.003, ..., idle=0.0012, ..."]  # fmt: skip
    # three chips: the first and third share a stored label, told apart by measurement
    labels = group_labels(chip_metadatas(), exclude=("d", "rounds"))
    assert labels == ["two_qubit_gate=0.003, ..., measurement=0.008",
                      "two_qubit_gate=0.003, ..., idle=0.0012, ...",
                      "two_qubit_gate=0.003, ..., measurement=0.009"]  # fmt: skip
    assert all(len(label) <= LABEL_LIMIT for label in labels), labels


def test_table_labels_of_models_that_differ_in_a_late_component_differ():
    from qecsim.analysis.labels import describe_groups

    metadatas = chip_metadatas()
    whole = describe_groups(metadatas, ["pymatching"] * 3, exclude=("d", "rounds"))
    for label, difference in zip(whole, DIFFERENCES, strict=True):
        assert label.endswith(", decoder=pymatching")
        assert {"gate_set=cx", "scale=1", difference} <= set(label.split(", "))
    for limit in (60, 45):
        labels = describe_groups(metadatas, exclude=("d", "rounds"), limit=limit)
        assert len(set(labels)) == 3, (limit, labels)
        for index, label in enumerate(labels):
            assert label.startswith("two_qubit_gate=0.003, ")  # kept, also over the limit
            assert len(label) <= max(limit, 49)  # 49: the head, one difference, two "..."
            others = {part for i in range(3) if i != index for part in whole[i].split(", ")}
            assert set(label.split(", ")) - others, label  # it shows what only it has
    # a table column of the chips with idle 1 and 1.2 (within the limit): what differs
    labels = describe_groups(metadatas[:2], exclude=("d", "rounds"), limit=60)
    assert [label.split(", ")[2] for label in labels] == ["idle=0.001", "idle=0.0012"]
    # points of one group read alike; of the same model at two scales, differently
    tasks = qecsim.sweep_tasks(distances=[3, 5], noise=CHIP, scales=[1, 2])
    labels = describe_groups([t.json_metadata for t in tasks], exclude=("d", "rounds"), limit=60)
    by_scale = {t.json_metadata["scale"]: label for t, label in zip(tasks, labels, strict=True)}
    assert len(set(labels)) == 2 and len(by_scale) == 2  # one label per scale, both distances
    assert by_scale[2.0] == "two_qubit_gate=0.003, ..., scale=2, ..."


def test_fit_labels_keeps_labels_apart_and_whole_where_it_cannot():
    from qecsim.analysis import labels
    from qecsim.analysis.labels import fit_labels

    assert labels.LABEL_LIMIT == LABEL_LIMIT
    short = ["p=0.001", "p=0.002"]
    assert fit_labels(short) == short
    one = ["a" * 30 + ", " + "b" * 30 + ", " + "c" * 30]
    assert fit_labels(one, limit=40) == ["a" * 30 + ", ..."]
    # long names that share their first 60 characters: cutting them would merge them
    names = ["chip " + "x" * 70 + " v1", "chip " + "x" * 70 + " v2"]
    assert fit_labels(names) == names
    # a label whose parts all appear in another keeps what the other lacks ("..." aside)
    labels = ["alpha=1, beta=2, gamma=3", "alpha=1, beta=2, gamma=3, delta=4"]
    fitted = fit_labels(labels, limit=20)
    assert len(set(fitted)) == 2 and "delta=4" in fitted[1]


def test_cat_qubit_tasks_are_labelled_by_their_physical_parameters():
    from qecsim.analysis.labels import describe_groups, noise_labels

    models = [qecsim.NoiseModel.cat_qubit(n, kappa_2=1e7, kappa_ratio=1e-3) for n in (2, 4, 8)]
    tasks = qecsim.sweep_tasks(noise=models, code="cat_repetition_code", distances=[3],
                               basis="X")  # fmt: skip
    metadatas = [task.json_metadata for task in tasks]
    expected = [f"cat qubit n={n}, kappa_1/kappa_2=0.001" for n in (2, 4, 8)]
    assert group_labels(metadatas, exclude=("d", "rounds")) == expected
    assert noise_labels(metadatas) == expected
    described = describe_metadata(metadatas[1], "pymatching", exclude=("d", "rounds"))
    assert described.startswith("cat qubit n=4, kappa_1/kappa_2=0.001, ")
    assert set(described.split(", ")[2:]) == {
        "basis=X", "code=cat_repetition_code", "gate_set=cx", "decoder=pymatching"}
    for label in describe_groups(metadatas, exclude=("d", "rounds"), limit=60):
        assert label.startswith("cat qubit n=") and "kappa_1/kappa_2=0.001" in label
    # durations other than the default 1 / kappa_2 are shown: the label does not say them
    slow = {**metadatas[1], "t_two_qubit_gate": 5e-7}
    assert "t_two_qubit_gate=5e-07" in describe_metadata(slow)
    assert group_labels([metadatas[1], slow]) == [
        "t_two_qubit_gate=1e-07", "t_two_qubit_gate=5e-07"]


def test_metadata_of_varying_keys_only_says_which_keys_the_tasks_have():
    assert describe_metadata({"d": 3, "p": 0.001}, exclude=("d", "p")) == "tasks with d and p"
    assert describe_metadata({"d": 3, "r": 6}, "pymatching", exclude=("d", "r")) == (
        "tasks with d and r, decoder=pymatching")
    assert describe_metadata({}) == "tasks without metadata"


def test_noise_labels_name_presets_and_custom_models_never_custom():
    from qecsim.analysis.labels import noise_labels

    chip_b = CHIP.scaled(idle=1.2)
    named = qecsim.NoiseModel.from_json(chip_b.to_json().replace('"custom"', '"chip_b"'))
    metadatas = [metadata_of(m) for m in (SI1000, named, CHIP, SI1000.scaled(measurement=1.6))]
    labels = noise_labels(metadatas)
    assert labels[:2] == ["si1000", "chip_b, scale=1"]
    assert labels[2].startswith("two_qubit_gate=0.003, ")
    assert labels[3] == "si1000, measurement=8p"  # p has a column of its own
    assert not any("custom" in label for label in labels)
