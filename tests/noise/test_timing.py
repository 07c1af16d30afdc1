"""Durations in seconds, idle errors from T1/T2 per tick, and the unit-mistake warnings."""

import math
import re
import warnings

import pytest
import stim

import qecsim

DURATIONS = qecsim.Durations(
    single_qubit_gate=25e-9, two_qubit_gate=40e-9, measurement=500e-9, reset=200e-9
)
T1, T2 = 80e-6, 60e-6


def closed_form_twirl(t1: float, t2: float, t: float) -> tuple[float, float, float]:
    # Tomita & Svore, arXiv:1404.3747, written out here independently of qecsim
    px = (1 - math.exp(-t / t1)) / 4
    pz = (1 - math.exp(-t / t2)) / 2 - px
    return px, px, pz


def _decoherence_by_tick(circuit: stim.Circuit) -> list[dict[int, tuple[float, ...]]]:
    ticks: list[dict[int, tuple[float, ...]]] = [{}]
    for instruction in circuit.flattened():
        if instruction.name == "TICK":
            ticks.append({})
        elif instruction.name == "PAULI_CHANNEL_1" and instruction.tag.startswith("idle"):
            for target in instruction.targets_copy():
                ticks[-1][target.value] = tuple(instruction.gate_args_copy())
    return ticks


def test_idle_error_of_each_tick_kind_is_the_twirl_over_its_duration():
    noise = qecsim.NoiseModel(durations=DURATIONS, t1=T1, t2=T2)
    circuit = stim.Circuit(
        "R 0 1 2\nTICK\nH 0\nTICK\nCZ 0 1\nTICK\nH 0\nCZ 1 2\nTICK\nM 0\nTICK\nMR 1"
    )
    ticks = _decoherence_by_tick(noise.noisy_circuit(circuit))
    reset, one, two, mixed, measure, measure_reset = ticks
    assert set(reset) == set()  # every qubit is reset for the whole tick
    assert one.keys() == {1, 2}
    assert one[2] == pytest.approx(closed_form_twirl(T1, T2, 25e-9), rel=1e-12)
    assert two.keys() == {2}
    assert two[2] == pytest.approx(closed_form_twirl(T1, T2, 40e-9), rel=1e-12)
    # a qubit busy with a 25 ns gate in a 40 ns tick idles for the other 15 ns
    assert mixed.keys() == {0}
    assert mixed[0] == pytest.approx(closed_form_twirl(T1, T2, 15e-9), rel=1e-12)
    assert measure.keys() == {1, 2}
    assert measure[2] == pytest.approx(closed_form_twirl(T1, T2, 500e-9), rel=1e-12)
    assert measure_reset[0] == pytest.approx(closed_form_twirl(T1, T2, 700e-9), rel=1e-12)


def test_per_qubit_coherence_overrides_and_is_tagged_with_the_qubit():
    noise = qecsim.NoiseModel(durations=DURATIONS, t1=T1, t2=T2).with_coherence(
        t1=20e-6, t2=10e-6, qubit=2
    )
    noisy = noise.noisy_circuit(stim.Circuit("R 0 1 2\nTICK\nCZ 0 1"))
    (tick,) = [t for t in _decoherence_by_tick(noisy) if t]
    assert tick[2] == pytest.approx(closed_form_twirl(20e-6, 10e-6, 40e-9), rel=1e-12)
    assert "PAULI_CHANNEL_1[idle@2]" in str(noisy)
    assert noise.is_layout_bound


def test_scaling_idle_scales_the_coherence_channels():
    noise = qecsim.NoiseModel(durations=DURATIONS, t1=T1, t2=T2)
    circuit = stim.Circuit("R 0 1\nTICK\nH 0")
    full = _decoherence_by_tick(noise.noisy_circuit(circuit))[1][1]
    half = _decoherence_by_tick(noise.scaled(idle=0.5).noisy_circuit(circuit))[1][1]
    assert half == pytest.approx(tuple(0.5 * x for x in full))
    off = noise.scaled(idle=0).noisy_circuit(circuit)
    assert "PAULI_CHANNEL_1" not in str(off)
    assert "idle" not in noise.scaled(idle=0).components_in_use()


def test_t1_in_microseconds_typed_as_seconds_warns():
    with pytest.warns(UserWarning, match=r"T1=70 s .*microseconds"):
        qecsim.NoiseModel(durations=DURATIONS, t1=70, t2=50)


