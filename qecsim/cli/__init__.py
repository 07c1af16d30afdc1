"""The ``qecsim`` command line.

Each module in this package that defines ``register(subparsers)`` adds one subcommand,
so subcommands are independent files. Run ``qecsim --help`` for the list.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

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

    Examples:
        >>> main([])
        usage: qecsim ...
        2
    """
    from qecsim.errors import MissingDependencyError, QecsimError

    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        print("usage: qecsim ... (run `qecsim --help` for the subcommands)")
        return 2
    try:
        return int(args.func(args) or 0)
    except (QecsimError, MissingDependencyError) as error:
        print(f"qecsim {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
