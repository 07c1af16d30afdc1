"""The budget figures: stacked shares with error bars, the per-qubit heatmap."""

import qecsim


def test_plot_draws_error_bars(small_budget):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    assert small_budget.plot(ax) is ax
    assert ax.containers and any(type(c).__name__ == "ErrorbarContainer" for c in ax.containers)
    plt.close(fig)


def test_heatmap_shows_a_bad_coupler_brightest():
    import matplotlib.pyplot as plt

    noise = qecsim.NoiseModel.si1000(2e-3)
    noise = noise.with_coupler_rates({(5, 1): {"two_qubit_gate": 10 * noise.two_qubit_gate}})
    budget = qecsim.error_budget(noise, distances=(3,), by="qubit", max_errors=400, seed=6,
                                 num_workers=1, progress=False)
    gates = {p.qubits: p.share[3] for p in budget.qubits if p.component == "two_qubit_gate"}
    assert max(gates, key=gates.get) == (1, 5)
    fig, ax = plt.subplots()
    budget.plot_heatmap(ax, component="two_qubit_gate")
    (lines,) = ax.collections[:1]
    assert len(lines.get_segments()) == len(gates)  # one line per coupler of the d=3 code
    plt.close(fig)
