"""Tagged noisy circuits: split channels per qubit, scale channels by component or qubit.

The functions live in :mod:`qecsim.noise.tagging.scaling` (shared with the error budget and
sweeps of circuits); they are re-exported here for :mod:`qecsim.experiment.fit`.
"""

from qecsim.noise.tagging.scaling import check_tagged, scale_tagged, split_by_qubit

__all__ = ["check_tagged", "scale_tagged", "split_by_qubit"]
