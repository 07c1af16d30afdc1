"""Noise models: component error rates turned into tagged stim noise channels.

- :mod:`qecsim.noise.components`: the canonical component keys and the tag grammar
  (``component``, ``component@q``, ``component@a-b``).
- :mod:`qecsim.noise.model`: :class:`NoiseModel` (presets, per-qubit and per-coupler rates,
  biases, coherence, copies, serialisation).
- :mod:`qecsim.noise.apply`: how a model adds noise to a noiseless circuit, moment by moment.
- :mod:`qecsim.noise.coherence`: the Pauli twirl of T1/T2 decay.
- :mod:`qecsim.noise.tagging`: :func:`tag_noise`, component tags for any stim circuit's noise.
"""

from qecsim.noise.coherence import pauli_twirl_idle
from qecsim.noise.components import (
    COMPONENTS,
    DATA_ROUND_MARKER,
    ONE_QUBIT_COMPONENTS,
    TWO_QUBIT_COMPONENTS,
    ComponentTag,
    check_component,
    parse_tag,
)
from qecsim.noise.model import BIASABLE, PRESETS, RATE_LIMITS, NoiseModel
from qecsim.noise.tagging import TaggingSummary, tag_noise

__all__ = [
    "BIASABLE",
    "COMPONENTS",
    "DATA_ROUND_MARKER",
    "ONE_QUBIT_COMPONENTS",
    "PRESETS",
    "RATE_LIMITS",
    "TWO_QUBIT_COMPONENTS",
    "ComponentTag",
    "NoiseModel",
    "TaggingSummary",
    "check_component",
    "parse_tag",
    "pauli_twirl_idle",
    "tag_noise",
]
