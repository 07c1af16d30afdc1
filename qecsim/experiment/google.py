"""Google Quantum AI's published experiment layout, and the subset of it shipped with qecsim.

The subset (``qecsim/data/google_sycamore_2022``, its README has the attribution) holds the
first 10,000 shots of the 26 X-basis folders of Nature 614, 676 (2023), Zenodo 6804040. For
the full data set, download it and pass its folder as ``root`` to :func:`google_data_path`.
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterable
from typing import Any

from qecsim.errors import QecsimError
from qecsim.experiment import files

__all__ = [
    "GOOGLE_DATA",
    "GOOGLE_FILES",
    "experiment_folders",
    "google_data_path",
    "read_google_folder",
]

#: The files of a folder in Google's layout that :meth:`qecsim.Experiment.load` reads.
GOOGLE_FILES = {
    "properties": "properties.yml",
    "circuit": "circuit_ideal.stim",
    "model": "circuit_noisy.stim",
    "detection_events": "detection_events.b8",
    "measurements": "measurements.b8",
    "sweep": "sweep.b8",
    "observable_flips": "obs_flips_actual.01",
}
_PREDICTION_PREFIX = "obs_flips_predicted_by_"
_GOOGLE_CODES = {"surface_code_memory_experiment": "rotated_surface_code"}

#: The shipped subset of Google's Sycamore surface-code data (CC BY 4.0, see its README.md).
GOOGLE_DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "google_sycamore_2022"


def google_data_path(
    distance: int | None = None,
    rounds: int | None = None,
    *,
    basis: str = "X",
    root: str | pathlib.Path | None = None,
) -> pathlib.Path:
    """The folder of one of Google's experiments, or the root holding them all.

    Args:
        distance: 3 or 5 (the folders centred at (3, 5) and (5, 5)); None for the root.
        rounds: 1, 3, ..., 25.
        basis: ``"X"`` (the only basis shipped) or ``"Z"`` (full data set only).
        root: The folder holding Google's experiment folders; None means the subset shipped
            with qecsim (10,000 shots each). Point it at a download of Zenodo 6804040 for the
            full 50,000 shots.

    Raises:
        QecsimError: No such folder.

    Examples:
        >>> google_data_path(5, 25).name
        'surface_code_bX_d5_r25_center_5_5'
    """
    base = GOOGLE_DATA if root is None else pathlib.Path(root)
    if distance is None and rounds is None:
        if not base.is_dir():
            raise QecsimError(f"{base}: no such folder")
        return base
    if distance is None or rounds is None:
        raise QecsimError(f"give both distance and rounds (got {distance!r}, {rounds!r})")
    centre = {3: "3_5", 5: "5_5"}.get(distance)
    if centre is None:
        raise QecsimError(f"distance={distance!r} is not in [3, 5] (Google's centred folders)")
    folder = base / f"surface_code_b{basis}_d{distance}_r{rounds:02d}_center_{centre}"
    if not folder.is_dir():
        raise QecsimError(f"{folder}: no such experiment folder")
    return folder


def _is_experiment(folder: pathlib.Path) -> bool:
    return (folder / "circuit_ideal.stim").is_file()


def experiment_folders(paths: Iterable[str | pathlib.Path]) -> list[pathlib.Path]:
    """Experiment folders: each path itself when it is one, else its experiment subfolders."""
    found: list[pathlib.Path] = []
    for raw in paths:
        path = pathlib.Path(raw)
        if not path.is_dir():
            raise QecsimError(f"{path}: no such folder")
        if _is_experiment(path):
            found.append(path)
            continue
        children = sorted(p for p in path.iterdir() if p.is_dir() and _is_experiment(p))
        if not children:
            raise QecsimError(
                f"{path} holds no experiment folder (a folder with circuit_ideal.stim)"
            )
        found.extend(children)
    return found


def _metadata(folder: pathlib.Path, properties: dict[str, Any]) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": folder.name}
    kind = properties.get("type")
    if kind in _GOOGLE_CODES:
        metadata["code"] = _GOOGLE_CODES[kind]
    for ours, theirs in (("basis", "basis"), ("d", "distance"), ("rounds", "rounds")):
        if theirs in properties:
            metadata[ours] = properties[theirs]
    metadata.update({k: v for k, v in properties.items() if k not in metadata})
    return metadata


def _check_properties(folder: pathlib.Path, properties: dict[str, Any], circuit) -> None:
    for key, actual in (
        ("circuit_detectors", circuit.num_detectors),
        ("circuit_observables", circuit.num_observables),
        ("circuit_measurements", circuit.num_measurements),
    ):
        if key in properties and properties[key] != actual:
            raise QecsimError(
                f"{folder.name}/properties.yml has {key}: {properties[key]} but "
                f"circuit_ideal.stim has {actual}"
            )


def read_google_folder(folder: pathlib.Path) -> dict[str, Any]:
    """The fields of an Experiment from one folder in Google's layout (see Experiment.load)."""
    if not folder.is_dir():
        raise QecsimError(f"{folder}: no such folder")
    named = {key: folder / name for key, name in GOOGLE_FILES.items()}
    has_events = named["detection_events"].is_file()
    if not named["circuit"].is_file() or not (has_events or named["measurements"].is_file()):
        missing = "circuit_ideal.stim" if not named["circuit"].is_file() else (
            "detection_events.b8 (or measurements.b8)")
        raise QecsimError(
            f"{folder} has no {missing}; Google's layout needs circuit_ideal.stim and "
            "detection_events.b8 (or measurements.b8 + sweep.b8)"
        )
    properties = files.read_properties(named["properties"]) if named["properties"].is_file() \
        else {}
    circuit = files.read_circuit(named["circuit"], "the circuit as run")
    _check_properties(folder, properties, circuit)
    model = files.read_circuit(named["model"], "model") if named["model"].is_file() else None
    shots = properties.get("shots")
    num_det, num_obs = circuit.num_detectors, circuit.num_observables
    # check every size before reading any data
    observable_files = {"actual": named["observable_flips"]} if named[
        "observable_flips"].is_file() else {}
    observable_files.update({
        path.name[len(_PREDICTION_PREFIX):-3]: path
        for path in sorted(folder.glob(f"{_PREDICTION_PREFIX}*.01"))
    })
    if has_events:
        shots = files.check_shot_file(named["detection_events"], format="b8", num_bits=num_det,
                                      what=f"{num_det} detectors", shots=shots)
    else:
        shots = files.check_shot_file(
            named["measurements"], format="b8", num_bits=circuit.num_measurements,
            what=f"{circuit.num_measurements} measurements", shots=shots)
        if circuit.num_sweep_bits:
            files.check_shot_file(named["sweep"], format="b8", num_bits=circuit.num_sweep_bits,
                                  what=f"{circuit.num_sweep_bits} sweep bits", shots=shots)
    for path in observable_files.values():
        files.check_shot_file(path, format="01", num_bits=num_obs,
                              what=f"{num_obs} observables", shots=shots)
    flips = None
    if has_events:
        events = files.read_shot_file(named["detection_events"], format="b8",
                                      num_detectors=num_det)
    else:
        events, flips = _convert_measurements(circuit, named)
    read = {
        name: files.read_shot_file(path, format="01", num_observables=num_obs)
        for name, path in observable_files.items()
    }
    flips = read.pop("actual", flips)
    return {
        "circuit": circuit,
        "detection_events": events,
        "observable_flips": flips,
        "model": model,
        "metadata": _metadata(folder, properties),
        "reference_predictions": read,
    }


def _convert_measurements(circuit, named: dict[str, pathlib.Path]):
    """Detection events and flips from measurements (+ sweep bits), by stim's converter."""
    measurements = files.read_shot_file(
        named["measurements"], format="b8", num_measurements=circuit.num_measurements
    )
    sweep = None
    if circuit.num_sweep_bits:
        sweep = files.read_shot_file(
            named["sweep"], format="b8", num_measurements=circuit.num_sweep_bits
        )
    converter = circuit.compile_m2d_converter()
    return converter.convert(
        measurements=measurements, sweep_bits=sweep, separate_observables=True
    )
