"""Measured against expected: where a device departs from its noise model.

:func:`compare_to_model` sets the measured detector statistics of an experiment next to the
exact predictions of a model's DEM (see :mod:`qecsim.experiment.dem`) per detector, per qubit
and per detector pair, with z-scores, and flags detector pairs that are significantly
correlated although the model has no error mechanism flipping both: time-like over
non-adjacent rounds on one stabilizer, or on two that share a qubit (a leakage signature: a
leaked qubit randomises its stabilizers for several rounds), or between stabilizers that share
no qubit in the same or adjacent rounds (crosstalk); other pairs are "other". It also
decodes the measured shots and an equal number of shots simulated from the model with the
same decoder, to compare logical error rates.

A z-score is (measured - predicted) / sigma of the measurement; the model's predictions are
exact. ``significant`` uses a Bonferroni threshold: a row is flagged when ``|z|`` exceeds the
level a standard normal exceeds with probability ``alpha`` / (rows of that table).
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sinter
import stim

from qecsim.analysis.estimate import Estimate
from qecsim.errors import QecsimError
from qecsim.experiment.dem import dem_errors, predicted_moments, shared_errors
from qecsim.experiment.experiment import Experiment
from qecsim.experiment.layout import DetectorLayout, detector_layout
from qecsim.experiment.operations import warn_if_operations_differ
from qecsim.experiment.statistics import DetectorStatistics, detector_statistics
from qecsim.noise.model import NoiseModel

__all__ = [
    "DetectorRow",
    "LogicalComparison",
    "ModelComparison",
    "PairRow",
    "QubitRow",
    "compare_to_model",
    "model_dem",
]

# Pairs the model has no mechanism for are listed when |z| reaches this (or are significant).
_LISTED_Z = 3.0
_CHUNK = 1 << 15


@dataclass(frozen=True)
class DetectorRow:
    """One detector: measured and predicted detection fraction."""

    detector: int
    coordinates: tuple[float, ...]
    measured: float
    sigma: float
    predicted: float
    z: float
    significant: bool


@dataclass(frozen=True)
class QubitRow:
    """One qubit: mean detection fraction of the detectors that involve it."""

    qubit: int
    coordinates: tuple[float, ...]
    role: str
    num_detectors: int
    measured: float
    sigma: float
    predicted: float
    z: float
    significant: bool

    @property
    def ratio(self) -> float:
        """measured / predicted."""
        return self.measured / self.predicted if self.predicted > 0 else math.inf


@dataclass(frozen=True)
class PairRow:
    """One detector pair: measured and predicted p_ij.

    ``signature`` is ``"modelled"`` when the model has a mechanism flipping both
    (``in_model``), else ``"leakage"`` (rounds >= 2 apart on one stabilizer, or on two that
    share a qubit), ``"crosstalk"`` (stabilizers that share no qubit, in the same or adjacent
    rounds) or ``"other"`` (anything else, e.g. stabilizers that share no qubit rounds apart).
    """

    detectors: tuple[int, int]
    measured: float
    sigma: float
    predicted: float
    z: float
    in_model: bool
    significant: bool
    signature: str

    @property
    def unmodelled(self) -> bool:
        """Significant, with no mechanism in the model."""
        return self.significant and not self.in_model


@dataclass(frozen=True)
class LogicalComparison:
    """Measured and model-predicted logical error rate per shot (same decoder and DEM)."""

    decoder: str
    measured: Estimate
    predicted: Estimate
    measured_shots: int
    predicted_shots: int


def model_dem(experiment: Experiment, model: Any = None) -> stim.DetectorErrorModel:
    """The model's DEM (undecomposed, disjoint errors approximated) for ``experiment``.

    ``model`` is None (the experiment's model circuit), a NoiseModel (applied to the circuit
    as run), a noisy stim.Circuit or a stim.DetectorErrorModel. A model circuit whose
    operations differ from the circuit as run warns, naming the first difference.
    """
    if model is None:
        if experiment.model is None:
            raise QecsimError("the experiment has no model circuit; pass model=")
        model = experiment.model
    if isinstance(model, NoiseModel):
        model = model.noisy_circuit(experiment.circuit)
    elif isinstance(model, stim.Circuit):
        warn_if_operations_differ(experiment.circuit, model, what="the model circuit",
                                  stacklevel=4)
    if isinstance(model, stim.Circuit):
        model = model.detector_error_model(approximate_disjoint_errors=True)
    if not isinstance(model, stim.DetectorErrorModel):
        raise QecsimError(
            f"model is a {type(model).__name__}; expected a NoiseModel, stim.Circuit or "
            "stim.DetectorErrorModel"
        )
    if model.num_detectors != experiment.num_detectors:
        raise QecsimError(
            f"the model has {model.num_detectors} detectors, the experiment "
            f"{experiment.num_detectors}"
        )
    return model


def _threshold(alpha: float, tests: int) -> float:
    # the upper tail quantile, from the lower tail (exact for tiny tail probabilities)
    return -statistics.NormalDist().inv_cdf(alpha / (2 * max(tests, 1)))


def _qubit_means(events: np.ndarray, groups: dict[int, np.ndarray]):
    """Per qubit: mean over its detectors per shot -> mean and sigma over shots."""
    qubits = list(groups)
    membership = np.zeros((events.shape[1], len(qubits)), dtype=np.float32)
    for column, qubit in enumerate(qubits):
        membership[groups[qubit], column] = 1 / groups[qubit].size
    sums = np.zeros(len(qubits))
    squares = np.zeros(len(qubits))
    for start in range(0, events.shape[0], _CHUNK):
        per_shot = (events[start : start + _CHUNK].astype(np.float32) @ membership).astype(float)
        sums += per_shot.sum(axis=0)
        squares += (per_shot**2).sum(axis=0)
    shots = events.shape[0]
    mean = sums / shots
    return qubits, mean, np.sqrt(np.maximum(squares / shots - mean**2, 0) / shots)


def _signature(layout: DetectorLayout, i: int, j: int) -> str:
    """An unmodelled pair's likely cause, from where and when its detectors are.

    Leakage: rounds >= 2 apart on one stabilizer or on two that share a qubit (a leaked qubit
    randomises its stabilizers for several rounds). Crosstalk: stabilizers that share no
    qubit, in the same or adjacent rounds (one event flipping both). Other: anything else
    (adjacent rounds on neighbouring stabilizers, stabilizers that share no qubit rounds
    apart, detectors without a qubit or a time coordinate).
    """
    qi, qj = int(layout.detector_qubit[i]), int(layout.detector_qubit[j])
    gap = abs(layout.detector_round[i] - layout.detector_round[j])
    if qi < 0 or qj < 0 or not math.isfinite(gap):
        return "other"
    if layout.neighbouring(qi, qj):
        return "leakage" if gap >= 2 else "other"
    return "crosstalk" if gap <= 1 else "other"


@dataclass(frozen=True, eq=False)
class ModelComparison:
    """The report of :func:`compare_to_model`.

    Attributes:
        detectors: One row per detector, most significant first.
        qubits: One row per qubit with detectors, most significant first.
        pairs: Pairs the model has a mechanism for, and other pairs with ``|z| >= 3``,
            most significant first.
        logical: Measured vs predicted logical error (None without observable flips).
        rounds: round -> (measured mean detection fraction, predicted mean).
        thresholds: table name -> the |z| above which its rows are significant.
        statistics: The measured :class:`DetectorStatistics`.
        predicted_fraction: The model's detection fraction per detector.
        predicted_pij: The model's p_ij matrix.
        layout: Detectors mapped to qubits.
        metadata: The experiment's metadata.
    """

    detectors: tuple[DetectorRow, ...]
    qubits: tuple[QubitRow, ...]
    pairs: tuple[PairRow, ...]
    logical: LogicalComparison | None
    rounds: dict[int, tuple[Estimate, float]] = field(repr=False)
    thresholds: dict[str, float] = field(repr=False)
    statistics: DetectorStatistics = field(repr=False)
    predicted_fraction: np.ndarray = field(repr=False)
    predicted_pij: np.ndarray = field(repr=False)
    layout: DetectorLayout = field(repr=False)
    metadata: dict = field(repr=False, default_factory=dict)

    @property
    def unmodelled(self) -> tuple[PairRow, ...]:
        """Significant pairs the model has no mechanism for."""
        return tuple(row for row in self.pairs if row.unmodelled)

    @property
    def mean_ratio(self) -> float:
        """Mean measured detection fraction over the mean predicted one."""
        return float(self.statistics.fraction.mean() / self.predicted_fraction.mean())

    def table(self, top: int = 8) -> str:
        """A text summary: the ``top`` rows of each table, the logical error, the flags."""
        lines = [f"measured vs model: {self.metadata.get('name', '')}".rstrip(),
                 f"mean detection fraction: measured/model = {self.mean_ratio:.3f}"]
        if self.logical is not None:
            lines.append(f"logical error per shot ({self.logical.decoder}): measured "
                         f"{self.logical.measured}, model {self.logical.predicted}")
        lines.append(f"qubits (|z| > {self.thresholds['qubits']:.2f} significant):")
        lines.append("  qubit  coordinates   role     measured  model    ratio   z")
        for row in self.qubits[:top]:
            lines.append(f"  {row.qubit:5d}  {row.coordinates!s:12s}  {row.role:7s}  "
                         f"{row.measured:.4f}    {row.predicted:.4f}   {row.ratio:.3f}  "
                         f"{row.z:+.1f}{' *' if row.significant else ''}")
        lines.append(f"detectors (|z| > {self.thresholds['detectors']:.2f} significant):")
        for row in self.detectors[:top]:
            lines.append(f"  D{row.detector:<5d} {row.coordinates!s:18s} {row.measured:.4f} "
                         f"vs {row.predicted:.4f}  z {row.z:+.1f}"
                         f"{' *' if row.significant else ''}")
        flagged = self.unmodelled
        lines.append(f"pairs (|z| > {self.thresholds['pairs']:.2f} significant): "
                     f"{len(flagged)} unmodelled")
        for row in (flagged or self.pairs)[:top]:
            i, j = row.detectors
            lines.append(f"  D{i}-D{j}: p_ij {row.measured:.4f} vs {row.predicted:.4f}  "
                         f"z {row.z:+.1f}  {row.signature}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every table."""
        def rows(items):
            return [{k: _json_value(v) for k, v in row.__dict__.items()} for row in items]

        logical = None
        if self.logical is not None:
            logical = {
                "decoder": self.logical.decoder,
                "measured": self.logical.measured.to_dict(),
                "predicted": self.logical.predicted.to_dict(),
                "measured_shots": self.logical.measured_shots,
                "predicted_shots": self.logical.predicted_shots,
            }
        return {
            "metadata": dict(self.metadata),
            "mean_ratio": self.mean_ratio,
            "thresholds": dict(self.thresholds),
            "logical": logical,
            "rounds": [{"round": r, "measured": m.to_dict(), "predicted": p}
                       for r, (m, p) in self.rounds.items()],
            "qubits": rows(self.qubits),
            "detectors": rows(self.detectors),
            "pairs": rows(self.pairs),
        }

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), **kwargs)

    def plot_by_round(self, ax=None, **kwargs: Any):
        """Detection fraction vs round, measured (error bars) and model (see plots)."""
        from qecsim.experiment.plots import plot_detection_fraction_by_round

        return plot_detection_fraction_by_round(self, ax=ax, **kwargs)

    def plot_layout(self, ax=None, **kwargs: Any):
        """Measured/model detection-fraction ratio of each qubit on the device layout."""
        from qecsim.experiment.plots import plot_qubit_ratio

        return plot_qubit_ratio(self, ax=ax, **kwargs)

    def plot_pij(self, ax=None, **kwargs: Any):
        """The p_ij matrix: measured below the diagonal, model above (see plots)."""
        from qecsim.experiment.plots import plot_pij_matrix

        return plot_pij_matrix(self, ax=ax, **kwargs)


