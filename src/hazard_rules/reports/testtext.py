"""``hazard-rules test`` as text and as a JSON-ready dict.

The text lists, per edition, each rule with its positive and negative cases and
its confusion matrix over the cases (true and false positives and negatives),
failing and ``todo`` cases, then the totals and the condition coverage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hazard_rules.errors import render_diagnostics

if TYPE_CHECKING:
    from hazard_rules.cases import CaseResult, TestReport
    from hazard_rules.model import Rulesets

__all__ = ["render_test_report", "report_dict"]


def report_dict(report: TestReport, min_coverage: float | None = None) -> dict[str, Any]:
    """The JSON form of a test report."""
    conditions = report.conditions.to_dict() if report.conditions is not None else None
    return {
        "ok": _ok(report, min_coverage),
        "cases": [{"edition": r.edition, "name": r.name, "location": r.location,
                   "passed": r.passed, "todo": r.todo, "failures": r.failures}
                  for r in report.results],
        "rules": [{"rule_id": c.rule_id, "positive": c.positive, "negative": c.negative,
                   "tp": c.tp, "fp": c.fp, "fn": c.fn, "tn": c.tn, "todo": c.todo}
                  for c in report.coverage.values()],
        "conditions": conditions,
        "min_coverage": min_coverage,
        "diagnostics": [d.to_dict() for d in report.diagnostics],
        "skipped": [{"location": loc, "name": n, "why": w} for loc, n, w in report.skipped],
        "summary": {"cases": len(report.results), "failed": len(report.failed),
                    "todo": len(report.todo), "rules": len(report.coverage),
                    "rules_uncovered": len(report.uncovered)},
    }


def _ok(report: TestReport, min_coverage: float | None) -> bool:
    low = (min_coverage is not None and report.conditions is not None
           and report.conditions.percent < min_coverage)
    return report.ok and not low


def render_test_report(rulesets: Rulesets, report: TestReport, verbose: bool = False,
                       min_coverage: float | None = None) -> str:
    """The text report of ``hazard-rules test``."""
    out: list[str] = []
    if report.diagnostics:
        out += [render_diagnostics(report.diagnostics), ""]
    by_edition: dict[str, list[CaseResult]] = {}
    for r in report.results:
        by_edition.setdefault(r.edition, []).append(r)
    cond = report.conditions
    for ed in rulesets:
        results = by_edition.get(ed.id, [])
        passed = sum(r.passed for r in results)
        todo = sum(r.todo is not None for r in results)
        out.append(f"{ed.id}: {len(ed.rules)} rules, {len(results)} cases, {passed} passed"
                   + (f", {todo} todo" if todo else ""))
        for rule in ed.rules:
            c = report.coverage.get(rule.id)
            if c is None:
                continue
            mark = "ok  " if c.positive and c.negative else "MISS"
            conds = ""
            if cond is not None:
                covered, required = cond.by_rule(rule.id)
                conds = f"  conditions {covered:>2}/{required:<2}"
            out.append(f"  {mark} {rule.id:<24} positive {c.positive:>2}  negative "
                       f"{c.negative:>2}  tp {c.tp:>2} fp {c.fp} fn {c.fn} tn {c.tn:>3}"
                       f"{conds}  {rule.article}")
            if verbose and cond is not None:
                for atom in cond.atoms.get(rule.id, []):
                    if atom.missing:
                        out.append(f"         never {'/'.join(atom.missing)}: {atom.text}")
        for r in results:
            if verbose and r.passed and r.todo is None:
                out.append(f"  pass {r.name}")
            elif r.todo is not None:
                out.append(f"  TODO {r.location} {r.name}: {r.todo}"
                           + (" (passes now: remove `todo`)" if r.passed else ""))
            elif not r.passed:
                out.append(f"  FAIL {r.location} {r.name}")
                out.extend(f"         {f}" for f in r.failures)
    for location, name, why in report.skipped:
        out.append(f"  skip {location} {name}: {why}")
    uncovered = report.uncovered
    out.append("")
    out.append(f"{len(report.results)} cases, {len(report.failed)} failed, "
               f"{len(report.todo)} todo; {len(report.coverage) - len(uncovered)}/"
               f"{len(report.coverage)} rules have positive and negative cases")
    for c in uncovered:
        missing = [k for k, n in (("positive", c.positive), ("negative", c.negative)) if not n]
        out.append(f"  {c.rule_id}: no {' and no '.join(missing)} case")
    fp = sum(c.fp for c in report.coverage.values())
    fn = sum(c.fn for c in report.coverage.values())
    out.append(f"rules over all cases: {sum(c.tp for c in report.coverage.values())} true "
               f"positives, {fp} false positives, {fn} false negatives, "
               f"{sum(c.tn for c in report.coverage.values())} true negatives")
    if cond is not None:
        line = (f"condition coverage: {cond.percent:.1f}% ({cond.covered}/{cond.required} "
                "atom values seen TRUE, FALSE and UNKNOWN)")
        if min_coverage is not None:
            line += (f"; below the minimum {min_coverage:g}%" if cond.percent < min_coverage
                     else f"; minimum {min_coverage:g}% met")
        out.append(line)
    return "\n".join(out) + "\n"
