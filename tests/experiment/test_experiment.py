"""Experiment: Google's layout, stim's shot formats, arrays; bad input fails before any work."""

import shutil

import numpy as np
import pytest
import stim

import qecsim
from qecsim.experiment import google_data_path
from qecsim.experiment.google import GOOGLE_FILES


def test_load_reads_googles_folder():
    experiment = qecsim.Experiment.load(google_data_path(5, 25))
    assert experiment.num_shots == 10_000
    assert experiment.num_detectors == experiment.circuit.num_detectors == 600
    assert experiment.observable_flips.shape == (10_000, 1)
    assert experiment.model is not None and experiment.model.num_detectors == 600
    assert set(experiment.reference_predictions) == {"pymatching", "tensor_network_contraction"}
    metadata = experiment.metadata
    assert (metadata["code"], metadata["basis"], metadata["d"], metadata["rounds"]) == (
        "rotated_surface_code", "X", 5, 25)
    assert metadata["name"] == "surface_code_bX_d5_r25_center_5_5"
    # independent read with stim: the same bits
    events = stim.read_shot_data_file(
        path=str(google_data_path(5, 25) / "detection_events.b8"), format="b8",
        num_detectors=600)
    assert np.array_equal(events, experiment.detection_events)
    assert not experiment.detection_events.flags.writeable


@pytest.mark.parametrize("rounds", [1, 5])
def test_measurements_convert_to_googles_detection_events(tmp_path, rounds):
    """Without detection_events.b8, stim's converter turns measurements + sweep bits into the
    detection events Google shipped."""
    source = google_data_path(3, rounds)
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    (folder / "detection_events.b8").unlink()
    converted = qecsim.Experiment.load(folder)
    shipped = qecsim.Experiment.load(source)
    assert np.array_equal(converted.detection_events, shipped.detection_events)
    assert np.array_equal(converted.observable_flips, shipped.observable_flips)
    (folder / "obs_flips_actual.01").unlink()
    assert np.array_equal(qecsim.Experiment.load(folder).observable_flips,
                          shipped.observable_flips)


def test_load_all_finds_every_folder():
    experiments = qecsim.Experiment.load_all(google_data_path())
    assert len(experiments) == 26
    assert sorted({(e.metadata["d"], e.metadata["rounds"]) for e in experiments}) == sorted(
        (d, r) for d in (3, 5) for r in range(1, 26, 2))


@pytest.mark.parametrize("format", ["b8", "01", "r8", "ptb64", "dets"])
def test_from_files_reads_every_stim_format(tmp_path, format):
    experiment = qecsim.Experiment.load(google_data_path(3, 5)).select(slice(0, 640))
    events_path = tmp_path / f"events.{format}"
    flips_path = tmp_path / "flips.01"
    stim.write_shot_data_file(data=experiment.detection_events, path=str(events_path),
                              format=format, num_detectors=experiment.num_detectors)
    stim.write_shot_data_file(data=experiment.observable_flips, path=str(flips_path),
                              format="01", num_observables=1)
    loaded = qecsim.Experiment.from_files(
        circuit=experiment.circuit, detection_events=events_path, observable_flips=flips_path,
        metadata={"d": 3, "rounds": 5})
    assert np.array_equal(loaded.detection_events, experiment.detection_events)
    assert np.array_equal(loaded.observable_flips, experiment.observable_flips)


def test_dets_file_may_hold_the_observables(tmp_path):
    experiment = qecsim.Experiment.load(google_data_path(3, 3)).select(slice(0, 100))
    path = tmp_path / "shots.dets"
    data = np.concatenate([experiment.detection_events, experiment.observable_flips], axis=1)
    stim.write_shot_data_file(data=data, path=str(path), format="dets",
                              num_detectors=experiment.num_detectors, num_observables=1)
    loaded = qecsim.Experiment.from_files(circuit=experiment.circuit, detection_events=path)
    assert np.array_equal(loaded.observable_flips, experiment.observable_flips)


# --------------------------------------------------------------------------------------------
# Bad input: a clear error naming the file and the size expected, and nothing computed


@pytest.fixture
def no_reading(monkeypatch):
    """Fail the test if any shot data is read (the check must come first)."""
    def refuse(**kwargs):
        raise AssertionError(f"shot data was read before the input was checked: {kwargs}")

    monkeypatch.setattr(stim, "read_shot_data_file", refuse)


def _copy(tmp_path, distance=3, rounds=5):
    source = google_data_path(distance, rounds)
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    return folder


def test_truncated_b8_is_refused_before_reading(tmp_path, no_reading):
    folder = _copy(tmp_path)
    path = folder / "detection_events.b8"
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(qecsim.QecsimError) as error:
        qecsim.Experiment.load(folder)
    message = str(error.value)
    assert "detection_events.b8 has 49997 bytes" in message
    assert "5 bytes per shot (40 detectors)" in message


