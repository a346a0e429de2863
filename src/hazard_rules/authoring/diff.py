"""What changed between two rulesets, clause by clause, for a reviewer.

Two trees (folders of editions) are compared edition by edition, paired by edition
id. Two single editions (edition folders or ``ruleset.yaml`` files) are compared as
the old and new edition of one standard, whatever their ids, e.g. ``gongmao-2017``
with ``gongmao-2023``. A single edition against a tree is compared with the tree's
edition of the same id, or else with the one it supersedes (or that supersedes it).

Rules of two paired editions are matched in four passes, each only among the rules
the earlier passes left unmatched:

1. by id within the edition (``demo-2020/1.2`` and ``demo-2023/1.2``): a clause keeps
   its id across a routine change;
2. by article (``第一条第（二）项``), when it is unique on both sides;
3. by condition: the same :func:`~hazard_rules.authoring.normal.normal_form` of
   ``applies`` and ``when``, when unique on both sides;
4. by clause text: pairs whose official texts are at least :data:`TEXT_SIMILARITY`
   similar (``difflib`` ratio), the most similar first. A new edition often
   renumbers everything (the 2017 工贸 standard's "专项类…第1项" is 第十一条第（一）项 in
   2023), and the text is what carries over.

Within one edition (the same id on both sides) an id is the rule's identity and
always matches. Across editions a shared number proves little (coal-mine-2026 keeps
the articles of coal-mine-2020 but renumbers most items inside them), so passes 1
and 2 pair two rules only when their texts are at least :data:`RELATED_TEXT` similar
or their conditions are the same; the others go on to the next passes.

Every pair says how it was matched, so a reviewer can judge the weaker passes;
what is left is added or removed. Conditions are compared by their normal form:
a rewrite with the same meaning is reported as such, not as a change.

>>> from hazard_rules import load_rulesets
>>> rs = load_rulesets()
>>> d = diff_editions(rs.edition("gongmao-2017"), rs.edition("gongmao-2023"),
...                   rs.catalog, rs.catalog)
>>> d.counts["added"] + d.counts["changed"] + d.counts["unchanged"]
65
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from hazard_rules import ir
from hazard_rules.authoring.normal import normal_form
from hazard_rules.authoring.render import condition_text
from hazard_rules.model import Catalog, Edition, FactDef, Rule

if TYPE_CHECKING:
    from hazard_rules.authoring.verdicts import RecordsDiff

__all__ = [
    "RELATED_TEXT",
    "TEXT_SIMILARITY",
    "Change",
    "EditionDiff",
    "FactDiff",
    "RuleDiff",
    "RulesetsDiff",
    "diff_catalogs",
    "diff_editions",
    "diff_trees",
]

#: The least clause-text similarity (0..1, ``difflib.SequenceMatcher.ratio``) at which
#: two otherwise unmatched rules are paired as the old and new form of one clause.
TEXT_SIMILARITY = 0.5
#: Across editions, the least clause-text similarity at which rules with the same id or
#: article are taken for one clause (below it, the number was reused for another one).
#: Measured on the bundled editions: reused numbers score below 0.3, amended clauses
#: above 0.4 (a clause with notes appended scores about 0.4).
RELATED_TEXT = 0.35

JsonValue = str | int | list[str] | None
Status = Literal["added", "removed", "changed", "unchanged"]
MatchKind = Literal["id", "article", "condition", "text"]


@dataclass(frozen=True)
class Change:
    """One field whose old and new values differ.

    For conditions (``when``, ``applies``) the values are the source text, and
    ``same_meaning`` says the two have one normal form (a rewrite, not a change);
    ``old_readable``/``new_readable`` are the conditions with fact labels.

    >>> Change("article", "第一条", "第二条").to_dict()["new"]
    '第二条'
    """

    field: str
    old: JsonValue
    new: JsonValue
    same_meaning: bool = False
    old_readable: str | None = None
    new_readable: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        out: dict[str, Any] = {"field": self.field, "old": self.old, "new": self.new}
        if self.field in ("when", "applies"):
            out.update(same_meaning=self.same_meaning, old_readable=self.old_readable,
                       new_readable=self.new_readable)
        if isinstance(self.old, list) and isinstance(self.new, list):
            out.update(added=[x for x in self.new if x not in self.old],
                       removed=[x for x in self.old if x not in self.new])
        return out


@dataclass(frozen=True)
class RuleDiff:
    """A rule of the old edition, the new one, or both, and what changed.

    ``article``, ``text`` and ``when`` are the new rule's (the old one's when it was
    removed). ``was_missing_text`` marks an added rule for a clause that the old
    edition listed among its clauses without official text.

    >>> RuleDiff("added", None, "demo-2023/1.3", None, None, (), "第一条第（三）项",
    ...          "…", "p.x").to_dict()["status"]
    'added'
    """

    status: Status
    old_id: str | None
    new_id: str | None
    matched_by: MatchKind | None
    similarity: float | None
    changes: tuple[Change, ...]
    article: str
    text: str
    when: str
    was_missing_text: bool = False

    @property
    def id(self) -> str:
        """The new id, or the old one for a removed rule."""
        return self.new_id or self.old_id or ""

    def to_dict(self) -> dict[str, Any]:
        """The rule's diff as JSON-ready data."""
        out: dict[str, Any] = {
            "status": self.status, "old_id": self.old_id, "new_id": self.new_id,
            "matched_by": self.matched_by, "article": self.article, "text": self.text,
            "when": self.when, "changes": [c.to_dict() for c in self.changes]}
        if self.similarity is not None:
            out["similarity"] = round(self.similarity, 3)
        if self.was_missing_text:
            out["was_missing_text"] = True
        return out


