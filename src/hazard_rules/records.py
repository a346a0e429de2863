"""Normalise input records: check every field against the catalog, never raise.

A record is a mapping (or a pydantic model, or a dataclass)::

    {"record_id": "R-1", "inspected_on": "2024-03-05", "source": "inspection",
     "enterprise": {"id": "E1", "name": "…", "region": "330102", "sector": "machinery",
                    "scopes": ["dust_explosion"]},
     "facts": {"dust": {"dry_collector_in_use": true}, "common.special_operators_uncertified": 0},
     "meta": {...}}

Facts may be nested by namespace or written with dotted names. A value of the
wrong type, an unknown fact or enum value becomes a :class:`RecordIssue` naming
the field; the fact is then treated as *unknown*, which keeps every verdict
sound (it holds whatever the correct value would have been).

>>> from hazard_rules import load_rulesets
>>> norm = Normaliser(load_rulesets().catalog)
>>> r = norm({"record_id": "R-1", "inspected_on": "2024-03-05",
...           "enterprise": {"sector": "machinery"},
...           "facts": {"dust": {"dry_collector_in_use": "yes", "dry_colector": True}}})
>>> r.facts["dust.dry_collector_in_use"]
True
>>> r.issues[0].field
'facts.dust.dry_colector'
>>> print(r.issues[0].message)
unknown fact 'dust.dry_colector'; did you mean 'dust.dry_collector_in_use'?
>>> norm({"record_id": "R-2", "inspected_on": "2024-03-05",
...       "facts": {"dust.dry_collector_in_use": "maybe"}}).issues[0].message
"dust.dry_collector_in_use: expected true or false, got 'maybe'"
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import math
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, SupportsFloat

from hazard_rules.model import ENTERPRISE_NAMESPACE, INSPECTED_ON, Catalog, FactDef
from hazard_rules.typesys import BoolT, DateT, EnumT, FloatT, IntT, ListT, StrT, Type
from hazard_rules.units import UNITS, convert

__all__ = ["SOURCES", "NormalRecord", "Normaliser", "RecordIssue", "coerce", "out_of_range",
           "parse_date", "source_issue", "value_issue"]

#: Where a record comes from (来源渠道).
SOURCES: dict[str, tuple[str, str]] = {
    "self_check": ("企业自查", "self-check"),
    "inspection": ("监管检查", "inspection"),
    "public_report": ("群众举报", "public report"),
    "platform": ("平台监测", "platform"),
}
ENTERPRISE_META = ("id", "name", "region", "region_name")
TOP_LEVEL = ("record_id", "inspected_on", "source", "enterprise", "facts", "meta")


@dataclass(frozen=True, slots=True)
class RecordIssue:
    """A problem with one record: a stable ``code``, the ``field`` and a message.

    ``blocking`` issues (no date, no edition) prevent judging the record.
    """

    code: str
    field: str | None
    message: str
    blocking: bool = False


@dataclass(slots=True)
class NormalRecord:
    """A record after checking: typed facts by dotted name, and its issues."""

    record_id: str | None
    inspected_on: dt.date | None
    source: str | None
    enterprise: dict[str, Any]
    facts: dict[str, Any]
    issues: list[RecordIssue] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # facts given with bad values


_QUANTITY = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([A-Za-z%_][A-Za-z%_0-9]*)?\s*$")
#: Spellings of yes/no accepted for yes/no facts (exports, checklists, CSV cells).
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "是", "有"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "否", "无"})


def _suggest(word: str, options: Any) -> str:
    return _suggest_cached(word, tuple(options))


@functools.lru_cache(maxsize=4096)
def _suggest_cached(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _is_nan(v: object) -> bool:
    return isinstance(v, float) and math.isnan(v)


class Normaliser:
    """Checks records against a catalog; one instance serves many records."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.facts = {n: f for n, f in catalog.facts.items()
                      if f.namespace != "record"}
        self.enterprise = {n.split(".", 1)[1]: f for n, f in catalog.facts.items()
                           if f.namespace == ENTERPRISE_NAMESPACE}
        self.by_namespace: dict[str, tuple[str, ...]] = {}
        for n in self.facts:
            ns = n.partition(".")[0]
            self.by_namespace[ns] = (*self.by_namespace.get(ns, ()), n)
        # facts whose well-typed values can be stored without the general check
        self._fast: dict[str, type] = {
            n: {BoolT: bool, IntT: int, FloatT: float, StrT: str}[type(f.type)]
            for n, f in catalog.facts.items() if type(f.type) in (BoolT, IntT, FloatT, StrT)
            and f.minimum is None and f.maximum is None}

    def __call__(self, raw: object, index: int | None = None) -> NormalRecord:
        rec = NormalRecord(None, None, None, {}, {})
        data = _as_mapping(raw)
        if data is None:
            rec.issues.append(RecordIssue(
                "bad-record", None, f"a record must be a mapping, not {type(raw).__name__}",
                blocking=True))
            return rec
        self._header(data, rec, index)
        ent = data.get("enterprise")
        if ent is not None:
            self._enterprise(ent, rec)
        facts = data.get("facts")
        if facts is not None:
            if isinstance(facts, Mapping):
                self._facts(facts, rec, "facts")
            else:
                rec.issues.append(RecordIssue(
                    "bad-value", "facts", f"'facts' must be a mapping, not {type(facts).__name__}"))
        for key in data:
            if key in TOP_LEVEL:
                continue
            if isinstance(key, str) and "." in key:
                self._fact(key, data[key], rec, key)  # a dotted fact at the top level
            else:
                rec.issues.append(self.unknown_field_issue(str(key)))
        if rec.inspected_on is not None:
            rec.facts[INSPECTED_ON.name] = rec.inspected_on
        return rec

    # -- record header -----------------------------------------------------------------

    def _header(self, data: Mapping[str, Any], rec: NormalRecord, index: int | None) -> None:
        rid = data.get("record_id")
        if rid is None or rid == "" or _is_nan(rid):
            rec.issues.append(RecordIssue(
                "missing-record-id", "record_id",
                "the record has no record_id" + (f" (row {index})" if index is not None else "")))
        elif isinstance(rid, str | int) and not isinstance(rid, bool):
            rec.record_id = str(rid)
        else:
            rec.issues.append(RecordIssue(
                "bad-value", "record_id", f"record_id must be text, not {type(rid).__name__}"))
        day = data.get("inspected_on")
        if day is None or day == "":
            rec.issues.append(RecordIssue(
                "missing-date", "inspected_on",
                "the record has no inspected_on date, so no edition can be chosen", blocking=True))
        else:
            parsed = _date(day)
            if parsed is None:
                rec.issues.append(RecordIssue(
                    "bad-date", "inspected_on",
                    f"inspected_on {day!r} is not a date (YYYY-MM-DD)", blocking=True))
            rec.inspected_on = parsed
        src = data.get("source")
        if src is not None:
            if src in SOURCES:
                rec.source = src
            else:
                rec.issues.append(source_issue(src))

    def _enterprise(self, ent: object, rec: NormalRecord) -> None:
        m = _as_mapping(ent)
        if m is None:
            rec.issues.append(RecordIssue(
                "bad-value", "enterprise", f"'enterprise' must be a mapping, not "
                f"{type(ent).__name__}"))
            return
        for key, value in m.items():
            if key in ENTERPRISE_META:
                if value is not None and not _is_nan(value):
                    rec.enterprise[key] = str(value)
                continue
            fact = self.enterprise.get(key)
            if fact is None:
                rec.issues.append(self.unknown_enterprise_field_issue(str(key)))
                continue
            self._store(fact, value, rec, f"enterprise.{key}")

    # -- facts -------------------------------------------------------------------------

    def _facts(self, facts: Mapping[str, Any], rec: NormalRecord, where: str) -> None:
        fast, store, known = self._fast, rec.facts, self.facts
        for raw_key, value in facts.items():
            # fast paths: a well-typed value of a scalar fact given once; an unknown value
            if type(value) is fast.get(raw_key) and raw_key not in store and (
                    type(value) is not float or math.isfinite(value)):
                store[raw_key] = value
                continue
            if value is None and raw_key in known:
                continue
            key = str(raw_key)
            if "." in key:
                self._fact(key, value, rec, f"{where}.{key}")
            elif key in self.catalog.namespaces and isinstance(value, Mapping):
                for sub, v in value.items():
                    name = f"{key}.{sub}"
                    # fast path: a well-typed value of a scalar fact, given once
                    if type(v) is fast.get(name) and name not in store and (
                            type(v) is not float or math.isfinite(v)):
                        store[name] = v
                    else:
                        self._fact(name, v, rec, f"{where}.{key}.{sub}")
            else:
                hint = _suggest(key, self.catalog.namespaces)
                rec.issues.append(RecordIssue(
                    "unknown-fact", f"{where}.{key}",
                    f"{key!r} is neither a fact catalog nor a dotted fact name" + hint))

    def _fact(self, name: str, value: object, rec: NormalRecord, where: str) -> None:
        fact = self.facts.get(name)
        if fact is None:
            rec.issues.append(self.unknown_fact_issue(name, where))
            return
        self._store(fact, value, rec, where)

    def unknown_field_issue(self, key: str) -> RecordIssue:
        """The issue for a top-level field that is not part of a record."""
        return RecordIssue("unknown-field", key, f"unknown field {key!r}"
                           + _suggest(key, TOP_LEVEL) + " (free-form data belongs under 'meta')")

    def unknown_enterprise_field_issue(self, key: str) -> RecordIssue:
        """The issue for an ``enterprise`` field that is neither metadata nor a fact."""
        return RecordIssue("unknown-field", f"enterprise.{key}",
                           f"unknown enterprise field {key!r}"
                           + _suggest(key, [*ENTERPRISE_META, *self.enterprise]))

    def unknown_fact_issue(self, name: str, where: str) -> RecordIssue:
        """The issue for a fact name that no loaded catalog declares."""
        return RecordIssue("unknown-fact", where,
                           f"unknown fact {name!r}" + self._suggest_fact(name))

    def _suggest_fact(self, name: str) -> str:
        """A did-you-mean within the fact's namespace (fast), else among namespaces."""
        namespace, _, _ = name.partition(".")
        if namespace in self.by_namespace:
            return _suggest(name, self.by_namespace[namespace])
        hint = _suggest(namespace, self.catalog.namespaces)
        return hint.replace("?", " (a catalog)?") if hint else ""

    def _store(self, fact: FactDef, value: object, rec: NormalRecord, where: str) -> None:
        if value is None or _is_nan(value):
            return  # reported as unknown
        if fact.name in rec.facts or fact.name in rec.invalid:
            rec.issues.append(RecordIssue(
                "duplicate-fact", where, f"fact {fact.name!r} is given twice"))
            return
        kind = self._fast.get(fact.name)
        vtype = type(value)
        if kind is not None and (vtype is kind or (kind is float and vtype is int)) and not (
                vtype is float and math.isinf(value)):  # type: ignore[arg-type]
            rec.facts[fact.name] = float(value) if kind is float else value  # type: ignore[arg-type]
            return
        ok, result = coerce(fact.type, value, fact.unit)
        if ok and (outside := out_of_range(fact, result)) is not None:
            ok, result = False, outside
        if ok:
            rec.facts[fact.name] = result
        else:
            rec.invalid.append(fact.name)
            rec.issues.append(value_issue(fact, result, where))