def _json_value(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value


def _detector_rows(statistics, predicted, threshold) -> tuple[DetectorRow, ...]:
    sigma = statistics.fraction_sigma
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, (statistics.fraction - predicted) / sigma, 0.0)
    rows = [
        DetectorRow(
            detector=int(statistics.detectors[k]),
            coordinates=tuple(float(c) for c in statistics.coordinates[k]),
            measured=float(statistics.fraction[k]),
            sigma=float(statistics.fraction_sigma[k]),
            predicted=float(predicted[k]),
            z=float(z[k]),
            significant=bool(abs(z[k]) > threshold),
        )
        for k in range(statistics.num_detectors)
    ]
    return tuple(sorted(rows, key=lambda row: -abs(row.z) if math.isfinite(row.z) else 0))


def _qubit_rows(experiment, layout, predicted, alpha) -> tuple[tuple[QubitRow, ...], float]:
    groups = layout.qubit_detectors()
    if not groups:
        return (), math.nan
    qubits, measured, sigma = _qubit_means(experiment.detection_events, groups)
    threshold = _threshold(alpha, len(qubits))
    measure = set(layout.measure_qubits)
    rows = []
    for k, qubit in enumerate(qubits):
        model = float(predicted[groups[qubit]].mean())
        z = (measured[k] - model) / sigma[k] if sigma[k] > 0 else 0.0
        rows.append(QubitRow(
            qubit=qubit,
            coordinates=layout.qubit_coordinates.get(qubit, ()),
            role="measure" if qubit in measure else "data",
            num_detectors=int(groups[qubit].size),
            measured=float(measured[k]),
            sigma=float(sigma[k]),
            predicted=model,
            z=float(z),
            significant=bool(abs(z) > threshold),
        ))
    return tuple(sorted(rows, key=lambda row: -abs(row.z))), threshold


