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

import math
import numbers
import statistics
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sinter
import stim

from qecsim.analysis import DEFAULT_MAX_LIKELIHOOD_FACTOR
from qecsim.decoding.benchmark_result import DecoderBenchmark, DecoderBenchmarkRow
from qecsim.decoding.dem import sinter_style_dem
from qecsim.errors import QecsimError, describe

__all__ = ["DecoderBenchmark", "DecoderBenchmarkRow", "benchmark_decoders", "circuit_rounds"]


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
        circuit_rows, circuit_counts = _benchmark_circuit(
            circuit,
            label=label,
            rounds=rounds_of_circuit,
            seed=int(circuit_seed),
            decoders=decoder_objects,
            num_shots=num_shots,
            batch_size=batch_size,
            max_likelihood_factor=max_likelihood_factor,
        )
        rows += circuit_rows
        counts += circuit_counts
    return DecoderBenchmark(rows=tuple(rows), disagreement_counts=tuple(counts), seed=int(seed))


def _benchmark_circuit(
    circuit: stim.Circuit,
    *,
    label: str,
    rounds: int,
    seed: int,
    decoders: dict[str, Any],
    num_shots: int,
    batch_size: int,
    max_likelihood_factor: float,
) -> tuple[list[DecoderBenchmarkRow], list[tuple[str, str, str, int]]]:
    """One circuit: sample once, decode with every decoder (display name -> decoder), and
    count the shots on which each pair of decoders disagrees."""
    dem = sinter_style_dem(circuit)
    sampler = circuit.compile_detector_sampler(seed=seed)
    detection_events, observable_flips = sampler.sample(
        num_shots, separate_observables=True, bit_packed=True
    )
    detection_events = np.ascontiguousarray(detection_events)
    names = list(decoders)
    predictions: dict[str, np.ndarray] = {}
    rows = []
    for name in names:
        predictions[name], seconds = _timed_decode(
            decoders[name], name, dem, detection_events, batch_size
        )
        if predictions[name].shape != observable_flips.shape:
            raise QecsimError(
                f"decoder {name!r} returned shape {predictions[name].shape}, expected "
                f"{observable_flips.shape}"
            )
        num_errors = int(np.count_nonzero(np.any(predictions[name] != observable_flips, axis=1)))
        rows.append(
            _row(label, name, circuit, rounds, num_errors, seconds,
                 max_likelihood_factor=max_likelihood_factor)
        )  # fmt: skip
    counts = [
        (label, a, b, int(np.count_nonzero(np.any(predictions[a] != predictions[b], axis=1))))
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    ]
    return rows, counts


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
