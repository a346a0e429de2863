"""The loaded rulesets: fact catalogs, editions and rules, ready for the backends.

These are plain frozen objects built from the validated YAML (see
:mod:`hazard_rules.build`); conditions are typed IR. Backends and the engine
depend on this module, never on the YAML or pydantic layer.

>>> rs = load_rulesets()                      # doctest: +SKIP
>>> rs.edition("gongmao-2023").rule("gongmao-2023/11.3").article   # doctest: +SKIP
'第十一条第（三）项'
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hazard_rules import ir
from hazard_rules.errors import NoEditionError, Span
from hazard_rules.typesys import DATE, Type

__all__ = [
    "RECORD_NAMESPACE",
    "Catalog",
    "Edition",
    "FactDef",
    "MissingClause",
    "Rule",
    "Rulesets",
]

#: Facts of the record itself (not of a catalog file), visible to every edition.
RECORD_NAMESPACE = "record"
#: The catalog of enterprise attributes, visible to every edition.
ENTERPRISE_NAMESPACE = "enterprise"


@dataclass(frozen=True)
class FactDef:
    """One fact: its dotted name, type, labels, and the value that means compliant."""

    name: str
    type: Type
    label_zh: str
    label_en: str
    description_zh: str | None = None
    description_en: str | None = None
    unit: str | None = None
    compliant: bool | int | float | str | None = None
    value_labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    span: Span | None = None
    minimum: float | None = None  # the allowed range of a number, both ends included
    maximum: float | None = None

    @property
    def namespace(self) -> str:
        return self.name.split(".", 1)[0]

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def value_label(self, value: object, lang: str = "zh") -> str:
        """A readable form of ``value`` (enum labels, 是/否, units)."""
        if isinstance(value, bool):
            return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
        if isinstance(value, str) and value in self.value_labels:
            zh, en = self.value_labels[value]
            return zh if lang == "zh" else en
        if isinstance(value, list | tuple):
            sep = "、" if lang == "zh" else ", "
            return sep.join(self.value_label(v, lang) for v in value) if value else (
                "无" if lang == "zh" else "none")
        if isinstance(value, dt.date):
            return value.isoformat()
        if self.unit is not None:
            return f"{value} {self.unit}"
        return str(value)


INSPECTED_ON = FactDef(
    name="record.inspected_on",
    type=DATE,
    label_zh="检查日期",
    label_en="date of inspection",
)


@dataclass(frozen=True)
class NamespaceInfo:
    name: str
    label_zh: str
    label_en: str
    path: Path | None = None


@dataclass(frozen=True)
class Catalog:
    """Every fact of the loaded catalogs, by dotted name."""

    facts: Mapping[str, FactDef]
    namespaces: Mapping[str, NamespaceInfo]

    def __contains__(self, name: object) -> bool:
        return name in self.facts

    def __getitem__(self, name: str) -> FactDef:
        return self.facts[name]

    def get(self, name: str) -> FactDef | None:
        return self.facts.get(name)

    def in_namespaces(self, namespaces: Sequence[str]) -> dict[str, FactDef]:
        wanted = set(namespaces)
        return {n: f for n, f in self.facts.items() if f.namespace in wanted}


@dataclass(frozen=True)
class MissingClause:
    """A clause of the standard whose official text we do not hold (never invented)."""

    article: str
    id: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Rule:
    """The machine form of one clause.

    ``applies`` and ``when`` are typed IR; ``text`` is the official clause text,
    verbatim. ``index`` is the rule's position in its edition.
    """

    id: str
    edition_id: str
    article: str
    text: str
    when: ir.Expr
    applies: ir.Expr | None
    tags: tuple[str, ...]
    notes: str | None
    index: int
    when_source: str
    applies_source: str | None
    span: Span | None = None

    def _repr_html_(self) -> str:
        """Jupyter's rich display (see :func:`hazard_rules.html.rule_html`)."""
        from hazard_rules.html import rule_html

        return rule_html(self)

    @property
    def facts(self) -> dict[str, Type]:
        """The facts this rule's ``applies`` and ``when`` refer to."""
        out = dict(ir.facts_of(self.applies)) if self.applies is not None else {}
        out.update(ir.facts_of(self.when))
        return out


