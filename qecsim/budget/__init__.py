"""Error budgets: how much each noise component contributes to the logical error rate.

Its place in the data flow and its modules: ``docs/design.md`` (Layout), in the repository.

For component k with scale factor s_k (1 = as measured) and eps_d the logical error per
round at distance d, the budget reports:

- the elasticity ``e_k(d) = d ln eps_d / d ln s_k`` at s = 1 and the share
  ``e_k / sum_j e_j`` of eps_d (at low p, ``sum_k e_k`` is about (d + 1) / 2, not 1);
- the contribution to 1/Lambda, ``c_k = s_k d(1/Lambda)/ds_k = (1/Lambda) x`` the slope of
  e_k(d) against (d + 1) / 2 (with two distances: ``(1/Lambda)(e_k(d+2) - e_k(d))``);
- for ``method="ablation"``, eps(all) - eps(without k) instead of elasticities.

Methods:

- ``"likelihood_ratio"`` (default): per distance ONE sample set from the tagged detector
  error model, decoded once by a decoder built from the nominal model, so the derivative is
  taken with the decoder held at its nominal weights (a decoder calibrated once, as a device
  runs it). For each component,
  ``d P_fail / d s_k = E[fail x score_k]`` with ``score_k = sum_{e tagged k} (x_e - q_e) /
  (q_e (1 - q_e)) x dq_e/ds_k`` (x_e: did DEM error e fire; dq_e/ds_k from a DEM built at a
  slightly scaled rate; dq_e/ds_k = q_e where stim's approximate conversion of a channel
  gives an implausible slope). All components (and all qubits, with ``by="qubit"``) come
  from the same shots. CIs by the delta method, with the score's conditional variance
  floored at its Fisher information.
- ``"finite_difference"``: sample at s_k = 1 + delta and 1 / (1 + delta) for each
  component (symmetric in ln s); central differences of ln eps against ln s give e_k.
  Each scaled model is decoded by a decoder rebuilt for it (its weights follow the scaled
  rates), so e_k includes the decoder's adaptation; the two methods agree where reweighting
  matters little and may differ where it does (e.g. the phase flips of a cat repetition
  code at small d). CIs by the delta method.
- ``"ablation"``: sample with component k switched off (decoded by a decoder for that model).

Every method samples the tagged detector error model (:mod:`qecsim.sampling.dem_sampling`).
Intervals follow :mod:`qecsim.analysis`: ``max_likelihood_factor=1000`` means z = 3.72.

Rows are budget keys: the canonical components, or ``component.part`` where the noise tags
name parts of a component (the crosstalk kinds ``crosstalk.spectator``,
``crosstalk.parallel``, ``crosstalk.static_zz``; the bit and phase flips of cat qubits,
``two_qubit_gate.phase_flip``). Every method reports parts: the likelihood ratio from the
DEM's tags, finite differences and ablation by scaling one part alone
(:meth:`NoiseModel.scaled` takes ``component.part``; a circuit's channels by their tags). A
component split into parts has no row of its own (:meth:`ErrorBudget.component` names its
parts); what-if projections take its name for all its parts. A row's ``rate`` is the mean
probability of its channels in the nominal circuits. 1/Lambda needs two or more odd
distances; with an even one the budget warns and leaves 1/Lambda out. ``store=`` keeps every
finished batch so that an interrupted budget continues (:mod:`qecsim.budget.store`).

Your own circuits: ``error_budget(circuit)`` (one distance, no 1/Lambda) or
``error_budget({distance: circuit})``, rounds given or read from the detectors' time
coordinate; untagged noise is tagged with :func:`qecsim.tag_noise` (the budget's notes say
so), and finite differences and ablation scale the circuit's channels by their tags
(:mod:`~qecsim.budget.circuits`).

Modules, in the order of the data flow: :mod:`~qecsim.budget.api` (:func:`error_budget`,
step by step), :mod:`~qecsim.budget.circuits` (checking, tagging and planning your own
circuits), :mod:`~qecsim.budget.worker` (what a worker process builds and samples for one
sample set), :mod:`~qecsim.budget.sampling` (the reproducible batch scheduler, Ctrl-C),
:mod:`~qecsim.budget.store` (the batch store), :mod:`~qecsim.budget.estimators` (the
statistics of each method), :mod:`~qecsim.budget.statistics` (binomial and delta-method
helpers), :mod:`~qecsim.budget.results` (:class:`ComponentBudget`, :class:`QubitBudget`,
:class:`ErrorBudget`), :mod:`~qecsim.budget.projections` (:class:`Projection`, what-if and
required scale), :mod:`~qecsim.budget.labels`, :mod:`~qecsim.budget.table` and
:mod:`~qecsim.budget.plots` (output), :mod:`~qecsim.budget.progress` (the progress bar).
"""

from qecsim.analysis.estimate import Estimate
from qecsim.budget.api import BUDGET_METHODS, error_budget
from qecsim.budget.projections import Projection
from qecsim.budget.results import ComponentBudget, ErrorBudget, QubitBudget

__all__ = [
    "BUDGET_METHODS",
    "ComponentBudget",
    "ErrorBudget",
    "Estimate",
    "Projection",
    "QubitBudget",
    "error_budget",
]
