"""Short human labels of noise models, for task metadata (``noise_label``), tables and legends.

A label says what was run in a few words, never a model's JSON. Its head is

1. a preset: its name and parameter, ``"si1000 p=0.001"``;
2. a model with a name of its own (``NoiseModel.name`` other than ``"custom"`` and the
   preset names: a device name from :func:`qecsim.interop.qiskit.noise_from_backend`, the
   ``"name"`` of a noise JSON file, or ``NoiseModel(..., name="chip A")``): that name;
3. else, when the model's rates are a preset's with at most three components changed (at
   least two components, and more than changed, still match it): the preset, its parameter
   and the changed components as multiples of p, ``"si1000 p=0.001, measurement=8p"``
   (multiples of p stay true when the model is swept in p);
4. else its nonzero component rates in canonical order, at most three and a count of the
   rest, ``"two_qubit_gate=0.003, measurement=0.008"``.

A cat-qubit model (:meth:`NoiseModel.cat_qubit`, unchanged) is labelled by its physical
parameters, ``"cat qubit n=4, kappa_1/kappa_2=0.001"``. A component given as channel parts
(bit and phase flips) counts as the sum of its parts.

In cases 3 and 4 the head is followed by what the model has beyond its rates, where it
differs from the preset (or from a plain ``NoiseModel``): the gate set (``"gate set cx"``),
T1/T2 (``"T1/T2 80/60 us"``, ``"T1/T2 on 2 qubit(s)"``), the kinds of crosstalk
(``"parallel crosstalk 0.0001"``, ``"static ZZ 50 kHz"``, ``"static ZZ on 3 coupler(s)"``),
per-qubit and per-coupler overrides (``"overrides on 2 qubit(s)"``), Z biases
(``"Z bias 10"``) and the factors on channels computed from physical parameters
(``"T1/T2 idle x2"``). Two models with the same label (e.g. that differ only in which qubit
an override is on, or below three significant digits) are told apart at display time by
what differs between them (:func:`qecsim.analysis.labels.group_labels`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from qecsim.errors import QecsimError, describe
from qecsim.noise.model import PRESETS, NoiseModel
from qecsim.noise.presets import PRESET_DEFINITIONS

__all__ = ["NoiseLabel", "label_parts", "noise_label"]

#: At most this many changed components in a "preset with changes" label (case 3).
_MAX_CHANGES = 3
#: At most this many components listed in a plain label (case 4).
_MAX_LISTED = 3


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def _rate(value: float) -> str:
    return f"{value:.3g}"


def _multiple(rate: float, p: float) -> str:
    """A rate as a multiple of p: ``"8p"``, ``"p"``, ``"0.2p"``, ``"0"``."""
    ratio = rate / p
    if ratio == 0:
        return "0"
    return "p" if _same(ratio, 1.0) else f"{ratio:.3g}p"


@dataclass(frozen=True)
class NoiseLabel:
    """The pieces of a noise model's label (see the module docstring).

    Attributes:
        head: The preset's name, the model's own name, or its main rates.
        preset: The preset the rates follow (cases 1 and 3), else None.
        p: That preset's parameter (cases 1 and 3), else None.
        changes: What differs from the preset (changed rates as multiples of p, gate set,
            T1/T2, crosstalk, overrides, biases), in label order.
    """

    head: str
    preset: str | None = None
    p: float | None = None
    changes: tuple[str, ...] = ()

    def text(self, *, p: float | None = None, show_p: bool = True) -> str:
        """The label; ``p`` replaces the preset's parameter, ``show_p=False`` leaves it out.

        Examples:
            >>> parts = label_parts(NoiseModel.si1000(1e-3).scaled(measurement=1.6))
            >>> parts.text(), parts.text(p=0.002), parts.text(show_p=False)
            ('si1000 p=0.001, measurement=8p', 'si1000 p=0.002, measurement=8p', 'si1000, measurement=8p')
        """  # noqa: E501
        head = self.head
        if self.preset is not None and show_p:
            head += f" p={(self.p if p is None else p):g}"
        return ", ".join([head, *self.changes])


def _rates(noise: NoiseModel) -> dict[str, float]:
    """The component rates, a component given as channel parts counted as their sum."""
    rates = noise.rates()
    for component in noise.channel_parts:
        rates[component] = sum(map(sum, noise.parts(component).values()))
    return rates


def _relative_to_preset(noise: NoiseModel) -> tuple[str, float, list[str]] | None:
    """(preset, p, changed components as multiples of p) of the best-matching preset."""
    rates = _rates(noise)
    best: tuple[tuple, tuple[str, float, list[str]]] | None = None
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
            # more matches, fewer changes, then the model's own p, then its preset name
            score = (matches, -len(changed), p == noise.p, preset == noise.name)
            if best is None or score > best[0]:
                best = (score, (preset, p, [f"{c}={_multiple(rates[c], p)}" for c in changed]))
    return None if best is None else best[1]


def _component_list(noise: NoiseModel) -> str:
    used = [(c, r) for c, r in _rates(noise).items() if r > 0]
    if not used:
        return "no global noise"
    shown = [f"{c}={_rate(r)}" for c, r in used[:_MAX_LISTED]]
    if len(used) > _MAX_LISTED:
        shown.append(f"+{len(used) - _MAX_LISTED} more")
    return ", ".join(shown)


def _time_us(seconds: float) -> str:
    return "inf" if math.isinf(seconds) else f"{seconds * 1e6:.3g}"


def _hz(value: float) -> str:
    for factor, unit in ((1e6, "MHz"), (1e3, "kHz")):
        if value >= factor:
            return f"{value / factor:.3g} {unit}"
    return f"{value:.3g} Hz"


def _beyond_rates(noise: NoiseModel, gate_set: str) -> list[str]:
    """What the model has besides its global rates (module docstring), in label order."""
    parts = []
    if noise.gate_set != gate_set:
        parts.append(f"gate set {noise.gate_set}")
    if math.isfinite(noise.t1) or math.isfinite(noise.t2):
        parts.append(f"T1/T2 {_time_us(noise.t1)}/{_time_us(noise.t2)} us")
    if noise.qubit_coherence:
        parts.append(f"T1/T2 on {len(noise.qubit_coherence)} qubit(s)")
    if noise.parallel_crosstalk:
        parts.append(f"parallel crosstalk {_rate(noise.parallel_crosstalk)}")
    if noise.static_zz:
        parts.append(f"static ZZ {_hz(noise.static_zz)}")
    if noise.coupler_static_zz:
        parts.append(f"static ZZ on {len(noise.coupler_static_zz)} coupler(s)")
    if noise.qubit_rates:
        parts.append(f"overrides on {len(noise.qubit_rates)} qubit(s)")
    if noise.coupler_rates:
        parts.append(f"overrides on {len(noise.coupler_rates)} coupler(s)")
    etas = set(noise.z_bias.values())
    if len(etas) == 1:
        parts.append(f"Z bias {next(iter(etas)):g}")
    elif etas:
        parts.append("Z-biased")
    if noise.qubit_z_bias:
        parts.append(f"Z bias on {len(noise.qubit_z_bias)} qubit(s)")
    if noise.channel_parts:
        parts.append(f"bit/phase-flip parts on {', '.join(sorted(noise.channel_parts))}")
    # factors on channels computed from T1/T2 and ZZ (shown where such channels exist)
    physical = {
        "idle": ("T1/T2 idle", noise.has_coherence),
        "crosstalk.static_zz": ("static ZZ", bool(noise.static_zz or noise.coupler_static_zz)),
    }
    for key, factor in sorted(noise.scales.items()):
        name, present = physical[key]
        if present:
            parts.append(f"{name} x{factor:.3g}")
    return parts


def label_parts(noise: NoiseModel) -> NoiseLabel:
    """The pieces of ``noise_label(noise)``, so that a table can show another p.

    Args:
        noise: The model.

    Returns:
        The :class:`NoiseLabel`; its ``text()`` is ``noise_label(noise)``.

    Raises:
        QecsimError: ``noise`` is not a NoiseModel.

    Examples:
        >>> parts = label_parts(NoiseModel.si1000(1e-3).with_crosstalk(parallel=1e-4))
        >>> parts.preset, parts.p, parts.changes
        ('si1000', 0.001, ('parallel crosstalk 0.0001',))
    """
    if not isinstance(noise, NoiseModel):
        raise QecsimError(f"noise={describe(noise)} is not a qecsim.NoiseModel")
    if noise.name in PRESETS and noise.p is not None:
        if noise == NoiseModel.from_preset(noise.name, noise.p):
            return NoiseLabel(noise.name, noise.name, noise.p)
    elif noise.cat is not None and noise == NoiseModel.from_cat(noise.cat):
        cat = noise.cat
        return NoiseLabel(f"cat qubit n={cat.mean_photon_number:g}, "
                          f"kappa_1/kappa_2={cat.kappa_1 / cat.kappa_2:.3g}")
    elif noise.name != "custom":
        return NoiseLabel(noise.name)
    relative = _relative_to_preset(noise)
    if relative is None:
        return NoiseLabel(_component_list(noise), changes=tuple(_beyond_rates(noise, "cx")))
    preset, p, changed = relative
    beyond = _beyond_rates(noise, PRESET_DEFINITIONS[preset].gate_set)
    return NoiseLabel(preset, preset, p, tuple(changed + beyond))


def noise_label(noise: NoiseModel) -> str:
    """A short human label of a noise model (the rules are in the module docstring).

    Args:
        noise: The model.

    Returns:
        The label, e.g. ``"si1000 p=0.001, measurement=8p"``.

    Raises:
        QecsimError: ``noise`` is not a NoiseModel.

    Examples:
        >>> noise_label(NoiseModel.si1000(1e-3))
        'si1000 p=0.001'
        >>> noise_label(NoiseModel.si1000(1e-3).scaled(measurement=1.6))
        'si1000 p=0.001, measurement=8p'
        >>> noise_label(NoiseModel.si1000(1e-3).with_gate_set("cx"))
        'si1000 p=0.001, gate set cx'
        >>> noise_label(NoiseModel(two_qubit_gate=0.003, measurement=0.008))
        'two_qubit_gate=0.003, measurement=0.008'
        >>> noise_label(NoiseModel(two_qubit_gate=0.003, name="chip A"))
        'chip A'
        >>> noise_label(NoiseModel.cat_qubit(4, kappa_2=1e7, kappa_ratio=1e-3))
        'cat qubit n=4, kappa_1/kappa_2=0.001'
        >>> noise_label(NoiseModel.sd6(1e-3).with_bias_preserving_cx(100))
        'sd6 p=0.001, bit/phase-flip parts on two_qubit_gate'
    """
    return label_parts(noise).text()
