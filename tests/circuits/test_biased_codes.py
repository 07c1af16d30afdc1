"""Codes for biased noise: XZZX, rectangular rotated surface code, cat repetition code."""

import itertools
import math

import numpy as np
import pymatching
import pytest
import sinter
import stim

import qecsim
from qecsim.analysis import per_round_error_rate
from qecsim.circuits.layouts import xzzx_surface_code_layout
from qecsim.circuits.memory import code_distance

KAPPA_2 = 1e7  # 1/s


def pure_z(p: float = 0.01) -> qecsim.NoiseModel:
    """Phase flips on the data only, each round (perfect gates and measurements)."""
    return qecsim.NoiseModel(data_depolarization=p).with_z_bias(
        math.inf, components=["data_depolarization"]
    )


def pure_x(p: float = 0.01) -> qecsim.NoiseModel:
    """Bit flips (X only) on the data, each round."""
    return qecsim.NoiseModel().with_channel_parts(
        "data_depolarization", {"bit_flip": (p, 0.0, 0.0)}
    )


def distance_or_none(circuit: stim.Circuit) -> int | None:
    """The graphlike circuit distance; None when no error of the noise flips the observable."""
    try:
        return len(circuit.shortest_graphlike_error())
    except ValueError:
        return None


def test_every_xzzx_check_is_x_z_z_x():
    layout = xzzx_surface_code_layout(5, "Z")
    patterns = set()
    for ancilla in layout.ancillas:
        if len(layout.support[ancilla]) != 4:
            continue
        x, y = layout.coords[ancilla]
        patterns.add(tuple(sorted(
            ((layout.coords[q][0] - x, layout.coords[q][1] - y),
             "Z" if (ancilla, q) in layout.cz_pairs else "X")
            for q in layout.support[ancilla]
        )))
    # X on the NW-SE diagonal, Z on the other, on every face
    assert patterns == {(((-1, -1), "X"), ((-1, 1), "Z"), ((1, -1), "Z"), ((1, 1), "X"))}


@pytest.mark.parametrize("basis", ["X", "Z"])
def test_xzzx_under_pure_z_noise_fails_only_along_one_diagonal(basis):
    # Phase flips trip checks along one diagonal only; the X memory's logical runs along the
    # corner-to-corner diagonal (weight d), and nothing made of phase flips flips the Z one.
    circuit = qecsim.memory_circuit("xzzx_surface_code", distance=5, rounds=2, basis=basis,
                                    noise=pure_z())
    assert distance_or_none(circuit) == (5 if basis == "X" else None)
    # the CSS code under the same noise: every row of Z errors is a logical
    css = qecsim.memory_circuit(distance=5, rounds=2, basis=basis, noise=pure_z())
    assert distance_or_none(css) == (5 if basis == "X" else None)


@pytest.mark.parametrize("gate_set", qecsim.GATE_SETS)
@pytest.mark.parametrize("code", ["rotated_surface_code", "xzzx_surface_code"])
@pytest.mark.parametrize(("distance_x", "distance_z"), [(3, 5), (5, 3), (3, 7)])
def test_rectangles_have_their_x_and_z_distances(code, distance_x, distance_z, gate_set):
    noise = qecsim.NoiseModel.sd6(1e-3)
    for basis, expected in (("Z", distance_x), ("X", distance_z)):
        circuit = qecsim.memory_circuit(code, distance_x=distance_x, distance_z=distance_z,
                                        basis=basis, noise=noise, gate_set=gate_set)
        assert circuit.num_qubits == 2 * distance_x * distance_z - 1
        assert len(circuit.shortest_graphlike_error()) == expected
        assert code_distance(code, basis=basis, distance=max(distance_x, distance_z),
                             distance_x=distance_x, distance_z=distance_z) == expected
        noiseless = qecsim.memory_circuit(code, distance_x=distance_x, distance_z=distance_z,
                                          basis=basis, rounds=2, gate_set=gate_set)
        assert not noiseless.compile_detector_sampler(seed=1).sample(
            20, append_observables=True).any()


def test_rectangle_distances_under_pure_z_and_pure_x_noise():
    # pure Z: only the X memory fails, after distance_z phase flips (a row); pure X: only
    # the Z memory, after distance_x bit flips (a column)
    shape = {"distance_x": 3, "distance_z": 7, "rounds": 2}
    for noise, failing, expected in ((pure_z(), "X", 7), (pure_x(), "Z", 3)):
        for basis in "XZ":
            circuit = qecsim.memory_circuit(basis=basis, noise=noise, **shape)
            assert distance_or_none(circuit) == (expected if basis == failing else None)


