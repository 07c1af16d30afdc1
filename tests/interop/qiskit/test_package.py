"""Tests of the qecsim.interop.qiskit package: its public names, lazy import, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import qecsim
from qecsim.interop import qiskit as qiskit_interop


def test_cli_writes_a_noise_file(tmp_path, capsys, torino):
    from qecsim.cli import main

    output = tmp_path / "noise.json"
    assert main(["noise-from-backend", "fake_torino", "-o", str(output)]) == 0
    noise = qecsim.NoiseModel.from_json(output.read_text())
    assert noise.name == "fake_torino:median"
    assert noise == qiskit_interop.noise_from_backend(torino, aggregate="median")
    line = capsys.readouterr().err.splitlines()[-1]
    durations = noise.durations
    assert line.startswith(f"wrote {output}: fake_torino:median: two_qubit_gate=")
    assert (f"; gate set cz; durations 1q {durations.single_qubit_gate * 1e9:.4g} ns, 2q "
            f"{durations.two_qubit_gate * 1e9:.4g} ns, measurement "
            f"{durations.measurement * 1e9:.4g} ns, reset {durations.reset * 1e9:.4g} ns; "
            f"T1/T2 {noise.t1 * 1e6:.3g}/{noise.t2 * 1e6:.3g} us") in line

    per_qubit = tmp_path / "per_qubit.json"
    code = main(["noise-from-backend", "fake_torino", "--aggregate", "per_qubit",
                 "--distance", "3", "-o", str(per_qubit)])
    assert code == 0
    data = json.loads(per_qubit.read_text())
    assert len(data["qubit_rates"]) == 17
    assert "couplers the code needs are not device couplers" in capsys.readouterr().err

    assert main(["noise-from-backend", "fake_torino", "--aggregate", "per_qubit"]) == 2
    assert main(["noise-from-backend", "fake_nowhere"]) == 2
    assert "valid names: fake_aachen" in capsys.readouterr().err


def test_import_qecsim_does_not_import_qiskit():
    code = "import qecsim, sys; print(any(m.split('.')[0] == 'qiskit' for m in sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"


def test_importing_the_interop_package_does_not_import_qiskit_either():
    code = (
        "import qecsim.interop.qiskit, sys; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'qiskit', 'qiskit_aer'}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


# The public names of qecsim.interop.qiskit before it became a package (issue 10), and the
# module of the package that now owns each.
PUBLIC_NAMES = {
    "AGGREGATES": "backend_noise",
    "AerCrossCheck": "aer",
    "DeviceCalibration": "calibration",
    "aer_cross_check": "aer",
    "aer_memory_to_measurements": "aer",
    "backend_from_name": "calibration",
    "device_calibration": "calibration",
    "greedy_layout": "layout",
    "noise_from_backend": "backend_noise",
    "to_aer_noise_model": "aer",
    "to_qasm3": "export",
    "to_qiskit": "export",
}


@pytest.mark.parametrize(("name", "module"), sorted(PUBLIC_NAMES.items()))
def test_every_public_name_is_re_exported_from_its_module(name, module):
    import importlib

    owner = importlib.import_module(f"qecsim.interop.qiskit.{module}")
    assert getattr(qiskit_interop, name) is getattr(owner, name)
    assert name in qiskit_interop.__all__ and name in owner.__all__


def test_the_package_exports_nothing_else():
    assert sorted(qiskit_interop.__all__) == sorted(PUBLIC_NAMES)


def test_cli_every_option_says_what_it_takes_and_its_default():
    import argparse

    from qecsim.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for action in subparsers.choices["noise-from-backend"]._actions:
        if action.dest == "help":
            continue
        assert action.help, action.option_strings
        if action.option_strings:
            assert "default" in action.help, (action.option_strings, action.help)
            if action.nargs != 0:
                assert action.metavar or action.choices, action.option_strings
        else:
            assert "required" in action.help  # the positional backend name
