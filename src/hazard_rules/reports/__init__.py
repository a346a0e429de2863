"""Reports of ``validate`` and ``test`` for people and CI systems.

Four formats: ``text`` (compiler-style diagnostics, a table of rules), ``json``,
``junit`` (JUnit XML: a test case per ruleset file, or per case and per rule) and
``sarif`` (SARIF 2.1.0 for code-scanning views). :func:`validation_report` and
:func:`case_report` render one format; the CLI can write several at once.

>>> import hazard_rules as hr
>>> import json
>>> report = json.loads(validation_report("json", [], [], hr.load_rulesets()))
>>> report["ok"], report["diagnostics"], len(report["editions"])
(True, [], 20)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hazard_rules.errors import Diagnostic, Severity, render_diagnostics
from hazard_rules.reports.junit import Suite, TestCase, junit_xml
from hazard_rules.reports.sarif import sarif_log

if TYPE_CHECKING:
    from hazard_rules.cases import TestReport
    from hazard_rules.lint import Suppressed
    from hazard_rules.model import Rulesets

__all__ = ["FORMATS", "case_report", "validation_report"]

#: The formats of :func:`validation_report` and :func:`case_report`.
FORMATS = ("text", "json", "junit", "sarif")


def _files(rulesets: Rulesets | None, diags: Sequence[Diagnostic]) -> list[str]:
    """Every ruleset file a validation looked at, and every file a diagnostic names."""
    names: dict[str, None] = {}
    if rulesets is not None:
        for fact in rulesets.catalog.facts.values():
            if fact.span is not None:
                names[fact.span.source.name] = None
        for ed in rulesets:
            if ed.span is not None:
                names[ed.span.source.name] = None
    for d in diags:
        name = d.span.source.name if d.span is not None else d.file
        if name:
            names[name] = None
    return sorted(names)


def validation_report(fmt: str, diagnostics: Sequence[Diagnostic],
                      suppressed: Sequence[Suppressed], rulesets: Rulesets | None,
                      *, strict: bool = False) -> str:
    """``validate``'s findings in ``fmt`` (one of :data:`FORMATS`)."""
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if fmt == "json":
        return json.dumps({
            "ok": not errors,
            "diagnostics": [d.to_dict() for d in diagnostics],
            "suppressed": [{**s.diagnostic.to_dict(), "kind": s.kind, "reason": s.reason}
                           for s in suppressed],
            "editions": list(rulesets.editions) if rulesets else [],
            "strict": strict,
        }, ensure_ascii=False, indent=2) + "\n"
    if fmt == "sarif":
        log = sarif_log(diagnostics, [(s.diagnostic, s.kind, s.reason) for s in suppressed])
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    if fmt == "junit":
        by_file: dict[str, list[Diagnostic]] = {}
        for d in diagnostics:
            name = d.span.source.name if d.span is not None else d.file or "<rulesets>"
            by_file.setdefault(name, []).append(d)
        cases = []
        for name in _files(rulesets, diagnostics) or ["<rulesets>"]:
            found = by_file.get(name, [])
            errs = [d for d in found if d.severity is Severity.ERROR]
            cases.append(TestCase(
                name=_relative(name), classname="validate" + (" --strict" if strict else ""),
                file=_relative(name),
                failure=(f"{len(errs)} error{'s' if len(errs) != 1 else ''}: "
                         + "; ".join(sorted({d.code for d in errs}))) if errs else None,
                details="\n\n".join(d.render() for d in errs),
                output="\n\n".join(d.render() for d in found if d not in errs)))
        return junit_xml([Suite("validate", cases)])
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = []
    if diagnostics:
        out.append(render_diagnostics(diagnostics))
    if suppressed:
        out.append(f"{len(suppressed)} finding{'s' if len(suppressed) != 1 else ''} "
                   "suppressed (--format json lists them with their reasons)")
    if rulesets is not None and not errors:
        n_rules = sum(len(e.rules) for e in rulesets)
        out.append(f"ok: {len(rulesets)} editions, {n_rules} rules, "
                   f"{len(rulesets.catalog.facts)} facts" + (", strict" if strict else ""))
    return "\n".join(out) + "\n" if out else ""


def _relative(name: str) -> str:
    """``name`` relative to the working folder when it lies under it (as CI shows paths)."""
    try:
        return Path(name).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return name


def _case_file(location: str) -> tuple[str, int | None]:
    name, _, rest = location.partition(":")
    line = rest.split(":", 1)[0]
    return _relative(name), int(line) if line.isdigit() else None


