"""A browsable rule catalog: an index of editions and one page per edition, each
rule with its official text, readable condition, facts and cases.

:func:`catalog_pages` builds the pages as plain data (:class:`EditionPage`);
:mod:`~hazard_rules.authoring.docs_md` and :mod:`~hazard_rules.authoring.docs_html`
format them, and :func:`write_docs` writes the files. The output depends only on
the rulesets (no dates, no absolute paths), so the same rulesets give
byte-identical files.

An edition's status comes from the rulesets' dates alone: *superseded* when a
loaded edition supersedes it (or another edition of its standard follows it),
*ended* when it has an end date and no successor, else *in force*. With
``as_of``, an edition that starts later is *not yet in force* and one that ended
before is superseded or ended on that day.

>>> from hazard_rules import bundled_rulesets_path, load_rulesets
>>> root = bundled_rulesets_path()
>>> pages = catalog_pages(load_rulesets(root / "gongmao-2017", root / "gongmao-2023"))
>>> [(p.id, p.status, p.superseded_by, len(p.rules)) for p in pages]
[('gongmao-2017', 'superseded', 'gongmao-2023', 59), ('gongmao-2023', 'in force', None, 65)]
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hazard_rules.authoring.render import Part, condition_tree, unit_text
from hazard_rules.model import Catalog, Edition, Rule, Rulesets
from hazard_rules.typesys import EnumT, ListT

__all__ = [
    "FORMATS",
    "WORDS",
    "CaseRef",
    "EditionPage",
    "FactRow",
    "RuleEntry",
    "catalog_pages",
    "rule_anchor",
    "write_docs",
]

FORMATS = ("md", "html")
#: enum facts with more values than this list only how many they have
_MAX_VALUES = 12
_SAFE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: The words of the pages, by language (statuses and expectations are keys too).
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "catalog": "重大事故隐患判定规则目录",
        "summary": "{} 个版本，{} 项标准，{} 条规则，{} 个条款缺少官方条文。",
        "edition": "版本", "standard": "标准", "title": "名称", "title_en": "英文名称",
        "document": "文号",
        "issuer": "发布机关", "published": "发布日期", "period": "施行期间", "status": "状态",
        "supersedes": "替代", "superseded_by": "被替代", "clauses": "条款数",
        "rules": "规则", "no_text": "缺条文", "cases": "案例", "catalogs": "事实目录",
        "applies": "适用条件", "notes": "说明", "text": "条文", "condition": "判定条件",
        "source": "条件表达式", "tags": "标签", "facts": "事实", "fact": "事实",
        "label": "中文名称", "label_en": "英文名称", "type": "类型", "detail": "单位或取值",
        "case": "案例", "expects": "预期", "where": "位置", "back": "返回目录",
        "article": "条款", "rule": "规则", "missing": "缺少官方条文的条款",
        "none": "无", "unknown": "未知", "clause_count": "{}（规则 {} 条，缺条文 {} 条）",
        "in force": "现行", "superseded": "已被替代", "ended": "已失效",
        "not yet in force": "尚未施行", "fires": "触发", "does not fire": "不触发",
        "not applicable": "不适用", "undetermined": "无法判定",
    },
    "en": {
        "catalog": "Rule catalog of major-accident-hazard judgment standards",
        "summary": "{} editions of {} standards, {} rules, {} clauses without official text.",
        "edition": "Edition", "standard": "Standard", "title": "Title",
        "title_en": "Title (en)", "document": "Document",
        "issuer": "Issuer", "published": "Published", "period": "In force", "status": "Status",
        "supersedes": "Supersedes", "superseded_by": "Superseded by", "clauses": "Clauses",
        "rules": "Rules", "no_text": "No text", "cases": "Cases", "catalogs": "Fact catalogs",
        "applies": "Applies when", "notes": "Notes", "text": "Official text",
        "condition": "Condition", "source": "Source", "tags": "Tags", "facts": "Facts",
        "fact": "Fact", "label": "Label (zh)", "label_en": "Label (en)", "type": "Type",
        "detail": "Unit or values", "case": "Case", "expects": "Expects", "where": "Where",
        "back": "All editions", "article": "Article", "rule": "Rule",
        "missing": "Clauses without official text", "none": "none", "unknown": "unknown",
        "clause_count": "{} ({} rules, {} without text)", "in force": "in force",
        "superseded": "superseded", "ended": "ended", "not yet in force": "not yet in force",
        "fires": "fires", "does not fire": "does not fire", "not applicable": "not applicable",
        "undetermined": "undetermined",
    },
}


@dataclass(frozen=True)
class CaseRef:
    """A case that names a rule: its name, what it expects of the rule (``fires``,
    ``does not fire``, ``not applicable``, ``undetermined``) and where it is
    (relative to the rulesets folder).

    >>> CaseRef("alarm-ok", "does not fire", "demo-2023/cases/cases.yaml", 4).where
    'demo-2023/cases/cases.yaml:4'
    """

    name: str
    expects: str
    file: str
    line: int

    @property
    def where(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class FactRow:
    """A fact a rule uses, for the rule's facts table.

    >>> FactRow("plant.x", "某事实", "Some fact", "bool", "").name
    'plant.x'
    """

    name: str
    label_zh: str
    label_en: str
    type: str
    detail: str  # unit, or the allowed values of an enum


@dataclass(frozen=True)
class RuleEntry:
    """One rule as the catalog shows it.

    >>> RuleEntry("x-2024/1", "第一条", "条文", None, "p.x", "「x」", None, (), None,
    ...           (), ()).anchor
    'rule-1'
    """

    id: str
    article: str
    text: str
    applies_source: str | None
    when_source: str
    when: Part
    applies: Part | None
    tags: tuple[str, ...]
    notes: str | None
    facts: tuple[FactRow, ...]
    cases: tuple[CaseRef, ...]

    @property
    def anchor(self) -> str:
        """The rule's anchor on its edition page."""
        return rule_anchor(self.id)


