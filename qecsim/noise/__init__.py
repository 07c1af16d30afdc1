"""Noise models: component error rates turned into tagged stim noise channels.

Its place in the data flow and its modules: ``docs/design.md`` (Layout), in the repository.

- :mod:`qecsim.noise.components`: the canonical component keys, the tag grammar
  (``component[.part][@q or @a-b]``), the gate sets and the kinds of crosstalk.
- :mod:`qecsim.noise.presets`: the preset definitions (SD6, SI1000, ...) and their sources.
- :mod:`qecsim.noise.model`: :class:`NoiseModel` (rates, overrides, queries);
  :mod:`qecsim.noise.copies` its modified copies; :mod:`qecsim.noise.fields` the checks of
  its fields; :mod:`qecsim.noise.serialization` its JSON form.
- :mod:`qecsim.noise.apply` and :mod:`qecsim.noise.crosstalk`: how a model adds noise to a
  noiseless circuit, tick by tick.
- :mod:`qecsim.noise.biased` (Z-biased one- and two-qubit channels, bias-preserving CX noise)
  and :mod:`qecsim.noise.cat` (cat qubits: bit and phase flips from photon number, kappa_1,
  kappa_2 and durations; :meth:`NoiseModel.cat_qubit`).
- :mod:`qecsim.noise.coherence` (the Pauli twirl of T1/T2 decay) and
  :mod:`qecsim.noise.timing` (durations in seconds, static ZZ, the unit checks).
- :mod:`qecsim.noise.conventions`: Pauli error probabilities vs average infidelities.
- :mod:`qecsim.noise.calibration`: device calibration files (:func:`load_calibration`).
- :mod:`qecsim.noise.tagging`: :func:`tag_noise`, component tags for any stim circuit's noise.
"""

from qecsim.noise.biased import (
    bias_preserving_cx,
    pauli_weights,
    z_biased_pauli_channel_1,
    z_biased_pauli_channel_2,
)
from qecsim.noise.calibration import EXAMPLE_CALIBRATION, load_calibration
from qecsim.noise.cat import CatQubit
from qecsim.noise.coherence import pauli_twirl_idle
from qecsim.noise.components import (
    BIASABLE,
    COMPONENTS,
    CROSSTALK_KINDS,
    DATA_ROUND_MARKER,
    GATE_SETS,
    ONE_QUBIT_COMPONENTS,
    PAULI_PARTS,
    RATE_LIMITS,
    TWO_QUBIT_COMPONENTS,
    ComponentTag,
    check_component,
    parse_tag,
)
from qecsim.noise.conventions import ERROR_CONVENTIONS, pauli_error_from_infidelity
from qecsim.noise.model import PRESETS, NoiseModel
from qecsim.noise.tagging import TaggingSummary, tag_noise
from qecsim.noise.timing import Durations

__all__ = [
    "BIASABLE",
    "COMPONENTS",
    "CROSSTALK_KINDS",
    "DATA_ROUND_MARKER",
    "ERROR_CONVENTIONS",
    "EXAMPLE_CALIBRATION",
    "GATE_SETS",
    "ONE_QUBIT_COMPONENTS",
    "PAULI_PARTS",
    "PRESETS",
    "RATE_LIMITS",
    "TWO_QUBIT_COMPONENTS",
    "CatQubit",
    "ComponentTag",
    "Durations",
    "NoiseModel",
    "TaggingSummary",
    "bias_preserving_cx",
    "check_component",
    "load_calibration",
    "parse_tag",
    "pauli_error_from_infidelity",
    "pauli_twirl_idle",
    "pauli_weights",
    "tag_noise",
    "z_biased_pauli_channel_1",
    "z_biased_pauli_channel_2",
]
