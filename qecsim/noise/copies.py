"""Copies of a :class:`~qecsim.noise.model.NoiseModel` with some values changed.

:class:`NoiseModelCopies` is the part of ``NoiseModel`` that makes modified copies (scaled
rates, overrides, biases, gate set, durations, coherence, crosstalk); every method returns a
new frozen model through :func:`dataclasses.replace`, which re-checks all fields.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import stim

from qecsim.errors import QecsimError
from qecsim.noise.biased import bias_preserving_cx
from qecsim.noise.coherence import pauli_twirl_idle
from qecsim.noise.components import COMPONENTS, CROSSTALK_KINDS, PAULI_PARTS, RATE_LIMITS
from qecsim.noise.fields import SCALE_KEYS, coordinate_index, coupler_key, qubit_index
from qecsim.noise.timing import Durations, unit_warnings
from qecsim.validation import check_real

if TYPE_CHECKING:
    from qecsim.noise.model import NoiseModel

__all__ = ["SCALE_FACTOR_KEYS", "NoiseModelCopies"]

#: Keys ``NoiseModel.scaled`` accepts: the components, the kinds of crosstalk, and the parts of
#: components split into parts (``two_qubit_gate.bit_flip``).
SCALE_FACTOR_KEYS: tuple[str, ...] = (
    *COMPONENTS,
    *(f"crosstalk.{kind}" for kind in CROSSTALK_KINDS),
    *(f"{c}.{part}" for c in COMPONENTS if c != "crosstalk" for part in PAULI_PARTS),
)


class NoiseModelCopies:
    """Methods of :class:`~qecsim.noise.model.NoiseModel` that return modified copies."""

    def scaled(self, factor: float | None = None, /, **factors: float) -> NoiseModel:
        """A copy with rates multiplied: all by ``factor``, and/or per key by ``factors``.

        Scaling applies to global rates, to every per-qubit and per-coupler override, and
        to the probabilities of channels computed from physical parameters (idle errors from
        T1/T2, static ZZ; through :attr:`scales`). ``crosstalk`` scales all kinds of
        crosstalk; ``crosstalk.spectator``, ``crosstalk.parallel`` and
        ``crosstalk.static_zz`` one kind each (pass them as ``**{"crosstalk.parallel": 0}``).
        A component's factor also scales its :attr:`channel_parts`, and
        ``component.part`` (``**{"two_qubit_gate.bit_flip": 0.1}``) one part. The result keeps
        the preset name only when nothing changed (and drops :attr:`cat`).

        Args:
            factor: A factor for every component.
            **factors: key -> factor, e.g. ``two_qubit_gate=0.5``; 0 switches it off.

        Raises:
            QecsimError: An unknown key, a negative factor, or a scaled rate beyond its
                channel's limit.

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> noise = NoiseModel.si1000(1e-3)
            >>> noise.scaled(measurement=0).measurement
            0.0
            >>> round(noise.scaled(0.5).reset, 6)
            0.001
        """
        scale = dict.fromkeys(SCALE_FACTOR_KEYS, 1.0)
        for key, value in factors.items():
            if key not in scale:
                raise QecsimError(
                    f"cannot scale {key!r}; valid keys: {', '.join(SCALE_FACTOR_KEYS)}"
                )
            value = _check_factor(key, value)
            if key == "crosstalk":
                for kind in CROSSTALK_KINDS:
                    scale[f"crosstalk.{kind}"] *= value
            else:
                scale[key] *= value
        if factor is not None:
            uniform = _check_factor("factor", factor)
            scale = {c: s * uniform for c, s in scale.items()}
        scale["crosstalk"] = scale.pop("crosstalk.spectator")
        if all(s == 1 for s in scale.values()):
            return self

        def scale_rates(rates: Mapping[str, float]) -> dict[str, float]:
            return {c: _scaled_rate(c, r, scale[c]) for c, r in rates.items()}

        changes: dict[str, Any] = {
            c: _scaled_rate(c, getattr(self, c), scale[c]) for c in COMPONENTS
        }
        changes["parallel_crosstalk"] = _scaled_rate(
            "parallel_crosstalk", self.parallel_crosstalk, scale["crosstalk.parallel"]
        )
        scales = {k: self.scales.get(k, 1.0) * scale[k] for k in SCALE_KEYS}
        parts = {
            c: {part: tuple(v * scale[c] * scale[f"{c}.{part}"] for v in values)
                for part, values in by_part.items()}
            for c, by_part in self.channel_parts.items()
        }
        return dataclasses.replace(
            self,
            **changes,
            qubit_rates={q: scale_rates(r) for q, r in self.qubit_rates.items()},
            coupler_rates={k: scale_rates(r) for k, r in self.coupler_rates.items()},
            scales=scales,
            channel_parts=parts,
            cat=None,
            name="custom",
        )

    def with_qubit_rates(
        self,
        rates: Mapping[Any, Mapping[str, float]],
        *,
        circuit: stim.Circuit | None = None,
    ) -> NoiseModel:
        """A copy with per-qubit overrides of one-qubit components (merged with existing ones).

        Args:
            rates: qubit -> component -> rate. Qubits are circuit indices, or coordinate
                tuples when ``circuit`` is given.
            circuit: A circuit whose ``QUBIT_COORDS`` resolve coordinate keys.

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> noise = NoiseModel.sd6(0.001).with_qubit_rates({3: {"measurement": 0.02}})
            >>> noise.qubit_rates
            {3: {'measurement': 0.02}}
        """
        coordinates = coordinate_index(circuit)
        merged = {q: dict(r) for q, r in self.qubit_rates.items()}
        for key, overrides in rates.items():
            merged.setdefault(qubit_index(key, coordinates), {}).update(overrides)
        return dataclasses.replace(self, qubit_rates=merged, name="custom")

    def with_coupler_rates(
        self,
        rates: Mapping[tuple[Any, Any], Mapping[str, float]],
        *,
        circuit: stim.Circuit | None = None,
    ) -> NoiseModel:
        """A copy with per-coupler overrides of two-qubit components (merged).

        Args:
            rates: (qubit, qubit) -> component -> rate; the pair's order does not matter.
            circuit: A circuit whose ``QUBIT_COORDS`` resolve coordinate keys.

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> noise = NoiseModel.sd6(0.001).with_coupler_rates({(7, 3): {"two_qubit_gate": 0.01}})
            >>> noise.rate("two_qubit_gate", (3, 7))
            0.01
        """
        coordinates = coordinate_index(circuit)
        merged = {k: dict(r) for k, r in self.coupler_rates.items()}
        for key, overrides in rates.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise QecsimError(f"coupler {key!r} is not a pair of qubits")
            merged.setdefault(coupler_key(key, coordinates), {}).update(overrides)
        return dataclasses.replace(self, coupler_rates=merged, name="custom")

    def with_z_bias(
        self,
        eta: float,
        *,
        components: Iterable[str] = ("single_qubit_gate", "idle", "measurement_idle"),
        qubit: int | None = None,
    ) -> NoiseModel:
        """A copy whose one-qubit channels are Z-biased: p_z = eta (p_x + p_y), p_x = p_y.

        eta = 1/2 is depolarizing; large eta is dephasing-dominated. The total error
        probability of each channel stays its rate.

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> biased = NoiseModel.sd6(0.003).with_z_bias(100.0, components=["idle"])
            >>> biased.z_bias
            {'idle': 100.0}
        """
        components = (components,) if isinstance(components, str) else tuple(components)
        if qubit is None:
            return dataclasses.replace(
                self, z_bias={**self.z_bias, **dict.fromkeys(components, eta)}, name="custom"
            )
        merged = {q: dict(b) for q, b in self.qubit_z_bias.items()}
        merged.setdefault(qubit, {}).update(dict.fromkeys(components, eta))
        return dataclasses.replace(self, qubit_z_bias=merged, name="custom")

    def with_channel_parts(
        self, component: str, parts: Mapping[str, Iterable[float]]
    ) -> NoiseModel:
        """A copy whose ``component`` channel is split into parts (its rate set to 0).

        Args:
            component: A component other than ``crosstalk``.
            parts: ``"phase_flip"`` and/or ``"bit_flip"`` -> Pauli probabilities (3 for a
                one-qubit component, stim's PAULI_CHANNEL_1 order; 15 for
                ``two_qubit_gate``). See :attr:`NoiseModel.channel_parts`.

        Examples:
            >>> from qecsim.noise import NoiseModel
            >>> noise = NoiseModel(idle=1e-3).with_channel_parts(
            ...     "idle", {"phase_flip": (0, 0, 1e-3), "bit_flip": (1e-6, 1e-6, 0)})
            >>> noise.idle, noise.keys_in_use()
            (0.0, ('idle.phase_flip', 'idle.bit_flip'))
        """
        merged = {c: dict(p) for c, p in self.channel_parts.items()}
        merged[component] = {part: tuple(v) for part, v in parts.items()}
        z_bias = {c: eta for c, eta in self.z_bias.items() if c != component}
        return dataclasses.replace(
            self, **{component: 0.0}, z_bias=z_bias, channel_parts=merged, cat=None,
            name="custom",
        )

    def with_bias_preserving_cx(
        self,
        eta: float,
        *,
        z_control: float = 1 / 3,
        z_target: float = 1 / 3,
        z_both: float = 1 / 3,
    ) -> NoiseModel:
        """A copy whose two-qubit gates have bias-preserving CX noise of bias eta.

        The total error probability stays the ``two_qubit_gate`` rate p. Its Z-type part
        (ZI, IZ, ZZ in the given proportions) is tagged ``two_qubit_gate.phase_flip``; its
        bit flips (X and Y on each qubit alone, with that qubit's Z-type weight divided by
        eta) ``two_qubit_gate.bit_flip``. Definitions: :mod:`qecsim.noise.biased`.

        Args:
            eta: Bias seen by each qubit, in (0, inf].
            z_control: Share of the Z-type probability on ZI (the control alone).
            z_target: Share on IZ (the target alone).
            z_both: Share on ZZ.

        Examples:
            >>> from qecsim.noise import NoiseModel
            >>> noise = NoiseModel.sd6(1e-3).with_bias_preserving_cx(1e4)
            >>> round(sum(map(sum, noise.parts("two_qubit_gate").values())), 12)
            0.001
        """
        total = z_control + z_target + z_both
        if not total > 0 or min(z_control, z_target, z_both) < 0:
            raise QecsimError(
                f"z_control={z_control!r}, z_target={z_target!r}, z_both={z_both!r} are not "
                "shares >= 0 with a positive sum"
            )
        eta = check_real("eta", eta, low=0, high=math.inf, open_low=True, what="Z bias")
        # bit flips per unit of Z-type probability: each qubit's Z-type weight / eta
        bits = 0.0 if math.isinf(eta) else (z_control + z_target + 2 * z_both) / total / eta
        p = self.two_qubit_gate / (1 + bits)  # Z-type probability, so that the total is the rate
        parts = bias_preserving_cx(z_control=p * z_control / total, z_target=p * z_target / total,
                                   z_both=p * z_both / total, eta=eta)
        return self.with_channel_parts("two_qubit_gate", parts)

    def with_gate_set(self, gate_set: str) -> NoiseModel:
        """A copy for hardware with another native gate set (``"cx"`` or ``"cz"``).

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> NoiseModel.sd6(1e-3).with_gate_set("cz").gate_set
            'cz'
        """
        return dataclasses.replace(self, gate_set=gate_set, name="custom")

    def with_durations(
        self,
        durations: Durations | None = None,
        *,
        single_qubit_gate: float | None = None,
        two_qubit_gate: float | None = None,
        measurement: float | None = None,
        reset: float | None = None,
    ) -> NoiseModel:
        """A copy with operation durations, in seconds (a :class:`Durations` or each one).

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> noise = NoiseModel.si1000(1e-3).with_durations(
            ...     single_qubit_gate=25e-9, two_qubit_gate=40e-9, measurement=500e-9,
            ...     reset=200e-9)
            >>> noise.durations.of("MR")
            7e-07
        """
        if durations is None:
            durations = Durations(
                single_qubit_gate=single_qubit_gate,
                two_qubit_gate=two_qubit_gate,
                measurement=measurement,
                reset=reset,
            )
        return dataclasses.replace(self, durations=durations, name="custom")

    def with_coherence(
        self,
        *,
        t1: float,
        t2: float,
        qubit: int | None = None,
        durations: Durations | None = None,
        gate_duration: float | None = None,
        measurement_duration: float | None = None,
    ) -> NoiseModel:
        """A copy whose qubits (or one qubit) decohere with T1 and T2, in seconds.

        In every tick, each qubit then gets the Pauli twirl
        (:func:`~qecsim.noise.coherence.pauli_twirl_idle`) over the part of the tick's
        duration it spends idle, as an ``idle`` channel; a qubit's operations in one tick add up
        (``M 0`` then ``R 0`` last as long as ``MR 0``) and the tick lasts as long as its
        busiest qubit (:meth:`Durations.of`). The model needs ``durations``.

        Legacy form (fixed rates, what the qiskit import did before it passed durations; the
        per-tick form above is more faithful): with ``gate_duration`` and
        ``measurement_duration`` (seconds) the copy instead gets fixed rates: ``idle`` = the
        twirl over ``gate_duration`` and ``measurement_idle`` = the twirl over
        ``measurement_duration``, each with the matching Z bias. Since idle noise applies in
        every tick, a measurement tick then carries both.

        Args:
            t1: T1 in seconds (``inf`` for none).
            t2: T2 in seconds, at most 2 * T1.
            qubit: Apply to this qubit only (an override); None for every qubit.
            durations: Operation durations to set at the same time (seconds).
            gate_duration: Legacy: how long a gate tick lasts (s).
            measurement_duration: Legacy: how long a measurement/reset tick lasts (s).

        Raises:
            QecsimError: T2 > 2 T1, a time not positive, or no durations.

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> durations = Durations(single_qubit_gate=25e-9, two_qubit_gate=40e-9,
            ...                       measurement=500e-9, reset=200e-9)
            >>> noise = NoiseModel.si1000(1e-3).with_coherence(
            ...     t1=100e-6, t2=100e-6, durations=durations)
            >>> noise.t1, noise.has_coherence
            (0.0001, True)
        """
        if gate_duration is not None or measurement_duration is not None:
            return self._with_fixed_coherence_rates(
                t1=t1, t2=t2, gate_duration=gate_duration,
                measurement_duration=measurement_duration, qubit=qubit,
            )
        noise = self if durations is None else dataclasses.replace(self, durations=durations)
        if qubit is None:
            return dataclasses.replace(noise, t1=t1, t2=t2, name="custom")
        merged = {**noise.qubit_coherence, qubit_index(qubit, None): (t1, t2)}
        return dataclasses.replace(noise, qubit_coherence=merged, name="custom")

    def _with_fixed_coherence_rates(
        self, *, t1: float, t2: float, gate_duration: Any, measurement_duration: Any,
        qubit: int | None,
    ) -> NoiseModel:
        # the unit checks of the per-tick form, on the two durations given (a gate tick is
        # charged as a two-qubit gate, a measurement tick as a measurement)
        legacy = Durations(single_qubit_gate=0.0, two_qubit_gate=gate_duration or 0.0,
                           measurement=measurement_duration or 0.0, reset=0.0)
        where = "device" if qubit is None else f"qubit {qubit}"
        for message in unit_warnings(legacy, [(where, t1, t2)]):
            warnings.warn(message, UserWarning, stacklevel=3)
        rates: dict[str, float] = {}
        biases: dict[str, float] = {}
        for component, duration in (
            ("idle", gate_duration),
            ("measurement_idle", measurement_duration),
        ):
            px, py, pz = pauli_twirl_idle(t1=t1, t2=t2, duration=duration)
            rates[component] = px + py + pz
            if px + py > 0:
                biases[component] = pz / (px + py)
            else:  # T1 = inf: pure dephasing (or no error at all)
                biases[component] = math.inf if pz > 0 else 0.5
        if qubit is None:
            return dataclasses.replace(
                self, **rates, z_bias={**self.z_bias, **biases}, name="custom"
            )
        noise = self.with_qubit_rates({qubit: rates})
        merged = {q: dict(b) for q, b in noise.qubit_z_bias.items()}
        merged.setdefault(qubit, {}).update(biases)
        return dataclasses.replace(noise, qubit_z_bias=merged)

    def with_crosstalk(
        self,
        *,
        spectator: float | None = None,
        parallel: float | None = None,
        static_zz: float | None = None,
        coupler_static_zz: Mapping[tuple[Any, Any], float] | None = None,
        circuit: stim.Circuit | None = None,
    ) -> NoiseModel:
        """A copy with crosstalk of each kind set (None leaves a kind as it is).

        Args:
            spectator: ZZ probability on (idle spectator, gate qubit) pairs.
            parallel: ZZ probability on coupled qubits of simultaneous two-qubit gates.
            static_zz: Residual ZZ strength of every coupled pair, in Hz (needs durations).
            coupler_static_zz: (qubit, qubit) -> ZZ strength in Hz, merged with existing ones.
            circuit: A circuit whose ``QUBIT_COORDS`` resolve coordinate keys.

        Examples:
            >>> from qecsim.noise import Durations, NoiseModel
            >>> noise = NoiseModel.si1000(1e-3).with_crosstalk(parallel=1e-4)
            >>> noise.crosstalk_kinds_in_use()
            ('parallel',)
        """
        changes: dict[str, Any] = {"name": "custom"}
        if spectator is not None:
            changes["crosstalk"] = spectator
        if parallel is not None:
            changes["parallel_crosstalk"] = parallel
        if static_zz is not None:
            changes["static_zz"] = static_zz
        if coupler_static_zz is not None:
            coordinates = coordinate_index(circuit)
            changes["coupler_static_zz"] = {
                **self.coupler_static_zz,
                **{coupler_key(k, coordinates): v for k, v in coupler_static_zz.items()},
            }
        return dataclasses.replace(self, **changes)


def _check_factor(name: str, value: Any) -> float:
    return check_real(name, value, low=0, high=math.inf, open_high=True, what="scale factor")


def _scaled_rate(component: str, rate: float, factor: float) -> float:
    value = rate * factor
    limit = RATE_LIMITS.get(component, 1.0)
    if value > limit:
        raise QecsimError(
            f"{component}={rate!r} scaled by {factor!r} is {value!r}, not in [0, {limit:g}]"
        )
    return value