def test_a_square_given_by_its_two_distances_is_the_square_code():
    noise = qecsim.NoiseModel.si1000(1e-3)
    for basis in "XZ":
        assert qecsim.memory_circuit(distance_x=5, distance_z=5, basis=basis, noise=noise) == (
            qecsim.memory_circuit(distance=5, basis=basis, noise=noise)
        )
    with pytest.raises(qecsim.QecsimError, match="distance_x/distance_z apply to"):
        qecsim.memory_circuit("repetition_code", distance=3, distance_x=3)
    with pytest.raises(qecsim.QecsimError, match="give distance, or both"):
        qecsim.memory_circuit(distance_x=3)


def test_the_cat_repetition_code_has_no_hadamard_and_its_own_distances():
    noise = qecsim.NoiseModel.cat_qubit(6, kappa_2=KAPPA_2, kappa_ratio=1e-3)
    for basis, expected in (("X", 5), ("Z", 1)):
        circuit = qecsim.memory_circuit("cat_repetition_code", distance=5, basis=basis,
                                        noise=noise)
        names = {i.name for i in circuit.flattened()}
        assert "H" not in names and {"RX", "MRX", "CX"} <= names
        assert len(circuit.shortest_graphlike_error()) == expected
    # its Z memory fails by bit flips only: under phase flips alone it never fails
    for noise_z in (pure_z(), qecsim.NoiseModel(two_qubit_gate=1e-2).with_bias_preserving_cx(
            math.inf)):
        circuit = qecsim.memory_circuit("cat_repetition_code", distance=5, basis="Z",
                                        noise=noise_z)
        assert distance_or_none(circuit) is None


# ------------------------------------------------------------------------- statistics


def failures(circuit: stim.Circuit, shots: int, seed: int) -> int:
    """Logical errors in ``shots`` shots, decoded by matching on the circuit's DEM."""
    dem = circuit.detector_error_model(decompose_errors=True, approximate_disjoint_errors=True)
    matching = pymatching.Matching.from_detector_error_model(dem)
    detectors, observables = circuit.compile_detector_sampler(seed=seed).sample(
        shots, separate_observables=True
    )
    return int(np.any(matching.decode_batch(detectors) != observables, axis=1).sum())


def fit(circuit: stim.Circuit, shots: int, seed: int) -> sinter.Fit:
    """The shot error rate with its likelihood-ratio interval (factor 1000, ~3.7 sigma)."""
    return sinter.fit_binomial(num_shots=shots, num_hits=failures(circuit, shots, seed),
                               max_likelihood_factor=1000)


def code_capacity(d: int, p: float, eta: float, seed: int, shots: int = 10_000) -> sinter.Fit:
    noise = qecsim.NoiseModel.code_capacity(p).with_z_bias(
        eta, components=["data_depolarization"]
    )
    circuit = qecsim.memory_circuit("xzzx_surface_code", distance=d, rounds=1, basis="X",
                                    noise=noise)
    return fit(circuit, shots, seed)


def test_xzzx_code_capacity_threshold_is_above_40_percent_under_pure_dephasing():
    # Bonilla Ataides et al. (2021): 50% under pure Z noise with matching. Below threshold,
    # the larger code fails less: at p = 0.40, d = 13 beats d = 5 beyond both intervals.
    small, large = code_capacity(5, 0.40, math.inf, seed=1), code_capacity(13, 0.40, math.inf,
                                                                            seed=2)
    assert large.high < small.low


def test_xzzx_code_capacity_threshold_at_eta_one_half_is_the_depolarizing_one():
    # Depolarizing noise, matching X and Z separately: ~15.5% (2/3 of each qubit's errors
    # flip a given basis; the bit-flip threshold is ~10.3%). Crossing between 12% and 19%.
    assert code_capacity(13, 0.12, 0.5, seed=3).high < code_capacity(5, 0.12, 0.5, seed=4).low
    assert code_capacity(13, 0.19, 0.5, seed=5).low > code_capacity(5, 0.19, 0.5, seed=6).high


def cat_circuit(d: int, n: float, basis: str) -> stim.Circuit:
    noise = qecsim.NoiseModel.cat_qubit(n, kappa_2=KAPPA_2, kappa_ratio=1e-3)
    return qecsim.memory_circuit("cat_repetition_code", distance=d, basis=basis, noise=noise)


def per_round(shot_fit: sinter.Fit, rounds: int) -> tuple[float, float, float]:
    """(low, best, high) logical error per round of a shot error rate's fit."""
    return tuple(per_round_error_rate(v, rounds=rounds)
                 for v in (shot_fit.low, shot_fit.best, shot_fit.high))


