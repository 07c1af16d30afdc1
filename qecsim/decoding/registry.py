"""A registry of decoders by name: every entry is a ``sinter.Decoder`` that accepts tagged DEMs.

qecsim circuits tag every noise instruction with its component (``DEPOLARIZE2[two_qubit_gate]``),
and stim keeps those tags in the detector error model (``error[two_qubit_gate](p) D0 D1``).
Decoder packages that bundle an older stim parser may reject tags, and a tagged DEM keeps errors
with the same detectors but different tags on separate lines. So every decoder handed out here is
wrapped in :class:`UntaggedDemDecoder`, which gives the decoder :func:`untagged_dem` of the DEM:
tags removed and identical errors merged, i.e. exactly the DEM of the same circuit without tags.

Known names (``KNOWN_DECODERS``), available when their package imports:

========================  ========================================  =====================
name                      decoder                                   package
========================  ========================================  =====================
pymatching                minimum-weight perfect matching           pymatching
pymatching-correlated     correlated matching (pymatching >= 2.3.1) pymatching
fusion_blossom            minimum-weight perfect matching           fusion-blossom
hypergraph_union_find     hypergraph union-find (sinter built-in)   mwpf
mw_parity_factor          minimum-weight parity factor              mwpf
bposd                     BP + ordered statistics (OSD-CS 60)       stimbposd
bplsd                     BP + localised statistics (LSD-CS 10)     stimbposd
tesseract                 A* search decoder                         tesseract-decoder
belief-matching           BP then matching                          beliefmatching
========================  ========================================  =====================

Examples:
    >>> import qecsim
    >>> "pymatching" in qecsim.decoders.available()
    True
    >>> decoder = qecsim.decoders.get("pymatching")
    >>> isinstance(decoder, qecsim.decoders.UntaggedDemDecoder)
    True
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import pathlib
import tempfile
from collections.abc import Callable, Iterable

import numpy as np
import sinter
import stim

from qecsim.errors import MissingDependencyError, QecsimError, extra_hint

__all__ = [
    "KNOWN_DECODERS",
    "BeliefMatchingDecoder",
    "UntaggedDemDecoder",
    "available",
    "check_names",
    "compile_for_dem",
    "get",
    "is_available",
    "register",
    "sinter_decoders",
    "unregister",
    "untagged_dem",
]


# --------------------------------------------------------------------------------------------
# Tag stripping
# --------------------------------------------------------------------------------------------


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
        decoder: A ``sinter.Decoder``, e.g. from :func:`get`.
        dem: The detector error model to decode.

    Returns:
        A ``sinter.CompiledDecoder`` with ``decode_shots_bit_packed``.

    Examples:
        >>> import numpy as np, stim
        >>> dem = stim.DetectorErrorModel("error[reset](0.1) D0 L0")
        >>> compiled = compile_for_dem(get("pymatching"), dem=dem)
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


# --------------------------------------------------------------------------------------------
# Belief matching with a compiled decoder (the package only implements decode_via_files)
# --------------------------------------------------------------------------------------------


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
            dem: A DEM with decomposed hyperedges, without tags (:func:`get` wraps this
                decoder so that tags are removed first).

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
        beliefmatching = _import_or_raise("belief-matching")
        matcher = beliefmatching.BeliefMatching(dem, max_bp_iters=self.max_bp_iters)
        return _BeliefMatchingCompiledDecoder(matcher, dem.num_detectors)


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Plugin:
    module: str
    package: str
    factory: Callable[[], object]
    extra: str | None = "decoders"
    min_version: tuple[int, ...] | None = None


def _sinter_built_in(name: str) -> Callable[[], object]:
    return lambda: sinter.BUILT_IN_DECODERS[name]


def _stimbposd(name: str) -> Callable[[], object]:
    return lambda: importlib.import_module("stimbposd").sinter_decoders()[name]


def _bplsd() -> object:
    # stimbposd's default is LSD order 0, which is clearly weaker than matching on circuit-level
    # surface-code noise (about 1.7x pymatching's logical error at d=3, SI1000 p=1e-3); the
    # combination-sweep LSD of order 10 matches it there at the same speed.
    module = importlib.import_module("stimbposd.sinter_bp_lsd")
    return module.SinterDecoder_BPLSD(lsd_method="lsd_cs", lsd_order=10)


def _tesseract() -> object:
    return importlib.import_module("tesseract_decoder").make_tesseract_sinter_decoders_dict()[
        "tesseract"
    ]


_PLUGINS: dict[str, _Plugin] = {
    "pymatching": _Plugin("pymatching", "pymatching", _sinter_built_in("pymatching"), None),
    "pymatching-correlated": _Plugin(
        "pymatching",
        "pymatching>=2.3.1",
        _sinter_built_in("pymatching-correlated"),
        None,
        (2, 3, 1),
    ),
    "fusion_blossom": _Plugin(
        "fusion_blossom", "fusion-blossom", _sinter_built_in("fusion_blossom")
    ),
    "hypergraph_union_find": _Plugin(
        "mwpf", "mwpf", _sinter_built_in("hypergraph_union_find"), None
    ),
    "mw_parity_factor": _Plugin("mwpf", "mwpf", _sinter_built_in("mw_parity_factor"), None),
    "bposd": _Plugin("stimbposd", "stimbposd", _stimbposd("bposd")),
    "bplsd": _Plugin("stimbposd", "stimbposd", _bplsd),
    "tesseract": _Plugin("tesseract_decoder", "tesseract-decoder", _tesseract),
    "belief-matching": _Plugin("beliefmatching", "beliefmatching", BeliefMatchingDecoder),
}

KNOWN_DECODERS: tuple[str, ...] = tuple(_PLUGINS)
"""Every decoder name qecsim knows how to build (available or not here)."""

_REGISTERED: dict[str, sinter.Decoder] = {}


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(c for c in piece if c.isdigit()) or "0"
        parts.append(int(digits))
    return tuple(parts)


@functools.cache
def _missing_reason(name: str) -> str | None:
    """None when the plug-in works here, else the install hint (cached: imports are slow)."""
    plugin = _PLUGINS[name]
    hint = f"pip install {plugin.package!r}"
    if plugin.extra is not None:
        hint += f", or {extra_hint(plugin.extra)}"
    try:
        module = importlib.import_module(plugin.module)
    except ImportError as error:
        return f"decoder {name!r} needs the package {plugin.package!r} ({error}): {hint}"
    if plugin.min_version is not None:
        version = getattr(module, "__version__", "0")
        if _version_tuple(version) < plugin.min_version:
            return f"decoder {name!r} needs {plugin.package!r}, found {version}: {hint} --upgrade"
    return None


def _import_or_raise(name: str):
    reason = _missing_reason(name)
    if reason is not None:
        raise MissingDependencyError(reason)
    return importlib.import_module(_PLUGINS[name].module)


def is_available(name: str) -> bool:
    """Whether the decoder ``name`` can be used here (known and installed, or registered).

    Args:
        name: A decoder name.

    Returns:
        True when :func:`get` would return a decoder.

    Examples:
        >>> is_available("pymatching"), is_available("no-such-decoder")
        (True, False)
    """
    if name in _REGISTERED:
        return True
    return name in _PLUGINS and _missing_reason(name) is None


def available() -> tuple[str, ...]:
    """The decoder names that work here: known ones whose package imports, then registered ones.

    Returns:
        Names in registry order.

    Examples:
        >>> available()[:2]
        ('pymatching', 'pymatching-correlated')
    """
    known = [name for name in _PLUGINS if name not in _REGISTERED and is_available(name)]
    return (*known, *_REGISTERED)


def check_names(names: Iterable[str]) -> tuple[str, ...]:
    """Validate decoder names before any long computation.

    Args:
        names: Decoder names (an iterable of strings; a single comma-separated string is split).

    Returns:
        The names as a tuple, in the given order.

    Raises:
        QecsimError: A name is unknown (the message lists the valid names), or no name is given.
        MissingDependencyError: A known decoder's package is not installed (the message gives
            the pip command).

    Examples:
        >>> check_names("pymatching,pymatching-correlated")
        ('pymatching', 'pymatching-correlated')
        >>> try:
        ...     check_names(["pymatchin"])
        ... except QecsimError as error:
        ...     print(str(error)[:60])
        decoder='pymatchin' is not in ['pymatching', 'pymatching-cor
    """
    if isinstance(names, str):
        names = [part.strip() for part in names.split(",")]
    names = tuple(names)
    if not names:
        raise QecsimError("decoders=() is empty: give at least one decoder name")
    valid = [*_PLUGINS, *(name for name in _REGISTERED if name not in _PLUGINS)]
    for name in names:
        if not isinstance(name, str) or name not in valid:
            raise QecsimError(f"decoder={name!r} is not in {valid}")
    for name in names:
        if name not in _REGISTERED:
            _import_or_raise(name)
    return names


def get(name: str) -> sinter.Decoder:
    """The decoder registered under ``name``, wrapped to receive untagged DEMs.

    Args:
        name: A decoder name, see :data:`KNOWN_DECODERS` and :func:`available`.

    Returns:
        A picklable ``sinter.Decoder`` (an :class:`UntaggedDemDecoder` unless registered with
        ``accepts_tags=True``).

    Raises:
        QecsimError: Unknown name (the message lists the valid names).
        MissingDependencyError: The decoder's package is not installed (with the pip command).

    Examples:
        >>> get("pymatching")  # doctest: +ELLIPSIS
        UntaggedDemDecoder(<sinter...PyMatchingDecoder object at ...>)
    """
    check_names([name])
    if name in _REGISTERED:
        return _REGISTERED[name]
    return UntaggedDemDecoder(_PLUGINS[name].factory())


def sinter_decoders(names: Iterable[str] | None = None) -> dict[str, sinter.Decoder]:
    """Decoders by name, for ``sinter.collect(custom_decoders=...)``.

    Every returned decoder accepts tagged DEMs. Pass the same names as the tasks' ``decoder``.

    Args:
        names: Decoder names; None means all of :func:`available`.

    Returns:
        A dict name -> ``sinter.Decoder``.

    Raises:
        QecsimError: Unknown name.
        MissingDependencyError: A decoder's package is not installed.

    Examples:
        >>> sorted(sinter_decoders(["pymatching-correlated", "pymatching"]))
        ['pymatching', 'pymatching-correlated']
    """
    names = available() if names is None else check_names(names)
    return {name: get(name) for name in names}


def register(name: str, decoder: object, *, accepts_tags: bool = False) -> None:
    """Register a custom ``sinter.Decoder`` under a name (for this process).

    Registered decoders shadow known ones of the same name. Workers of ``sinter.collect`` get
    decoder objects, not names, so registration does not need to happen in them.

    Args:
        name: The name, e.g. ``"my-decoder"``; non-empty, no commas.
        decoder: An object with ``compile_decoder_for_dem`` and/or ``decode_via_files``.
        accepts_tags: True only if you tested that the decoder handles tagged DEMs; otherwise
            it is wrapped to receive :func:`untagged_dem`.

    Raises:
        QecsimError: Bad name, or the object has neither decoder method.

    Examples:
        >>> import sinter
        >>> register("my-matching", sinter.BUILT_IN_DECODERS["pymatching"])
        >>> "my-matching" in available()
        True
        >>> unregister("my-matching")
    """
    if not isinstance(name, str) or not name or "," in name or name != name.strip():
        raise QecsimError(f"name={name!r} is not a non-empty decoder name without commas")
    if not (
        hasattr(decoder, "compile_decoder_for_dem") or hasattr(decoder, "decode_via_files")
    ):
        raise QecsimError(
            f"decoder={decoder!r} is not a sinter.Decoder: it has neither "
            "compile_decoder_for_dem nor decode_via_files"
        )
    _REGISTERED[name] = decoder if accepts_tags else UntaggedDemDecoder(decoder)


def unregister(name: str) -> None:
    """Remove a decoder added with :func:`register`.

    Args:
        name: A registered name.

    Raises:
        QecsimError: The name was not registered.

    Examples:
        >>> try:
        ...     unregister("pymatching")
        ... except QecsimError as error:
        ...     print(error)
        name='pymatching' is not in [] (the registered decoders)
    """
    if name not in _REGISTERED:
        registered = sorted(_REGISTERED)
        raise QecsimError(f"name={name!r} is not in {registered} (the registered decoders)")
    del _REGISTERED[name]
