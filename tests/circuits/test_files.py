"""Reading and writing .stim files: exact arguments, errors with file, line and instruction."""

from __future__ import annotations

import pytest
import stim

import qecsim
from qecsim.circuits.files import (
    circuit_text,
    file_lines,
    read_circuit,
    read_circuit_with_lines,
    write_circuit,
)


def test_written_circuits_read_back_exactly(tmp_path):
    circuit = stim.Circuit.generated(
        "surface_code:rotated_memory_x", distance=3, rounds=3,
        after_clifford_depolarization=1 / 3 * 1e-3, before_measure_flip_probability=0.00123456789,
    )  # fmt: skip
    circuit.append("MPP", [stim.target_x(0), stim.target_combiner(), stim.target_z(1)], [1 / 7])
    circuit.append("E", [stim.target_x(0), stim.target_z(1)], [1 / 7], tag="a]b\\c")
    assert stim.Circuit(str(circuit)) != circuit  # stim's text keeps 6 digits
    write_circuit(circuit, tmp_path / "c.stim")
    assert read_circuit(tmp_path / "c.stim") == circuit
    assert "DETECTOR(2, 0, 0)" in circuit_text(circuit)


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        ("H 0\nFOO 1\n", 2, "FOO 1"),
        ("H 0\nREPEAT 3 {\n    # comment {\n    CX 0 1\n    X_ERROR(2) 0\n}\n", 5, "X_ERROR(2) 0"),
        ("REPEAT 0 {\n    H 0\n}\n", 1, "REPEAT 0 {"),
    ],
)
def test_parse_errors_name_file_line_and_instruction(tmp_path, text, line, shown):
    path = tmp_path / "bad.stim"
    path.write_text(text)
    with pytest.raises(qecsim.QecsimError) as error:
        read_circuit(path)
    assert str(error.value).startswith(f"{path} line {line} ({shown}) is not valid stim: ")


def test_unreadable_files_are_named(tmp_path):
    with pytest.raises(qecsim.QecsimError, match="cannot read circuit file"):
        read_circuit(tmp_path / "missing.stim")
    (tmp_path / "binary.stim").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(qecsim.QecsimError, match="is not a text file"):
        read_circuit(tmp_path / "binary.stim")
    with pytest.raises(qecsim.QecsimError, match="cannot write circuit file"):
        write_circuit(stim.Circuit("H 0"), tmp_path / "no" / "such" / "dir.stim")


def test_file_lines_map_stims_lines_back_to_the_file(tmp_path):
    text = (
        "# header\n\nH 0\nH 1  # fused with the line above\nREPEAT 2 {\n    CX 0 1\n\n"
        "    CX 2 3\n    DETECTOR rec[-1]\n    DETECTOR rec[-1]\n}\nM(0.1) 0\nM(0.1) 1\nTICK\n"
    )
    path = tmp_path / "c.stim"
    path.write_text(text)
    circuit, lines = read_circuit_with_lines(path)
    assert str(circuit).splitlines() == [
        "H 0 1", "REPEAT 2 {", "    CX 0 1 2 3", "    DETECTOR rec[-1]", "    DETECTOR rec[-1]",
        "}", "M(0.1) 0 1", "TICK",
    ]  # fmt: skip
    assert lines == [3, 5, 6, 9, 10, 11, 12, 14]
    assert file_lines("", stim.Circuit()) == []


def test_a_value_that_is_not_a_circuit_or_a_path_is_named(tmp_path):
    with pytest.raises(qecsim.QecsimError, match=r"circuit='H 0' is not a stim.Circuit "
                       r"\(stim.Circuit\(text\) parses text\)"):
        write_circuit("H 0", tmp_path / "c.stim")
    assert not (tmp_path / "c.stim").exists()
    with pytest.raises(qecsim.QecsimError, match=r"circuit='H 0' is not a stim.Circuit"):
        circuit_text("H 0")
    with pytest.raises(qecsim.QecsimError, match=r"circuit=None is not a stim.Circuit$"):
        circuit_text(None)
    for read in (read_circuit, read_circuit_with_lines):
        with pytest.raises(qecsim.QecsimError, match=r"path=3 is not a file path \(str or "):
            read(3)
    with pytest.raises(qecsim.QecsimError, match=r"path=3 is not a file path"):
        write_circuit(stim.Circuit("H 0"), 3)
