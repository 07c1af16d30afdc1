"""The batch store: a rerun continues from it and gives the uninterrupted result exactly."""

import json

import pytest

import qecsim
from qecsim.budget import sampling
from qecsim.budget.store import BatchStore

COMMON = dict(distances=(3, 5), max_errors=60, num_workers=1, progress=False)


def refuse(*args, **kwargs):
    raise AssertionError("a batch was sampled although the store has it")


def test_a_rerun_takes_every_batch_from_the_store(tmp_path, monkeypatch):
    noise = qecsim.NoiseModel.si1000(2e-3)
    plain = qecsim.error_budget(noise, seed=4, **COMMON)
    stored = qecsim.error_budget(noise, seed=4, store=tmp_path / "b.jsonl", **COMMON)
    assert stored.to_json() == plain.to_json()  # the store changes nothing
    monkeypatch.setattr(sampling, "run_batch", refuse)
    again = qecsim.error_budget(noise, seed=4, store=tmp_path / "b.jsonl", **COMMON)
    assert again.to_json() == plain.to_json() and again.components == plain.components
    assert again.cpu_seconds == pytest.approx(stored.cpu_seconds)  # stored CPU time counts


def test_a_partial_store_is_continued_to_the_same_result(tmp_path):
    noise = qecsim.NoiseModel.si1000(2e-3)
    path = tmp_path / "b.jsonl"
    full = qecsim.error_budget(noise, seed=5, by="qubit", store=path, **COMMON)
    lines = path.read_text().splitlines()
    assert len(lines) >= 5
    # keep the header and every other batch, and cut the last kept line short (a kill)
    kept = [lines[0], *lines[1::2]]
    path.write_text("\n".join(kept)[:-40])
    resumed = qecsim.error_budget(noise, seed=5, by="qubit", store=path, **COMMON)
    assert resumed.to_json() == full.to_json()
    records = []
    for line in path.read_text().splitlines()[1:]:
        try:
            records.append(json.loads(line))
        except ValueError:  # the line that was cut short stays, ignored
            pass
    keys = [(r["config"], r["shots"], r["seed"]) for r in records]
    assert len(keys) == len(set(keys)) == len(lines) - 1  # each batch once, none lost


def test_an_unseeded_rerun_continues_with_the_stores_seed(tmp_path, monkeypatch):
    noise = qecsim.NoiseModel.si1000(2e-3)
    first = qecsim.error_budget(noise, store=tmp_path / "b.jsonl", **COMMON)
    monkeypatch.setattr(sampling, "run_batch", refuse)
    second = qecsim.error_budget(noise, store=tmp_path / "b.jsonl", **COMMON)
    assert second.to_json() == first.to_json()


def test_a_file_that_is_not_a_store_is_refused_before_sampling(tmp_path, monkeypatch):
    path = tmp_path / "results.csv"
    path.write_text("shots,errors\n10,1\n")
    monkeypatch.setattr(sampling, "run_batch", refuse)
    with pytest.raises(qecsim.QecsimError, match="is not a budget batch store"):
        qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), store=path, **COMMON)
    assert len(BatchStore(tmp_path / "new.jsonl")) == 0


def test_a_directory_or_an_unreadable_store_is_refused_before_sampling(tmp_path, monkeypatch):
    import qecsim.budget.api

    def refuse(*args, **kwargs):
        raise AssertionError("sampling started")

    monkeypatch.setattr(qecsim.budget.api, "sample_all", refuse)
    noise = qecsim.NoiseModel.si1000(2e-3)
    with pytest.raises(qecsim.QecsimError, match=r"store='.*' is a directory; expected a file"):
        qecsim.error_budget(noise, distances=[3], store=tmp_path, progress=False)
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(qecsim.QecsimError, match="is not a budget batch store"):
        qecsim.error_budget(noise, distances=[3], store=binary, progress=False)
    inside_a_file = binary / "batches.jsonl"
    with pytest.raises(qecsim.QecsimError, match="cannot be read or made"):
        qecsim.error_budget(noise, distances=[3], store=inside_a_file, progress=False)


def interrupt_on_call(monkeypatch, n: int):
    """Ctrl-C when the n-th batch starts (1-based): earlier batches run for real."""
    calls = []
    real = sampling.run_batch

    def run_batch(*args, **kwargs):
        calls.append(args)
        if len(calls) == n:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(sampling, "run_batch", run_batch)


def test_an_interruption_says_how_many_shots_of_the_most_are_kept(tmp_path, monkeypatch):
    # batches 1000 and 2000 shots finish, the third is interrupted; two sample sets of at
    # most 10^6 shots each
    noise = qecsim.NoiseModel.si1000(2e-3)
    options = dict(COMMON, max_errors=10**6, max_shots=10**6, seed=2)
    interrupt_on_call(monkeypatch, 3)
    with pytest.raises(sampling.Interrupted) as stopped:
        qecsim.error_budget(noise, store=tmp_path / "b.jsonl", **options)
    assert str(stopped.value) == (
        f"interrupted: 3,000 shots of at most 2,000,000 kept in {tmp_path / 'b.jsonl'} "
        "(2 finished batches); rerun the same command to continue")
    interrupt_on_call(monkeypatch, 2)
    with pytest.raises(sampling.Interrupted) as stopped:
        qecsim.error_budget(noise, **options)
    assert str(stopped.value) == (
        "interrupted: 1,000 shots of at most 2,000,000 sampled, none kept (no batch store); "
        "rerun the same command to start over")


def test_an_interruption_before_sampling_says_nothing_new_is_stored(tmp_path, monkeypatch):
    from qecsim.budget import api

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "_model_plan", interrupted)  # building circuits and DEMs
    with pytest.raises(KeyboardInterrupt) as stopped:  # a plain one would stop pytest
        qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), store=tmp_path / "b.jsonl",
                            **COMMON)
    assert isinstance(stopped.value, sampling.Interrupted)
    assert str(stopped.value) == (
        "interrupted before sampling: nothing new is stored; rerun the same command to start")


def test_a_resumed_budget_logs_what_it_takes_from_the_store(tmp_path, caplog):
    noise = qecsim.NoiseModel.si1000(2e-3)
    path = tmp_path / "b.jsonl"
    with caplog.at_level("INFO", logger="qecsim"):
        qecsim.error_budget(noise, seed=6, store=path, **COMMON)
        assert not caplog.records  # a fresh store: nothing to say
        records = [json.loads(line) for line in path.read_text().splitlines()[1:]]
        qecsim.error_budget(noise, seed=6, store=path, **COMMON)
        (record,) = caplog.records
        shots = sum(r["shots"] for r in records)
        assert record.getMessage() == (
            f"resuming from {path}: {len(records)} batches ({shots:,} shots of at most "
            "20,000,000) already done")
        caplog.clear()
        qecsim.error_budget(noise, seed=7, store=path, **COMMON)  # another seed's batches
        assert not caplog.records
