"""qecsim.collect against a hand-written stim + pymatching loop on the same circuits.

For each distance (rotated surface code memory, SI1000 noise at p = 1e-3, rounds = d) this
measures, in the same run:

* ``loop``: the hand-written loop a user would write without sinter: compile the sampler,
  build ``pymatching.Matching`` from the (untagged) DEM, then sample bit-packed detection
  events in batches and decode them with ``decode_batch``. Timed end to end, setup included.
* ``collect 1w``: ``qecsim.collect(tasks, num_workers=1, store=None, max_shots=N)``, timed end
  to end (worker start-up under spawn, DEM, decoder compilation, batching, result merging).
* ``collect 2w``: the same with two workers.
* ``sinter 1w``: plain ``sinter.collect`` on the untagged circuit with sinter's built-in
  pymatching, for reference (what qecsim.collect wraps).

Each is run ``--repeats`` times, interleaved, and the fastest run of each counts (the one
least disturbed by other processes). Reported: shots per second of each, the ratios
collect(1 worker) / loop and collect(2 workers) / collect(1 worker), and sinter's in-worker
rate (shots / seconds that sinter records), which leaves out process start-up.

Run: ``.venv/bin/python benchmarks/bench_collect.py`` (about 3 minutes on 2 cores), or
``--quick`` for a smoke run. The machine is shared, so timings are noisy; repeat to judge.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pymatching

import qecsim


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


def timed_raw_sinter(circuit, shots: int) -> float:
    """Wall seconds of plain ``sinter.collect`` (untagged circuit, built-in pymatching)."""
    import sinter

    task = sinter.Task(circuit=circuit.without_tags(), json_metadata={})
    start = time.perf_counter()
    sinter.collect(tasks=[task], decoders=["pymatching"], max_shots=shots, num_workers=1)
    return time.perf_counter() - start


def timed_collect(tasks, shots: int, num_workers: int):
    start = time.perf_counter()
    stats = qecsim.collect(
        tasks, store=None, max_shots=shots, num_workers=num_workers, progress=False
    )
    wall = time.perf_counter() - start
    (stat,) = stats
    assert stat.shots == shots
    return stat, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100x fewer shots (smoke test)")
    parser.add_argument("--json", default=None, help="also write the results here")
    parser.add_argument("--repeats", type=int, default=2, help="interleaved repeats (2)")
    args = parser.parse_args()
    plan = [(5, 1_000_000), (5, 10_000_000), (11, 400_000)]
    if args.quick:
        plan = [(d, shots // 100) for d, shots in plan]
    rows = []
    for distance, shots in plan:
        tasks = qecsim.sweep_tasks(distances=[distance], p=[1e-3], noise="si1000", rounds="d")
        circuit = tasks[0].circuit
        _, overhead = timed_collect(tasks, 1, 1)  # start-up cost: one shot
        # Interleaved repeats; the best of each is the one least disturbed by other load.
        walls: dict[str, list[float]] = {"loop": [], "sinter": [], "collect1": [], "collect2": []}
        one_rates = []
        for _ in range(args.repeats):
            loop_errors, loop_wall = hand_written_loop(circuit, shots)
            walls["loop"].append(loop_wall)
            walls["sinter"].append(timed_raw_sinter(circuit, shots))
            one, one_wall = timed_collect(tasks, shots, 1)
            walls["collect1"].append(one_wall)
            one_rates.append(shots / one.seconds)
            _, two_wall = timed_collect(tasks, shots, 2)
            walls["collect2"].append(two_wall)
        loop_wall, one_wall, two_wall = (min(walls[k]) for k in ("loop", "collect1", "collect2"))
        sinter_wall = min(walls["sinter"])
        row = {
            "distance": distance,
            "shots": shots,
            "loop_shots_per_s": shots / loop_wall,
            "sinter1_shots_per_s": shots / sinter_wall,
            "collect1_shots_per_s": shots / one_wall,
            "collect2_shots_per_s": shots / two_wall,
            "collect1_in_worker_shots_per_s": max(one_rates),
            "collect_startup_s": overhead,
            "ratio_collect1_vs_loop": loop_wall / one_wall,
            "ratio_collect1_vs_sinter1": sinter_wall / one_wall,
            "ratio_in_worker_vs_loop": max(one_rates) / (shots / loop_wall),
            "ratio_collect2_vs_collect1": one_wall / two_wall,
            "repeats": args.repeats,
            "walls": walls,
            "loop_error_rate": loop_errors / shots,
            "collect1_error_rate": one.errors / shots,
        }
        rows.append(row)
        print(
            f"d={distance:2d} shots={shots:>10,d}: loop {row['loop_shots_per_s']:>9,.0f}/s, "
            f"sinter 1w {row['sinter1_shots_per_s']:>9,.0f}/s, "
            f"collect 1w {row['collect1_shots_per_s']:>9,.0f}/s "
            f"(in worker {row['collect1_in_worker_shots_per_s']:>9,.0f}/s, "
            f"start-up {overhead:.2f} s), collect 2w {row['collect2_shots_per_s']:>9,.0f}/s | "
            f"collect1/loop {row['ratio_collect1_vs_loop']:.2f}x, "
            f"collect1/sinter1 {row['ratio_collect1_vs_sinter1']:.2f}x, "
            f"in-worker/loop {row['ratio_in_worker_vs_loop']:.2f}x, "
            f"2w/1w {row['ratio_collect2_vs_collect1']:.2f}x "
            f"(error rates: loop {row['loop_error_rate']:.2e}, collect "
            f"{row['collect1_error_rate']:.2e})",
            flush=True,
        )
    if args.json:
        with open(args.json, "w") as file:
            json.dump(rows, file, indent=2)


if __name__ == "__main__":
    main()
