""":func:`error_budget`: check the input, plan the sample sets, sample, estimate, assemble.

The input is a :class:`~qecsim.NoiseModel` (applied to qecsim's memory circuits) or your own
circuits (:mod:`qecsim.budget.circuits`); both become sample sets with ``circuit()``,
``scaled_circuit(component, factor)`` and ``key()``, and everything after the plan is shared.
"""

from __future__ import annotations

import dataclasses
import numbers
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sinter
import stim

from qecsim import analysis
from qecsim.analysis.estimate import Estimate
from qecsim.budget import estimators
from qecsim.budget.circuits import channel_rates, is_circuit_input, plan_circuits
from qecsim.budget.results import ComponentBudget, ErrorBudget, QubitBudget
from qecsim.budget.sampling import (
    INTERRUPTED_BEFORE_SAMPLING,
    Interrupted,
    Tally,
    sample_all,
)
from qecsim.budget.statistics import eps_estimate
from qecsim.budget.store import BatchStore
from qecsim.budget.worker import SampleConfig
from qecsim.circuits.memory import CODES, default_rounds, memory_circuit
from qecsim.decoding import registry as decoder_registry
from qecsim.errors import QecsimError, describe
from qecsim.noise.components import COMPONENTS
from qecsim.noise.model import NoiseModel
from qecsim.validation import check_int

__all__ = ["BUDGET_METHODS", "error_budget"]

#: The estimation methods of :func:`error_budget`.
BUDGET_METHODS: tuple[str, ...] = ("likelihood_ratio", "finite_difference", "ablation")

_BY = ("component", "qubit")


@dataclasses.dataclass(frozen=True)
class _Plan:
    """The sample sets of a budget and what the result says about its input."""

    distances: tuple[int, ...]
    num_workers: int
    nominal: list
    variants: dict
    in_use: tuple[str, ...]
    rate: Callable[[str], float]  # a row's rate
    metadata: dict[str, Any]  # TaskStats metadata of the Lambda fit (without d, rounds)
    fields: dict[str, Any]  # ErrorBudget fields that describe the input


