"""Tag stripping for decoders: the untagged DEM, and a wrapper that hands it to any decoder.

qecsim circuits tag every noise instruction with its component (``DEPOLARIZE2[two_qubit_gate]``),
and stim keeps those tags in the detector error model (``error[two_qubit_gate](p) D0 D1``).
Decoder packages that bundle an older stim parser may reject tags, and a tagged DEM keeps errors
with the same detectors but different tags on separate lines. :class:`UntaggedDemDecoder` gives
the decoder it wraps :func:`untagged_dem` of the DEM: tags removed and identical errors merged,
i.e. exactly the DEM of the same circuit without tags. :func:`compile_for_dem` compiles any
decoder, falling back to ``decode_via_files`` as sinter does.
"""

from __future__ import annotations

import pathlib
import tempfile

import numpy as np
import sinter
import stim

__all__ = ["UntaggedDemDecoder", "compile_for_dem", "untagged_dem"]


def untagged_dem(dem: stim.DetectorErrorModel) -> stim.DetectorErrorModel:
    """The DEM without tags, with identical errors merged, flattened.

    A tagged DEM keeps ``error[idle](p) D0`` and ``error[reset](q) D0`` apart; this merges them
    into ``error(p(1-q) + q(1-p)) D0``, as stim does for an untagged circuit, so decoders see the
    same errors as for the untagged circuit (up to float rounding). Loops are flattened, and
    duplicates that flattening creates are merged too (stim leaves those as separate lines).
    A DEM without tags is returned as it is.

    Args:
        dem: Any detector error model, tagged or not.

    Returns:
        An untagged detector error model (flat, one error per distinct target list, when the
        input had tags).

    Examples:
        >>> import stim
        >>> dem = stim.DetectorErrorModel('''
        ...     error[idle](0.1) D0
        ...     error[reset](0.2) D0
        ...     error[idle](0.1) D0 D1 ^ D2 L0
        ... ''')
        >>> expected = stim.DetectorErrorModel('''
        ...     error(0.26) D0
        ...     error(0.1) D0 D1 ^ D2 L0
        ... ''')
        >>> untagged_dem(dem).approx_equals(expected, atol=1e-12)
        True
    """
    # Text processing: stim prints each error's targets canonically, so identical errors have
    # identical target text; parsing the result back is done by stim in C++ (fast).
    if "[" not in str(dem):
        return dem  # no tags: nothing to strip, and stim already merged identical errors
    lines: list[str] = []  # other instructions verbatim; errors as their target text
    probability_of: dict[str, float] = {}
    is_error: list[bool] = []
    for line in str(dem.flattened().without_tags()).splitlines():
        if line.startswith("error("):
            close = line.index(")")
            probability = float(line[6:close])
            targets = line[close + 1 :].strip()
            q = probability_of.get(targets)
            if q is None:
                probability_of[targets] = probability
                lines.append(targets)
                is_error.append(True)
            else:
                probability_of[targets] = q * (1 - probability) + probability * (1 - q)
        else:
            lines.append(line)
            is_error.append(False)
    text = "\n".join(
        f"error({probability_of[line]!r}) {line}" if error else line
        for line, error in zip(lines, is_error, strict=True)
    )
    return stim.DetectorErrorModel(text)


