"""compare_to_model: the report finds hidden defects; Google's device against its model."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

import qecsim
from qecsim.experiment import google_data_path

from .conftest import CORRELATED, DEFECTIVE


@pytest.fixture(scope="module")
def report(hidden_defects):
    return qecsim.compare_to_model(hidden_defects.experiment, seed=1)


def test_report_ranks_the_defective_qubit_first(report):
    top = report.qubits[0]
    assert top.qubit == DEFECTIVE and top.role == "measure" and top.significant
    assert top.ratio > 1.5
    # its detectors lead the detector table
    layout = report.layout
    assert all(layout.detector_qubit[row.detector] == DEFECTIVE for row in report.detectors[:5])


def test_report_flags_the_unmodelled_pair_as_crosstalk(report):
    flagged = report.unmodelled
    assert flagged, "no unmodelled pair flagged"
    layout = report.layout
    owners = {tuple(sorted(int(layout.detector_qubit[d]) for d in row.detectors))
              for row in flagged}
    assert tuple(sorted(CORRELATED)) in owners
    correlated = [row for row in flagged
                  if sorted(int(layout.detector_qubit[d]) for d in row.detectors)
                  == sorted(CORRELATED)]
    assert all(row.signature == "crosstalk" and not row.in_model for row in correlated)
    # the strongest flags are that pair, nothing the model already has
    assert sorted(int(layout.detector_qubit[d]) for d in flagged[0].detectors) == sorted(
        CORRELATED)


def test_report_of_a_device_that_matches_its_model_flags_nothing():
    noise = qecsim.NoiseModel.si1000(2e-3)
    circuit = qecsim.memory_circuit(distance=3, rounds=6)
    experiment = qecsim.Experiment.from_simulation(
        noise.noisy_circuit(circuit), shots=50_000, circuit=circuit, model=noise, seed=2,
        metadata={"d": 3, "rounds": 6})
    report = qecsim.compare_to_model(experiment, seed=3)
    # each table is flagged at a 1 % family-wise rate: a few percent of runs may flag one row
    assert not any(row.significant for row in report.qubits)
    assert not report.unmodelled
    assert report.logical.measured.low <= report.logical.predicted.high
    assert report.logical.predicted.low <= report.logical.measured.high


def test_report_table_json_and_plots(report):
    text = report.table()
    assert "unmodelled" in text and f"{DEFECTIVE:5d}" in text
    data = json.loads(report.to_json())
    assert data["qubits"][0]["qubit"] == DEFECTIVE
    assert {"measured", "predicted", "z", "detectors", "in_model"} <= set(data["pairs"][0])
    _, axes = plt.subplots(1, 3)
    assert report.plot_by_round(axes[0]) is axes[0]
    assert report.plot_layout(axes[1]) is axes[1]
    assert report.plot_pij(axes[2]) is axes[2]
    plt.close("all")


def test_googles_device_against_its_published_model():
    """The issue's observations: more detection events than the model predicts, growing in
    long experiments; significant unmodelled correlations with leakage signatures; a higher
    logical error than the model's."""
    experiment = qecsim.Experiment.load(google_data_path(5, 25))
    report = qecsim.compare_to_model(experiment, seed=1)
    assert report.mean_ratio > 1.05
    bulk = {r: m.best / p for r, (m, p) in report.rounds.items() if 1 <= r <= 24}
    assert np.mean([bulk[r] for r in range(18, 25)]) > np.mean([bulk[r] for r in range(1, 8)])
    signatures = {row.signature for row in report.unmodelled}
    assert "leakage" in signatures
    assert report.logical.measured.low > report.logical.predicted.high
    assert max(abs(row.z) for row in report.detectors) > 8


def test_unmodelled_pairs_are_classified_by_space_and_time():
    """Synthetic data: shots of the model with one extra hidden bit flipping two chosen
    detectors together; the pair's signature follows where and when the detectors are."""
    noise = qecsim.NoiseModel.si1000(2e-3)
    circuit = qecsim.memory_circuit(distance=3, rounds=8)
    model = noise.noisy_circuit(circuit)
    layout = qecsim.experiment.layout.detector_layout(circuit)
    a, b = 4, 12  # measure qubits that share no data qubit
    assert not layout.neighbouring(a, b) and layout.neighbouring(a, a)

    def detector(qubit, round_):
        (index,) = np.flatnonzero((layout.detector_qubit == qubit)
                                  & (layout.detector_round == round_))
        return int(index)

    pairs = {  # (detector, detector) -> expected signature
        (detector(a, 2), detector(b, 2)): "crosstalk",  # one round, apart in space
        (detector(a, 2), detector(b, 3)): "crosstalk",  # adjacent rounds
        (detector(a, 1), detector(b, 6)): "other",  # apart in space and time
        (detector(b, 1), detector(b, 5)): "leakage",  # one stabilizer, rounds apart
    }
    rng = np.random.default_rng(4)
    events, flips = model.compile_detector_sampler(seed=4).sample(
        40_000, separate_observables=True)
    for i, j in pairs:
        hidden = rng.random(events.shape[0]) < 0.02
        events[:, i] ^= hidden
        events[:, j] ^= hidden
    experiment = qecsim.Experiment.from_arrays(circuit=circuit, detection_events=events,
                                               observable_flips=flips, model=model)
    report = qecsim.compare_to_model(experiment, logical=False)
    found = {row.detectors: row for row in report.pairs}
    for (i, j), signature in pairs.items():
        row = found[tuple(sorted((i, j)))]
        assert row.unmodelled and row.signature == signature, (i, j, row)
