"""Cat qubits: per-operation bit- and phase-flip errors from physical parameters."""

import math
import warnings

import pytest
import stim

import qecsim
from qecsim.errors import QecsimError
from qecsim.noise.biased import PAULIS_2
from qecsim.noise.cat import CatQubit

KAPPA_2 = 1e7  # 1/s: 1/kappa_2 = 100 ns


def test_cx_errors_follow_the_published_formulas():
    # An independent evaluation of the formulas of qecsim.noise.cat's docstring
    n, k1, k2 = 6.0, 1e4, KAPPA_2
    durations = qecsim.Durations(single_qubit_gate=50e-9, two_qubit_gate=300e-9,
                                 measurement=400e-9, reset=200e-9)
    cat = CatQubit(n, kappa_1=k1, kappa_2=k2, durations=durations)
    phase, bit = cat.cx_parts()
    t = 300e-9
    p1 = (1 - math.exp(-2 * n * k1 * t)) / 2
    p_na = math.pi**2 / (64 * n * k2 * t)
    assert phase[PAULIS_2.index("ZI")] == pytest.approx(p_na + p1 - 2 * p_na * p1, rel=1e-12)
    half = (1 - math.exp(-n * k1 * t)) / 2
    assert phase[PAULIS_2.index("IZ")] == pytest.approx(half, rel=1e-12)
    assert phase[PAULIS_2.index("ZZ")] == pytest.approx(half, rel=1e-12)
    assert sum(phase) == pytest.approx(sum(phase[PAULIS_2.index(p)] for p in ("ZI", "IZ", "ZZ")))
    fit = math.exp(-2 * n) * (5.58 * math.sqrt(k1 / k2) + 1.68 * k1 / k2)
    assert sum(bit) == pytest.approx(fit, rel=1e-12)
    assert {PAULIS_2[i] for i, v in enumerate(bit) if v} == {"XI", "YI", "IX", "IY"}


def test_idle_preparation_and_measurement_errors_grow_with_their_durations():
    durations = qecsim.Durations(single_qubit_gate=50e-9, two_qubit_gate=300e-9,
                                 measurement=400e-9, reset=200e-9)
    cat = CatQubit(5.0, kappa_1=2e4, kappa_2=KAPPA_2, durations=durations)
    parts = cat.channel_parts()
    for component, t in (("idle", 300e-9), ("reset", 200e-9), ("measurement", 400e-9),
                         ("single_qubit_gate", 50e-9), ("measurement_idle", 300e-9)):
        # measurement_idle: the MRX tick (400 + 200 ns) less the CX tick already in idle
        px, py, pz = (a + b for a, b in zip(*parts[component].values(), strict=True))
        assert pz == pytest.approx((1 - math.exp(-2 * 5.0 * 2e4 * t)) / 2, rel=1e-12)
        assert px == py == pytest.approx(1.1e-3 * 5.0 * 2e4 * math.exp(-10) * t / 2)


def test_bit_flips_fall_like_exp_minus_two_n_and_phase_flips_grow_like_n():
    def totals(n):
        cat = CatQubit(n, kappa_1=1e4, kappa_2=KAPPA_2)
        _, bit = cat.cx_parts()
        return cat.idle_parts(1e-8)["phase_flip"][2], sum(bit)

    (phase_4, bit_4), (phase_8, bit_8) = totals(4.0), totals(8.0)
    assert math.log(bit_8 / bit_4) / 4 == pytest.approx(-2.0, rel=1e-12)
    assert phase_8 / phase_4 == pytest.approx(2.0, rel=1e-3)  # n kappa_1 t = 4e-4, 8e-4


def test_the_constructor_takes_kappa_1_or_the_ratio():
    a = qecsim.NoiseModel.cat_qubit(8, kappa_2=KAPPA_2, kappa_1=1e4)
    b = qecsim.NoiseModel.cat_qubit(8, kappa_2=KAPPA_2, kappa_ratio=1e-3)
    assert a.cat.kappa_1 == pytest.approx(b.cat.kappa_1, rel=1e-15)
    for component, parts in a.channel_parts.items():
        for part, values in parts.items():
            assert values == pytest.approx(b.channel_parts[component][part], rel=1e-12)
    assert a.name == "cat_qubit" and a.gate_set == "cx" and a.cat.kappa_ratio == 1e-3
    with pytest.raises(QecsimError, match="kappa_1 or kappa_ratio"):
        qecsim.NoiseModel.cat_qubit(8, kappa_2=KAPPA_2)
    with pytest.raises(QecsimError, match="kappa_2"):
        qecsim.NoiseModel.cat_qubit(8, kappa_2=1e3, kappa_1=1e4)