def test_t1_in_seconds_with_durations_in_nanoseconds_warns():
    in_nanoseconds = qecsim.Durations(
        single_qubit_gate=25, two_qubit_gate=40, measurement=500, reset=200
    )
    with pytest.warns(UserWarning, match=r"idle error .* > 5%.*nanoseconds"):
        qecsim.NoiseModel(durations=in_nanoseconds, t1=70e-6, t2=50e-6)


def test_t1_outside_the_plausible_range_warns():
    with pytest.warns(UserWarning, match=r"T1=5e-08 s \(qubit 3\).*outside \[100 ns, 1000 s\]"):
        qecsim.NoiseModel(durations=DURATIONS).with_coherence(t1=50e-9, t2=50e-9, qubit=3)


def test_plausible_times_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        noise = qecsim.NoiseModel.si1000(1e-3).with_coherence(t1=T1, t2=T2, durations=DURATIONS)
        qecsim.memory_circuit(distance=3, noise=noise)


def test_coherence_and_static_zz_need_durations():
    with pytest.raises(qecsim.QecsimError, match="T1/T2 need the operation durations"):
        qecsim.NoiseModel(t1=T1, t2=T2)
    with pytest.raises(qecsim.QecsimError, match="static ZZ need the operation durations"):
        qecsim.NoiseModel(static_zz=20e3)
    with pytest.raises(qecsim.QecsimError, match=r"two_qubit_gate duration \(s\)=-1"):
        qecsim.Durations(single_qubit_gate=1e-8, two_qubit_gate=-1, measurement=1e-6, reset=0)


def test_a_calibrated_cz_chip_keeps_its_distance_and_round_trips_through_json():
    noise = (
        qecsim.NoiseModel.si1000(1e-3)
        .with_coherence(t1=T1, t2=T2, durations=DURATIONS)
        .with_crosstalk(parallel=1e-4, static_zz=5e3)
    )
    assert qecsim.NoiseModel.from_json(noise.to_json()) == noise
    circuit = qecsim.memory_circuit(distance=3, noise=noise)
    assert len(circuit.shortest_graphlike_error()) == 3


