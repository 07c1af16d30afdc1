"""Fitting a noise model to measured detector statistics: scale factors with intervals.

The model is a tagged noisy circuit per experiment (from a :class:`qecsim.NoiseModel`, or a
circuit whose noise carries component tags). Each parameter scales every channel of one tag
key: a component (``by="component"``), or a component on one qubit or coupler
(``by="qubit"``; channels are split per qubit first). A DEM mechanism's probability is taken
proportional to its tag's scale, the exact predictions of :mod:`qecsim.experiment.dem` are
fitted to the measured detection fractions and the p_ij of every detector pair the model
correlates (weighted least squares, scales >= 0), and the circuit is then rebuilt at the
fitted scales and fitted again until the scales stop moving, which removes the linearisation.

Parameters whose effects on the statistics are identical (e.g. ``idle`` and
``measurement_idle`` on a data qubit with no gate in between) are fitted as one group and
share one scale. Intervals are sandwich (delta-method) intervals computed shot by shot, so
they account for the correlations between detection fractions and p_ij estimated from the
same shots; their width follows the package's likelihood-factor convention (1000: 3.7
sigma). ``chi_squared`` treats the statistics as independent (an approximate goodness of fit).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import stim

from qecsim.analysis.estimate import Estimate
from qecsim.errors import QecsimError
from qecsim.experiment.experiment import Experiment
from qecsim.experiment.fit_data import FitData, build_fit_data, influence_covariance
from qecsim.experiment.operations import warn_if_operations_differ
from qecsim.experiment.statistics import detector_statistics
from qecsim.experiment.tagged import check_tagged, scale_tagged, split_by_qubit
from qecsim.noise.components import RATE_LIMITS, ComponentTag
from qecsim.noise.model import NoiseModel
from qecsim.noise.tagging import tag_noise

__all__ = ["FIT_BY", "NOT_DETERMINED", "NoiseFit", "fit_noise"]

#: How :func:`fit_noise` splits the model into parameters.
FIT_BY = ("component", "qubit")

# Columns whose cosine similarity reaches this are fitted as one parameter.
_DEGENERATE_COSINE = 1 - 1e-6

# A pass linearises around scales of at least this (a scale fitted to 0 can still rise).
_SMALLEST_BASE = 0.01

#: The scale of a group member the data do not determine (``degenerate="largest"``): left
#: at 1, with the interval [0, inf).
NOT_DETERMINED = Estimate(1.0, 0.0, math.inf)

Key = Hashable


def _key(tag: ComponentTag, by: str) -> Key:
    return tag.key if by == "component" else (tag.key, tag.qubits)


def _label(key: Key) -> str:
    if isinstance(key, str):
        return key
    component, qubits = key
    return f"{component}@{'-'.join(str(q) for q in qubits)}"


@dataclass(frozen=True, eq=False)
class NoiseFit:
    """The result of :func:`fit_noise`.

    Attributes:
        by: ``"component"`` or ``"qubit"``.
        scales: parameter -> fitted scale factor (component key, or (component, qubits)).
            A member of a group the data cannot apportion (``degenerate="largest"``: every
            member but the one that takes the group's change) is :data:`NOT_DETERMINED`,
            ``1 [0, inf]``: kept at 1 in the fitted model, its value not determined.
        groups: Parameters fitted together because their effects are indistinguishable.
        unidentified: Parameters with no effect on the fitted statistics (left at 1).
        chi_squared: Sum of squared weighted residuals at the fit.
        degrees_of_freedom: Statistics fitted minus parameters.
        model: The fitted model, in a form :func:`qecsim.error_budget` takes: a NoiseModel
            when a NoiseModel was fitted; else the fitted tagged circuit of one experiment,
            or for several ``{distance: circuit}`` (the longest experiment of each distance;
            a tuple of every circuit when experiments do not name their distance ``d``).
        circuits: The fitted tagged circuit of each experiment.
        iterations: Rebuild-and-refit passes used.
        max_likelihood_factor: Interval convention (1000 = 3.7 sigma).
    """

    by: str
    scales: Mapping[Key, Estimate]
    groups: tuple[tuple[Key, ...], ...]
    unidentified: tuple[Key, ...]
    chi_squared: float
    degrees_of_freedom: int
    model: Any = field(repr=False)
    circuits: tuple[stim.Circuit, ...] = field(repr=False)
    iterations: int = 0
    max_likelihood_factor: float = 1000.0

    @property
    def reduced_chi_squared(self) -> float:
        """chi_squared / degrees_of_freedom (about 1 when the model explains the data)."""
        return self.chi_squared / max(self.degrees_of_freedom, 1)

    def scale(self, component: str, qubit: int | tuple[int, ...] | None = None) -> Estimate:
        """The fitted scale of a component (``by="component"``) or of it on a qubit/coupler.

        Examples:
            >>> fit = NoiseFit(by="qubit", scales={("measurement", (3,)): Estimate(5, 4, 6)},
            ...     groups=(), unidentified=(), chi_squared=1.0, degrees_of_freedom=1,
            ...     model=None, circuits=())
            >>> print(fit.scale("measurement", 3))
            5 [4, 6]
        """
        if self.by == "component":
            if qubit is not None:
                raise QecsimError("this fit is by component; call scale(component) without qubit")
            key: Key = component
        else:
            if qubit is None:
                raise QecsimError("this fit is by qubit; name the qubit: scale(component, q)")
            qubits = (qubit,) if isinstance(qubit, (int, np.integer)) else tuple(qubit)
            key = (component, tuple(int(q) for q in qubits))
            if key not in self.scales and len(qubits) == 2:
                key = (component, qubits[::-1])
        if key not in self.scales:
            known = sorted(_label(k) for k in self.scales)
            raise QecsimError(f"no fitted scale for {_label(key)}; fitted: {known[:20]}"
                              + (" ..." if len(known) > 20 else ""))
        return self.scales[key]

    def table(self, top: int | None = None) -> str:
        """Fitted scales, the farthest from 1 (in sigma) first."""
        def distance(item) -> float:
            estimate = item[1]
            width = max(estimate.high - estimate.best, estimate.best - estimate.low, 1e-300)
            return -abs(estimate.best - 1) / width

        rows = sorted(self.scales.items(), key=distance)[:top]
        lines = [f"fitted scale factors (by {self.by}; chi2/dof = "
                 f"{self.chi_squared:.0f}/{self.degrees_of_freedom})"]
        lines += [f"  {_label(key):32s} {estimate}" for key, estimate in rows]
        if self.reduced_chi_squared > 2:
            lines.append(
                f"  note: chi2/dof = {self.reduced_chi_squared:.3g}: the fitted model does not "
                "explain the statistics within their sampling errors; the intervals are "
                "statistical only (the scales' sampling spread), not the error of a model "
                "that lacks a mechanism the device has")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "by": self.by,
            "scales": {_label(k): v.to_dict() for k, v in self.scales.items()},
            "groups": [[_label(k) for k in group] for group in self.groups],
            "unidentified": [_label(k) for k in self.unidentified],
            "chi_squared": self.chi_squared,
            "degrees_of_freedom": self.degrees_of_freedom,
            "iterations": self.iterations,
        }


def _tagged_circuits(experiments, model, by) -> list[stim.Circuit]:
    circuits = []
    for index, experiment in enumerate(experiments):
        if isinstance(model, NoiseModel):
            circuit = model.noisy_circuit(experiment.circuit, tag_qubits=by == "qubit")
        else:
            circuit = model[index] if model is not None else experiment.model
            if circuit is None:
                raise QecsimError(f"experiment {index} has no model circuit; pass model=")
            if circuit.num_detectors != experiment.num_detectors:
                raise QecsimError(f"model circuit {index} has {circuit.num_detectors} "
                                  f"detectors; experiment {index} has {experiment.num_detectors}")
            circuit = _tagged(circuit, index)
            warn_if_operations_differ(experiment.circuit, circuit,
                                      what=f"model circuit {index}", stacklevel=4)
            if by == "qubit":
                circuit = split_by_qubit(circuit)
        circuits.append(circuit)
    return circuits


def _tagged(circuit: stim.Circuit, index: int) -> stim.Circuit:
    """The circuit, every noise channel with a component tag: as it is when it has them all
    (one pass), else with its untagged noise tagged by :func:`qecsim.tag_noise` (with a
    warning that says so, as a budget's note does); channels tag_noise cannot place, and
    tags that are not a component, are errors naming the line."""
    what = f"model circuit {index}"
    try:
        check_tagged(circuit, what=what)
        return circuit
    except QecsimError:
        pass  # untagged channels to tag, or a tag that is not a component (said below)
    tagged, summary = tag_noise(circuit, return_summary=True)
    if summary.num_other:
        raise QecsimError(
            f"model circuit {index}: tag_noise could not place {summary.num_other} noise "
            f"channels ({summary.unplaced[0]}); tag them yourself (a stim tag such as [idle@3])"
        )
    if summary.total:
        warnings.warn(
            f"model circuit {index} had untagged noise: qecsim.tag_noise tagged "
            f"{summary.total} channels from their place in the circuit (help(qecsim.tag_noise))",
            UserWarning, stacklevel=5,
        )
    check_tagged(tagged, what=what)
    return tagged


def _scaled(circuits: Sequence[stim.Circuit], scales: Mapping[Key, float], by: str):
    return [scale_tagged(c, lambda tag: scales.get(_key(tag, by), 1.0)) for c in circuits]


def _parameters(data: Sequence[FitData]) -> list[Key]:
    keys: dict[Key, None] = {}
    for item in data:
        keys.update(dict.fromkeys(k for k in item.keys if k is not None))
    return list(keys)


def _solve(data: Sequence[FitData], group_of: np.ndarray, around: np.ndarray,
           prior_width: float):
    """Least squares in the relative scales r (one per group), r >= 0, with the prior rows.

    Returns r, the data's chi-squared, the data Jacobian and the Hessian (prior included).
    """
    count = around.size

    def data_residuals(r):
        return np.concatenate([item.residuals(r, group_of) for item in data])

    def data_jacobian(r):
        return np.vstack([item.jacobian(r, group_of, count) for item in data])

    def residuals(r):
        return np.concatenate([data_residuals(r), (around * r - 1) / prior_width])

    def jacobian(r):
        return np.vstack([data_jacobian(r), np.diag(around / prior_width)])

    import scipy.optimize  # imported when fitting (it is slow to import)

    result = scipy.optimize.least_squares(residuals, np.ones(count), jac=jacobian,
                                          bounds=(0, np.inf), method="trf", x_scale="jac")
    full = jacobian(result.x)
    chi_squared = float(np.sum(data_residuals(result.x) ** 2))
    return result.x, chi_squared, full[: -count], full.T @ full


def _groups(data: Sequence[FitData], keys: list[Key]):
    """Merge parameters with identical effects; drop those without any.

    Returns (key -> group index or -1, the groups' key indices, the dropped keys, each key's
    effect: the norm of its Jacobian column at the model).
    """
    identity = np.arange(len(keys))
    jac = np.vstack([item.jacobian(np.ones(len(keys)), identity, len(keys)) for item in data])
    norms = np.linalg.norm(jac, axis=0)
    alive = np.flatnonzero(norms > 0)
    unit = jac[:, alive] / norms[alive]
    cosine = unit.T @ unit
    group_of = -np.ones(len(keys), dtype=int)
    groups: list[list[int]] = []
    for a_pos, a in enumerate(alive):
        if group_of[a] >= 0:
            continue
        group_of[a] = len(groups)
        members = [int(a)]
        for b_pos in range(a_pos + 1, alive.size):
            b = alive[b_pos]
            if group_of[b] < 0 and cosine[a_pos, b_pos] >= _DEGENERATE_COSINE:
                group_of[b] = group_of[a]
                members.append(int(b))
        groups.append(members)
    dead = [keys[k] for k in range(len(keys)) if norms[k] == 0]
    return group_of, groups, dead, norms


@dataclass(frozen=True, eq=False)
class _GroupFit:
    keys: list[Key]
    group_of: np.ndarray
    groups: list[list[int]]
    dead: list[Key]
    effect: np.ndarray
    scale: np.ndarray
    sigma: np.ndarray
    chi_squared: float
    observations: int
    iterations: int


def _fit_groups(experiments, statistics, base, by, max_iterations, prior_width) -> _GroupFit:
    """The rebuild-and-refit loop: one scale per group of indistinguishable parameters."""
    scale = np.ones(0)
    key_scales: dict[Key, float] = {}
    keys: list[Key] = []
    group_of = np.zeros(0, dtype=int)
    for iterations in range(1, max_iterations + 1):
        around = np.maximum(scale, _SMALLEST_BASE)  # kept off 0, so a scale can still rise
        if iterations > 1:
            key_scales = {key: float(around[group_of[k]]) for k, key in enumerate(keys)
                          if group_of[k] >= 0}
        circuits = _scaled(base, key_scales, by) if key_scales else base
        data = [build_fit_data(e, s, c, lambda tag: _key(tag, by))
                for e, s, c in zip(experiments, statistics, circuits, strict=True)]
        if iterations == 1:
            keys = _parameters(data)
        for item in data:
            item.index_keys(keys)
        if iterations == 1:
            group_of, groups, dead, effect = _groups(data, keys)
            scale = np.ones(len(groups))
            around = scale.copy()
        relative, chi_squared, jac, hessian = _solve(data, group_of, around, prior_width)
        new = around * relative
        moved = float(np.max(np.abs(new - scale))) if scale.size else 0.0
        scale = new
        if moved < 1e-3:
            break
    covariance = influence_covariance(data, jac, hessian, len(groups))
    sigma = np.sqrt(np.maximum(np.diag(covariance), 0)) * around
    return _GroupFit(keys=keys, group_of=group_of, groups=groups, dead=dead, effect=effect,
                     scale=scale, sigma=sigma, chi_squared=chi_squared,
                     observations=sum(item.num_observations for item in data),
                     iterations=iterations)


def _member_estimates(result: _GroupFit, z: float, degenerate: str) -> dict[Key, Estimate]:
    """Each key's scale: its group's, or for "largest" the group's change on its largest member."""
    estimates: dict[Key, Estimate] = {}
    for g, members in enumerate(result.groups):
        best, half = float(result.scale[g]), z * float(result.sigma[g])
        low, high = max(best - half, 0.0), best + half
        effects = result.effect[members]
        dominant = members[int(np.argmax(effects))]
        factor = float(effects.sum() / effects.max())
        for k in members:
            if degenerate == "shared" or len(members) == 1:
                estimates[result.keys[k]] = Estimate(best, low, high)
            elif k == dominant:
                values = [1 + (v - 1) * factor for v in (best, low, high)]
                estimates[result.keys[k]] = Estimate(values[0], max(values[1], 0.0), values[2])
            else:  # left at 1, but the data say nothing about it alone
                estimates[result.keys[k]] = NOT_DETERMINED
    return estimates


def _fitted_model(model, circuits, scales: Mapping[Key, float], by: str, experiments):
    if not isinstance(model, NoiseModel):
        return circuits[0] if len(circuits) == 1 else _by_distance(circuits, experiments)
    if by == "component":
        return model.scaled(**{str(k): v for k, v in scales.items()})
    qubit_rates: dict[int, dict[str, float]] = {}
    coupler_rates: dict[tuple[int, int], dict[str, float]] = {}
    for (component, qubits), factor in scales.items():
        rate = min(model.rate(component, qubits) * factor, RATE_LIMITS[component])
        if len(qubits) == 1:
            qubit_rates.setdefault(qubits[0], {})[component] = rate
        else:
            coupler_rates.setdefault(tuple(sorted(qubits)), {})[component] = rate
    return model.with_qubit_rates(qubit_rates).with_coupler_rates(coupler_rates)


def _by_distance(circuits, experiments):
    """{distance: the fitted circuit of its longest experiment}, what error_budget takes; a
    tuple of all circuits when an experiment's metadata has no distance ``d``."""
    longest: dict[int, tuple[int, stim.Circuit]] = {}
    for circuit, experiment in zip(circuits, experiments, strict=True):
        d, rounds = experiment.metadata.get("d"), experiment.metadata.get("rounds", 0)
        if not isinstance(d, int) or isinstance(d, bool):
            return tuple(circuits)
        if d not in longest or rounds > longest[d][0]:
            longest[d] = (rounds, circuit)
    return {d: longest[d][1] for d in sorted(longest)}


def fit_noise(
    experiments: Experiment | Sequence[Experiment],
    model: NoiseModel | stim.Circuit | Sequence[stim.Circuit] | None = None,
    *,
    by: str = "component",
    degenerate: str = "largest",
    prior_width: float = 1.0,
    max_iterations: int = 6,
    max_likelihood_factor: float = 1000.0,
) -> NoiseFit:
    """Scale factors of a model's components (or per-qubit rates) that best explain the data.

    Args:
        experiments: Measured experiments (e.g. a rounds series on one device layout).
        model: A NoiseModel (applied to each experiment's circuit as run), a tagged noisy
            circuit (one experiment) or a list of them (one per experiment), or None (each
            experiment's own model circuit, which must be tagged).
        by: ``"component"``: one scale per component (tag key); ``"qubit"``: one per
            component and qubit (or coupler).
        degenerate: For parameters the data cannot tell apart (``fit.groups``, e.g. the
            measurement and reset errors of one measure qubit): ``"largest"`` puts the
            group's change on its member with the largest effect (the smallest relative
            change that explains the data) and leaves the others at 1 in the fitted model,
            reported as not determined (:data:`NOT_DETERMINED`, ``1 [0, inf]``);
            ``"shared"`` gives every member the group's scale and interval.
        prior_width: Width of a weak Gaussian prior 1 +- prior_width on every scale, which
            keeps directions the data do not determine at the model's value (it moves a
            well-determined scale by far less than its interval).
        max_iterations: Rebuild-and-refit passes at most (>= 1).
        max_likelihood_factor: Interval width (sinter's convention; 1000 = 3.7 sigma).

    Returns:
        A :class:`NoiseFit`; ``fit.scale(component, qubit)`` gives an Estimate and
        ``fit.model`` the fitted model, which :func:`qecsim.error_budget` takes (a
        NoiseModel, a circuit, or ``{distance: circuit}``; see :class:`NoiseFit`).

    Raises:
        QecsimError: Bad ``by``, a model circuit without component tags (named line), a
            model that does not fit an experiment; all before any fitting.

    Warns:
        UserWarning: A model circuit runs other operations than its experiment's circuit as
            run (e.g. CZ against CX), naming the first difference.

    Examples:
        >>> import qecsim
        >>> noise = qecsim.NoiseModel.si1000(2e-3)  # CZ-native: its circuits run CZ
        >>> truth = qecsim.memory_circuit(distance=3, rounds=4, noise=noise.scaled(measurement=2))
        >>> as_run = qecsim.memory_circuit(distance=3, rounds=4, gate_set=noise.gate_set)
        >>> experiment = qecsim.Experiment.from_simulation(truth, shots=20_000, circuit=as_run,
        ...                                                seed=3)
        >>> fit = qecsim.fit_noise(experiment, noise)
        >>> fit.scale("measurement").contains(2.0), fit.scale("two_qubit_gate").contains(1.0)
        (True, True)
    """
    if isinstance(experiments, Experiment):
        experiments = [experiments]
    experiments = list(experiments)
    if not experiments or not all(isinstance(e, Experiment) for e in experiments):
        raise QecsimError("experiments must be one or more qecsim.Experiment")
    if by not in FIT_BY:
        raise QecsimError(f"by={by!r} is not in {list(FIT_BY)}")
    if isinstance(model, stim.Circuit):
        model = [model]
    if model is not None and not isinstance(model, NoiseModel):
        model = list(model)
        if len(model) != len(experiments):
            raise QecsimError(f"{len(model)} model circuits for {len(experiments)} experiments")
    if degenerate not in ("largest", "shared"):
        raise QecsimError(f"degenerate={degenerate!r} is not 'largest' or 'shared'")
    if not (isinstance(prior_width, (int, float)) and prior_width > 0):
        raise QecsimError(f"prior_width={prior_width!r} is not a number > 0")
    if not isinstance(max_iterations, int) or max_iterations < 1:
        raise QecsimError(f"max_iterations={max_iterations!r} is not an integer >= 1")
    base = _tagged_circuits(experiments, model, by)
    statistics = [detector_statistics(e) for e in experiments]
    result = _fit_groups(experiments, statistics, base, by, max_iterations, prior_width)
    z = math.sqrt(2 * math.log(max_likelihood_factor))
    estimates = _member_estimates(result, z, degenerate)
    scales = {key: estimate.best for key, estimate in estimates.items()}
    circuits = _scaled(base, scales, by)
    return NoiseFit(
        by=by,
        scales=estimates,
        groups=tuple(tuple(result.keys[k] for k in g) for g in result.groups if len(g) > 1),
        unidentified=tuple(result.dead),
        chi_squared=result.chi_squared,
        degrees_of_freedom=result.observations - len(result.groups),
        model=_fitted_model(model, circuits, scales, by, experiments),
        circuits=tuple(circuits),
        iterations=result.iterations,
        max_likelihood_factor=max_likelihood_factor,
    )