def test_parameters_outside_the_range_of_validity_warn_or_raise():
    with pytest.warns(UserWarning, match=r"\|alpha\|\^2=1 < 2"):
        CatQubit(1.0, kappa_1=1e4, kappa_2=KAPPA_2)
    fast = qecsim.Durations(single_qubit_gate=1e-9, two_qubit_gate=1e-9, measurement=1e-7,
                            reset=1e-7)
    with pytest.raises(QecsimError, match="> 1/2"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        CatQubit(4.0, kappa_1=1e4, kappa_2=KAPPA_2, durations=fast)  # p_NA = 3.9
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CatQubit(8.0, kappa_1=1e4, kappa_2=KAPPA_2)  # in range: no warning


def test_every_channel_is_tagged_with_its_part():
    noise = qecsim.NoiseModel.cat_qubit(6, kappa_2=KAPPA_2, kappa_ratio=1e-3)
    circuit = qecsim.memory_circuit("cat_repetition_code", distance=3, basis="X", noise=noise,
                                    tag_qubits=True)
    dem = circuit.detector_error_model(approximate_disjoint_errors=True)
    keys = {qecsim.parse_tag(i.tag).key for i in dem.flattened() if i.type == "error"}
    # X memory: phase flips and Y bit flips trip detectors; bits of M never appear (MX)
    assert {"two_qubit_gate.phase_flip", "idle.phase_flip", "measurement.phase_flip",
            "reset.phase_flip", "measurement_idle.phase_flip"} <= keys
    assert keys <= set(noise.keys_in_use())
    tag = next(i.tag for i in circuit.flattened() if i.name == "E")  # one E per Pauli term
    assert qecsim.parse_tag(tag).key == "two_qubit_gate.phase_flip"
    assert len(qecsim.parse_tag(tag).qubits) == 2


def test_measurement_and_reset_flips_follow_the_basis():
    noise = qecsim.NoiseModel.cat_qubit(6, kappa_2=KAPPA_2, kappa_ratio=1e-3)
    circuit = noise.noisy_circuit(stim.Circuit("RX 0\nR 1\nTICK\nMX 0\nM 1"))
    flips = [(i.name, i.tag, i.targets_copy()[0].value) for i in circuit
             if i.name in ("X_ERROR", "Z_ERROR")]
    assert ("Z_ERROR", "reset.phase_flip", 0) in flips
    assert ("X_ERROR", "reset.bit_flip", 1) in flips
    assert ("Z_ERROR", "measurement.phase_flip", 0) in flips
    assert ("X_ERROR", "measurement.bit_flip", 1) in flips
    assert ("X_ERROR", "reset.phase_flip", 1) not in flips  # a Z after R changes nothing


def test_the_cat_model_round_trips_and_scaling_drops_the_physics():
    noise = qecsim.NoiseModel.cat_qubit(5, kappa_2=KAPPA_2, kappa_ratio=3e-3)
    again = qecsim.NoiseModel.from_json(noise.to_json())
    assert again == noise and again.cat == noise.cat
    scaled = noise.scaled(**{"idle.phase_flip": 2.0})
    assert scaled.cat is None and scaled.name == "custom"
    assert scaled.channel_parts["idle"]["phase_flip"][2] == pytest.approx(
        2 * noise.channel_parts["idle"]["phase_flip"][2]
    )
    assert scaled.channel_parts["idle"]["bit_flip"] == noise.channel_parts["idle"]["bit_flip"]
    assert noise.scaled(idle=0).keys_in_use().count("idle.phase_flip") == 0


def _exact_bit_flip_elasticity(noise: qecsim.NoiseModel, key: str, d: int) -> float:
    """d ln eps / d ln s_key of the cat code's Z memory, exactly, from its DEM.

    The Z memory has distance 1: it fails when an odd number of the mechanisms that flip its
    observable fire (the decoder, explaining detection events by the far likelier phase
    flips, never undoes one), so P = (1 - prod(1 - 2 p_i)) / 2 and each mechanism's
    dP/dp_i = prod_(j != i) (1 - 2 p_j). The per-round rate adds the Jacobian of
    eps(P) (rounds = d).
    """
    from qecsim.analysis import per_round_log_slope

    circuit = qecsim.memory_circuit("cat_repetition_code", distance=d, basis="Z", noise=noise)
    flips = [(e.args_copy()[0], qecsim.parse_tag(e.tag).key)
             for e in circuit.detector_error_model(approximate_disjoint_errors=True).flattened()
             if e.type == "error" and any(t.is_logical_observable_id() for t in e.targets_copy())]
    everything = math.prod(1 - 2 * p for p, _ in flips)
    shot = (1 - everything) / 2
    part = sum(p * everything / (1 - 2 * p) for p, k in flips if k == key) / shot
    return part * per_round_log_slope(shot, rounds=d)


def test_the_budget_separates_phase_flips_and_bit_flips_per_operation():
    # the budget's rows are parse_tag(tag).key: the X memory fails by phase flips, the Z
    # memory by bit flips, each part of each operation a row of its own
    noise = qecsim.NoiseModel.cat_qubit(4, kappa_2=KAPPA_2, kappa_ratio=1e-3)
    # How many errors: the score of a row in a failing shot has variance about lambda + e
    # (lambda: its expected number of errors per shot, sum p / (1 - p) over its DEM errors;
    # e: its elasticity). The CX phase flips of the d = 3 X memory have lambda = 0.58 (the
    # DEM) and e = 0.7 (a 460-error run: 0.72 [0.53, 0.90]); their interval (likelihood
    # factor 1000, ~3.72 sigma) excludes 0 with a 3-sigma margin when
    # e / sqrt((lambda + e) / N) >= 6.72, i.e. N >= 6.72^2 * 1.28 / 0.49 = 118: 150 errors.
    errors = {"X": 150, "Z": 100}
    rows = {}
    for basis in ("X", "Z"):
        budget = qecsim.error_budget(noise, code="cat_repetition_code", basis=basis,
                                     distances=[3], max_errors=errors[basis], seed=3,
                                     num_workers=1, progress=False)
        rows[basis] = {c.component: c.elasticity[3] for c in budget.components}
        assert budget.num_errors[3] >= errors[basis]
    # the CX's phase flips fail the phase-flip memory (with the data's idling, the next row)
    assert rows["X"]["two_qubit_gate.phase_flip"].low > 0
    # its bit flips fail the bit-flip memory: the interval holds the exact elasticity of the
    # DEM (distance 1: 0.9999 per round, the rest is idling, reset and measurement)
    exact = _exact_bit_flip_elasticity(noise, "two_qubit_gate.bit_flip", 3)
    assert exact == pytest.approx(1, abs=1e-3)
    cx_bits = rows["Z"]["two_qubit_gate.bit_flip"]
    assert cx_bits.low <= exact <= cx_bits.high and cx_bits.low > 0
    # a bit flip cannot fail the X memory, a phase flip cannot fail the Z memory: their
    # sampled elasticities are compatible with zero
    assert all(e.low <= 0 <= e.high for k, e in rows["X"].items() if k.endswith(".bit_flip"))
    assert all(e.low <= 0 <= e.high for k, e in rows["Z"].items() if k.endswith(".phase_flip"))


def test_the_cx_phase_flip_on_the_check_qubit_is_a_time_like_edge_for_the_decoder():
    # stim's decompose_errors split this error of a PAULI_CHANNEL_2 into two boundary pieces
    # (D1 ^ D3), and matching on that graph overstated the logical error about threefold at
    # |alpha|^2 = 4; written as separate terms it stays one edge between the rounds
    from qecsim.decoding.dem import sinter_style_dem

    noise = qecsim.NoiseModel.cat_qubit(4, kappa_2=KAPPA_2, kappa_ratio=1e-3)
    circuit = qecsim.memory_circuit("cat_repetition_code", distance=3, rounds=3, basis="X",
                                    noise=noise)
    decomposed = [
        instruction for instruction in sinter_style_dem(circuit).flattened()
        if instruction.type == "error"
        and any(target.is_separator() for target in instruction.targets_copy())
    ]
    assert decomposed == []
