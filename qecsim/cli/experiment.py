"""``qecsim experiment``: measured QEC data against its model: decode, compare, fit, report."""

from __future__ import annotations

import argparse
import sys

EXAMPLES = """\
examples:
  qecsim experiment path/to/google_sycamore_2022 --out measured/
  qecsim experiment path/to/surface_code_bX_d5_r25_center_5_5 --model data
  qecsim experiment folder_a folder_b --model noise.json --fit qubit --decoder pymatching

Each PATH is an experiment folder in Google Quantum AI's layout (circuit_ideal.stim,
detection_events.b8 or measurements.b8, ...), or a folder holding such folders; the subset of
Google's Sycamore data shipped with qecsim is at `python -c "import qecsim;
print(qecsim.experiment.google_data_path())"`.

Writes OUT/stats.csv (sinter's CSV: qecsim analyze / plot and sinter plot read it),
OUT/summary.json (logical error per round, Lambda, the fit), OUT/report_<name>.json and
OUT/<name>_{by_round,layout,pij}.png for the longest experiment of each distance, and prints
the tables. --model: a NoiseModel JSON file (applied to every circuit), a .stim noisy circuit
or .dem file (one experiment), or `data` (a DEM estimated from the other half of the shots);
default: each folder's circuit_noisy.stim. The fit scales the model's components (--fit
component) or each qubit's and coupler's rates (--fit qubit) to the detector statistics; model
circuits without component tags are tagged with qecsim.tag_noise first.
"""


