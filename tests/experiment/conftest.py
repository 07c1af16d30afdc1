"""A synthetic device with hidden defects, shared by the comparison and fitting tests, and
the full Google data set where it is (``../shared`` beside the repository, as in CI)."""

import pathlib
from dataclasses import dataclass

import pytest
import stim

import qecsim

DISTANCE, ROUNDS = 3, 10
DEFECTIVE = 6  # a measure qubit, at (4, 2): its measurement error is 5x the nominal one
CORRELATED = (4, 12)  # measure qubits at (0, 2) and (6, 4): no data qubit in common
# tests/experiment/conftest.py -> the repository -> ../shared beside it
FULL_GOOGLE_DATA = (pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "data"
                    / "google_sycamore_2022")


@pytest.fixture
def full_google_data() -> pathlib.Path:
    """The root of the full Google data set (50,000 shots a folder); skips without it (a
    user's clone has only the subset shipped in qecsim/data)."""
    if not FULL_GOOGLE_DATA.is_dir():
        pytest.skip(f"the full Google data set is not at {FULL_GOOGLE_DATA}")
    return FULL_GOOGLE_DATA


@dataclass(frozen=True)
class HiddenDefects:
    nominal: qecsim.NoiseModel
    device: stim.Circuit
    experiment: qecsim.Experiment


def _with_correlated_flips(circuit: stim.Circuit, pair, probability) -> stim.Circuit:
    """A correlated X on two qubits just before every MR (a readout crosstalk)."""
    out = stim.Circuit()
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            body = _with_correlated_flips(item.body_copy(), pair, probability)
            out.append(stim.CircuitRepeatBlock(item.repeat_count, body))
            continue
        if item.name == "MR":
            out.append("E", [stim.target_x(pair[0]), stim.target_x(pair[1])], probability)
        out.append(item)
    return out


@pytest.fixture(scope="session")
def hidden_defects() -> HiddenDefects:
    """Measured data from a device whose measure qubit 6 has 5x the nominal measurement error
    and whose measure qubits 4 and 12 (not neighbours) flip together with probability 1 %;
    the model to compare with is the nominal SI1000 model."""
    nominal = qecsim.NoiseModel.si1000(2e-3)
    circuit = qecsim.memory_circuit(distance=DISTANCE, rounds=ROUNDS)
    defective = nominal.with_qubit_rates({DEFECTIVE: {"measurement": 5 * nominal.measurement}})
    device = _with_correlated_flips(defective.noisy_circuit(circuit), CORRELATED, 0.01)
    experiment = qecsim.Experiment.from_simulation(
        device, shots=100_000, circuit=circuit, model=nominal, seed=7,
        metadata={"code": "rotated_surface_code", "basis": "Z", "d": DISTANCE,
                  "rounds": ROUNDS})
    return HiddenDefects(nominal=nominal, device=device, experiment=experiment)
