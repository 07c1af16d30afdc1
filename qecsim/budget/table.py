"""The text table of an :class:`qecsim.ErrorBudget` (also the cells of the CLI's rich table).

Estimates whose interval contains zero are shown as zero with their upper bound,
``0 (< 0.4%)``, never as a negative share; the parts of 1/Lambda are stated with their sum
and why it need not be 100% (each part is a first-order derivative, not a slice of a whole).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qecsim.budget.labels import experiment_label, interval_label

if TYPE_CHECKING:  # pragma: no cover
    from qecsim.analysis.estimate import Estimate
    from qecsim.budget.results import ComponentBudget, ErrorBudget

__all__ = [
    "METHOD_WORDS",
    "columns",
    "footer_lines",
    "format_estimate",
    "format_share",
    "format_table",
    "header_lines",
    "rows",
]

#: How each method is described to a reader.
METHOD_WORDS: dict[str, str] = {
    "likelihood_ratio": "first-order attribution, likelihood ratio (one sample set per distance)",
    "finite_difference": "first-order attribution, finite differences (each row scaled, "
    "decoder rebuilt)",
    "ablation": "ablation: eps(all) - eps(with the component switched off)",
}


def format_estimate(estimate: Estimate) -> str:
    """``best [low, high]``, or ``0 (< high)`` when the interval contains zero.

    Examples:
        >>> from qecsim.analysis.estimate import Estimate
        >>> format_estimate(Estimate(0.44, 0.27, 0.61))
        '0.44 [0.27, 0.61]'
        >>> format_estimate(Estimate(-0.002, -0.01, 0.009))
        '0 (< 0.009)'
        >>> format_estimate(Estimate(0.0, 0.0, 0.0))
        '0'
    """
    if estimate.low > 0 or estimate.high < 0:
        return str(estimate)
    if estimate.high <= 0:
        return "0"
    return f"0 (< {estimate.high:.2g})"


def _percent(value: float) -> str:
    return f"{value:.2g}%" if abs(value) < 10 else f"{value:.0f}%"


def format_share(estimate: Estimate, total: float) -> str:
    """``estimate / total`` in percent, or ``0 (< x%)`` when the estimate is compatible with 0.

    Examples:
        >>> from qecsim.analysis.estimate import Estimate
        >>> format_share(Estimate(0.5, 0.3, 0.7), 2.0)
        '25.0%'
        >>> format_share(Estimate(-0.01, -0.03, 0.008), 2.0)
        '0 (< 0.4%)'
    """
    if not total or total < 0:
        return "n/a"
    if estimate.low > 0 or estimate.high < 0:
        return f"{100 * estimate.best / total:.1f}%"
    if estimate.high <= 0:
        return "0"
    return f"0 (< {_percent(100 * estimate.high / total)})"


def _value(budget: ErrorBudget, c: ComponentBudget, d: int) -> Estimate:
    """The estimate a row's share comes from: the elasticity, or (ablation) the difference."""
    return c.contribution[d] if c.elasticity is None else c.elasticity[d]


def _total(budget: ErrorBudget, d: int) -> float:
    """What shares are relative to: the sum of elasticities, or (ablation) eps_d."""
    if budget.method == "ablation":
        return budget.logical_error_per_round[d].best
    return sum(c.elasticity[d].best for c in budget.components)


def _shows_lambda(budget: ErrorBudget) -> bool:
    return budget.inverse_lambda is not None and budget.method != "ablation"


def columns(budget: ErrorBudget) -> list[str]:
    """The column titles."""
    value_name = "eps(all) - eps(without)" if budget.method == "ablation" else "elasticity"
    titles = ["component", "rate"]
    for d in budget.distances:
        titles += [f"{value_name} d={d}", f"share d={d}"]
    if _shows_lambda(budget):
        titles += ["1/Lambda part", "of 1/Lambda"]
    return titles


def rows(budget: ErrorBudget) -> list[list[str]]:
    """One row of cells per budget key."""
    table = []
    for c in budget.components:
        row = [c.component, f"{c.rate:.3g}"]
        for d in budget.distances:
            value = _value(budget, c, d)
            row += [format_estimate(value), format_share(value, _total(budget, d))]
        if _shows_lambda(budget):
            part = c.inverse_lambda_contribution
            row += [format_estimate(part), format_share(part, budget.inverse_lambda.best)]
        table.append(row)
    return table


def header_lines(budget: ErrorBudget) -> list[str]:
    """What was run, how it was estimated, eps per round and 1/Lambda with the parts' sum."""
    lines = [f"error budget: {experiment_label(budget)}",
             f"estimated by {METHOD_WORDS[budget.method]}"]
    eps = "  ".join(
        f"d={d}: {budget.logical_error_per_round[d]} ({budget.num_errors[d]} errors / "
        f"{budget.num_shots[d]} shots)"
        for d in budget.distances
    )
    lines.append(f"logical error per round  {eps}")
    if budget.inverse_lambda is not None:
        lines.append(f"1/Lambda = {budget.inverse_lambda}  ({budget.lambda_fit})")
    if _shows_lambda(budget):
        total = sum(c.inverse_lambda_contribution.best for c in budget.components)
        lines.append(
            f"the 1/Lambda parts add up to {total:.3g} "
            f"({_percent(100 * total / budget.inverse_lambda.best)} of 1/Lambda, best values): "
            "first-order parts (s_k d(1/Lambda)/ds_k) need not add up to 100%"
        )
    return lines


def footer_lines(budget: ErrorBudget) -> list[str]:
    """The interval convention and how zero-compatible estimates are shown; the notes."""
    lines = [f"{interval_label(budget)}; 0 (< x): compatible with zero, the interval reaches "
             "up to x"]
    lines.append("rate: the mean probability of the row's channels in the circuits")
    return lines + [f"note: {note}" for note in budget.notes]


def format_table(budget: ErrorBudget) -> str:
    """The table behind :meth:`ErrorBudget.table` (see there)."""
    titles, cells = columns(budget), rows(budget)
    widths = [max(len(r[i]) for r in [titles, *cells]) for i in range(len(titles))]
    lines = header_lines(budget)
    for i, row in enumerate([titles, *cells]):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines + footer_lines(budget))
