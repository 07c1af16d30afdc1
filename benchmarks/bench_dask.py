"""The dask backend against the local backend on the same tasks (issue 7). Not a test.

Tasks: rotated surface code memory, SI1000 p = 1e-3, rounds = d, at d = 5 and d = 11, each with
a fixed shot count (``max_shots`` only, so every backend samples exactly the same number of
shots and wall times compare directly). Per repetition, interleaved:

* ``raw``: a hand-written stim + pymatching loop in this process (one core), batches of 16384
  shots, DEM and matching graph built once; its 2-core figure is half its time (perfect scaling).
* ``local``: ``qecsim.collect(backend="local", num_workers=2)`` (the local pool of warm worker
  processes; sinter's worker processes before issue 11, which started on every call).
* ``dask (cold)``: ``qecsim.collect(backend="dask")`` with ``scheduler=None`` right after
  ``qecsim.distributed.close_embedded_cluster()``: the call starts the embedded LocalCluster of
  2 single-threaded worker processes (the first call of a process, e.g. the CLI).
* ``dask (warm)``: the same call again: the embedded cluster is reused (later calls in a
  notebook or script, or a running cluster given as ``scheduler=``).

Every collection writes a fresh store. The table gives median wall seconds and throughput
ratios (time of the reference / time of the backend, so > 1 means faster than the reference)
paired per repetition: runs of one repetition are adjacent in time, so on a shared machine
they see similar load from other processes; the median and the range over repetitions are
shown. Timings on a shared 2-core machine are noisy.

Run: .venv/bin/python benchmarks/bench_dask.py [--quick] [--repeats N] [--scale K]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pymatching

import qecsim

P = 1e-3
BATCH = 16384


def _tasks(distance: int):
    return qecsim.sweep_tasks(distances=distance, p=P, noise="si1000", decoders="pymatching")


def _raw(distance: int, shots: int) -> tuple[float, int]:
    """Seconds and errors of a hand-written stim + pymatching loop (one core)."""
    start = time.perf_counter()
    circuit = qecsim.memory_circuit(distance=distance, noise=qecsim.NoiseModel.si1000(P))
    dem = circuit.detector_error_model(decompose_errors=True)
    matching = pymatching.Matching.from_detector_error_model(dem)
    sampler = circuit.compile_detector_sampler()
    errors = 0
    left = shots
    while left > 0:
        n = min(left, BATCH)
        detections, observables = sampler.sample(n, separate_observables=True, bit_packed=True)
        predictions = matching.decode_batch(
            detections, bit_packed_shots=True, bit_packed_predictions=True
        )
        errors += int(np.count_nonzero(np.any(predictions != observables, axis=1)))
        left -= n
    return time.perf_counter() - start, errors


def _collect(distance: int, shots: int, store: Path, **options) -> tuple[float, int]:
    start = time.perf_counter()
    (stat,) = qecsim.collect(_tasks(distance), store=store, max_shots=shots, progress=False,
                             **options)
    seconds = time.perf_counter() - start
    assert stat.shots == shots, (stat.shots, shots)
    return seconds, stat.errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer shots, 1 repetition")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved repeats (5)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply the shots (longer runs amortise the cluster start-up)")
    args = parser.parse_args()
    from qecsim.distributed import close_embedded_cluster

    shots = {d: int(n * args.scale) for d, n in {5: 4_000_000, 11: 400_000}.items()}
    repeats = args.repeats
    if args.quick:
        shots = {d: n // 10 for d, n in shots.items()}
        repeats = 1
    times: dict[tuple[str, int], list[float]] = {}
    errors: dict[tuple[str, int], list[int]] = {}
    runners = {
        "raw (1 core)": lambda d, n, store: _raw(d, n),
        "local": lambda d, n, store: _collect(d, n, store, num_workers=2),
        "dask (cold)": lambda d, n, store: _collect(d, n, store, backend="dask"),
        "dask (warm)": lambda d, n, store: _collect(d, n, store, backend="dask"),
    }
    counter = itertools.count()
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(repeats):
            for distance, n in shots.items():
                for name, run in runners.items():
                    if name == "dask (cold)":
                        close_embedded_cluster()
                    store = Path(tmp) / f"{next(counter)}.csv"  # fresh: nothing to resume
                    seconds, count = run(distance, n, store)
                    times.setdefault((name, distance), []).append(seconds)
                    errors.setdefault((name, distance), []).append(count)
                    print(f"repeat {repeat} d={distance} {name}: {seconds:.2f} s, "
                          f"{count} errors in {n} shots", flush=True)
    close_embedded_cluster()

    print()
    print(f"SI1000 p={P}, rounds = d, pymatching; {repeats} interleaved repetitions, 2 cores")
    print()
    print("| d | shots | backend | median wall s | shots/s | vs local: median (range) | "
          "vs raw on 2 cores: median (range) |")
    print("|---|---|---|---|---|---|---|")
    for distance, n in shots.items():
        local = times[("local", distance)]
        raw_two_cores = [seconds / 2 for seconds in times[("raw (1 core)", distance)]]
        for name in runners:
            own = times[(name, distance)]
            seconds = statistics.median(own)
            print(
                f"| {distance} | {n:,} | {name} | {seconds:.2f} | {n / seconds:,.0f} | "
                f"{_paired(local, own)} | {_paired(raw_two_cores, own)} |"
            )


def _paired(reference: list[float], other: list[float]) -> str:
    """Throughput ratios of runs of the same repetition (adjacent in time, so under similar
    load from other processes): median and range."""
    ratios = [r / o for r, o in zip(reference, other, strict=True)]
    return f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


if __name__ == "__main__":
    main()
