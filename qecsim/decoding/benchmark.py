"""Benchmark decoders fairly: one sample of detection events per circuit, decoded by every decoder.

:func:`benchmark_decoders` samples each circuit ONCE (stim's detector sampler with a seed) and
hands the same bit-packed arrays to every decoder's ``decode_shots_bit_packed``, so differences
in logical error rate are differences between decoders, not between samples, and the number of
shots on which two decoders disagree is meaningful (a decoder listed twice disagrees with itself
on 0 shots).

Timing: ``setup_seconds`` is the wall time of ``compile_decoder_for_dem`` (the DEM itself is
computed once per circuit and not counted). Shots are decoded in batches; the first batch is a
warm-up whose time is not used, and ``seconds_per_shot`` is the median over the other batches of
batch time / batch size. ``seconds_per_round`` divides that by the circuit's rounds. Timings are
single-threaded wall times on whatever else the machine is doing.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import statistics
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sinter
import stim

from qecsim.analysis import DEFAULT_MAX_LIKELIHOOD_FACTOR, per_round_error_rate
from qecsim.decoding.dem import sinter_style_dem
from qecsim.errors import QecsimError, describe

__all__ = ["DecoderBenchmark", "DecoderBenchmarkRow", "benchmark_decoders", "circuit_rounds"]


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
        """The per-round logical error: ``(1 - (1 - 2P)^(1/rounds)) / 2`` for shot rate P."""
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
    """The result of :func:`benchmark_decoders`.

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


def circuit_rounds(circuit: stim.Circuit) -> int:
    """The rounds of a memory circuit, from its detectors' last (time) coordinate.

    qecsim's and stim's memory circuits put the detectors of round t at time coordinate t and
    the final data-qubit detectors at t = rounds, so rounds = (number of distinct times) - 1.

    Args:
        circuit: A memory circuit with detector coordinates.

    Returns:
        The number of rounds (at least 1).

    Raises:
        QecsimError: Some detector has no coordinates (pass ``rounds=`` explicitly then).

    Examples:
        >>> import qecsim
        >>> circuit_rounds(qecsim.memory_circuit(distance=3, rounds=4))
        4
    """
    coordinates = circuit.get_detector_coordinates()
    if len(coordinates) != circuit.num_detectors or any(not c for c in coordinates.values()):
        raise QecsimError(
            f"circuit has {circuit.num_detectors} detectors but only "
            f"{sum(1 for c in coordinates.values() if c)} with coordinates: pass rounds="
        )
    times = {values[-1] for values in coordinates.values()}
    return max(1, len(times) - 1)


def _normalize_circuits(circuits) -> list[tuple[str | None, stim.Circuit]]:
    if isinstance(circuits, stim.Circuit):
        return [(None, circuits)]
    if isinstance(circuits, Mapping):
        items = [(str(label), circuit) for label, circuit in circuits.items()]
    elif isinstance(circuits, Sequence) and not isinstance(circuits, str):
        items = [(None, circuit) for circuit in circuits]
    else:
        raise QecsimError(
            f"circuits={describe(circuits)} is not a stim.Circuit, a sequence of them or a mapping "
            "label -> stim.Circuit"
        )
    if not items:
        raise QecsimError("circuits is empty: give at least one stim.Circuit")
    for label, circuit in items:
        if not isinstance(circuit, stim.Circuit):
            raise QecsimError(f"circuit {label or ''}={describe(circuit)} is not a stim.Circuit")
    return items


