"""tag_noise on Google's published Sycamore circuits (the 26 shipped in qecsim/data).

Google's circuits put every noise channel in a noise-only tick after the gate tick, name idle
qubits with ``I``, flip initial states with ``sweep[k]``-controlled ``CX`` and carry no tags.
References: the code's structure (how many gates, measurements and resets a distance-d,
r-round X memory has) and stim's detector error model of the untagged circuit.
"""

from __future__ import annotations

import pathlib
import re

import pytest
import stim

import qecsim

DATA = pathlib.Path(qecsim.__file__).parent / "data" / "google_sycamore_2022"
FOLDERS = sorted(p.parent for p in DATA.glob("*/circuit_noisy.stim"))
QUICK = [f for f in FOLDERS if f.name.endswith(("d3_r03_center_3_5", "d5_r03_center_5_5"))]


def distance_and_rounds(folder: pathlib.Path) -> tuple[int, int]:
    match = re.search(r"_d(\d+)_r(\d+)_", folder.name)
    return int(match.group(1)), int(match.group(2))


def dem_probabilities(circuit: stim.Circuit) -> dict[tuple[str, ...], float]:
    """Symptom -> total flip probability, merging independent errors (tags ignored)."""
    merged: dict[tuple[str, ...], float] = {}
    for instruction in circuit.detector_error_model().flattened():
        if instruction.type == "error":
            key = tuple(sorted(str(t) for t in instruction.targets_copy()))
            p, q = instruction.args_copy()[0], merged.get(key, 0.0)
            merged[key] = p + q - 2 * p * q
    return merged


def check_google_circuit(folder: pathlib.Path) -> None:
    circuit = stim.Circuit.from_file(folder / "circuit_noisy.stim")
    tagged, summary = qecsim.tag_noise(circuit, return_summary=True)
    assert summary.num_other == 0, str(summary)
    assert tagged.without_tags() == circuit
    # the code's structure: 4 d (d - 1) CZs per round (weight-4 and weight-2 checks, one
    # DEPOLARIZE2 each), d^2 - 1 ancillas measured per round and reset between rounds, d^2
    # data qubits measured at the end (each measurement preceded by its X_ERROR)
    d, r = distance_and_rounds(folder)
    counts = summary.counts
    assert counts["two_qubit_gate"] == 4 * d * (d - 1) * r
    assert counts["measurement"] == (d * d - 1) * r + d * d
    assert counts.get("reset", 0) == (d * d - 1) * (r - 1)
    # data qubits wait (I) through the measurement and the reset of every round but the last
    assert counts.get("measurement_idle", 0) == 2 * d * d * (r - 1)
    assert counts["single_qubit_gate"] > 0 and counts["idle"] > 0
    assert "data_depolarization" not in counts and "crosstalk" not in counts
    # tagging changes no probability
    untagged, retagged = dem_probabilities(circuit), dem_probabilities(tagged)
    assert retagged.keys() == untagged.keys()
    assert retagged == pytest.approx(untagged, rel=1e-12, abs=0)
    assert tagged.detector_error_model().without_tags().num_errors >= len(untagged)


@pytest.mark.parametrize("folder", QUICK, ids=lambda f: f.name)
def test_google_circuits_are_fully_tagged_and_keep_their_probabilities(folder):
    check_google_circuit(folder)


@pytest.mark.slow
def test_all_26_google_circuits_are_fully_tagged_and_keep_their_probabilities():
    assert len(FOLDERS) == 26
    for folder in FOLDERS:
        check_google_circuit(folder)


def test_google_per_qubit_tags_follow_the_circuit():
    circuit = stim.Circuit.from_file(QUICK[0] / "circuit_noisy.stim")
    tagged = qecsim.tag_noise(circuit)
    rows = [(i.name, i.tag, i.targets_copy()) for i in tagged if i.name != "TICK"]
    # each DEPOLARIZE2 names its pair; each X_ERROR is a measurement or a reset of its qubit
    for name, tag, targets in rows:
        parsed = qecsim.parse_tag(tag) if tag else None
        if name == "DEPOLARIZE2":
            assert parsed.component == "two_qubit_gate"
            assert set(parsed.qubits) == {t.value for t in targets}
        elif name == "X_ERROR":
            assert parsed.component in ("measurement", "reset")
            assert parsed.qubits == (targets[0].value,)
    # the first tick flips initial states with sweep-controlled CX: single-qubit gates there,
    # idle on the qubits that wait (I); their noise is the next tick's
    ticks = [i for i, item in enumerate(tagged) if item.name == "TICK"]
    flipped = {t.value for t in circuit[17].targets_copy() if t.is_qubit_target}
    idle = {t.value for t in circuit[18].targets_copy()}
    first_noise = [tagged[i] for i in range(ticks[0] + 1, ticks[1])]
    assert {i.targets_copy()[0].value for i in first_noise} == flipped | idle
    for instruction in first_noise:
        (qubit,) = (t.value for t in instruction.targets_copy())
        expected = "single_qubit_gate" if qubit in flipped else "idle"
        assert instruction.tag == f"{expected}@{qubit}"
