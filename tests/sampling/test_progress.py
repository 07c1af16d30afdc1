"""The progress bar: fractional points, never past its total, no negative ETA."""

from __future__ import annotations

import warnings

import pytest
import sinter

from qecsim.sampling.progress import ProgressBar


def batch(strong_id: str, shots: int, errors: int = 0) -> sinter.Progress:
    row = sinter.TaskStats(strong_id=strong_id, decoder="pymatching", json_metadata={},
                           shots=shots, errors=errors)
    return sinter.Progress(new_stats=(row,), status_message="")


@pytest.mark.parametrize("points", [3, 7])
def test_tenths_of_points_end_at_the_total_without_clamping_or_a_negative_eta(capsys, points):
    # Ten steps of 0.1 point each: as floats they add up to more than the total (3 points:
    # 3.0000000000000004), which made tqdm warn "clamping frac" and show an ETA of <-00:00.
    ids = [f"p{k}" for k in range(points)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bar = ProgressBar(ids, {}, max_shots=1000, max_errors=None, enabled=True)
        for strong_id in ids:
            for _ in range(10):
                bar(batch(strong_id, 100))
        assert bar.bar.n <= bar.bar.total
        bar.close()
    assert [str(w.message) for w in caught] == []
    err = capsys.readouterr().err
    assert "<-" not in err and "-00:00" not in err
    assert "100%" in err and f"{points}.0/{points} points" in err
    assert f"done {points}/{points}, shots {points * 1000:,}" in err


def test_points_count_by_shots_or_errors_whichever_is_nearer_its_limit():
    existing = {"a": sinter.TaskStats(strong_id="a", decoder="pymatching", json_metadata={},
                                      shots=200, errors=5)}
    bar = ProgressBar(["a", "b"], existing, max_shots=1000, max_errors=10, enabled=False)
    assert bar.fraction == {"a": 0.5, "b": 0.0}  # 5 of 10 errors beats 200 of 1000 shots
    bar(batch("b", 1000, 1))
    bar(batch("a", 30, 20))  # an error overshoot still counts as one point, not more
    bar(batch("unknown", 10))  # rows of other points are ignored
    assert bar.fraction == {"a": 1.0, "b": 1.0} and bar.done() == 2
    bar.close()
