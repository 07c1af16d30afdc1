"""The package's exceptions: one root, so callers can catch all bad input at once."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = [
    "DISTRIBUTION",
    "MissingDependencyError",
    "QecsimError",
    "describe",
    "extra_hint",
    "raise_if_interrupted",
    "require",
    "reveal_ctrl_c",
]

#: The name this project installs under (the import name is ``qecsim``). The PyPI package
#: called ``qecsim`` is a different, unrelated project: never ``pip install qecsim``.
DISTRIBUTION = "qecsim-hw"


class QecsimError(ValueError):
    """Bad input to qecsim: the message names the bad value and what is allowed.

    Examples:
        >>> import qecsim
        >>> try:
        ...     qecsim.NoiseModel.sd6(-0.1)
        ... except qecsim.QecsimError as error:
        ...     print(error)
        sd6 p=-0.1 is not in [0, 0.75]
    """


class MissingDependencyError(ImportError):
    """An optional dependency is not installed; the message says how to install it."""


def extra_hint(extra: str) -> str:
    """How to install one of this project's extras (never the unrelated PyPI ``qecsim``).

    Examples:
        >>> print(extra_hint("decoders"))
        pip install -e '.[decoders]' in your qecsim-hw clone (or pip install 'qecsim-hw[decoders]')
    """
    return (
        f"pip install -e '.[{extra}]' in your {DISTRIBUTION} clone "
        f"(or pip install '{DISTRIBUTION}[{extra}]')"
    )


def raise_if_interrupted(error: BaseException) -> None:
    """Raise KeyboardInterrupt if ``error`` is a Ctrl-C in disguise.

    A Ctrl-C while a compiled extension (pymatching, stim plug-ins) initialises reaches
    Python as ``ImportError('initialization failed')`` caused by the KeyboardInterrupt:
    that is not a missing package, and must stop the program as Ctrl-C does.

    Examples:
        >>> error = ImportError("initialization failed")
        >>> error.__cause__ = KeyboardInterrupt()
        >>> try:
        ...     raise_if_interrupted(error)
        ... except KeyboardInterrupt:
        ...     print("Ctrl-C")
        Ctrl-C
        >>> raise_if_interrupted(ImportError("No module named 'x'"))  # a real one: nothing
    """
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__


@contextlib.contextmanager
def reveal_ctrl_c() -> Iterator[None]:
    """Raise KeyboardInterrupt for an ImportError of the block that a Ctrl-C caused.

    Any lazy import of a compiled extension (matplotlib's, a decoder's) can be the one a
    Ctrl-C interrupts (see :func:`raise_if_interrupted`).

    Examples:
        >>> try:
        ...     with reveal_ctrl_c():
        ...         try:
        ...             raise KeyboardInterrupt
        ...         except KeyboardInterrupt as error:
        ...             raise ImportError("initialization failed") from error
        ... except KeyboardInterrupt:
        ...     print("Ctrl-C")
        Ctrl-C
    """
    try:
        yield
    except ImportError as error:
        raise_if_interrupted(error)
        raise


def require(module: str, *, extra: str, package: str | None = None):
    """Import an optional dependency lazily, with an install hint when it is missing.

    Args:
        module: The module to import, e.g. ``"dask.distributed"``.
        extra: The qecsim extra that provides it, e.g. ``"distributed"``.
        package: The PyPI package name, when it differs from the module's top level.

    Returns:
        The imported module.

    Raises:
        MissingDependencyError: The module cannot be imported.

    Examples:
        >>> require("json", extra="dev").__name__
        'json'
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise_if_interrupted(error)
        package = package or module.split(".")[0]
        raise MissingDependencyError(
            f"{module!r} is not installed: pip install {package!r}, or {extra_hint(extra)}"
        ) from error


_MAX_REPR = 80


def describe(value: object) -> str:
    """A short description of a value for an error message: never a whole circuit.

    A stim circuit or detector error model is summarised (its size); anything else is its
    ``repr``, cut to 80 characters. Errors about one instruction of a circuit name its line
    (see :func:`qecsim.noise.tagging.format_instruction`).

    Examples:
        >>> import stim
        >>> describe(stim.Circuit("H 0\\nCX 0 1\\nM 0 1"))
        'stim.Circuit(3 instructions, 2 qubits)'
        >>> describe("x" * 200)
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."
        >>> describe(0.25)
        '0.25'
    """
    kind = type(value)
    from_stim = kind.__module__.split(".")[0] == "stim"
    if from_stim and kind.__name__ == "Circuit":
        return f"stim.Circuit({len(value)} instructions, {value.num_qubits} qubits)"
    if from_stim and kind.__name__ == "DetectorErrorModel":
        return (
            f"stim.DetectorErrorModel({value.num_errors} errors, "
            f"{value.num_detectors} detectors)"
        )
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."
