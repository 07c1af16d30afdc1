"""Tests for qecsim.decoding.untagged: the untagged DEM and the wrapper that hands it over."""

from __future__ import annotations

import pathlib
from typing import ClassVar

import numpy as np
import pytest
import sinter
import stim

import qecsim
from qecsim import decoders


def _merged_probabilities(dem: stim.DetectorErrorModel) -> dict[str, float]:
    """target text -> probability of an odd number of the listed independent errors."""
    merged: dict[str, float] = {}
    for instruction in dem.flattened():
        if instruction.type == "error":
            key = " ".join(str(target) for target in instruction.targets_copy())
            p, q = instruction.args_copy()[0], merged.get(key, 0.0)
            merged[key] = p * (1 - q) + q * (1 - p)
    return merged


@pytest.mark.parametrize("distance", [3, 7])
def test_untagged_dem_equals_dem_of_untagged_circuit(distance):
    circuit = qecsim.memory_circuit(distance=distance, noise=qecsim.NoiseModel.si1000(1e-3))
    options = {"decompose_errors": True, "approximate_disjoint_errors": True}
    tagged = circuit.detector_error_model(**options)
    result = decoders.untagged_dem(tagged)
    assert "[" in str(tagged) and "[" not in str(result)
    expected = _merged_probabilities(circuit.without_tags().detector_error_model(**options))
    got = _merged_probabilities(result)
    assert got.keys() == expected.keys()
    assert max(abs(got[key] - expected[key]) for key in got) < 1e-12
    # One line per distinct error: the tagged DEM's duplicates (different tags) are merged.
    assert result.num_errors == len(expected) < tagged.num_errors
    assert result.num_detectors == tagged.num_detectors
    assert result.num_observables == tagged.num_observables
    assert result.get_detector_coordinates() == circuit.get_detector_coordinates()


class _RejectsTags(sinter.Decoder):
    """A decoder like those that bundle an old stim parser: it fails on any tag."""

    def compile_decoder_for_dem(self, *, dem):
        if "[" in str(dem):
            raise ValueError("tagged DEM")
        return sinter.BUILT_IN_DECODERS["pymatching"].compile_decoder_for_dem(dem=dem)


class _FilesOnly(sinter.Decoder):
    """A legacy decoder implementing only decode_via_files."""

    seen_dems: ClassVar[list[str]] = []

    def decode_via_files(self, *, num_shots, num_dets, num_obs, dem_path, dets_b8_in_path,
                         obs_predictions_b8_out_path, tmp_dir):
        text = pathlib.Path(dem_path).read_text()
        _FilesOnly.seen_dems.append(text)
        if "[" in text:
            raise ValueError("tagged DEM")
        sinter.BUILT_IN_DECODERS["pymatching"].decode_via_files(
            num_shots=num_shots, num_dets=num_dets, num_obs=num_obs, dem_path=dem_path,
            dets_b8_in_path=dets_b8_in_path,
            obs_predictions_b8_out_path=obs_predictions_b8_out_path, tmp_dir=tmp_dir,
        )


def _failures(compiled, shots):
    dets, obs = shots
    predictions = compiled.decode_shots_bit_packed(bit_packed_detection_event_data=dets)
    assert predictions.shape == obs.shape and predictions.dtype == np.uint8
    return int(np.count_nonzero(np.any(predictions != obs, axis=1)))


def test_wrapper_hands_untagged_dem_to_tag_rejecting_decoders(tagged_dem, shots):
    with pytest.raises(ValueError, match="tagged DEM"):
        _RejectsTags().compile_decoder_for_dem(dem=tagged_dem)
    pymatching = decoders.get("pymatching")
    reference = _failures(decoders.compile_for_dem(pymatching, dem=tagged_dem), shots)
    wrapped = decoders.UntaggedDemDecoder(_RejectsTags())
    assert _failures(decoders.compile_for_dem(wrapped, dem=tagged_dem), shots) == reference
    files_only = decoders.UntaggedDemDecoder(_FilesOnly())
    assert _failures(decoders.compile_for_dem(files_only, dem=tagged_dem), shots) == reference
    assert _FilesOnly.seen_dems and "[" not in _FilesOnly.seen_dems[-1]