def test_one_poor_qubit_losing_more_than_5_percent_in_readout_is_physics_not_a_unit_mistake():
    # IBM Torino has a qubit with T1 = 3 us next to a 3.3 us measure-and-reset: a real loss of
    # ~60%, not a typo. The tick check looks at the typical (median) qubit.
    durations = qecsim.Durations(
        single_qubit_gate=32e-9, two_qubit_gate=68e-9, measurement=1.56e-6, reset=1.71e-6
    )
    coherence = {q: (185e-6, 141e-6) for q in range(5)}
    coherence[3] = (3.2e-6, 6.1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        noise = qecsim.NoiseModel(durations=durations, t1=185e-6, t2=141e-6,
                                  qubit_coherence=coherence)  # fmt: skip
    assert noise.coherence(3) == (3.2e-6, 6.1e-6)
    # the same durations typed in microseconds for every qubit still warn
    in_microseconds = qecsim.Durations(
        single_qubit_gate=0.032, two_qubit_gate=0.068, measurement=1.56, reset=1.71
    )
    with pytest.warns(UserWarning, match=r"idle error .* > 5% \(median of 6 entries"):
        qecsim.NoiseModel(durations=in_microseconds, t1=185e-6, t2=141e-6,
                          qubit_coherence=coherence)  # fmt: skip


def test_operations_on_one_qubit_in_one_tick_add_up_like_mr():
    # M 0 then R 0 in one tick: qubit 0 is busy 500 + 200 ns (no idle error during its own
    # measurement), the tick lasts 700 ns like MR 0, and qubit 1 idles for all of it
    noise = qecsim.NoiseModel(durations=DURATIONS, t1=T1, t2=T2)
    split = _decoherence_by_tick(noise.noisy_circuit(stim.Circuit("R 0 1\nTICK\nM 0\nR 0")))[1]
    joint = _decoherence_by_tick(noise.noisy_circuit(stim.Circuit("R 0 1\nTICK\nMR 0")))[1]
    assert split.keys() == joint.keys() == {1}
    assert split[1] == pytest.approx(closed_form_twirl(T1, T2, 700e-9), rel=1e-12)
    assert joint[1] == split[1]
    # on two qubits the operations run side by side: the tick lasts the longer, 500 ns
    apart = _decoherence_by_tick(noise.noisy_circuit(stim.Circuit("R 0 1\nTICK\nM 0\nR 1")))[1]
    assert apart[1] == pytest.approx(closed_form_twirl(T1, T2, 300e-9), rel=1e-12)
    assert apart.keys() == {1}
    # static ZZ acts for the tick's duration: M 0, R 0 charges the pair 700 ns, as MR 0 does
    zz = qecsim.NoiseModel(durations=DURATIONS, static_zz=50e3)

    def zz_probability(ops: str) -> float:
        noisy = zz.noisy_circuit(stim.Circuit(f"R 0 1\nTICK\nCZ 0 1\nTICK\n{ops}"))
        (args,) = [i.gate_args_copy() for i in noisy.flattened()
                   if i.tag == "crosstalk.static_zz"][1:]
        return args[14]  # ZZ

    assert zz_probability("M 0\nR 0") == zz_probability("MR 0") == pytest.approx(
        math.sin(math.pi * 50e3 * 700e-9) ** 2 / 4, rel=1e-12)


def test_t1_without_t2_asks_for_t2_and_names_the_allowed_range():
    with pytest.raises(qecsim.QecsimError, match=r"T1=7e-05 s is given without T2: give t2 too, "
                       r"in \(0, 2\*T1=0.00014\] s \(t2=0.00014 if the qubit dephases only"):
        qecsim.NoiseModel(durations=DURATIONS, t1=70e-6)
    with pytest.raises(qecsim.QecsimError, match=r"qubit_coherence\[3\] T1=7e-05 s .* give t2"):
        qecsim.NoiseModel(durations=DURATIONS).with_coherence(t1=70e-6, t2=math.inf, qubit=3)
    with pytest.raises(qecsim.QecsimError, match=r"T2=0.001 is not in \(0, 2\*T1=0.00014\]"):
        qecsim.NoiseModel(durations=DURATIONS, t1=70e-6, t2=1e-3)


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("measurement", 1.56, "microseconds (1.56 us = 1.56e-06 s)"),  # not 1.56 ns: too short
    ("two_qubit_gate", 40, "nanoseconds (40 ns = 4e-08 s)"),
    ("measurement", 500, "nanoseconds (500 ns = 5e-07 s)"),
    ("reset", 2000, "nanoseconds (2000 ns = 2e-06 s)"),
    ("two_qubit_gate", 5e6, "lasts 1e-08 s to 0.001 s on known hardware"),  # no unit fits
    ("single_qubit_gate", 2.5, "microseconds (2.5 us = 2.5e-06 s)"),
    # below 1 s but longer than any hardware's: microseconds typed as milliseconds
    ("single_qubit_gate", 0.025, "microseconds (0.025 us = 2.5e-08 s)"),
    ("measurement", 0.5, "microseconds (0.5 us = 5e-07 s)"),
])
def test_a_duration_longer_than_any_hardware_names_the_unit_that_makes_it_plausible(
        name, value, expected):
    durations = qecsim.Durations(**{**DURATIONS.to_dict(), name: value})
    start = re.escape(f"{name} duration {value:g} s is longer than any {name} of known hardware")
    with pytest.warns(UserWarning, match=start) as record:
        qecsim.NoiseModel(durations=durations)
    assert any(expected in str(w.message) for w in record), [str(w.message) for w in record]


def test_the_legacy_fixed_rate_coherence_form_checks_units_too():
    # the mistake issue 12 names: durations in nanoseconds, T1/T2 in seconds -> p = 0.75
    with pytest.warns(UserWarning, match=r"idle error of a two-qubit gate tick .* > 5%"):
        qecsim.NoiseModel.si1000(1e-3).with_coherence(
            t1=70e-6, t2=50e-6, gate_duration=40, measurement_duration=500)
    with pytest.warns(UserWarning, match=r"T1=70 s \(qubit 2\).*microseconds"):
        qecsim.NoiseModel.si1000(1e-3).with_coherence(
            t1=70, t2=50, qubit=2, gate_duration=40e-9, measurement_duration=500e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qecsim.NoiseModel.si1000(1e-3).with_coherence(
            t1=70e-6, t2=50e-6, gate_duration=40e-9, measurement_duration=500e-9)