def error_budget(
    noise: NoiseModel | stim.Circuit | Mapping[int, stim.Circuit],
    *,
    code: str | None = None,
    basis: str | None = None,
    distances: Iterable[int] | None = None,
    rounds: int | Mapping[int, int] | None = None,
    decoder: str = "pymatching",
    method: str = "likelihood_ratio",
    by: str = "component",
    max_shots: int = 10_000_000,
    max_errors: int = 1_000,
    delta: float = 0.25,
    seed: int | None = None,
    num_workers: int | None = None,
    progress: bool = True,
    max_likelihood_factor: float = analysis.DEFAULT_MAX_LIKELIHOOD_FACTOR,
    store: str | os.PathLike | None = None,
) -> ErrorBudget:
    """Attribute the logical error per round (and 1/Lambda) to the noise components.

    Args:
        noise: The noise model as measured (all scale factors 1), or your own circuits: a
            ``stim.Circuit`` (one distance, its graphlike circuit distance: elasticities and
            shares, no 1/Lambda) or a mapping ``{distance: stim.Circuit}`` (1/Lambda and
            what-if as for a model). Untagged noise is tagged with :func:`qecsim.tag_noise`
            (the budget's ``notes`` say so); see :mod:`qecsim.budget.circuits`.
        code: One of :data:`qecsim.CODES` (default ``"rotated_surface_code"``); for circuits
            a label, which also sizes the teraquop footprint of projections (None: none).
        basis: ``"Z"`` or ``"X"`` (default ``"Z"``); for circuits a label (None: none).
        distances: Code distances (>= 1 of them; >= 2 odd ones for 1/Lambda: with an even
            distance among several, the budget warns and omits 1/Lambda); default 3, 5, 7.
            Not with circuits (their distances are the mapping's keys).
        rounds: Rounds per experiment; None means rounds = d. For circuits one integer or
            ``{distance: rounds}``; None reads them from the time (last) coordinate of each
            circuit's detectors (an error when they have none).
        decoder: A name from :func:`qecsim.decoders.available`.
        method: One of :data:`BUDGET_METHODS` (see :mod:`qecsim.budget`).
        by: ``"component"``, or ``"qubit"`` to also split along qubits and couplers
            (likelihood_ratio only).
        max_shots: Shots per sample set at most (in [1000, 10^10]).
        max_errors: Stop a sample set after this many logical errors (in [1, 10^8]).
        delta: Step of ``finite_difference``: s = 1 + delta and 1 / (1 + delta), delta in
            (0, 0.9].
        seed: Seed for reproducible results (the same for any ``num_workers``).
        num_workers: Processes; None means all cores.
        progress: Show a progress bar.
        max_likelihood_factor: CI convention of :mod:`qecsim.analysis` (1000 = 3.72 sigma).
        store: A file that keeps every finished batch (JSON lines, made when missing; see
            :mod:`qecsim.budget.store`). A rerun with the same arguments takes the batches it
            finds there and samples only the rest: after an interruption it continues, and
            the result equals an uninterrupted run's at the same seed (with ``seed=None``,
            the seed drawn when the store was made). One store may hold several budgets.
            None keeps nothing. A run that finds batches of its own there logs one line
            saying so (logger ``qecsim.budget.sampling``, INFO).

    Returns:
        An :class:`ErrorBudget`.

    Raises:
        QecsimError: Bad input (checked before any sampling).
        qecsim.budget.sampling.Interrupted: Ctrl-C before or while sampling (a
            ``KeyboardInterrupt``); its message says how many shots of the most the budget
            could take (``max_shots`` per sample set) the store keeps.

    Examples:
        >>> budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=[3],
        ...     max_errors=200, seed=1, num_workers=1, progress=False)
        >>> sorted(c.component for c in budget.components if c.share[3] > 0.15)
        ['measurement', 'measurement_idle', 'two_qubit_gate']
        >>> round(sum(c.elasticity[3].best for c in budget.components))  # ~ (d + 1) / 2
        2

        Your own circuit (here a qecsim circuit without its tags, as a device's compiler
        would write it):

        >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(2e-3))
        >>> budget = qecsim.error_budget(circuit.without_tags(), max_errors=200, seed=1,
        ...     num_workers=1, progress=False)
        >>> budget.distances, budget.rounds[3], budget.inverse_lambda is None
        ((3,), 3, True)
        >>> print(budget.notes[0])  # doctest: +ELLIPSIS
        the noise of the circuit (d = 3) was untagged: qecsim.tag_noise tagged ... channels ...
    """
    decoder = decoder_registry.canonical_name(decoder)  # aliases are recorded canonically
    options = dict(decoder=decoder, method=method, by=by, max_shots=max_shots,
                   max_errors=max_errors, delta=delta, seed=seed, num_workers=num_workers)
    try:  # building the circuits and DEMs of large distances takes a while
        if isinstance(noise, NoiseModel):
            code = "rotated_surface_code" if code is None else code
            basis = "Z" if basis is None else basis
            distances = (3, 5, 7) if distances is None else distances
            plan = _model_plan(noise, code=code, basis=basis, distances=distances,
                               rounds=rounds, **options)
        else:
            plan = _circuit_plan(noise, code=code, basis=basis, distances=distances,
                                 rounds=rounds, **options)
        batches = None if store is None else BatchStore(store)
    except KeyboardInterrupt:
        raise Interrupted(INTERRUPTED_BEFORE_SAMPLING) from None
    even = _even_distance_problem(code or "code", plan.distances)
    if even is not None:
        warnings.warn(even, stacklevel=2)
    return _run(plan, method=method, by=by, decoder=decoder, delta=delta, seed=seed,
                max_shots=max_shots, max_errors=max_errors, progress=progress,
                max_likelihood_factor=max_likelihood_factor, store=batches, fit=even is None)


def _run(
    plan: _Plan, *, method: str, by: str, decoder: str, delta: float, seed: int | None,
    max_shots: int, max_errors: int, progress: bool, max_likelihood_factor: float,
    store: BatchStore | None, fit: bool,
) -> ErrorBudget:
    """Sample the plan's sample sets, estimate and assemble the budget."""
    distances = plan.distances
    z = analysis.sigma_equivalent(max_likelihood_factor)
    tallies, cpu = sample_all(
        [*plan.nominal, *plan.variants.values()],
        max_shots=max_shots, max_errors=max_errors, seed=seed, num_workers=plan.num_workers,
        progress=progress, description=f"error budget ({method.replace('_', ' ')})", store=store,
    )
    nominal_tally = dict(zip(distances, tallies[: len(distances)], strict=True))
    variant_tally = dict(zip(plan.variants, tallies[len(distances):], strict=True))
    eps, lambda_fit, inverse_lambda = _nominal_results(
        nominal_tally, plan.metadata, decoder, max_shots=max_shots,
        max_likelihood_factor=max_likelihood_factor, fit=fit,
    )
    components, qubit_parts = _attribute(
        plan.rate, plan.in_use, method=method, by=by, nominal=nominal_tally,
        variants=variant_tally, eps=eps, inverse_lambda=inverse_lambda, delta=delta,
        max_shots=max_shots, z=z,
    )
    return ErrorBudget(
        **plan.fields, decoder=decoder, method=method, by=by, distances=distances,
        rounds={d: t.config.rounds for d, t in nominal_tally.items()},
        num_shots={d: t.shots for d, t in nominal_tally.items()},
        num_errors={d: t.errors for d, t in nominal_tally.items()},
        logical_error_per_round=eps, inverse_lambda=inverse_lambda, components=components,
        qubits=qubit_parts, max_likelihood_factor=max_likelihood_factor, cpu_seconds=cpu,
        lambda_fit=lambda_fit,
    )