def _pair_rows(statistics, predicted_pij, shared, layout, alpha):
    n = statistics.num_detectors
    upper_i, upper_j = np.triu_indices(n, 1)
    threshold = _threshold(alpha, upper_i.size)
    measured = statistics.pij[upper_i, upper_j]
    sigma = statistics.pij_sigma[upper_i, upper_j]
    predicted = predicted_pij[upper_i, upper_j]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, (measured - predicted) / sigma, 0.0)
    z = np.nan_to_num(z)
    in_model = shared[upper_i, upper_j]
    listed = np.flatnonzero(in_model | (np.abs(z) >= min(_LISTED_Z, threshold)))
    rows = []
    for k in listed[np.argsort(-np.abs(z[listed]), kind="stable")]:
        i, j = int(upper_i[k]), int(upper_j[k])
        rows.append(PairRow(
            detectors=(i, j),
            measured=float(measured[k]),
            sigma=float(sigma[k]),
            predicted=float(predicted[k]),
            z=float(z[k]),
            in_model=bool(in_model[k]),
            significant=bool(abs(z[k]) > threshold),
            signature="modelled" if in_model[k] else _signature(layout, i, j),
        ))
    return tuple(rows), threshold


def _logical(experiment, model, dem, *, decoder, shots, seed) -> LogicalComparison | None:
    from qecsim.decoding.dem import sinter_style_dem
    from qecsim.experiment.decode import predict_observables

    if experiment.observable_flips is None or not experiment.circuit.num_observables:
        return None
    circuit = model if isinstance(model, stim.Circuit) else None
    if isinstance(model, NoiseModel):
        circuit = model.noisy_circuit(experiment.circuit)
    if model is None:
        circuit = experiment.model
    decoding_dem = sinter_style_dem(circuit) if circuit is not None else dem
    predictions = predict_observables(experiment, decoder=decoder, model=decoding_dem)
    measured_errors = int(np.any(predictions != experiment.observable_flips, axis=1).sum())
    sampler = (circuit.compile_detector_sampler(seed=seed) if circuit is not None
               else dem.compile_sampler(seed=seed))
    if circuit is not None:
        events, flips = sampler.sample(shots, separate_observables=True)
    else:
        events, flips, _ = sampler.sample(shots)
    simulated = Experiment(circuit=experiment.circuit, detection_events=events,
                           observable_flips=flips)
    simulated_predictions = predict_observables(simulated, decoder=decoder, model=decoding_dem)
    predicted_errors = int(np.any(simulated_predictions != flips, axis=1).sum())

    def estimate(errors: int, total: int) -> Estimate:
        fit = sinter.fit_binomial(num_shots=total, num_hits=errors, max_likelihood_factor=1000)
        best = errors / total
        return Estimate(best, min(fit.low, best), max(fit.high, best))

    return LogicalComparison(
        decoder=decoder,
        measured=estimate(measured_errors, experiment.num_shots),
        predicted=estimate(predicted_errors, shots),
        measured_shots=experiment.num_shots,
        predicted_shots=shots,
    )


