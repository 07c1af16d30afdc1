"""The result of :func:`qecsim.decoding.benchmark.benchmark_decoders`: one row per circuit and
decoder (logical error rate with its interval, timings), the disagreement counts, a table and a
plot. See :mod:`qecsim.decoding.benchmark` for how the rows are measured.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from qecsim.analysis import per_round_error_rate
from qecsim.errors import QecsimError, describe

__all__ = ["DecoderBenchmark", "DecoderBenchmarkRow"]


@dataclasses.dataclass(frozen=True)
class DecoderBenchmarkRow:
    """One decoder on one circuit.

    Attributes:
        circuit: The circuit's label.
        decoder: The decoder's name.
        num_shots: Shots decoded (the same shots for every decoder of this circuit).
        num_errors: Shots where the prediction differs from the true observable flips.
        logical_error_rate: num_errors / num_shots (per shot, i.e. per ``rounds``-round memory).
        logical_error_rate_low: Lower end of the likelihood-ratio interval
            (``sinter.fit_binomial``).
        logical_error_rate_high: Upper end of that interval.
        rounds: Rounds of the memory experiment (for per-round numbers).
        num_detectors: Detectors in the circuit.
        seconds_per_shot: Median over batches (after the warm-up batch) of decoding time per shot.
        seconds_per_round: ``seconds_per_shot / rounds``.
        setup_seconds: Wall time of ``compile_decoder_for_dem``.
        decode_seconds: Total wall time spent decoding all shots (warm-up batch included).
    """

    circuit: str
    decoder: str
    num_shots: int
    num_errors: int
    logical_error_rate: float
    logical_error_rate_low: float
    logical_error_rate_high: float
    rounds: int
    num_detectors: int
    seconds_per_shot: float
    seconds_per_round: float
    setup_seconds: float
    decode_seconds: float

    def __post_init__(self):
        if self.num_shots < 1:
            raise QecsimError(f"num_shots={self.num_shots!r} is not in [1, inf)")
        if not 0 <= self.num_errors <= self.num_shots:
            raise QecsimError(f"num_errors={self.num_errors!r} is not in [0, {self.num_shots}]")
        if self.rounds < 1:
            raise QecsimError(f"rounds={self.rounds!r} is not in [1, inf)")
        if not (
            0 <= self.logical_error_rate_low <= self.logical_error_rate
            <= self.logical_error_rate_high <= 1
        ):
            raise QecsimError(
                f"logical_error_rate={self.logical_error_rate!r} is not in "
                f"[{self.logical_error_rate_low!r}, {self.logical_error_rate_high!r}]"
            )
        for name in ("seconds_per_shot", "seconds_per_round", "setup_seconds", "decode_seconds"):
            value = getattr(self, name)
            if not value >= 0:
                raise QecsimError(f"{name}={value!r} is not in [0, inf)")

    @property
    def logical_error_per_round(self) -> float:
        """The per-round logical error: ``(1 - (1 - 2P)^(1/rounds)) / 2`` for shot rate P.

        Examples:
            >>> row = DecoderBenchmarkRow(circuit="d=3, r=10", decoder="pymatching",
            ...     num_shots=1000, num_errors=100, logical_error_rate=0.1,
            ...     logical_error_rate_low=0.08, logical_error_rate_high=0.12, rounds=10,
            ...     num_detectors=80, seconds_per_shot=1e-5, seconds_per_round=1e-6,
            ...     setup_seconds=0.01, decode_seconds=0.01)
            >>> round(row.logical_error_per_round, 5)  # (1 - 0.8 ** 0.1) / 2
            0.01103
        """
        return per_round_error_rate(self.logical_error_rate, rounds=self.rounds)

    @property
    def logical_error_per_round_low(self) -> float:
        """Lower end of the interval, per round."""
        return per_round_error_rate(self.logical_error_rate_low, rounds=self.rounds)

    @property
    def logical_error_per_round_high(self) -> float:
        """Upper end of the interval, per round."""
        return per_round_error_rate(self.logical_error_rate_high, rounds=self.rounds)


@dataclasses.dataclass(frozen=True)
class DecoderBenchmark:
    """The result of :func:`~qecsim.decoding.benchmark.benchmark_decoders`.

    Attributes:
        rows: One row per (circuit, decoder), circuits in the given order, decoders in the given
            order within each circuit.
        disagreement_counts: ``(circuit, decoder_a, decoder_b, count)`` for every pair of
            decoders (a listed before b): the number of shots on which their predictions differ.
        seed: The seed the detection events were sampled with (pass it again to reproduce).

    Examples:
        >>> import qecsim
        >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(5e-3))
        >>> result = qecsim.benchmark_decoders(
        ...     circuit, decoders="pymatching,pymatching-correlated", num_shots=500, seed=3)
        >>> result.decoders
        ('pymatching', 'pymatching-correlated')
        >>> row = result.row("d=3, r=3", "pymatching")
        >>> row.num_shots, row.rounds, row.seconds_per_round == row.seconds_per_shot / 3
        (500, 3, True)
        >>> print(result.table().splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
        circuit decoder shots errors logical error rate [interval] per round us/shot us/round
        setup s
    """

    rows: tuple[DecoderBenchmarkRow, ...]
    disagreement_counts: tuple[tuple[str, str, str, int], ...]
    seed: int

    def __post_init__(self):
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "disagreement_counts", tuple(self.disagreement_counts))
        if not self.rows:
            raise QecsimError("rows=() is empty: a benchmark has at least one row")
        keys = [(row.circuit, row.decoder) for row in self.rows]
        if len(set(keys)) != len(keys):
            raise QecsimError(f"rows={keys!r} has a repeated (circuit, decoder) pair")
        for circuit, a, b, count in self.disagreement_counts:
            shots = self.row(circuit, a).num_shots
            if not 0 <= count <= shots:
                raise QecsimError(f"disagreements {a!r}/{b!r}={count!r} is not in [0, {shots}]")

    @property
    def circuits(self) -> tuple[str, ...]:
        """Circuit labels, in order."""
        return tuple(dict.fromkeys(row.circuit for row in self.rows))

    @property
    def decoders(self) -> tuple[str, ...]:
        """Decoder names, in order."""
        return tuple(dict.fromkeys(row.decoder for row in self.rows))

    def row(self, circuit: str, decoder: str) -> DecoderBenchmarkRow:
        """The row of one decoder on one circuit.

        Args:
            circuit: A circuit label (see :attr:`circuits`).
            decoder: A decoder name (see :attr:`decoders`) or an alias of one
                (``"PyMatching"``: :func:`qecsim.decoders.canonical_name`).

        Returns:
            The :class:`DecoderBenchmarkRow`.

        Raises:
            QecsimError: No such row.

        Examples:
            >>> import qecsim
            >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(5e-3))
            >>> result = qecsim.benchmark_decoders(
            ...     circuit, decoders="pymatching,pymatching-correlated", num_shots=200, seed=3)
            >>> row = result.row("d=3, r=3", "pymatching-correlated")
            >>> row.num_shots, row.num_errors <= row.num_shots
            (200, True)
            >>> result.row("d=5, r=5", "pymatching")  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            qecsim.errors.QecsimError: (circuit, decoder)=('d=5, r=5', 'pymatching') is not in ...
        """
        decoder = self._decoder_name(decoder)
        for row in self.rows:
            if row.circuit == circuit and row.decoder == decoder:
                return row
        raise QecsimError(
            f"(circuit, decoder)=({describe(circuit)}, {describe(decoder)}) is not in "
            f"circuits={list(self.circuits)} x decoders={list(self.decoders)}"
        )

    def _decoder_name(self, name: str) -> str:
        """A decoder's name in this benchmark from an alias the benchmark accepted
        (``"PyMatching"``, ``"PyMatching #2"``); anything else is returned as it is."""
        if name in self.decoders or not isinstance(name, str):
            return name
        from qecsim.decoding.registry import canonical_name

        base, separator, repeat = name.partition(" #")
        try:
            canonical = canonical_name(base) + separator + repeat
        except QecsimError:
            return name
        return canonical if canonical in self.decoders else name

    def disagreements(self, decoder_a: str, decoder_b: str) -> dict[str, int]:
        """Shots on which two decoders predict different observable flips, per circuit.

        Args:
            decoder_a: A decoder name in the benchmark (or an alias of one).
            decoder_b: Another (or the same) decoder name in the benchmark.

        Returns:
            circuit label -> number of disagreeing shots (0 for a decoder with itself).

        Raises:
            QecsimError: A decoder is not in the benchmark.

        Examples:
            >>> import qecsim
            >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(5e-3))
            >>> result = qecsim.benchmark_decoders(
            ...     circuit, decoders="pymatching,pymatching-correlated", num_shots=200, seed=3)
            >>> counts = result.disagreements("pymatching", "pymatching-correlated")
            >>> list(counts), 0 <= counts["d=3, r=3"] <= 200
            (['d=3, r=3'], True)
        """
        decoder_a, decoder_b = self._decoder_name(decoder_a), self._decoder_name(decoder_b)
        for name in (decoder_a, decoder_b):
            if name not in self.decoders:
                raise QecsimError(f"decoder={describe(name)} is not in {list(self.decoders)}")
        if decoder_a == decoder_b:
            return {circuit: 0 for circuit in self.circuits}
        result = {}
        for circuit, a, b, count in self.disagreement_counts:
            if {a, b} == {decoder_a, decoder_b}:
                result[circuit] = count
        return result

    def table(self) -> str:
        """A fixed-width text table of the rows (one line per circuit and decoder).

        Returns:
            The table, with a header line.

        Examples:
            >>> import qecsim
            >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(5e-3))
            >>> result = qecsim.benchmark_decoders(
            ...     circuit, decoders="pymatching,pymatching-correlated", num_shots=200, seed=3)
            >>> lines = result.table().splitlines()
            >>> len(lines), lines[1].split()[:4]
            (3, ['d=3,', 'r=3', 'pymatching', '200'])
        """
        header = (
            "circuit",
            "decoder",
            "shots",
            "errors",
            "logical error rate [interval]",
            "per round",
            "us/shot",
            "us/round",
            "setup s",
        )
        lines = [header]
        for row in self.rows:
            lines.append(
                (
                    row.circuit,
                    row.decoder,
                    str(row.num_shots),
                    str(row.num_errors),
                    f"{row.logical_error_rate:.3g} [{row.logical_error_rate_low:.2g}, "
                    f"{row.logical_error_rate_high:.2g}]",
                    f"{row.logical_error_per_round:.3g}",
                    f"{row.seconds_per_shot * 1e6:.4g}",
                    f"{row.seconds_per_round * 1e6:.4g}",
                    f"{row.setup_seconds:.3g}",
                )
            )
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        numeric = {2, 3, 5, 6, 7, 8}
        formatted = []
        for line in lines:
            cells = [
                cell.rjust(width) if i in numeric else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            ]
            formatted.append("  ".join(cells).rstrip())
        return "\n".join(formatted)

    def __str__(self) -> str:
        return self.table()

    def plot(self, ax=None, *, per_round: bool = True, annotate: bool = True):
        """Logical error vs decoding time per round, one series per decoder, with error bars.

        Args:
            ax: A matplotlib Axes; None makes a new figure.
            per_round: Plot the per-round logical error (True) or the per-shot rate (False).
            annotate: Write each circuit's label next to its points.

        Returns:
            The Axes. Rows with no logical error are drawn as a downward triangle at the upper
            end of their interval.

        Examples:
            >>> import matplotlib
            >>> matplotlib.use("Agg")
            >>> import qecsim
            >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(5e-3))
            >>> result = qecsim.benchmark_decoders(
            ...     circuit, decoders="pymatching,pymatching-correlated", num_shots=200, seed=3)
            >>> ax = result.plot()
            >>> ax.get_xlabel(), len(ax.get_legend().get_texts())
            ('decoding time per round (s)', 2)
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 4.4))
        for index, decoder in enumerate(self.decoders):
            color = f"C{index % 10}"
            rows = [row for row in self.rows if row.decoder == decoder]
            x = np.array([row.seconds_per_round for row in rows])
            if per_round:
                best = np.array([row.logical_error_per_round for row in rows])
                low = np.array([row.logical_error_per_round_low for row in rows])
                high = np.array([row.logical_error_per_round_high for row in rows])
            else:
                best = np.array([row.logical_error_rate for row in rows])
                low = np.array([row.logical_error_rate_low for row in rows])
                high = np.array([row.logical_error_rate_high for row in rows])
            seen = best > 0
            ax.errorbar(
                x[seen],
                best[seen],
                yerr=np.vstack([best[seen] - low[seen], high[seen] - best[seen]]),
                fmt="o-",
                color=color,
                capsize=3,
                label=decoder,
            )
            if (~seen).any():
                ax.plot(x[~seen], high[~seen], "v", color=color, label=f"{decoder} (0 errors)")
            if annotate:
                for row, xi, yi in zip(rows, x, np.where(seen, best, high), strict=True):
                    ax.annotate(
                        row.circuit, (xi, yi), textcoords="offset points", xytext=(4, 4),
                        fontsize=7, color=color,
                    )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("decoding time per round (s)")
        ax.set_ylabel("logical error per round" if per_round else "logical error rate per shot")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
        return ax