def out_of_range(fact: FactDef, value: Any) -> str | None:
    """Why ``value`` is outside the fact's declared range, or None if it is inside."""
    low, high = fact.minimum, fact.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        return (f"{value!r} is outside the allowed range "
                f"{'…' if low is None else f'{low:g}'}–{'…' if high is None else f'{high:g}'}")
    return None


def value_issue(fact: FactDef, reason: str, where: str) -> RecordIssue:
    """The issue for a value of ``fact`` that :func:`coerce` rejected with ``reason``."""
    code = "unknown-enum-value" if isinstance(fact.type, EnumT) or (
        isinstance(fact.type, ListT) and isinstance(fact.type.item, EnumT)
        and "not one of" in reason) else "bad-value"
    return RecordIssue(code, where, f"{fact.name}: {reason}")


def source_issue(src: object) -> RecordIssue:
    """The issue for a ``source`` that is not one of :data:`SOURCES`."""
    return RecordIssue("unknown-enum-value", "source", f"source {src!r} is not one of "
                       f"{', '.join(SOURCES)}" + _suggest(str(src), SOURCES))


def parse_date(value: object) -> dt.date | None:
    """A record date from a date, datetime or ISO text (None if it is none of these)."""
    return _date(value)


def _as_mapping(raw: object) -> Mapping[str, Any] | None:
    if isinstance(raw, Mapping):
        return raw
    dump = getattr(raw, "model_dump", None)  # pydantic models
    if callable(dump):
        out = dump()
        return out if isinstance(out, Mapping) else None
    if dataclasses.is_dataclass(raw) and not isinstance(raw, type):
        return dataclasses.asdict(raw)
    return None


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def coerce(t: Type, value: object, unit: str | None = None) -> tuple[bool, Any]:
    """Check ``value`` against type ``t``: ``(True, value)`` or ``(False, reason)``."""
    match t:
        case BoolT():
            if isinstance(value, bool) or type(value).__name__ == "bool_":
                return True, bool(value)
            if isinstance(value, str):  # the spellings of exports and checklists
                word = value.strip().lower()
                if word in TRUE_WORDS:
                    return True, True
                if word in FALSE_WORDS:
                    return True, False
            return False, f"expected true or false, got {value!r}"
        case IntT():
            if isinstance(value, bool):
                return False, f"expected a whole number, got {value!r}"
            if isinstance(value, int):
                return True, int(value)
            if hasattr(value, "__index__"):  # numpy integers
                return True, operator.index(value)
            if isinstance(value, float) and value.is_integer():
                return True, int(value)
            if isinstance(value, str):
                return _quantity(value, unit, integer=True)
            return False, f"expected a whole number, got {value!r}"
        case FloatT():
            if isinstance(value, bool):
                return False, f"expected a number, got {value!r}"
            if isinstance(value, int | float):
                if isinstance(value, float) and math.isinf(value):
                    return False, f"expected a finite number, got {value!r}"
                return True, float(value)
            if isinstance(value, str):
                return _quantity(value, unit, integer=False)
            if isinstance(value, SupportsFloat):  # numpy floats, Decimal
                return True, float(value)
            return False, f"expected a number, got {value!r}"
        case StrT():
            if isinstance(value, str):
                return True, value
            return False, f"expected text, got {value!r}"
        case DateT():
            d = _date(value)
            return (True, d) if d is not None else (False, f"expected a date, got {value!r}")
        case EnumT(values=values):
            if isinstance(value, str) and value in values:
                return True, value
            return False, (f"{value!r} is not one of {', '.join(values)}"
                           + _suggest(str(value), values))
        case ListT(item=item):
            tolist = getattr(value, "tolist", None)  # numpy arrays
            if callable(tolist):
                value = tolist()
            if not isinstance(value, list | tuple):
                return False, f"expected a list, got {value!r}"
            items = list(value)
            out = []
            for i, v in enumerate(items):
                if v is None or _is_nan(v):
                    return False, f"item {i} is empty; lists cannot hold unknown items"
                ok, res = coerce(item, v, unit)
                if not ok:
                    return False, f"item {i}: {res}"
                out.append(res)
            return True, tuple(out)
    raise AssertionError(t)  # pragma: no cover


def _quantity(text: str, unit: str | None, integer: bool) -> tuple[bool, Any]:
    """Parse ``"30"`` or ``"30 kPa"`` (converted into ``unit``)."""
    kind = "a whole number" if integer else "a number"
    m = _QUANTITY.match(text)
    if m is None or (m.group(2) and (unit is None or m.group(2) not in UNITS)):
        expected = f"{kind} in {unit} (or e.g. '30 {unit}')" if unit else kind
        return False, f"expected {expected}, got {text!r}"
    number, given = float(m.group(1)), m.group(2)
    if not given:
        v = number
    elif UNITS[given].dimension != UNITS[unit].dimension:  # type: ignore[index]
        return False, f"{text!r} is not a {UNITS[unit].dimension} (expected {unit})"  # type: ignore[index]
    else:
        v = convert(number, given, unit)  # type: ignore[arg-type]
    if math.isinf(v) or math.isnan(v):
        return False, f"expected a finite number, got {text!r}"
    if integer:
        if not v.is_integer():
            return False, f"{text!r} is not a whole number of {unit}"
        return True, int(v)
    return True, v