def compare_to_model(
    experiment: Experiment,
    model: NoiseModel | stim.Circuit | stim.DetectorErrorModel | None = None,
    *,
    decoder: str = "pymatching",
    logical: bool = True,
    logical_shots: int | None = None,
    alpha: float = 0.01,
    seed: int | None = None,
    statistics: DetectorStatistics | None = None,
) -> ModelComparison:
    """Compare a measured experiment with a noise model, detector by detector.

    Args:
        experiment: The measured experiment.
        model: None (the experiment's model circuit), a NoiseModel (applied to the circuit as
            run), a noisy circuit or a DEM.
        decoder: The decoder of the logical-error comparison.
        logical: Also compare logical error rates (decodes the shots, and as many simulated
            from the model).
        logical_shots: Shots simulated from the model (default: as many as measured).
        alpha: Family-wise false-alarm rate of each table's ``significant`` flags.
        seed: Seed of the model simulation.
        statistics: The experiment's :func:`detector_statistics`, if already computed.

    Returns:
        A :class:`ModelComparison` (``.detectors``, ``.qubits``, ``.pairs``, ``.logical``,
        ``.table()``, ``.to_json()``, plots).

    Raises:
        QecsimError: A model that does not fit the experiment, bad ``alpha``.

    Warns:
        UserWarning: A model circuit runs other operations than the circuit as run (e.g. CZ
            against CX), naming the first difference.

    Examples:
        >>> import qecsim
        >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 25))
        >>> report = qecsim.compare_to_model(experiment, logical=False)
        >>> round(report.mean_ratio, 2)  # the device flags more than its model says
        1.09
        >>> top = report.qubits[0]
        >>> top.qubit, top.role, round(top.ratio, 2), top.significant
        (1, 'data', 1.21, True)
    """
    if not isinstance(experiment, Experiment):
        raise QecsimError(f"experiment is a {type(experiment).__name__}, not a qecsim.Experiment")
    if not 0 < alpha < 1:
        raise QecsimError(f"alpha={alpha!r} is not in (0, 1)")
    dem = model_dem(experiment, model)
    if statistics is None:
        statistics = detector_statistics(experiment)
    elif statistics.num_detectors != experiment.num_detectors:
        raise QecsimError("statistics= covers other detectors than the experiment's")
    errors = dem_errors(dem)
    fraction, pij = predicted_moments(errors)
    layout = detector_layout(experiment.circuit)
    detector_threshold = _threshold(alpha, statistics.num_detectors)
    qubits, qubit_threshold = _qubit_rows(experiment, layout, fraction, alpha)
    pairs, pair_threshold = _pair_rows(statistics, pij, shared_errors(errors), layout, alpha)
    rounds = {}
    measured_rounds = statistics.by_round(z=math.sqrt(2 * math.log(1000)))
    for value, estimate in measured_rounds.items():
        chosen = np.flatnonzero(statistics.coordinates[:, -1] == value)
        rounds[value] = (estimate, float(fraction[chosen].mean()))
    comparison = None
    if logical:
        shots = experiment.num_shots if logical_shots is None else int(logical_shots)
        comparison = _logical(experiment, model, dem, decoder=decoder, shots=shots, seed=seed)
    return ModelComparison(
        detectors=_detector_rows(statistics, fraction, detector_threshold),
        qubits=qubits,
        pairs=pairs,
        logical=comparison,
        rounds=rounds,
        thresholds={"detectors": detector_threshold, "qubits": qubit_threshold,
                    "pairs": pair_threshold},
        statistics=statistics,
        predicted_fraction=fraction,
        predicted_pij=pij,
        layout=layout,
        metadata=dict(experiment.metadata),
    )
