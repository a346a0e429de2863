"""Build the flat document durable_rules matches, for one record and one edition.

Unknown facts are left out (``null`` would count as present for ``$ex``); dates
become day ordinals; list facts get a length field; derived fields carry
``left - right`` of comparisons durable cannot decide on raw fields (see
:mod:`.lower`), computed exactly as the IR says and left out when unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hazard_rules import ir
from hazard_rules.backends.rete.lower import Lowering, field_name

__all__ = ["DocumentBuilder"]


def _plain(v: Any) -> Any:
    return v.toordinal() if isinstance(v, dt.date) else v


def _number(e: ir.Expr, facts: Mapping[str, Any]) -> Any:
    """The value of a numeric or date expression (dates as ordinals); None if unknown."""
    match e:
        case ir.Const(value=const):
            return _plain(const)
        case ir.Fact(name=name):
            return _plain(facts.get(name))
        case ir.Len(operand=ir.Fact(name=name)):
            items = facts.get(name)
            return None if items is None else len(items)
        case ir.Arith(op=op, left=left, right=right):
            a, b = _number(left, facts), _number(right, facts)
            if a is None or b is None:
                return None
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return a / b  # only by a non-zero literal (the checker's rule)
    raise TypeError(f"not a numeric expression: {type(e).__name__}")  # pragma: no cover


class DocumentBuilder:
    """Turns a record's facts into the document of one compiled edition."""

    def __init__(self, fields: list[str], lowering: Lowering) -> None:
        self._fields = [(name, field_name(name)) for name in fields]
        self._lengths = [(name, field_name(name) + "__len") for name in sorted(lowering.lengths)]
        self._derived = list(lowering.derived_fields)

    def build(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        doc: dict[str, Any] = {"hr": 1}
        for name, field in self._fields:
            v = facts.get(name)
            if v is None:
                continue
            # every date travels as a day ordinal, whatever the conditions do with it
            doc[field] = [_plain(x) for x in v] if isinstance(v, tuple) else _plain(v)
        for name, field in self._lengths:
            v = facts.get(name)
            if v is not None:
                doc[field] = len(v)
        for field, left, right in self._derived:
            a, b = _number(left, facts), _number(right, facts)
            if a is not None and b is not None:
                doc[field] = a - b
        return doc
