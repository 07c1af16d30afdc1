"""qecsim's SI1000 side by side with an independent implementation (surface-sim).

surface-sim (M. Serra-Peralta et al., PyPI ``surface-sim``, not a qecsim dependency:
``pip install surface-sim``) has its own SI1000 noise model and its own CZ surface-code
circuits. Three comparisons, rotated surface code memory in the Z basis, rounds = d:

1. Channel by channel: qecsim's ``NoiseModel.si1000(p)`` applied to surface-sim's *noiseless*
   circuit against surface-sim's SI1000 circuit; every tick must carry the same channels
   (gate, probability, qubits), and the two detector error models must be equal.
2. Logical error per round of those two circuits (the same schedule, two noise
   implementations): equal within binomial intervals.
3. Logical error per round of qecsim's own CZ circuit (``memory_circuit``, ancillas measured
   and reset with ``MR`` in one tick, Hadamards merged into 5 layers) against surface-sim's
   CZ circuit (reset and measurement in separate ticks, 4 Hadamard layers): different
   schedules, so a different (reported, not tested) logical error rate; and qecsim's circuit
   with each ``MR`` split into ``M``, ``TICK``, ``R`` (surface-sim's timing of the readout).

Decoding: pymatching on each circuit's own DEM, shots until ``--max-errors`` logical errors
or ``--max-shots``. Run: ``python benchmarks/bench_si1000_side_by_side.py``.
"""

from __future__ import annotations

import argparse
import collections
import time

import numpy as np
import pymatching
import sinter
import stim

import qecsim


def surface_sim_circuit(distance: int, p: float | None) -> stim.Circuit:
    from surface_sim import Detectors
    from surface_sim.experiments.rot_surface_code_css import memory_experiment
    from surface_sim.layouts import rot_surface_code
    from surface_sim.models import NoiselessModel, SI1000NoiseModel

    layout = rot_surface_code(distance=distance)
    if p is None:
        model = NoiselessModel.from_layouts(layout)
    else:
        model = SI1000NoiseModel.from_layouts(layout)
        model.setup.set_var_param("prob", p)
    detectors = Detectors.from_layouts(layout)
    return memory_experiment(
        model, layout, detectors, num_rounds=distance,
        data_init={q: 0 for q in layout.data_qubits}, rot_basis=False, anc_reset=True,
    )


def split_measure_reset(circuit: stim.Circuit) -> stim.Circuit:
    """The circuit with each ``MR`` split into ``M``, ``TICK``, ``R`` (surface-sim's timing)."""
    lines = []
    for line in str(circuit).splitlines():
        if line.strip().startswith("MR "):
            indent = line[: len(line) - len(line.lstrip())]
            targets = line.strip()[3:]
            lines += [f"{indent}M {targets}", f"{indent}TICK", f"{indent}R {targets}"]
        else:
            lines.append(line)
    return stim.Circuit("\n".join(lines))


def channels_by_tick(circuit: stim.Circuit) -> list[collections.Counter]:
    ticks = [collections.Counter()]
    for instruction in circuit.flattened():
        if instruction.name == "TICK":
            ticks.append(collections.Counter())
            continue
        data = stim.gate_data(instruction.name)
        if not data.is_noisy_gate or data.produces_measurements:
            continue
        width = 2 if data.is_two_qubit_gate else 1
        args = tuple(round(a, 12) for a in instruction.gate_args_copy())
        targets = [t.value for t in instruction.targets_copy()]
        for k in range(0, len(targets), width):
            ticks[-1][(instruction.name, args, tuple(targets[k : k + width]))] += 1
    return ticks


def dem_mechanisms(circuit: stim.Circuit) -> dict[str, float]:
    """Error mechanisms of the DEM by their symptoms, duplicates combined (order-free)."""
    mechanisms: dict[str, float] = {}
    for error in circuit.detector_error_model().flattened():
        if error.type != "error":
            continue
        key = " ".join(sorted(str(t) for t in error.targets_copy()))
        q, p = mechanisms.get(key, 0.0), error.args_copy()[0]
        mechanisms[key] = q + p - 2 * q * p
    return mechanisms


