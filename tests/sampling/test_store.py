"""The sinter CSV store: reading, torn rows, preparing for appends."""

from __future__ import annotations

import pytest
import sinter

from qecsim.errors import QecsimError
from qecsim.sampling.store import csv_header, open_store, prepare_store, read_store


def row(strong_id: str, shots: int, errors: int) -> str:
    stat = sinter.TaskStats(strong_id=strong_id, decoder="pymatching",
                            json_metadata={"d": 3}, shots=shots, errors=errors)
    return stat.to_csv_line() + "\n"


def test_rows_of_a_point_add_up_as_sinter_reads_them(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(csv_header() + "\n" + row("a", 100, 3) + row("b", 50, 1) + row("a", 20, 2))
    opened = open_store(path)
    assert (opened.existing["a"].shots, opened.existing["a"].errors) == (120, 5)
    assert opened.truncate_to is None
    ours = {s.strong_id: (s.shots, s.errors) for s in read_store(path)}
    theirs = {s.strong_id: (s.shots, s.errors) for s in sinter.read_stats_from_csv_files(path)}
    assert ours == theirs == {"a": (120, 5), "b": (50, 1)}


def test_a_torn_last_row_is_ignored_then_cut_with_a_warning(tmp_path):
    path = tmp_path / "s.csv"
    whole = csv_header() + "\n" + row("a", 100, 3)
    path.write_text(whole + row("a", 999, 9)[:25])
    opened = open_store(path)
    assert opened.existing["a"].shots == 100
    assert opened.truncate_to == len(whole.encode())
    with pytest.warns(UserWarning, match="torn row"):
        prepare_store(path, opened.truncate_to)
    assert path.read_text() == whole


@pytest.mark.parametrize("content", ["", csv_header(), csv_header() + "\n"])
def test_a_new_empty_or_header_only_store_gets_sinters_header(tmp_path, content):
    path = tmp_path / "sub" / "s.csv"
    if content:
        path.parent.mkdir()
        path.write_text(content)
    assert open_store(path).existing == {}
    prepare_store(path, None)
    assert path.read_text() == csv_header() + "\n"


def test_read_store_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(QecsimError, match="does not exist"):
        read_store(tmp_path / "missing.csv")
