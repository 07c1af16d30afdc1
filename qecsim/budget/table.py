"""The text table of an :class:`qecsim.ErrorBudget`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qecsim import analysis

if TYPE_CHECKING:  # pragma: no cover
    from qecsim.budget.results import ErrorBudget

__all__ = ["format_table"]


def format_table(budget: ErrorBudget) -> str:
    """The table behind :meth:`ErrorBudget.table` (see there)."""
    header = (
        f"error budget: {budget.noise.name}"
        + (f" p={budget.noise.p:g}" if budget.noise.p is not None and budget.noise.name != "custom"
           else "")
        + f", {budget.code} basis {budget.basis}, decoder {budget.decoder}, "
        f"method {budget.method}"
    )
    lines = [header]
    eps = "  ".join(
        f"d={d}: {budget.logical_error_per_round[d]} ({budget.num_errors[d]} errors / "
        f"{budget.num_shots[d]} shots)"
        for d in budget.distances
    )
    lines.append(f"logical error per round  {eps}")
    if budget.inverse_lambda is not None:
        lines.append(f"1/Lambda = {budget.inverse_lambda}  ({budget.lambda_fit})")
    value_name = "contribution" if budget.method == "ablation" else "elasticity"
    columns = ["component", "rate"]
    for d in budget.distances:
        columns += [f"{value_name} d={d}", f"share d={d}"]
    if budget.inverse_lambda is not None and budget.method != "ablation":
        columns.append("1/Lambda part")
    rows = [columns]
    for c in budget.components:
        row = [c.component, f"{c.rate:.3g}"]
        for d in budget.distances:
            value = c.contribution[d] if c.elasticity is None else c.elasticity[d]
            row += [str(value), f"{100 * c.share[d]:.1f}%"]
        if budget.inverse_lambda is not None and budget.method != "ablation":
            row.append(str(c.inverse_lambda_contribution))
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(columns))]
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    z = analysis.sigma_equivalent(budget.max_likelihood_factor)
    lines.append(f"[low, high]: likelihood-ratio {budget.max_likelihood_factor:g} (~{z:.2f} sigma)")
    return "\n".join(lines)
