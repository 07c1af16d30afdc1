"""Scaling a tagged circuit by tag: what budgets, sweeps and fits of circuits rely on."""

from __future__ import annotations

import pytest
import stim

import qecsim
from qecsim.noise.tagging import scale_components, scale_tagged


def test_scaling_a_component_scales_exactly_its_channels_and_their_mechanisms():
    noise = qecsim.NoiseModel.si1000(2e-3)
    circuit = qecsim.memory_circuit(distance=3, noise=noise)
    scaled = scale_components(circuit, {"measurement": 0.5})
    # the reference: the noise model with its measurement rate halved
    expected = qecsim.memory_circuit(distance=3, noise=noise.scaled(measurement=0.5))
    assert scaled == expected


def test_a_part_key_scales_its_part_and_a_component_key_all_parts():
    circuit = stim.Circuit("""
        PAULI_CHANNEL_2[crosstalk.static_zz@0-1](0,0,0.01,0,0,0,0,0,0,0,0,0.01,0,0,0.01) 0 1
        PAULI_CHANNEL_2[crosstalk.parallel@1-2](0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.02) 1 2
        DEPOLARIZE1(0.03) 0
        X_ERROR[mine](0.04) 0
    """)
    part = scale_components(circuit, {"crosstalk.static_zz": 2.0})
    assert [sum(i.gate_args_copy()) for i in part] == pytest.approx([0.06, 0.02, 0.03, 0.04])
    whole = scale_components(circuit, {"crosstalk": 0.5, "crosstalk.parallel": 3.0})
    assert [sum(i.gate_args_copy()) for i in whole] == pytest.approx([0.015, 0.06, 0.03, 0.04])


def test_noisy_measurements_and_mpad_are_scaled_and_repeat_tags_kept():
    circuit = stim.Circuit("""
        REPEAT[loop] 2 {
            MPAD[measurement](0.1) 1
            M[measurement@0](0.02) 0
        }
    """)
    scaled = scale_components(circuit, {"measurement": 2.0})
    block = scaled[0]
    assert block.tag == "loop"
    assert [i.gate_args_copy() for i in block.body_copy()] == [[0.2], [0.04]]


def test_a_scale_beyond_a_channels_range_names_its_line_and_tag():
    circuit = stim.Circuit("H 0\nDEPOLARIZE1[idle@0](0.5) 0")
    with pytest.raises(qecsim.QecsimError, match=r"line 2 \(DEPOLARIZE1\[idle@0\]\) scaled by 2"):
        scale_components(circuit, {"idle": 2.0})
    with pytest.raises(qecsim.QecsimError, match="is negative"):
        scale_tagged(circuit, lambda tag: -1.0)
