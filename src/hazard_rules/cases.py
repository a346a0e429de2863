"""Run the cases beside each edition and report per rule.

A case is a record with the *exact* set of rules that must fire (``fires``),
rules that must be decided FALSE (``not_fires``: a real near miss, not merely
not applicable), rules whose ``applies`` must be FALSE (``not_applicable``; a
rule of an edition that does not apply to the record counts too), optionally
the exact set of UNKNOWN rules (``undetermined``) and the record's ``status``.
Exactness covers the case's own edition and every edition whose rules the case
names. A rule is covered when a passing case fires it (positive) and one
decides it FALSE (negative).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hazard_rules.condcov import ConditionCoverage
from hazard_rules.engine import Engine
from hazard_rules.errors import Diagnostic, Severity
from hazard_rules.model import Edition, Rulesets
from hazard_rules.spec.load import load_files
from hazard_rules.spec.models import CaseFileSpec, CaseSpec
from hazard_rules.spec.yamlspans import YamlDocument
from hazard_rules.verdict import Verdict

__all__ = ["CaseResult", "RuleCoverage", "TestReport", "check_case_files", "run_cases"]


@dataclass
class CaseResult:
    """The outcome of one case."""

    edition: str
    name: str
    location: str
    failures: list[str] = field(default_factory=list)
    todo: str | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class RuleCoverage:
    """How many passing cases fire a rule (positive) and decide it FALSE (negative),
    and how the rule did on every (non-``todo``) case whose scope includes it:
    fired when listed in ``fires`` (true positive), fired when not (false
    positive), did not fire when listed (false negative), or neither (true negative).
    """

    rule_id: str
    positive: int = 0
    negative: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    todo: int = 0  # todo cases that name the rule


@dataclass
class TestReport:
    """Every case result, per-rule coverage and any problems in the case files."""

    results: list[CaseResult] = field(default_factory=list)
    coverage: dict[str, RuleCoverage] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: cases not run because they name rules of editions that are not loaded
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # location, name, why
    #: condition coverage, when :func:`run_cases` was asked for it
    conditions: ConditionCoverage | None = None

    @property
    def todo(self) -> list[CaseResult]:
        return [r for r in self.results if r.todo is not None]

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed and r.todo is None]

    @property
    def uncovered(self) -> list[RuleCoverage]:
        return [c for c in self.coverage.values() if not c.positive or not c.negative]

    @property
    def ok(self) -> bool:
        """No failing case, no invalid case file, every rule with both kinds of case."""
        return not self.failed and not self.uncovered and not any(
            d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass
class _Case:
    edition: Edition
    spec: CaseSpec
    doc: YamlDocument
    path: tuple[str | int, ...]


def check_case_files(
    rulesets: Rulesets, skipped: list[tuple[str, str, str]] | None = None
) -> tuple[list[_Case], list[Diagnostic]]:
    """Load every edition's case files and check that the rule ids they name exist.

    A case that names rules of an edition that is not loaded (e.g. when one edition
    is tested alone) is not an error: it is added to ``skipped`` with the reason.
    """
    cases: list[_Case] = []
    diags: list[Diagnostic] = []
    all_rules = {r.id for e in rulesets for r in e.rules}
    for ed in rulesets:
        if ed.path is None or not (ed.path / "cases").is_dir():
            continue
        files = sorted(p for p in (ed.path / "cases").iterdir() if p.suffix in (".yaml", ".yml"))
        loaded, problems = load_files(files, CaseFileSpec)
        diags.extend(problems)
        for item in loaded:
            names: dict[str, int] = {}
            for i, case in enumerate(item.spec.cases):
                path: tuple[str | int, ...] = ("cases", i)
                if case.name in names:
                    diags.append(Diagnostic("duplicate-case", f"case name {case.name!r} is used "
                                            "twice in this file", item.doc.span((*path, "name"))))
                names[case.name] = i
                bad = False
                named = [*case.fires, *case.not_fires, *case.not_applicable,
                         *(case.undetermined or [])]
                absent = sorted({r.split("/", 1)[0] for r in named} - set(rulesets.editions))
                if absent:
                    if skipped is not None:
                        skipped.append((str(item.doc.span(path)), case.name,
                                        f"names rules of {', '.join(absent)}, not loaded"))
                    continue
                for key in ("fires", "not_fires", "not_applicable", "undetermined"):
                    for j, rid in enumerate(getattr(case, key) or []):
                        if rid not in all_rules:
                            close = difflib.get_close_matches(rid, sorted(all_rules), n=1)
                            diags.append(Diagnostic(
                                "unknown-rule", f"case {case.name!r} names unknown rule {rid!r}",
                                item.doc.span((*path, key, j)),
                                hint=f"did you mean {close[0]!r}?" if close else None))
                            bad = True
                overlap = set(case.fires) & set(case.not_fires)
                if overlap:
                    diags.append(Diagnostic(
                        "case-contradiction", f"case {case.name!r} lists {sorted(overlap)} both "
                        "in fires and not_fires", item.doc.span(path)))
                    bad = True
                if not bad:
                    cases.append(_Case(ed, case, item.doc, path))
    return cases, diags


def _record(case: _Case) -> dict[str, Any]:
    record = dict(case.spec.record)
    record.setdefault("record_id", case.spec.name)
    record.setdefault("inspected_on", case.edition.effective_from)
    if isinstance(record["inspected_on"], dt.date):
        record["inspected_on"] = record["inspected_on"].isoformat()
    return record


def run_cases(rulesets: Rulesets, engine: Engine | None = None,
              editions: Sequence[str] | None = None, *,
              conditions: bool = False) -> TestReport:
    """Run the cases of ``rulesets`` (optionally only of some editions).

    With ``conditions``, also measure condition coverage (see
    :mod:`hazard_rules.condcov`).
    """
    engine = engine or Engine(rulesets)
    report = TestReport()
    if conditions:
        report.conditions = ConditionCoverage(rulesets, editions)
    wanted = set(editions) if editions else None
    for ed in rulesets:
        if wanted is None or ed.id in wanted:
            for r in ed.rules:
                report.coverage[r.id] = RuleCoverage(r.id)
    cases, report.diagnostics = check_case_files(rulesets, report.skipped)
    for case in cases:
        if wanted is not None and case.edition.id not in wanted:
            continue
        report.results.append(_run(engine, case, report))
    return report


def _run(engine: Engine, case: _Case, report: TestReport,
         judged: tuple[Verdict, dict[str, str]] | None = None) -> CaseResult:
    spec = case.spec
    result = CaseResult(case.edition.id, spec.name, str(case.doc.span(case.path)), todo=spec.todo)
    record = _record(case)
    verdict, statuses = judged or engine.judge_with_statuses(record, missing=spec.missing)
    if report.conditions is not None and spec.todo is None:
        report.conditions.observe(engine.facts_of(record, missing=spec.missing), statuses)
    named = [*spec.fires, *spec.not_fires, *spec.not_applicable, *(spec.undetermined or [])]
    scope = {case.edition.id} | {rid.split("/", 1)[0] for rid in named}

    def in_scope(rid: str) -> bool:
        return rid.split("/", 1)[0] in scope

    missing_of = {u.rule_id: u.missing for u in verdict.undetermined}

    def describe(rid: str) -> str:
        st = statuses.get(rid, "not evaluated (edition not applicable)")
        if rid in missing_of:
            return f"{st}, missing: {', '.join(missing_of[rid])}"
        return st

    fired = {rid for rid, st in statuses.items() if st == "TRUE" and in_scope(rid)}
    for rid in spec.fires:
        if rid not in fired:
            result.failures.append(f"expected {rid} to fire, but it is {describe(rid)}")
    for rid in sorted(fired - set(spec.fires)):
        result.failures.append(f"{rid} fired but is not listed in 'fires'")
    for rid in spec.not_fires:
        if statuses.get(rid) != "FALSE":
            result.failures.append(f"expected {rid} to be FALSE, but it is {describe(rid)}")
    for rid in spec.not_applicable:
        if statuses.get(rid, "NOT_APPLICABLE") != "NOT_APPLICABLE":
            result.failures.append(f"expected {rid} not to apply, but it is {describe(rid)}")
    if spec.undetermined is not None:
        unknown = {rid for rid, st in statuses.items() if st == "UNKNOWN" and in_scope(rid)}
        for rid in spec.undetermined:
            if rid not in unknown:
                result.failures.append(f"expected {rid} to be UNKNOWN, but it is {describe(rid)}")
        for rid in sorted(unknown - set(spec.undetermined)):
            result.failures.append(f"{rid} is UNKNOWN but is not listed in 'undetermined'")
    if spec.status is not None and verdict.status.value != spec.status:
        result.failures.append(f"expected status {spec.status!r}, got {verdict.status.value!r}"
                               + (f" ({'; '.join(e.message for e in verdict.errors)})"
                                  if verdict.errors else ""))
    if verdict.errors and spec.status != "error":
        result.failures.extend(f"record problem: {e.field}: {e.message}" for e in verdict.errors)
    _confusion(report, spec, statuses, in_scope)
    if result.passed and spec.todo is None:
        for rid in spec.fires:
            if rid in report.coverage:
                report.coverage[rid].positive += 1
        for rid in spec.not_fires:
            if rid in report.coverage:
                report.coverage[rid].negative += 1
    return result



def _confusion(report: TestReport, spec: CaseSpec, statuses: dict[str, str],
               in_scope: Callable[[str], bool]) -> None:
    """Count the case in the per-rule confusion matrix of every rule in its scope."""
    expected = set(spec.fires)
    if spec.todo is not None:
        for rid in {*spec.fires, *spec.not_fires}:
            if rid in report.coverage:
                report.coverage[rid].todo += 1
        return
    for rid in {*statuses, *expected}:
        c = report.coverage.get(rid)
        if c is None or not in_scope(rid):
            continue
        fired = statuses.get(rid) == "TRUE"
        if rid in expected:
            if fired:
                c.tp += 1
            else:
                c.fn += 1
        elif fired:
            c.fp += 1
        else:
            c.tn += 1
