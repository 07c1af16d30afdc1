"""Measured QEC experiments: decoding, detector statistics, comparison with a model, fitting.

Its place in the data flow and its modules: ``docs/design.md`` (Layout), in the repository.

Examples:
    >>> import qecsim
    >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 25))
    >>> experiment.metadata["basis"], experiment.metadata["rounds"]
    ('X', 25)
"""

from qecsim.experiment.compare import (
    DetectorRow,
    LogicalComparison,
    ModelComparison,
    PairRow,
    QubitRow,
    compare_to_model,
)
from qecsim.experiment.decode import decode_experiments, decoder_dem, predict_observables
from qecsim.experiment.dem import estimate_dem
from qecsim.experiment.experiment import Experiment
from qecsim.experiment.fit import NOT_DETERMINED, NoiseFit, fit_noise
from qecsim.experiment.google import GOOGLE_DATA, google_data_path
from qecsim.experiment.statistics import DetectorStatistics, detector_statistics

__all__ = [
    "GOOGLE_DATA",
    "NOT_DETERMINED",
    "DetectorRow",
    "DetectorStatistics",
    "Experiment",
    "LogicalComparison",
    "ModelComparison",
    "NoiseFit",
    "PairRow",
    "QubitRow",
    "compare_to_model",
    "decode_experiments",
    "decoder_dem",
    "detector_statistics",
    "estimate_dem",
    "fit_noise",
    "google_data_path",
    "predict_observables",
]
