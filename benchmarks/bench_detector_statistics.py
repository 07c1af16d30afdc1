"""detector_statistics on Google's d = 5, 25-round experiment against plain numpy.

Times ``qecsim.detector_statistics`` (detection fractions with sigmas, the p_ij matrix with
delta-method sigmas, means by round and by stabilizer) against two hand-written computations
of the same quantities on the same detection events:

- "numpy": float64 events, ``x.T @ x`` for every <x_i x_j>, the p_ij formula and its sigma
  on whole matrices, round and stabilizer means with boolean masks;
- "pair loop": p_ij and its sigma one pair at a time (the obvious loop), timed on a sample of
  pairs and scaled to all pairs.

The repetitions are interleaved (qecsim, numpy, qecsim, ...), so the ratios compare runs
under the same load; the medians are reported. The script checks that qecsim's p_ij equal
the numpy ones.

Run: ``python benchmarks/bench_detector_statistics.py`` (the shipped 10,000 shots), or
``--root /path/to/google_sycamore_2022`` for Google's full 50,000 shots.
"""

from __future__ import annotations

import argparse
import math
import statistics as stats
import time

import numpy as np

import qecsim
from qecsim.experiment import google_data_path


def plain_numpy(events: np.ndarray, coordinates: np.ndarray):
    x = events.astype(np.float64)
    shots = x.shape[0]
    a = x.mean(axis=0)
    fraction_sigma = np.sqrt(a * (1 - a) / shots)
    c = x.T @ x / shots
    ai, aj = a[:, None], a[None, :]
    numerator = c - ai * aj
    denominator = 1 - 2 * ai - 2 * aj + 4 * c
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(1 - 4 * numerator / denominator)
        pij = 0.5 - 0.5 * root
        scale = 1 / (root * denominator**2)
        ga = (2 * numerator - aj * denominator) * scale
        gb = (2 * numerator - ai * denominator) * scale
        gc = (denominator - 4 * numerator) * scale
        variance = (ga**2 * ai * (1 - ai) + gb**2 * aj * (1 - aj) + gc**2 * c * (1 - c)
                    + 2 * ga * gb * numerator + 2 * ga * gc * c * (1 - ai)
                    + 2 * gb * gc * c * (1 - aj))
        pij_sigma = np.sqrt(np.maximum(variance, 0) / shots)
    np.fill_diagonal(pij, np.nan)
    by_round = {}
    for value in np.unique(coordinates[:, -1]):
        per_shot = x[:, coordinates[:, -1] == value].mean(axis=1)
        by_round[value] = (per_shot.mean(), per_shot.std() / math.sqrt(shots))
    by_stabilizer = {}
    for key in {tuple(row) for row in coordinates[:, :2]}:
        mask = (coordinates[:, 0] == key[0]) & (coordinates[:, 1] == key[1])
        per_shot = x[:, mask].mean(axis=1)
        by_stabilizer[key] = (per_shot.mean(), per_shot.std() / math.sqrt(shots))
    return a, fraction_sigma, pij, pij_sigma, by_round, by_stabilizer


def pair_loop_seconds(events: np.ndarray, sample: int) -> float:
    """Seconds for all pairs, one at a time, scaled from ``sample`` pairs."""
    n = events.shape[1]
    rng = np.random.default_rng(1)
    pairs = rng.choice(n, size=(sample, 2))
    start = time.perf_counter()
    for i, j in pairs:
        xi, xj = events[:, i], events[:, j]
        a, b, c = xi.mean(), xj.mean(), (xi & xj).mean()
        denominator = 1 - 2 * a - 2 * b + 4 * c
        argument = 1 - 4 * (c - a * b) / denominator
        0.5 - 0.5 * math.sqrt(max(argument, 0.0))
    elapsed = time.perf_counter() - start
    return elapsed * (n * (n - 1) / 2) / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=None, help="Google's full data (default: shipped)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    experiment = qecsim.Experiment.load(google_data_path(5, 25, root=args.root))
    coordinates = np.array([experiment.circuit.get_detector_coordinates()[i]
                            for i in range(experiment.num_detectors)])
    print(f"{experiment.name}: {experiment.num_shots} shots x {experiment.num_detectors} "
          "detectors")
    ours, plain = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        result = qecsim.detector_statistics(experiment)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        reference = plain_numpy(experiment.detection_events, coordinates)
        plain.append(time.perf_counter() - start)
    difference = np.nanmax(np.abs(result.pij - reference[2]))
    assert difference < 1e-9, difference
    loop = pair_loop_seconds(experiment.detection_events, sample=2000)
    qecsim_s, numpy_s = stats.median(ours), stats.median(plain)
    print("| computation | median s | vs qecsim |")
    print("|---|---|---|")
    print(f"| qecsim.detector_statistics | {qecsim_s:.2f} | 1.00x |")
    print(f"| plain numpy (float64 x.T @ x) | {numpy_s:.2f} | {numpy_s / qecsim_s:.2f}x |")
    print(f"| pair loop (scaled from 2000 pairs) | {loop:.0f} | {loop / qecsim_s:.0f}x |")
    print(f"ratios per repetition (numpy / qecsim): "
          f"{', '.join(f'{p / o:.2f}' for o, p in zip(ours, plain, strict=True))}")
    print(f"max |p_ij(qecsim) - p_ij(numpy)| = {difference:.1e}")


if __name__ == "__main__":
    main()
