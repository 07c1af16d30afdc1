"""The ``qecsim`` command line.

Each module in this package that defines ``register(subparsers)`` adds one subcommand,
so subcommands are independent files. Run ``qecsim --help`` for the list.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import pkgutil
import signal
import sys
import threading
from collections.abc import Iterator

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every discovered subcommand.

    Examples:
        >>> parser = build_parser()
        >>> parser.prog
        'qecsim'
    """
    parser = argparse.ArgumentParser(
        prog="qecsim",
        description="Quantum error-correction simulation: noise models, sweeps, decoders, "
        "error budgets.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit code.

    Ctrl-C at any moment (after Python has imported qecsim) prints one line on stderr and
    returns 130: commands that sample say what their store keeps and how to continue, the
    others say ``interrupted``. Status lines of the library (logger ``qecsim``, level INFO:
    a run that resumes from its store says so) are printed on stderr as
    ``qecsim COMMAND: ...``.

    Args:
        argv: The arguments after ``qecsim``; None reads ``sys.argv`` and means this call is
            the whole process (the ``qecsim`` program): Ctrl-C is then ignored while the
            worker processes stop at exit, so it cannot print a traceback there.

    Examples:
        >>> main([])
        usage: qecsim ...
        2
    """
    from qecsim.errors import MissingDependencyError, QecsimError, reveal_ctrl_c

    words = sys.argv[1:] if argv is None else argv
    command = words[0] if words and not words[0].startswith("-") else None  # until parsed
    started = False
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        command = getattr(args, "command", None)
        if getattr(args, "func", None) is None:
            print("usage: qecsim ... (run `qecsim --help` for the subcommands)")
            return 2
        with _status_lines(f"qecsim {command}: "), reveal_ctrl_c():
            started = True
            return int(args.func(args) or 0)
    except (QecsimError, MissingDependencyError) as error:
        print(f"qecsim {command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as error:  # commands that keep results say what and where
        message = str(error) or ("interrupted" if started else
                                 "interrupted before it started: nothing done")
        print(f"{'qecsim' if command is None else f'qecsim {command}'}: {message}",
              file=sys.stderr)
        return 130
    finally:
        if argv is None:
            _ignore_ctrl_c_at_exit()


@contextlib.contextmanager
def _status_lines(prefix: str) -> Iterator[None]:
    """Print the library's INFO lines (logger ``qecsim``) on stderr, after ``prefix``."""
    logger = logging.getLogger("qecsim")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(prefix.replace("%", "%%") + "%(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _ignore_ctrl_c_at_exit() -> None:
    """The command is over: a Ctrl-C while Python stops the worker processes (atexit) would
    print a traceback from inside them, so it is ignored from here on."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
