"""The sampling engine of :func:`qecsim.error_budget`: sample sets on worker processes.

A :class:`_Config` names one sample set (a noise model at one distance). Each worker process
builds, once per configuration, the tagged detector error model, a sparse sampler
(:mod:`qecsim.sampling.dem_sampling`), the decoder and the likelihood-ratio weights of every DEM
error, then samples and decodes batches and returns sufficient statistics: shots, logical
errors and, for the likelihood ratio, the sums and squared sums of each component's (and
each qubit group's) score over failing shots. :func:`_sample_all` schedules the batches
reproducibly (the same results for a seed whatever the number of workers).
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qecsim.circuits.memory import memory_circuit
from qecsim.decoding import registry as decoder_registry
from qecsim.decoding.dem import sinter_style_dem
from qecsim.errors import QecsimError
from qecsim.noise.components import COMPONENTS, parse_tag
from qecsim.noise.model import NoiseModel
from qecsim.sampling.dem_sampling import SparseDemSampler

_DERIVATIVE_STEP = 1e-3  # relative step for dq_e/ds_k


@dataclass(frozen=True)
class _Config:
    """One sampling configuration: a noise model at one distance."""

    noise: dict
    code: str
    basis: str
    distance: int
    rounds: int
    decoder: str
    tag_qubits: bool
    score: bool  # compute likelihood-ratio scores

    def key(self) -> str:
        return json.dumps(
            [self.noise, self.code, self.basis, self.distance, self.rounds, self.decoder,
             self.tag_qubits, self.score],
            sort_keys=True,
        )


class _Prepared:
    """What a worker needs for a configuration: sampler, decoder, score weights."""

    def __init__(self, config: _Config) -> None:
        noise = NoiseModel.from_dict(config.noise)
        circuit = memory_circuit(
            config.code, distance=config.distance, rounds=config.rounds, basis=config.basis,
            noise=noise, tag_qubits=config.tag_qubits,
        )
        dem = sinter_style_dem(circuit)
        self.sampler = SparseDemSampler(dem)
        decoder = decoder_registry.get(config.decoder)
        self.decoder = decoder.compile_decoder_for_dem(dem=dem)
        self.groups: tuple[tuple[str, tuple[int, ...]], ...] = ()
        if config.score:
            self._prepare_scores(noise, circuit, dem, config)

    def _prepare_scores(self, noise, circuit, dem, config) -> None:
        parsed = [parse_tag(tag) for tag in self.sampler.tags]
        if any(tag is None for tag in parsed):
            bad = sorted({t for t, p in zip(self.sampler.tags, parsed, strict=True) if p is None})
            raise QecsimError(f"DEM errors without a qecsim component tag: {bad[:5]}")
        groups = sorted({(t.component, t.qubits) for t in parsed})
        index = {g: i for i, g in enumerate(groups)}
        self.groups = tuple(groups)
        self.group_of = np.array([index[(t.component, t.qubits)] for t in parsed], dtype=np.int64)
        q = self.sampler.probabilities
        derivative = q.copy()  # dq/ds = q to first order; exact values below
        for component in {t.component for t in parsed}:
            scaled = noise.scaled(**{component: 1 + _DERIVATIVE_STEP})
            dem_scaled = sinter_style_dem(memory_circuit(
                config.code, distance=config.distance, rounds=config.rounds,
                basis=config.basis, noise=scaled, tag_qubits=config.tag_qubits,
            ))
            q_scaled = SparseDemSampler(dem_scaled).probabilities
            mask = np.array([t.component == component for t in parsed])
            if len(q_scaled) == len(q):
                derivative[mask] = (q_scaled[mask] - q[mask]) / _DERIVATIVE_STEP
        # A scaled channel changes each of its mechanisms' probability in proportion, up to
        # O(q) corrections. stim's approximate conversion of a Pauli channel near the edge of
        # its independent decomposition (e.g. T2 = 2 T1, p_z ~ 0) is not smooth there and can
        # give nonsense slopes (negative, or 1e14 q); those mechanisms keep dq/ds = q.
        implausible = ~((derivative >= 0.5 * q) & (derivative <= 1.5 * q))
        derivative[implausible] = q[implausible]
        self.weights = derivative / (q * (1 - q))  # d log-likelihood per fired error
        self.offsets = np.bincount(
            self.group_of, weights=q * self.weights, minlength=len(groups)
        )  # the expected value, so that each score has mean 0
        self.components = sorted({c for c, _ in groups}, key=COMPONENTS.index)
        self.component_of_group = np.array(
            [self.components.index(c) for c, _ in groups], dtype=np.int64
        )
        # Fisher information of each scale factor: the variance of its score over all shots
        information = self.weights**2 * q * (1 - q)
        self.group_fisher = np.bincount(self.group_of, weights=information,
                                        minlength=len(groups))
        self.component_fisher = np.bincount(self.component_of_group, weights=self.group_fisher,
                                            minlength=len(self.components))

    def run(self, shots: int, seed: int) -> dict[str, Any]:
        rng = np.random.default_rng(seed)
        sample = self.sampler.sample(shots, rng=rng)
        predictions = self.decoder.decode_shots_bit_packed(
            bit_packed_detection_event_data=sample.detectors
        )
        failed = np.any(predictions != sample.observables, axis=1)
        result: dict[str, Any] = {"shots": shots, "errors": int(failed.sum())}
        if self.groups:
            result |= {
                "groups": self.groups,
                "components": tuple(self.components),
                "group_fisher": self.group_fisher,
                "component_fisher": self.component_fisher,
            }
            failing = np.flatnonzero(failed)
            rank = np.full(shots, -1, dtype=np.int64)
            rank[failing] = np.arange(len(failing))
            keep = failed[sample.error_shots]
            rows = rank[sample.error_shots[keep]]
            errs = sample.error_indices[keep]
            num_groups = len(self.groups)
            scores = np.bincount(
                rows * num_groups + self.group_of[errs],
                weights=self.weights[errs],
                minlength=len(failing) * num_groups,
            ).reshape(len(failing), num_groups) - self.offsets
            by_component = np.zeros((len(failing), len(self.components)))
            np.add.at(by_component.T, self.component_of_group, scores.T)
            result |= {
                "group_sum": scores.sum(axis=0),
                "group_square_sum": (scores**2).sum(axis=0),
                "component_sum": by_component.sum(axis=0),
                "component_square_sum": (by_component**2).sum(axis=0),
            }
        return result


_WORKER_CACHE: dict[str, _Prepared] = {}


def _prepared(config: _Config) -> _Prepared:
    key = config.key()
    if key not in _WORKER_CACHE:
        if len(_WORKER_CACHE) >= 16:  # one budget needs at most a few per process
            _WORKER_CACHE.clear()
        _WORKER_CACHE[key] = _Prepared(config)
    return _WORKER_CACHE[key]


def _run_batch(config: _Config, shots: int, seed: int) -> tuple[dict[str, Any], float]:
    start = time.process_time()
    result = _prepared(config).run(shots, seed)
    return result, time.process_time() - start


@dataclass
class _Tally:
    """The merged results of one configuration's batches, merged in batch order."""

    config: _Config
    shots: int = 0
    errors: int = 0
    sums: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, tuple] = field(default_factory=dict)
    scheduled_shots: int = 0  # shots of every batch submitted so far
    next_index: int = 0  # index of the next batch to submit
    arrived: dict[int, dict[str, Any]] = field(default_factory=dict)  # not merged yet
    merged: int = 0  # batches merged so far (always a prefix 0 .. merged - 1)
    done: bool = False

    def add(self, result: dict[str, Any]) -> None:
        self.shots += result["shots"]
        self.errors += result["errors"]
        for key, value in result.items():
            if key in ("groups", "components", "group_fisher", "component_fisher"):
                self.labels[key] = value
            elif key not in ("shots", "errors"):
                self.sums[key] = self.sums.get(key, 0) + value


