"""Fixtures shared by the test packages: synthetic sinter statistics with known answers.

Each fixture returns a factory function (tests call it with their own numbers), so test
modules need not import each other (pytest runs with ``--import-mode=importlib``).
"""

from __future__ import annotations

import math

import pytest
import sinter


def shot_rate(per_round: float, rounds: int) -> float:
    """Shot error rate of ``rounds`` independent rounds each failing with ``per_round`` (xor)."""
    return (1 - (1 - 2 * per_round) ** rounds) / 2


def make_task_stats(d, p, rounds, shots, errors, decoder="pymatching", **extra) -> sinter.TaskStats:
    """One task of a rotated surface code Z memory under si1000 noise; ``extra`` adds or
    overrides metadata keys (e.g. ``noise="sd6"``)."""
    metadata = {
        "code": "rotated_surface_code",
        "basis": "Z",
        "d": d,
        "rounds": rounds,
        "noise": "si1000",
        "p": p,
        **extra,
    }
    return sinter.TaskStats(
        strong_id=f"{sorted(metadata.items())}-{decoder}",
        decoder=decoder,
        json_metadata=metadata,
        shots=shots,
        errors=int(errors),
    )


def make_lambda_stats(rng, *, lam, prefactor, distances, shots, p=1e-3, **extra):
    """Binomial counts from eps_d = prefactor / lam^((d+1)/2), rounds = d."""
    stats = []
    for d in distances:
        eps = prefactor / lam ** ((d + 1) / 2)
        stats.append(
            make_task_stats(d, p, d, shots, rng.binomial(shots, shot_rate(eps, d)), **extra)
        )
    return stats


def crossing_rate(d: int, p: float, threshold: float) -> float:
    """Error rates of all distances cross exactly at p = threshold (where they equal 0.13)."""
    return 0.5 * (1 - math.exp(-0.3 * (p / threshold) ** ((d + 1) / 2)))


def make_threshold_stats(rng, *, threshold, distances, ps, shots, per_round=False, **extra):
    """Binomial counts of curves that cross at p = threshold (per shot, or per round)."""
    stats = []
    for d in distances:
        for p in ps:
            rate = crossing_rate(d, p, threshold)
            if per_round:  # the per-round rates cross; shots span d rounds
                rate = shot_rate(rate, d)
            stats.append(make_task_stats(d, p, d, shots, rng.binomial(shots, rate), **extra))
    return stats


@pytest.fixture
def task_stats():
    """Factory ``task_stats(d, p, rounds, shots, errors, decoder="pymatching", **extra)``."""
    return make_task_stats


@pytest.fixture
def lambda_stats():
    """Factory ``lambda_stats(rng, *, lam, prefactor, distances, shots, p=1e-3, **extra)``."""
    return make_lambda_stats


@pytest.fixture
def threshold_stats():
    """Factory ``threshold_stats(rng, *, threshold, distances, ps, shots, per_round=False)``."""
    return make_threshold_stats


@pytest.fixture
def xor_shot_rate():
    """``xor_shot_rate(per_round, rounds)``: the shot error rate of independent rounds."""
    return shot_rate


# ---------------------------------------------------------------------------------------------
# A store written by plain sinter (no qecsim metadata conventions)

#: (stim generated-circuit name, distance, rounds, p, json_metadata) of the sinter store.
SINTER_STORE_TASKS = [
    *(
        ("surface_code:rotated_memory_z", d, d, p, {"d": d, "p": p})  # no rounds: per shot only
        for d in (3, 5)
        for p in (0.002, 0.012)
    ),
    *(
        ("repetition_code:memory", d, 2 * d, 0.03, {"d": d, "r": 2 * d})  # sinter's "r"
        for d in (3, 5)
    ),
    ("surface_code:rotated_memory_z", 3, 3, 0.006, None),  # no metadata at all
]


@pytest.fixture(scope="session")
def sinter_store(tmp_path_factory):
    """Path of a CSV store written by ``sinter.collect`` on stim's generated circuits.

    Metadata as a plain sinter user writes it: ``{"d", "p"}`` without rounds (rotated
    surface code, 2 distances x 2 p: the curves cross, near 0.7 %), ``{"d", "r"}``
    (repetition code, rounds in sinter's key ``r``: per-round rates known) and one task
    without metadata. Small: at most 20,000 shots and 300 errors a task, one worker.
    """
    import stim

    tasks = []
    for name, d, rounds, p, metadata in SINTER_STORE_TASKS:
        circuit = stim.Circuit.generated(
            name, distance=d, rounds=rounds, after_clifford_depolarization=p,
            after_reset_flip_probability=p, before_measure_flip_probability=p,
            before_round_data_depolarization=p,
        )  # fmt: skip
        tasks.append(sinter.Task(circuit=circuit, json_metadata=metadata))
    path = tmp_path_factory.mktemp("sinter") / "store.csv"
    sinter.collect(num_workers=1, tasks=tasks, decoders=["pymatching"], max_shots=20_000,
                   max_errors=300, save_resume_filepath=str(path))  # fmt: skip
    return path
