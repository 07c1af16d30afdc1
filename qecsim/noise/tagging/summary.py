"""What :func:`~qecsim.noise.tagging.tag_noise` did: counts per component, what it left."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qecsim.errors import QecsimError
from qecsim.noise.components import COMPONENTS

__all__ = ["TaggingSummary", "UnplacedChannel"]

_ORDER = {key: i for i, key in enumerate((*COMPONENTS, "other"))}


@dataclass(frozen=True)
class UnplacedChannel:
    """A channel tagged ``other``: its line in the circuit text, the instruction and why.

    Examples:
        >>> str(UnplacedChannel(12, "E(0.01) X0 Y1 Z2", "no rule"))
        'line 12: E(0.01) X0 Y1 Z2 (no rule)'
    """

    line: int
    instruction: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.instruction} ({self.reason})"


@dataclass(frozen=True)
class TaggingSummary:
    """Counts of the channels :func:`tag_noise` tagged, per component, and what it left.

    A channel is one target group of a noise instruction (a qubit of ``DEPOLARIZE1 0 1``, a
    pair of ``DEPOLARIZE2``, the product of an ``E``), counted as written in the circuit's
    text (a channel inside ``REPEAT 24 { ... }`` counts once).

    Attributes:
        counts: component (or ``"other"``) -> channels it tagged (integers >= 0).
        kept: tag key (``parse_tag(tag).key``, or the tag itself when it is not a qecsim
            tag) -> channels that already carried a tag and were left as they were.
        unplaced: The instructions with a channel tagged ``other``, with line and reason.
        placement: ``"after"`` or ``"before"``: where the circuit puts noise relative to
            its operations (detected unless given).
        has_ticks: Whether the circuit has ``TICK``s.
        notes: Caveats about the result, in sentences.

    Raises:
        QecsimError: An unknown component, a count that is not an integer >= 0, or an
            unknown placement.

    Examples:
        >>> summary = TaggingSummary(counts={"idle": 3, "two_qubit_gate": 2}, kept={},
        ...                          unplaced=(), placement="after", has_ticks=True)
        >>> summary.total, summary.num_other
        (5, 0)
        >>> print(summary)
        tagged 5 noise channels (noise after its operation)
          two_qubit_gate       2
          idle                 3
    """

    counts: Mapping[str, int]
    kept: Mapping[str, int] = field(default_factory=dict)
    unplaced: tuple[UnplacedChannel, ...] = ()
    placement: str = "after"
    has_ticks: bool = True
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.counts) - set(_ORDER)
        if unknown:
            raise QecsimError(
                f"counts has unknown components {sorted(unknown)}; valid: {', '.join(_ORDER)}"
            )
        for name in ("counts", "kept"):
            for key, count in getattr(self, name).items():
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    raise QecsimError(f"{name}[{key!r}]={count!r} is not an integer >= 0")
        if self.placement not in ("after", "before"):
            raise QecsimError(f"placement={self.placement!r} is not 'after' or 'before'")
        ordered = dict(sorted(self.counts.items(), key=lambda item: _ORDER[item[0]]))
        object.__setattr__(self, "counts", ordered)
        object.__setattr__(self, "kept", dict(self.kept))
        object.__setattr__(self, "unplaced", tuple(self.unplaced))
        object.__setattr__(self, "notes", tuple(self.notes))

    @property
    def total(self) -> int:
        """Channels tagged (``other`` included)."""
        return sum(self.counts.values())

    @property
    def num_other(self) -> int:
        """Channels tagged ``other``."""
        return self.counts.get("other", 0)

    def with_lines(self, lines: Sequence[int]) -> TaggingSummary:
        """A copy whose unplaced lines are renumbered: line n becomes ``lines[n - 1]``.

        For a circuit read from a file, :func:`qecsim.circuits.files.read_circuit_with_lines`
        gives the file line of each line of ``str(circuit)``.

        Examples:
            >>> summary = TaggingSummary(counts={"other": 1},
            ...                          unplaced=(UnplacedChannel(2, "X_ERROR(0.1) 0", "?"),))
            >>> summary.with_lines([3, 7]).unplaced[0].line
            7
        """
        unplaced = tuple(
            dataclasses.replace(u, line=lines[u.line - 1]) if 0 < u.line <= len(lines) else u
            for u in self.unplaced
        )
        return dataclasses.replace(self, unplaced=unplaced)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the summary.

        Examples:
            >>> TaggingSummary(counts={"reset": 1}).to_dict()["counts"]
            {'reset': 1}
        """
        return {
            "counts": dict(self.counts),
            "kept": dict(self.kept),
            "unplaced": [
                {"line": u.line, "instruction": u.instruction, "reason": u.reason}
                for u in self.unplaced
            ],
            "placement": self.placement,
            "has_ticks": self.has_ticks,
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        where = "noise after its operation" if self.placement == "after" else (
            "noise before its operation"
        )
        lines = [f"tagged {self.total} noise channels ({where})"]
        lines += [f"  {component:<20} {count}" for component, count in self.counts.items()]
        if self.kept:
            lines.append(f"kept {sum(self.kept.values())} channels that already had a tag:")
            lines += [f"  {key:<20} {count}" for key, count in sorted(self.kept.items())]
        if self.unplaced:
            lines.append(f"could not place {len(self.unplaced)} instructions (tagged 'other'):")
            lines += [f"  {u}" for u in self.unplaced[:_SHOWN]]
            if len(self.unplaced) > _SHOWN:
                lines.append(f"  ... and {len(self.unplaced) - _SHOWN} more (see .unplaced)")
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)


_SHOWN = 20