_FIRST_BATCH = 1_000
_MAX_BATCH = 200_000


def _sample_all(
    configs: Sequence[_Config],
    *,
    max_shots: int,
    max_errors: int,
    seed: int | None,
    num_workers: int,
    progress: bool,
    description: str,
) -> tuple[list[_Tally], float]:
    """Sample every configuration until max_errors or max_shots, on num_workers processes.

    Reproducible for a seed whatever ``num_workers`` is: batch k of configuration i has the
    fixed size min(1000 x 2^k, 200000) (cut at max_shots) and the seed
    ``SeedSequence(seed, spawn_key=(i, k))``, and batches are merged in index order, with
    the stopping rules applied after each; batches that finish beyond the stopping point
    are discarded (their CPU time still counts).
    """
    tallies = [_Tally(c) for c in configs]
    entropy = np.random.SeedSequence(seed).entropy
    cpu = 0.0
    bar = _progress_bar(progress, total=len(configs) * max_errors, description=description)

    def batch(i: int) -> tuple[int, int, int] | None:
        """(index, shots, seed) of configuration i's next batch, or None if not needed now."""
        tally = tallies[i]
        remaining = max_shots - tally.scheduled_shots
        rate = (tally.errors + 0.5) / (tally.shots + 0.5 / 0.01)  # prior: 1% failures
        expected = tally.errors + (tally.scheduled_shots - tally.shots) * rate
        if tally.done or remaining <= 0 or expected >= max_errors:
            return None
        index = tally.next_index
        shots = min(_FIRST_BATCH * 2 ** min(index, 20), _MAX_BATCH, remaining)
        batch_seed = np.random.SeedSequence(entropy, spawn_key=(i, index)).generate_state(1)[0]
        tally.next_index += 1
        tally.scheduled_shots += shots
        return index, shots, int(batch_seed)

    def arrive(i: int, index: int, result: dict[str, Any]) -> None:
        tally = tallies[i]
        if tally.done:
            return
        tally.arrived[index] = result
        while tally.merged in tally.arrived and not tally.done:
            before = min(tally.errors, max_errors)
            tally.add(tally.arrived.pop(tally.merged))
            tally.merged += 1
            tally.done = tally.errors >= max_errors or tally.shots >= max_shots
            bar.update(min(tally.errors, max_errors) - before)
        if tally.done:
            tally.arrived.clear()
            bar.update(max_errors - min(tally.errors, max_errors))  # stopped at max_shots

    if num_workers <= 1:
        for i, tally in enumerate(tallies):
            while not tally.done and (job := batch(i)) is not None:
                index, shots, batch_seed = job
                result, seconds = _run_batch(tally.config, shots, batch_seed)
                cpu += seconds
                arrive(i, index, result)
        bar.close()
        return tallies, cpu

    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(num_workers, mp_context=context) as pool:
        pending: dict[concurrent.futures.Future, tuple[int, int]] = {}

        def submit_more() -> None:
            # the last configurations (largest distances) are the slowest: start them first
            for i, tally in reversed(list(enumerate(tallies))):
                while len(pending) < 2 * num_workers and (job := batch(i)) is not None:
                    index, shots, batch_seed = job
                    future = pool.submit(_run_batch, tally.config, shots, batch_seed)
                    pending[future] = (i, index)
                if len(pending) >= 2 * num_workers:
                    return

        submit_more()
        while pending:
            finished, _ = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                i, index = pending.pop(future)
                result, seconds = future.result()
                cpu += seconds
                arrive(i, index, result)
            submit_more()
    bar.close()
    return tallies, cpu


def _progress_bar(enabled: bool, *, total: int, description: str):
    if not enabled:
        class _Silent:
            def update(self, n: int) -> None:
                pass

            def close(self) -> None:
                pass

        return _Silent()
    from qecsim.sampling.local import _tqdm_class  # a widget in notebooks when ipywidgets is there

    return _tqdm_class()(total=total, desc=description, unit="errors", mininterval=1.0)
