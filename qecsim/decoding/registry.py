"""A registry of decoders by name: every entry is a ``sinter.Decoder`` that accepts tagged DEMs.

Every decoder handed out here is wrapped in :class:`UntaggedDemDecoder`
(:mod:`qecsim.decoding.untagged`), which gives the decoder :func:`untagged_dem` of the DEM: decoder
packages that bundle an older stim parser may reject the component tags of qecsim's circuits.

**Names.** Each decoder has ONE canonical name, the one qecsim writes into stores, task
metadata, tables and plots: sinter's own name for sinter's built-in decoders, else the name in
the table. Every function here (and every ``decoders=``/``--decoders`` of qecsim) also accepts an
alias and returns or records the canonical name: any spelling that differs only in case, ``-``,
``_``, ``+``, dots or spaces (``beliefmatching``, ``Fusion-Blossom``, ``BP+OSD``), and the
aliases in the table (:data:`ALIASES`), which include the packages' own names.
:func:`canonical_name` converts one name; :func:`describe_names` lists them all.

=====================  =====================  ==================================  =================
canonical name         aliases                decoder                             package
=====================  =====================  ==================================  =================
pymatching                                    minimum-weight perfect matching     pymatching
pymatching-correlated                         correlated matching                 pymatching>=2.3.1
fusion_blossom         fusion-blossom         minimum-weight perfect matching     fusion-blossom
hypergraph_union_find  hypergraph-union-find  hypergraph union-find               mwpf
mw_parity_factor       mwpf                   minimum-weight parity factor        mwpf
bposd                  stimbposd, bp-osd      BP + ordered statistics (OSD-CS 60) stimbposd
bplsd                  bp-lsd                 BP + localised statistics (LSD-CS)  stimbposd
tesseract              tesseract-decoder      A* search decoder                   tesseract-decoder
belief-matching        beliefmatching         BP then matching                    beliefmatching
=====================  =====================  ==================================  =================

(stimbposd's own ``bposd`` and ``bplsd`` are the same names; qecsim's ``bplsd`` uses LSD order 10
rather than stimbposd's default 0. Its other variants, e.g. ``bposd-minsum``, are not aliases:
register them with :func:`register` to use them.)

Examples:
    >>> import qecsim
    >>> "pymatching" in qecsim.decoders.available()
    True
    >>> decoder = qecsim.decoders.get("pymatching")
    >>> isinstance(decoder, qecsim.decoders.UntaggedDemDecoder)
    True
    >>> qecsim.decoders.check_names("beliefmatching,Fusion-Blossom")
    ('belief-matching', 'fusion_blossom')
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Iterable

import sinter

from qecsim.decoding.belief_matching import BeliefMatchingDecoder
from qecsim.decoding.untagged import UntaggedDemDecoder, compile_for_dem, untagged_dem
from qecsim.errors import MissingDependencyError, QecsimError, extra_hint, raise_if_interrupted

__all__ = [
    "ALIASES",
    "KNOWN_DECODERS",
    "BeliefMatchingDecoder",
    "UntaggedDemDecoder",
    "available",
    "canonical_name",
    "check_names",
    "compile_for_dem",
    "describe_names",
    "get",
    "is_available",
    "register",
    "sinter_decoders",
    "unregister",
    "untagged_dem",
]


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

#: Aliases (alias -> canonical name) beyond spellings that differ only in case, '-', '_', '+',
#: dots or spaces, which are accepted anyway. Shown in errors and ``--help``.
ALIASES: dict[str, str] = {
    "fusion-blossom": "fusion_blossom",
    "hypergraph-union-find": "hypergraph_union_find",
    "mwpf": "mw_parity_factor",
    "stimbposd": "bposd",
    "bp-osd": "bposd",
    "bp-lsd": "bplsd",
    "tesseract-decoder": "tesseract",
    "beliefmatching": "belief-matching",
}


def _key(name: str) -> str:
    """The spelling-insensitive key of a name: lower case, letters and digits only."""
    return "".join(c for c in name.lower() if c.isalnum())


#: key -> canonical name of every known decoder, from its canonical name and its aliases.
_KNOWN_KEYS: dict[str, str] = {
    **{_key(alias): name for alias, name in ALIASES.items()},
    **{_key(name): name for name in _PLUGINS},
}
assert len({_key(name) for name in _PLUGINS}) == len(_PLUGINS)  # no two names share a key


def describe_names() -> str:
    """The canonical decoder names with their aliases, for help texts and error messages.

    Returns:
        One line: each canonical name, its aliases in parentheses, then registered names.

    Examples:
        >>> print(describe_names()[:70])
        pymatching, pymatching-correlated, fusion_blossom (or fusion-blossom),
    """
    return _describe(quote=False)


def _describe(*, quote: bool) -> str:
    show = repr if quote else str
    parts = []
    for name in _PLUGINS:
        aliases = ", ".join(show(alias) for alias, target in ALIASES.items() if target == name)
        parts.append(f"{show(name)} (or {aliases})" if aliases else show(name))
    parts.extend(show(name) for name in _REGISTERED if name not in _PLUGINS)
    return ", ".join(parts) + "; case, '-' and '_' do not matter"


def canonical_name(name: str) -> str:
    """The canonical name of a decoder given by its canonical name or an alias.

    An exact registered or known name wins; then known decoders by spelling-insensitive key
    (case, ``-``, ``_``, ``+``, dots and spaces ignored) and :data:`ALIASES`; then registered
    names by the same key. Does not check that the decoder's package is installed
    (:func:`check_names` does).

    Args:
        name: A decoder name.

    Returns:
        The canonical name (a key of :data:`KNOWN_DECODERS` or a registered name).

    Raises:
        QecsimError: No decoder has that name (the message lists the canonical names and
            aliases).

    Examples:
        >>> canonical_name("BeliefMatching"), canonical_name("tesseract-decoder")
        ('belief-matching', 'tesseract')
        >>> canonical_name("Fusion-Blossom"), canonical_name("BP+OSD")
        ('fusion_blossom', 'bposd')
    """
    if not isinstance(name, str):
        raise QecsimError(f"decoder={name!r} is not a decoder name (a string)")
    if name in _REGISTERED or name in _PLUGINS:
        return name
    key = _key(name)
    if key and key in _KNOWN_KEYS:
        return _KNOWN_KEYS[key]
    registered = [other for other in _REGISTERED if _key(other) == key]
    if key and len(registered) == 1:
        return registered[0]
    raise QecsimError(f"decoder={name!r} is not in [{_describe(quote=True)}]")


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
        raise_if_interrupted(error)  # Ctrl-C while it imports: not a missing package
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
        name: A decoder name (canonical or an alias, see :func:`canonical_name`).

    Returns:
        True when :func:`get` would return a decoder.

    Examples:
        >>> is_available("pymatching"), is_available("PyMatching"), is_available("no-such")
        (True, True, False)
    """
    try:
        name = canonical_name(name)
    except QecsimError:
        return False
    if name in _REGISTERED:
        return True
    return _missing_reason(name) is None


