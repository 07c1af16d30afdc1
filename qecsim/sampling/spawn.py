"""Checks that worker processes can start under the ``spawn`` start method.

A spawned worker re-imports the main module. Three situations make that fail, and a
collection would then hang or die with a confusing multiprocessing error; these checks turn
them into a :class:`qecsim.QecsimError` that says what to do:

* this process *is* a spawned worker importing a script whose top level calls ``collect``
  (no ``if __name__ == "__main__":`` guard);
* the main module is not a file (code piped to ``python -``);
* the main module fails to import in a fresh process (found by a probe process, or by the
  local pool's own workers dying before they are ready).

Examples:
    >>> check_not_in_spawned_import()  # the doctest runner is no spawned worker
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator

from qecsim.errors import QecsimError

__all__ = [
    "SPAWN_GUARD_HINT",
    "check_main_is_importable",
    "check_not_in_spawned_import",
    "check_spawn_ready",
    "ctrl_c_held",
    "main_module_path",
    "sigint_ignored",
]

SPAWN_GUARD_HINT = (
    "worker processes start with the spawn method, which re-imports the main module: put "
    'the code that calls qecsim.collect under `if __name__ == "__main__":` in a .py file'
)
_probed = False


def check_not_in_spawned_import() -> None:
    """QecsimError when called while a spawned worker imports the main module."""
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise QecsimError(
            "qecsim.collect was called while a worker process was importing the main module "
            f"(the script has no `if __name__ == \"__main__\":` guard). {SPAWN_GUARD_HINT}"
        )


def main_module_path() -> str | None:
    """The file a spawned worker re-imports as its main module, or None (notebooks, -c, -m)."""
    main = sys.modules.get("__main__")
    return getattr(main, "__file__", None)


def check_main_is_importable() -> None:
    """The cheap checks: not inside a spawned import, and a main module that is a file."""
    check_not_in_spawned_import()
    main = sys.modules.get("__main__")
    main_path = main_module_path()
    if main_path is not None and getattr(main, "__spec__", None) is None:
        if not os.path.isfile(main_path):
            raise QecsimError(
                f"the main module is {main_path!r}, not a file (code piped to `python -`?), so "
                f"worker processes cannot import it. {SPAWN_GUARD_HINT}"
            )


def worker_died_error(exitcode: int | None) -> QecsimError:
    """The error for a worker that died while starting (importing the main module)."""
    return QecsimError(
        f"a worker process exited with code {exitcode} while starting (importing the main "
        f"module {main_module_path()!r}; its error is printed above). {SPAWN_GUARD_HINT}"
    )


def check_spawn_ready() -> None:
    """All three checks; the probe process runs once per process (a fraction of a second).

    For backends whose workers are started by someone else (dask's LocalCluster), which
    would otherwise hang when the main module cannot be imported.
    """
    global _probed
    check_main_is_importable()
    if _probed or main_module_path() is None:
        return
    probe = multiprocessing.get_context("spawn").Process(target=int, daemon=True)
    probe.start()
    probe.join(timeout=120)
    if probe.is_alive():  # a slow top level: let the backend try
        probe.terminate()
        return
    if probe.exitcode != 0:
        raise worker_died_error(probe.exitcode)
    _probed = True


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold a Ctrl-C that arrives inside the block; raise it when the block ends.

    For short calls that must not be cut in half: starting a worker process (cut short, the
    child dies with a traceback), a dask client's round trip to its event loop (cut short,
    dask logs an error from its loop). Only in the main thread, and only when Python's own
    (or another callable) handler is installed: that handler then runs after the block.

    Examples:
        >>> with ctrl_c_held():
        ...     signal.getsignal(signal.SIGINT) is signal.default_int_handler
        False
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        yield
        return
    held: list[int] = []
    # a Ctrl-C delivered to another thread reaches Python's handler in this one: hold it
    signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Start child processes that never see Ctrl-C; a Ctrl-C meanwhile comes after the block.

    Ctrl-C in a terminal sends SIGINT to the whole process group, workers included, which
    would die with a traceback each. Inside this block SIGINT is blocked in this thread, and
    a child started here inherits the blocked signal through ``exec``, so it never sees a
    Ctrl-C until it ignores it (the workers' first act). A Ctrl-C that arrives meanwhile is
    not lost and does not cut a child's start in half (:func:`ctrl_c_held`): it is raised as
    ``KeyboardInterrupt`` when the block ends. Without signal masks (Windows) SIGINT is
    ignored instead, as is a Ctrl-C meanwhile. Only in the main thread (elsewhere signal
    handlers cannot be changed).

    Examples:
        >>> with sigint_ignored():
        ...     signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])
        True
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # set outside Python: leave it alone
        yield
        return
    if not hasattr(signal, "pthread_sigmask"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        return
    # multiprocessing starts its resource tracker on the first spawn and unblocks SIGINT
    # when it has: started here, before the mask is set, it leaves the mask alone
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    with ctrl_c_held():
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # one that waited comes now
