"""Shared fixtures of the budget tests: one small budget reused by several modules."""

import pytest

import qecsim


@pytest.fixture(scope="session")
def small_budget():
    return qecsim.error_budget(
        qecsim.NoiseModel.si1000(2e-3), distances=(3, 5), max_errors=300, seed=11,
        num_workers=1, progress=False,
    )


def split_into_parts(circuit):
    """Retag every noise channel ``component[@q]`` as ``component.a`` or ``component.b``.

    Alternating by occurrence within each component, so that every component has both parts
    and a scaled copy of the same circuit gets the same parts.
    """
    import collections

    import stim

    counter = collections.Counter()

    def retag(block):
        out = stim.Circuit()
        for instruction in block:
            if isinstance(instruction, stim.CircuitRepeatBlock):
                out.append(stim.CircuitRepeatBlock(instruction.repeat_count,
                                                   retag(instruction.body_copy())))
                continue
            tag = instruction.tag
            if tag:
                key, at, qubits = tag.partition("@")
                tag = f"{key}.{'ab'[counter[key] % 2]}{at}{qubits}"
                counter[key] += 1
            out.append(stim.CircuitInstruction(instruction.name, instruction.targets_copy(),
                                               instruction.gate_args_copy(), tag=tag))
        return out

    return retag(circuit)


@pytest.fixture(scope="session")
def parts_budget():
    """SI1000 with every channel split into parts ``.a`` and ``.b``: 14 budget rows."""
    from qecsim.budget import worker
    from qecsim.budget.worker import SampleConfig

    worker._WORKER_CACHE.clear()  # a worker keeps prepared sample sets by configuration
    original = SampleConfig._memory_circuit
    patch = pytest.MonkeyPatch()
    patch.setattr(SampleConfig, "_memory_circuit",
                  lambda self, noise: split_into_parts(original(self, noise)))
    try:
        return qecsim.error_budget(
            qecsim.NoiseModel.si1000(2e-3), distances=(3, 5), max_errors=300, seed=11,
            num_workers=1, progress=False,
        )
    finally:
        patch.undo()
        worker._WORKER_CACHE.clear()
