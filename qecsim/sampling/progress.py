"""The progress bar of a collection: points done, shots, errors and an ETA.

Both backends feed it the ``sinter.Progress`` of every finished batch. A point counts as done
fractionally: the larger of its shots towards ``max_shots`` and its errors towards
``max_errors``, so the bar moves smoothly and its ETA is meaningful for both kinds of limit.

Examples:
    >>> import sinter
    >>> bar = ProgressBar(["a"], {}, max_shots=100, max_errors=None, enabled=False)
    >>> row = sinter.TaskStats(strong_id="a", decoder="pymatching", json_metadata={},
    ...                        shots=50, errors=3)
    >>> bar(sinter.Progress(new_stats=(row,), status_message=""))
    >>> bar.fraction["a"], bar.done()
    (0.5, 0)
"""

from __future__ import annotations

import sys

import sinter

__all__ = ["ProgressBar", "tqdm_class"]


def tqdm_class():
    """tqdm's notebook widget when ipywidgets is installed, else the text bar.

    Examples:
        >>> tqdm_class().__name__
        'tqdm'
    """
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm.std import tqdm
    return tqdm


#: The bar counts thousandths of a point: integers, so it never passes its total (float
#: sums of fractional steps did, by a rounding error: tqdm's "clamping frac" warning and a
#: negative ETA, ``<-00:00``, near the end).
_UNITS = 1000


class ProgressBar:
    """Points done (fractionally: shots or errors towards the limits), shots, errors, ETA.

    Args:
        ids: The strong ids of the points.
        existing: What the store already holds, by strong id.
        max_shots: The shot limit per point, or None.
        max_errors: The error limit per point, or None.
        enabled: Draw the bar (on stderr); when False, only count.
    """

    def __init__(
        self,
        ids: list[str],
        existing: dict[str, sinter.TaskStats],
        *,
        max_shots: int | None,
        max_errors: int | None,
        enabled: bool,
    ) -> None:
        self.max_shots = max_shots
        self.max_errors = max_errors
        self.shots = {i: existing[i].shots if i in existing else 0 for i in ids}
        self.errors = {i: existing[i].errors if i in existing else 0 for i in ids}
        self.fraction = {i: self._fraction(i) for i in ids}
        self.total_units = len(ids) * _UNITS
        self.shown = self._units()
        self.bar = None
        if enabled:
            tqdm = tqdm_class()
            self.bar = tqdm(
                total=self.total_units,
                initial=self.shown,
                unit="point",
                unit_scale=1 / _UNITS,
                desc="qecsim.collect",
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total:.0f} points "
                "[{elapsed}<{remaining}{postfix}]",
                file=sys.stderr,
                dynamic_ncols=True,
                mininterval=0.5,
            )
            self._postfix()

    def _fraction(self, strong_id: str) -> float:
        parts = [0.0]
        if self.max_shots:
            parts.append(self.shots[strong_id] / self.max_shots)
        if self.max_errors:
            parts.append(self.errors[strong_id] / self.max_errors)
        return min(1.0, max(parts))

    def _units(self) -> int:
        """Thousandths of a point done, rounded down, at most the total."""
        return min(self.total_units, int(sum(self.fraction.values()) * _UNITS))

    def done(self) -> int:
        """How many points reached a limit."""
        return sum(fraction >= 1.0 for fraction in self.fraction.values())

    def _postfix(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(
                f"done {self.done()}/{len(self.fraction)}, shots {sum(self.shots.values()):,}, "
                f"errors {sum(self.errors.values()):,}",
                refresh=False,
            )

    def _advance(self, *, at_least: int) -> None:
        units = self._units()
        if self.bar is not None and units - self.shown >= at_least:
            self._postfix()
            self.bar.update(units - self.shown)
            self.shown = units

    def __call__(self, progress: sinter.Progress) -> None:
        """Count the new rows of ``progress`` and redraw."""
        for stat in progress.new_stats:
            if stat.strong_id not in self.fraction:
                continue
            self.shots[stat.strong_id] += stat.shots
            self.errors[stat.strong_id] += stat.errors
            self.fraction[stat.strong_id] = self._fraction(stat.strong_id)
        # tiny first batches would give absurd ETAs: wait for 1 % of a point
        if progress.new_stats:
            self._advance(at_least=_UNITS // 100)

    def close(self) -> None:
        """Draw the final state and release the bar."""
        if self.bar is not None:
            self._postfix()
            self._advance(at_least=1)
            self.bar.close()