def logical_errors(circuit: stim.Circuit, *, max_errors: int, max_shots: int, seed: int):
    dem = circuit.detector_error_model(decompose_errors=True).without_tags()
    matcher = pymatching.Matching.from_detector_error_model(dem)
    sampler = circuit.compile_detector_sampler(seed=seed)
    shots = errors = 0
    while errors < max_errors and shots < max_shots:
        batch = min(100_000, max_shots - shots)
        detectors, observables = sampler.sample(batch, separate_observables=True)
        errors += int(np.any(matcher.decode_batch(detectors) != observables, axis=1).sum())
        shots += batch
    return shots, errors


def per_round(shots: int, errors: int, rounds: int) -> tuple[float, float, float]:
    fit = sinter.fit_binomial(num_shots=shots, num_hits=errors, max_likelihood_factor=1e3)
    return tuple(
        sinter.shot_error_rate_to_piece_error_rate(x, pieces=rounds)
        for x in (fit.best, fit.low, fit.high)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distances", default="3,5")
    parser.add_argument("--ps", default="0.001,0.002,0.003")
    parser.add_argument("--max-errors", type=int, default=1000)
    parser.add_argument("--max-shots", type=int, default=4_000_000)
    args = parser.parse_args()
    distances = [int(d) for d in args.distances.split(",")]
    ps = [float(p) for p in args.ps.split(",")]

    print("## 1. channel by channel (qecsim SI1000 on surface-sim's noiseless circuit)")
    for d in distances:
        for p in ps:
            theirs = surface_sim_circuit(d, p)
            ours = qecsim.NoiseModel.si1000(p).noisy_circuit(surface_sim_circuit(d, None))
            a, b = channels_by_tick(theirs), channels_by_tick(ours)
            same = sum(x == y for x, y in zip(a, b, strict=True))
            count = sum(sum(x.values()) for x in a)
            mine, other = dem_mechanisms(ours), dem_mechanisms(theirs)
            dem_equal = mine.keys() == other.keys() and all(
                abs(mine[k] - other[k]) < 1e-12 for k in mine
            )
            print(f"d={d} p={p:g}: {same}/{len(a)} ticks identical, {count} channels, "
                  f"DEMs equal: {dem_equal} ({len(mine)} mechanisms)")

    print("\n## 2-3. logical error per round (pymatching), 1e3-likelihood intervals")
    print("| d | p | surface-sim SI1000 | qecsim SI1000 on surface-sim's circuit | "
          "agree | qecsim memory_circuit (cz) | ratio to surface-sim | "
          "same with M and R in separate ticks | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for d in distances:
        for p in ps:
            rows = []
            circuits = (
                surface_sim_circuit(d, p),
                qecsim.NoiseModel.si1000(p).noisy_circuit(surface_sim_circuit(d, None)),
                qecsim.memory_circuit(distance=d, rounds=d, noise=qecsim.NoiseModel.si1000(p)),
                qecsim.NoiseModel.si1000(p).noisy_circuit(
                    split_measure_reset(qecsim.memory_circuit(distance=d, rounds=d, gate_set="cz"))
                ),
            )
            for seed, circuit in enumerate(circuits):
                start = time.perf_counter()
                shots, errors = logical_errors(
                    circuit, max_errors=args.max_errors, max_shots=args.max_shots, seed=seed
                )
                rows.append((per_round(shots, errors, d), shots, errors,
                             time.perf_counter() - start))
            (theirs, _, _, _), (ours, _, _, _), (native, _, _, _), (split, _, _, _) = rows
            agree = theirs[1] <= ours[2] and ours[1] <= theirs[2]

            def show(value, shots, errors):
                return f"{value[0]:.3e} [{value[1]:.2e}, {value[2]:.2e}] ({errors}/{shots})"

            print(f"| {d} | {p:g} | {show(*rows[0][:3])} | {show(*rows[1][:3])} | "
                  f"{'yes' if agree else 'NO'} | {show(*rows[2][:3])} | "
                  f"{native[0] / theirs[0]:.2f} | {show(*rows[3][:3])} | "
                  f"{split[0] / theirs[0]:.2f} |")


if __name__ == "__main__":
    main()
