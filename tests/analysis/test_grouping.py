"""Tests of qecsim.analysis.grouping: input checks and groups (through the public API)."""

from __future__ import annotations

import pytest
import sinter

import qecsim
from qecsim import analysis


def test_empty_stats_rejected():
    for function in (
        analysis.logical_error_per_round,
        analysis.fit_lambda,
        analysis.fit_lambdas,
        analysis.estimate_threshold,
    ):
        with pytest.raises(qecsim.QecsimError, match="stats is empty"):
            function([])


def test_missing_metadata_keys_named():
    stat = sinter.TaskStats(
        strong_id="x", decoder="pymatching", json_metadata={"d": 3, "p": 0.01}, shots=10, errors=1
    )
    with pytest.raises(qecsim.QecsimError, match=r"lacks key\(s\) \['rounds'\]"):
        analysis.logical_error_per_round([stat])
    no_p = [
        sinter.TaskStats(
            strong_id=str(d), decoder="m", json_metadata={"d": d, "rounds": d}, shots=10, errors=1
        )
        for d in (3, 5)
    ]
    with pytest.raises(qecsim.QecsimError, match=r"lacks key\(s\) \['p'\]"):
        analysis.estimate_threshold(no_p)
    no_metadata = sinter.TaskStats(strong_id="y", decoder="m", json_metadata=None, shots=1)
    with pytest.raises(qecsim.QecsimError, match="json_metadata=None"):
        analysis.fit_lambda([no_metadata])
