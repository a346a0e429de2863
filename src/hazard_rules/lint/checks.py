"""The checks on conditions, fact catalogs, cases and edition dates.

Each check is a function ``(context) -> Iterator[Finding]``; :data:`ALL` lists them
in the order they run. Spans point at the YAML that the author has to change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hazard_rules import ir
from hazard_rules.errors import Diagnostic, Span
from hazard_rules.lint.registry import CHECKS, Finding
from hazard_rules.lint.solver import equivalent, satisfiable, text
from hazard_rules.model import RECORD_NAMESPACE, Edition, Rule, Rulesets
from hazard_rules.spec.load import EDITION_FILE, read_document
from hazard_rules.spec.yamlspans import YamlDocument
from hazard_rules.typesys import BOOL

__all__ = ["ALL", "Context"]


@dataclass
class Context:
    """The rulesets under check, their YAML documents (for spans) and the standards folder."""

    rulesets: Rulesets
    standards: Path | None = None
    #: codes of checks that could not run (so a suppression of them is not "unused")
    skipped: set[str] = field(default_factory=set)
    #: rules that can never fire (left out of the equivalence check)
    dead: set[str] = field(default_factory=set)
    #: the checked case files, when the caller has loaded them already
    cases: list[Any] | None = None
    _docs: dict[Path, YamlDocument] = field(default_factory=dict)

    def doc(self, edition: Edition) -> YamlDocument | None:
        if edition.path is None:
            return None
        path = edition.path / EDITION_FILE
        if path not in self._docs:
            self._docs[path] = read_document(path)
        return self._docs[path]

    def span(self, edition: Edition, *path: str | int) -> Span | None:
        doc = self.doc(edition)
        return doc.span(path) if doc is not None else edition.span

    def rule_span(self, rule: Rule, part: str) -> Span | None:
        ed = self.rulesets.edition(rule.edition_id)
        doc = self.doc(ed)
        if doc is None:
            return rule.span
        return doc.span(("rules", rule.index, part))

    def finding(self, code: str, message: str, span: Span | None, subject: str,
                hint: str | None = None, notes: tuple[str, ...] = (),
                file: str | None = None) -> Finding:
        return Finding(Diagnostic(code, message, span, CHECKS[code].severity, hint=hint,
                                  file=file, notes=notes), subject)


Check = Callable[[Context], Iterator[Finding]]


def _applies(ed: Edition, rule: Rule) -> tuple[ir.Expr, ...]:
    return tuple(c for c in (ed.applies, rule.applies) if c is not None)


def _conj(parts: tuple[ir.Expr, ...]) -> ir.Expr:
    return parts[0] if len(parts) == 1 else ir.And(parts) if parts else ir.Const(True, BOOL)


def conditions(ctx: Context) -> Iterator[Finding]:
    """unsatisfiable-when, unsatisfiable-applies, never-fires, always-true,
    condition-too-complex."""
    facts = ctx.rulesets.catalog.facts
    for ed in ctx.rulesets:
        for rule in ed.rules:
            applies = _applies(ed, rule)
            when = satisfiable(rule.when, facts)
            if when.sat is None:
                yield ctx.finding("condition-too-complex", f"{rule.id}: `when` has too many "
                                  "alternatives to analyse", ctx.rule_span(rule, "when"),
                                  rule.id)
                continue
            if when.sat is False:
                ctx.dead.add(rule.id)
                yield ctx.finding("unsatisfiable-when", f"{rule.id}: `when` can never be TRUE",
                                  ctx.rule_span(rule, "when"), rule.id,
                                  notes=_explain(when.conflicts, when.alternatives))
                continue
            if applies:
                app = satisfiable(_conj(applies), facts)
                if app.sat is False:
                    ctx.dead.add(rule.id)
                    where = "applies" if rule.applies is not None else "when"
                    yield ctx.finding(
                        "unsatisfiable-applies", f"{rule.id}: the rule can never apply"
                        + ("" if rule.applies is not None else
                           f" (the `applies` of edition {ed.id} is never TRUE)"),
                        ctx.rule_span(rule, where), rule.id,
                        notes=_explain(app.conflicts, app.alternatives))
                    continue
                both = satisfiable(_conj((*applies, rule.when)), facts)
                if both.sat is False:
                    ctx.dead.add(rule.id)
                    yield ctx.finding(
                        "never-fires", f"{rule.id}: `when` is never TRUE where the rule "
                        "applies", ctx.rule_span(rule, "when"), rule.id,
                        notes=_explain(both.conflicts, both.alternatives))
                    continue
            tautology = satisfiable(_conj((*applies, ir.Not(rule.when))), facts)
            if tautology.sat is False:
                yield ctx.finding(
                    "always-true", f"{rule.id}: `when` is TRUE for every record the rule "
                    "applies to", ctx.rule_span(rule, "when"), rule.id,
                    hint="a `when` should test the condition the clause describes")


def _explain(conflicts: tuple[str, ...], alternatives: int) -> tuple[str, ...]:
    if alternatives <= 1:
        return conflicts[:1]
    shown = tuple(f"alternative: {c}" for c in conflicts[:3])
    more = len(conflicts) - len(shown)
    return shown + ((f"... and {more} more",) if more > 0 else ())


def equivalent_rules(ctx: Context) -> Iterator[Finding]:
    """equivalent-rules: rules of one edition TRUE on exactly the same records."""
    facts = ctx.rulesets.catalog.facts
    for ed in ctx.rulesets:
        by_facts: dict[frozenset[str], list[Rule]] = {}
        for rule in ed.rules:
            if rule.id in ctx.dead:
                continue
            by_facts.setdefault(frozenset(rule.facts), []).append(rule)
        for group in by_facts.values():
            for i, a in enumerate(group):
                fa = _conj((*_applies(ed, a), a.when))
                for b in group[i + 1:]:
                    fb = _conj((*_applies(ed, b), b.when))
                    if equivalent(fa, fb, facts):
                        yield ctx.finding(
                            "equivalent-rules", f"{b.id} fires on exactly the records "
                            f"{a.id} fires on", ctx.rule_span(b, "when"), b.id,
                            notes=(f"{a.id}: {text(fa)}", f"{b.id}: {text(fb)}"),
                            hint="if the standard really repeats itself, suppress this "
                                 "with the reason")


def unused_facts(ctx: Context) -> Iterator[Finding]:
    """unused-fact (only when every edition of each rulesets folder is loaded) and
    unused-catalog."""
    rs = ctx.rulesets
    used: set[str] = set()
    for ed in rs:
        ed_used: set[str] = set()
        for cond in (ed.applies, *(c for r in ed.rules for c in (r.applies, r.when))):
            if cond is not None:
                ed_used.update(ir.facts_of(cond))
        used |= ed_used
        namespaces = {n.split(".", 1)[0] for n in ed_used}
        for i, ns in enumerate(ed.fact_namespaces):
            if ns not in namespaces:
                yield ctx.finding("unused-catalog", f"edition {ed.id} lists fact catalog "
                                  f"{ns!r} but none of its conditions reads it",
                                  ctx.span(ed, "facts", i), ed.id,
                                  hint=f"remove {ns!r} from `facts:`")
    loaded = {ed.path.resolve() for ed in rs if ed.path is not None}
    on_disk = {p.parent.resolve() for root in rs.roots for p in root.glob(f"*/{EDITION_FILE}")}
    if not on_disk <= loaded:
        ctx.skipped.add("unused-fact")
        return  # a partial load: facts may be used by the editions left out
    visible = {ns for ed in rs for ns in ed.fact_namespaces}
    for name, fact in rs.catalog.facts.items():
        if fact.namespace == RECORD_NAMESPACE or name in used:
            continue
        if fact.namespace in visible or fact.namespace == "enterprise":
            yield ctx.finding("unused-fact", f"fact {name!r} is declared but no rule uses it",
                              fact.span, name,
                              hint="remove it, or write the rule that needs it")


def case_coverage(ctx: Context) -> Iterator[Finding]:
    """no-positive-case, no-negative-case (declared in case files; `test` runs them)."""
    from hazard_rules.cases import check_case_files

    if ctx.cases is None:
        ctx.cases = check_case_files(ctx.rulesets)[0]
    cases = ctx.cases
    positive: set[str] = set()
    negative: set[str] = set()
    for case in cases:
        if case.spec.todo is None:
            positive.update(case.spec.fires)
            negative.update(case.spec.not_fires)
    for ed in ctx.rulesets:
        for rule in ed.rules:
            if rule.id not in positive:
                yield ctx.finding("no-positive-case", f"{rule.id} has no case that fires it",
                                  ctx.rule_span(rule, "id"), rule.id,
                                  hint=f"add a case with `fires: [{rule.id}]` to "
                                       f"{ed.id}/cases/")
            if rule.id not in negative:
                yield ctx.finding("no-negative-case", f"{rule.id} has no case that decides it "
                                  "FALSE", ctx.rule_span(rule, "id"), rule.id,
                                  hint=f"add a near miss with `not_fires: [{rule.id}]` to "
                                       f"{ed.id}/cases/")


def edition_gaps(ctx: Context) -> Iterator[Finding]:
    """edition-gap: a `supersedes` link whose dates leave days with no edition in force."""
    for ed in ctx.rulesets:
        old = ctx.rulesets.editions.get(ed.supersedes) if ed.supersedes else None
        if old is None or old.effective_until is None:
            continue
        day_before = ed.effective_from - dt.timedelta(days=1)
        if old.effective_until < day_before:
            gap = (ed.effective_from - old.effective_until).days - 1
            yield ctx.finding(
                "edition-gap", f"{ed.id} supersedes {old.id}, but {old.id} ends on "
                f"{old.effective_until} and {ed.id} takes effect on {ed.effective_from}: "
                f"{gap} day{'s' if gap != 1 else ''} with no edition in force",
                ctx.span(ed, "effective_from"), ed.id,
                hint=f"end {old.id} on {day_before} (or leave its effective_until out)")


ALL: tuple[Check, ...] = (conditions, equivalent_rules, unused_facts, case_coverage,
                          edition_gaps)
