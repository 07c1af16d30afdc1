"""Error budget: CPU time for +-10% precision, likelihood ratio vs finite differences vs ablation.

For SI1000 at p = 1e-3, d = 3 and 5, each method runs a pilot with ``--pilot-errors`` logical
errors per sample set. For every component with share > 5% (from the likelihood-ratio run),
the relative half-width of its 95% interval (elasticity, or the ablation difference) shrinks
as 1/sqrt(shots), so the CPU time to reach +-10% is ``cpu x (half_width / 0.10)^2`` for the
worst such component. Also measured in the same run: raw stim + pymatching (circuit sampler,
``decode_batch``) on the nominal circuits for the likelihood-ratio run's shot counts, so the
likelihood-ratio overhead is a ratio against plain sampling and decoding.

Run: ``.venv/bin/python benchmarks/bench_budget.py`` (one process per run; ~5 minutes).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pymatching

import qecsim

Z95 = 1.959964
FACTOR_95 = math.exp(Z95**2 / 2)  # sinter-style likelihood factor equivalent to 95%


def raw_stim_pymatching_cpu(noise, distance, shots):
    start = time.process_time()
    circuit = qecsim.memory_circuit(distance=distance, noise=noise)
    dem = circuit.detector_error_model(decompose_errors=True).without_tags()
    matcher = pymatching.Matching.from_detector_error_model(dem)
    sampler = circuit.compile_detector_sampler(seed=1)
    done = 0
    while done < shots:
        batch = min(100_000, shots - done)
        detectors, observables = sampler.sample(batch, separate_observables=True, bit_packed=True)
        predictions = matcher.decode_batch(detectors, bit_packed_shots=True,
                                           bit_packed_predictions=True)
        np.any(predictions != observables, axis=1).sum()
        done += batch
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilot-errors", type=int, default=1000)
    args = parser.parse_args()
    noise = qecsim.NoiseModel.si1000(1e-3)
    distances = (3, 5)
    results = {}
    for method in qecsim.BUDGET_METHODS:
        results[method] = qecsim.error_budget(
            noise, distances=distances, method=method, max_errors=args.pilot_errors, seed=3,
            num_workers=1, progress=False, max_likelihood_factor=FACTOR_95,
        )
    lr = results["likelihood_ratio"]
    major = [c.component for c in lr.components if min(c.share[d] for d in distances) > 0.05]
    print(f"components with share > 5% at d = 3 and 5: {', '.join(major)}")
    print(f"{'method':<18} {'pilot CPU s':>11} {'worst rel. half-width':>22} "
          f"{'CPU s for +-10%':>16} {'ratio to LR':>11}")
    needed = {}
    for method, budget in results.items():
        worst = 0.0
        for name in major:
            c = budget.component(name)
            for d in distances:
                value = c.contribution[d] if c.elasticity is None else c.elasticity[d]
                worst = max(worst, (value.high - value.low) / 2 / abs(value.best))
        needed[method] = budget.cpu_seconds * (worst / 0.10) ** 2
        print(f"{method:<18} {budget.cpu_seconds:>11.1f} {worst:>22.3f} {needed[method]:>16.1f} "
              f"{needed[method] / needed['likelihood_ratio']:>11.1f}")
    raw = sum(raw_stim_pymatching_cpu(noise, d, lr.num_shots[d]) for d in distances)
    print(f"raw stim+pymatching on the likelihood-ratio run's {sum(lr.num_shots.values())} shots:"
          f" {raw:.1f} CPU s; likelihood ratio / raw = {lr.cpu_seconds / raw:.2f}")


if __name__ == "__main__":
    main()
