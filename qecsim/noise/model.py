"""Circuit-level noise models whose every channel is tagged with the component that caused it.

A :class:`NoiseModel` holds one error rate per canonical component (see
:mod:`qecsim.noise.components`), optional per-qubit and per-coupler overrides, optional Z-biased
Pauli channels, and turns a noiseless ``TICK``-separated circuit into a noisy one with
:meth:`NoiseModel.noisy_circuit`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import stim

from qecsim.errors import QecsimError
from qecsim.noise.apply import NoiseApplier
from qecsim.noise.coherence import pauli_twirl_idle
from qecsim.noise.components import (
    BIASABLE,
    COMPONENTS,
    ONE_QUBIT_COMPONENTS,
    RATE_LIMITS,
    TWO_QUBIT_COMPONENTS,
    check_component,
)
from qecsim.validation import check_probability, check_real

__all__ = ["PRESETS", "NoiseModel"]

#: Names of the preset noise models (named constructors of :class:`NoiseModel`).
PRESETS: tuple[str, ...] = (
    "uniform_depolarizing",
    "sd6",
    "si1000",
    "code_capacity",
    "phenomenological",
)


def _preset_parameter(preset: str, p: Any, multipliers: Mapping[str, float | Fraction]) -> float:
    """Check a preset's p against the tightest channel limit its multipliers imply."""
    limit = min(RATE_LIMITS[c] / float(m) for c, m in multipliers.items() if m > 0)
    return check_probability(f"{preset} p", p, limit)



def _freeze_rates(name: str, rates: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, float]:
    allowed = tuple(allowed)
    result = {}
    for component, rate in rates.items():
        check_component(component)
        if component not in allowed:
            raise QecsimError(
                f"{name} cannot override {component!r}; allowed here: {', '.join(allowed)}"
            )
        result[component] = check_probability(
            f"{name}[{component!r}]", rate, RATE_LIMITS[component]
        )
    return result


def _check_bias(name: str, eta: Any) -> float:
    return check_real(name, eta, low=0, high=math.inf, what="Z bias (p_z / (p_x + p_y))")


def _qubit_index(key: Any, coordinates: Mapping[tuple[float, ...], int] | None) -> int:
    if isinstance(key, bool):
        raise QecsimError(f"qubit {key!r} is not a qubit index or coordinate tuple")
    if isinstance(key, int):
        if key < 0:
            raise QecsimError(f"qubit={key} is not a qubit index >= 0")
        return key
    if isinstance(key, str) and key.isdigit():
        return int(key)
    if isinstance(key, tuple) and coordinates is not None:
        coords = tuple(float(c) for c in key)
        if coords not in coordinates:
            raise QecsimError(f"no qubit at coordinates {key!r}; known: {sorted(coordinates)}")
        return coordinates[coords]
    if isinstance(key, tuple):
        raise QecsimError(f"qubit {key!r} is a coordinate: pass circuit= to resolve coordinates")
    raise QecsimError(f"qubit {key!r} is not a qubit index or coordinate tuple")