def register(subparsers) -> None:
    """Add the ``experiment`` subcommand."""
    parser = subparsers.add_parser(
        "experiment",
        help="measured QEC data: logical error per round, Lambda, discrepancies, fitted model",
        description="Decode measured experiments, fit the logical error per round and "
        "Lambda, compare detector statistics with the model (per detector, qubit and pair), "
        "and fit the model's component rates to the data.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="experiment folder(s) in Google's layout (properties.yml, "
                        "circuit_ideal.stim, detection_events.b8, ...); required")
    parser.add_argument("--decoder", default="pymatching",
                        help="a decoder of `qecsim.decoders.available()` (default pymatching)")
    parser.add_argument("--model", default=None, metavar="FILE",
                        help="NoiseModel .json, noisy .stim, .dem, or 'data' (default: each "
                        "folder's circuit_noisy.stim)")
    parser.add_argument("--fit", default="component", choices=["component", "qubit", "none"],
                        help="fit the model's rates by component (default), qubit, or not")
    parser.add_argument("--out", default="experiment", metavar="DIR",
                        help="output folder (default experiment/)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="decoding processes (default: one per experiment, up to the cores)")
    parser.add_argument("--no-progress", action="store_true",
                        help="hide the progress bar (default: show it)")
    parser.set_defaults(func=run)


def _model(text: str | None):
    import pathlib

    import stim

    import qecsim

    if text is None or text == "data":
        return text
    path = pathlib.Path(text)
    if not path.is_file():
        raise qecsim.QecsimError(f"--model={text!r} is not a file (nor 'data')")
    if path.suffix == ".json":
        return qecsim.NoiseModel.from_json(path.read_text())
    if path.suffix == ".stim":
        return qecsim.experiment.files.read_circuit(path, "--model")
    if path.suffix == ".dem":
        try:
            return stim.DetectorErrorModel.from_file(str(path))
        except ValueError as error:
            raise qecsim.QecsimError(f"{path.name} is not a stim DEM: {error}") from None
    raise qecsim.QecsimError(f"--model={text!r}: expected a .json, .stim or .dem file, or 'data'")


def _print_rates(stats) -> None:
    import qecsim

    print("logical error (pymatching etc. on the measured shots):")
    print("   d  rounds    shots   errors   per shot                 per round")
    for rate in qecsim.analysis.logical_error_per_round(stats):
        shot = f"{rate.shot_error_rate:.4f} [{rate.shot_error_rate_low:.4f}, " \
               f"{rate.shot_error_rate_high:.4f}]"
        print(f"  {rate.distance:2d}  {rate.rounds:6d}  {rate.num_shots:7d}  "
              f"{rate.num_errors:7d}   {shot}   {rate.best:.4f}")


def _error_per_round(stats) -> list[dict]:
    """Google's fit of 1 - 2 P(r) = A (1 - 2 eps)^r per distance, with Lambda; the fit's
    notes (A > 1, a poor fit, too few rounds) are printed, not hidden."""
    import warnings

    import qecsim

    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always")
        try:
            fits = qecsim.analysis.fit_error_per_round(stats)
        except qecsim.QecsimError as error:
            print(f"error per round: not fitted ({error})")
            return []
    rows = []
    for fit in fits:
        print(f"  {fit}; fit p-value {fit.p_value:.2g}")
        rows.append({"metadata": fit.metadata, "decoder": fit.decoder,
                     "rounds": list(fit.rounds),
                     "error_per_round": fit.error_per_round.to_dict(),
                     "amplitude": fit.amplitude.to_dict(),
                     "p_value": fit.p_value,
                     "lambda": None if fit.lambda_ is None else fit.lambda_.to_dict(),
                     "lambda_distances": fit.lambda_distances})
    for note in notes:
        print(f"  note: {note.message}")
    return rows


def _longest_per_distance(experiments) -> list:
    longest = {}
    for experiment in experiments:
        metadata = experiment.metadata
        key = (metadata.get("code"), metadata.get("basis"), metadata.get("d"))
        if key not in longest or metadata.get("rounds", 0) > longest[key].metadata.get(
                "rounds", 0):
            longest[key] = experiment
    return list(longest.values())


def _report(experiment, model, decoder, out) -> dict:
    import matplotlib.pyplot as plt

    import qecsim

    report = qecsim.compare_to_model(
        experiment, None if isinstance(model, str) else model, decoder=decoder, seed=1)
    print(report.table(top=5))
    name = experiment.name or f"d{experiment.metadata.get('d')}"
    (out / f"report_{name}.json").write_text(report.to_json(indent=1))
    for kind, draw in (("by_round", report.plot_by_round), ("layout", report.plot_layout),
                       ("pij", report.plot_pij)):
        figure, ax = plt.subplots(figsize=(6, 5))
        draw(ax)
        ax.set_title(name, fontsize="small")
        figure.savefig(out / f"{name}_{kind}.png", dpi=120, bbox_inches="tight")
        plt.close(figure)
    return {"name": name, "mean_ratio": report.mean_ratio,
            "unmodelled_pairs": len(report.unmodelled)}


def _fit_model(model, members):
    """The model fit_noise scales for one distance's experiments: --model (a NoiseModel, or a
    .stim circuit tagged by qecsim.tag_noise), else the folders' own model circuits (tagged);
    None when there is none to scale (a DEM has no components)."""
    import stim

    import qecsim

    if isinstance(model, qecsim.NoiseModel):
        return model
    if isinstance(model, stim.Circuit):
        return qecsim.tag_noise(model)  # channels that carry tags keep them
    if isinstance(model, stim.DetectorErrorModel):
        print("fit not done: a .dem model has no components to scale; give a NoiseModel "
              "JSON or a .stim circuit as --model")
        return None
    if all(e.model is not None for e in members):  # --model data or none: the folders'
        return [qecsim.tag_noise(e.model) for e in members]
    return None


def _fit(experiments, model, by, out) -> dict | None:
    """fit_noise per distance; writes each fitted model (NoiseModel JSON or .stim circuits)."""

    import qecsim

    groups: dict = {}
    for experiment in experiments:
        groups.setdefault(experiment.metadata.get("d"), []).append(experiment)
    results = {}
    for distance, members in sorted(groups.items(), key=lambda item: str(item[0])):
        fit_model = _fit_model(model, members)
        if fit_model is None:
            continue
        try:
            fit = qecsim.fit_noise(members, fit_model, by=by)
        except qecsim.QecsimError as error:
            print(f"fit (d = {distance}) not done: {error}")
            continue
        print(f"d = {distance}: {fit.table(top=10)}")
        results[str(distance)] = {**fit.to_dict(), "model_files": _write_fitted(
            fit.model, out / f"fitted_d{distance}")}
    return results or None


def _write_fitted(model, stem) -> list[str]:
    """The fitted model as files ``qecsim budget`` takes: ``STEM.json`` (a NoiseModel, for
    --noise-file) or ``STEM.stim`` (the fitted tagged circuit of the longest experiment, for
    --circuit)."""
    import collections.abc

    import stim

    import qecsim

    if isinstance(model, qecsim.NoiseModel):
        path = stem.with_suffix(".json")
        path.write_text(model.to_json())
        return [str(path)]
    if isinstance(model, collections.abc.Mapping):
        circuits = list(model.values())
    else:
        circuits = [model] if isinstance(model, stim.Circuit) else list(model)
    paths = []
    for index, circuit in enumerate(circuits):
        path = stem.with_suffix(".stim") if len(circuits) == 1 else (
            stem.parent / f"{stem.name}_{index}.stim")
        path.write_text(str(circuit) + "\n")
        paths.append(str(path))
    return paths


def run(args) -> int:
    """Run ``qecsim experiment``; Ctrl-C at any moment prints one line and returns 130.

    Nothing is resumable: the decoded rates are written once every experiment is decoded
    (OUT/stats.csv), the reports and fits as each finishes; the line says what is written.
    """
    from qecsim.errors import reveal_ctrl_c

    state: dict = {"shots": None, "written": None}
    try:
        with reveal_ctrl_c():  # a Ctrl-C while an extension imports is an ImportError
            return _run(args, state)
    except KeyboardInterrupt:
        print(f"qecsim experiment: {_interrupted(state)}", file=sys.stderr)
        return 130


def _interrupted(state: dict) -> str:
    """The one line of a Ctrl-C: what is written, and that a rerun starts over."""
    if state["written"] is None:
        shots = "" if state["shots"] is None else f" (0 of {state['shots']:,} shots)"
        return (f"interrupted before any result was written{shots}: nothing kept (decoding "
                "results are written once every experiment is decoded); rerun the same "
                "command to start over")
    return (f"interrupted after decoding: {state['written']} keeps the logical errors of all "
            f"{state['shots']:,} shots (qecsim analyze reads it); the reports, fit and "
            "summary.json are not complete: rerun the same command to start over")


def _run(args, state: dict) -> int:
    import json
    import pathlib

    import matplotlib

    matplotlib.use("Agg")
    import sinter

    import qecsim

    model = _model(args.model)
    qecsim.decoders.check_names([args.decoder])
    experiments = qecsim.Experiment.load_all(*args.paths)
    state["shots"] = sum(e.num_shots for e in experiments)
    print(f"{len(experiments)} experiment(s), {state['shots']} shots")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stats = qecsim.decode_experiments(experiments, decoder=args.decoder, model=model,
                                      num_workers=args.workers,
                                      progress=not args.no_progress)
    lines = [sinter.CSV_HEADER, *(stat.to_csv_line() for stat in stats)]
    (out / "stats.csv").write_text("\n".join(lines) + "\n")
    state["written"] = out / "stats.csv"
    _print_rates(stats)
    print("error per round (fit of 1 - 2 P(r) = A (1 - 2 eps)^r):")
    summary = {"experiments": [e.name for e in experiments],
               "error_per_round": _error_per_round(stats)}
    summary["reports"] = [_report(e, model, args.decoder, out)
                          for e in _longest_per_distance(experiments)]
    if args.fit != "none":
        summary["fit"] = _fit(experiments, model, args.fit, out)
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    print(f"written: {out}/stats.csv, summary.json, report_*.json, *.png"
          + (", fitted_d*" if summary.get("fit") else ""))
    return 0