class UntaggedDemDecoder(sinter.Decoder):
    """A ``sinter.Decoder`` that hands the wrapped decoder :func:`untagged_dem` of every DEM.

    Picklable (for sinter's worker processes, spawn start method included) when the wrapped
    decoder is. Supports both sinter entry points: ``compile_decoder_for_dem`` and the legacy
    ``decode_via_files`` (the DEM file is rewritten untagged inside sinter's ``tmp_dir``).

    Args:
        decoder: A ``sinter.Decoder`` (or an object with the same methods).

    Examples:
        >>> import sinter, stim
        >>> wrapped = UntaggedDemDecoder(sinter.BUILT_IN_DECODERS["pymatching"])
        >>> dem = stim.DetectorErrorModel("error[reset](0.1) D0 L0")
        >>> compiled = wrapped.compile_decoder_for_dem(dem=dem)
        >>> shots = np.array([[1]], dtype=np.uint8)
        >>> compiled.decode_shots_bit_packed(bit_packed_detection_event_data=shots)
        array([[1]], dtype=uint8)
    """

    def __init__(self, decoder: object):
        if isinstance(decoder, UntaggedDemDecoder):
            decoder = decoder.decoder
        self.decoder = decoder

    def __repr__(self) -> str:
        return f"UntaggedDemDecoder({self.decoder!r})"

    def compile_decoder_for_dem(self, *, dem: stim.DetectorErrorModel) -> sinter.CompiledDecoder:
        """Compile the wrapped decoder for ``dem`` with its tags removed.

        Args:
            dem: The (possibly tagged) detector error model.

        Returns:
            The wrapped decoder's ``sinter.CompiledDecoder``.

        Raises:
            NotImplementedError: The wrapped decoder has no ``compile_decoder_for_dem`` (sinter
                then falls back to :meth:`decode_via_files`).

        Examples:
            >>> import sinter, stim
            >>> wrapped = UntaggedDemDecoder(sinter.BUILT_IN_DECODERS["pymatching"])
            >>> dem = stim.DetectorErrorModel("error[two_qubit_gate@3-7](0.1) D0 D1 L0")
            >>> compiled = wrapped.compile_decoder_for_dem(dem=dem)
            >>> shots = np.array([[0b11]], dtype=np.uint8)  # both detectors fired
            >>> compiled.decode_shots_bit_packed(bit_packed_detection_event_data=shots)
            array([[1]], dtype=uint8)
        """
        compile_method = getattr(self.decoder, "compile_decoder_for_dem", None)
        if compile_method is None:
            raise NotImplementedError("compile_decoder_for_dem")
        return compile_method(dem=untagged_dem(dem))

    def decode_via_files(
        self,
        *,
        num_shots: int,
        num_dets: int,
        num_obs: int,
        dem_path: pathlib.Path,
        dets_b8_in_path: pathlib.Path,
        obs_predictions_b8_out_path: pathlib.Path,
        tmp_dir: pathlib.Path,
    ) -> None:
        """sinter's file-based entry point: the DEM file is rewritten untagged, then decoded.

        Args:
            num_shots: Shots in the detection-event file.
            num_dets: Detectors per shot.
            num_obs: Observables per shot.
            dem_path: The (possibly tagged) DEM file; an untagged copy goes in ``tmp_dir``.
            dets_b8_in_path: Detection events, b8 format.
            obs_predictions_b8_out_path: Where the predictions are written, b8 format.
            tmp_dir: A scratch directory.

        Examples:
            >>> import pathlib, tempfile, numpy as np, sinter, stim
            >>> tmp = pathlib.Path(tempfile.mkdtemp())
            >>> stim.DetectorErrorModel("error[reset](0.1) D0 L0").to_file(tmp / "m.dem")
            >>> np.array([[1], [0]], dtype=np.uint8).tofile(tmp / "d.b8")
            >>> UntaggedDemDecoder(sinter.BUILT_IN_DECODERS["pymatching"]).decode_via_files(
            ...     num_shots=2, num_dets=1, num_obs=1, dem_path=tmp / "m.dem",
            ...     dets_b8_in_path=tmp / "d.b8", obs_predictions_b8_out_path=tmp / "o.b8",
            ...     tmp_dir=tmp)
            >>> np.fromfile(tmp / "o.b8", dtype=np.uint8).tolist()
            [1, 0]
        """
        clean_path = pathlib.Path(tmp_dir) / "qecsim_untagged.dem"
        untagged_dem(stim.DetectorErrorModel.from_file(dem_path)).to_file(clean_path)
        self.decoder.decode_via_files(
            num_shots=num_shots,
            num_dets=num_dets,
            num_obs=num_obs,
            dem_path=clean_path,
            dets_b8_in_path=dets_b8_in_path,
            obs_predictions_b8_out_path=obs_predictions_b8_out_path,
            tmp_dir=tmp_dir,
        )


class _ViaFilesCompiledDecoder(sinter.CompiledDecoder):
    """Adapter for decoders that only implement ``decode_via_files`` (one temp dir per batch)."""

    def __init__(self, decoder: object, dem: stim.DetectorErrorModel):
        self.decoder = decoder
        self.dem = dem
        self.num_dets = dem.num_detectors
        self.num_obs = dem.num_observables

    def decode_shots_bit_packed(self, *, bit_packed_detection_event_data: np.ndarray) -> np.ndarray:
        num_shots = bit_packed_detection_event_data.shape[0]
        with tempfile.TemporaryDirectory(prefix="qecsim_decode_") as tmp:
            tmp_dir = pathlib.Path(tmp)
            dem_path = tmp_dir / "model.dem"
            dets_path = tmp_dir / "dets.b8"
            obs_path = tmp_dir / "obs.b8"
            self.dem.to_file(dem_path)
            np.ascontiguousarray(bit_packed_detection_event_data, dtype=np.uint8).tofile(dets_path)
            self.decoder.decode_via_files(
                num_shots=num_shots,
                num_dets=self.num_dets,
                num_obs=self.num_obs,
                dem_path=dem_path,
                dets_b8_in_path=dets_path,
                obs_predictions_b8_out_path=obs_path,
                tmp_dir=tmp_dir,
            )
            predictions = np.fromfile(obs_path, dtype=np.uint8)
        return predictions.reshape(num_shots, (self.num_obs + 7) // 8)


def compile_for_dem(decoder: object, *, dem: stim.DetectorErrorModel) -> sinter.CompiledDecoder:
    """Compile a decoder for a DEM, falling back to ``decode_via_files`` like sinter does.

    Args:
        decoder: A ``sinter.Decoder``, e.g. from :func:`qecsim.decoders.get`.
        dem: The detector error model to decode.

    Returns:
        A ``sinter.CompiledDecoder`` with ``decode_shots_bit_packed``.

    Examples:
        >>> import numpy as np, stim
        >>> dem = stim.DetectorErrorModel("error[reset](0.1) D0 L0")
        >>> import sinter
        >>> pymatching = UntaggedDemDecoder(sinter.BUILT_IN_DECODERS["pymatching"])
        >>> compiled = compile_for_dem(pymatching, dem=dem)
        >>> shots = np.zeros((2, 1), dtype=np.uint8)
        >>> compiled.decode_shots_bit_packed(bit_packed_detection_event_data=shots)
        array([[0],
               [0]], dtype=uint8)
    """
    try:
        return decoder.compile_decoder_for_dem(dem=dem)
    except NotImplementedError:
        pass
    if isinstance(decoder, UntaggedDemDecoder):
        return _ViaFilesCompiledDecoder(decoder.decoder, untagged_dem(dem))
    return _ViaFilesCompiledDecoder(decoder, dem)
