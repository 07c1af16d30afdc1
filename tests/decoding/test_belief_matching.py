"""Tests for qecsim.decoding.belief_matching: belief matching with a compiled decoder."""

from __future__ import annotations

import numpy as np
import pytest

import qecsim
from qecsim.decoding.belief_matching import BeliefMatchingDecoder


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "20"])
def test_max_bp_iters_must_be_a_positive_integer(bad):
    with pytest.raises(qecsim.QecsimError, match=r"max_bp_iters=.* is not an integer in \[1"):
        BeliefMatchingDecoder(max_bp_iters=bad)


def test_compiled_decoder_predicts_what_the_package_predicts(tagged_dem, shots):
    beliefmatching = pytest.importorskip("beliefmatching")
    dem = qecsim.decoders.untagged_dem(tagged_dem)
    detection_events, _ = shots
    compiled = BeliefMatchingDecoder(max_bp_iters=5).compile_decoder_for_dem(dem=dem)
    predictions = compiled.decode_shots_bit_packed(
        bit_packed_detection_event_data=detection_events[:300]
    )
    unpacked = np.unpackbits(
        detection_events[:300], axis=1, count=dem.num_detectors, bitorder="little"
    )
    reference = beliefmatching.BeliefMatching(dem, max_bp_iters=5).decode_batch(unpacked)
    expected = np.packbits(reference.astype(np.uint8), axis=1, bitorder="little")
    assert np.array_equal(predictions, expected)
    assert predictions.any()  # at p = 5e-3 some shots do flip the observable
