"""How much of each standard the rulesets cover, and how well the rules are tested.

>>> from hazard_rules import load_rulesets
>>> rows = coverage(load_rulesets())
>>> row = next(r for r in rows if r.edition == "weihua-2017")
>>> (row.clauses, row.rules, row.missing_text, row.positive, row.negative)
(20, 20, 0, 20, 20)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hazard_rules.cases import TestReport, run_cases
from hazard_rules.model import Rulesets

__all__ = ["EditionCoverage", "coverage", "render_coverage"]


@dataclass(frozen=True)
class EditionCoverage:
    """Coverage of one edition: clauses of the standard against rules and cases."""

    edition: str
    standard: str
    title: str
    period: str
    clauses: int | None  # clauses the standard has, as its ruleset declares
    rules: int  # clauses encoded as rules
    missing_text: int  # clauses known to exist whose official text we lack
    positive: int  # rules with at least one passing case that fires them
    negative: int  # rules with at least one passing case that decides them FALSE
    cases: int
    failed: int

    @property
    def accounted(self) -> bool:
        """Every clause of the standard is either a rule or listed as missing text."""
        return self.clauses is not None and self.rules + self.missing_text == self.clauses

    @property
    def complete(self) -> bool:
        """All clauses are rules, and every rule has a positive and a negative case."""
        return (self.accounted and self.missing_text == 0 and self.positive == self.rules
                and self.negative == self.rules and self.failed == 0)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "accounted": self.accounted, "complete": self.complete}


def coverage(rulesets: Rulesets, report: TestReport | None = None) -> list[EditionCoverage]:
    """One row per edition (running the cases unless a test ``report`` is given)."""
    report = report or run_cases(rulesets)
    rows = []
    for ed in rulesets:
        cov = [report.coverage[r.id] for r in ed.rules if r.id in report.coverage]
        results = [r for r in report.results if r.edition == ed.id]
        rows.append(EditionCoverage(
            edition=ed.id, standard=ed.standard, title=ed.title, period=ed.period,
            clauses=ed.clauses, rules=len(ed.rules), missing_text=len(ed.missing_text),
            positive=sum(c.positive > 0 for c in cov), negative=sum(c.negative > 0 for c in cov),
            cases=len(results), failed=sum(not r.passed and r.todo is None for r in results),
        ))
    return rows


def render_coverage(rows: list[EditionCoverage]) -> str:
    """A plain-text table with a total line."""
    head = ("edition", "in force", "clauses", "rules", "no text", "positive", "negative",
            "cases", "")
    body = [(r.edition, r.period, "?" if r.clauses is None else str(r.clauses), str(r.rules),
             str(r.missing_text), str(r.positive), str(r.negative), str(r.cases),
             "complete" if r.complete else "partial text, total unknown" if r.clauses is None
             else "partial text" if r.missing_text else "")
            for r in rows]
    total = ("total", "", str(sum(r.clauses or 0 for r in rows)), str(sum(r.rules for r in rows)),
             str(sum(r.missing_text for r in rows)), str(sum(r.positive for r in rows)),
             str(sum(r.negative for r in rows)), str(sum(r.cases for r in rows)), "")
    table = [head, *body, total]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]

    def line(row: tuple[str, ...]) -> str:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [row[i].rjust(widths[i]) for i in range(2, len(head) - 1)]
        return "  ".join([*cells, row[-1]]).rstrip()

    return "\n".join(line(row) for row in table)
