"""Decoder speed and qecsim's timing overhead (issue 4). A script, not a test.

Part 1: decoding time per round of every available decoder on SI1000 p=1e-3 memory circuits at
d = 3, 5, 7 (rounds = d), from ``qecsim.benchmark_decoders`` (one shared sample per circuit).
The matching decoders get many shots; the slow ones (BP+OSD/LSD, tesseract, belief matching,
fusion blossom) fewer, so the script stays within a few minutes on 2 cores.

Part 2: qecsim's overhead against raw stim + pymatching on the SAME arrays: the detection
events benchmark_decoders samples are regenerated here with the same seed derivation (checked:
the raw decoder's error count equals qecsim's), decoded in the same batches by
``pymatching.Matching.decode_batch`` directly, and the median time per shot compared with
qecsim's reported ``seconds_per_shot``. Each comparison is repeated and interleaved; the ratio
of medians is reported. Also the end-to-end wall time of one benchmark_decoders call (sampling,
DEM, compile, decode, bookkeeping) against the same steps done by hand.

Run: .venv/bin/python benchmarks/bench_decoders.py [--quick]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
import pymatching

import qecsim
from qecsim import decoders

FAST = ("pymatching", "pymatching-correlated")


def _circuits(distances, p):
    noise = qecsim.NoiseModel.si1000(p)
    return {f"d={d}, r={d}": qecsim.memory_circuit(distance=d, noise=noise) for d in distances}


def part1(distances, p, fast_shots, slow_shots, seed):
    circuits = _circuits(distances, p)
    names = decoders.available()
    fast = [name for name in names if name in FAST]
    slow = [name for name in names if name not in FAST]
    results = [qecsim.benchmark_decoders(circuits, decoders=fast, num_shots=fast_shots, seed=seed)]
    if slow:
        results.append(
            qecsim.benchmark_decoders(
                circuits, decoders=["pymatching", *slow], num_shots=slow_shots, seed=seed
            )
        )
    for result in results:
        print(result.table())
        print()
    print("| decoder | " + " | ".join(f"d={d} us/round" for d in distances) + " | shots |")
    print("|---|" + "---|" * (len(distances) + 1))
    for result in results:
        for name in result.decoders:
            if name == "pymatching" and result is not results[0]:
                continue
            cells = [
                f"{result.row(label, name).seconds_per_round * 1e6:.4g}" for label in circuits
            ]
            shots = result.rows[0].num_shots
            print(f"| {name} | " + " | ".join(cells) + f" | {shots} |")
    print()
    return results


def _regenerate(circuit, seed, num_shots):
    """The exact arrays benchmark_decoders samples for its only circuit with this seed."""
    circuit_seed = np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]
    sampler = circuit.compile_detector_sampler(seed=int(circuit_seed))
    dets, obs = sampler.sample(num_shots, separate_observables=True, bit_packed=True)
    return np.ascontiguousarray(dets), obs


def _raw_seconds_per_shot(matcher, dets, batch_size):
    starts = list(range(0, dets.shape[0], batch_size))
    times = []
    outputs = []
    for start in starts:
        batch = dets[start : start + batch_size]
        t0 = time.perf_counter()
        outputs.append(
            matcher.decode_batch(batch, bit_packed_shots=True, bit_packed_predictions=True)
        )
        times.append((time.perf_counter() - t0) / batch.shape[0])
    timed = times[1:] or times
    return statistics.median(timed), np.concatenate(outputs)


def part2(distances, p, shots, repeats, seed):
    print("| circuit | qecsim us/shot | raw pymatching us/shot | decode overhead | "
          "end-to-end qecsim s | end-to-end raw s | end-to-end overhead |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for label, circuit in _circuits(distances, p).items():
        batch_size = max(1, math.ceil(shots / 11))
        qecsim_times, raw_times, qecsim_walls, raw_walls = [], [], [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            result = qecsim.benchmark_decoders(
                {label: circuit}, decoders=["pymatching"], num_shots=shots, seed=seed
            )
            qecsim_walls.append(time.perf_counter() - t0)
            qecsim_times.append(result.rows[0].seconds_per_shot)

            t0 = time.perf_counter()
            raw_dem = circuit.detector_error_model(
                decompose_errors=True, approximate_disjoint_errors=True
            )
            dets, obs = _regenerate(circuit, seed, shots)
            matcher = pymatching.Matching.from_detector_error_model(raw_dem)
            raw_per_shot, predictions = _raw_seconds_per_shot(matcher, dets, batch_size)
            errors = int(np.count_nonzero(np.any(predictions != obs, axis=1)))
            raw_walls.append(time.perf_counter() - t0)
            raw_times.append(raw_per_shot)
            if errors != result.rows[0].num_errors:
                raise AssertionError(f"{label}: raw {errors} != qecsim {result.rows[0].num_errors}")
        q, r = statistics.median(qecsim_times), statistics.median(raw_times)
        qw, rw = statistics.median(qecsim_walls), statistics.median(raw_walls)
        rows.append((label, q, r, qw, rw))
        print(f"| {label} | {q * 1e6:.4g} | {r * 1e6:.4g} | {100 * (q / r - 1):+.1f}% | "
              f"{qw:.3g} | {rw:.3g} | {100 * (qw / rw - 1):+.1f}% |")
    print()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shot counts (smoke run)")
    parser.add_argument("--p", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    distances = (3, 5, 7)
    if args.quick:
        fast_shots, slow_shots, overhead_shots, repeats = 5_000, 200, 5_000, 3
    else:
        fast_shots, slow_shots, overhead_shots, repeats = 200_000, 2_000, 200_000, 7
    print(f"qecsim {qecsim.__version__}, pymatching {pymatching.__version__}, "
          f"SI1000 p={args.p}, seed {args.seed}, decoders here: {decoders.available()}\n")
    t0 = time.perf_counter()
    part1(distances, args.p, fast_shots, slow_shots, args.seed)
    part2(distances, args.p, overhead_shots, repeats, args.seed)
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