def _model_plan(noise: NoiseModel, *, code: str, basis: str, distances: Any, rounds: Any,
                **options: Any) -> _Plan:
    """The plan of a noise model on qecsim's memory circuits.

    The sample sets: the nominal model per distance, and the scaled models of the method,
    keyed by (budget key, scale factor, distance): s = 1 + delta and 1 / (1 + delta) for
    finite differences (symmetric steps in ln s), 0 for ablation. A key is a component or one
    of its parts (``crosstalk.parallel``, ``two_qubit_gate.phase_flip``), which
    :meth:`NoiseModel.scaled` scales alone. Rates are read from the nominal circuits.
    """
    distances, num_workers = _check_arguments(
        noise, code=code, basis=basis, distances=distances, rounds=rounds, **options
    )
    method, delta = options["method"], options["delta"]

    def config(model: NoiseModel, d: int, score: bool) -> SampleConfig:
        r = default_rounds(distance=d, noise=noise) if rounds is None else rounds
        return SampleConfig(model.to_dict(), code, basis.upper(), d, r, options["decoder"],
                            options["by"] == "qubit", score)

    nominal = [config(noise, d, method == "likelihood_ratio") for d in distances]
    circuits = {c.distance: c.circuit() for c in nominal}  # as the workers build them
    rates = channel_rates(circuits.values())
    in_use = _keys_in_use(noise, rates, method=method, delta=delta)
    steps = {"finite_difference": (1 + delta, 1 / (1 + delta)), "ablation": (0.0,)}
    variants = {
        (key, s, d): config(noise.scaled(**{key: s}), d, False)
        for key in (in_use if method in steps else ()) for s in steps[method] for d in distances
    }
    return _Plan(
        distances, num_workers, nominal, variants, in_use,
        rate=lambda key: rates.get(key, 0.0),
        metadata={"code": code, "basis": basis.upper(), "noise": noise.name, "p": noise.p},
        fields={"noise": noise, "code": code, "basis": basis.upper(),
                "num_qubits": {d: c.num_qubits for d, c in circuits.items()}},
    )


def _keys_in_use(
    noise: NoiseModel, rates: Mapping[str, float], *, method: str, delta: float
) -> tuple[str, ...]:
    """The model's budget keys (:meth:`NoiseModel.keys_in_use`: components, or their parts)
    with channels in the circuits; finite differences check that each can be scaled."""
    in_use = tuple(key for key in noise.keys_in_use() if rates.get(key, 0.0) > 0)
    if not in_use:
        raise QecsimError(
            f"the noise model's nonzero rates ({', '.join(noise.keys_in_use())}) have no "
            "channel in the circuits: nothing to budget"
        )
    if method == "finite_difference":
        for key in in_use:
            noise.scaled(**{key: 1 + delta})  # raises if a rate would exceed its limit
    return in_use


def _circuit_plan(circuits: Any, *, code: str | None, basis: str | None, distances: Any,
                  rounds: Any, **options: Any) -> _Plan:
    """The plan of a user's circuits (:mod:`qecsim.budget.circuits`)."""
    if not is_circuit_input(circuits):
        raise QecsimError(
            f"noise={describe(circuits)} is not a qecsim.NoiseModel, a stim.Circuit or a "
            "mapping {distance: stim.Circuit}"
        )
    if distances is not None:
        raise QecsimError(
            f"distances={describe(distances)} does not apply to circuits: "
            "give {distance: circuit}"
        )
    if code is not None and code not in CODES:
        raise QecsimError(f"unknown code {describe(code)}; valid codes: {', '.join(CODES)}")
    if basis is not None and (not isinstance(basis, str) or basis.upper() not in ("X", "Z")):
        raise QecsimError(f"basis={describe(basis)} is not 'X', 'Z' or None")
    num_workers = _check_options(**options)
    plan = plan_circuits(circuits, rounds=rounds, decoder=options["decoder"],
                         method=options["method"], by=options["by"], delta=options["delta"])
    basis = None if basis is None else basis.upper()
    return _Plan(
        plan.distances, num_workers, plan.nominal, plan.variants, plan.keys,
        rate=lambda key: plan.rates.get(key, 0.0),
        metadata={"code": code, "basis": basis, "noise": "circuit", "p": None},
        fields={"noise": None, "code": code, "basis": basis, "notes": plan.notes,
                "qubit_coordinates": plan.coordinates, "circuits": plan.hashes,
                "num_qubits": plan.num_qubits},
    )


