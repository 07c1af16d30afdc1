"""Qiskit interop: device calibration -> NoiseModel, stim -> qiskit / OpenQASM 3, qiskit-aer checks.

One module per job; every public name is re-exported here (``from qecsim.interop.qiskit import
noise_from_backend``):

- :mod:`~qecsim.interop.qiskit.export`: :func:`to_qiskit` and :func:`to_qasm3` export a stim
  circuit (gates, resets, measurements); noise channels are dropped, or kept as inline
  qiskit-aer Pauli channels (``noise="aer"``).
- :mod:`~qecsim.interop.qiskit.aer`: :func:`to_aer_noise_model` exports a NoiseModel's gate,
  reset and measurement components as a qiskit-aer ``NoiseModel`` (aer attaches noise to
  instructions, so idle noise does not map); :func:`aer_cross_check` simulates a circuit with
  qiskit-aer's stabilizer method and stim and compares per-detector detection fractions
  (:class:`AerCrossCheck`); :func:`aer_memory_to_measurements` reads aer's bitstrings.
- :mod:`~qecsim.interop.qiskit.calibration`: :func:`device_calibration` reads a qiskit
  ``BackendV2`` (its ``Target``, ``qubit_properties`` and, for IBM snapshots, ``properties()``)
  into a :class:`DeviceCalibration`; :func:`backend_from_name` finds a fake backend by name.
- :mod:`~qecsim.interop.qiskit.backend_noise`: :func:`noise_from_backend` turns a backend (or
  a :class:`DeviceCalibration`) into a :class:`qecsim.NoiseModel`, either uniform (median or
  mean over the device) or per qubit and per coupler for a given layout.
- :mod:`~qecsim.interop.qiskit.layout`: :func:`greedy_layout` places a code's qubits on a
  device so that its couplers stay short.

qiskit is a core dependency of qecsim but is imported lazily so that ``import qecsim`` stays
fast; qiskit-aer and qiskit-ibm-runtime come with the ``aer`` extra.

Conventions (documented once, used by calibration import):

- **Gate errors** reported by IBM (and stored in a ``Target``) are average gate infidelities
  ``r`` from randomized benchmarking. A depolarizing channel on ``n`` qubits with total Pauli
  error probability ``p`` (stim's ``DEPOLARIZE1(p)``/``DEPOLARIZE2(p)``) has ``r = p d / (d + 1)``
  with ``d = 2**n``, so by default ``p = r (d + 1) / d``: ``3r/2`` for one qubit, ``5r/4`` for two
  (``gate_error_convention="average_infidelity"``, converted by
  :func:`qecsim.pauli_error_from_infidelity`, the converter calibration files use too). Pass
  ``gate_error_convention="depolarizing"`` to use the reported numbers as ``p`` unchanged.
- **Readout**: the mean of P(0|1) and P(1|0) where the backend reports both (stim has no
  asymmetric readout channel), else the ``Target``'s ``measure`` error.
- **Gate set**: ``"cz"`` for CZ devices (IBM Heron: FakeTorino), ``"cx"`` for ECR and CX
  devices. ECR is CX up to single-qubit gates on both qubits, which the hardware merges into
  the neighbouring single-qubit layers; qecsim's CX schedule does not add them, so on ECR
  devices single-qubit gate errors are somewhat underestimated.
- **Reset**: IBM backends report no reset error (their reset is a measurement followed by a
  conditional X), so each qubit's reset error is its readout error, with a warning; a
  reported reset error is used as is.
- **Idle**: the ``Target``'s median duration of each operation kind (``sx``, the native
  two-qubit gate, ``measure``, ``reset``) goes into the model's
  :class:`~qecsim.noise.timing.Durations` and T1/T2 per qubit into its coherence, so each
  tick charges the Pauli twirl (:func:`qecsim.pauli_twirl_idle`) over its own duration (its
  longest operation): a single-qubit tick its ``sx`` duration (FakeTorino: 32 ns), a CZ tick
  68 ns, an ECR tick ~530 ns (FakeSherbrooke), a measure-and-reset tick (``MR``, how qecsim's
  memory circuits read ancillas) measure + reset (FakeTorino: 1.56 + 1.71 us). All of it is
  tagged ``idle``. The gate errors from randomized benchmarking already include decoherence
  during the gate, so a qubit is charged only for the part of a tick it spends idle.
- **Fallbacks** (each reported in ONE ``UserWarning`` that lists every affected item):
  T2 > 2 T1 (unphysical for the twirl) -> T2 is clipped to 2 T1; a rate above its channel's limit
  (IBM marks broken couplers with error 1.0) -> clipped to the limit; a qubit without T1/T2, gate
  or readout data -> the device median; a coupler the code needs but the device lacks -> the
  device median two-qubit error; no reset error at all -> the readout error; no reset duration
  -> the measurement duration; no single-qubit gate duration -> 0 (no idling in single-qubit
  ticks); no two-qubit gate or measurement durations, or no T1/T2 -> no idle noise.
- **Errors** (:class:`qecsim.QecsimError`): negative, NaN or > 1 error values, non-positive T1/T2
  or durations, a backend with no data at all for a component, a bad layout.
"""

from qecsim.interop.qiskit.aer import (
    AerCrossCheck,
    aer_cross_check,
    aer_memory_to_measurements,
    to_aer_noise_model,
)
from qecsim.interop.qiskit.backend_noise import AGGREGATES, noise_from_backend
from qecsim.interop.qiskit.calibration import (
    DeviceCalibration,
    backend_from_name,
    device_calibration,
)
from qecsim.interop.qiskit.export import to_qasm3, to_qiskit
from qecsim.interop.qiskit.layout import greedy_layout

__all__ = [
    "AGGREGATES",
    "AerCrossCheck",
    "DeviceCalibration",
    "aer_cross_check",
    "aer_memory_to_measurements",
    "backend_from_name",
    "device_calibration",
    "greedy_layout",
    "noise_from_backend",
    "to_aer_noise_model",
    "to_qasm3",
    "to_qiskit",
]
