"""``qecsim budget`` end to end: outputs, table, what-if lines, bad presets."""

from qecsim.cli import main


def test_cli_budget_writes_its_outputs(tmp_path, capsys):

    out = tmp_path / "budget"
    code = main(["budget", "--noise", "si1000", "--p", "2e-3", "--distances", "3,5",
                 "--max-errors", "100", "--seed", "1", "--workers", "1", "--no-progress",
                 "--out", str(out)])
    assert code == 0
    assert {p.name for p in out.iterdir()} == {"budget.json", "budget.csv", "budget.png"}
    printed = capsys.readouterr().out
    assert "two_qubit_gate" in printed and "what if" in printed
    assert main(["budget", "--noise", "sd7", "--out", str(out)]) == 2