@dataclass(frozen=True)
class EditionPage:
    """One edition as the catalog shows it: metadata, status, rules, missing clauses.

    ``missing_text`` holds ``(article, rule id or "", note or "")`` per clause whose
    official text is not available; ``cases`` is how many cases the edition's own
    ``cases/`` folder holds (as ``hazard-rules coverage`` counts them).
    """

    id: str
    standard: str
    title: str
    title_en: str | None
    document: str
    issuer: str | None
    published_on: str | None
    effective_from: str
    effective_until: str | None
    status: str
    supersedes: str | None
    superseded_by: str | None
    clauses: int | None
    fact_namespaces: tuple[str, ...]
    applies_source: str | None
    applies: Part | None
    notes: str | None
    rules: tuple[RuleEntry, ...]
    missing_text: tuple[tuple[str, str, str], ...]
    cases: int

    @property
    def period(self) -> str:
        """``2023-05-15–…``: both ends included, ``…`` for no end."""
        return f"{self.effective_from}–{self.effective_until or '…'}"


def rule_anchor(rule_id: str) -> str:
    """The HTML/Markdown anchor of a rule on its edition page.

    >>> rule_anchor("gongmao-2023/11.3")
    'rule-11.3'
    """
    return "rule-" + rule_id.split("/", 1)[-1]


def _fact_rows(rule: Rule, catalog: Catalog, lang: str) -> tuple[FactRow, ...]:
    rows = []
    for name in sorted(rule.facts):
        f = catalog.get(name)
        if f is None:  # pragma: no cover - a checked rule only uses catalog facts
            rows.append(FactRow(name, "", "", "", ""))
            continue
        detail = unit_text(f.unit, lang)
        base = f.type.item if isinstance(f.type, ListT) else f.type
        if isinstance(base, EnumT):
            values = list(base.values)
            detail = (f"{len(values)} values" if len(values) > _MAX_VALUES else ", ".join(
                f"{v} {f.value_label(v, lang)}" for v in values))
        type_name = str(f.type).replace(f"enum {name}", "enum")
        rows.append(FactRow(name, f.label_zh, f.label_en, type_name, detail))
    return tuple(rows)


def _cases(rulesets: Rulesets) -> tuple[dict[str, list[CaseRef]], dict[str, int]]:
    """The cases that name each rule, and how many cases each edition's folder holds."""
    from hazard_rules.cases import check_case_files

    cases, _ = check_case_files(rulesets, [])
    out: dict[str, list[CaseRef]] = {}
    counts: dict[str, int] = {}
    for case in cases:
        spec, ed = case.spec, case.edition
        counts[ed.id] = counts.get(ed.id, 0) + 1
        span = case.doc.span(case.path)
        path = Path(span.source.name)
        try:  # relative to the rulesets folder: no absolute paths in the output
            rel = path.relative_to(ed.path.parent).as_posix() if ed.path else path.name
        except ValueError:
            rel = path.name
        for key, expects in (("fires", "fires"), ("not_fires", "does not fire"),
                             ("not_applicable", "not applicable"),
                             ("undetermined", "undetermined")):
            for rid in getattr(spec, key) or []:
                out.setdefault(rid, []).append(CaseRef(spec.name, expects, rel, span.line))
    return out, counts


