"""Tag the noise of any stim circuit with qecsim's components, from each channel's context.

- :mod:`qecsim.noise.tagging.tag`: :func:`tag_noise`, the entry point.
- :mod:`qecsim.noise.tagging.rules`: the rules, in order, and the placement of noise
  (after or before its operation).
- :mod:`qecsim.noise.tagging.timeline`: a circuit read as moments with its operations
  indexed per qubit; line numbers of instructions for messages.
- :mod:`qecsim.noise.tagging.summary`: :class:`TaggingSummary`, what tagging did.
- :mod:`qecsim.noise.tagging.scaling`: tagged circuits checked, split per qubit and scaled
  by tag (:func:`scale_components`), for budgets, sweeps and fits of circuits.
"""

from qecsim.noise.tagging.rules import PLACEMENTS
from qecsim.noise.tagging.scaling import (
    check_tagged,
    scale_components,
    scale_tagged,
    split_by_qubit,
)
from qecsim.noise.tagging.summary import TaggingSummary, UnplacedChannel
from qecsim.noise.tagging.tag import tag_noise
from qecsim.noise.tagging.timeline import format_instruction, instructions_with_lines

__all__ = [
    "PLACEMENTS",
    "TaggingSummary",
    "UnplacedChannel",
    "check_tagged",
    "format_instruction",
    "instructions_with_lines",
    "scale_components",
    "scale_tagged",
    "split_by_qubit",
    "tag_noise",
]
