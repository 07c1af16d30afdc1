"""Belief matching (Higgott et al., arXiv:2203.04948) with a compiled decoder."""

from __future__ import annotations

import numpy as np
import sinter
import stim

from qecsim.errors import QecsimError, require

__all__ = ["BeliefMatchingDecoder"]


class _BeliefMatchingCompiledDecoder(sinter.CompiledDecoder):
    def __init__(self, matcher: object, num_dets: int):
        self.matcher = matcher
        self.num_dets = num_dets

    def decode_shots_bit_packed(self, *, bit_packed_detection_event_data: np.ndarray) -> np.ndarray:
        shots = np.unpackbits(
            bit_packed_detection_event_data, axis=1, count=self.num_dets, bitorder="little"
        )
        predictions = self.matcher.decode_batch(shots)
        return np.packbits(predictions.astype(np.uint8), axis=1, bitorder="little")


class BeliefMatchingDecoder(sinter.Decoder):
    """Belief matching (Higgott et al., arXiv:2203.04948) with a compiled decoder.

    ``beliefmatching.BeliefMatchingSinterDecoder`` only implements ``decode_via_files``, which
    rebuilds the decoder for every batch; this builds ``beliefmatching.BeliefMatching`` once per
    DEM. It needs a DEM with decomposed hyperedges (``decompose_errors=True``, as sinter makes).

    Args:
        max_bp_iters: Maximum belief-propagation iterations.

    Raises:
        QecsimError: ``max_bp_iters`` is not an integer >= 1.
    """

    def __init__(self, max_bp_iters: int = 20):
        if (
            isinstance(max_bp_iters, bool)
            or not isinstance(max_bp_iters, int)
            or max_bp_iters < 1
        ):
            raise QecsimError(f"max_bp_iters={max_bp_iters!r} is not an integer in [1, inf)")
        self.max_bp_iters = max_bp_iters

    def compile_decoder_for_dem(self, *, dem: stim.DetectorErrorModel) -> sinter.CompiledDecoder:
        """Build ``beliefmatching.BeliefMatching`` once for ``dem``.

        Args:
            dem: A DEM with decomposed hyperedges, without tags (:func:`qecsim.decoders.get`
                wraps this decoder so that tags are removed first).

        Returns:
            A ``sinter.CompiledDecoder``.

        Raises:
            MissingDependencyError: beliefmatching is not installed.

        Examples:
            >>> import qecsim
            >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.sd6(1e-3))
            >>> dem = circuit.detector_error_model(decompose_errors=True).without_tags()
            >>> compiled = BeliefMatchingDecoder().compile_decoder_for_dem(dem=dem)
            >>> compiled.decode_shots_bit_packed(
            ...     bit_packed_detection_event_data=np.zeros((1, 3), dtype=np.uint8))
            array([[0]], dtype=uint8)
        """
        beliefmatching = require("beliefmatching", extra="decoders")
        matcher = beliefmatching.BeliefMatching(dem, max_bp_iters=self.max_bp_iters)
        return _BeliefMatchingCompiledDecoder(matcher, dem.num_detectors)