def _status(ed: Edition, successor: Edition | None, as_of: dt.date | None) -> str:
    if as_of is not None and as_of < ed.effective_from:
        return "not yet in force"
    ended = ed.effective_until is not None and (as_of is None or as_of > ed.effective_until)
    if successor is not None and (as_of is None or as_of >= successor.effective_from):
        return "superseded"
    return "ended" if ended else "in force"


def catalog_pages(rulesets: Rulesets, lang: str = "zh",
                  as_of: dt.date | None = None) -> tuple[EditionPage, ...]:
    """The catalog's pages, one per edition, in the rulesets' order (by standard, then
    date). Conditions are rendered with fact labels in ``lang`` (``zh`` or ``en``)."""
    if lang not in WORDS:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    cases, counts = _cases(rulesets)
    catalog = rulesets.catalog
    successors: dict[str, Edition] = {}
    for eds in rulesets.standards.values():
        for i, ed in enumerate(eds):
            later = [e for e in eds if e.supersedes == ed.id] or list(eds[i + 1:i + 2])
            if later:
                successors[ed.id] = later[0]
    pages = []
    for ed in rulesets:
        if not _SAFE_ID.match(ed.id):  # pragma: no cover - the schema allows only slugs
            raise ValueError(f"edition id {ed.id!r} cannot name a file")
        rules = tuple(RuleEntry(
            id=r.id, article=r.article, text=r.text, applies_source=r.applies_source,
            when_source=r.when_source, when=condition_tree(r.when, catalog, lang),
            applies=condition_tree(r.applies, catalog, lang) if r.applies else None,
            tags=r.tags, notes=r.notes, facts=_fact_rows(r, catalog, lang),
            cases=tuple(sorted(cases.get(r.id, []), key=lambda c: (c.file, c.line))),
        ) for r in ed.rules)
        successor = successors.get(ed.id)
        pages.append(EditionPage(
            id=ed.id, standard=ed.standard, title=ed.title, title_en=ed.title_en,
            document=ed.document, issuer=ed.issuer,
            published_on=ed.published_on.isoformat() if ed.published_on else None,
            effective_from=ed.effective_from.isoformat(),
            effective_until=ed.effective_until.isoformat() if ed.effective_until else None,
            status=_status(ed, successor, as_of), supersedes=ed.supersedes,
            superseded_by=successor.id if successor else None, clauses=ed.clauses,
            fact_namespaces=ed.fact_namespaces, applies_source=ed.applies_source,
            applies=condition_tree(ed.applies, catalog, lang) if ed.applies else None,
            notes=ed.notes, rules=rules,
            missing_text=tuple((m.article, m.id or "", m.note or "") for m in ed.missing_text),
            cases=counts.get(ed.id, 0),
        ))
    return tuple(pages)


def write_docs(out: str | os.PathLike[str], rulesets: Rulesets,
               formats: Sequence[str] = FORMATS, lang: str = "zh",
               as_of: dt.date | None = None) -> list[Path]:
    """Write the catalog into the folder ``out`` (created if needed): ``index.md`` and
    ``<edition>.md`` for ``md``, ``index.html`` and ``<edition>.html`` for ``html``.
    Other files in ``out`` are left alone. Returns the paths written, in order.

    >>> import tempfile
    >>> from hazard_rules.model import Catalog
    >>> empty = Rulesets({}, Catalog({}, {}))
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [p.name for p in write_docs(out, empty)]
    ['index.md', 'index.html']
    """
    from hazard_rules.authoring import docs_html, docs_md

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; use {' or '.join(FORMATS)}")
    pages = catalog_pages(rulesets, lang, as_of)
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    known = {p.id for p in pages}
    written: list[Path] = []
    for fmt in FORMATS:
        if fmt not in formats:
            continue
        module = docs_md if fmt == "md" else docs_html
        files = [("index", module.index_page(pages, lang))]
        files.extend((p.id, module.edition_page(p, known, lang)) for p in pages)
        for name, text in files:
            path = root / f"{name}.{fmt}"
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written
