"""Pydantic models of the YAML files: editions, fact catalogs and cases.

These check the *shape* of the files (keys, types, identifiers). Conditions are
kept as strings here; the compiler parses and type-checks them later. Unknown
keys are errors, so a misspelt ``whne:`` is caught rather than ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

__all__ = [
    "CaseFileSpec",
    "CaseSpec",
    "CatalogSpec",
    "EditionSpec",
    "FactSpec",
    "Labels",
    "MissingClauseSpec",
    "RuleSpec",
    "ValueSpec",
]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
RuleId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*/[0-9]+(\.[0-9]+)*[a-z]?$")
]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Labels(_Model):
    """A Chinese and an English text."""

    zh: NonEmpty
    en: NonEmpty


class ValueSpec(_Model):
    """One allowed value of an enum fact, with its labels."""

    zh: NonEmpty
    en: NonEmpty


class ItemSpec(_Model):
    """The item type of a list fact."""

    type: Literal["bool", "int", "float", "str", "date", "enum"]
    unit: str | None = None
    values: dict[Ident, ValueSpec] | None = None


class FactSpec(_Model):
    """One fact of a catalog.

    ``compliant`` is the value that means "no deficiency" (a bool, an enum value or
    a number); with the closed-world option (``missing="false"``) an unreported
    fact takes this value.
    """

    type: Literal["bool", "int", "float", "str", "date", "enum", "list"]
    label: Labels
    description: Labels | None = None
    unit: str | None = None
    values: dict[Ident, ValueSpec] | None = None
    items: ItemSpec | None = None
    compliant: bool | int | float | str | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FactSpec:
        if self.type == "enum" and not self.values:
            raise ValueError("an enum fact needs 'values'")
        if self.type != "enum" and self.values is not None:
            raise ValueError("'values' is only for enum facts")
        if self.type == "list" and self.items is None:
            raise ValueError("a list fact needs 'items'")
        if self.type != "list" and self.items is not None:
            raise ValueError("'items' is only for list facts")
        if self.unit is not None and self.type not in ("int", "float"):
            raise ValueError("'unit' is only for int and float facts")
        if (self.min is not None or self.max is not None) and self.type not in ("int", "float"):
            raise ValueError("'min' and 'max' are only for int and float facts")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' is above 'max'")
        c = self.compliant
        if c is not None:
            ok = {"bool": isinstance(c, bool),
                  "int": isinstance(c, int) and not isinstance(c, bool),
                  "float": isinstance(c, int | float) and not isinstance(c, bool),
                  "enum": isinstance(c, str) and c in (self.values or {})}.get(self.type, False)
            if not ok:
                raise ValueError(f"'compliant: {c!r}' is not a compliant value of a "
                                 f"{self.type} fact (bool: true/false; enum: one of its "
                                 "values; int/float: a number)")
        if self.items is not None and self.items.type == "enum" and not self.items.values:
            raise ValueError("an enum item type needs 'values'")
        return self


class CatalogSpec(_Model):
    """A fact catalog file (``rulesets/facts/<namespace>.yaml``)."""

    namespace: Ident
    label: Labels
    description: Labels | None = None
    facts: dict[Ident, FactSpec]


class RuleSpec(_Model):
    """The machine form of one clause."""

    id: RuleId
    article: NonEmpty
    text: NonEmpty
    when: NonEmpty
    applies: NonEmpty | None = None
    tags: list[NonEmpty] = Field(default_factory=list)
    notes: str | None = None


class MissingClauseSpec(_Model):
    """A clause known to exist whose official text we do not hold."""

    id: RuleId | None = None
    article: NonEmpty
    note: str | None = None


class EditionSpec(_Model):
    """An edition file (``rulesets/<edition>/ruleset.yaml``)."""

    id: Slug
    standard: Slug
    title: NonEmpty
    title_en: NonEmpty | None = None
    document: NonEmpty
    issuer: NonEmpty | None = None
    published_on: dt.date | None = None
    effective_from: dt.date
    effective_until: dt.date | None = None
    supersedes: Slug | None = None
    source: NonEmpty | None = None
    applies: NonEmpty | None = None
    facts: list[Ident] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)
    missing_text: list[MissingClauseSpec] = Field(default_factory=list)
    clauses: int | None = Field(default=None, ge=0)
    notes: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> EditionSpec:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise ValueError("effective_until is before effective_from")
        return self


class CaseSpec(_Model):
    """One test record with the exact rules that must fire and must not."""

    name: NonEmpty
    description: str | None = None
    record: dict[str, Any]
    fires: list[RuleId] = Field(default_factory=list)
    not_fires: list[RuleId] = Field(default_factory=list)
    not_applicable: list[RuleId] = Field(default_factory=list)
    undetermined: list[RuleId] | None = None
    status: Literal["major", "undetermined", "clear", "error"] | None = None
    missing: Literal["unknown", "false"] = "unknown"
    todo: str | None = None


class CaseFileSpec(_Model):
    """A case file (``rulesets/<edition>/cases/*.yaml``)."""

    cases: list[CaseSpec]
