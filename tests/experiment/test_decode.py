"""decode_experiments: Google's pymatching predictions, TaskStats for the analysis stack."""

import math
import pathlib

import numpy as np
import pymatching
import pytest
import scipy.optimize
import sinter
import stim

import qecsim
from qecsim.experiment import google_data_path, predict_observables
from qecsim.sampling.metadata import METADATA_KEYS


@pytest.fixture(scope="module")
def google():
    return qecsim.Experiment.load_all(google_data_path())


def _best_weights(dem: stim.DetectorErrorModel, events: np.ndarray) -> np.ndarray:
    """Per shot, the weight of the lightest correction for each value of the observable:
    the observable becomes an extra detector whose value the matching must produce."""
    n = dem.num_detectors
    matching = pymatching.Matching.from_detector_error_model(
        stim.DetectorErrorModel(str(dem.flattened()).replace("L0", f"D{n}")))
    weights = np.zeros((len(events), 2))
    for row, shot in enumerate(events):
        syndrome = np.zeros(n + 1, dtype=np.uint8)
        syndrome[:n] = shot
        for value in (0, 1):
            syndrome[n] = value
            weights[row, value] = matching.decode(syndrome, return_weight=True)[1]
    return weights


def _check_against_google(experiments, minimum_agreement):
    """Shot for shot, our pymatching predictions with the folder's model against Google's."""
    agree = total = 0
    for experiment in experiments:
        ours = predict_observables(experiment)[:, 0]
        theirs = experiment.reference_predictions["pymatching"][:, 0]
        differ = np.flatnonzero(ours != theirs)
        agree += experiment.num_shots - differ.size
        total += experiment.num_shots
        if differ.size:
            dem = qecsim.experiment.decoder_dem(experiment)
            sample = differ[:: max(1, differ.size // 100)]
            weights = _best_weights(dem, experiment.detection_events[sample])
            rows = np.arange(sample.size)
            theirs_weight = weights[rows, theirs[sample].astype(int)]
            gap = theirs_weight - weights[rows, ours[sample].astype(int)]
            # where we differ, Google's prediction needs a strictly heavier correction:
            # theirs was not a minimum-weight matching (local matching, see the docstring)
            assert gap.min() > 1e-6, (experiment.name, gap.min())
    assert agree / total >= minimum_agreement, (agree, total)
    return agree / total


@pytest.mark.slow
@pytest.mark.parametrize("distance", [3, 5])
def test_pymatching_predictions_match_googles(google, distance):
    """Google's obs_flips_predicted_by_pymatching.01 came from PyMatching 0.x, whose default
    was local matching (num_neighbours=30): an approximation of minimum-weight matching that
    misses the minimum more often when there are many detection events (long experiments).
    PyMatching 0.7 built from source with num_neighbours=30 reproduces 99.75 % of Google's
    d = 5, 25-round predictions (first 2,000 shots) where exact matching gives 96.9 %.

    So: at least 99.9 % identical over the d = 3 series and over the d = 5 experiments of up
    to 13 rounds; at least 99 % over the whole d = 5 series; and on every shot where we
    differ, Google's prediction needs a strictly heavier correction than ours under the
    folder's model (it was not minimum weight), i.e. we differ only where Google's decoder
    was approximate.
    """
    series = [e for e in google if e.metadata["d"] == distance]
    if distance == 3:
        _check_against_google(series, 0.999)
    else:
        _check_against_google([e for e in series if e.metadata["rounds"] <= 13], 0.999)
        _check_against_google(series, 0.99)


@pytest.mark.slow
def test_pymatching_predictions_match_googles_on_all_shots(full_google_data):
    experiments = {(d, r): qecsim.Experiment.load(google_data_path(d, r, root=full_google_data))
                   for d in (3, 5) for r in (5, 13, 25)}
    _check_against_google([experiments[3, r] for r in (5, 13, 25)], 0.999)
    _check_against_google([experiments[5, r] for r in (5, 13)], 0.999)
    _check_against_google([experiments[5, 25]], 0.96)


def test_task_stats_carry_the_simulated_tasks_metadata(google):
    experiments = [e for e in google if e.metadata["rounds"] in (3, 7)]
    stats = qecsim.decode_experiments(experiments, num_workers=1)
    assert len(stats) == 4 and all(isinstance(s, sinter.TaskStats) for s in stats)
    for stat, experiment in zip(stats, experiments, strict=True):
        assert list(stat.json_metadata)[: len(METADATA_KEYS)] == list(METADATA_KEYS)
        assert stat.json_metadata["noise"] == "measured" and stat.json_metadata["dem"] == (
            "model_circuit")
        assert stat.shots == experiment.num_shots and stat.decoder == "pymatching"
        errors = int(np.sum(predict_observables(experiment)[:, 0]
                            != experiment.observable_flips[:, 0]))
        assert stat.errors == errors
    # the analysis stack reads them
    rates = qecsim.analysis.logical_error_per_round(stats)
    assert [(r.distance, r.rounds) for r in rates] == [(3, 3), (3, 7), (5, 3), (5, 7)]
    assert len({s.strong_id for s in stats}) == 4
    # and the CSV store round-trips them
    text = sinter.CSV_HEADER + "\n" + "\n".join(s.to_csv_line() for s in stats)
    path = pathlib.Path(pytest.importorskip("tempfile").mkdtemp()) / "measured.csv"
    path.write_text(text)
    read = sinter.read_stats_from_csv_files(path)
    assert [(r.strong_id, r.shots, r.errors, r.json_metadata) for r in read] == [
        (s.strong_id, s.shots, s.errors, s.json_metadata) for s in stats]


def test_models_of_every_kind_decode_the_same_shots():
    experiment = qecsim.Experiment.load(google_data_path(3, 5))
    reference = predict_observables(experiment)
    dem = experiment.model.detector_error_model(decompose_errors=True)
    assert np.array_equal(predict_observables(experiment, model=dem), reference)
    assert np.array_equal(predict_observables(experiment, model=experiment.model), reference)
    stats = qecsim.decode_experiments([experiment], model=dem, num_workers=1)
    assert stats[0].json_metadata["dem"] == "dem"


def test_noise_model_and_data_models_on_a_simulated_device():
    """A NoiseModel is applied to the circuit as run; 'data' estimates the DEM from the other
    half of the shots. On a simulated device both decode about as well as the true model."""
    noise = qecsim.NoiseModel.si1000(3e-3)
    circuit = qecsim.memory_circuit(distance=3, rounds=5, gate_set=noise.gate_set)
    experiment = qecsim.Experiment.from_simulation(
        qecsim.memory_circuit(distance=3, rounds=5, noise=noise), shots=40_000,
        circuit=circuit, model=noise, seed=5, metadata={"d": 3, "rounds": 5})
    by_model, by_noise, by_data = (
        qecsim.decode_experiments(experiment, model=m, num_workers=1)[0]
        for m in (None, noise, "data"))
    assert by_noise.errors == by_model.errors
    assert (by_model.json_metadata["dem"], by_noise.json_metadata["dem"],
            by_data.json_metadata["dem"]) == ("model_circuit", "noise_model", "data")
    fits = [sinter.fit_binomial(num_shots=s.shots, num_hits=s.errors, max_likelihood_factor=1e3)
            for s in (by_model, by_data)]
    assert fits[1].low <= fits[0].high and fits[0].low <= fits[1].high


def test_bad_decode_input_fails_before_decoding():
    experiment = qecsim.Experiment.load(google_data_path(3, 3))
    with pytest.raises(qecsim.QecsimError, match="not-a-decoder"):
        qecsim.decode_experiments(experiment, decoder="not-a-decoder")
    no_flips = qecsim.Experiment.from_arrays(circuit=experiment.circuit,
                                             detection_events=experiment.detection_events,
                                             metadata={"d": 3, "rounds": 3})
    with pytest.raises(qecsim.QecsimError, match="has no observable flips"):
        qecsim.decode_experiments([experiment, no_flips])
    bare = qecsim.Experiment.from_arrays(circuit=experiment.circuit,
                                         detection_events=experiment.detection_events,
                                         observable_flips=experiment.observable_flips)
    with pytest.raises(qecsim.QecsimError, match="has no metadata 'd'"):
        qecsim.decode_experiments(bare)
    other = qecsim.Experiment.load(google_data_path(3, 5)).model
    with pytest.raises(qecsim.QecsimError, match="model has 40 detectors"):
        qecsim.decode_experiments(experiment, model=other)


def _independent_error_per_round(experiments) -> float:
    """stim + pymatching + scipy: decode each rounds value, fit 1 - 2 P(r) = A (1 - 2 eps)^r
    by maximum likelihood (binomial, scipy's Nelder-Mead), return eps."""
    rounds, shots, errors = [], [], []
    for experiment in experiments:
        dem = experiment.model.detector_error_model(decompose_errors=True)
        matching = pymatching.Matching.from_detector_error_model(dem)
        predictions = matching.decode_batch(experiment.detection_events)
        rounds.append(experiment.metadata["rounds"])
        shots.append(experiment.num_shots)
        errors.append(int(np.sum(predictions[:, 0] != experiment.observable_flips[:, 0])))
    rounds, shots, errors = map(np.array, (rounds, shots, errors))

    def negative_log_likelihood(parameters):
        amplitude, eps = parameters
        p = np.clip((1 - amplitude * (1 - 2 * eps) ** rounds) / 2, 1e-12, 1 - 1e-12)
        return -np.sum(errors * np.log(p) + (shots - errors) * np.log(1 - p))

    # A may exceed 1: the first and last rounds can be cleaner than a bulk round
    result = scipy.optimize.minimize(negative_log_likelihood, x0=[0.95, 0.03],
                                     method="Nelder-Mead",
                                     options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 10_000})
    return float(result.x[1])


@pytest.mark.slow
def test_error_per_round_of_googles_series_matches_an_independent_fit(google):
    """fit_error_per_round on decode_experiments' statistics gives, for d = 3 and 5, the eps
    per round of an independent stim + pymatching + scipy fit, within its interval."""
    fit_error_per_round = getattr(qecsim.analysis, "fit_error_per_round", None)
    if fit_error_per_round is None:
        pytest.skip("qecsim.analysis.fit_error_per_round is not merged yet (issue 14 item 3)")
    stats = qecsim.decode_experiments(list(google), num_workers=1)
    fits = {fit.metadata["d"]: fit for fit in fit_error_per_round(stats)}
    assert sorted(fits) == [3, 5]
    for distance, fit in fits.items():
        series = [e for e in google if e.metadata["d"] == distance]
        independent = _independent_error_per_round(series)
        assert fit.error_per_round.contains(independent), (distance, fit.error_per_round,
                                                           independent)
        # Google's published eps per cycle (tensor network decoder) is 3.028 % / 2.914 %;
        # matching on the published model is worse
        assert fit.error_per_round.best > (0.03028 if distance == 3 else 0.02914) * 0.9
        assert math.isfinite(fit.error_per_round.high)
