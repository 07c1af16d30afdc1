"""Bridges to other quantum software.

The bridges import their third-party packages lazily, so ``import qecsim`` stays fast:
import the submodule you need, e.g. ``from qecsim.interop import qiskit as qecsim_qiskit``.

- :mod:`qecsim.interop.qiskit`: noise models from a qiskit backend's calibration
  (``noise_from_backend``), export of stim circuits to qiskit and OpenQASM 3 (``to_qiskit``,
  ``to_qasm3``), export of a NoiseModel to a qiskit-aer noise model (``to_aer_noise_model``)
  and a cross-check of qecsim's circuits against qiskit-aer's stabilizer simulator
  (``aer_cross_check``).
"""
