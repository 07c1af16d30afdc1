"""Short human labels of noise models, for task metadata (``noise_label``), tables and legends.

A label says what was run in a few words, never a model's JSON:

1. a preset: its name and parameter, ``"si1000 p=0.001"``;
2. a model with a name of its own (``NoiseModel.name`` other than ``"custom"`` and the
   preset names: a device name from :func:`qecsim.interop.qiskit.noise_from_backend`, the
   ``"name"`` of a noise JSON file, or ``NoiseModel(..., name="chip A")``): that name;
3. else, when the model is a preset with at most three components changed (at least two
   components, and more than changed, still match it): the preset, its parameter and the
   changed components, ``"si1000 p=0.001, measurement=0.008"``;
4. else its nonzero component rates in canonical order, at most three and a count of the
   rest, ``"two_qubit_gate=0.003, measurement=0.008"``.

Per-qubit and per-coupler overrides and Z biases add a short suffix in cases 3 and 4
(``", overrides on 2 qubits"``, ``", Z-biased"``). Two models with the same label (e.g.
that differ only in their overrides) are told apart at display time by the components that
differ between them (:func:`qecsim.analysis.labels.group_labels`).
"""

from __future__ import annotations

import math

from qecsim.errors import QecsimError
from qecsim.noise.model import PRESETS, NoiseModel

__all__ = ["noise_label"]

#: At most this many changed components in a "preset with changes" label (case 3).
_MAX_CHANGES = 3
#: At most this many components listed in a plain label (case 4).
_MAX_LISTED = 3


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def _rate(value: float) -> str:
    return f"{value:.3g}"


def _relative_to_preset(noise: NoiseModel) -> str | None:
    """``"<preset> p=<p>, <changed components>"`` for the preset that matches best, or None."""
    rates = noise.rates()
    best: tuple[tuple[int, int], str] | None = None
    for preset in PRESETS:
        pattern = NoiseModel.from_preset(preset, 1e-3).rates()
        candidates = {noise.p} if noise.p else set()
        candidates.update(
            rates[c] / pattern[c] * 1e-3 for c in rates if rates[c] > 0 and pattern[c] > 0
        )
        for p in sorted(candidates):
            try:
                reference = NoiseModel.from_preset(preset, p).rates()
            except QecsimError:  # p beyond the preset's range
                continue
            matches = sum(1 for c in rates if rates[c] > 0 and _same(rates[c], reference[c]))
            changed = [c for c in rates if not _same(rates[c], reference[c])]
            if matches < 2 or len(changed) > _MAX_CHANGES or len(changed) >= matches:
                continue
            score = (matches, -len(changed))
            if best is None or score > best[0]:
                text = ", ".join(
                    [f"{preset} p={p:g}", *(f"{c}={_rate(rates[c])}" for c in changed)]
                )
                best = (score, text)
    return None if best is None else best[1]


def _component_list(noise: NoiseModel) -> str:
    used = [(c, r) for c, r in noise.rates().items() if r > 0]
    if not used:
        return "no global noise"
    shown = [f"{c}={_rate(r)}" for c, r in used[:_MAX_LISTED]]
    if len(used) > _MAX_LISTED:
        shown.append(f"+{len(used) - _MAX_LISTED} more")
    return ", ".join(shown)


def _suffix(noise: NoiseModel) -> str:
    parts = []
    if noise.qubit_rates:
        parts.append(f"overrides on {len(noise.qubit_rates)} qubit(s)")
    if noise.coupler_rates:
        parts.append(f"overrides on {len(noise.coupler_rates)} coupler(s)")
    if noise.z_bias or noise.qubit_z_bias:
        parts.append("Z-biased")
    return "".join(f", {part}" for part in parts)


def noise_label(noise: NoiseModel) -> str:
    """A short human label of a noise model (the rules are in the module docstring).

    Args:
        noise: The model.

    Returns:
        The label, e.g. ``"si1000 p=0.001, measurement=0.008"``.

    Raises:
        QecsimError: ``noise`` is not a NoiseModel.

    Examples:
        >>> noise_label(NoiseModel.si1000(1e-3))
        'si1000 p=0.001'
        >>> noise_label(NoiseModel.si1000(1e-3).scaled(measurement=1.6))
        'si1000 p=0.001, measurement=0.008'
        >>> noise_label(NoiseModel(two_qubit_gate=0.003, measurement=0.008))
        'two_qubit_gate=0.003, measurement=0.008'
        >>> noise_label(NoiseModel(two_qubit_gate=0.003, name="chip A"))
        'chip A'
    """
    if not isinstance(noise, NoiseModel):
        raise QecsimError(f"noise is a {type(noise).__name__}; expected a qecsim.NoiseModel")
    if noise.name in PRESETS and noise.p is not None:
        if noise == NoiseModel.from_preset(noise.name, noise.p):
            return f"{noise.name} p={noise.p:g}"
    elif noise.name != "custom":
        return noise.name
    return (_relative_to_preset(noise) or _component_list(noise)) + _suffix(noise)
