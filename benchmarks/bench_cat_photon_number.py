"""The photon-number trade-off of the cat repetition code (issue 15): optimum per distance.

For kappa_1/kappa_2 in ``--ratios`` and every operation lasting 1/kappa_2, samples the
phase-flip part (X memory of ``cat_repetition_code``) over a grid of mean photon numbers, and
computes the bit-flip part (Z memory, distance 1) from the detector error model: the
probability that an odd number of the mechanisms that flip the observable fire. Where bit
flips are frequent enough (n <= 4) it also samples them, as a check of that computation.
Prints, per ratio and distance, the logical error per cycle at each n and the optimum.

Usage: python benchmarks/bench_cat_photon_number.py [--ratios 1e-3] [--max-errors 1000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sinter

import qecsim
from qecsim.analysis import per_round_error_rate

KAPPA_2 = 1e7  # 1/s


def model(n: float, ratio: float) -> qecsim.NoiseModel:
    return qecsim.NoiseModel.cat_qubit(n, kappa_2=KAPPA_2, kappa_ratio=ratio)


def per_round(stat: sinter.TaskStats) -> tuple[float, float, float]:
    fit = sinter.fit_binomial(num_shots=stat.shots, num_hits=stat.errors,
                              max_likelihood_factor=1000)
    r = stat.json_metadata["rounds"]
    return tuple(per_round_error_rate(v, rounds=r) for v in (fit.low, fit.best, fit.high))


def bit_flip_from_dem(noise: qecsim.NoiseModel, d: int) -> float:
    circuit = qecsim.memory_circuit("cat_repetition_code", distance=d, basis="Z", noise=noise)
    dem = circuit.detector_error_model(approximate_disjoint_errors=True)
    flips = [e.args_copy()[0] for e in dem.flattened() if e.type == "error"
             and any(t.is_logical_observable_id() for t in e.targets_copy())]
    return per_round_error_rate((1 - np.prod(1 - 2 * np.array(flips))) / 2, rounds=d)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratios", type=float, nargs="+", default=[1e-3])
    parser.add_argument("--distances", type=int, nargs="+", default=[3, 5, 7])
    parser.add_argument("--photons", type=float, nargs="+",
                        default=[2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20])
    parser.add_argument("--max-errors", type=int, default=1000)
    parser.add_argument("--max-shots", type=int, default=2_000_000)
    args = parser.parse_args()
    start = time.perf_counter()
    for ratio in args.ratios:
        models = [model(n, ratio) for n in args.photons]
        tasks = qecsim.sweep_tasks(distances=args.distances, noise=models,
                                   code="cat_repetition_code", basis="X")
        small = [m for m in models if m.cat.mean_photon_number <= 4]
        tasks += qecsim.sweep_tasks(distances=args.distances, noise=small,
                                    code="cat_repetition_code", basis="Z")
        stats = sinter.collect(num_workers=2, tasks=tasks, decoders=["pymatching"],
                               max_shots=args.max_shots, max_errors=args.max_errors)
        rates = {(s.json_metadata["basis"], s.json_metadata["d"], s.json_metadata["photons"]):
                 per_round(s) for s in stats}
        print(f"kappa_1/kappa_2 = {ratio:g}")
        for d in args.distances:
            totals = {}
            for n in args.photons:
                phase = rates[("X", d, float(n))]
                bits = bit_flip_from_dem(model(n, ratio), d)
                totals[n] = phase[1] + bits
                check = rates.get(("Z", d, float(n)))
                sampled = f"  sampled bits [{check[0]:.2e}, {check[2]:.2e}]" if check else ""
                print(f"  d={d} n={n:>4g}: phase {phase[1]:.2e} [{phase[0]:.2e}, "
                      f"{phase[2]:.2e}]  bits {bits:.2e}{sampled}  per cycle {totals[n]:.2e}")
            best = min(totals, key=totals.get)
            print(f"  d={d}: optimum |alpha|^2 = {best:g}, {totals[best]:.2e} per cycle")
    print(f"wall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
