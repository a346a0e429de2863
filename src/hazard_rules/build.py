"""Build the checked runtime model from ruleset files.

``load_rulesets`` is the entry point: it discovers the files, validates their
shape, parses and type-checks every condition against the fact catalogs, checks
the editions against each other, and either returns :class:`Rulesets` or raises
:class:`RulesetError` carrying *every* problem found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import itertools
import os
from collections.abc import Iterable
from pathlib import Path

from hazard_rules import ir
from hazard_rules.errors import Diagnostic, RulesetError, Severity, SourceFile, Span
from hazard_rules.lang.checker import Scope, check
from hazard_rules.lang.parser import ConditionSyntaxError, parse
from hazard_rules.model import (
    ENTERPRISE_NAMESPACE,
    INSPECTED_ON,
    RECORD_NAMESPACE,
    Catalog,
    Edition,
    FactDef,
    MissingClause,
    NamespaceInfo,
    Rule,
    Rulesets,
)
from hazard_rules.spec.load import (
    RulesetFiles,
    discover,
    load_files,
    read_document,
    validate_document,
)
from hazard_rules.spec.models import CatalogSpec, EditionSpec, FactSpec, ItemSpec, RuleSpec
from hazard_rules.spec.yamlspans import Path as YPath
from hazard_rules.spec.yamlspans import YamlDocument
from hazard_rules.typesys import BOOL, DATE, STR, EnumT, FloatT, IntT, ListT, Type
from hazard_rules.units import UNITS

__all__ = ["bundled_rulesets_path", "compile_condition", "load_rulesets"]


def bundled_rulesets_path() -> Path:
    """The folder of the rulesets shipped with the package.

    In an installed wheel they live in ``hazard_rules/rulesets``; in a source
    checkout (editable install) in the repository's ``rulesets/`` folder.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "rulesets", here.parent.parent / "rulesets"):
        if (candidate / "facts").is_dir():
            return candidate
    raise FileNotFoundError("the bundled rulesets are missing from this installation")


def load_rulesets(
    *paths: str | os.PathLike[str], bundled: bool | None = None
) -> Rulesets:
    """Load, check and return rulesets.

    With no paths, the bundled rulesets are loaded. With paths (rulesets roots,
    edition folders or ``ruleset.yaml`` files), only those are loaded, unless
    ``bundled=True`` adds the bundled ones (e.g. for local rules that reuse the
    bundled fact catalogs). Raises :class:`~hazard_rules.errors.RulesetError`
    listing every problem (with file, line and column) if anything is invalid.

    >>> rs = load_rulesets()
    >>> "gongmao-2023" in rs.editions
    True
    """
    rulesets, diags = load_rulesets_with_diagnostics(*paths, bundled=bundled)
    if rulesets is None:
        raise RulesetError(diags)
    return rulesets


def load_rulesets_with_diagnostics(
    *paths: str | os.PathLike[str], bundled: bool | None = None
) -> tuple[Rulesets | None, list[Diagnostic]]:
    """Like :func:`load_rulesets` but returns ``(rulesets or None, diagnostics)``.

    Warnings do not prevent loading; any error does.
    """
    roots = [Path(p) for p in paths]
    if not roots or bundled:
        roots.insert(0, bundled_rulesets_path())
    files, diags = discover(roots)
    builder = _Builder(files)
    rulesets = builder.build()
    diags.extend(builder.diagnostics)
    diags.sort(key=_position)
    if any(d.severity is Severity.ERROR for d in diags):
        return None, diags
    return rulesets, diags


def _position(d: Diagnostic) -> tuple[str, int]:
    """Sort key: file, then offset (diagnostics without a span first in their file)."""
    if d.span is None:
        return (d.file or "", -1)
    return (d.span.source.name, d.span.start)


def _fact_type(name: str, spec: FactSpec | ItemSpec) -> Type:
    match spec.type:
        case "bool":
            return BOOL
        case "int":
            return IntT(spec.unit)
        case "float":
            return FloatT(spec.unit)
        case "str":
            return STR
        case "date":
            return DATE
        case "enum":
            assert spec.values is not None
            return EnumT(name, tuple(spec.values))
        case "list":
            assert isinstance(spec, FactSpec)
            assert spec.items is not None
            return ListT(_fact_type(name, spec.items))
    raise AssertionError(spec.type)  # pragma: no cover


