"""Analysis of sinter statistics: logical error per round, Lambda, threshold, footprint.

Its place in the data flow and its modules: ``docs/design.md`` (Layout), in the repository.

Every function reads ``sinter.TaskStats`` (as returned by ``qecsim.collect`` or
``sinter.read_stats_from_csv_files``). Per-shot rates (:func:`logical_error_per_shot`) need
no metadata at all; per-round rates and Lambda need ``d`` (code distance) and the rounds
(``rounds``, else sinter's ``r``); thresholds need ``d`` and ``p`` (the physical error rate;
for a custom noise model swept by scale factors, ``scale``). The other keys (``code``,
``basis``, ``noise``, ...) and the decoder tell experiments apart. Any sinter store works:
tasks and groups that lack what an analysis needs are left out with one warning per group
(never an abort of the rest); only when nothing is left does a function raise.

**Confidence intervals.** All intervals follow sinter's convention: a hypothesis is inside
the interval when it is at most ``max_likelihood_factor`` times less likely than the best
one. The default, ``max_likelihood_factor=1000``, is the band that ``sinter plot`` and
``sinter.plot_error_rate`` highlight. Where an interval comes from a Gaussian approximation
(the Lambda fit, the threshold bootstrap, the footprint), a factor ``F`` is turned into
``z = sqrt(2 ln F)`` standard deviations (Wilks), so 1000 means z = 3.72 (coverage 99.98 %)
and ``math.exp(2)`` means z = 2 (95.4 %). :func:`fit_error_per_round` uses the profile
likelihood itself.

**Grouping.** Lambda fits group the statistics by decoder and by every metadata key except
``d`` and the rounds; thresholds by decoder and every key except ``d``, the rounds, ``p`` and
``scale``; :func:`fit_error_per_round` by every key except the rounds. Tasks that have
different sets of these keys are different experiments. ``group_by`` overrides this with a
list of metadata keys or a function of the metadata. Lambda uses odd distances only
(:data:`EVEN_DISTANCE_REASON`).

**Modules** (one job each; every name is re-exported here): :mod:`~qecsim.analysis.grouping`
(merging repeated rows, grouping, :func:`distinguishing_keys`), :mod:`~qecsim.analysis.rates`
(per-shot and per-round rates and intervals), :mod:`~qecsim.analysis.error_per_round`
(eps and A from a rounds series), :mod:`~qecsim.analysis.lambda_fit` (Lambda),
:mod:`~qecsim.analysis.qubit_footprint`, :mod:`~qecsim.analysis.threshold`,
:mod:`~qecsim.analysis.estimate` (:class:`~qecsim.analysis.estimate.Estimate`),
:mod:`~qecsim.analysis.labels` (legend and table labels; a noise model's own label is
:func:`noise_label`, from :mod:`qecsim.sampling.labels`) and :mod:`~qecsim.analysis.plots`.

Examples:
    >>> import sinter
    >>> from qecsim import analysis
    >>> stats = [
    ...     sinter.TaskStats(strong_id=f"d{d}", decoder="pymatching", shots=10**6, errors=errors,
    ...         json_metadata={"code": "rotated_surface_code", "basis": "Z", "d": d,
    ...                        "rounds": d, "noise": "si1000", "p": 1e-3})
    ...     for d, errors in [(3, 9000), (5, 3000), (7, 900)]]
    >>> fit = analysis.fit_lambda(stats)
    >>> print(fit)
    Lambda = 4.91 [4.55, 5.29] (d = 3, 5, 7)
    >>> print(analysis.footprint(fit))
    per-round error <= 1e-12: d = 31 [31, 33], 1921 qubits [1921, 2177]
"""

from qecsim.analysis.error_per_round import (
    POOR_FIT_P_VALUE,
    ErrorPerRoundFit,
    fit_error_per_round,
)
from qecsim.analysis.grouping import GroupBy as GroupBy  # type alias of the group_by argument
from qecsim.analysis.grouping import distinguishing_keys, group_statistics
from qecsim.analysis.lambda_fit import (
    EVEN_DISTANCE_REASON,
    LambdaDistances,
    LambdaFit,
    fit_lambda,
    fit_lambdas,
    lambda_distances,
)
from qecsim.analysis.qubit_footprint import QUBITS_PER_CODE, Footprint, footprint
from qecsim.analysis.rates import (
    DEFAULT_MAX_LIKELIHOOD_FACTOR,
    LogicalErrorPerRound,
    LogicalErrorPerShot,
    logical_error_per_round,
    logical_error_per_shot,
    per_round_error_rate,
    per_round_log_slope,
    sigma_equivalent,
)
from qecsim.analysis.threshold import Threshold, estimate_threshold, estimate_thresholds
from qecsim.sampling.labels import noise_label  # the label tables and legends show

__all__ = [
    "DEFAULT_MAX_LIKELIHOOD_FACTOR",
    "EVEN_DISTANCE_REASON",
    "POOR_FIT_P_VALUE",
    "QUBITS_PER_CODE",
    "ErrorPerRoundFit",
    "Footprint",
    "LambdaDistances",
    "LambdaFit",
    "LogicalErrorPerRound",
    "LogicalErrorPerShot",
    "Threshold",
    "distinguishing_keys",
    "estimate_threshold",
    "estimate_thresholds",
    "fit_error_per_round",
    "fit_lambda",
    "fit_lambdas",
    "footprint",
    "group_statistics",
    "lambda_distances",
    "logical_error_per_round",
    "logical_error_per_shot",
    "noise_label",
    "per_round_error_rate",
    "per_round_log_slope",
    "sigma_equivalent",
]
