"""Exact DEM predictions (with hyperedges) against sampling; the DEM estimated from data."""

import numpy as np
import pymatching
import scipy.stats

import qecsim
from qecsim.experiment import google_data_path
from qecsim.experiment.dem import dem_errors, estimate_dem, predicted_moments, shared_errors


def test_predictions_of_googles_model_match_its_samples():
    """Google's noisy circuit has mechanisms with 3 and 4 detectors; the exact predictions
    match 100,000 shots sampled from it within the statistical uncertainty."""
    experiment = qecsim.Experiment.load(google_data_path(3, 11))
    simulated = qecsim.Experiment.from_simulation(experiment.model, shots=100_000,
                                                  circuit=experiment.circuit, seed=4)
    statistics = qecsim.detector_statistics(simulated)
    errors = dem_errors(experiment.model.detector_error_model(approximate_disjoint_errors=True))
    assert np.asarray(errors.detectors.sum(axis=1)).max() >= 3
    fraction, pij = predicted_moments(errors)
    zf = (statistics.fraction - fraction) / statistics.fraction_sigma
    upper = np.triu_indices(experiment.num_detectors, 1)
    zp = ((statistics.pij - pij) / statistics.pij_sigma)[upper]
    for z in (zf, zp):
        assert np.abs(z).max() < scipy.stats.norm.isf(0.01 / (2 * z.size))
        assert abs(np.mean(z**2) - 1) < 4 * np.sqrt(2 / z.size) + 0.05
    shared = shared_errors(errors)
    assert not shared.diagonal().any() and (pij[~shared & ~np.eye(len(pij), dtype=bool)] == 0).all()


def test_a_dem_estimated_from_its_own_samples_decodes_like_the_true_one():
    noise = qecsim.NoiseModel.si1000(3e-3)
    circuit = qecsim.memory_circuit(distance=3, rounds=5, noise=noise)
    experiment = qecsim.Experiment.from_simulation(circuit, shots=100_000, seed=8)
    statistics = qecsim.detector_statistics(experiment)
    structure = circuit.detector_error_model(decompose_errors=True)
    estimated = estimate_dem(statistics.fraction, statistics.pij, structure=structure)
    test = qecsim.Experiment.from_simulation(circuit, shots=50_000, seed=9)
    failures = []
    for dem in (structure, estimated):
        predictions = pymatching.Matching.from_detector_error_model(dem).decode_batch(
            test.detection_events)
        failures.append(int(np.sum(predictions[:, 0] != test.observable_flips[:, 0])))
    assert failures[1] <= failures[0] * 1.1 + 3 * np.sqrt(failures[0]), failures