def _check_options(
    *, decoder: str, method: str, by: str, max_shots: int, max_errors: int, delta: float,
    seed: int | None, num_workers: int | None,
) -> int:
    """The checks every input shares; returns the number of workers."""
    if method not in BUDGET_METHODS:
        raise QecsimError(
            f"unknown method {describe(method)}; valid methods: {', '.join(BUDGET_METHODS)}"
        )
    if by not in _BY:
        raise QecsimError(f"by={describe(by)} is not one of {', '.join(_BY)}")
    if by == "qubit" and method != "likelihood_ratio":
        raise QecsimError(f"by='qubit' needs method='likelihood_ratio', not {describe(method)}")
    decoder_registry.check_names([decoder])
    decoder_registry.get(decoder)  # raises with an install hint when missing
    check_int("max_shots", max_shots, 1000, 10**10)
    check_int("max_errors", max_errors, 1, 10**8)
    if seed is not None:
        check_int("seed", seed, 0, 2**63 - 1)
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real) or not 0 < delta <= 0.9:
        raise QecsimError(f"delta={describe(delta)} is not a number in (0, 0.9]")
    if num_workers is None:
        num_workers = os.cpu_count() or 1
    return check_int("num_workers", num_workers, 1, 1024)


def _check_arguments(
    noise: Any, *, code: str, basis: str, distances: Any, rounds: int | None, decoder: str,
    method: str, by: str, max_shots: int, max_errors: int, delta: float, seed: int | None,
    num_workers: int | None,
) -> tuple[tuple[int, ...], int]:
    """Every check before sampling; returns (sorted distances, workers)."""
    if not isinstance(noise, NoiseModel):
        raise QecsimError(f"noise={describe(noise)} is not a qecsim.NoiseModel")
    if code not in CODES:
        raise QecsimError(f"unknown code {describe(code)}; valid codes: {', '.join(CODES)}")
    if method not in BUDGET_METHODS:
        raise QecsimError(
            f"unknown method {describe(method)}; valid methods: {', '.join(BUDGET_METHODS)}"
        )
    if by not in _BY:
        raise QecsimError(f"by={describe(by)} is not one of {', '.join(_BY)}")
    if rounds is not None and not isinstance(rounds, int):
        raise QecsimError(
            f"rounds={describe(rounds)} is not None or an integer (for a noise model)"
        )
    if isinstance(distances, (int, str)) or not isinstance(distances, Iterable):
        raise QecsimError(f"distances={describe(distances)} is not a list of code distances")
    distances = tuple(sorted(set(distances)))
    if not distances:
        raise QecsimError("distances is empty; give at least one code distance")
    for d in distances:
        # memory_circuit validates distance, rounds and basis with clear messages
        memory_circuit(code, distance=d, rounds=rounds, basis=basis, noise=None)
    num_workers = _check_options(
        decoder=decoder, method=method, by=by, max_shots=max_shots, max_errors=max_errors,
        delta=delta, seed=seed, num_workers=num_workers,
    )
    if not noise.components_in_use():
        raise QecsimError("the noise model has no nonzero rate: nothing to budget")
    if noise.is_layout_bound and len(distances) > 1:
        warnings.warn(
            "the noise model has per-qubit/per-coupler overrides, keyed by circuit qubit index; "
            f"indices mean different qubits at distances {list(distances)}, so the overrides "
            "fall on different places at each distance (a device layout fits one distance)",
            stacklevel=3,
        )
    return distances, num_workers


def _even_distance_problem(code: str, distances: tuple[int, ...]) -> str | None:
    """Why these distances give no 1/Lambda (an even one among several), or None.

    A local check until :mod:`qecsim.analysis` has the shared one (issue 11 item 1).

    Examples:
        >>> _even_distance_problem("rotated_surface_code", (3, 5)) is None
        True
        >>> print(_even_distance_problem("rotated_surface_code", (3, 4)))  # doctest: +ELLIPSIS
        no 1/Lambda for distances [3, 4]: Lambda = eps_d / eps_(d+2) compares odd distances...
    """
    even = [d for d in distances if d % 2 == 0]
    if len(distances) < 2 or not even:
        return None
    return (
        f"no 1/Lambda for distances {list(distances)}: Lambda = eps_d / eps_(d+2) compares odd "
        f"distances d and d + 2 of the {code.replace('_', ' ')}, and even {even} corrects no "
        "more errors than the odd distance below it; the budget at each distance is still "
        "computed (use odd distances, e.g. 3, 5, 7, for 1/Lambda)"
    )


