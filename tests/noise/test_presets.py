"""Preset definitions, checked tick by tick against the published tables.

The expected channels are derived here from the noiseless circuit and the table below (the
design table; SD6 and SI1000 as in Gidney, Newman, Fowler, Broughton, arXiv:2108.10457),
independently of qecsim's noise applier.
"""

from collections import Counter

import pytest
import stim

import qecsim

# component -> multiple of p (absent: 0), and the gate set
TABLE = {
    "uniform_depolarizing": (
        "cx",
        dict(two_qubit_gate=1, single_qubit_gate=1, reset=1, measurement=1, data_depolarization=1),
    ),
    "sd6": ("cx", dict(two_qubit_gate=1, single_qubit_gate=1, reset=1, measurement=1, idle=1)),
    "si1000": (
        "cz",
        dict(
            two_qubit_gate=1,
            single_qubit_gate=0.1,
            reset=2,
            measurement=5,
            idle=0.1,
            measurement_idle=2,
        ),
    ),
    "code_capacity": ("cx", dict(data_depolarization=1)),
    "phenomenological": ("cx", dict(measurement=1, data_depolarization=1)),
}
P = 0.001
MEASURE = {"M": "X_ERROR", "MX": "Z_ERROR", "MR": "X_ERROR"}
RESET = {"R": "X_ERROR", "RX": "Z_ERROR", "MR": "X_ERROR"}


def _moments(circuit: stim.Circuit) -> list[list[stim.CircuitInstruction]]:
    moments: list[list[stim.CircuitInstruction]] = [[]]
    for instruction in circuit.flattened():
        if instruction.name == "TICK":
            moments.append([])
        else:
            moments[-1].append(instruction)
    return moments


def _expected(moment, rates, qubits):
    """The channels the definition puts in one tick: (gate, tag, args, qubits) -> count."""
    expected = Counter()

    def add(gate, component, targets):
        if rates.get(component, 0) > 0:
            for target in targets:
                expected[(gate, component, (rates[component] * P,), target)] += 1

    touched, collapsed, has_ops = set(), set(), False
    for instruction in moment:
        targets = [t.value for t in instruction.targets_copy()]
        if instruction.name == "I_ERROR":  # the builder's data marker
            add("DEPOLARIZE1", "data_depolarization", [(q,) for q in targets])
            continue
        if instruction.name in ("DETECTOR", "OBSERVABLE_INCLUDE", "QUBIT_COORDS", "SHIFT_COORDS"):
            continue
        has_ops = True
        touched.update(targets)
        if instruction.name in MEASURE:
            add(MEASURE[instruction.name], "measurement", [(q,) for q in targets])
            collapsed.update(targets)
        if instruction.name in RESET:
            add(RESET[instruction.name], "reset", [(q,) for q in targets])
            collapsed.update(targets)
        if instruction.name == "H":
            add("DEPOLARIZE1", "single_qubit_gate", [(q,) for q in targets])
        if instruction.name in ("CX", "CZ"):
            pairs = list(zip(targets[::2], targets[1::2], strict=True))
            add("DEPOLARIZE2", "two_qubit_gate", pairs)
    if has_ops:
        add("DEPOLARIZE1", "idle", [(q,) for q in qubits if q not in touched])
    if collapsed:
        add("DEPOLARIZE1", "measurement_idle", [(q,) for q in qubits if q not in collapsed])
    return expected


def _actual(moment):
    actual = Counter()
    for instruction in moment:
        data = stim.gate_data(instruction.name)
        if not data.is_noisy_gate or data.produces_measurements:
            continue
        width = 2 if instruction.name == "DEPOLARIZE2" else 1
        targets = [t.value for t in instruction.targets_copy()]
        for k in range(0, len(targets), width):
            key = (instruction.name, instruction.tag, tuple(instruction.gate_args_copy()),
                   tuple(targets[k : k + width]))
            actual[key] += 1
    return actual


@pytest.mark.parametrize("basis", ["X", "Z"])
@pytest.mark.parametrize("preset", list(TABLE))
def test_every_tick_carries_exactly_the_channels_of_the_definition(preset, basis):
    gate_set, rates = TABLE[preset]
    noise = qecsim.NoiseModel.from_preset(preset, P)
    assert noise.gate_set == gate_set
    noisy = qecsim.memory_circuit(distance=3, rounds=3, basis=basis, noise=noise)
    noiseless = qecsim.memory_circuit(distance=3, rounds=3, basis=basis, gate_set=gate_set)
    qubits = range(noiseless.num_qubits)
    noisy_moments, noiseless_moments = _moments(noisy), _moments(noiseless)
    assert len(noisy_moments) == len(noiseless_moments)
    kinds = set()
    for noisy_moment, moment in zip(noisy_moments, noiseless_moments, strict=True):
        expected = _expected(moment, rates, qubits)
        actual = _actual(noisy_moment)
        # compare rates to 12 digits (qecsim computes p/10 with exact fractions)
        rounded = Counter({(g, t, tuple(round(a, 12) for a in args), q): n
                           for (g, t, args, q), n in actual.items()})
        assert rounded == Counter({(g, t, tuple(round(a, 12) for a in args), q): n
                                   for (g, t, args, q), n in expected.items()})
        kinds.add(tuple(sorted({i.name for i in moment if i.name not in ("DETECTOR",)})))
    assert len(kinds) >= 4  # reset, gate, measurement ticks were all checked


def test_si1000_data_qubits_waiting_for_readout_get_idle_plus_resonator_idle():
    # Hand-written check of the convention: a data qubit idling through the MR tick gets
    # DEPOLARIZE1(p/10) (idle) and DEPOLARIZE1(2p) (measurement_idle), nothing else.
    p = 1e-3
    circuit = qecsim.memory_circuit(distance=3, rounds=2, noise=qecsim.NoiseModel.si1000(p))
    text = str(circuit.flattened())
    tick = next(m for m in text.split("TICK") if "\nMR " in m)
    lines = [line for line in tick.strip().splitlines() if line.startswith("DEPOLARIZE1")]
    assert len(lines) == 2
    idle_line = next(line for line in lines if line.startswith("DEPOLARIZE1[idle]"))
    mid_line = next(line for line in lines if line.startswith("DEPOLARIZE1[measurement_idle]"))
    data = {q for q, (x, y) in circuit.get_final_qubit_coordinates().items() if x % 2 == 1}
    assert {int(q) for q in idle_line.split(")")[1].split()} == data
    assert {int(q) for q in mid_line.split(")")[1].split()} == data
    assert "(0.0001)" in idle_line and "(0.002)" in mid_line
    assert "X_ERROR[measurement](0.005)" in tick and "X_ERROR[reset](0.002)" in tick
