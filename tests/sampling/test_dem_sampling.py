"""The sparse DEM sampler has the distribution of stim's own DEM sampler."""

import numpy as np
import pymatching
import sinter

import qecsim
from qecsim.sampling.dem_sampling import SparseDemSampler


def test_sparse_sampler_matches_stim():
    circuit = qecsim.memory_circuit(distance=3, rounds=3, noise=qecsim.NoiseModel.si1000(5e-3))
    dem = circuit.detector_error_model(decompose_errors=True)
    shots = 100_000
    ours = SparseDemSampler(dem).sample(shots, rng=np.random.default_rng(1))
    detectors, observables, _ = dem.compile_sampler(seed=2).sample(shots, bit_packed=True)

    def fractions(packed):
        bits = np.unpackbits(packed, axis=1, bitorder="little")[:, : dem.num_detectors]
        return bits.mean(axis=0)

    a, b = fractions(ours.detectors), fractions(detectors)
    z = (a - b) / np.sqrt((a * (1 - a) + b * (1 - b)) / shots)
    assert np.abs(z).max() < 4.5  # ~50 detectors; a 4.5 sigma excursion is 1 in 10^4
    matcher = pymatching.Matching.from_detector_error_model(dem.without_tags())
    failures = []
    for dets, obs in ((ours.detectors, ours.observables), (detectors, observables)):
        predictions = matcher.decode_batch(dets, bit_packed_shots=True,
                                           bit_packed_predictions=True)
        failures.append(int(np.any(predictions != obs, axis=1).sum()))
    fits = [sinter.fit_binomial(num_shots=shots, num_hits=f, max_likelihood_factor=1e3)
            for f in failures]
    assert fits[0].low <= fits[1].high and fits[1].low <= fits[0].high
    assert min(failures) > 300


def test_fired_errors_explain_the_detection_events():
    circuit = qecsim.memory_circuit(distance=3, rounds=2, noise=qecsim.NoiseModel.sd6(1e-2))
    dem = circuit.detector_error_model(decompose_errors=True)
    sampler = SparseDemSampler(dem)
    sample = sampler.sample(500, rng=np.random.default_rng(3))
    # replaying the fired errors through stim reproduces the detection events exactly
    errors = np.zeros((500, sampler.num_errors), dtype=bool)
    errors[sample.error_shots, sample.error_indices] = True
    detectors, observables, _ = dem.compile_sampler().sample(
        500, bit_packed=True, recorded_errors_to_replay=errors
    )
    assert np.array_equal(detectors, sample.detectors)
    assert np.array_equal(observables, sample.observables)