def _coordinate_index(circuit: stim.Circuit | None) -> dict[tuple[float, ...], int] | None:
    if circuit is None:
        return None
    return {
        tuple(float(c) for c in coords): q
        for q, coords in circuit.get_final_qubit_coordinates().items()
    }


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class NoiseModel:
    """Component error rates of a circuit-level noise model.

    Each field is the probability of one component's channel (see the table in
    ``design.md``): depolarizing (DEPOLARIZE1/DEPOLARIZE2) for gates, idles and data
    depolarization, a flip (X_ERROR/Z_ERROR) for reset and measurement, a ZZ error for
    crosstalk. Per-qubit and per-coupler overrides replace the global rate on those qubits.

    Conventions of :meth:`noisy_circuit`: single-qubit gate noise after each single-qubit
    Clifford; two-qubit gate noise after each two-qubit gate; ``idle`` on qubits untouched in
    a moment with gates; ``measurement_idle`` on qubits untouched in a moment with a
    measurement or reset; ``reset`` flip after each reset; ``measurement`` flip before each
    measurement (an ``MR`` gets both); ``data_depolarization`` where the builder marked the
    start of a round; ``crosstalk`` ZZ on (spectator, gate qubit) pairs where the spectator
    is idle in a two-qubit-gate moment and couples to a gate qubit somewhere in the circuit.
    A crosstalk ZZ between a check qubit and a data qubit mid-schedule spreads like a hook
    error, so crosstalk can lower the circuit distance (e.g. to 3 for the d = 5 X memory).
    Asymmetric readout P(0|1) != P(1|0) has no stim channel; use their mean.

    Args:
        single_qubit_gate: DEPOLARIZE1 after each single-qubit gate, in [0, 3/4].
        two_qubit_gate: DEPOLARIZE2 after each two-qubit gate, in [0, 15/16].
        idle: DEPOLARIZE1 on qubits idle in a gate moment, in [0, 3/4].
        measurement_idle: DEPOLARIZE1 on qubits idle in a measurement/reset moment.
        reset: flip probability after a reset, in [0, 1].
        measurement: flip probability of a measurement result, in [0, 1].
        data_depolarization: DEPOLARIZE1 on data qubits at the start of each round.
        crosstalk: ZZ probability on each (spectator, gate qubit) pair, in [0, 1].
        z_bias: component -> eta = p_z / (p_x + p_y) for one-qubit channels (absent means
            depolarizing, eta = 1/2); such channels become PAULI_CHANNEL_1.
        qubit_rates: qubit index -> component -> rate, overriding one-qubit components.
        coupler_rates: (qubit, qubit) -> component -> rate, overriding two-qubit components.
        qubit_z_bias: qubit index -> component -> eta.
        name: The preset this model came from (``"custom"`` otherwise).
        p: The preset's parameter, if any.

    Examples:
        >>> noise = NoiseModel.si1000(1e-3)
        >>> noise.measurement, noise.single_qubit_gate
        (0.005, 0.0001)
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
    z_bias: Mapping[str, float] = field(default_factory=dict)
    qubit_rates: Mapping[int, Mapping[str, float]] = field(default_factory=dict)
    coupler_rates: Mapping[tuple[int, int], Mapping[str, float]] = field(default_factory=dict)
    qubit_z_bias: Mapping[int, Mapping[str, float]] = field(default_factory=dict)
    name: str = "custom"
    p: float | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for component in COMPONENTS:
            value = check_probability(component, getattr(self, component), RATE_LIMITS[component])
            set_(self, component, value)
        biases = {}
        for component, eta in dict(self.z_bias).items():
            check_component(component)
            if component not in BIASABLE:
                raise QecsimError(
                    f"z_bias cannot apply to {component!r}; allowed: {', '.join(BIASABLE)}"
                )
            biases[component] = _check_bias(f"z_bias[{component!r}]", eta)
        set_(self, "z_bias", biases)
        set_(
            self,
            "qubit_rates",
            {
                _qubit_index(q, None): _freeze_rates(f"qubit_rates[{q!r}]", r, ONE_QUBIT_COMPONENTS)
                for q, r in dict(self.qubit_rates).items()
            },
        )
        couplers = {}
        for key, rates in dict(self.coupler_rates).items():
            if isinstance(key, str):
                key = tuple(key.split("-"))
            if not (isinstance(key, tuple) and len(key) == 2):
                raise QecsimError(f"coupler {key!r} is not a pair of qubit indices")
            a, b = (_qubit_index(q, None) for q in key)
            if a == b:
                raise QecsimError(f"coupler {key!r} joins a qubit to itself")
            couplers[_pair(a, b)] = _freeze_rates(
                f"coupler_rates[{key!r}]", rates, TWO_QUBIT_COMPONENTS
            )
        set_(self, "coupler_rates", couplers)
        qubit_biases = {}
        for q, biases_q in dict(self.qubit_z_bias).items():
            checked = {}
            for component, eta in dict(biases_q).items():
                check_component(component)
                if component not in BIASABLE:
                    raise QecsimError(
                        f"qubit_z_bias cannot apply to {component!r}; allowed: "
                        f"{', '.join(BIASABLE)}"
                    )
                checked[component] = _check_bias(f"qubit_z_bias[{q!r}][{component!r}]", eta)
            qubit_biases[_qubit_index(q, None)] = checked
        set_(self, "qubit_z_bias", qubit_biases)
        if self.p is not None:
            set_(self, "p", check_probability("p", self.p))
        if not isinstance(self.name, str) or not self.name:
            raise QecsimError(f"name={self.name!r} is not a non-empty string")

    # ----------------------------------------------------------------- presets
    @classmethod
    def _preset(cls, name: str, p: float, **multipliers: float | Fraction) -> NoiseModel:
        p = _preset_parameter(name, p, multipliers)
        # exact rational arithmetic, so that si1000(1e-3).single_qubit_gate == 1e-3 / 10
        rates = {c: float(Fraction(p) * Fraction(m)) for c, m in multipliers.items()}
        return cls(**rates, name=name, p=p)

    @classmethod
    def uniform_depolarizing(cls, p: float) -> NoiseModel:
        """The four-parameter noise of ``stim.Circuit.generated``, all equal to ``p``.

        ``after_clifford_depolarization``, ``after_reset_flip_probability``,
        ``before_measure_flip_probability`` and ``before_round_data_depolarization`` = p;
        no idle noise.

        Examples:
            >>> NoiseModel.uniform_depolarizing(0.001).data_depolarization
            0.001
        """
        return cls._preset(
            "uniform_depolarizing",
            p,
            two_qubit_gate=1,
            single_qubit_gate=1,
            reset=1,
            measurement=1,
            data_depolarization=1,
        )

    @classmethod
    def sd6(cls, p: float) -> NoiseModel:
        """Standard depolarizing noise SD6 (Gidney, Newman, McEwen, arXiv:2108.10457).

        p on two- and single-qubit gates, resets, measurements and idle qubits in gate
        moments; no extra noise on qubits idle during measurement or reset.

        Examples:
            >>> NoiseModel.sd6(0.001).idle
            0.001
        """
        return cls._preset(
            "sd6", p, two_qubit_gate=1, single_qubit_gate=1, reset=1, measurement=1, idle=1
        )

    @classmethod
    def si1000(cls, p: float) -> NoiseModel:
        """Superconducting-inspired noise SI1000 (Gidney, Newman, McEwen, arXiv:2108.10457).

        p on two-qubit gates, p/10 on single-qubit gates and gate-moment idles, 2p reset
        flips, 5p measurement flips, 2p depolarization on qubits idle during measurement or
        reset. Convention: the original paper's (no extra DEPOLARIZE1(p) after measurements;
        measurement idle on every qubit not measured or reset in that moment).

        Examples:
            >>> NoiseModel.si1000(0.001).measurement_idle
            0.002
        """
        return cls._preset(
            "si1000",
            p,
            two_qubit_gate=1,
            single_qubit_gate=Fraction(1, 10),
            idle=Fraction(1, 10),
            reset=2,
            measurement=5,
            measurement_idle=2,
        )

    @classmethod
    def code_capacity(cls, p: float) -> NoiseModel:
        """Code-capacity noise: depolarizing data noise only, perfect measurement.

        Use with one round (``memory_circuit`` defaults to ``rounds=1`` for this preset).

        Examples:
            >>> NoiseModel.code_capacity(0.1).components_in_use()
            ('data_depolarization',)
        """
        return cls._preset("code_capacity", p, data_depolarization=1)

    @classmethod
    def phenomenological(cls, p: float) -> NoiseModel:
        """Phenomenological noise: depolarizing data noise each round and measurement flips.

        Examples:
            >>> NoiseModel.phenomenological(0.03).components_in_use()
            ('measurement', 'data_depolarization')
        """
        return cls._preset("phenomenological", p, data_depolarization=1, measurement=1)

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
            override = self.coupler_rates.get(_pair(*qubits), {})
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

    def rates(self) -> dict[str, float]:
        """The global rate of every component, in canonical order.

        Examples:
            >>> NoiseModel.phenomenological(0.01).rates()["measurement"]
            0.01
        """
        return {component: getattr(self, component) for component in COMPONENTS}

    @property
    def is_layout_bound(self) -> bool:
        """Whether the model has per-qubit or per-coupler values (rates or biases).

        Those are keyed by circuit qubit index, so the model fits the one circuit (layout)
        it was made for; at another distance or code they land on other qubits.

        Examples:
            >>> NoiseModel.sd6(1e-3).is_layout_bound
            False
            >>> NoiseModel.sd6(1e-3).with_z_bias(5.0, qubit=2).is_layout_bound
            True
        """
        return bool(self.qubit_rates or self.coupler_rates or self.qubit_z_bias)

    def components_in_use(self) -> tuple[str, ...]:
        """The components with a nonzero rate, globally or in some override.

        Examples:
            >>> NoiseModel.uniform_depolarizing(0.001).components_in_use()
            ('two_qubit_gate', 'single_qubit_gate', 'reset', 'measurement', 'data_depolarization')
        """
        used = {c for c in COMPONENTS if getattr(self, c) > 0}
        for overrides in (*self.qubit_rates.values(), *self.coupler_rates.values()):
            used.update(c for c, r in overrides.items() if r > 0)
        return tuple(c for c in COMPONENTS if c in used)

    # ----------------------------------------------------------------- copies
    def scaled(self, factor: float | None = None, /, **factors: float) -> NoiseModel:
        """A copy with rates multiplied: all by ``factor``, and/or per component by ``factors``.

        Scaling applies to global rates and to every per-qubit and per-coupler override of
        that component. The result keeps the preset name only when nothing changed.

        Args:
            factor: A factor for every component.
            **factors: component -> factor, e.g. ``two_qubit_gate=0.5``; 0 switches it off.

        Raises:
            QecsimError: An unknown component, a negative factor, or a scaled rate beyond
                its channel's limit.

        Examples:
            >>> noise = NoiseModel.si1000(1e-3)
            >>> noise.scaled(measurement=0).measurement
            0.0
            >>> round(noise.scaled(0.5).reset, 6)
            0.001
        """
        scale = dict.fromkeys(COMPONENTS, 1.0)
        for component, value in factors.items():
            check_component(component)
            scale[component] *= _check_factor(component, value)
        if factor is not None:
            uniform = _check_factor("factor", factor)
            scale = {c: s * uniform for c, s in scale.items()}
        if all(s == 1 for s in scale.values()):
            return self

        def scale_rates(rates: Mapping[str, float]) -> dict[str, float]:
            return {c: _scaled_rate(c, r, scale[c]) for c, r in rates.items()}

        changes: dict[str, Any] = {
            c: _scaled_rate(c, getattr(self, c), scale[c]) for c in COMPONENTS
        }
        return dataclasses.replace(
            self,
            **changes,
            qubit_rates={q: scale_rates(r) for q, r in self.qubit_rates.items()},
            coupler_rates={k: scale_rates(r) for k, r in self.coupler_rates.items()},
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
            >>> noise = NoiseModel.sd6(0.001).with_qubit_rates({3: {"measurement": 0.02}})
            >>> noise.qubit_rates
            {3: {'measurement': 0.02}}
        """
        coordinates = _coordinate_index(circuit)
        merged = {q: dict(r) for q, r in self.qubit_rates.items()}
        for key, overrides in rates.items():
            merged.setdefault(_qubit_index(key, coordinates), {}).update(overrides)
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
            >>> noise = NoiseModel.sd6(0.001).with_coupler_rates({(7, 3): {"two_qubit_gate": 0.01}})
            >>> noise.rate("two_qubit_gate", (3, 7))
            0.01
        """
        coordinates = _coordinate_index(circuit)
        merged = {k: dict(r) for k, r in self.coupler_rates.items()}
        for key, overrides in rates.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise QecsimError(f"coupler {key!r} is not a pair of qubits")
            pair = _pair(*(_qubit_index(q, coordinates) for q in key))
            merged.setdefault(pair, {}).update(overrides)
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

    def with_coherence(
        self,
        *,
        t1: float,
        t2: float,
        gate_duration: float,
        measurement_duration: float,
        qubit: int | None = None,
    ) -> NoiseModel:
        """A copy whose idle noise comes from T1 and T2 (Pauli twirl, see :func:`pauli_twirl_idle`).

        ``idle`` becomes the total twirled error over ``gate_duration`` and
        ``measurement_idle`` over ``measurement_duration``, each with the matching Z bias.

        Args:
            t1: T1 (same time unit as the durations).
            t2: T2, at most 2 * T1.
            gate_duration: How long a gate moment lasts.
            measurement_duration: How long a measurement/reset moment lasts.
            qubit: Apply to this qubit only (an override); None for every qubit.

        Examples:
            >>> noise = NoiseModel.si1000(1e-3).with_coherence(
            ...     t1=100e-6, t2=100e-6, gate_duration=50e-9, measurement_duration=1e-6)
            >>> round(noise.measurement_idle, 5), round(noise.z_bias["measurement_idle"], 3)
            (0.00746, 0.5)
        """
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

    # ----------------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (string keys; couplers as ``"a-b"``) that :meth:`from_dict` reads.

        Examples:
            >>> NoiseModel.code_capacity(0.1).to_dict()["rates"]["data_depolarization"]
            0.1
        """
        return {
            "name": self.name,
            "p": self.p,
            "rates": self.rates(),
            "z_bias": dict(self.z_bias),
            "qubit_rates": {str(q): dict(r) for q, r in sorted(self.qubit_rates.items())},
            "coupler_rates": {
                f"{a}-{b}": dict(r) for (a, b), r in sorted(self.coupler_rates.items())
            },
            "qubit_z_bias": {str(q): dict(b) for q, b in sorted(self.qubit_z_bias.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NoiseModel:
        """Rebuild a model from :meth:`to_dict` output.

        Examples:
            >>> noise = NoiseModel.si1000(1e-3)
            >>> noise = noise.with_coupler_rates({(1, 2): {"two_qubit_gate": 0.01}})
            >>> NoiseModel.from_dict(noise.to_dict()) == noise
            True
        """
        if not isinstance(data, Mapping):
            raise QecsimError(f"a noise model dict is a mapping, not {type(data).__name__}")
        unknown = set(data) - {
            "name",
            "p",
            "rates",
            "z_bias",
            "qubit_rates",
            "coupler_rates",
            "qubit_z_bias",
        }
        if unknown:
            raise QecsimError(f"unknown noise model keys {sorted(unknown)}")
        rates = dict(data.get("rates", {}))
        for component in rates:
            check_component(component)
        return cls(
            **rates,
            z_bias=dict(data.get("z_bias", {})),
            qubit_rates={int(q): r for q, r in data.get("qubit_rates", {}).items()},
            coupler_rates=dict(data.get("coupler_rates", {})),
            qubit_z_bias={int(q): b for q, b in data.get("qubit_z_bias", {}).items()},
            name=data.get("name", "custom"),
            p=data.get("p"),
        )

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

        Every added instruction is tagged with its component, plus ``@q`` / ``@q1-q2`` where
        a per-qubit or per-coupler override applied (or always, with ``tag_qubits``). Gate
        couplers are written in increasing order (``two_qubit_gate@1-5``); crosstalk pairs
        spectator first (``crosstalk@spectator-gate_qubit``).
        ``I_ERROR[data_depolarization]`` placeholders (put by the code builders on data qubits
        at the start of each round) become the data-depolarization channel. Noise
        instructions already in the circuit are kept as they are.

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
            DEPOLARIZE1[measurement_idle](0.002) 1
        """
        return NoiseApplier(self, circuit, tag_qubits=tag_qubits).apply()


def _check_factor(name: str, value: Any) -> float:
    return check_real(name, value, low=0, high=math.inf, open_high=True, what="scale factor")


def _scaled_rate(component: str, rate: float, factor: float) -> float:
    value = rate * factor
    if value > RATE_LIMITS[component]:
        raise QecsimError(
            f"{component}={rate!r} scaled by {factor!r} is {value!r}, not in "
            f"[0, {RATE_LIMITS[component]:g}]"
        )
    return value

