"""A measured QEC experiment: the circuit as run, its measured detection events and flips.

:class:`Experiment` is what every other part of :mod:`qecsim.experiment` reads. It comes from
a folder in Google Quantum AI's published layout (:meth:`Experiment.load`), from shot files in
any of stim's formats (:meth:`Experiment.from_files`), from arrays
(:meth:`Experiment.from_arrays`), or from a simulated device (:meth:`Experiment.from_simulation`).
"""

from __future__ import annotations

import json
import os
import pathlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import stim

from qecsim.errors import QecsimError
from qecsim.experiment import files, google
from qecsim.experiment.operations import warn_if_operations_differ
from qecsim.noise.model import NoiseModel
from qecsim.validation import check_int

__all__ = ["Experiment"]

PathLike = str | os.PathLike


def _bool_array(name: str, value: Any, columns: int, shots: int | None, what: str) -> np.ndarray:
    array = np.asarray(value)
    if array.ndim == 1 and columns == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise QecsimError(f"{name} has shape {array.shape}; expected (shots, {columns}) ({what})")
    if array.shape[1] != columns:
        raise QecsimError(
            f"{name} has {array.shape[1]} columns but {what} has {columns}: the data were "
            "taken with another circuit"
        )
    if shots is not None and array.shape[0] != shots:
        raise QecsimError(f"{name} has {array.shape[0]} shots; the detection events have {shots}")
    if array.dtype != bool:
        if not np.issubdtype(array.dtype, np.integer) or (array.size and array.max() > 1) or (
            array.size and array.min() < 0
        ):
            raise QecsimError(f"{name} has dtype {array.dtype}; expected bool (or 0/1 integers)")
        array = array.astype(bool)
    view = array.view()
    view.flags.writeable = False
    return view


def _as_circuit(value: Any, what: str) -> stim.Circuit:
    if isinstance(value, stim.Circuit):
        return value
    if isinstance(value, (str, os.PathLike)):
        return files.read_circuit(value, what)
    raise QecsimError(f"{what}={value!r} is not a stim.Circuit or the path of a .stim file")


def _as_model(model: Any, circuit: stim.Circuit) -> stim.Circuit | None:
    if model is None:
        return None
    if isinstance(model, NoiseModel):
        return model.noisy_circuit(circuit)
    return _as_circuit(model, "model")