@dataclass(frozen=True)
class Edition:
    """One edition of a standard, with its dates, applicability and rules."""

    id: str
    standard: str
    title: str
    document: str
    effective_from: dt.date
    effective_until: dt.date | None
    rules: tuple[Rule, ...]
    applies: ir.Expr | None = None
    applies_source: str | None = None
    title_en: str | None = None
    issuer: str | None = None
    published_on: dt.date | None = None
    supersedes: str | None = None
    source: str | None = None
    fact_namespaces: tuple[str, ...] = ()
    missing_text: tuple[MissingClause, ...] = ()
    clauses: int | None = None
    notes: str | None = None
    path: Path | None = None
    span: Span | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {r.id: r for r in self.rules})

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; raises KeyError."""
        return self._by_id[rule_id]  # type: ignore[attr-defined,no-any-return]

    def _repr_html_(self) -> str:
        """Jupyter's rich display: the edition and its rules as a table."""
        from hazard_rules.html import edition_html

        return edition_html(self)

    def in_force(self, on: dt.date) -> bool:
        """True when the edition is in force on ``on`` (both ends inclusive)."""
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    @property
    def period(self) -> str:
        until = self.effective_until.isoformat() if self.effective_until else "…"
        return f"{self.effective_from.isoformat()}–{until}"


@dataclass(frozen=True)
class Rulesets:
    """A loaded, checked set of editions and the fact catalog they share.

    Obtain one with :func:`hazard_rules.load_rulesets`.
    """

    editions: Mapping[str, Edition]
    catalog: Catalog
    roots: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        by_std: dict[str, list[Edition]] = {}
        for e in self.editions.values():
            by_std.setdefault(e.standard, []).append(e)
        for eds in by_std.values():
            eds.sort(key=lambda e: e.effective_from)
        object.__setattr__(self, "_by_standard", by_std)
        object.__setattr__(
            self, "_starts", {s: [e.effective_from for e in eds] for s, eds in by_std.items()}
        )
        rules = {r.id: r for e in self.editions.values() for r in e.rules}
        object.__setattr__(self, "_rules", rules)

    def __iter__(self) -> Iterator[Edition]:
        return iter(self.editions.values())

    def __len__(self) -> int:
        return len(self.editions)

    def _repr_html_(self) -> str:
        """Jupyter's rich display: one row per edition."""
        from hazard_rules.html import rulesets_html

        return rulesets_html(self)

    def __repr__(self) -> str:
        ids = ", ".join(self.editions)
        n = sum(len(e.rules) for e in self)
        return f"<Rulesets {len(self)} editions, {n} rules: {ids}>"

    def edition(self, edition_id: str) -> Edition:
        """The edition with this id; raises KeyError naming the loaded ones."""
        try:
            return self.editions[edition_id]
        except KeyError:
            raise KeyError(
                f"no edition {edition_id!r}; loaded: {', '.join(self.editions)}"
            ) from None

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id, in any edition; raises KeyError."""
        try:
            return self._rules[rule_id]  # type: ignore[attr-defined,no-any-return]
        except KeyError:
            raise KeyError(f"no rule {rule_id!r}") from None

    @property
    def standards(self) -> dict[str, tuple[Edition, ...]]:
        """Each standard's editions, oldest first."""
        return {s: tuple(e) for s, e in self._by_standard.items()}  # type: ignore[attr-defined]

    def edition_for(self, standard: str, on: dt.date) -> Edition:
        """The edition of ``standard`` in force on ``on``; raises :class:`NoEditionError`.

        Use :meth:`had_edition` to tell a gap in the loaded editions from a date on
        which the standard did not exist.
        """
        found = self._find(standard, on)
        if found is None:
            raise NoEditionError(standard, on, self._describe(standard))
        return found

    def _find(self, standard: str, on: dt.date) -> Edition | None:
        eds: list[Edition] = self._by_standard.get(standard, [])  # type: ignore[attr-defined]
        starts: list[dt.date] = self._starts.get(standard, [])  # type: ignore[attr-defined]
        i = bisect.bisect_right(starts, on) - 1
        if i >= 0 and eds[i].in_force(on):
            return eds[i]
        return None

    def had_edition(self, standard: str, on: dt.date) -> bool:
        """Whether some edition of ``standard`` was in force on ``on``, loaded or not.

        Before the first loaded edition, only if that edition ``supersedes`` an earlier
        one (which is not loaded); after the last, unless it ended without a successor
        (an explicit ``effective_until``); in a gap between loaded editions, yes.
        """
        eds: list[Edition] = self._by_standard.get(standard, [])  # type: ignore[attr-defined]
        if not eds:
            return False
        if on < eds[0].effective_from:
            return eds[0].supersedes is not None
        last = eds[-1]
        return last.effective_until is None or on <= last.effective_until

    def _describe(self, standard: str) -> str:
        eds = self._by_standard.get(standard, [])  # type: ignore[attr-defined]
        return ", ".join(f"{e.id} ({e.period})" for e in eds) or "none"