@pytest.mark.parametrize("d", [3, 5])
def test_the_logical_bit_flip_rate_falls_like_exp_minus_two_n(d):
    # Z memory of the cat repetition code: one bit flip anywhere is a logical bit flip, and
    # the CX's bit flips fall like e^(-2n): d ln eps / dn = -2 within 10%.
    shots = {2: 40_000, 3: 400_000 if d == 3 else 120_000}
    eps = {n: per_round(fit(cat_circuit(d, n, "Z"), shots[n], seed=10 * d + n), d)
           for n in (2, 3)}
    slope = math.log(eps[3][1] / eps[2][1])
    # half-widths of ln eps (likelihood ratio 1000, ~3.7 sigma), combined in quadrature
    half = math.hypot(*(math.log(eps[n][2] / eps[n][0]) / 2 for n in (2, 3)))
    # the whole interval of the slope lies within 10% of -2
    assert abs(slope + 2) + half < 0.2


@pytest.mark.parametrize("d", [3, 5])
def test_the_logical_error_per_cycle_has_an_interior_minimum_in_photon_number(d):
    # kappa_1 / kappa_2 = 1e-3, every operation 1 / kappa_2: bit flips (e^(-2n), which no
    # distance corrects) dominate small cats, single-photon loss (n kappa_1 t) large ones.
    # The CX's non-adiabatic phase flips (1/n) fall on the check qubit, where they are
    # measurement errors the code corrects: the phase-flip part grows with n from n = 2 on
    # (benchmarks/README.md). The cycle's logical error is the bit-flip part (Z memory)
    # plus the phase-flip part (X memory); d = 5, per round: 1.9e-2 at n = 2, 8.4e-4 at 4,
    # 1.8e-2 at 20, so 20,000 shots (36 to 1,800 errors a point) separate the intervals.
    def total(n, seed):
        parts = [per_round(fit(cat_circuit(d, n, b), 20_000, seed + i), d)
                 for i, b in enumerate("XZ")]
        return tuple(sum(p[k] for p in parts) for k in range(3))

    small, middle, large = total(2, 100), total(4, 200), total(20, 300)
    assert middle[2] < small[0] and middle[2] < large[0]


def test_the_logical_phase_flip_rate_falls_with_distance():
    for n in (4, 8):
        d3 = per_round(fit(cat_circuit(3, n, "X"), 20_000, seed=n), 3)
        d5 = per_round(fit(cat_circuit(5, n, "X"), 20_000, seed=n + 1), 5)
        assert d5[2] < d3[0]


def _with_marker_moment(circuit: stim.Circuit) -> stim.Circuit:
    """The circuit with a TICK after each data marker: the empty moment builds once had."""
    out = stim.Circuit()
    for item in circuit:
        if isinstance(item, stim.CircuitRepeatBlock):
            out.append(stim.CircuitRepeatBlock(item.repeat_count,
                                               _with_marker_moment(item.body_copy())))
            continue
        out.append(item)
        if item.name == "I_ERROR" and item.tag == "data_depolarization":
            out.append("TICK")
    return out


def _ticks_in_a_row(circuit: stim.Circuit) -> bool:
    names = [item.name if isinstance(item, stim.CircuitInstruction) else "REPEAT"
             for item in circuit]
    bodies = [item.body_copy() for item in circuit if isinstance(item, stim.CircuitRepeatBlock)]
    return ("TICK", "TICK") in itertools.pairwise(names) or any(map(_ticks_in_a_row, bodies))


@pytest.mark.parametrize("basis", ["X", "Z"])
def test_the_cat_repetition_code_has_no_empty_moment_and_the_same_noise(basis):
    noiseless = qecsim.memory_circuit("cat_repetition_code", distance=3, rounds=3, basis=basis)
    assert not _ticks_in_a_row(noiseless)
    durations = qecsim.Durations(single_qubit_gate=50e-9, two_qubit_gate=100e-9,
                                 measurement=500e-9, reset=200e-9)
    models = [qecsim.NoiseModel.cat_qubit(4, kappa_2=KAPPA_2, kappa_ratio=1e-3),
              qecsim.NoiseModel.sd6(1e-3),  # idle noise: an empty moment would add none
              qecsim.NoiseModel(two_qubit_gate=1e-3, durations=durations, t1=30e-6, t2=20e-6)]
    for noise in models:
        noisy = noise.noisy_circuit(noiseless)
        assert not _ticks_in_a_row(noisy)
        # the moment the builder used to leave between the data marker and the first CX
        # layer carried no noise: the detector error model is the same without it
        before = noise.noisy_circuit(_with_marker_moment(noiseless))
        assert _ticks_in_a_row(before) or noise.data_depolarization
        assert noisy.detector_error_model() == before.detector_error_model()
