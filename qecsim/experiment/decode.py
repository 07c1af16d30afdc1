"""Decoding measured shots into ``sinter.TaskStats``, so the analysis stack reads measured data.

The decoder's DEM comes from a model: the experiment's own noisy circuit (default), a
:class:`qecsim.NoiseModel` applied to the circuit as run, a noisy circuit, a DEM, or
``"data"``: a DEM estimated from the experiment's detection-event correlations (Google's p_ij
method), estimated on the even shots to decode the odd ones and vice versa.

Every result carries the metadata keys of simulated tasks (``code``, ``basis``, ``d``,
``rounds``, ``noise``, ``p``) with ``noise="measured"`` and ``p=None``, plus ``dem`` (where
the decoder's DEM came from), so per-round rates, Lambda fits, plots and the CSV store work
on it unchanged.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import sinter
import stim

from qecsim.decoding import registry
from qecsim.decoding.dem import sinter_style_dem
from qecsim.errors import QecsimError
from qecsim.experiment.experiment import Experiment
from qecsim.noise.model import NoiseModel
from qecsim.sampling.spawn import sigint_ignored

__all__ = ["DEM_SOURCES", "decode_experiments", "decoder_dem", "predict_observables"]

#: Values of the ``dem`` metadata key: where the decoder's DEM came from.
DEM_SOURCES = ("model_circuit", "noise_model", "circuit", "dem", "data")

Model = NoiseModel | stim.Circuit | stim.DetectorErrorModel | str | None


def _label(experiment: Experiment, index: int) -> str:
    return f"experiment {index}" + (f" ({experiment.name})" if experiment.name else "")


def _check_model(model: Any, experiment: Experiment, label: str) -> str:
    """Where the DEM will come from; raises on a model that cannot serve ``experiment``."""
    if model is None:
        if experiment.model is None:
            raise QecsimError(
                f"{label} has no model circuit; pass model= (a NoiseModel, a noisy circuit, "
                "a DEM, or 'data')"
            )
        return "model_circuit"
    if isinstance(model, str):
        if model != "data":
            raise QecsimError(
                f"model={model!r} is not 'data', a NoiseModel, a stim.Circuit or a "
                "stim.DetectorErrorModel"
            )
        if experiment.model is None:
            raise QecsimError(
                f"model='data' takes the DEM's edges from the model circuit, and {label} "
                "has none"
            )
        return "data"
    if isinstance(model, NoiseModel):
        return "noise_model"
    if isinstance(model, (stim.Circuit, stim.DetectorErrorModel)):
        if model.num_detectors != experiment.num_detectors:
            raise QecsimError(
                f"the model has {model.num_detectors} detectors but {label} has "
                f"{experiment.num_detectors}"
            )
        return "circuit" if isinstance(model, stim.Circuit) else "dem"
    raise QecsimError(
        f"model is a {type(model).__name__}; expected a NoiseModel, stim.Circuit, "
        "stim.DetectorErrorModel, 'data' or None"
    )


def decoder_dem(experiment: Experiment, model: Model = None) -> stim.DetectorErrorModel:
    """The DEM a decoder gets for ``experiment`` and ``model`` (not for ``model="data"``).

    Examples:
        >>> import qecsim
        >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 3))
        >>> decoder_dem(experiment).num_detectors
        24
    """
    source = _check_model(model, experiment, _label(experiment, 0))
    if source == "data":
        raise QecsimError("model='data' has one DEM per half of the shots; see predict_observables")
    if source == "model_circuit":
        return sinter_style_dem(experiment.model)
    if source == "noise_model":
        return sinter_style_dem(model.noisy_circuit(experiment.circuit))
    if source == "circuit":
        return sinter_style_dem(model)
    return model


def _decode(decoder: sinter.Decoder, dem: stim.DetectorErrorModel, events: np.ndarray):
    compiled = registry.compile_for_dem(decoder, dem=dem)
    packed = np.packbits(events, axis=1, bitorder="little")
    predictions = compiled.decode_shots_bit_packed(bit_packed_detection_event_data=packed)
    bits = np.unpackbits(predictions, axis=1, bitorder="little", count=dem.num_observables)
    return bits.astype(bool)


def predict_observables(
    experiment: Experiment, *, decoder: str = "pymatching", model: Model = None
) -> np.ndarray:
    """A decoder's predicted observable flips for every measured shot.

    Args:
        experiment: The measured experiment.
        decoder: A name from :func:`qecsim.decoders.available`.
        model: Where the DEM comes from (see the module docstring).

    Returns:
        Bool array (shots, observables).

    Examples:
        >>> import qecsim
        >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 5))
        >>> ours = predict_observables(experiment)
        >>> bool((ours == experiment.reference_predictions["pymatching"]).all())
        True
    """
    from qecsim.experiment.dem import estimate_dem
    from qecsim.experiment.statistics import detector_statistics

    decoder_object = registry.get(decoder) if isinstance(decoder, str) else decoder
    if _check_model(model, experiment, _label(experiment, 0)) != "data":
        return _decode(decoder_object, decoder_dem(experiment, model), experiment.detection_events)
    structure = sinter_style_dem(experiment.model)
    predictions = np.zeros((experiment.num_shots, structure.num_observables), dtype=bool)
    halves = (np.arange(0, experiment.num_shots, 2), np.arange(1, experiment.num_shots, 2))
    for train, test in (halves, halves[::-1]):
        statistics = detector_statistics(experiment.select(train))
        dem = estimate_dem(statistics.fraction, statistics.pij, structure=structure)
        predictions[test] = _decode(decoder_object, dem, experiment.detection_events[test])
    return predictions


def _metadata(experiment: Experiment, source: str) -> dict[str, Any]:
    metadata = experiment.metadata
    return {
        "code": metadata.get("code"),
        "basis": metadata.get("basis"),
        "d": metadata["d"],
        "rounds": metadata["rounds"],
        "noise": "measured",
        "p": None,
        "dem": source,
    }


def _decode_one(
    experiment: Experiment, decoder_name: str, decoder: sinter.Decoder, model: Model, source: str
) -> sinter.TaskStats:
    start = time.perf_counter()
    predictions = predict_observables(experiment, decoder=decoder, model=model)
    seconds = time.perf_counter() - start
    errors = int(np.any(predictions != experiment.observable_flips, axis=1).sum())
    metadata = _metadata(experiment, source)
    digest = hashlib.sha256()
    digest.update(json.dumps([metadata, decoder_name], sort_keys=True).encode())
    digest.update(str(model if not isinstance(model, NoiseModel) else model.to_json()).encode())
    digest.update(np.packbits(experiment.detection_events, axis=1).tobytes())
    digest.update(np.packbits(experiment.observable_flips, axis=1).tobytes())
    return sinter.TaskStats(
        strong_id=digest.hexdigest(),
        decoder=decoder_name,
        json_metadata=metadata,
        shots=experiment.num_shots,
        errors=errors,
        discards=0,
        seconds=seconds,
    )


def _workers(num_workers: int | None, jobs: int) -> int:
    if num_workers is None:
        return max(1, min(os.cpu_count() or 1, jobs))
    if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 1:
        raise QecsimError(f"num_workers={num_workers!r} is not None or an integer >= 1")
    return min(num_workers, jobs)


def decode_experiments(
    experiments: Experiment | Sequence[Experiment],
    *,
    decoder: str = "pymatching",
    model: Model | Sequence[Model] = None,
    num_workers: int | None = None,
    progress: bool = False,
) -> list[sinter.TaskStats]:
    """Decode measured experiments; one ``sinter.TaskStats`` per experiment.

    Args:
        experiments: Measured experiments with observable flips and metadata ``d`` and
            ``rounds``.
        decoder: A name from :func:`qecsim.decoders.available` (any registered decoder).
        model: Where the decoder's DEM comes from: None (each experiment's model circuit),
            a NoiseModel (applied to each circuit as run), a noisy stim.Circuit or a
            stim.DetectorErrorModel (one experiment, or a list with one per experiment), or
            ``"data"`` (a DEM estimated from the detection events of the other half of the
            shots, with the model circuit's edges).
        num_workers: Processes (spawn start method); None means one per experiment, up to
            the number of cores.
        progress: Show a progress bar.

    Returns:
        The statistics, in the order of ``experiments``; ``json_metadata`` has ``code``,
        ``basis``, ``d``, ``rounds``, ``noise="measured"``, ``p=None`` and ``dem``.

    Raises:
        QecsimError: A missing observable flips array or metadata key, an unknown decoder,
            a model that does not fit an experiment; all checked before any decoding.

    Examples:
        >>> import qecsim
        >>> experiments = [qecsim.Experiment.load(qecsim.experiment.google_data_path(3, r))
        ...                for r in (1, 3)]
        >>> stats = qecsim.decode_experiments(experiments, num_workers=1)
        >>> [(s.json_metadata["rounds"], s.shots, s.errors) for s in stats]
        [(1, 10000, 166), (3, 10000, 889)]
    """
    if isinstance(experiments, Experiment):
        experiments = [experiments]
    experiments = list(experiments)
    if not experiments:
        raise QecsimError("experiments is empty: nothing to decode")
    models = list(model) if isinstance(model, (list, tuple)) else [model] * len(experiments)
    if len(models) != len(experiments):
        raise QecsimError(f"{len(models)} models for {len(experiments)} experiments")
    (decoder_name,) = registry.check_names([decoder])
    decoder_object = registry.get(decoder_name)
    jobs = []
    for index, (experiment, one_model) in enumerate(zip(experiments, models, strict=True)):
        if not isinstance(experiment, Experiment):
            raise QecsimError(f"experiments[{index}] is a {type(experiment).__name__}, not an "
                              "Experiment")
        label = _label(experiment, index)
        if experiment.observable_flips is None:
            raise QecsimError(f"{label} has no observable flips to score predictions against")
        for key in ("d", "rounds"):
            if key not in experiment.metadata:
                raise QecsimError(f"{label} has no metadata {key!r}; pass metadata={{'d': ..., "
                                  "'rounds': ...}} when making it")
        source = _check_model(one_model, experiment, label)
        jobs.append((experiment, decoder_name, decoder_object, one_model, source))
    workers = _workers(num_workers, len(jobs))
    bar = _progress_bar(len(jobs), progress)
    try:
        if workers == 1:
            results = []
            for job in jobs:
                results.append(_decode_one(*job))
                bar.update(1)
            return results
        context = multiprocessing.get_context("spawn")
        pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=context, initializer=_ignore_interrupts)
        try:
            # workers start with Ctrl-C blocked (a spawned child inherits the mask), so one
            # still importing cannot print a traceback; they then ignore it (initializer).
            # A Ctrl-C meanwhile is held until every worker has started.
            with sigint_ignored():
                futures = [pool.submit(_decode_one, *job) for job in jobs]
            for _ in concurrent.futures.as_completed(futures):
                bar.update(1)
            return [future.result() for future in futures]
        except BaseException:  # Ctrl-C included: stop the workers, do not wait for them
            processes = list((getattr(pool, "_processes", None) or {}).values())
            for process in processes:  # the executor has no public way to stop running work
                process.terminate()
            # then wait for its manager thread, which sees them die: left running, it races
            # Python's exit (an OSError traceback from concurrent.futures)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)
    finally:
        bar.close()


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent (which stops them): no traceback from each."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _progress_bar(total: int, enabled: bool):
    if enabled:
        from tqdm.auto import tqdm  # a widget in notebooks: imported only when shown
    else:
        from tqdm import tqdm
    return tqdm(total=total, desc="decoding experiments", unit="experiment", disable=not enabled)
