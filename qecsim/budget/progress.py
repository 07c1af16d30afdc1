"""The budget's progress bar (logical errors found towards ``max_errors`` per sample set).

A small copy of the bar choice of :mod:`qecsim.sampling.local` (a notebook widget when
ipywidgets is installed, else text), kept here while that module is restructured.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["progress_bar"]


class _Silent:
    """The bar when progress is off: accepts updates, draws nothing."""

    def update(self, n: float = 1) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(enabled: bool, *, total: int, description: str) -> Any:
    """A tqdm bar counting ``total`` logical errors, or a silent stand-in.

    Examples:
        >>> bar = progress_bar(False, total=10, description="budget")
        >>> bar.update(3); bar.close()
    """
    if not enabled:
        return _Silent()
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm.std import tqdm
    return tqdm(total=total, desc=description, unit="errors", mininterval=1.0, file=sys.stderr)
