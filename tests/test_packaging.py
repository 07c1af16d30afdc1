"""The project installs under its own name, and its documents stay inside the repository."""

from __future__ import annotations

import importlib.metadata
import pathlib
import re

import qecsim

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_the_installed_distribution_is_qecsim_hw():
    # the PyPI name "qecsim" belongs to an unrelated 2021 project
    assert qecsim.errors.DISTRIBUTION == "qecsim-hw"
    distribution = importlib.metadata.distribution("qecsim-hw")
    assert distribution.metadata["Name"] == "qecsim-hw"
    assert "qecsim" in (distribution.read_text("top_level.txt") or "qecsim").split()


def _install_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "pip install" in line]


def test_no_install_line_installs_the_unrelated_pypi_qecsim():
    texts = {path: path.read_text() for path in [ROOT / "README.md", *ROOT.glob("docs/*.md")]}
    texts |= {path: path.read_text() for path in (ROOT / "qecsim").rglob("*.py")}
    texts |= {path: path.read_text() for path in (ROOT / "notebooks").glob("*.ipynb")}
    bad = re.compile(r"pip install\s+['\"]?qecsim(\[|['\"\s]|$)")
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path, text in texts.items()
        for line in _install_lines(text)
        if bad.search(line)
    ]
    assert offenders == []


def test_documents_point_inside_the_repository():
    paths = [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), *(ROOT / "qecsim").rglob("*.py")]
    offenders = [
        str(path.relative_to(ROOT)) for path in paths if "shared/" in path.read_text()
    ]
    assert offenders == []
    assert (ROOT / "docs" / "design.md").is_file()
