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


@pytest.mark.parametrize("stats", [5, None, "stats.csv"])
def test_stats_that_are_not_a_collection_of_task_stats_are_refused(stats):
    for function in (analysis.fit_error_per_round, analysis.fit_lambdas,
                     analysis.logical_error_per_shot):  # fmt: skip
        with pytest.raises(qecsim.QecsimError, match=r"not an iterable of sinter\.TaskStats"):
            function(stats)


def _rounds_series():
    return [
        sinter.TaskStats(strong_id=str(r), decoder="m", shots=1000, errors=10 * r,
                         json_metadata={"d": 3, "rounds": r})
        for r in (1, 3, 5)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("group_by", "message"),
    [
        (3, r"group_by=3 is not None, a metadata key, a list of keys or a function"),
        (["d", 3], r"group_by=\['d', 3\] is not None, a metadata key, a list of keys"),
        (lambda metadata: [metadata["d"]], r"group_by returned \[3\].*hashable"),
    ],
)
def test_bad_group_by_is_refused(group_by, message):
    with pytest.raises(qecsim.QecsimError, match=message):
        analysis.fit_error_per_round(_rounds_series(), group_by=group_by)
    with pytest.raises(qecsim.QecsimError, match=message):
        analysis.group_statistics(_rounds_series(), varying=("rounds",), group_by=group_by)
