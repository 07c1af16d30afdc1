"""``qecsim tag-noise`` on Google's circuit files: the tagged file, the summary, the errors."""

from __future__ import annotations

import json
import pathlib

import pytest
import stim

import qecsim
from qecsim.cli import main

GOOGLE = (
    pathlib.Path(qecsim.__file__).parent
    / "data" / "google_sycamore_2022" / "surface_code_bX_d5_r05_center_5_5" / "circuit_noisy.stim"
)  # fmt: skip


def test_help_shows_an_example(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["tag-noise", "--help"])
    assert exit_.value.code == 0
    assert "qecsim tag-noise circuit_noisy.stim -o circuit_tagged.stim" in capsys.readouterr().out


def test_a_google_circuit_is_written_tagged_and_summarised(tmp_path, capsys):
    out, summary_file = tmp_path / "tagged.stim", tmp_path / "summary.json"
    code = main(["tag-noise", str(GOOGLE), "-o", str(out), "--summary-json", str(summary_file),
                 "--strict"])
    assert code == 0
    printed = capsys.readouterr().out
    expected, summary = qecsim.tag_noise(stim.Circuit.from_file(GOOGLE), return_summary=True)
    assert f"{GOOGLE}: {summary}" in printed and f"wrote {out}" in printed
    assert "two_qubit_gate       400" in printed  # 4 d (d - 1) CZs per round, 5 rounds
    written = stim.Circuit.from_file(out)
    assert written == expected
    assert written.without_tags() == stim.Circuit.from_file(GOOGLE)
    summary = json.loads(summary_file.read_text())
    assert summary["counts"]["measurement"] == 24 * 5 + 25 and "other" not in summary["counts"]


def test_without_output_the_circuit_goes_to_stdout_and_the_summary_to_stderr(tmp_path, capsys):
    source = tmp_path / "small.stim"
    source.write_text("R 0 1\nX_ERROR(0.01) 0 1\nTICK\nCZ 0 1\nDEPOLARIZE2(0.001234567891) 0 1\n")
    assert main(["tag-noise", str(source)]) == 0
    captured = capsys.readouterr()
    assert "DEPOLARIZE2[two_qubit_gate@0-1](0.001234567891) 0 1" in captured.out
    assert "tagged 3 noise channels" in captured.err and "tagged" not in captured.out


def test_strict_fails_when_a_channel_is_other(tmp_path, capsys):
    source = tmp_path / "noise_only.stim"
    source.write_text("X_ERROR(0.1) 0\n")
    assert main(["tag-noise", str(source), "-o", str(tmp_path / "o.stim"), "--strict"]) == 1
    assert "line 1: X_ERROR(0.1) 0" in capsys.readouterr().out


def test_a_broken_file_is_named_with_its_line(tmp_path, capsys):
    source = tmp_path / "broken.stim"
    source.write_text("H 0\nREPEAT 2 {\n    CX 0 1\n    CX 0\n}\nM 0\n")
    assert main(["tag-noise", str(source)]) == 2
    error = capsys.readouterr().err
    assert f"{source} line 4 (CX 0) is not valid stim" in error
    assert len(error.splitlines()) == 1


def test_unplaced_channels_are_reported_at_the_files_own_lines(tmp_path, capsys):
    source = tmp_path / "commented.stim"
    source.write_text("# a circuit\n\nH 0\nH 1\nSPP X0*X1*X2\nDEPOLARIZE1(0.1) 0  # here\n")
    assert main(["tag-noise", str(source), "-o", str(tmp_path / "o.stim")]) == 0
    assert "line 6: DEPOLARIZE1(0.1) 0 (it follows SPP on 3 qubits" in capsys.readouterr().out


def test_a_bad_summary_path_fails_before_the_output_is_written(tmp_path, capsys):
    out = tmp_path / "tagged.stim"
    code = main(["tag-noise", str(GOOGLE), "-o", str(out), "--summary-json",
                 str(tmp_path / "missing" / "summary.json")])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err
    assert not out.exists()