def test_b8_of_whole_shots_but_wrong_count_is_refused(tmp_path, no_reading):
    folder = _copy(tmp_path)
    path = folder / "detection_events.b8"
    path.write_bytes(path.read_bytes()[:-5])  # one shot short of properties.yml's 10000
    with pytest.raises(qecsim.QecsimError, match=r"holds 9999 shots .* but 10000 were expected "
                       r"\(50000 bytes for 40 detectors\)"):
        qecsim.Experiment.load(folder)


def test_detector_count_that_does_not_match_the_circuit(tmp_path, no_reading):
    """Shots of one experiment against the circuit of another."""
    circuit_3 = stim.Circuit.from_file(google_data_path(3, 3) / "circuit_ideal.stim")  # 24
    circuit_5 = stim.Circuit.from_file(google_data_path(3, 5) / "circuit_ideal.stim")  # 40
    events_5 = google_data_path(3, 5) / "detection_events.b8"  # 50000 bytes
    events_3 = google_data_path(3, 3) / "detection_events.b8"  # 30000 bytes
    flips = google_data_path(3, 3) / "obs_flips_actual.01"
    with pytest.raises(qecsim.QecsimError, match=r"detection_events.b8 has 50000 bytes, not a "
                       r"multiple of 3 bytes per shot \(24 detectors\)"):
        qecsim.Experiment.from_files(circuit=circuit_3, detection_events=events_5)
    # 30000 bytes are 6000 whole shots of 40 detectors: the observable file tells
    with pytest.raises(qecsim.QecsimError, match=r"obs_flips_actual.01 holds 10000 shots "
                       r"\(20000 bytes\) but 6000 were expected"):
        qecsim.Experiment.from_files(circuit=circuit_5, detection_events=events_3,
                                     observable_flips=flips)
    # ... or the number of shots taken, when there is no observable file
    with pytest.raises(qecsim.QecsimError, match=r"holds 6000 shots \(30000 bytes\) but 10000 "
                       r"were expected \(50000 bytes for 40 detectors\)"):
        qecsim.Experiment.from_files(circuit=circuit_5, detection_events=events_3, shots=10_000)
    with pytest.raises(qecsim.QecsimError, match=r"shots=0 is not in \[1, "):
        qecsim.Experiment.from_files(circuit=circuit_5, detection_events=events_5, shots=0)
    text = tmp_path / "events.01"
    text.write_text("0" * 40 + "\n")
    with pytest.raises(qecsim.QecsimError, match=r"events.01: lines of 40 characters .* "
                       r"expected lines of 24 characters \(24 detectors\)"):
        qecsim.Experiment.from_files(circuit=circuit_3, detection_events=text)


def test_arrays_of_the_wrong_width_are_refused():
    circuit = qecsim.memory_circuit(distance=3, rounds=3)
    with pytest.raises(qecsim.QecsimError, match="has 25 columns but the circuit"):
        qecsim.Experiment.from_arrays(circuit=circuit, detection_events=np.zeros((4, 25), bool))
    with pytest.raises(qecsim.QecsimError, match="observable_flips has 3 shots"):
        qecsim.Experiment.from_arrays(circuit=circuit, detection_events=np.zeros((4, 24), bool),
                                      observable_flips=np.zeros((3, 1), bool))


def test_unknown_format_is_refused(tmp_path, no_reading):
    circuit = stim.Circuit.from_file(google_data_path(3, 5) / "circuit_ideal.stim")
    events = google_data_path(3, 5) / "detection_events.b8"
    with pytest.raises(qecsim.QecsimError, match=r"unknown format 'b16'; known formats"):
        qecsim.Experiment.from_files(circuit=circuit, detection_events=events, format="b16")
    other = tmp_path / "events.bin"
    other.write_bytes(b"")
    with pytest.raises(qecsim.QecsimError, match="cannot tell the format from the extension"):
        qecsim.Experiment.from_files(circuit=circuit, detection_events=other)


@pytest.mark.parametrize("missing", ["circuit", "detection_events"])
def test_missing_folder_file_is_named(tmp_path, missing, no_reading):
    folder = _copy(tmp_path, rounds=3)  # no measurements.b8 to fall back on
    (folder / GOOGLE_FILES[missing]).unlink()
    with pytest.raises(qecsim.QecsimError,
                       match=r"has no (circuit_ideal\.stim|detection_events\.b8)"):
        qecsim.Experiment.load(folder)
    with pytest.raises(qecsim.QecsimError, match="no such folder"):
        qecsim.Experiment.load(tmp_path / "nowhere")


def test_sweep_bits_needed_but_missing(tmp_path, no_reading):
    folder = _copy(tmp_path, rounds=1)
    (folder / "detection_events.b8").unlink()
    (folder / "sweep.b8").unlink()
    with pytest.raises(qecsim.QecsimError, match=r"sweep\.b8: no such file"):
        qecsim.Experiment.load(folder)


def test_full_data_set_loads_with_all_shots(full_google_data):
    experiment = qecsim.Experiment.load(google_data_path(5, 25, root=full_google_data))
    assert experiment.num_shots == 50_000
    subset = qecsim.Experiment.load(google_data_path(5, 25))
    assert np.array_equal(experiment.detection_events[:10_000], subset.detection_events)
