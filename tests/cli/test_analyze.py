"""``qecsim analyze`` on stores written by hand, by qecsim and by plain sinter."""

from __future__ import annotations

import sinter

from qecsim.cli import main


def write_store(path, rows) -> str:
    path.write_text(sinter.CSV_HEADER + "\n" + "".join(r.to_csv_line() + "\n" for r in rows))
    return str(path)


def surface_stats(d, errors, shots=10**5, **extra) -> sinter.TaskStats:
    metadata = {"code": "rotated_surface_code", "basis": "Z", "d": d, "rounds": d,
                "noise": "sd6", "p": 0.001, **extra}  # fmt: skip
    return sinter.TaskStats(
        strong_id=f"{sorted(metadata.items())}", decoder="pymatching", shots=shots,
        errors=errors, json_metadata=metadata,
    )  # fmt: skip


def test_analyze_leaves_even_distances_out_of_lambda_and_says_why(tmp_path, capsys):
    store = write_store(
        tmp_path / "even.csv",
        [surface_stats(3, 3000), surface_stats(4, 2900), surface_stats(5, 800)],
    )
    assert main(["analyze", store]) == 0
    out = capsys.readouterr().out
    assert "(d = 3, 5)" in out
    assert "note: even distance(s) d = 4 left out: Lambda = eps_d / eps_(d+2) compares odd" in out
