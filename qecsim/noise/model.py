"""Circuit-level noise models whose every channel is tagged with the component that caused it.

A :class:`NoiseModel` holds one error rate per canonical component (see
:mod:`qecsim.noise.components`), optional per-qubit and per-coupler overrides, optional Z-biased
Pauli channels, and turns a noiseless ``TICK``-separated circuit into a noisy one with
:meth:`NoiseModel.noisy_circuit`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import stim

from qecsim.errors import QecsimError
from qecsim.noise import serialization
from qecsim.noise.apply import NoiseApplier
from qecsim.noise.cat import CatQubit
from qecsim.noise.components import (
    COMPONENTS,
    CROSSTALK_KINDS,
    PAULI_PARTS,
    RATE_LIMITS,
    check_component,
)
from qecsim.noise.copies import NoiseModelCopies
from qecsim.noise.fields import checked_fields, pair
from qecsim.noise.presets import PRESET_DEFINITIONS, PRESETS
from qecsim.noise.timing import Durations
from qecsim.validation import check_probability

__all__ = ["PRESETS", "NoiseModel"]

def _preset_parameter(preset: str, p: Any, multipliers: Mapping[str, float | Fraction]) -> float:
    """Check a preset's p against the tightest channel limit its multipliers imply."""
    limit = min(RATE_LIMITS[c] / float(m) for c, m in multipliers.items() if m > 0)
    return check_probability(f"{preset} p", p, limit)