def benchmark_decoders(
    circuits: stim.Circuit | Sequence[stim.Circuit] | Mapping[str, stim.Circuit],
    *,
    decoders: Sequence[str] | str,
    num_shots: int,
    seed: int | None = None,
    rounds: int | Sequence[int] | None = None,
    batch_size: int | None = None,
    max_likelihood_factor: float = DEFAULT_MAX_LIKELIHOOD_FACTOR,
) -> DecoderBenchmark:
    """Decode one shared sample of detection events per circuit with every decoder.

    Args:
        circuits: A noisy circuit, a sequence of them (labelled ``"d=5, r=5"`` from the
            graphlike distance and the rounds), or a mapping label -> circuit.
        decoders: Decoder names from :mod:`qecsim.decoders` (a list, or one comma-separated
            string). A name may repeat: the repeat is compiled and run again, and appears as
            ``"name #2"`` (a check that the syndromes are shared: it disagrees on 0 shots).
        num_shots: Shots sampled per circuit and decoded by every decoder.
        seed: Seed for the stim samplers (circuit i gets a seed derived from it); None picks
            one, recorded in the result.
        rounds: Rounds per circuit (one int for all, or one per circuit); None infers them
            with :func:`circuit_rounds`.
        batch_size: Shots per timed batch; None makes 10 timed batches after a warm-up batch
            of the same size (fewer for tiny ``num_shots``).
        max_likelihood_factor: Width of the logical error interval, passed to
            ``sinter.fit_binomial`` (default
            :data:`qecsim.analysis.DEFAULT_MAX_LIKELIHOOD_FACTOR`, 1000, sinter's plotting
            default).

    Returns:
        A :class:`DecoderBenchmark`.

    Raises:
        QecsimError: Bad argument (checked before any sampling or decoding).
        MissingDependencyError: A decoder's package is not installed.

    Examples:
        >>> import qecsim
        >>> circuit = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(1e-3))
        >>> result = qecsim.benchmark_decoders(
        ...     circuit, decoders=["pymatching", "pymatching"], num_shots=200, seed=1)
        >>> result.decoders, result.circuits
        (('pymatching', 'pymatching #2'), ('d=3, r=3',))
        >>> result.disagreements("pymatching", "pymatching #2")
        {'d=3, r=3': 0}
    """
    from qecsim.decoding import registry

    names, registered_name = _display_names(registry.check_names(decoders))
    num_shots = _check_options(num_shots, batch_size, max_likelihood_factor)
    items = _normalize_circuits(circuits)
    for label, circuit in items:
        if circuit.num_observables < 1:
            raise QecsimError(f"circuit {label or ''} has num_observables=0: nothing to decode")
    rounds_list = _rounds_per_circuit(rounds, items)
    decoder_objects = {name: registry.get(registered_name[name]) for name in names}

    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1, dtype=np.uint32)[0])
    circuit_seeds = np.random.SeedSequence(seed).generate_state(len(items), dtype=np.uint64)
    if batch_size is None:
        batch_size = max(1, math.ceil(num_shots / 11))

    rows: list[DecoderBenchmarkRow] = []
    counts: list[tuple[str, str, str, int]] = []
    for (_, circuit), label, rounds_of_circuit, circuit_seed in zip(
        items, _labels(items, rounds_list), rounds_list, circuit_seeds, strict=True
    ):
        dem = sinter_style_dem(circuit)
        sampler = circuit.compile_detector_sampler(seed=int(circuit_seed))
        detection_events, observable_flips = sampler.sample(
            num_shots, separate_observables=True, bit_packed=True
        )
        detection_events = np.ascontiguousarray(detection_events)
        predictions: dict[str, np.ndarray] = {}
        for name in names:
            predictions[name], seconds = _timed_decode(
                decoder_objects[name], name, dem, detection_events, batch_size
            )
            if predictions[name].shape != observable_flips.shape:
                raise QecsimError(
                    f"decoder {name!r} returned shape {predictions[name].shape}, expected "
                    f"{observable_flips.shape}"
                )
            num_errors = int(
                np.count_nonzero(np.any(predictions[name] != observable_flips, axis=1))
            )
            rows.append(
                _row(label, name, circuit, rounds_of_circuit, num_errors, seconds,
                     max_likelihood_factor=max_likelihood_factor)
            )
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                differ = np.any(predictions[a] != predictions[b], axis=1)
                counts.append((label, a, b, int(np.count_nonzero(differ))))
    return DecoderBenchmark(rows=tuple(rows), disagreement_counts=tuple(counts), seed=int(seed))