@dataclass(frozen=True, eq=False)
class Experiment:
    """A measured QEC experiment.

    Attributes:
        circuit: The circuit as run, without noise (its detectors and observables define the
            columns of the data).
        detection_events: Measured detection events, bool, shape (shots, detectors).
        observable_flips: Measured logical observable flips, bool, shape (shots, observables),
            or None when unknown.
        model: A noisy circuit that models the device (the same detectors), or None.
        metadata: ``code``, ``basis``, ``d``, ``rounds`` (the keys of qecsim's simulated tasks)
            and anything else (``name``, Google's ``properties.yml`` entries, ...).
        reference_predictions: Other decoders' predicted observable flips shipped with the
            data, decoder name -> bool array (shots, observables).

    Examples:
        >>> import qecsim
        >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 5))
        >>> experiment.num_shots, experiment.num_detectors, experiment.metadata["d"]
        (10000, 40, 3)
        >>> round(float(experiment.detection_events.mean()), 3)
        0.132
    """

    circuit: stim.Circuit
    detection_events: np.ndarray = field(repr=False)
    observable_flips: np.ndarray | None = field(default=None, repr=False)
    model: stim.Circuit | None = field(default=None, repr=False)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    reference_predictions: Mapping[str, np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.circuit, stim.Circuit):
            raise QecsimError(f"circuit is a {type(self.circuit).__name__}, not a stim.Circuit")
        detectors = self.circuit.num_detectors
        what = f"the circuit ({detectors} detectors)"
        events = _bool_array("detection_events", self.detection_events, detectors, None, what)
        set_(self, "detection_events", events)
        shots = events.shape[0]
        observables = self.circuit.num_observables
        what_obs = f"the circuit ({observables} observables)"
        if self.observable_flips is not None:
            flips = _bool_array("observable_flips", self.observable_flips, observables, shots,
                                what_obs)
            set_(self, "observable_flips", flips)
        if self.model is not None:
            if not isinstance(self.model, stim.Circuit):
                raise QecsimError(f"model is a {type(self.model).__name__}, not a stim.Circuit")
            if (self.model.num_detectors, self.model.num_observables) != (detectors, observables):
                raise QecsimError(
                    f"model has {self.model.num_detectors} detectors and "
                    f"{self.model.num_observables} observables; the circuit has {detectors} "
                    f"and {observables}"
                )
        if not isinstance(self.metadata, Mapping):
            raise QecsimError(f"metadata={self.metadata!r} is not a dict")
        try:
            json.dumps(dict(self.metadata))
        except TypeError as error:
            raise QecsimError(f"metadata is not JSON-serialisable: {error}") from None
        set_(self, "metadata", dict(self.metadata))
        predictions = {
            str(name): _bool_array(f"reference_predictions[{name!r}]", value, observables,
                                   shots, what_obs)
            for name, value in dict(self.reference_predictions).items()
        }
        set_(self, "reference_predictions", predictions)

    # ------------------------------------------------------------------ properties
    @property
    def num_shots(self) -> int:
        """Shots measured."""
        return int(self.detection_events.shape[0])

    @property
    def num_detectors(self) -> int:
        """Detectors per shot (the circuit's)."""
        return int(self.detection_events.shape[1])

    @property
    def name(self) -> str:
        """``metadata["name"]`` (the folder name for :meth:`load`), or ``""``."""
        return str(self.metadata.get("name", ""))

    def __repr__(self) -> str:
        keys = {k: self.metadata[k] for k in ("name", "code", "basis", "d", "rounds")
                if k in self.metadata}
        return (f"Experiment({keys}, shots={self.num_shots}, detectors={self.num_detectors}, "
                f"model={'yes' if self.model is not None else 'no'})")

    def select(self, shots: slice | Sequence[int] | np.ndarray) -> Experiment:
        """The same experiment restricted to some shots (a slice, indices or a bool mask).

        Examples:
            >>> import qecsim
            >>> experiment = qecsim.Experiment.load(qecsim.experiment.google_data_path(3, 1))
            >>> experiment.select(slice(0, 100)).num_shots
            100
        """
        index = shots if isinstance(shots, slice) else np.asarray(shots)

        def take(array: np.ndarray | None) -> np.ndarray | None:
            return None if array is None else array[index]

        return Experiment(
            circuit=self.circuit,
            detection_events=take(self.detection_events),
            observable_flips=take(self.observable_flips),
            model=self.model,
            metadata=self.metadata,
            reference_predictions={k: take(v) for k, v in self.reference_predictions.items()},
        )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        *,
        circuit: stim.Circuit | PathLike,
        detection_events: np.ndarray,
        observable_flips: np.ndarray | None = None,
        model: stim.Circuit | NoiseModel | PathLike | None = None,
        metadata: Mapping[str, Any] | None = None,
        reference_predictions: Mapping[str, np.ndarray] | None = None,
    ) -> Experiment:
        """An experiment from arrays already in memory.

        Args:
            circuit: The circuit as run (noiseless), or the path of its ``.stim`` file.
            detection_events: Bool (or 0/1) array, shape (shots, circuit detectors).
            observable_flips: Bool array, shape (shots, circuit observables), or None.
            model: A noisy model circuit (or its path), or a :class:`qecsim.NoiseModel` to
                apply to ``circuit``.
            metadata: ``code``, ``basis``, ``d``, ``rounds`` and anything else.
            reference_predictions: Other decoders' predictions, name -> array.

        Raises:
            QecsimError: A shape that does not fit the circuit, or bad metadata.

        Examples:
            >>> import numpy as np, qecsim
            >>> circuit = qecsim.memory_circuit(distance=3, rounds=2)
            >>> qecsim.Experiment.from_arrays(circuit=circuit,
            ...     detection_events=np.zeros((5, 16), dtype=bool)).num_shots
            5
            >>> qecsim.Experiment.from_arrays(circuit=circuit,
            ...     detection_events=np.zeros((5, 17), dtype=bool))
            Traceback (most recent call last):
            ...
            qecsim.errors.QecsimError: detection_events has 17 columns but the circuit (16 detectors) has 16: the data were taken with another circuit
        """  # noqa: E501
        circuit = _as_circuit(circuit, "circuit")
        return cls(
            circuit=circuit,
            detection_events=detection_events,
            observable_flips=observable_flips,
            model=_as_model(model, circuit),
            metadata=dict(metadata or {}),
            reference_predictions=dict(reference_predictions or {}),
        )

    @classmethod
    def from_files(
        cls,
        *,
        circuit: stim.Circuit | PathLike,
        detection_events: PathLike,
        observable_flips: PathLike | None = None,
        format: str | None = None,
        observable_format: str | None = None,
        model: stim.Circuit | NoiseModel | PathLike | None = None,
        metadata: Mapping[str, Any] | None = None,
        shots: int | None = None,
    ) -> Experiment:
        """An experiment from shot files in one of stim's formats (:data:`files.SHOT_FORMATS`).

        Sizes are checked against the circuit before any data is read. A ``dets`` file may
        also hold the observables (``shot D3 L0``) when ``observable_flips`` is None.

        A binary file (``b8``, ``r8``, ``ptb64``) does not say how many bits a shot has: a file
        written for another circuit, or cut at a shot boundary, can fit this circuit's size.
        The observable file (whose shots must match) or ``shots`` (the number taken) closes
        that gap; give one of them when you can.

        Args:
            circuit: The circuit as run, or the path of its ``.stim`` file.
            detection_events: The detection-event file.
            observable_flips: The observable-flip file, or None.
            format: ``"b8"``, ``"01"``, ``"r8"``, ``"ptb64"`` or ``"dets"``; None takes the
                file's extension.
            observable_format: The observable file's format; None takes its extension when
                that is a format name, else ``format``.
            model: A noisy model circuit (or path), or a NoiseModel to apply to ``circuit``.
            metadata: ``code``, ``basis``, ``d``, ``rounds`` and anything else.
            shots: The number of shots the files must hold, if known (an integer >= 1).

        Raises:
            QecsimError: An unknown format, a missing file, a file whose size does not fit
                the circuit (named, with the size expected), or shot counts that differ
                (between the files, or from ``shots``).
        """
        circuit = _as_circuit(circuit, "circuit")
        fmt = files.resolve_format(detection_events, format)
        obs_fmt = None
        if observable_flips is not None:
            suffix = pathlib.Path(observable_flips).suffix.lstrip(".")
            obs_fmt = files.resolve_format(
                observable_flips,
                observable_format or (suffix if suffix in files.SHOT_FORMATS else fmt),
            )
        num_det, num_obs = circuit.num_detectors, circuit.num_observables
        if shots is not None:
            shots = check_int("shots", shots, 1, 2**62)
        shots = files.check_shot_file(
            detection_events, format=fmt, num_bits=num_det, what=f"{num_det} detectors",
            shots=shots,
        ) or shots
        if observable_flips is not None:
            files.check_shot_file(
                observable_flips, format=obs_fmt, num_bits=num_obs,
                what=f"{num_obs} observables", shots=shots,
            )
        model_circuit = _as_model(model, circuit)
        if observable_flips is None and fmt == "dets":
            data = files.read_shot_file(
                detection_events, format=fmt, num_detectors=num_det, num_observables=num_obs
            )
            events, flips = data[:, :num_det], data[:, num_det:]
        else:
            events = files.read_shot_file(detection_events, format=fmt, num_detectors=num_det)
            flips = None
            if observable_flips is not None:
                flips = files.read_shot_file(
                    observable_flips, format=obs_fmt, num_observables=num_obs
                )
        if shots is not None and events.shape[0] != shots:
            raise QecsimError(
                f"{pathlib.Path(detection_events).name} holds {events.shape[0]} shots of "
                f"{num_det} detectors; shots={shots} were expected: the file is truncated or "
                "was written for another circuit"
            )
        if flips is not None and flips.shape[0] != events.shape[0]:
            raise QecsimError(
                f"{pathlib.Path(observable_flips or detection_events).name} holds "
                f"{flips.shape[0]} shots; {pathlib.Path(detection_events).name} holds "
                f"{events.shape[0]}"
            )
        return cls(
            circuit=circuit,
            detection_events=events,
            observable_flips=flips,
            model=model_circuit,
            metadata=dict(metadata or {}),
        )

    @classmethod
    def from_simulation(
        cls,
        truth: stim.Circuit,
        *,
        shots: int,
        circuit: stim.Circuit | None = None,
        model: stim.Circuit | NoiseModel | None = None,
        metadata: Mapping[str, Any] | None = None,
        seed: int | None = None,
    ) -> Experiment:
        """A synthetic experiment: shots sampled from a noisy circuit that plays the device.

        Args:
            truth: The noisy circuit standing in for the device.
            shots: Shots to sample.
            circuit: The circuit as run; None means ``truth.without_noise()``.
            model: The model to compare with (a noisy circuit, or a NoiseModel applied to
                ``circuit``); None for none.
            metadata: ``code``, ``basis``, ``d``, ``rounds`` and anything else.
            seed: stim's sampler seed.

        Warns:
            UserWarning: ``circuit`` runs other operations than ``truth.without_noise()``
                (e.g. CX where the truth runs CZ), naming the first difference: a model
                applied to the circuit as run would then describe another circuit than the
                one that made the data.

        Examples:
            >>> import qecsim
            >>> noise = qecsim.NoiseModel.si1000(2e-3)
            >>> truth = qecsim.memory_circuit(distance=3, rounds=3, noise=noise)
            >>> as_run = qecsim.memory_circuit(distance=3, rounds=3, gate_set=noise.gate_set)
            >>> experiment = qecsim.Experiment.from_simulation(
            ...     truth, shots=1000, circuit=as_run, model=noise, seed=1)
            >>> experiment.num_shots, experiment.model == truth
            (1000, True)
        """
        if not isinstance(truth, stim.Circuit):
            raise QecsimError(f"truth is a {type(truth).__name__}, not a stim.Circuit")
        if isinstance(shots, bool) or not isinstance(shots, (int, np.integer)) or shots < 1:
            raise QecsimError(f"shots={shots!r} is not an integer >= 1")
        if circuit is None:
            circuit = truth.without_noise()
        elif isinstance(circuit, stim.Circuit):
            warn_if_operations_differ(circuit, truth, what="the truth (without noise)")
        sampler = truth.compile_detector_sampler(seed=seed)
        events, flips = sampler.sample(int(shots), separate_observables=True)
        return cls.from_arrays(
            circuit=circuit,
            detection_events=events,
            observable_flips=flips,
            model=model,
            metadata=metadata,
        )

    @classmethod
    def load(cls, path: PathLike) -> Experiment:
        """A folder in Google Quantum AI's published layout.

        Reads ``properties.yml``, ``circuit_ideal.stim`` (the circuit as run),
        ``circuit_noisy.stim`` (the model, optional), ``detection_events.b8`` (or, when it is
        absent, ``measurements.b8`` and ``sweep.b8`` converted with stim's
        measurements-to-detections converter), ``obs_flips_actual.01`` and any
        ``obs_flips_predicted_by_<decoder>.01``. Every file's size is checked against the
        circuit and ``properties.yml`` before any data is read.

        Args:
            path: The folder, e.g. ``surface_code_bX_d3_r05_center_3_5``.

        Returns:
            The experiment; its metadata holds ``name`` (the folder name), ``code``,
            ``basis``, ``d``, ``rounds`` and every entry of ``properties.yml``.

        Raises:
            QecsimError: A missing folder or file (named), a file whose size does not fit.
        """
        return cls(**google.read_google_folder(pathlib.Path(path)))

    @classmethod
    def load_all(cls, *paths: PathLike) -> tuple[Experiment, ...]:
        """Every experiment folder under ``paths`` (a folder itself, or its subfolders).

        Examples:
            >>> import qecsim
            >>> experiments = qecsim.Experiment.load_all(qecsim.experiment.google_data_path())
            >>> len(experiments), experiments[0].name
            (26, 'surface_code_bX_d3_r01_center_3_5')
        """
        return tuple(cls.load(folder) for folder in google.experiment_folders(paths))
