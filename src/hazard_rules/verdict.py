"""The result for one record: status, findings with evidence, what is missing.

Verdicts are frozen dataclasses (cheap to build by the million) with a
published JSON Schema (:func:`verdict_json_schema`) and a JSON form
(:meth:`Verdict.to_dict`, :meth:`Verdict.to_json`, :meth:`Verdict.from_json`).

>>> v = Verdict(record_id="R-1", inspected_on=None, status=Status.CLEAR)
>>> v.to_dict()["status"], v.to_dict()["findings"]
('clear', [])
>>> Verdict.from_json(v.to_json()) == v
True
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

__all__ = [
    "Evidence",
    "Finding",
    "RecordIssue",
    "Status",
    "Unassessed",
    "Undetermined",
    "Verdict",
    "verdict_json_schema",
]

from hazard_rules.records import RecordIssue

JsonScalar = bool | int | float | str | None
EvidenceValue = JsonScalar | list[JsonScalar]


class Status(StrEnum):
    """A record's status.

    ``major``: some applicable rule fires (重大事故隐患). ``undetermined``: none
    fires but some cannot be decided, for missing facts or because an applicable
    clause has no official text. ``clear``: every applicable clause is decided
    and none fires. ``error``: the record could not
    be judged (no valid date, or no edition in force for it).
    """

    MAJOR = "major"
    UNDETERMINED = "undetermined"
    CLEAR = "clear"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A fact and the value it had in the record."""

    fact: str
    value: EvidenceValue
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired: the clause, its official text, and the evidence."""

    rule_id: str
    standard: str
    edition: str
    document: str
    article: str
    text: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Undetermined:
    """A rule that could neither fire nor be ruled out, and the facts it lacks."""

    rule_id: str
    edition: str
    article: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unassessed:
    """A clause of an applicable edition whose official text is not available.

    Nothing can be said about it, so a record with such clauses is never ``clear``.
    """

    edition: str
    article: str
    rule_id: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgment of one record under every applicable edition."""

    record_id: str | None
    inspected_on: dt.date | None
    status: Status
    editions: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    undetermined: tuple[Undetermined, ...] = ()
    errors: tuple[RecordIssue, ...] = ()
    unassessed: tuple[Unassessed, ...] = ()

    @property
    def is_major(self) -> bool:
        """True when the record has a major accident hazard (重大事故隐患)."""
        return self.status is Status.MAJOR

    @property
    def fired(self) -> tuple[str, ...]:
        """Ids of the rules that fired."""
        return tuple(f.rule_id for f in self.findings)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        """Every fact that some undetermined rule lacks, each once."""
        return tuple(dict.fromkeys(m for u in self.undetermined for m in u.missing))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict that validates against :func:`verdict_json_schema`."""
        return {
            "record_id": self.record_id,
            "inspected_on": self.inspected_on.isoformat() if self.inspected_on else None,
            "status": self.status.value,
            "editions": list(self.editions),
            "findings": [
                {"rule_id": f.rule_id, "standard": f.standard, "edition": f.edition,
                 "document": f.document, "article": f.article, "text": f.text,
                 "evidence": [{"fact": e.fact, "value": e.value, "unit": e.unit}
                              for e in f.evidence]}
                for f in self.findings
            ],
            "undetermined": [
                {"rule_id": u.rule_id, "edition": u.edition, "article": u.article,
                 "missing": list(u.missing)}
                for u in self.undetermined
            ],
            "errors": [
                {"code": e.code, "field": e.field, "message": e.message, "blocking": e.blocking}
                for e in self.errors
            ],
            "unassessed": [
                {"edition": u.edition, "article": u.article, "rule_id": u.rule_id}
                for u in self.unassessed
            ],
        }

    def to_json(self, **kwargs: Any) -> str:
        """JSON text (Chinese kept readable, not escaped)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, text: str | bytes) -> Verdict:
        """Parse and validate a verdict written by :meth:`to_json`."""
        from pydantic import TypeAdapter

        return TypeAdapter(cls).validate_json(text)

    def _repr_html_(self) -> str:
        """Jupyter's rich display (see :func:`hazard_rules.html.verdict_html`)."""
        from hazard_rules.html import verdict_html

        return verdict_html(self)

    def explain(self, lang: str = "zh", rulesets: Any = None) -> str:
        """A readable account of the verdict, in Chinese (``zh``) or English (``en``).

        Fact labels come from ``rulesets`` (default: the bundled rulesets).
        """
        from hazard_rules.explain import explain

        return explain(self, lang=lang, rulesets=rulesets)


@cache
def verdict_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a serialised :class:`Verdict`."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Verdict).json_schema(mode="serialization")
    # every key is always written (to_dict), so every key is required
    for node in [schema, *schema.get("$defs", {}).values()]:
        if "properties" in node:
            node["required"] = list(node["properties"])
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://hazard-rules.invalid/schemas/verdict.schema.json"
    schema["title"] = "Verdict"
    return schema
