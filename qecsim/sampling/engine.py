"""The batch engine: what a worker process does with one batch of shots of one point.

Both backends run their batches through this module, in their worker processes:

* a :class:`TaskPayload` holds everything a worker needs for one point (circuit, DEM, the
  decoder object, postselection masks); it travels to a worker once per point;
* a :class:`CompiledBatchSampler` is the point's stim detector sampler and compiled decoder
  (``sinter.Decoder.compile_decoder_for_dem``, or sinter's ``decode_via_files`` fallback),
  built once per point and process and kept in a small cache (:class:`WorkerCache`);
* :func:`run_batch` samples and decodes one batch in chunks (bounded memory) and returns a
  ``sinter.AnonTaskStats`` (shots, errors, discards, seconds), counted as sinter's workers
  count them (postselected detectors, the decoder's discard byte, postselected observables).

Examples:
    >>> import qecsim
    >>> task = qecsim.sweep_tasks(code="repetition_code", distances=[3], p=[0.05],
    ...                           noise="phenomenological")[0]
    >>> from qecsim.decoding.registry import get
    >>> from qecsim.decoding.dem import sinter_style_dem
    >>> payload = TaskPayload("id", task.circuit, sinter_style_dem(task.circuit),
    ...                       get("pymatching"), None, None)
    >>> batch_id, stats = run_batch(payload, 7, 1000)
    >>> batch_id, stats.shots, 0 < stats.errors < 1000
    (7, 1000, True)
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import time
from typing import Any

import numpy as np
import sinter
import stim

__all__ = ["CompiledBatchSampler", "TaskPayload", "WorkerCache", "make_payload", "run_batch"]

#: Shots sampled and decoded at once inside one batch (bounds a worker's memory).
MAX_CHUNK_SHOTS = 16384


@dataclasses.dataclass(frozen=True)
class TaskPayload:
    """Everything a worker needs to sample and decode one point (shipped once per point)."""

    strong_id: str
    circuit: stim.Circuit
    dem: stim.DetectorErrorModel
    decoder: Any  # a sinter.Decoder
    postselection_mask: np.ndarray | None
    postselected_observables_mask: np.ndarray | None


def make_payload(task: sinter.Task, strong_id: str, decoder: Any) -> TaskPayload:
    """The payload of a filled-in task (its DEM set) with its decoder object."""
    return TaskPayload(
        strong_id=strong_id,
        circuit=task.circuit,
        dem=task.detector_error_model,
        decoder=decoder,
        postselection_mask=task.postselection_mask,
        postselected_observables_mask=task.postselected_observables_mask,
    )


class CompiledBatchSampler:
    """A stim detector sampler and a compiled decoder for one point."""

    def __init__(self, payload: TaskPayload):
        from qecsim.decoding.registry import compile_for_dem

        self.payload = payload
        self.sampler = payload.circuit.compile_detector_sampler()
        self.decoder = compile_for_dem(payload.decoder, dem=payload.dem)
        self.num_observables = payload.circuit.num_observables

    def sample(self, num_shots: int) -> sinter.AnonTaskStats:
        """Sample and decode ``num_shots`` shots; their statistics."""
        start = time.monotonic()
        errors = discards = 0
        left = num_shots
        while left > 0:
            chunk = min(left, MAX_CHUNK_SHOTS)
            chunk_errors, chunk_discards = self._sample_chunk(chunk)
            errors += chunk_errors
            discards += chunk_discards
            left -= chunk
        return sinter.AnonTaskStats(
            shots=num_shots, errors=errors, discards=discards, seconds=time.monotonic() - start
        )

    def _sample_chunk(self, num_shots: int) -> tuple[int, int]:
        detections, observables = self.sampler.sample(
            shots=num_shots, bit_packed=True, separate_observables=True
        )
        discards = 0
        mask = self.payload.postselection_mask
        if mask is not None:
            discarded = np.any(detections & mask, axis=1)
            discards += int(np.count_nonzero(discarded))
            detections = detections[~discarded]
            observables = observables[~discarded]
        predictions = self.decoder.decode_shots_bit_packed(
            bit_packed_detection_event_data=detections
        )
        predictions = np.asarray(predictions, dtype=np.uint8)
        if predictions.shape[0] != detections.shape[0] or predictions.ndim != 2:
            raise RuntimeError(
                f"decoder returned predictions of shape {predictions.shape} for "
                f"{detections.shape[0]} shots"
            )
        if predictions.shape[1] == observables.shape[1] + 1:  # sinter's discard byte
            discarded = predictions[:, -1] != 0
            discards += int(np.count_nonzero(discarded))
            predictions = predictions[~discarded, :-1]
            observables = observables[~discarded]
        observable_mask = self.payload.postselected_observables_mask
        if observable_mask is not None:
            discarded = np.any((observables ^ predictions) & observable_mask, axis=1)
            discards += int(np.count_nonzero(discarded))
            predictions = predictions[~discarded]
            observables = observables[~discarded]
        errors = int(np.count_nonzero(np.any(observables != predictions, axis=1)))
        return errors, discards


class WorkerCache:
    """Per-process cache strong_id -> idle compiled samplers (one per concurrent thread)."""

    def __init__(self, max_tasks: int = 8):
        self.max_tasks = max_tasks
        self.lock = threading.Lock()
        self.idle: collections.OrderedDict[str, list[CompiledBatchSampler]] = (
            collections.OrderedDict()
        )
        self.compilations = 0

    def take(self, payload: TaskPayload) -> CompiledBatchSampler:
        """A compiled sampler for ``payload`` (cached, or compiled now)."""
        with self.lock:
            pool = self.idle.get(payload.strong_id)
            if pool:
                self.idle.move_to_end(payload.strong_id)
                return pool.pop()
            self.compilations += 1
        return CompiledBatchSampler(payload)

    def give_back(self, compiled: CompiledBatchSampler) -> None:
        """Return a sampler after its batch (the least recently used points are dropped)."""
        with self.lock:
            key = compiled.payload.strong_id
            self.idle.setdefault(key, []).append(compiled)
            self.idle.move_to_end(key)
            while len(self.idle) > self.max_tasks:
                self.idle.popitem(last=False)


_CACHE = WorkerCache()


def run_batch(payload: TaskPayload, batch_id: int, num_shots: int):
    """Sample and decode ``num_shots`` shots of one point: ``(batch_id, AnonTaskStats)``."""
    compiled = _CACHE.take(payload)
    try:
        stats = compiled.sample(num_shots)
    finally:
        _CACHE.give_back(compiled)
    return batch_id, stats


def worker_compilations() -> int:
    """How many sampler+decoder compilations this process did (for tests)."""
    return _CACHE.compilations