def case_report(fmt: str, report: TestReport, rulesets: Rulesets, *,
                min_coverage: float | None = None, verbose: bool = False) -> str:
    """``test``'s results in ``fmt`` (one of :data:`FORMATS`)."""
    from hazard_rules.reports.testtext import render_test_report, report_dict

    if fmt == "json":
        return json.dumps(report_dict(report, min_coverage), ensure_ascii=False,
                          indent=2) + "\n"
    if fmt == "text":
        return render_test_report(rulesets, report, verbose, min_coverage)
    if fmt == "junit":
        return junit_xml(_test_suites(report, rulesets, min_coverage))
    if fmt == "sarif":
        return json.dumps(sarif_log(_test_diagnostics(report, rulesets, min_coverage)),
                          ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _test_suites(report: TestReport, rulesets: Rulesets,
                 min_coverage: float | None) -> list[Suite]:
    suites: dict[str, Suite] = {ed.id: Suite(ed.id) for ed in rulesets}
    for r in report.results:
        name, line = _case_file(r.location)
        todo = r.todo is not None
        suites.setdefault(r.edition, Suite(r.edition)).cases.append(TestCase(
            name=r.name, classname=r.edition, file=name, line=line,
            failure=(r.failures[0] if r.failures and not todo else None),
            details="\n".join(r.failures),
            skipped=f"todo: {r.todo}" if todo else None))
    for location, name, why in report.skipped:
        file, line = _case_file(location)
        suites.setdefault("skipped", Suite("skipped")).cases.append(
            TestCase(name=name, classname="skipped", file=file, line=line, skipped=why))
    coverage = Suite("rule coverage")
    for c in report.coverage.values():
        missing = [k for k, n in (("positive", c.positive), ("negative", c.negative)) if not n]
        coverage.cases.append(TestCase(
            name=c.rule_id, classname="rule coverage",
            failure=f"no passing {' and no '.join(missing)} case" if missing else None,
            output=f"tp {c.tp} fp {c.fp} fn {c.fn} tn {c.tn} todo {c.todo}"))
    out = [s for s in suites.values() if s.cases] + [coverage]
    if report.conditions is not None:
        pct = report.conditions.percent
        below = min_coverage is not None and pct < min_coverage
        out.append(Suite("condition coverage", [TestCase(
            name=f"condition coverage {pct:.1f}%"
                 + (f" >= {min_coverage:g}%" if min_coverage is not None else ""),
            classname="condition coverage",
            failure=f"condition coverage {pct:.1f}% is below {min_coverage:g}%"
            if below else None,
            output="\n".join(f"{a.rule_id}: {a.text}: never {', '.join(a.missing)}"
                             for a in report.conditions.uncovered()))]))
    if report.diagnostics:
        out.append(Suite("case files", [TestCase(
            name=d.location, classname="case files", failure=f"{d.code}: {d.message}",
            details=d.render()) for d in report.diagnostics]))
    return out


def _test_diagnostics(report: TestReport, rulesets: Rulesets,
                      min_coverage: float | None) -> list[Diagnostic]:
    """Failing cases, rules without cases and low coverage, as diagnostics."""
    out = list(report.diagnostics)
    for r in report.failed:
        name, line = _case_file(r.location)
        out.append(Diagnostic("case-failed", f"case {r.name!r} of {r.edition} failed: "
                              + "; ".join(r.failures), file=name,
                              span=_line_span(name, line)))
    for c in report.uncovered:
        missing = [k for k, n in (("positive", c.positive), ("negative", c.negative)) if not n]
        rule = rulesets.rule(c.rule_id)
        out.append(Diagnostic("rule-not-covered", f"{c.rule_id} has no passing "
                              f"{' and no '.join(missing)} case", rule.span))
    if report.conditions is not None and min_coverage is not None and \
            report.conditions.percent < min_coverage:
        out.append(Diagnostic("condition-coverage", f"condition coverage "
                              f"{report.conditions.percent:.1f}% is below {min_coverage:g}%",
                              file=str(rulesets.roots[0]) if rulesets.roots else None))
    return out


def _line_span(name: str, line: int | None) -> Any:
    from hazard_rules.errors import SourceFile, Span

    if line is None:
        return None
    try:
        src = SourceFile(name, Path(name).read_text(encoding="utf-8"))
    except OSError:
        return None
    start = sum(len(x) + 1 for x in src.text.split("\n")[: line - 1])
    return Span(src, start, start + len(src.line_text(line)))
