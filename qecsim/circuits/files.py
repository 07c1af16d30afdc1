"""Reading and writing ``.stim`` circuit files, with errors that name the file and line.

stim's own parser says what is wrong but not where (``Gate not found: 'FOO'``), and its text
output keeps 6 significant digits of each probability. :func:`read_circuit` adds the line
and the instruction to a parse error; :func:`circuit_text` and :func:`write_circuit` write
every argument exactly, so a circuit written and read back is the same circuit.
"""

from __future__ import annotations

import os
import pathlib

import stim

from qecsim.errors import QecsimError, describe

__all__ = ["circuit_text", "file_lines", "read_circuit", "read_circuit_with_lines", "write_circuit"]

_MAX_SHOWN = 100


def read_circuit(path: str | os.PathLike) -> stim.Circuit:
    """Read a ``.stim`` file; a parse error names the file, the line and its instruction.

    Args:
        path: The circuit file.

    Returns:
        The circuit.

    Raises:
        QecsimError: ``path`` is not a path, the file cannot be read, or is not a valid stim
            circuit.

    Examples:
        >>> import tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "bad.stim").write_text("H 0\\nCX 0 1\\nFOO 3\\nM 0\\n")
        >>> try:
        ...     read_circuit(folder / "bad.stim")
        ... except QecsimError as error:
        ...     print(str(error).split("bad.stim ")[1])
        line 3 (FOO 3) is not valid stim: Gate not found: 'FOO'
    """
    return _parse(_path(path), _read_text(path))


def read_circuit_with_lines(path: str | os.PathLike) -> tuple[stim.Circuit, list[int]]:
    """Read a ``.stim`` file, and the file line of each line of ``str(circuit)``.

    Messages about a circuit (tag_noise's summary, for one) count the lines of
    ``str(circuit)``; ``lines[n - 1]`` is where line ``n`` starts in the file (see
    :func:`file_lines`).

    Raises:
        QecsimError: As :func:`read_circuit`.
    """
    text = _read_text(path)
    circuit = _parse(_path(path), text)
    return circuit, file_lines(text, circuit)


def _path(path: object) -> pathlib.Path:
    """``path`` as a pathlib.Path, or a QecsimError naming what was given instead."""
    if not isinstance(path, (str, os.PathLike)):
        raise QecsimError(f"path={describe(path)} is not a file path (str or os.PathLike)")
    return pathlib.Path(path)


def _circuit(circuit: object) -> stim.Circuit:
    """``circuit`` itself, or a QecsimError naming what was given instead of a circuit."""
    if not isinstance(circuit, stim.Circuit):
        hint = " (stim.Circuit(text) parses text)" if isinstance(circuit, str) else ""
        raise QecsimError(f"circuit={describe(circuit)} is not a stim.Circuit{hint}")
    return circuit