@dataclass(frozen=True)
class NoiseModel(NoiseModelCopies):
    """Component error rates of a circuit-level noise model, and the hardware they describe.

    Rates are Pauli error probabilities: the p of stim's ``DEPOLARIZE1(p)`` and
    ``DEPOLARIZE2(p)`` (a uniformly random non-identity Pauli with probability p) for gates,
    idles and data depolarization, of ``X_ERROR(p)`` (``Z_ERROR`` in the X basis) for reset
    and measurement flips, of a ZZ error for crosstalk. Randomized-benchmarking average
    infidelities convert with :func:`~qecsim.noise.conventions.pauli_error_from_infidelity`
    (p = 3r/2 for one qubit, 5r/4 for two); :func:`qecsim.load_calibration` does it for you.
    Times are in seconds, static ZZ strengths in Hz. Per-qubit and per-coupler overrides
    replace the global rate on those qubits.

    Rules of :meth:`noisy_circuit`, tick by tick (a tick is what lies between two ``TICK``s):
    ``single_qubit_gate`` after each single-qubit Clifford; ``two_qubit_gate`` after each
    two-qubit gate; ``idle`` on every qubit no operation touches, in every tick that has an
    operation (measurement and reset ticks included); ``measurement_idle`` on top of that,
    on every qubit not measured or reset in a tick that measures or resets (SI1000's
    "resonator idle"); ``reset`` flip after each reset; ``measurement`` flip of each
    measurement (see :meth:`noisy_circuit` for state flip vs result flip); ``data_depolarization``
    where the builder marked the start of a round. With ``durations`` and T1/T2 (``t1``,
    ``t2``, ``qubit_coherence``), each qubit also decoheres in every tick for the part of
    the tick's duration (its busiest qubit's operations, added up) it spends idle: the
    Pauli twirl of :func:`~qecsim.noise.coherence.pauli_twirl_idle`, tagged ``idle``.

    Crosstalk, three kinds, each tagged ``crosstalk.<kind>``: ``crosstalk`` (kind
    ``spectator``) is a ZZ error on (spectator, gate qubit) where a qubit idles in a
    two-qubit-gate tick next to a gate qubit; ``parallel_crosstalk`` (kind ``parallel``) is a
    ZZ error on each coupled pair of qubits that belong to two different two-qubit gates of
    the same tick; ``static_zz`` (kind ``static_zz``, Hz) is the twirled conditional phase
    of residual ZZ coupling on every coupled pair in every tick, except a pair that runs a
    gate together (:func:`~qecsim.noise.timing.static_zz_probability`). Qubits are coupled
    where the circuit has a two-qubit gate between them. A ZZ error between a check qubit and
    a data qubit mid-schedule spreads like a hook error, so crosstalk can lower the circuit
    distance (e.g. to 3 for the d = 5 X memory).

    Asymmetric readout P(0|1) != P(1|0) has no stim channel: use their mean (what
    :func:`qecsim.load_calibration` does).

    Args:
        single_qubit_gate: DEPOLARIZE1 after each single-qubit gate, in [0, 3/4].
        two_qubit_gate: DEPOLARIZE2 after each two-qubit gate, in [0, 15/16].
        idle: DEPOLARIZE1 on qubits idle in a tick, in [0, 3/4].
        measurement_idle: DEPOLARIZE1, extra, on qubits not measured or reset in a
            measurement/reset tick, in [0, 3/4].
        reset: flip probability after a reset, in [0, 1].
        measurement: flip probability of a measurement result, in [0, 1].
        data_depolarization: DEPOLARIZE1 on data qubits at the start of each round.
        crosstalk: spectator ZZ probability on each (spectator, gate qubit) pair, in [0, 1].
        parallel_crosstalk: ZZ probability on each coupled pair of qubits of two different
            simultaneous two-qubit gates, in [0, 1].
        static_zz: residual ZZ coupling strength of every coupled pair, in Hz (>= 0).
        z_bias: component -> eta = p_z / (p_x + p_y) (absent means depolarizing, eta = 1/2):
            one-qubit channels become PAULI_CHANNEL_1, ``two_qubit_gate`` the Z-biased
            PAULI_CHANNEL_2 of :mod:`qecsim.noise.biased` (each qubit sees bias eta; eta = 1/2
            is exactly DEPOLARIZE2).
        qubit_rates: qubit index -> component -> rate, overriding one-qubit components.
        coupler_rates: (qubit, qubit) -> component -> rate, overriding two-qubit components.
        qubit_z_bias: qubit index -> component -> eta.
        gate_set: The native gate set of the hardware (one of :data:`~qecsim.GATE_SETS`);
            :func:`qecsim.memory_circuit` builds for it unless told otherwise.
        durations: Operation durations in seconds (:class:`~qecsim.noise.timing.Durations`),
            needed by T1/T2 and static ZZ.
        t1: T1 of every qubit without its own, in seconds (``inf``: no decay).
        t2: T2 of every qubit without its own, in seconds, at most 2 * T1; needed with a
            finite ``t1`` (no default: give ``2 * t1`` for a qubit limited by T1 alone).
        qubit_coherence: qubit index -> (T1, T2) in seconds.
        coupler_static_zz: (qubit, qubit) -> ZZ strength in Hz, overriding ``static_zz``.
        channel_parts: component -> part (``"phase_flip"``, ``"bit_flip"``) -> Pauli
            probabilities (3, stim's PAULI_CHANNEL_1 order, for one-qubit components; 15 for
            ``two_qubit_gate``, first letter on the first target). Such a component's channel
            is its parts, each written as its own channel tagged ``component.part``
            (measurement and reset: the flip of the basis, X_ERROR(p_x + p_y) before M / after
            R, Z_ERROR(p_z + p_y) before MX / after RX); its rate must be 0. Set by
            :meth:`cat_qubit` and :meth:`with_bias_preserving_cx`.
        cat: The cat-qubit parameters this model was made from (:meth:`cat_qubit`), or None.
        scales: Factors on the probabilities of channels computed from physical parameters
            (``"idle"`` from T1/T2, ``"crosstalk.static_zz"``), set by :meth:`scaled`.
        name: The preset this model came from (``"custom"`` otherwise).
        p: The preset's parameter, if any.

    Raises:
        QecsimError: A rate outside its channel's range, an unknown component, a bad
            override key, T2 > 2 T1, or T1/T2 or static ZZ without durations.

    Warns:
        UserWarning: Times that look like a unit mistake (T1 or T2 outside [100 ns, 1000 s],
            a finite T1 above 1e8 two-qubit-gate durations, a tick whose idle error exceeds
            5%, a duration longer than any hardware's), naming the likely mistake.

    Examples:
        >>> noise = NoiseModel.si1000(1e-3)
        >>> noise.measurement, noise.single_qubit_gate, noise.gate_set
        (0.005, 0.0001, 'cz')
        >>> noise.scaled(two_qubit_gate=0.5).two_qubit_gate
        0.0005
    """

    single_qubit_gate: float = 0.0
    two_qubit_gate: float = 0.0
    idle: float = 0.0
    measurement_idle: float = 0.0
    reset: float = 0.0
    measurement: float = 0.0
    data_depolarization: float = 0.0
    crosstalk: float = 0.0
    parallel_crosstalk: float = 0.0
    static_zz: float = 0.0
    z_bias: Mapping[str, float] = field(default_factory=dict)
    qubit_rates: Mapping[int, Mapping[str, float]] = field(default_factory=dict)
    coupler_rates: Mapping[tuple[int, int], Mapping[str, float]] = field(default_factory=dict)
    qubit_z_bias: Mapping[int, Mapping[str, float]] = field(default_factory=dict)
    gate_set: str = "cx"
    durations: Durations | None = None
    t1: float = math.inf
    t2: float = math.inf
    qubit_coherence: Mapping[int, tuple[float, float]] = field(default_factory=dict)
    coupler_static_zz: Mapping[tuple[int, int], float] = field(default_factory=dict)
    channel_parts: Mapping[str, Mapping[str, tuple[float, ...]]] = field(default_factory=dict)
    cat: CatQubit | None = None
    scales: Mapping[str, float] = field(default_factory=dict)
    name: str = "custom"
    p: float | None = None

    def __post_init__(self) -> None:
        for name, value in checked_fields(self).items():
            object.__setattr__(self, name, value)

    # ----------------------------------------------------------------- presets
    @classmethod
    def _preset(cls, name: str, p: float) -> NoiseModel:
        definition = PRESET_DEFINITIONS[name]
        p = _preset_parameter(name, p, definition.multipliers)
        # exact rational arithmetic, so that si1000(1e-3).single_qubit_gate == 1e-3 / 10
        rates = {c: float(Fraction(p) * m) for c, m in definition.multipliers.items()}
        return cls(**rates, gate_set=definition.gate_set, name=name, p=p)

    @classmethod
    def uniform_depolarizing(cls, p: float) -> NoiseModel:
        """The four-parameter noise of ``stim.Circuit.generated``, all equal to ``p``.

        ``after_clifford_depolarization``, ``after_reset_flip_probability``,
        ``before_measure_flip_probability`` and ``before_round_data_depolarization`` = p;
        no idle noise. Gate set ``"cx"``, so its circuits are stim's.

        Examples:
            >>> NoiseModel.uniform_depolarizing(0.001).data_depolarization
            0.001
        """
        return cls._preset("uniform_depolarizing", p)

    @classmethod
    def sd6(cls, p: float) -> NoiseModel:
        """Standard depolarizing noise SD6 (Gidney, Newman, Fowler, Broughton, arXiv:2108.10457).

        On CNOT circuits (gate set ``"cx"``): DEPOLARIZE2(p) after two-qubit gates,
        DEPOLARIZE1(p) after single-qubit gates, X_ERROR(p) after resets and before
        measurements, DEPOLARIZE1(p) on every qubit idle in a tick, measurement and reset
        ticks included; nothing extra for waiting on a measurement. See
        :mod:`qecsim.noise.presets` for the source and conventions.

        Examples:
            >>> NoiseModel.sd6(0.001).idle
            0.001
        """
        return cls._preset("sd6", p)

    @classmethod
    def si1000(cls, p: float) -> NoiseModel:
        """Superconducting-inspired SI1000 (Gidney, Newman, Fowler, Broughton, arXiv:2108.10457).

        On CZ circuits (gate set ``"cz"``): DEPOLARIZE2(p) after CZ, DEPOLARIZE1(p/10)
        after single-qubit gates, X_ERROR(2p) after resets, 5p measurement flips,
        DEPOLARIZE1(p/10) on every qubit idle in a tick, and DEPOLARIZE1(2p) more on every
        qubit not measured or reset in a measurement/reset tick (the resonator idle), so a
        data qubit waiting for the ancilla readout gets p/10 + 2p. Convention: the paper's
        (a state flip before a measurement that is followed by a reset; a result flip,
        ``M(5p)``, where the qubit is used again without a reset; no DEPOLARIZE1 after a
        measurement). See :mod:`qecsim.noise.presets`.

        Readout timing matters as much as the rates: :func:`~qecsim.memory_circuit`
        measures and resets each ancilla with ``MR`` in one tick, so the data wait through
        one measurement/reset tick per round (p/10 + 2p). Circuits that measure and reset in
        two ticks (surface-sim's, for one) make them wait twice; on those, SI1000 gives about
        1.4-1.7x the logical error per round, i.e. qecsim's ``MR`` circuits give 0.6-0.7x
        (rotated code, d = 3 and 5, p = 1e-3 to 3e-3; with ``MR`` split into ``M``, ``TICK``,
        ``R``, 1.0-1.1x: benchmarks/README.md, "SI1000 side by side with surface-sim").
        Compare published SI1000 numbers only between circuits with the same readout timing.

        Examples:
            >>> NoiseModel.si1000(0.001).measurement_idle
            0.002
        """
        return cls._preset("si1000", p)

    @classmethod
    def code_capacity(cls, p: float) -> NoiseModel:
        """Code-capacity noise: depolarizing data noise only, perfect measurement.

        Use with one round (``memory_circuit`` defaults to ``rounds=1`` for this preset).
        Gate set ``"cx"`` (without gate noise, the gate set changes nothing).

        Examples:
            >>> NoiseModel.code_capacity(0.1).components_in_use()
            ('data_depolarization',)
        """
        return cls._preset("code_capacity", p)

    @classmethod
    def phenomenological(cls, p: float) -> NoiseModel:
        """Phenomenological noise: depolarizing data noise each round and measurement flips.

        Gate set ``"cx"`` (without gate noise, the gate set changes nothing).

        Examples:
            >>> NoiseModel.phenomenological(0.03).components_in_use()
            ('measurement', 'data_depolarization')
        """
        return cls._preset("phenomenological", p)

    @classmethod
    def cat_qubit(
        cls,
        mean_photon_number: float,
        *,
        kappa_2: float,
        kappa_1: float | None = None,
        kappa_ratio: float | None = None,
        durations: Durations | None = None,
    ) -> NoiseModel:
        """Stabilized cat qubits with bias-preserving CX, from physical parameters.

        Every channel is split into a ``phase_flip`` and a ``bit_flip`` part
        (:attr:`channel_parts`), tagged e.g. ``two_qubit_gate.phase_flip``: phase flips grow
        like n kappa_1 t, bit flips fall like e^(-2n). Formulas, sources and their range of
        validity: :mod:`qecsim.noise.cat`. Gate set ``"cx"``; use it with
        ``memory_circuit("cat_repetition_code", ...)`` (X basis: logical phase flips; Z
        basis: logical bit flips).

        Args:
            mean_photon_number: n = |alpha|^2.
            kappa_2: Two-photon dissipation rate, 1/s.
            kappa_1: Single-photon loss rate, 1/s (or give ``kappa_ratio``).
            kappa_ratio: kappa_1 / kappa_2, instead of ``kappa_1``.
            durations: Operation durations in seconds (CX, X measurement, |+> preparation,
                single-qubit gate); None: each 1 / kappa_2.

        Raises:
            QecsimError: Both or neither of kappa_1 and kappa_ratio, or a value out of range.

        Examples:
            >>> noise = NoiseModel.cat_qubit(8, kappa_2=1e7, kappa_ratio=1e-3)
            >>> noise.keys_in_use()[:2]
            ('two_qubit_gate.phase_flip', 'two_qubit_gate.bit_flip')
            >>> round(noise.channel_parts["idle"]["phase_flip"][2], 6)  # n kappa_1 / kappa_2
            0.007936
        """
        if (kappa_1 is None) == (kappa_ratio is None):
            raise QecsimError(
                f"give kappa_1 or kappa_ratio (= kappa_1 / kappa_2), not both or neither "
                f"(kappa_1={kappa_1!r}, kappa_ratio={kappa_ratio!r})"
            )
        if kappa_1 is None:
            ratio = check_probability("kappa_ratio", kappa_ratio)
            kappa_1 = ratio * kappa_2
        cat = CatQubit(mean_photon_number, kappa_1=kappa_1, kappa_2=kappa_2, durations=durations)
        return cls.from_cat(cat)

    @classmethod
    def from_cat(cls, cat: CatQubit) -> NoiseModel:
        """The noise model of :meth:`cat_qubit` from a :class:`~qecsim.noise.cat.CatQubit`."""
        return cls(channel_parts=cat.channel_parts(), cat=cat, gate_set="cx",
                   durations=cat.durations, name="cat_qubit")

    @classmethod
    def from_preset(cls, name: str, p: float) -> NoiseModel:
        """The preset called ``name`` (one of :data:`PRESETS`) at parameter ``p``.

        Examples:
            >>> NoiseModel.from_preset("sd6", 0.001) == NoiseModel.sd6(0.001)
            True
        """
        if name not in PRESETS:
            raise QecsimError(f"unknown noise preset {name!r}; valid presets: {', '.join(PRESETS)}")
        return getattr(cls, name)(p)

    # ----------------------------------------------------------------- queries
    def rate(self, component: str, qubits: Iterable[int] = ()) -> float:
        """The rate of ``component`` on ``qubits``: its override there, else the global rate.

        Args:
            component: A canonical component key.
            qubits: One qubit for one-qubit components, a pair for two-qubit components, or
                nothing for the global rate.

        Examples:
            >>> noise = NoiseModel.sd6(0.001).with_qubit_rates({3: {"measurement": 0.02}})
            >>> noise.rate("measurement", (3,)), noise.rate("measurement", (4,))
            (0.02, 0.001)
        """
        check_component(component)
        qubits = tuple(qubits)
        if len(qubits) == 1:
            override = self.qubit_rates.get(qubits[0], {})
        elif len(qubits) == 2:
            override = self.coupler_rates.get(pair(*qubits), {})
        else:
            override = {}
        return override.get(component, getattr(self, component))

    def bias(self, component: str, qubit: int | None = None) -> float | None:
        """The Z bias eta of a one-qubit component on ``qubit`` (None means depolarizing).

        Examples:
            >>> NoiseModel.sd6(0.001).with_z_bias(10.0).bias("idle")
            10.0
        """
        if qubit is not None and component in self.qubit_z_bias.get(qubit, {}):
            return self.qubit_z_bias[qubit][component]
        return self.z_bias.get(component)

    def parts(self, component: str) -> Mapping[str, tuple[float, ...]]:
        """The :attr:`channel_parts` of ``component`` (empty when it has a plain rate).

        Examples:
            >>> noise = NoiseModel(two_qubit_gate=1e-3).with_bias_preserving_cx(100.0)
            >>> sorted(noise.parts("two_qubit_gate"))
            ['bit_flip', 'phase_flip']
        """
        return self.channel_parts.get(component, {})

    def rates(self) -> dict[str, float]:
        """The global rate of every component, in canonical order.

        Examples:
            >>> NoiseModel.phenomenological(0.01).rates()["measurement"]
            0.01
        """
        return {component: getattr(self, component) for component in COMPONENTS}

    def coherence(self, qubit: int) -> tuple[float, float]:
        """(T1, T2) of ``qubit`` in seconds: its own, else the device's (``inf``: no decay).

        Examples:
            >>> durations = Durations(single_qubit_gate=25e-9, two_qubit_gate=40e-9,
            ...                       measurement=500e-9, reset=200e-9)
            >>> noise = NoiseModel(durations=durations, t1=80e-6, t2=60e-6)
            >>> noise.with_coherence(t1=50e-6, t2=30e-6, qubit=2).coherence(2)
            (5e-05, 3e-05)
        """
        return self.qubit_coherence.get(qubit, (self.t1, self.t2))

    @property
    def has_coherence(self) -> bool:
        """Whether some qubit has a finite T1 or T2 (idle errors from the Pauli twirl)."""
        return (
            math.isfinite(self.t1) or math.isfinite(self.t2) or bool(self.qubit_coherence)
        )

    def static_zz_on(self, a: int, b: int) -> float:
        """The static ZZ strength (Hz) of the coupler (a, b): its override, else global."""
        return self.coupler_static_zz.get(pair(a, b), self.static_zz)

    @property
    def is_layout_bound(self) -> bool:
        """Whether the model has per-qubit or per-coupler values (rates, biases, T1/T2, ZZ).

        Those are keyed by circuit qubit index, so the model fits the one circuit (layout)
        it was made for; at another distance or code they land on other qubits.

        Examples:
            >>> NoiseModel.sd6(1e-3).is_layout_bound
            False
            >>> NoiseModel.sd6(1e-3).with_z_bias(5.0, qubit=2).is_layout_bound
            True
        """
        return bool(
            self.qubit_rates
            or self.coupler_rates
            or self.qubit_z_bias
            or self.qubit_coherence
            or self.coupler_static_zz
        )

    def crosstalk_kinds_in_use(self) -> tuple[str, ...]:
        """The kinds of crosstalk (:data:`~qecsim.noise.components.CROSSTALK_KINDS`) in use.

        Examples:
            >>> NoiseModel(crosstalk=1e-4, parallel_crosstalk=2e-4).crosstalk_kinds_in_use()
            ('spectator', 'parallel')
        """
        spectator = self.crosstalk > 0 or any(
            r.get("crosstalk", 0) > 0 for r in self.coupler_rates.values()
        )
        static = self.scales.get("crosstalk.static_zz", 1) > 0 and (
            self.static_zz > 0 or any(v > 0 for v in self.coupler_static_zz.values())
        )
        parallel = self.parallel_crosstalk > 0
        used = {"spectator": spectator, "parallel": parallel, "static_zz": static}
        return tuple(kind for kind in CROSSTALK_KINDS if used[kind])

    def components_in_use(self) -> tuple[str, ...]:
        """The components with a nonzero rate, globally or in some override.

        ``idle`` counts when T1/T2 give idle errors; ``crosstalk`` when any kind is in use.

        Examples:
            >>> NoiseModel.uniform_depolarizing(0.001).components_in_use()
            ('two_qubit_gate', 'single_qubit_gate', 'reset', 'measurement', 'data_depolarization')
        """
        used = {c for c in COMPONENTS if getattr(self, c) > 0}
        for overrides in (*self.qubit_rates.values(), *self.coupler_rates.values()):
            used.update(c for c, r in overrides.items() if r > 0)
        if self.has_coherence and self.scales.get("idle", 1) > 0:
            used.add("idle")
        if self.crosstalk_kinds_in_use():
            used.add("crosstalk")
        for component, parts in self.channel_parts.items():
            if any(sum(v) > 0 for v in parts.values()):
                used.add(component)
        return tuple(c for c in COMPONENTS if c in used)

    def keys_in_use(self) -> tuple[str, ...]:
        """What a budget reports as rows: components, crosstalk split by kind, parts split.

        A component with :attr:`channel_parts` gives one key per nonzero part
        (``two_qubit_gate.phase_flip``).

        The keys are those of the tags (:attr:`~qecsim.noise.components.ComponentTag.key`)
        and of :meth:`scaled`.

        Examples:
            >>> NoiseModel(two_qubit_gate=1e-3, parallel_crosstalk=1e-4).keys_in_use()
            ('two_qubit_gate', 'crosstalk.parallel')
        """
        keys = []
        for component in self.components_in_use():
            if component == "crosstalk":
                continue
            parts = self.parts(component)
            if parts:
                keys += [f"{component}.{part}" for part in PAULI_PARTS
                         if sum(parts.get(part, ())) > 0]
            else:
                keys.append(component)
        keys += [f"crosstalk.{kind}" for kind in self.crosstalk_kinds_in_use()]
        return tuple(keys)

    # ----------------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (string keys; couplers as ``"a-b"``) that :meth:`from_dict` reads.

        See :mod:`qecsim.noise.serialization` for the keys.

        Examples:
            >>> NoiseModel.code_capacity(0.1).to_dict()["rates"]["data_depolarization"]
            0.1
        """
        return serialization.to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NoiseModel:
        """Rebuild a model from :meth:`to_dict` output, or from a flat dict of rates.

        Component rates may sit under ``"rates"`` (what :meth:`to_dict` writes) or at the
        top level (``{"two_qubit_gate": 0.003, "measurement": 0.008}``), not both.

        Examples:
            >>> noise = NoiseModel.si1000(1e-3)
            >>> noise = noise.with_coupler_rates({(1, 2): {"two_qubit_gate": 0.01}})
            >>> NoiseModel.from_dict(noise.to_dict()) == noise
            True
            >>> NoiseModel.from_dict({"two_qubit_gate": 0.003, "measurement": 0.008}).measurement
            0.008
        """
        return cls(**serialization.model_kwargs(data))

    def to_json(self, **kwargs: Any) -> str:
        """The model as JSON text (keyword arguments go to :func:`json.dumps`).

        Examples:
            >>> NoiseModel.from_json(NoiseModel.sd6(0.002).to_json()) == NoiseModel.sd6(0.002)
            True
        """
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, text: str) -> NoiseModel:
        """Rebuild a model from :meth:`to_json` text."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise QecsimError(f"noise model JSON does not parse: {error}") from None
        return cls.from_dict(data)

    # ----------------------------------------------------------------- circuits
    def noisy_circuit(self, circuit: stim.Circuit, *, tag_qubits: bool = False) -> stim.Circuit:
        """Add this model's noise to a noiseless, ``TICK``-separated circuit.

        Every added instruction is tagged with its component (and kind, for crosstalk),
        plus ``@q`` / ``@q1-q2`` where a per-qubit or per-coupler value applied (or always,
        with ``tag_qubits``). Gate couplers are written in increasing order
        (``two_qubit_gate@1-5``); spectator crosstalk pairs spectator first
        (``crosstalk.spectator@spectator-gate_qubit``).
        ``I_ERROR[data_depolarization]`` placeholders (put by the code builders on data qubits
        at the start of each round) become the data-depolarization channel. Noise
        instructions already in the circuit are kept as they are.

        Measurements: a measurement followed by a reset of its qubit (``MR``, or ``M`` then
        ``R``), or by nothing, gets a flip of the qubit just before it (``X_ERROR`` before
        ``M``, ``Z_ERROR`` before ``MX``), as in stim's generated circuits. A measurement
        whose qubit is used again without a reset (a mid-circuit measurement in a user's
        circuit) gets a flip of the result instead, ``M(p)``: the readout is wrong but the
        qubit is not flipped. Inside a ``REPEAT`` block a measurement gets the result flip
        if its qubit is used without a reset in any iteration.

        Args:
            circuit: The noiseless circuit. ``REPEAT`` blocks must start and end at moment
                boundaries.
            tag_qubits: Tag every channel with its qubits (for per-qubit attribution).

        Returns:
            The noisy circuit.

        Raises:
            QecsimError: The circuit has a gate this model has no rule for.

        Examples:
            >>> import stim
            >>> circuit = stim.Circuit("R 0 1\\nTICK\\nCX 0 1\\nTICK\\nM 0")
            >>> print(NoiseModel.si1000(0.001).noisy_circuit(circuit))
            R 0 1
            X_ERROR[reset](0.002) 0 1
            TICK
            CX 0 1
            DEPOLARIZE2[two_qubit_gate](0.001) 0 1
            TICK
            X_ERROR[measurement](0.005) 0
            M 0
            DEPOLARIZE1[idle](0.0001) 1
            DEPOLARIZE1[measurement_idle](0.002) 1
        """
        return NoiseApplier(self, circuit, tag_qubits=tag_qubits).apply()
