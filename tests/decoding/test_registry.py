"""Tests for the decoder registry (issue 4): names, install hints, tag handling, pickling."""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest
import sinter
import stim

import qecsim
from qecsim import decoders


def test_available_lists_builtins_and_only_known_or_registered_names():
    names = decoders.available()
    assert names[:2] == ("pymatching", "pymatching-correlated")
    assert set(names) <= set(decoders.KNOWN_DECODERS)
    assert len(set(names)) == len(names)


def test_every_known_name_is_available_or_raises_install_hint():
    for name in decoders.KNOWN_DECODERS:
        if decoders.is_available(name):
            decoder = decoders.get(name)
            assert hasattr(decoder, "compile_decoder_for_dem")
        else:
            with pytest.raises(qecsim.MissingDependencyError, match="pip install"):
                decoders.get(name)


def test_unknown_name_lists_valid_names():
    with pytest.raises(qecsim.QecsimError, match="decoder='pymatchng' is not in") as info:
        decoders.get("pymatchng")
    for name in decoders.KNOWN_DECODERS:
        assert repr(name) in str(info.value)
    with pytest.raises(qecsim.QecsimError, match="empty"):
        decoders.check_names([])


def test_check_names_splits_comma_separated_string_and_keeps_order():
    assert decoders.check_names(" pymatching-correlated ,pymatching") == (
        "pymatching-correlated",
        "pymatching",
    )


@pytest.mark.parametrize(
    ("name", "module", "package"),
    [
        ("bposd", "stimbposd", "stimbposd"),
        ("tesseract", "tesseract_decoder", "tesseract-decoder"),
        ("belief-matching", "beliefmatching", "beliefmatching"),
        ("fusion_blossom", "fusion_blossom", "fusion-blossom"),
    ],
)
def test_missing_optional_decoder_gives_pip_command(monkeypatch, name, module, package):
    # sys.modules[x] = None makes `import x` raise ImportError, as if x were not installed.
    monkeypatch.setitem(sys.modules, module, None)
    decoders._missing_reason.cache_clear()
    try:
        assert not decoders.is_available(name)
        assert name not in decoders.available()
        with pytest.raises(qecsim.MissingDependencyError) as info:
            decoders.get(name)
        message = str(info.value)
        assert f"pip install {package!r}" in message
        assert "pip install -e '.[decoders]'" in message and "qecsim-hw[decoders]" in message
        with pytest.raises(qecsim.MissingDependencyError):
            decoders.check_names(["pymatching", name])
        with pytest.raises(qecsim.MissingDependencyError):
            qecsim.benchmark_decoders(
                stim.Circuit(), decoders=["pymatching", name], num_shots=10
            )
    finally:
        monkeypatch.undo()
        decoders._missing_reason.cache_clear()
    assert decoders.is_available(name) == (name in decoders.available())


def test_too_old_pymatching_gives_upgrade_hint(monkeypatch):
    import pymatching

    monkeypatch.setattr(pymatching, "__version__", "2.2.0")
    decoders._missing_reason.cache_clear()
    try:
        with pytest.raises(qecsim.MissingDependencyError, match="--upgrade"):
            decoders.get("pymatching-correlated")
        assert decoders.is_available("pymatching")
    finally:
        monkeypatch.undo()
        decoders._missing_reason.cache_clear()




class _RejectsTags(sinter.Decoder):
    """A decoder like those that bundle an old stim parser: it fails on any tag."""

    def compile_decoder_for_dem(self, *, dem):
        if "[" in str(dem):
            raise ValueError("tagged DEM")
        return sinter.BUILT_IN_DECODERS["pymatching"].compile_decoder_for_dem(dem=dem)



def _failures(compiled, shots):
    dets, obs = shots
    predictions = compiled.decode_shots_bit_packed(bit_packed_detection_event_data=dets)
    assert predictions.shape == obs.shape and predictions.dtype == np.uint8
    return int(np.count_nonzero(np.any(predictions != obs, axis=1)))




def test_every_available_decoder_decodes_tagged_dem_after_pickling(tagged_dem, shots):
    # sinter sends decoders to worker processes by pickling (spawn start method included).
    _, obs = shots
    trivial = int(np.count_nonzero(np.any(obs, axis=1)))  # failures of "predict no flip"
    pymatching = decoders.get("pymatching")
    reference = _failures(decoders.compile_for_dem(pymatching, dem=tagged_dem), shots)
    assert reference < trivial / 2
    for name, decoder in decoders.sinter_decoders().items():
        clone = pickle.loads(pickle.dumps(decoder))
        failures = _failures(decoders.compile_for_dem(clone, dem=tagged_dem), shots)
        # A sanity bound, not a ranking (test_decoder_benchmark ranks): far from trivial.
        assert failures < (reference + trivial) / 2, (name, failures, reference, trivial)