def _display_names(requested: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """Display names (a repeat of ``x`` is ``"x #2"``) and display name -> registry name."""
    names: list[str] = []
    for index, name in enumerate(requested):
        repeat = requested[:index].count(name)
        display = name if repeat == 0 else f"{name} #{repeat + 1}"
        while display in names:  # a registered decoder could be called "x #2"
            display += "'"
        names.append(display)
    return names, dict(zip(names, requested, strict=True))


def _check_options(num_shots: Any, batch_size: Any, max_likelihood_factor: Any) -> int:
    """Validate the numeric options of :func:`benchmark_decoders`; return ``num_shots``."""
    if isinstance(num_shots, bool) or not isinstance(num_shots, int | np.integer) or num_shots < 1:
        raise QecsimError(f"num_shots={num_shots!r} is not an integer in [1, inf)")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise QecsimError(f"batch_size={batch_size!r} is not an integer in [1, inf)")
    if (
        isinstance(max_likelihood_factor, bool)
        or not isinstance(max_likelihood_factor, numbers.Real)
        or not max_likelihood_factor >= 1
    ):
        raise QecsimError(f"max_likelihood_factor={max_likelihood_factor!r} is not in [1, inf)")
    return int(num_shots)


def _rounds_per_circuit(rounds: Any, items: list[tuple[str | None, stim.Circuit]]) -> list[int]:
    """``rounds`` of :func:`benchmark_decoders` as one validated int per circuit."""
    if rounds is None:
        return [circuit_rounds(circuit) for _, circuit in items]
    entries = [rounds] * len(items) if isinstance(rounds, int | np.integer) else rounds
    if isinstance(entries, str) or not isinstance(entries, Sequence):
        raise QecsimError(f"rounds={rounds!r} is not an integer, a list of them, or None")
    if len(entries) != len(items):
        raise QecsimError(f"rounds={rounds!r} does not have one entry per circuit ({len(items)})")
    for entry in entries:
        if isinstance(entry, bool) or not isinstance(entry, int | np.integer) or entry < 1:
            where = "" if entries is not rounds else f" has an entry {entry!r} that"
            raise QecsimError(f"rounds={rounds!r}{where} is not an integer in [1, inf)")
    return [int(entry) for entry in entries]


def _labels(items: list[tuple[str | None, stim.Circuit]], rounds_list: list[int]) -> list[str]:
    """The circuits' labels: given, else ``"d=..., r=..."``; repeats get ``" #i"``."""
    labels = []
    for index, (label, circuit) in enumerate(items):
        if label is None:
            distance = len(circuit.shortest_graphlike_error())
            label = f"d={distance}, r={rounds_list[index]}"
        labels.append(label)
    repeated = {label for label in labels if labels.count(label) > 1}
    return [f"{label} #{i}" if label in repeated else label for i, label in enumerate(labels)]


def _timed_decode(
    decoder: Any, name: str, dem: stim.DetectorErrorModel, events: np.ndarray, batch_size: int
) -> tuple[np.ndarray, tuple[float, list[tuple[float, int]]]]:
    """Predictions, and (setup seconds, [(seconds, shots) per batch]) of one decoder."""
    from qecsim.decoding import registry

    start_time = time.perf_counter()
    compiled = registry.compile_for_dem(decoder, dem=dem)
    setup_seconds = time.perf_counter() - start_time
    outputs = []
    batch_seconds = []
    for start in range(0, events.shape[0], batch_size):
        batch = events[start : start + batch_size]
        start_time = time.perf_counter()
        output = compiled.decode_shots_bit_packed(bit_packed_detection_event_data=batch)
        batch_seconds.append((time.perf_counter() - start_time, batch.shape[0]))
        outputs.append(output)
    return np.concatenate(outputs, axis=0), (setup_seconds, batch_seconds)


def _row(
    label: str,
    name: str,
    circuit: stim.Circuit,
    rounds: int,
    num_errors: int,
    seconds: tuple[float, list[tuple[float, int]]],
    *,
    max_likelihood_factor: float,
) -> DecoderBenchmarkRow:
    """The row of one decoder on one circuit, from its error count and timings."""
    setup_seconds, batch_seconds = seconds
    num_shots = sum(shots for _, shots in batch_seconds)
    timed = batch_seconds[1:] or batch_seconds  # the first batch is a warm-up
    seconds_per_shot = statistics.median(seconds / shots for seconds, shots in timed)
    fit = sinter.fit_binomial(
        num_shots=num_shots, num_hits=num_errors, max_likelihood_factor=max_likelihood_factor
    )
    rate = num_errors / num_shots
    return DecoderBenchmarkRow(
        circuit=label,
        decoder=name,
        num_shots=num_shots,
        num_errors=num_errors,
        logical_error_rate=rate,
        logical_error_rate_low=min(float(fit.low), rate),
        logical_error_rate_high=max(float(fit.high), rate),
        rounds=rounds,
        num_detectors=circuit.num_detectors,
        seconds_per_shot=seconds_per_shot,
        seconds_per_round=seconds_per_shot / rounds,
        setup_seconds=setup_seconds,
        decode_seconds=sum(seconds for seconds, _ in batch_seconds),
    )
