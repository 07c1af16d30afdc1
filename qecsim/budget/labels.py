"""Human labels of a budget: what was run (noise, code, basis, rounds, decoder, gate set).

Shared by the table and the figures, so that both name the experiment the same way and never
show internal names (method keys, hashes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qecsim import analysis
from qecsim.sampling.labels import noise_label as model_label

if TYPE_CHECKING:  # pragma: no cover
    from qecsim.budget.results import ErrorBudget

__all__ = ["experiment_label", "interval_label", "noise_label", "rounds_label"]


def noise_label(budget: ErrorBudget) -> str:
    """The noise model's short label (:func:`qecsim.sampling.labels.noise_label`: a preset
    with its p, a model's own name, or what differs from a preset), ``stim circuit(s)`` for a
    budget of circuits.

    Examples:
        >>> from types import SimpleNamespace
        >>> noise = qecsim.NoiseModel.si1000(1e-3)
        >>> noise_label(SimpleNamespace(noise=noise))
        'si1000 p=0.001'
        >>> noise_label(SimpleNamespace(noise=qecsim.NoiseModel(measurement=0.01, name="chip")))
        'chip'
        >>> noise_label(SimpleNamespace(noise=noise.with_qubit_rates({3: {"measurement": 0.02}})))
        'si1000 p=0.001, overrides on 1 qubit(s)'
        >>> noise_label(SimpleNamespace(noise=noise.with_gate_set("cx")))
        'si1000 p=0.001, gate set cx'
    """
    noise = budget.noise
    if noise is None:
        return "stim circuit" if len(budget.distances) == 1 else "stim circuits"
    return model_label(noise)


def rounds_label(budget: ErrorBudget) -> str:
    """``rounds = d``, ``5 rounds`` or the rounds per distance."""
    rounds = {d: budget.rounds[d] for d in budget.distances}
    if all(r == d for d, r in rounds.items()):
        return "rounds = d"
    if len(set(rounds.values())) == 1:
        (r,) = set(rounds.values())
        return f"{r} round{'s' if r > 1 else ''}"
    return "rounds " + ", ".join(f"{r} (d={d})" for d, r in rounds.items())


def experiment_label(budget: ErrorBudget) -> str:
    """Noise, code, basis, rounds, decoder and (when the model names it) the gate set."""
    parts = [noise_label(budget)]
    if budget.code:
        parts.append(budget.code.replace("_", " "))
    if budget.basis:
        parts.append(f"{budget.basis} basis")
    parts += [rounds_label(budget), f"decoder {budget.decoder}"]
    gate_set = getattr(budget.noise, "gate_set", None)
    if gate_set and f"gate set {gate_set}" not in parts[0]:
        parts.append(f"gate set {gate_set}")
    return ", ".join(parts)


def interval_label(budget: ErrorBudget) -> str:
    """The interval convention in words, e.g. ``[low, high]: ~3.72 sigma intervals ...``."""
    z = analysis.sigma_equivalent(budget.max_likelihood_factor)
    return (f"[low, high]: ~{z:.2f} sigma intervals (the width of sinter's likelihood ratio "
            f"{budget.max_likelihood_factor:g})")
