"""qecsim.collect against a hand-written stim + pymatching loop on the same circuits, same run.

For each distance (rotated surface code memory, ``--noise`` at p = ``--p``, rounds = d) this
measures, interleaved in every repetition:

* ``raw 1``: the hand-written loop a user would write without sinter, in this process:
  the untagged DEM, ``pymatching.Matching`` from it, a compiled detector sampler, then
  bit-packed batches of 20,000 shots through ``decode_batch``; timed end to end, setup
  included. Its shot count is chosen so that it takes about ``--seconds`` (calibrated first).
* ``collect 1``: ``qecsim.collect(tasks, num_workers=1, store=None, max_shots=N)`` for the same
  N shots, timed end to end, on the warm worker pool (what every call after the first pays).
* ``raw 2``: the raw loop on two cores: two processes (started once, before the timing) each
  run it on N shots at the same time; timed from the start signal until both are done.
* ``collect 2``: ``qecsim.collect(..., num_workers=2, max_shots=2N)``.
* with ``--sinter``: plain ``sinter.collect`` on 1 worker for N shots (what collect used to wrap).

Reported per distance: the ratios collect 1 / raw 1 and collect 2 / raw 2 (throughput, > 1 is
faster than the raw loop), median and range over the repetitions (each ratio pairs runs of
the same repetition, adjacent in time). Also the latency of a warm call: seconds from calling
``qecsim.collect`` to its first finished batch, for a point the workers already know ("same")
and for a new one (new DEM, decoder compiled on the worker: "new"), the wall time of the
very first call of the process (starting the workers: "cold start"), and once per distance
a 1-worker run of N shots that starts its worker inside the timed call ("cold collect 1",
against the raw loop run right after it).

Run: ``.venv/bin/python benchmarks/bench_collect.py`` (about 15 minutes on 2 cores), or
``--quick`` for a smoke run. Timings on a shared machine are noisy: trust the paired ratios.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import time

import numpy as np
import pymatching

import qecsim
from qecsim.sampling.pool import close_local_workers


def hand_written_loop(circuit, shots: int, batch_size: int = 20_000) -> tuple[int, float]:
    """(errors, wall seconds) of a plain stim + pymatching loop, setup included."""
    start = time.perf_counter()
    untagged = circuit.without_tags()
    dem = untagged.detector_error_model(decompose_errors=True)
    matcher = pymatching.Matching.from_detector_error_model(dem)
    sampler = untagged.compile_detector_sampler()
    errors = 0
    remaining = shots
    while remaining > 0:
        batch = min(batch_size, remaining)
        detections, observables = sampler.sample(
            batch, separate_observables=True, bit_packed=True
        )
        predictions = matcher.decode_batch(
            detections, bit_packed_shots=True, bit_packed_predictions=True
        )
        errors += int(np.count_nonzero(np.any(predictions != observables, axis=1)))
        remaining -= batch
    return errors, time.perf_counter() - start


def _raw_worker(circuit_text: str, shots: int) -> tuple[int, float]:
    import stim

    return hand_written_loop(stim.Circuit(circuit_text), shots)


def timed_raw_on_two_cores(pool, circuit, shots_each: int) -> float:
    """Wall seconds for two processes (already running) to each run the raw loop."""
    text = str(circuit)
    start = time.perf_counter()
    results = [pool.apply_async(_raw_worker, (text, shots_each)) for _ in range(2)]
    for result in results:
        result.get()
    return time.perf_counter() - start


def timed_sinter(circuit, shots: int) -> float:
    """Wall seconds of plain ``sinter.collect`` (untagged circuit, built-in pymatching)."""
    import sinter

    task = sinter.Task(circuit=circuit.without_tags(), json_metadata={})
    start = time.perf_counter()
    sinter.collect(tasks=[task], decoders=["pymatching"], max_shots=shots, num_workers=1)
    return time.perf_counter() - start


def timed_collect(tasks, shots: int, num_workers: int) -> tuple[float, float]:
    """(wall seconds, seconds until the first finished batch) of one qecsim.collect."""
    first: list[float] = []
    start = time.perf_counter()
    stats = qecsim.collect(
        tasks, store=None, max_shots=shots, num_workers=num_workers, progress=False,
        progress_callback=lambda _: first or first.append(time.perf_counter()),
    )
    wall = time.perf_counter() - start
    (stat,) = stats
    assert stat.shots == shots, (stat.shots, shots)
    return wall, first[0] - start


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "low": min(values), "high": max(values)}


def ratios(reference: list[float], measured: list[float]) -> dict[str, float]:
    """Throughput ratios (reference wall / measured wall), paired per repetition."""
    return summary([r / m for r, m in zip(reference, measured, strict=True)])


def measure(args, distance: int, pool) -> dict:
    tasks = qecsim.sweep_tasks(distances=[distance], p=[args.p], noise=args.noise, rounds="d")
    circuit = tasks[0].circuit
    # calibrate the raw loop: N shots take about --seconds
    probe = 20_000
    while True:
        _, wall = hand_written_loop(circuit, probe)
        if wall > 0.5:
            break
        probe *= 4
    shots = max(20_000, int(probe / wall * args.seconds))
    timed_collect(tasks, 1, 2)  # both workers up and this point compiled on them
    other = qecsim.sweep_tasks(distances=[distance], p=[args.p * 1.1], noise=args.noise,
                               rounds="d")
    latency_new = timed_collect(other, 1, 1)[1]
    latency_same = timed_collect(tasks, 1, 1)[1]
    walls: dict[str, list[float]] = {"raw1": [], "collect1": [], "raw2": [], "collect2": []}
    if args.sinter:
        walls["sinter1"] = []
    for _ in range(args.repeats):
        walls["raw1"].append(hand_written_loop(circuit, shots)[1])
        walls["collect1"].append(timed_collect(tasks, shots, 1)[0])
        walls["raw2"].append(timed_raw_on_two_cores(pool, circuit, shots))
        walls["collect2"].append(timed_collect(tasks, 2 * shots, 2)[0])
        if args.sinter:
            walls["sinter1"].append(timed_sinter(circuit, shots))
    # The first call of a process starts the workers inside the timed call: once, not paired.
    close_local_workers()
    cold_wall = timed_collect(tasks, shots, 1)[0]
    raw_next = hand_written_loop(circuit, shots)[1]
    row = {
        "distance": distance,
        "ratio_cold_collect1_vs_raw1": raw_next / cold_wall,
        "shots_1_worker": shots,
        "shots_2_workers": 2 * shots,
        "walls": walls,
        "ratio_collect1_vs_raw1": ratios(walls["raw1"], walls["collect1"]),
        "ratio_collect2_vs_raw2": ratios(walls["raw2"], walls["collect2"]),
        "latency_warm_same_point_s": latency_same,
        "latency_warm_new_point_s": latency_new,
        "raw1_wall": summary(walls["raw1"]),
        "collect1_wall": summary(walls["collect1"]),
        "raw2_wall": summary(walls["raw2"]),
        "collect2_wall": summary(walls["collect2"]),
    }
    if args.sinter:
        row["ratio_sinter1_vs_raw1"] = ratios(walls["raw1"], walls["sinter1"])
    return row


def _fmt(entry: dict[str, float]) -> str:
    return f"{entry['median']:.2f}x ({entry['low']:.2f}-{entry['high']:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="0.5 s runs, 1 repeat (smoke test)")
    parser.add_argument("--json", default=None, help="also write the results here")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved repeats (5)")
    parser.add_argument("--seconds", type=float, default=6.0,
                        help="length of each raw-loop run, seconds (6)")
    parser.add_argument("--distances", default="3,5,11", help="code distances (3,5,11)")
    parser.add_argument("--noise", default="uniform_depolarizing",
                        help="noise preset (uniform_depolarizing)")
    parser.add_argument("--p", type=float, default=1e-3, help="its parameter (1e-3)")
    parser.add_argument("--sinter", action="store_true",
                        help="also time plain sinter.collect on 1 worker")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.repeats = 0.5, 1
    start = time.perf_counter()
    qecsim.collect(qecsim.sweep_tasks(distances=[3], p=[args.p], noise=args.noise),
                   store=None, max_shots=1, num_workers=2, progress=False)
    cold = time.perf_counter() - start
    print(f"cold start (first collect of the process, 2 workers, 1 shot): {cold:.2f} s; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.map(int, [0, 0])  # both raw-loop processes up before any timing
        for distance in [int(d) for d in args.distances.split(",")]:
            row = measure(args, distance, pool)
            row["load_average_after"] = os.getloadavg()[0]
            rows.append(row)
            line = (
                f"d={distance:2d}: N={row['shots_1_worker']:,} (raw 1 median "
                f"{row['raw1_wall']['median']:.1f} s), collect1/raw1 "
                f"{_fmt(row['ratio_collect1_vs_raw1'])}, collect2/raw2 "
                f"{_fmt(row['ratio_collect2_vs_raw2'])}, warm latency same "
                f"{row['latency_warm_same_point_s']:.3f} s new "
                f"{row['latency_warm_new_point_s']:.3f} s"
            )
            line += f", cold collect1/raw1 {row['ratio_cold_collect1_vs_raw1']:.2f}x"
            if args.sinter:
                line += f", sinter1/raw1 {_fmt(row['ratio_sinter1_vs_raw1'])}"
            print(line + f"; load {row['load_average_after']:.1f}", flush=True)
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"cold_start_s": cold, "rows": rows}, file, indent=2)


if __name__ == "__main__":
    main()