def compile_condition(
    text: str,
    scope: Scope,
    doc: YamlDocument | None = None,
    path: YPath = (),
) -> tuple[ir.Expr | None, list[Diagnostic]]:
    """Parse and type-check one condition; diagnostics point into ``doc`` at ``path``."""

    def span(start: int, end: int) -> Span:
        if doc is None:
            return Span(SourceFile("<condition>", text), start, max(end, start))
        return doc.string_span(path, start, max(end, start + 1))

    try:
        tree = parse(text)
    except ConditionSyntaxError as exc:
        return None, [Diagnostic(exc.code, exc.message, span(exc.start, exc.end), hint=exc.hint)]
    expr, problems = check(tree, scope)
    return expr, [
        Diagnostic(p.code, p.message, span(p.start, p.end), hint=p.hint) for p in problems
    ]


class _Builder:
    def __init__(self, files: RulesetFiles) -> None:
        self.files = files
        self.diagnostics: list[Diagnostic] = []
        self.broken: frozenset[str] = frozenset()
        self.broken_facts: set[str] = set()

    def error(self, code: str, message: str, doc: YamlDocument, path: YPath,
              hint: str | None = None, key: bool = False,
              severity: Severity = Severity.ERROR) -> None:
        span = doc.key_span(path) if key else doc.span(path)
        self.diagnostics.append(Diagnostic(code, message, span, severity=severity, hint=hint))

    # -- catalogs ----------------------------------------------------------------------

    def catalog(self) -> Catalog:
        loaded, diags = load_files(self.files.catalogs, CatalogSpec)
        self.diagnostics.extend(diags)
        ok = {item.path for item in loaded}
        # a catalog with errors: remember its namespace so that its facts are not
        # reported a second time as unknown wherever they are used
        self.broken = frozenset(p.stem for p in self.files.catalogs if p not in ok)
        facts: dict[str, FactDef] = {INSPECTED_ON.name: INSPECTED_ON}
        namespaces: dict[str, NamespaceInfo] = {
            RECORD_NAMESPACE: NamespaceInfo(RECORD_NAMESPACE, "检查记录", "inspection record")
        }
        for item in loaded:
            spec, doc = item.spec, item.doc
            ns = spec.namespace
            if item.path.stem != ns:
                self.error("catalog-name", f"catalog file {item.path.name} declares namespace "
                           f"{ns!r}", doc, ("namespace",), hint=f"rename it to {ns}.yaml")
            if ns in namespaces:
                self.error("duplicate-namespace", f"namespace {ns!r} is defined twice", doc,
                           ("namespace",))
                continue
            namespaces[ns] = NamespaceInfo(ns, spec.label.zh, spec.label.en, item.path)
            for fname, fspec in spec.facts.items():
                name = f"{ns}.{fname}"
                units = [u for u in (fspec.unit, fspec.items.unit if fspec.items else None) if u]
                bad = [u for u in units if u not in UNITS]
                for u in bad:
                    close = difflib.get_close_matches(u, list(UNITS), n=1, cutoff=0.5)
                    self.error("unknown-unit", f"unknown unit {u!r} for fact {name!r}", doc,
                               ("facts", fname, "unit") if fspec.unit == u
                               else ("facts", fname, "items", "unit"),
                               hint=f"did you mean {close[0]!r}?" if close else
                               "known units: " + ", ".join(UNITS))
                if bad:
                    self.broken_facts.add(name)
                    continue
                values = fspec.values or (fspec.items.values if fspec.items else None) or {}
                facts[name] = FactDef(
                    name=name,
                    type=_fact_type(name, fspec),
                    label_zh=fspec.label.zh,
                    label_en=fspec.label.en,
                    description_zh=fspec.description.zh if fspec.description else None,
                    description_en=fspec.description.en if fspec.description else None,
                    unit=fspec.unit or (fspec.items.unit if fspec.items else None),
                    compliant=float(fspec.compliant) if fspec.type == "float"
                    and fspec.compliant is not None else fspec.compliant,
                    value_labels={k: (v.zh, v.en) for k, v in values.items()},
                    minimum=fspec.min, maximum=fspec.max,
                    span=doc.key_span(("facts", fname)),
                )
        return Catalog(facts, namespaces)

    # -- editions ----------------------------------------------------------------------

    def build(self) -> Rulesets | None:
        catalog = self.catalog()
        editions: dict[str, Edition] = {}
        docs: dict[str, YamlDocument] = {}
        for path in self.files.editions:
            doc = read_document(path)
            self.diagnostics.extend(doc.diagnostics)
            ed = self.edition(path, doc, catalog)
            if ed is None:
                continue
            if ed.id in editions:
                self.error("duplicate-edition", f"edition {ed.id!r} is defined twice ("
                           f"also in {editions[ed.id].path})", doc, ("id",))
                continue
            editions[ed.id] = ed
            docs[ed.id] = doc
        editions = self.link_editions(editions, docs)
        editions = dict(sorted(editions.items(), key=lambda kv: (kv[1].standard,
                                                                 kv[1].effective_from)))
        return Rulesets(editions, catalog, tuple(self.files.roots))

    def edition(self, path: Path, doc: YamlDocument, catalog: Catalog) -> Edition | None:
        """Check one edition file. The header and each rule are validated separately, so
        that one malformed rule does not hide the problems of the others."""
        data = doc.data
        if not isinstance(data, dict):
            spec, problems = validate_document(doc, EditionSpec)
            self.diagnostics.extend(problems)
            return None
        raw_rules = data.get("rules", [])
        spec, problems = validate_document(
            doc, EditionSpec, {k: v for k, v in data.items() if k != "rules"})
        self.diagnostics.extend(problems)
        before = len(self.diagnostics)
        if not isinstance(raw_rules, list):
            self.error("schema", "rules: must be a list of rules", doc, ("rules",))
            raw_rules = []
        rule_specs: list[tuple[int, RuleSpec]] = []
        seen: dict[str, int] = {}
        for i, raw in enumerate(raw_rules):
            rid = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(rid, str):
                if rid in seen:
                    self.error("duplicate-rule", f"rule id {rid!r} is used twice", doc,
                               ("rules", i, "id"), hint=f"first used by rule #{seen[rid] + 1}")
                seen.setdefault(rid, i)
            rs, problems = validate_document(doc, RuleSpec, raw, ("rules", i))
            self.diagnostics.extend(problems)
            if rs is not None:
                rule_specs.append((i, rs))
        namespaces = spec.facts if spec else [
            n for n in data.get("facts", []) if isinstance(n, str)] if isinstance(
            data.get("facts"), list) else []
        edition_id = spec.id if spec else str(data.get("id", ""))
        if spec is not None and path.parent.name != spec.id:
            self.error("edition-folder", f"edition {spec.id!r} is in folder "
                       f"{path.parent.name!r}", doc, ("id",),
                       hint=f"the folder of an edition is named after its id "
                       f"({spec.id}/ruleset.yaml)")
        visible = {ENTERPRISE_NAMESPACE, RECORD_NAMESPACE, *namespaces}
        for i, ns in enumerate(namespaces):
            if ns not in catalog.namespaces and ns not in self.broken:
                close = difflib.get_close_matches(ns, list(catalog.namespaces), n=1)
                self.error("unknown-catalog", f"unknown fact catalog {ns!r}", doc, ("facts", i),
                           hint=f"did you mean {close[0]!r}?" if close else
                           "catalogs live in rulesets/facts/<namespace>.yaml")
        scope = Scope(
            facts={n: f.type for n, f in catalog.facts.items() if f.namespace in visible},
            elsewhere={n: f.namespace for n, f in catalog.facts.items()
                       if f.namespace not in visible},
            broken=self.broken | frozenset(self.broken_facts),
        )
        applies = self.condition(spec.applies if spec else None, scope, doc, ("applies",))
        rules: list[Rule] = []
        for i, rs in rule_specs:
            rpath: YPath = ("rules", i)
            if edition_id and not rs.id.startswith(edition_id + "/"):
                self.error("rule-id", f"rule id {rs.id!r} does not start with the edition id "
                           f"{edition_id + '/'!r}", doc, (*rpath, "id"))
            when = self.condition(rs.when, scope, doc, (*rpath, "when"))
            rule_applies = self.condition(rs.applies, scope, doc, (*rpath, "applies"))
            if when is None or (rs.applies is not None and rule_applies is None):
                continue
            rules.append(Rule(
                id=rs.id, edition_id=edition_id, article=rs.article, text=rs.text, when=when,
                applies=rule_applies, tags=tuple(rs.tags), notes=rs.notes, index=len(rules),
                when_source=rs.when, applies_source=rs.applies, span=doc.span(rpath),
            ))
        if spec is None:
            return None
        for i, m in enumerate(spec.missing_text):
            if m.id is not None and m.id in seen:
                self.error("missing-text-conflict", f"clause {m.id!r} is listed as missing text "
                           "but also has a rule", doc, ("missing_text", i, "id"))
        if len(rules) != len(raw_rules) or any(
                d.severity is Severity.ERROR for d in self.diagnostics[before:]):
            return None
        return Edition(
            id=spec.id, standard=spec.standard, title=spec.title, title_en=spec.title_en,
            document=spec.document, issuer=spec.issuer, published_on=spec.published_on,
            effective_from=spec.effective_from, effective_until=spec.effective_until,
            supersedes=spec.supersedes, source=spec.source, applies=applies,
            applies_source=spec.applies, fact_namespaces=tuple(spec.facts),
            rules=tuple(rules),
            missing_text=tuple(MissingClause(m.article, m.id, m.note) for m in spec.missing_text),
            clauses=spec.clauses, notes=spec.notes, path=path.parent, span=doc.span(()),
        )

    def condition(self, text: str | None, scope: Scope, doc: YamlDocument,
                  path: YPath) -> ir.Expr | None:
        if text is None:
            return None
        expr, diags = compile_condition(text, scope, doc, path)
        self.diagnostics.extend(diags)
        return expr

    def link_editions(self, editions: dict[str, Edition],
                      docs: dict[str, YamlDocument]) -> dict[str, Edition]:
        """Check supersedes links and date overlaps; infer open end dates from successors."""
        out = dict(editions)
        for ed in editions.values():
            if ed.supersedes is None or ed.supersedes not in editions:
                continue
            old = editions[ed.supersedes]
            doc = docs[ed.id]
            if old.standard != ed.standard:
                self.error("supersedes", f"{ed.id!r} supersedes {old.id!r}, which belongs to "
                           f"standard {old.standard!r}, not {ed.standard!r}", doc, ("supersedes",))
                continue
            last_day = ed.effective_from - dt.timedelta(days=1)
            if old.effective_until is None:
                out[old.id] = dataclasses.replace(out[old.id], effective_until=last_day)
            elif old.effective_until >= ed.effective_from:
                self.error("edition-overlap", f"{old.id!r} is in force until "
                           f"{old.effective_until}, after {ed.id!r} takes effect on "
                           f"{ed.effective_from}", doc, ("effective_from",))
        by_std: dict[str, list[Edition]] = {}
        for ed in out.values():
            by_std.setdefault(ed.standard, []).append(ed)
        for eds in by_std.values():
            eds.sort(key=lambda e: e.effective_from)
            for a, b in itertools.pairwise(eds):
                if a.effective_until is None or a.effective_until >= b.effective_from:
                    self.error("edition-overlap", f"editions {a.id!r} and {b.id!r} of standard "
                               f"{a.standard!r} are both in force on {b.effective_from}",
                               docs[b.id], ("effective_from",),
                               hint=f"set 'supersedes: {a.id}' or an effective_until on {a.id}")
        return out


def iter_case_files(rulesets: Rulesets) -> Iterable[Path]:
    """The case files beside each loaded edition."""
    for ed in rulesets:
        if ed.path is not None:
            d = ed.path / "cases"
            if d.is_dir():
                yield from sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml"))
