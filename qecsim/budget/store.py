"""A budget's batch store: every finished batch's statistics, so that a rerun continues.

The store is a text file of JSON lines. The first line is a header,
``{"format": "qecsim.budget_batches/1", "entropy": "<decimal>"}``: the seed that runs with
``seed=None`` use, drawn once when the file is made, so that rerunning an unseeded budget
continues it too. Every further line is one finished batch:

``{"config": <hash>, "shots": n, "seed": s, "cpu": seconds, "result": {...}}``

``config`` is a hash of the sample set (noise model, code, basis, distance, rounds, decoder,
attribution options and the engine's version), ``shots`` and ``seed`` the batch's size and
seed, and ``result`` its sufficient statistics (shots, logical errors, and for the likelihood
ratio the per-component and per-group score sums and squared sums over failing shots, with
their labels). A batch is fully determined by (config, shots, seed), so a rerun with the same
arguments finds its batches here instead of sampling them again, and merges them in the same
order: the result equals an uninterrupted run's to the last digit. One store may hold the
batches of several budgets. A line cut short by a killed process is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
from typing import Any

import numpy as np

from qecsim.budget.worker import SampleConfig
from qecsim.errors import QecsimError, describe

__all__ = ["FORMAT", "BatchStore"]

FORMAT = "qecsim.budget_batches/1"
_ENGINE_VERSION = 1  # bump when a batch's statistics change meaning
_LABEL_KEYS = ("groups", "components")


def config_hash(config: SampleConfig) -> str:
    """A short hash that identifies a sample set (and the engine version) in the store."""
    text = json.dumps([_ENGINE_VERSION, config.key()])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _encode(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value.tolist() if isinstance(value, np.ndarray) else value
            for key, value in result.items()}


def _decode(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("shots", "errors"):
            result[key] = int(value)
        elif key == "groups":
            result[key] = tuple((name, tuple(qubits)) for name, qubits in value)
        elif key == "components":
            result[key] = tuple(value)
        else:
            result[key] = np.asarray(value, dtype=np.float64)
    return result


class BatchStore:
    """The batches of a store file (read once), and appending new ones as they finish.

    Args:
        path: The file; created with its header when missing.

    Raises:
        QecsimError: ``path`` is not a path, is a directory, cannot be read or made, or is a
            file that is not a budget batch store.

    Examples:
        >>> import tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "batches.jsonl"
        >>> store = BatchStore(path)
        >>> path.read_text().startswith('{"format": "qecsim.budget_batches/1"')
        True
        >>> len(store), store.entropy == BatchStore(path).entropy
        (0, True)
    """

    def __init__(self, path: str | os.PathLike) -> None:
        if not isinstance(path, (str, os.PathLike)):
            raise QecsimError(f"store={describe(path)} is not a file path (str or os.PathLike)")
        self.path = pathlib.Path(path)
        if self.path.is_dir():
            example = str(self.path / "batches.jsonl")
            raise QecsimError(
                f"store={str(path)!r} is a directory; expected a file that keeps the budget's "
                f"batches (JSON lines, made when missing), e.g. {example!r}"
            )
        self._records: dict[tuple[str, int, int], tuple[dict[str, Any], float]] = {}
        try:
            if self.path.exists() and self.path.stat().st_size > 0:
                self.entropy = self._read()
            else:
                self.entropy = int(np.random.SeedSequence().entropy)
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.write_text(
                    json.dumps({"format": FORMAT, "entropy": str(self.entropy)}) + "\n"
                )
        except OSError as error:
            raise QecsimError(
                f"store={str(path)!r} cannot be read or made: {error.strerror or error}"
            ) from None
        self._hashes: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._records)

    def _read(self) -> int:
        try:
            lines = self.path.read_text().splitlines()
        except UnicodeDecodeError:
            lines = [""]  # binary: not a store (the header check says so)
        try:
            header = json.loads(lines[0])
            entropy = int(header["entropy"])
            if header.get("format") != FORMAT:
                raise ValueError(header.get("format"))
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise QecsimError(
                f"{self.path} is not a budget batch store (its first line must be "
                f'{{"format": "{FORMAT}", "entropy": ...}}): {error}'
            ) from None
        for line in lines[1:]:
            try:
                data = json.loads(line)
                key = (data["config"], int(data["shots"]), int(data["seed"]))
                self._records[key] = (data["result"], float(data["cpu"]))
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short when a process was killed while writing it
        return entropy

    def _hash(self, config: SampleConfig) -> str:
        key = config.key()
        if key not in self._hashes:
            self._hashes[key] = config_hash(config)
        return self._hashes[key]

    def get(self, config: SampleConfig, shots: int, seed: int) -> tuple[dict[str, Any], float]:
        """The stored (result, CPU seconds) of a batch, or a KeyError."""
        result, cpu = self._records[(self._hash(config), shots, seed)]
        return _decode(result), cpu

    def __contains__(self, batch: tuple[SampleConfig, int, int]) -> bool:
        config, shots, seed = batch
        return (self._hash(config), shots, seed) in self._records

    def add(self, config: SampleConfig, shots: int, seed: int, result: dict[str, Any],
            cpu: float) -> None:
        """Append one finished batch (flushed at once, so a killed process keeps it)."""
        record = {"config": self._hash(config), "shots": shots, "seed": seed, "cpu": cpu,
                  "result": _encode(result)}
        line = json.dumps(record)
        with self.path.open("rb+") as file:
            file.seek(0, os.SEEK_END)
            if file.tell() > 0:
                file.seek(-1, os.SEEK_END)
                if file.read(1) != b"\n":  # the end of a line cut short by a kill
                    file.write(b"\n")
            file.write(line.encode() + b"\n")
            file.flush()
        self._records[(self._hash(config), shots, seed)] = (record["result"], cpu)

    def count(self, config: SampleConfig) -> int:
        """How many batches of this sample set the store holds (at any seed)."""
        key = self._hash(config)
        return sum(h == key for h, _, _ in self._records)
