"""Sweep tasks from your own stim circuits, and the metadata that rebuilds them.

A hardware team's circuit (its own compiler's output, Google's published ``circuit_noisy.stim``,
anything stim reads) is swept, collected, resumed and analysed like qecsim's generated
circuits: :func:`circuit_tasks` (also ``qecsim.sweep_tasks(circuits=...)``) makes one
``sinter.Task`` per circuit and scale factor, and :func:`circuit_from_circuit_metadata` (also
``qecsim.circuit_from_metadata``) rebuilds a task's circuit from its ``json_metadata``.

The circuits given together form one *family* (say the d = 3 and d = 5 circuits of one device,
or a rounds series), as a noise model's distances do. Every task of the family has the same
metadata except ``d``, ``rounds`` and the scale factors, so the analysis groups them as it
groups a generated sweep (Lambda across distances, error per round across rounds):

======================  ==========================================================================
key                     meaning
======================  ==========================================================================
``code``, ``basis``     only when given (labels; the circuit is what it is)
``d``                   the distance given for the circuit, else its graphlike circuit distance
``rounds``              given, else from the detectors' time coordinate (their last one)
``noise``               ``"circuit"``
``circuit``             the family's name (``name=``, default ``"circuit"``)
``scale``               only when swept (``scales=``): a factor of every tagged channel
``scale_<key>``         a factor of one component's (or ``component.part``'s) channels
``circuit_files``       the family: one ``{"d", "rounds", "sha256", "path"}`` per circuit
======================  ==========================================================================

``sha256`` identifies a circuit as given by the first 24 hex digits of the SHA-256 of its exact
text (:func:`qecsim.circuits.files.circuit_text`: every argument to the last digit, comments
and layout aside); ``path`` is the absolute path of the file it was read from (None for a
``stim.Circuit`` passed directly). A task's circuit is the given circuit, its untagged noise
tagged by :func:`qecsim.tag_noise` (the scale factors act on tags), scaled by
:func:`qecsim.noise.tagging.scale_tagged`. :func:`circuit_from_circuit_metadata` reads the
file (or picks from the circuits you pass) and checks its hash, so a changed file is an
error, never a silent other circuit; and since sinter's ``strong_id`` hashes the circuit
itself, a store never merges the statistics of different circuits. A family is one call:
sweeping more circuits later makes a new family (new metadata), whose tasks are collected
anew.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import math
import numbers
import os
import pathlib
from collections.abc import Mapping, Sequence
from typing import Any

import sinter
import stim

from qecsim.circuits.files import circuit_text, read_circuit
from qecsim.errors import QecsimError, describe
from qecsim.noise.components import parse_tag
from qecsim.noise.tagging import TaggingSummary, scale_tagged, tag_noise

__all__ = [
    "CIRCUIT_NOISE",
    "UserCircuit",
    "circuit_from_circuit_metadata",
    "circuit_sha256",
    "circuit_tasks",
    "graphlike_distance",
    "read_user_circuits",
    "rounds_from_detectors",
    "sweep_circuits",
]

#: The ``noise`` metadata value of a task made from a user's circuit.
CIRCUIT_NOISE = "circuit"
_FILES = "circuit_files"
_SCALE_PREFIX = "scale_"

CircuitLike = stim.Circuit | str | os.PathLike


@dataclasses.dataclass(frozen=True)
class UserCircuit:
    """A user's circuit ready to sample: tagged, with its distance, rounds and identity.

    Attributes:
        circuit: The circuit with every noise channel tagged (its own tags kept).
        distance: The distance given for it, else its graphlike circuit distance.
        rounds: Its rounds (given, else from the detectors' time coordinate).
        sha256: Identity of the circuit as given (:func:`circuit_sha256`).
        path: The absolute path of its file, or None.
        summary: What :func:`qecsim.tag_noise` did, or None when it was already tagged.
    """

    circuit: stim.Circuit
    distance: int
    rounds: int
    sha256: str
    path: str | None = None
    summary: TaggingSummary | None = None

    @property
    def label(self) -> str:
        """``d=3, rounds=5`` and the file name, for messages."""
        where = f" ({pathlib.Path(self.path).name})" if self.path else ""
        return f"d={self.distance}, rounds={self.rounds}{where}"


def circuit_sha256(circuit: stim.Circuit) -> str:
    """The first 24 hex digits of the SHA-256 of the circuit's exact text.

    Examples:
        >>> a, b = stim.Circuit("H 0\\nM 0"), stim.Circuit("H 0  # a comment\\n\\nM 0")
        >>> circuit_sha256(a) == circuit_sha256(b), len(circuit_sha256(a))
        (True, 24)
    """
    return hashlib.sha256(circuit_text(circuit).encode()).hexdigest()[:24]


def rounds_from_detectors(circuit: stim.Circuit, *, what: str = "circuit") -> int:
    """A memory circuit's rounds from its detectors' time (last) coordinate.

    stim's, qecsim's and Google's memory circuits put the detectors of round t at time t and
    the final data-qubit detectors after the last round, so the rounds are the number of
    distinct times minus one.

    Raises:
        QecsimError: A detector has no coordinates, or all share one time: give ``rounds``.

    Examples:
        >>> import qecsim
        >>> rounds_from_detectors(qecsim.memory_circuit(distance=3, rounds=4))
        4
    """
    coordinates = circuit.get_detector_coordinates()
    missing = sum(1 for d in range(circuit.num_detectors) if not coordinates.get(d))
    if circuit.num_detectors == 0 or missing:
        raise QecsimError(
            f"{what}: {missing} of its {circuit.num_detectors} detectors have no coordinates, "
            "so its rounds cannot be read from their time coordinate; give rounds="
        )
    times = {values[-1] for values in coordinates.values()}
    if len(times) < 2:
        raise QecsimError(
            f"{what}: every detector has the time coordinate {times.pop()!r}, so its rounds "
            "cannot be read from it; give rounds="
        )
    return len(times) - 1


def graphlike_distance(circuit: stim.Circuit, *, what: str = "circuit") -> int:
    """The length of the circuit's shortest graphlike logical error (its circuit distance).

    Raises:
        QecsimError: The circuit has no observable, no detector error model (e.g. a
            non-deterministic detector or observable) or no logical error of graphlike
            errors.
    """
    if circuit.num_observables < 1:
        raise QecsimError(f"{what} has no OBSERVABLE_INCLUDE: it has no logical error")
    try:
        dem = circuit.detector_error_model(
            decompose_errors=True, ignore_decomposition_failures=True,
            approximate_disjoint_errors=True,
        )
    except ValueError as error:
        first = str(error).strip().splitlines()[0]
        raise QecsimError(f"{what}: stim cannot make its detector error model: {first}") from None
    try:
        return len(dem.shortest_graphlike_error(ignore_ungraphlike_errors=True))
    except ValueError as error:
        raise QecsimError(
            f"{what}: no graphlike logical error to measure its distance ({error}); give the "
            "distance as the key of a mapping {distance: circuit}"
        ) from None


def _load(item: Any, what: str) -> tuple[stim.Circuit, str | None]:
    if isinstance(item, stim.Circuit):
        return item, None
    if isinstance(item, (str, os.PathLike)):
        path = pathlib.Path(item).resolve()
        return read_circuit(path), str(path)
    raise QecsimError(f"{what}={describe(item)} is not a stim.Circuit or a .stim file path")


def _entries(circuits: Any) -> list[tuple[int | None, Any, str]]:
    """(given distance or None, circuit or path, description) for each circuit given."""
    if isinstance(circuits, (stim.Circuit, str, os.PathLike)):
        return [(None, circuits, "circuit")]
    if isinstance(circuits, Mapping):
        entries = []
        for key, item in circuits.items():
            if isinstance(key, bool) or not isinstance(key, numbers.Integral) or key < 1:
                raise QecsimError(
                    f"circuits has the key {key!r}: the keys of a mapping are distances "
                    "(integers >= 1)"
                )
            entries.append((int(key), item, f"circuit d={key}"))
    elif isinstance(circuits, Sequence):
        entries = [(None, item, f"circuit {i}") for i, item in enumerate(circuits)]
    else:
        raise QecsimError(
            f"circuits={describe(circuits)} is not a stim.Circuit, a .stim path, a sequence of "
            "them or a mapping {distance: circuit}"
        )
    if not entries:
        raise QecsimError("circuits is empty: give at least one stim circuit")
    return entries


def _rounds_of(rounds: Any, index: int, key: int | None, count: int) -> int | None:
    """The rounds given for circuit ``index`` (mapping key ``key``), or None."""
    if rounds is None:
        return None
    if isinstance(rounds, Mapping):
        value = rounds.get(key)
        if value is None:
            raise QecsimError(f"rounds={dict(rounds)!r} has no entry for d={key}")
    elif isinstance(rounds, Sequence) and not isinstance(rounds, str):
        if len(rounds) != count:
            raise QecsimError(f"rounds has {len(rounds)} entries for {count} circuits")
        value = rounds[index]
    else:
        value = rounds
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise QecsimError(f"rounds={value!r} is not an integer >= 1")
    return int(value)


def read_user_circuits(circuits: Any, *, rounds: Any = None) -> list[UserCircuit]:
    """Read, tag and describe the circuits a user gives (all checks before any sampling).

    Args:
        circuits: A ``stim.Circuit`` or a ``.stim`` path, a sequence of them, or a mapping
            ``{distance: circuit or path}``.
        rounds: None (each circuit's detectors' time coordinate), one integer for all, one
            per circuit (a sequence in order), or a mapping keyed like ``circuits``.

    Returns:
        One :class:`UserCircuit` per circuit, in the order given.

    Raises:
        QecsimError: A bad circuit, path or rounds; a circuit without observables; rounds
            that can be neither given nor read; a distance that cannot be measured.

    Examples:
        >>> import qecsim
        >>> noisy = qecsim.memory_circuit(distance=3, rounds=2,
        ...                               noise=qecsim.NoiseModel.si1000(1e-3))
        >>> (user,) = read_user_circuits(noisy.without_tags())
        >>> user.distance, user.rounds, user.summary.num_other
        (3, 2, 0)
    """
    entries = _entries(circuits)
    users = []
    for index, (key, item, what) in enumerate(entries):
        circuit, path = _load(item, what)
        what = f"{what} ({path})" if path else what
        if circuit.num_observables < 1:
            raise QecsimError(f"{what} has no OBSERVABLE_INCLUDE: it has no logical error")
        given = _rounds_of(rounds, index, key, len(entries))
        r = given if given is not None else rounds_from_detectors(circuit, what=what)
        d = key if key is not None else graphlike_distance(circuit, what=what)
        tagged, summary = tag_noise(circuit, return_summary=True)
        users.append(UserCircuit(tagged, d, r, circuit_sha256(circuit), path,
                                 summary if summary.total else None))
    return users


def _factors(name: str, values: Any) -> list[dict[str, float]]:
    """{key: factor or [factors]} -> every combination (keys: component or component.part)."""
    if values is None:
        return [{}]
    if not isinstance(values, Mapping):
        raise QecsimError(f"{name}={values!r} is not a mapping component -> factor(s)")
    options = []
    for key, value in values.items():
        tag = parse_tag(key) if isinstance(key, str) else None
        if tag is None or tag.qubits:
            raise QecsimError(
                f"{name} has the key {key!r}: not a component or component.part (e.g. "
                "two_qubit_gate, crosstalk.static_zz)"
            )
        listed = [value] if isinstance(value, numbers.Real) else list(value)
        for factor in listed:
            if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not (
                0 <= factor < math.inf
            ):
                raise QecsimError(f"{name}[{key!r}]={factor!r} is not a number in [0, inf)")
        if not listed or len(set(listed)) != len(listed):
            raise QecsimError(f"{name}[{key!r}]={value!r} is empty or lists a factor twice")
        options.append([(key, float(f)) for f in listed])
    return [dict(combo) for combo in itertools.product(*options)]


def _whole_scales(scales: Any) -> list[float | None]:
    if scales is None:
        return [None]
    listed = [scales] if isinstance(scales, numbers.Real) else list(scales)
    for factor in listed:
        if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not (
            0 < factor < math.inf
        ):
            raise QecsimError(f"scales entry {factor!r} is not a number in (0, inf)")
    if not listed or len(set(listed)) != len(listed):
        raise QecsimError(f"scales={scales!r} is empty or lists a factor twice")
    return [float(f) for f in listed]


def _scaled(circuit: stim.Circuit, metadata: Mapping[str, Any]) -> stim.Circuit:
    whole = float(metadata.get("scale", 1.0))
    factors = {k[len(_SCALE_PREFIX):]: float(v) for k, v in metadata.items()
               if k.startswith(_SCALE_PREFIX)}
    if whole == 1.0 and not factors:
        return circuit
    return scale_tagged(
        circuit, lambda tag: whole * factors.get(tag.key, factors.get(tag.component, 1.0))
    )


def circuit_tasks(
    circuits: Any,
    *,
    rounds: Any = None,
    scales: float | Sequence[float] | None = None,
    component_scales: Mapping[str, float | Sequence[float]] | None = None,
    decoders: str | Sequence[str] | None = None,
    name: str = "circuit",
    code: str | None = None,
    basis: str | None = None,
) -> list[sinter.Task]:
    """One ``sinter.Task`` per circuit and scale factor (see the module docstring).

    Args:
        circuits: As :func:`read_user_circuits` (paths make the tasks rebuildable from a
            store by :func:`qecsim.circuit_from_metadata` alone).
        rounds: As :func:`read_user_circuits`.
        scales: Factor(s) of every tagged channel (metadata ``scale``).
        component_scales: key -> factor(s) of one component's channels, e.g.
            ``{"two_qubit_gate": [0.5, 1, 2]}`` (metadata ``scale_two_qubit_gate``).
        decoders: Decoder name(s) set on the tasks, or None (``qecsim.collect`` decides).
        name: The family's name (metadata ``circuit``), shown in labels.
        code, basis: Recorded for labels only, when given.

    Returns:
        The tasks, circuit by circuit (in the order given), then scale factors, then decoders.

    Raises:
        QecsimError: Bad circuits or factors, two circuits with the same distance and
            rounds, a factor that takes a channel beyond its range; before any sampling.

    Examples:
        >>> import qecsim
        >>> noisy = qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(1e-3))
        >>> tasks = circuit_tasks({3: noisy}, component_scales={"two_qubit_gate": [0.5, 2]})
        >>> [t.json_metadata["scale_two_qubit_gate"] for t in tasks]
        [0.5, 2.0]
        >>> qecsim.circuit_from_metadata(tasks[0].json_metadata, circuits=[noisy]) == tasks[0].circuit
        True
    """  # noqa: E501
    users = read_user_circuits(circuits, rounds=rounds)
    seen: dict[tuple[int, int], str] = {}
    for user in users:
        if (user.distance, user.rounds) in seen:
            raise QecsimError(
                f"two circuits have d={user.distance} and rounds={user.rounds} "
                f"({seen[(user.distance, user.rounds)]}; {user.label}): a family holds one "
                "circuit per distance and rounds; sweep them separately (another name=)"
            )
        seen[(user.distance, user.rounds)] = user.label
    if not isinstance(name, str) or not name:
        raise QecsimError(f"name={name!r} is not a non-empty string")
    grid = []
    for whole, factors in itertools.product(
        _whole_scales(scales), _factors("component_scales", component_scales)
    ):
        items = {} if whole is None else {"scale": whole}
        grid.append(items | {_SCALE_PREFIX + k: v for k, v in factors.items()})
    names: list[str | None] = [None]
    if decoders is not None:
        from qecsim.decoding.registry import check_names

        names = list(check_names(decoders))
    family = [{"d": u.distance, "rounds": u.rounds, "sha256": u.sha256, "path": u.path}
              for u in users]
    tasks = []
    for user in users:
        for factors in grid:
            metadata = {k: v for k, v in (("code", code), ("basis", basis)) if v is not None}
            metadata |= {"d": user.distance, "rounds": user.rounds, "noise": CIRCUIT_NOISE,
                         "circuit": name, **factors, _FILES: family}
            circuit = _scaled(user.circuit, metadata)
            for decoder in names:
                tasks.append(sinter.Task(circuit=circuit, decoder=decoder,
                                         json_metadata=dict(metadata)))
    return tasks


def sweep_circuits(circuits: Any, *, distances: Any = None, p: Any = None,
                   component_rates: Any = None, **options: Any) -> list[sinter.Task]:
    """``qecsim.sweep_tasks(circuits=...)``: :func:`circuit_tasks`, refusing the options of
    generated circuits that do not apply (distances, p, component_rates)."""
    for option, value in (("distances", distances), ("p", p),
                          ("component_rates", component_rates)):
        if value is not None:
            raise QecsimError(
                f"{option}={value!r} does not apply to circuits=: a circuit has its own "
                "distance and rates (scale them with scales= or component_scales=)"
            )
    return circuit_tasks(circuits, **options)


def circuit_from_circuit_metadata(
    metadata: Mapping[str, Any], *, circuits: Any = None
) -> stim.Circuit:
    """Rebuild the circuit of a task of :func:`circuit_tasks` from its ``json_metadata``.

    Args:
        metadata: The task's metadata (``noise`` = ``"circuit"``).
        circuits: Circuits or paths to pick the task's circuit from by its hash (for a
            ``stim.Circuit`` that was never a file, or a file that moved); None reads the
            path recorded in the metadata.

    Raises:
        QecsimError: Missing keys, no circuit of that distance and rounds in the family,
            a file that is missing or has changed (its hash differs), none of ``circuits``
            with the hash.
    """
    for key in ("d", "rounds", _FILES):
        if key not in metadata:
            raise QecsimError(f"circuit task metadata lacks key {key!r} (it has "
                              f"{sorted(metadata)})")
    entry = next((e for e in metadata[_FILES] if isinstance(e, Mapping)
                  and (e.get("d"), e.get("rounds")) == (metadata["d"], metadata["rounds"])), None)
    if entry is None:
        raise QecsimError(
            f"{_FILES} has no circuit with d={metadata['d']} and rounds={metadata['rounds']}"
        )
    found = _find(entry, circuits)
    return _scaled(tag_noise(found), metadata)


def _find(entry: Mapping[str, Any], circuits: Any) -> stim.Circuit:
    sha, path = entry.get("sha256"), entry.get("path")
    what = f"the circuit of d={entry.get('d')}, rounds={entry.get('rounds')} (sha256 {sha})"
    if circuits is not None:
        for _, item, label in _entries(circuits):
            circuit, _ = _load(item, label)
            if circuit_sha256(circuit) == sha:
                return circuit
        raise QecsimError(f"none of the circuits given is {what}")
    if path is None:
        raise QecsimError(f"{what} was a stim.Circuit, not a file: pass circuits=[...]")
    if not pathlib.Path(path).is_file():
        raise QecsimError(f"{what} was read from {path}, which is missing: pass circuits=[...]")
    circuit = read_circuit(path)
    if circuit_sha256(circuit) != sha:
        raise QecsimError(
            f"{path} has changed since the task was made: its sha256 is "
            f"{circuit_sha256(circuit)}, not {sha} ({what})"
        )
    return circuit
