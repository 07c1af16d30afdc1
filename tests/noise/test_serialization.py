"""Noise model dicts and JSON: the full form, the flat form a person writes, bad keys."""

import pytest

import qecsim


def test_a_flat_dict_of_component_rates_is_read_as_the_rates():
    # issue 11 item 11: this failed with "unknown noise model keys"
    noise = qecsim.NoiseModel.from_json('{"two_qubit_gate": 0.003, "measurement": 0.008}')
    assert noise == qecsim.NoiseModel(two_qubit_gate=0.003, measurement=0.008)
    flat = qecsim.NoiseModel.from_dict({"name": "chip A", "idle": 1e-4, "gate_set": "cz"})
    assert flat.idle == 1e-4 and flat.name == "chip A" and flat.gate_set == "cz"


def test_rates_in_both_places_say_which_nesting_is_expected():
    with pytest.raises(qecsim.QecsimError, match=r"top level and under 'rates'.*one place"):
        qecsim.NoiseModel.from_dict({"measurement": 0.01, "rates": {"idle": 0.001}})


def test_unknown_keys_name_the_valid_component_names_and_keys():
    with pytest.raises(qecsim.QecsimError) as error:
        qecsim.NoiseModel.from_dict({"two_qubit_gate": 0.003, "readout": 0.01})
    message = str(error.value)
    assert "['readout']" in message
    assert "two_qubit_gate" in message and "under 'rates'" in message


def test_old_dicts_keep_their_meaning_and_new_keys_appear_only_when_set():
    old = {"name": "custom", "p": None, "rates": {"crosstalk": 1e-3, "two_qubit_gate": 1e-3}}
    noise = qecsim.NoiseModel.from_dict(old)
    assert noise.gate_set == "cx" and noise.crosstalk == 1e-3  # crosstalk = spectator kind
    assert set(noise.to_dict()) == {
        "name", "p", "rates", "z_bias", "qubit_rates", "coupler_rates", "qubit_z_bias"
    }
    assert qecsim.NoiseModel.from_dict({"name": "si1000", "p": 1e-3}).gate_set == "cz"


def test_everything_round_trips():
    durations = qecsim.Durations(
        single_qubit_gate=25e-9, two_qubit_gate=40e-9, measurement=500e-9, reset=200e-9
    )
    noise = (
        qecsim.NoiseModel.si1000(1e-3)
        .with_coherence(t1=70e-6, t2=50e-6, durations=durations)
        .with_coherence(t1=30e-6, t2=20e-6, qubit=4)
        .with_crosstalk(spectator=1e-4, parallel=2e-4, static_zz=3e3,
                        coupler_static_zz={(1, 2): 9e3})
        .scaled(**{"crosstalk.static_zz": 0.5})
    )
    assert qecsim.NoiseModel.from_json(noise.to_json()) == noise


def test_bad_scale_keys_and_durations_are_named():
    with pytest.raises(qecsim.QecsimError, match=r"cannot scale 'crosstalk.foo'.*parallel"):
        qecsim.NoiseModel.sd6(1e-3).scaled(**{"crosstalk.foo": 2})
    with pytest.raises(qecsim.QecsimError, match=r"durations_s has keys \['gate'\]"):
        qecsim.NoiseModel.from_dict({"durations_s": {"gate": 1e-8}})


def test_unknown_coherence_keys_are_named_not_dropped():
    # {"T1": ..., "T2": ...} reads naturally but is not the format: it must not load as a
    # model without T1/T2
    data = {"durations_s": {"single_qubit_gate": 25e-9, "two_qubit_gate": 40e-9,
                            "measurement": 500e-9, "reset": 200e-9},
            "coherence_s": {"T1": 1e-4, "T2": 8e-5}}
    with pytest.raises(qecsim.QecsimError, match=r"coherence_s keys \['T1', 'T2'\].*device"):
        qecsim.NoiseModel.from_dict(data)
    data["coherence_s"] = {"device": [1e-4, 8e-5]}
    assert qecsim.NoiseModel.from_dict(data).t1 == 1e-4