def available() -> tuple[str, ...]:
    """The decoder names that work here: known ones whose package imports, then registered ones.

    Returns:
        Canonical names in registry order.

    Examples:
        >>> available()[:2]
        ('pymatching', 'pymatching-correlated')
    """
    known = [name for name in _PLUGINS if name not in _REGISTERED and is_available(name)]
    return (*known, *_REGISTERED)


def check_names(names: Iterable[str]) -> tuple[str, ...]:
    """Validate decoder names before any long computation; return their canonical names.

    Args:
        names: Decoder names, canonical or aliases (an iterable of strings; a single
            comma-separated string is split).

    Returns:
        The canonical names (:func:`canonical_name`) as a tuple, in the given order (a
        repeated decoder stays repeated).

    Raises:
        QecsimError: A name is unknown (the message lists the canonical names and their
            aliases), or no name is given.
        MissingDependencyError: A known decoder's package is not installed (the message gives
            the pip command).

    Examples:
        >>> check_names("pymatching,Pymatching_Correlated")
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
    canonical = tuple(canonical_name(name) for name in names)
    for name in canonical:
        if name not in _REGISTERED:
            _import_or_raise(name)
    return canonical


def get(name: str) -> sinter.Decoder:
    """The decoder registered under ``name``, wrapped to receive untagged DEMs.

    Args:
        name: A decoder name, see :data:`KNOWN_DECODERS` and :func:`available`, or an alias
            (:func:`canonical_name`).

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
    (name,) = check_names([name])
    if name in _REGISTERED:
        return _REGISTERED[name]
    return UntaggedDemDecoder(_PLUGINS[name].factory())


def sinter_decoders(names: Iterable[str] | None = None) -> dict[str, sinter.Decoder]:
    """Decoders by name, for ``sinter.collect(custom_decoders=...)``.

    Every returned decoder accepts tagged DEMs. The keys are canonical names: sinter looks a
    task's ``decoder`` up among them (and writes it into its stats), so give the tasks the
    canonical names, e.g. from :func:`check_names`.

    Args:
        names: Decoder names or aliases; None means all of :func:`available`.

    Returns:
        A dict canonical name -> ``sinter.Decoder``.

    Raises:
        QecsimError: Unknown name.
        MissingDependencyError: A decoder's package is not installed.

    Examples:
        >>> sorted(sinter_decoders(["pymatching-correlated", "PyMatching"]))
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