@dataclass(frozen=True)
class EditionDiff:
    """Two paired editions (or one added or removed) and every rule's diff.

    >>> EditionDiff("added", None, "x-2024", (), ()).counts["added"]
    0
    """

    status: Status
    old_id: str | None
    new_id: str | None
    changes: tuple[Change, ...]
    rules: tuple[RuleDiff, ...]

    @property
    def counts(self) -> dict[str, int]:
        """How many rules were added, removed, changed and left unchanged."""
        out = dict.fromkeys(("added", "removed", "changed", "unchanged"), 0)
        for r in self.rules:
            out[r.status] += 1
        return out

    @property
    def rule_map(self) -> dict[str, str]:
        """Old rule id -> new rule id, for every matched pair."""
        return {r.old_id: r.new_id for r in self.rules if r.old_id and r.new_id}

    def to_dict(self) -> dict[str, Any]:
        """The edition's diff as JSON-ready data (unchanged rules only counted)."""
        return {"status": self.status, "old_id": self.old_id, "new_id": self.new_id,
                "counts": self.counts, "changes": [c.to_dict() for c in self.changes],
                "rules": [r.to_dict() for r in self.rules if r.status != "unchanged"]}


@dataclass(frozen=True)
class FactDiff:
    """A fact of the catalogs that was added, removed or changed (type, unit, values,
    labels...). ``type`` and ``label`` are the new fact's (the old one's if removed).

    >>> FactDiff("added", "plant.x", "bool", "某事实", ()).to_dict()["name"]
    'plant.x'
    """

    status: Status
    name: str
    type: str
    label: str
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        """The fact's diff as JSON-ready data."""
        return {"status": self.status, "name": self.name, "type": self.type,
                "label": self.label, "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True)
class RulesetsDiff:
    """The whole comparison: editions, fact catalogs and, optionally, records.

    ``mode`` is ``"editions"`` when two single editions were compared (records are
    then judged by each edition whatever their date) and ``"trees"`` otherwise
    (records are judged by the editions in force on their dates).

    >>> RulesetsDiff("a", "b", "trees", (), ()).differs
    False
    """

    old: str
    new: str
    mode: Literal["trees", "editions"]
    editions: tuple[EditionDiff, ...]
    facts: tuple[FactDiff, ...]
    records: RecordsDiff | None = None

    @property
    def differs(self) -> bool:
        """Whether anything differs: an edition, a rule, a fact, or a record's verdict."""
        return (any(e.status != "unchanged" for e in self.editions) or bool(self.facts)
                or (self.records is not None and bool(self.records.changed)))

    @property
    def rule_counts(self) -> dict[str, int]:
        """Rules added, removed, changed and unchanged, over every edition."""
        total = dict.fromkeys(("added", "removed", "changed", "unchanged"), 0)
        for e in self.editions:
            for k, n in e.counts.items():
                total[k] += n
        return total

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready data (the ``--format json`` output)."""
        facts = dict.fromkeys(("added", "removed", "changed"), 0)
        for f in self.facts:
            facts[f.status] += 1
        return {
            "old": self.old, "new": self.new, "mode": self.mode, "differs": self.differs,
            "summary": {
                "editions": {k: sum(e.status == k for e in self.editions)
                             for k in ("added", "removed", "changed", "unchanged")},
                "rules": self.rule_counts, "facts": facts,
                "records": self.records.summary() if self.records is not None else None},
            "editions": [e.to_dict() for e in self.editions],
            "facts": [f.to_dict() for f in self.facts],
            "records": self.records.to_dict() if self.records is not None else None,
        }


# -- rules ------------------------------------------------------------------------------


def _squash(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def _local(rule_id: str) -> str:
    return rule_id.split("/", 1)[-1]


def _condition_change(name: str, old: ir.Expr | None, new: ir.Expr | None,
                      old_src: str | None, new_src: str | None,
                      old_cat: Catalog, new_cat: Catalog) -> Change | None:
    old_nf = normal_form(old) if old is not None else None
    new_nf = normal_form(new) if new is not None else None
    a, b = _squash(old_src), _squash(new_src)
    if old_nf == new_nf and a == b:
        return None
    return Change(name, a, b, same_meaning=old_nf == new_nf,
                  old_readable=condition_text(old, old_cat) if old is not None else None,
                  new_readable=condition_text(new, new_cat) if new is not None else None)


def _rule_changes(o: Rule, n: Rule, old_cat: Catalog, new_cat: Catalog) -> tuple[Change, ...]:
    changes: list[Change] = []
    if o.article != n.article:
        changes.append(Change("article", o.article, n.article))
    if o.text != n.text:
        changes.append(Change("text", o.text, n.text))
    for c in (_condition_change("applies", o.applies, n.applies, o.applies_source,
                                n.applies_source, old_cat, new_cat),
              _condition_change("when", o.when, n.when, o.when_source, n.when_source,
                                old_cat, new_cat)):
        if c is not None:
            changes.append(c)
    old_facts, new_facts = sorted(o.facts), sorted(n.facts)
    if old_facts != new_facts:
        changes.append(Change("facts", old_facts, new_facts))
    if o.tags != n.tags:
        changes.append(Change("tags", list(o.tags), list(n.tags)))
    if _squash(o.notes) != _squash(n.notes):
        changes.append(Change("notes", _squash(o.notes), _squash(n.notes)))
    return tuple(changes)


def _unique_pairs(old: Sequence[Rule], new: Sequence[Rule],
                  key: Callable[[Rule], str | None]) -> list[tuple[Rule, Rule]]:
    """Pairs with equal keys, where the key is unique on both sides."""

    def index(rules: Sequence[Rule]) -> dict[str, Rule]:
        seen: dict[str, list[Rule]] = {}
        for r in rules:
            k = key(r)
            if k is not None:
                seen.setdefault(k, []).append(r)
        return {k: rs[0] for k, rs in seen.items() if len(rs) == 1}

    a, b = index(old), index(new)
    return [(a[k], b[k]) for k in a if k in b]


def _condition_key(r: Rule) -> str:
    applies = normal_form(r.applies) if r.applies is not None else ""
    return f"{applies}|{normal_form(r.when)}"


def _text_pairs(old: Sequence[Rule], new: Sequence[Rule]
                ) -> list[tuple[Rule, Rule, float]]:
    scored: list[tuple[float, int, int]] = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            m = difflib.SequenceMatcher(None, o.text, n.text, autojunk=False)
            if m.real_quick_ratio() >= TEXT_SIMILARITY and m.quick_ratio() >= TEXT_SIMILARITY:
                ratio = m.ratio()
                if ratio >= TEXT_SIMILARITY:
                    scored.append((-ratio, i, j))
    scored.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for neg, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((old[i], new[j], -neg))
    return pairs


def _related(o: Rule, n: Rule) -> bool:
    if _condition_key(o) == _condition_key(n):
        return True
    m = difflib.SequenceMatcher(None, o.text, n.text, autojunk=False)
    return m.quick_ratio() >= RELATED_TEXT and m.ratio() >= RELATED_TEXT


def match_rules(old: Sequence[Rule], new: Sequence[Rule], *, same_edition: bool = False
                ) -> list[tuple[Rule, Rule, MatchKind, float | None]]:
    """Pair the rules of two editions: by id, article, condition, then clause text.

    ``same_edition``: the two are versions of one edition, whose ids always match.

    >>> from hazard_rules import ir
    >>> from hazard_rules.typesys import BOOL
    >>> def rule(rid: str, article: str, text: str, fact: str) -> Rule:
    ...     return Rule(rid, rid.split("/")[0], article, text, ir.Fact(fact, BOOL), None,
    ...                 (), None, 0, fact, None)
    >>> old = [rule("a-2017/1.1.1", "专项类第1项", "未设置报警装置。", "p.alarm_2017")]
    >>> new = [rule("a-2023/3.1", "第三条第（一）项", "未设置报警装置的；", "p.alarm")]
    >>> [(o.id, n.id, how, round(score or 0, 2)) for o, n, how, score in match_rules(old, new)]
    [('a-2017/1.1.1', 'a-2023/3.1', 'text', 0.82)]
    """
    pairs: list[tuple[Rule, Rule, MatchKind, float | None]] = []
    left, right = list(old), list(new)

    def take(found: Iterable[tuple[Rule, Rule]], how: MatchKind,
             score: Mapping[tuple[str, str], float] | None = None) -> None:
        nonlocal left, right
        done_old, done_new = set(), set()
        for o, n in found:
            pairs.append((o, n, how, score[(o.id, n.id)] if score else None))
            done_old.add(o.id)
            done_new.add(n.id)
        left = [r for r in left if r.id not in done_old]
        right = [r for r in right if r.id not in done_new]

    def numbered(found: list[tuple[Rule, Rule]]) -> list[tuple[Rule, Rule]]:
        return found if same_edition else [(o, n) for o, n in found if _related(o, n)]

    take(numbered(_unique_pairs(left, right, lambda r: _local(r.id))), "id")
    take(numbered(_unique_pairs(left, right, lambda r: "".join(r.article.split()))), "article")
    take(_unique_pairs(left, right, _condition_key), "condition")
    scored = _text_pairs(left, right)
    take([(o, n) for o, n, _ in scored], "text", {(o.id, n.id): s for o, n, s in scored})
    return pairs


# -- editions ---------------------------------------------------------------------------


def _date(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def _facts_used(ed: Edition) -> list[str]:
    names: set[str] = set()
    if ed.applies is not None:
        names.update(ir.facts_of(ed.applies))
    for r in ed.rules:
        names.update(r.facts)
    return sorted(names)


def _missing(ed: Edition) -> list[str]:
    return [m.article + (f" [{m.id}]" if m.id else "") for m in ed.missing_text]


def _edition_changes(o: Edition, n: Edition, old_cat: Catalog,
                     new_cat: Catalog) -> list[Change]:
    changes: list[Change] = []
    fields: list[tuple[str, JsonValue, JsonValue]] = [
        ("standard", o.standard, n.standard), ("title", o.title, n.title),
        ("title_en", o.title_en, n.title_en), ("document", o.document, n.document),
        ("issuer", o.issuer, n.issuer),
        ("published_on", _date(o.published_on), _date(n.published_on)),
        ("effective_from", _date(o.effective_from), _date(n.effective_from)),
        ("effective_until", _date(o.effective_until), _date(n.effective_until)),
        ("supersedes", o.supersedes, n.supersedes), ("source", o.source, n.source),
        ("clauses", o.clauses, n.clauses),
    ]
    changes.extend(Change(name, a, b) for name, a, b in fields if a != b)
    applies = _condition_change("applies", o.applies, n.applies, o.applies_source,
                                n.applies_source, old_cat, new_cat)
    if applies is not None:
        changes.append(applies)
    lists: list[tuple[str, list[str], list[str]]] = [
        ("fact_catalogs", list(o.fact_namespaces), list(n.fact_namespaces)),
        ("facts_used", _facts_used(o), _facts_used(n)),
        ("missing_text", _missing(o), _missing(n)),
    ]
    changes.extend(Change(name, a, b) for name, a, b in lists if a != b)
    if _squash(o.notes) != _squash(n.notes):
        changes.append(Change("notes", _squash(o.notes), _squash(n.notes)))
    return changes


def _lone(rule: Rule, status: Status, was_missing: bool = False) -> RuleDiff:
    old, new = (rule.id, None) if status == "removed" else (None, rule.id)
    return RuleDiff(status, old, new, None, None, (), rule.article, rule.text,
                    _squash(rule.when_source) or "", was_missing)


def diff_editions(old: Edition, new: Edition, old_catalog: Catalog,
                  new_catalog: Catalog) -> EditionDiff:
    """Compare two editions (usually of one standard): metadata and every rule.

    Rules come in the new edition's order, then the removed ones in the old order.
    See the module documentation for how rules are matched.
    """
    pairs = match_rules(old.rules, new.rules, same_edition=old.id == new.id)
    by_new = {n.id: (o, n, how, score) for o, n, how, score in pairs}
    matched_old = {o.id for o, _, _, _ in pairs}
    missing_ids = {m.id for m in old.missing_text if m.id}
    missing_articles = {"".join(m.article.split()) for m in old.missing_text}
    rules: list[RuleDiff] = []
    for n in new.rules:
        if n.id in by_new:
            o, _, how, score = by_new[n.id]
            changes = _rule_changes(o, n, old_catalog, new_catalog)
            rules.append(RuleDiff("changed" if changes else "unchanged", o.id, n.id, how,
                                  score, changes, n.article, n.text,
                                  _squash(n.when_source) or ""))
        else:
            was_missing = (old.id + "/" + _local(n.id)) in missing_ids or \
                "".join(n.article.split()) in missing_articles
            rules.append(_lone(n, "added", was_missing))
    rules.extend(_lone(o, "removed") for o in old.rules if o.id not in matched_old)
    changes = tuple(_edition_changes(old, new, old_catalog, new_catalog))
    differs = changes or any(r.status != "unchanged" for r in rules) or old.id != new.id
    return EditionDiff("changed" if differs else "unchanged", old.id, new.id, changes,
                       tuple(rules))


def _whole(ed: Edition, status: Status) -> EditionDiff:
    rules = tuple(_lone(r, status) for r in ed.rules)
    old, new = (ed.id, None) if status == "removed" else (None, ed.id)
    return EditionDiff(status, old, new, (), rules)


def diff_trees(old: Iterable[Edition], new: Iterable[Edition], old_catalog: Catalog,
               new_catalog: Catalog) -> tuple[EditionDiff, ...]:
    """Compare two sets of editions, paired by edition id; the others are added or
    removed. In the new tree's order, then the removed editions.

    >>> import datetime as dt
    >>> ed = Edition("a-2023", "a", "示例标准", "示例〔2023〕1号", dt.date(2023, 5, 15), None, ())
    >>> none = Catalog({}, {})
    >>> [(e.status, e.old_id, e.new_id) for e in diff_trees([ed], [], none, none)]
    [('removed', 'a-2023', None)]
    """
    old_by_id = {e.id: e for e in old}
    out: list[EditionDiff] = []
    seen: set[str] = set()
    for ed in new:
        seen.add(ed.id)
        if ed.id in old_by_id:
            out.append(diff_editions(old_by_id[ed.id], ed, old_catalog, new_catalog))
        else:
            out.append(_whole(ed, "added"))
    out.extend(_whole(ed, "removed") for eid, ed in old_by_id.items() if eid not in seen)
    return tuple(out)


# -- fact catalogs ----------------------------------------------------------------------


def _fact_fields(f: FactDef) -> dict[str, JsonValue]:
    def num(x: float | None) -> str | None:
        return None if x is None else repr(x)

    return {
        "type": str(f.type), "unit": f.unit, "label_zh": f.label_zh, "label_en": f.label_en,
        "description_zh": _squash(f.description_zh), "description_en": _squash(f.description_en),
        "values": sorted(f.value_labels),
        "value_labels": sorted(f"{k}: {zh} / {en}" for k, (zh, en) in f.value_labels.items()),
        "compliant": None if f.compliant is None else str(f.compliant).lower()
        if isinstance(f.compliant, bool) else str(f.compliant),
        "minimum": num(f.minimum), "maximum": num(f.maximum),
    }


def diff_catalogs(old: Catalog, new: Catalog) -> tuple[FactDiff, ...]:
    """Facts added, removed or changed between two fact catalogs, by name.

    >>> from hazard_rules.typesys import BOOL
    >>> old = Catalog({"p.x": FactDef("p.x", BOOL, "已设置报警装置", "Alarm")}, {})
    >>> new = Catalog({"p.x": FactDef("p.x", BOOL, "已设置报警装置", "Alarm installed")}, {})
    >>> [(f.name, c.field, c.new) for f in diff_catalogs(old, new) for c in f.changes]
    [('p.x', 'label_en', 'Alarm installed')]
    """
    out: list[FactDiff] = []
    for name in sorted(set(old.facts) | set(new.facts)):
        a, b = old.get(name), new.get(name)
        if a is None:
            assert b is not None
            out.append(FactDiff("added", name, str(b.type), b.label_zh, ()))
        elif b is None:
            out.append(FactDiff("removed", name, str(a.type), a.label_zh, ()))
        else:
            fa, fb = _fact_fields(a), _fact_fields(b)
            changes = tuple(Change(k, fa[k], fb[k]) for k in fa if fa[k] != fb[k])
            if changes:
                out.append(FactDiff("changed", name, str(b.type), b.label_zh, changes))
    return tuple(out)