def _read_text(path: str | os.PathLike) -> str:
    path = _path(path)
    try:
        return path.read_text()
    except OSError as error:
        raise QecsimError(f"cannot read circuit file {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise QecsimError(f"circuit file {path} is not a text file") from None


def _parse(path: pathlib.Path, text: str) -> stim.Circuit:
    try:
        return stim.Circuit(text)
    except ValueError as error:
        lines = text.splitlines()
        line = _first_bad_line(lines)
        shown = lines[line - 1].strip()
        if len(shown) > _MAX_SHOWN:
            shown = shown[: _MAX_SHOWN - 4] + " ..."
        raise QecsimError(f"{path} line {line} ({shown}) is not valid stim: {error}") from None


def file_lines(text: str, circuit: stim.Circuit) -> list[int]:
    """For each line of ``str(circuit)``, the line of ``text`` (its source) it starts at.

    stim drops comments and blank lines and fuses consecutive compatible instructions
    (``H 0`` then ``H 1`` become ``H 0 1``), so the lines tag_noise and other messages
    count (those of ``str(circuit)``) can differ from the file's. Falls back to the
    identity when the text cannot be matched line by line.

    Examples:
        >>> text = "# a comment\\nH 0\\nH 1\\n\\nCX 0 1\\n"
        >>> file_lines(text, stim.Circuit(text))
        [2, 5]
    """
    mapping: list[int] = []
    previous: str | None = None  # the last instruction line an instruction could fuse with
    for number, raw in enumerate(text.splitlines(), start=1):
        code = raw.split("#")[0].strip()
        if not code:
            continue
        if code == "}" or code.endswith("{"):
            mapping.append(number)
            previous = None
            continue
        if previous is None or not _fuses(previous, code):
            mapping.append(number)
        previous = code
    canonical = len(str(circuit).splitlines()) if len(circuit) else 0
    return mapping if len(mapping) == canonical else list(range(1, canonical + 1))


def _gate_name(code: str) -> str:
    for i, char in enumerate(code):
        if char in "[( \t":
            return code[:i]
    return code


def _fuses(first: str, second: str) -> bool:
    if _gate_name(first) != _gate_name(second):
        return False
    try:
        return len(stim.Circuit(f"{first}\n{second}")) == 1
    except ValueError:
        return False


def _parses(lines: list[str]) -> bool:
    code = [line.split("#")[0] for line in lines]
    open_blocks = sum(line.count("{") - line.count("}") for line in code)
    try:
        stim.Circuit("\n".join(lines) + "\n}" * max(open_blocks, 0))
    except ValueError:
        return False
    return True


def _first_bad_line(lines: list[str]) -> int:
    """The first line whose prefix (with open REPEAT blocks closed) no longer parses."""
    good, bad = 0, len(lines)
    while bad - good > 1:
        middle = (good + bad) // 2
        if _parses(lines[:middle]):
            good = middle
        else:
            bad = middle
    return max(bad, 1)


def circuit_text(circuit: stim.Circuit) -> str:
    """The circuit as ``.stim`` text with every argument written exactly.

    ``str(circuit)`` rounds arguments to 6 significant digits; this writes each as the
    shortest decimal that reads back as the same float.

    Raises:
        QecsimError: ``circuit`` is not a ``stim.Circuit``.

    Examples:
        >>> circuit = stim.Circuit()
        >>> circuit.append("X_ERROR", [0], [0.001234567891], tag="reset@0")
        >>> str(circuit)
        'X_ERROR[reset@0](0.00123457) 0'
        >>> circuit_text(circuit)
        'X_ERROR[reset@0](0.001234567891) 0'
        >>> stim.Circuit(circuit_text(circuit)) == circuit
        True
    """
    return "\n".join(_lines(_circuit(circuit), ""))


def _lines(circuit: stim.Circuit, indent: str) -> list[str]:
    lines = []
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            header = stim.Circuit()
            header.append(stim.CircuitRepeatBlock(item.repeat_count, stim.Circuit(), tag=item.tag))
            lines.append(indent + str(header).splitlines()[0])
            lines += _lines(item.body_copy(), indent + "    ")
            lines.append(indent + "}")
        else:
            lines.append(indent + _exact(item))
    return lines


def _exact(instruction: stim.CircuitInstruction) -> str:
    text = str(instruction)
    args = instruction.gate_args_copy()
    if not args:
        return text
    start = len(instruction.name)
    if text[start : start + 1] == "[":
        start = text.index("]", start) + 1  # tags are escaped: no raw ']' inside
    end = text.index(")", start)
    return f"{text[:start]}({', '.join(_number(a) for a in args)}{text[end:]}"


def _number(value: float) -> str:
    text = repr(float(value))  # the shortest decimal that reads back as the same float
    return text[:-2] if text.endswith(".0") else text


def write_circuit(circuit: stim.Circuit, path: str | os.PathLike) -> None:
    """Write ``circuit`` to ``path`` as ``.stim`` text with exact arguments.

    Raises:
        QecsimError: ``circuit`` is not a ``stim.Circuit``, ``path`` not a path, or the
            file cannot be written.

    Examples:
        >>> import tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "c.stim"
        >>> write_circuit(stim.Circuit("DEPOLARIZE1(0.1000000001) 0"), path)
        >>> read_circuit(path) == stim.Circuit("DEPOLARIZE1(0.1000000001) 0")
        True
    """
    text = circuit_text(circuit)
    path = _path(path)
    try:
        path.write_text(text + "\n")
    except OSError as error:
        raise QecsimError(f"cannot write circuit file {path}: {error.strerror}") from None
