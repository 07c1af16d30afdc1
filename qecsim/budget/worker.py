"""What a worker process does for the budget: build a sample set once, then sample batches.

A :class:`SampleConfig` names one sample set: a noise model and the code parameters of a
memory experiment; a :class:`CircuitSampleConfig` one of a user's tagged circuit, as text, with
scale factors of its components. Everything the worker needs comes from ``circuit()``,
``scaled_circuit(component, factor)`` and ``key()``, which both have. :class:`Prepared`
builds, once per configuration and process, the tagged detector error model, a sparse
sampler (:mod:`qecsim.sampling.dem_sampling`), the decoder and the likelihood-ratio weights
of every DEM error; :func:`run_batch` samples and decodes one batch and returns sufficient
statistics: shots, logical errors and, for the likelihood ratio, the sums and squared sums of
each component's (and each qubit group's) score over failing shots.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import stim

from qecsim.circuits.memory import memory_circuit
from qecsim.decoding import registry as decoder_registry
from qecsim.decoding.dem import sinter_style_dem
from qecsim.errors import QecsimError
from qecsim.noise.components import COMPONENTS, parse_tag
from qecsim.noise.model import NoiseModel
from qecsim.noise.tagging.scaling import scale_tagged
from qecsim.sampling.dem_sampling import SparseDemSampler

__all__ = ["CircuitSampleConfig", "Prepared", "SampleConfig", "key_order", "run_batch"]

_DERIVATIVE_STEP = 1e-3  # relative step for dq_e/ds_k


def key_order(key: str) -> tuple[int, str]:
    """Sort budget keys (``component`` or ``component.part``) in display order.

    Examples:
        >>> sorted(["crosstalk.b", "idle", "crosstalk", "two_qubit_gate"], key=key_order)
        ['two_qubit_gate', 'idle', 'crosstalk', 'crosstalk.b']
    """
    component, _, part = key.partition(".")
    return COMPONENTS.index(component), part


@dataclass(frozen=True)
class SampleConfig:
    """One sample set: a noise model on a memory experiment at one distance.

    Attributes:
        noise: ``NoiseModel.to_dict()`` (plain data, so that it pickles to spawned workers).
        code, basis, distance, rounds: The memory experiment.
        decoder: The decoder's registry name.
        tag_qubits: Tag channels with their qubits (per-qubit attribution).
        score: Compute likelihood-ratio scores (the nominal run of ``likelihood_ratio``).
    """

    noise: dict
    code: str
    basis: str
    distance: int
    rounds: int
    decoder: str
    tag_qubits: bool
    score: bool

    def key(self) -> str:
        """A string that identifies the configuration (worker cache, store)."""
        return json.dumps(
            [self.noise, self.code, self.basis, self.distance, self.rounds, self.decoder,
             self.tag_qubits, self.score],
            sort_keys=True,
        )

    def circuit(self) -> stim.Circuit:
        """The tagged noisy circuit this configuration samples."""
        return self._memory_circuit(NoiseModel.from_dict(self.noise))

    def scaled_circuit(self, component: str, factor: float) -> stim.Circuit:
        """The same circuit with one component's rates scaled by ``factor``."""
        return self._memory_circuit(NoiseModel.from_dict(self.noise).scaled(**{component: factor}))

    def _memory_circuit(self, noise: NoiseModel) -> stim.Circuit:
        return memory_circuit(
            self.code, distance=self.distance, rounds=self.rounds, basis=self.basis,
            noise=noise, tag_qubits=self.tag_qubits,
        )


@dataclass(frozen=True)
class CircuitSampleConfig:
    """One sample set of a user's circuit: its tagged text, scaled by component.

    Attributes:
        text: The tagged noisy circuit, as exact ``.stim`` text (plain data for workers).
        scales: (key, factor) pairs: the channels whose tag has exactly that key
            (``component``, or ``component.part``) are scaled by the factor.
        distance, rounds: The circuit's distance (a label) and rounds.
        decoder: The decoder's registry name.
        score: Compute likelihood-ratio scores (the nominal run of ``likelihood_ratio``).
    """

    text: str
    scales: tuple[tuple[str, float], ...]
    distance: int
    rounds: int
    decoder: str
    score: bool
    digest: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.text.encode()).hexdigest()
        object.__setattr__(self, "digest", digest)

    def key(self) -> str:
        """A string that identifies the configuration (worker cache, store)."""
        return json.dumps(
            ["circuit", self.digest, [list(s) for s in self.scales], self.distance,
             self.rounds, self.decoder, self.score]
        )

    def circuit(self) -> stim.Circuit:
        """The tagged noisy circuit this configuration samples."""
        return self.scaled_circuit("", 1.0)

    def scaled_circuit(self, component: str, factor: float) -> stim.Circuit:
        """The circuit with one component's channels (all its parts) scaled by ``factor``
        on top of the configuration's own scale factors."""
        scales = dict(self.scales)
        circuit = stim.Circuit(self.text)
        if not scales and factor == 1.0:
            return circuit

        def scale(tag) -> float:
            base = scales.get(tag.key, 1.0)
            return base * (factor if tag.component == component else 1.0)

        return scale_tagged(circuit, scale)


class Prepared:
    """What a worker needs for a configuration: sampler, decoder, score weights."""

    def __init__(self, config: SampleConfig | CircuitSampleConfig) -> None:
        dem = sinter_style_dem(config.circuit())
        self.sampler = SparseDemSampler(dem)
        decoder = decoder_registry.get(config.decoder)
        self.decoder = decoder.compile_decoder_for_dem(dem=dem)
        self.groups: tuple[tuple[str, tuple[int, ...]], ...] = ()
        if config.score:
            self._prepare_scores(config)

    def _prepare_scores(self, config: SampleConfig | CircuitSampleConfig) -> None:
        parsed = [parse_tag(tag) for tag in self.sampler.tags]
        if any(tag is None for tag in parsed):
            bad = sorted({t for t, p in zip(self.sampler.tags, parsed, strict=True) if p is None})
            raise QecsimError(f"DEM errors without a qecsim component tag: {bad[:5]}")
        groups = sorted({(t.key, t.qubits) for t in parsed})  # key: component[.part]
        index = {g: i for i, g in enumerate(groups)}
        self.groups = tuple(groups)
        self.group_of = np.array([index[(t.key, t.qubits)] for t in parsed], dtype=np.int64)
        q = self.sampler.probabilities
        derivative = q.copy()  # dq/ds = q to first order; exact values below
        for component in {t.component for t in parsed}:
            dem_scaled = sinter_style_dem(config.scaled_circuit(component, 1 + _DERIVATIVE_STEP))
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
        self.components = sorted({key for key, _ in groups}, key=key_order)
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


_WORKER_CACHE: dict[str, Prepared] = {}


def _prepared(config: SampleConfig | CircuitSampleConfig) -> Prepared:
    key = config.key()
    if key not in _WORKER_CACHE:
        if len(_WORKER_CACHE) >= 16:  # one budget needs at most a few per process
            _WORKER_CACHE.clear()
        _WORKER_CACHE[key] = Prepared(config)
    return _WORKER_CACHE[key]


def run_batch(
    config: SampleConfig | CircuitSampleConfig, shots: int, seed: int
) -> tuple[dict[str, Any], float]:
    """Sample and decode ``shots`` shots of ``config`` with ``seed``; (statistics, CPU s)."""
    start = time.process_time()
    result = _prepared(config).run(shots, seed)
    return result, time.process_time() - start
