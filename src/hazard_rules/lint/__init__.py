"""Static analysis of rulesets: what ``hazard-rules validate --strict`` adds to ``validate``.

The checks (see :data:`CHECKS` and ``hazard-rules validate --list-checks``) look for
conditions that can never be TRUE or are always TRUE, rules that never apply,
equivalent rules, unused facts and catalogs, rules without positive or negative
cases, gaps in ``supersedes`` chains, citations that break the edition's numbering
or do not match the rule id, and clause text that is not the official text.

Each finding is a :class:`~hazard_rules.errors.Diagnostic` with a code, a severity
and a span. Severities can be changed per check and per rule in a configuration
file, and findings can be suppressed in the YAML with a reason (see
:mod:`hazard_rules.lint.config`).

>>> import hazard_rules as hr
>>> report = lint(hr.load_rulesets())
>>> report.errors
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hazard_rules.errors import Diagnostic, Severity, SourceFile
from hazard_rules.lint.checks import ALL, Context
from hazard_rules.lint.citations import citations
from hazard_rules.lint.config import (
    CONFIG_FILE,
    LintConfig,
    Suppression,
    load_config,
    parse_suppressions,
    severity,
)
from hazard_rules.lint.registry import CHECKS, Check, Finding
from hazard_rules.lint.sources import clause_text
from hazard_rules.model import Rulesets

__all__ = ["CHECKS", "CONFIG_FILE", "Check", "LintConfig", "LintReport", "Suppressed",
           "lint", "load_config"]


@dataclass(frozen=True)
class Suppressed:
    """A finding that was not reported: ``kind`` is ``inSource`` (a comment in the
    YAML) or ``external`` (the configuration file), as in SARIF."""

    diagnostic: Diagnostic
    kind: str
    reason: str


@dataclass
class LintReport:
    """The findings of :func:`lint`: reported ones, and suppressed ones with reasons."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    skipped: tuple[str, ...] = ()

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def lint(rulesets: Rulesets, *, config: LintConfig | None = None,
         standards: Path | None = None, cases: list[Any] | None = None) -> LintReport:
    """Run every static check on ``rulesets``.

    ``standards`` (or the configuration's ``standards``) is the folder of official
    texts that clause text is compared with; without one, that check is skipped.
    ``cases`` are the case files as :func:`hazard_rules.cases.check_case_files`
    returns them, if the caller has them already.
    """
    config = config or LintConfig()
    ctx = Context(rulesets, standards or config.standards, cases=cases)
    findings: list[Finding] = []
    for check in (*ALL, citations, clause_text):
        findings.extend(check(ctx))
    report = LintReport(skipped=tuple(sorted(ctx.skipped)))
    sources: dict[str, SourceFile] = {}
    for doc in ctx._docs.values():
        sources[doc.source.name] = doc.source
    for fact in rulesets.catalog.facts.values():
        if fact.span is not None:
            sources.setdefault(fact.span.source.name, fact.span.source)
    suppressions = {name: parse_suppressions(src) for name, src in sorted(sources.items())}
    for f in findings:
        d = f.diagnostic
        level = config.level(d.code, f.subject)
        if level is not None:
            sev = severity(level)
            if sev is None:
                report.suppressed.append(Suppressed(d, "external", "disabled in the "
                                                    "configuration"))
                continue
            d = replace(d, severity=sev)
        sup = _suppression(suppressions, d)
        if sup is not None:
            report.suppressed.append(Suppressed(d, "inSource", sup.reason))
        else:
            report.diagnostics.append(d)
    report.diagnostics.extend(_suppression_problems(suppressions, ctx.skipped))
    report.diagnostics.sort(key=_order)
    return report


def _suppression(suppressions: dict[str, list[Suppression]], d: Diagnostic
                 ) -> Suppression | None:
    if d.span is None:
        return None
    for s in suppressions.get(d.span.source.name, ()):
        if s.reason and s.covers(d.code, d.span.line):
            s.used.add(d.code)
            return s
    return None


def _suppression_problems(suppressions: dict[str, list[Suppression]], skipped: set[str]
                          ) -> list[Diagnostic]:
    out = []
    for sups in suppressions.values():
        for s in sups:
            unknown = [c for c in s.codes if c not in CHECKS]
            for code in unknown:
                out.append(Diagnostic("unknown-check", f"suppression names unknown check "
                                      f"{code!r}", s.span, CHECKS["unknown-check"].severity,
                                      hint="hazard-rules validate --list-checks"))
            if not s.reason:
                out.append(Diagnostic("suppression-without-reason", "this suppression gives "
                                      "no reason, so it suppresses nothing", s.span,
                                      CHECKS["suppression-without-reason"].severity,
                                      hint="# hazard-rules: ignore[code] <why the finding "
                                           "does not apply>"))
            elif not s.used and not unknown and not set(s.codes) & skipped:
                out.append(Diagnostic("unused-suppression", f"nothing here is reported as "
                                      f"{', '.join(s.codes)}", s.span,
                                      CHECKS["unused-suppression"].severity,
                                      hint="remove the comment"))
    return out


def _order(d: Diagnostic) -> tuple[str, int, int, str]:
    if d.span is None:
        return (d.file or "", 0, 0, d.code)
    line, col = d.span.source.position(d.span.start)
    return (d.span.source.name, line, col, d.code)