def test_register_and_unregister_custom_decoder(tagged_dem, shots):
    decoders.register("test-rejects-tags", _RejectsTags())
    try:
        assert "test-rejects-tags" in decoders.available()
        assert decoders.check_names(["test-rejects-tags"]) == ("test-rejects-tags",)
        decoder = decoders.sinter_decoders(["test-rejects-tags"])["test-rejects-tags"]
        assert isinstance(decoder, decoders.UntaggedDemDecoder)
        _failures(decoders.compile_for_dem(decoder, dem=tagged_dem), shots)
        result = qecsim.benchmark_decoders(
            qecsim.memory_circuit(distance=3, noise=qecsim.NoiseModel.si1000(2e-3)),
            decoders=["pymatching", "test-rejects-tags"], num_shots=500, seed=2,
        )
        assert result.disagreements("pymatching", "test-rejects-tags") == {"d=3, r=3": 0}
    finally:
        decoders.unregister("test-rejects-tags")
    assert "test-rejects-tags" not in decoders.available()
    decoders.register("test-accepts-tags", sinter.BUILT_IN_DECODERS["pymatching"],
                      accepts_tags=True)
    try:
        assert decoders.get("test-accepts-tags") is sinter.BUILT_IN_DECODERS["pymatching"]
    finally:
        decoders.unregister("test-accepts-tags")


@pytest.mark.parametrize("bad_name", ["", "a,b", " padded"])
def test_register_rejects_bad_names(bad_name):
    with pytest.raises(qecsim.QecsimError, match="name="):
        decoders.register(bad_name, sinter.BUILT_IN_DECODERS["pymatching"])


def test_register_rejects_non_decoders():
    with pytest.raises(qecsim.QecsimError, match=r"not a sinter\.Decoder"):
        decoders.register("not-a-decoder", object())
    with pytest.raises(qecsim.QecsimError, match="registered decoders"):
        decoders.unregister("never-registered")


def test_sinter_collect_with_registry_decoders_on_tagged_circuit(tagged_circuit):
    # The path the sweep helper uses: sinter.collect(custom_decoders=...) with worker processes.
    names = ["pymatching", "pymatching-correlated"]
    tasks = [sinter.Task(circuit=tagged_circuit, decoder=name, json_metadata={"decoder": name})
             for name in names]
    stats = sinter.collect(
        num_workers=1, tasks=tasks, max_shots=2000, max_errors=10**6,
        custom_decoders=decoders.sinter_decoders(names), start_batch_size=500,
        max_batch_size=1000,
    )
    assert sorted(stat.decoder for stat in stats) == sorted(names)
    for stat in stats:
        assert stat.shots == 2000
        assert stat.errors < 0.1 * stat.shots


# ------------------------------------------------------------------ names and aliases (issue 11)

# (spelling a user may type, canonical name): case, '-'/'_', the packages' own names.
SPELLINGS = [
    ("PyMatching", "pymatching"),
    ("pymatching_correlated", "pymatching-correlated"),
    ("Pymatching-Correlated", "pymatching-correlated"),
    ("fusion-blossom", "fusion_blossom"),
    ("FUSION_BLOSSOM", "fusion_blossom"),
    ("hypergraph-union-find", "hypergraph_union_find"),
    ("mw-parity-factor", "mw_parity_factor"),
    ("mwpf", "mw_parity_factor"),
    ("stimbposd", "bposd"),
    ("BP-OSD", "bposd"),
    ("bp_lsd", "bplsd"),
    ("tesseract-decoder", "tesseract"),
    ("tesseract_decoder", "tesseract"),
    ("Tesseract", "tesseract"),
    ("beliefmatching", "belief-matching"),
    ("belief_matching", "belief-matching"),
    ("BeliefMatching", "belief-matching"),
]


@pytest.mark.parametrize(("spelling", "canonical"), SPELLINGS)
def test_common_spellings_resolve_to_one_canonical_name(spelling, canonical):
    assert canonical in decoders.KNOWN_DECODERS
    assert decoders.canonical_name(spelling) == canonical
    assert decoders.canonical_name(canonical) == canonical
    assert decoders.is_available(spelling) == decoders.is_available(canonical)
    if decoders.is_available(canonical):
        assert decoders.check_names([spelling]) == (canonical,)
        assert list(decoders.sinter_decoders([spelling])) == [canonical]
        assert type(decoders.get(spelling).decoder) is type(decoders.get(canonical).decoder)