def _nominal_results(
    nominal: Mapping[int, Tally], metadata: dict[str, Any], decoder: str, *, max_shots: int,
    max_likelihood_factor: float, fit: bool,
) -> tuple[dict[int, Estimate], analysis.LambdaFit | None, Estimate | None]:
    """eps_d per distance, and the Lambda fit and 1/Lambda when ``fit`` (warns about distances
    without errors)."""
    eps = {
        d: eps_estimate(t.shots, t.errors, t.config.rounds, max_likelihood_factor)
        for d, t in nominal.items()
    }
    silent = [d for d, t in nominal.items() if t.errors == 0]
    if silent:
        warnings.warn(
            f"no logical errors at distances {silent} in {max_shots} shots: their "
            "elasticities are unknown (infinite intervals); raise max_shots",
            stacklevel=3,
        )
    lambda_fit = _fit_lambda(nominal, metadata, decoder, max_likelihood_factor) if fit else None
    inverse_lambda = None
    if lambda_fit is not None:
        inverse_lambda = Estimate(1 / lambda_fit.best, 1 / lambda_fit.high, 1 / lambda_fit.low)
    return eps, lambda_fit, inverse_lambda


def _fit_lambda(
    nominal: Mapping[int, Tally], metadata: dict[str, Any], decoder: str,
    max_likelihood_factor: float,
) -> analysis.LambdaFit | None:
    """The Lambda fit of the nominal runs (None with one distance or a distance without errors)."""
    if len(nominal) < 2 or any(t.errors == 0 for t in nominal.values()):
        return None
    return analysis.fit_lambda(
        [_task_stats(t, metadata, decoder) for t in nominal.values()],
        max_likelihood_factor=max_likelihood_factor,
    )


def _task_stats(tally: Tally, base: dict[str, Any], decoder: str) -> sinter.TaskStats:
    metadata = {
        "code": base["code"], "basis": base["basis"], "d": tally.config.distance,
        "rounds": tally.config.rounds, "noise": base["noise"], "p": base["p"],
    }
    return sinter.TaskStats(
        strong_id=f"budget-{tally.config.distance}", decoder=decoder, json_metadata=metadata,
        shots=tally.shots, errors=tally.errors, discards=0, seconds=0.0,
    )


def _attribute(
    rate: Callable[[str], float], in_use: tuple[str, ...], *, method: str, by: str,
    nominal: Mapping[int, Tally], variants: Mapping[tuple[str, float, int], Tally],
    eps: Mapping[int, Estimate], inverse_lambda: Estimate | None, delta: float,
    max_shots: int, z: float,
) -> tuple[tuple[ComponentBudget, ...], tuple[QubitBudget, ...]]:
    """One :class:`ComponentBudget` per component (and the qubit parts) by the method."""
    if method == "ablation":
        return tuple(
            estimators.ablation_component(
                key, rate(key), in_use=in_use, nominal=nominal, variants=variants, z=z
            )
            for key in _row_keys(dict.fromkeys(in_use))
        ), ()
    if method == "likelihood_ratio":
        elasticity = estimators.likelihood_ratio_elasticities(nominal, z)
    else:
        elasticity = estimators.finite_difference_elasticities(
            variants, delta=delta, max_shots=max_shots, z=z
        )
    components = tuple(
        estimators.elasticity_component(
            key, rate(key), elasticity=elasticity, eps=eps,
            inverse_lambda=inverse_lambda, nominal=nominal, z=z,
        )
        for key in _row_keys(elasticity)
    )
    parts = estimators.qubit_parts(nominal, z) if by == "qubit" else []
    return components, tuple(parts)


def _row_keys(elasticity: Mapping[str, Any]) -> list[str]:
    """The budget's rows: every component, or its parts where the tags name parts.

    A component whose channels all carry parts (``crosstalk.static_zz``, ``crosstalk.parallel``)
    is reported as its parts; one with untagged channels too keeps its own row before them.
    """
    rows = []
    for component in COMPONENTS:
        parts = sorted(key for key in elasticity if key.startswith(component + "."))
        if component in elasticity or not parts:
            rows.append(component)
        rows += parts
    return rows