def test_the_package_name_beliefmatching_is_accepted_where_it_was_rejected():
    # The example: today's code says decoder='beliefmatching' is not in [...].
    pytest.importorskip("beliefmatching")
    assert decoders.check_names("pymatching, beliefmatching,PyMatching") == (
        "pymatching",
        "belief-matching",
        "pymatching",
    )
    assert isinstance(decoders.get("beliefmatching").decoder, decoders.BeliefMatchingDecoder)


def test_every_canonical_name_is_its_own_canonical_name_and_aliases_point_to_known_names():
    for name in decoders.KNOWN_DECODERS:
        assert decoders.canonical_name(name) == name
    for alias, name in decoders.ALIASES.items():
        assert name in decoders.KNOWN_DECODERS and decoders.canonical_name(alias) == name


def test_unknown_name_error_lists_canonical_names_and_aliases():
    with pytest.raises(qecsim.QecsimError, match="decoder='belief-propagation' is not in") as info:
        decoders.check_names(["pymatching", "belief-propagation"])
    message = str(info.value)
    for name in decoders.KNOWN_DECODERS:
        assert repr(name) in message
    assert "'belief-matching' (or 'beliefmatching')" in message
    assert "'tesseract' (or 'tesseract-decoder')" in message
    assert "case, '-' and '_' do not matter" in message
    for bad in ["", "-", 3, None]:
        with pytest.raises(qecsim.QecsimError, match="decoder="):
            decoders.canonical_name(bad)


def test_describe_names_lists_each_decoder_once_with_its_aliases():
    text = decoders.describe_names()
    for name in decoders.KNOWN_DECODERS:
        assert text.count(f"{name} (or ") + text.count(f"{name}, ") + text.count(f"{name};") >= 1
    for alias in decoders.ALIASES:
        assert alias in text


def test_registered_names_are_exact_first_and_spelling_insensitive_after():
    decoders.register("My-Matching", sinter.BUILT_IN_DECODERS["pymatching"])
    try:
        assert decoders.check_names(["My-Matching", "my_matching", "MYMATCHING"]) == (
            "My-Matching",
        ) * 3
        assert "My-Matching" in decoders.describe_names()
    finally:
        decoders.unregister("My-Matching")
    # a registered name shadows a known one only when spelled exactly
    decoders.register("PyMatching", sinter.BUILT_IN_DECODERS["pymatching-correlated"])
    try:
        assert decoders.canonical_name("PyMatching") == "PyMatching"
        assert decoders.canonical_name("pymatching") == "pymatching"
    finally:
        decoders.unregister("PyMatching")


def test_every_caller_records_the_canonical_name(tmp_path):
    # sweep_tasks and collect (the store), benchmark_decoders (rows) and error_budget.
    tasks = qecsim.sweep_tasks(distances=3, p=1e-3, decoders=["PyMatching"])
    assert [task.decoder for task in tasks] == ["pymatching"]
    untagged_task = qecsim.sweep_tasks(distances=3, p=1e-3)[0]
    by_hand = sinter.Task(circuit=untagged_task.circuit, decoder="Pymatching_Correlated",
                          json_metadata=untagged_task.json_metadata)
    store = tmp_path / "store.csv"
    stats = qecsim.collect([untagged_task, by_hand], store=store, max_shots=200,
                           decoders="PYMATCHING", num_workers=1, progress=False)
    assert sorted(stat.decoder for stat in stats) == ["pymatching", "pymatching-correlated"]
    assert sorted(stat.decoder for stat in sinter.read_stats_from_csv_files(store)) == [
        "pymatching", "pymatching-correlated"
    ]
    result = qecsim.benchmark_decoders(
        untagged_task.circuit, decoders=["PyMatching", "pymatching"], num_shots=100, seed=1
    )
    assert result.decoders == ("pymatching", "pymatching #2")
    budget = qecsim.error_budget(qecsim.NoiseModel.si1000(2e-3), distances=[3],
                                 decoder="PyMatching", max_shots=1000, max_errors=20,
                                 seed=1, num_workers=1, progress=False)
    assert budget.decoder == "pymatching"


def test_a_ctrl_c_while_a_decoder_imports_is_not_a_missing_package(monkeypatch):
    """pybind11 modules turn a Ctrl-C during their initialisation into
    ImportError('initialization failed') caused by the KeyboardInterrupt."""
    from qecsim.decoding import registry

    def interrupted_import(name, *args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as error:
            raise ImportError("initialization failed") from error

    registry._missing_reason.cache_clear()
    monkeypatch.setattr(registry.importlib, "import_module", interrupted_import)
    try:
        with pytest.raises(KeyboardInterrupt):
            registry.check_names(["pymatching"])
    finally:
        monkeypatch.undo()
        registry._missing_reason.cache_clear()
    assert registry.check_names(["pymatching"]) == ("pymatching",)
