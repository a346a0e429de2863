"""Lower typed IR to polars expressions, three-valued.

A boolean IR node becomes a nullable ``Boolean`` expression (null is UNKNOWN);
polars' ``&``, ``|`` and ``~`` are Kleene operators and comparisons, ``is_in``
and list operations propagate nulls, which is exactly the reference semantics.
Every other node becomes a typed value expression (null when unknown).

Quantifiers are evaluated with ``list.eval``, which sees only the list's items:
a condition on each item may use the item and literals, nothing else; anything
else is rejected when the edition is compiled (never evaluated some other way).
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from typing import Any

import polars as pl

from hazard_rules import ir
from hazard_rules.logic import FALSE, TRUE, UNKNOWN
from hazard_rules.typesys import BoolT, DateT, ListT

__all__ = ["Unsupported", "truth", "value"]


class Unsupported(Exception):
    """The IR uses a construct the columnar backend cannot express."""

    def __init__(self, construct: str, why: str) -> None:
        super().__init__(f"{construct}: {why}")
        self.construct = construct
        self.why = why


def _lit(v: Any) -> pl.Expr:
    if isinstance(v, dt.date):
        return pl.lit(v, dtype=pl.Date)
    return pl.lit(v)


def value(e: ir.Expr, item: str | None = None) -> pl.Expr:
    """A value expression (null when unknown); ``item`` names a quantifier's variable."""
    match e:
        case ir.Const(value=v):
            if isinstance(v, tuple):
                raise Unsupported("list literal", "only allowed on the right of 'in'")
            return _lit(v)
        case ir.Fact(name=name):
            if item is not None:
                raise Unsupported("quantifier", "the condition on each item may only use "
                                  "the item and literals")
            return pl.col(name)
        case ir.Var(name=name) if name == item:
            return pl.element()
        case ir.Len(operand=o):
            return value(o, item).list.len().cast(pl.Int64)
        case ir.Arith(op=op, left=left, right=right):
            a, b = value(left, item), value(right, item)
            if op == "-" and isinstance(left.type, DateT):
                return (a - b).dt.total_days()
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return a / b
    if isinstance(e.type, BoolT):
        return truth(e, item)
    raise Unsupported(type(e).__name__, "not a value")  # pragma: no cover


def _compare(op: str, a: pl.Expr, b: pl.Expr) -> pl.Expr:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _count_compare(op: str, lo: pl.Expr, hi: pl.Expr, bound: pl.Expr) -> pl.Expr:
    """Vectorised :func:`hazard_rules.logic.count_compare` (TRUE/FALSE/None)."""
    yes, no = pl.lit(True), pl.lit(False)
    none = pl.lit(None, dtype=pl.Boolean)
    if op == ">=":
        out = pl.when(lo >= bound).then(yes).when(hi < bound).then(no)
    elif op == ">":
        out = pl.when(lo > bound).then(yes).when(hi <= bound).then(no)
    elif op == "<=":
        out = pl.when(hi <= bound).then(yes).when(lo > bound).then(no)
    elif op == "<":
        out = pl.when(hi < bound).then(yes).when(lo >= bound).then(no)
    elif op == "==":
        exact = (lo == hi) & (lo == bound)
        out = pl.when(exact).then(yes).when((bound < lo) | (bound > hi)).then(no)
    else:
        exact = (lo == hi) & (lo == bound)
        out = pl.when(exact).then(no).when((bound < lo) | (bound > hi)).then(yes)
    return pl.when(bound.is_null()).then(none).otherwise(out.otherwise(none))


def truth(e: ir.Expr, item: str | None = None) -> pl.Expr:
    """A nullable Boolean expression: True, False or null (UNKNOWN)."""
    match e:
        case ir.Const(value=v):
            return pl.lit(bool(v))
        case ir.Fact():
            return value(e, item)  # a yes/no fact is its own truth
        case ir.Var(name=name) if name == item:
            return value(e, item)
        case ir.Not(operand=o):
            return ~truth(o, item)
        case ir.And(operands=ops):
            return reduce(lambda a, b: a & b, (truth(o, item) for o in ops))
        case ir.Or(operands=ops):
            return reduce(lambda a, b: a | b, (truth(o, item) for o in ops))
        case ir.Known(operand=o):
            return value(o, item).is_not_null()
        case ir.Compare(op=op, left=left, right=right):
            return _compare(op, value(left, item), value(right, item))
        case ir.Member(item=it, collection=ir.Const(value=values)):
            assert isinstance(values, tuple)
            return value(it, item).is_in(pl.lit(list(values)))
        case ir.Member(item=it, collection=coll):
            needle, hay = value(it, item), value(coll, item)
            return pl.when(needle.is_null()).then(pl.lit(None, dtype=pl.Boolean)).otherwise(
                hay.list.contains(needle))
        case ir.CountCompare(op=op, operands=ops, bound=bound):
            tvs = [truth(o, item) for o in ops]
            lo = pl.sum_horizontal([t.fill_null(False).cast(pl.Int32) for t in tvs])
            unknown = pl.sum_horizontal([t.is_null().cast(pl.Int32) for t in tvs])
            return _count_compare(op, lo, lo + unknown, value(bound, item))
        case ir.Quantifier(kind=kind, var=var, collection=coll, body=body):
            if item is not None:
                raise Unsupported("quantifier", "nested quantifiers")
            if not isinstance(coll.type, ListT):  # pragma: no cover - the checker's rule
                raise Unsupported("quantifier", "over a list only")
            items = value(coll)
            each = items.list.eval(truth(body, var))
            return each.list.any() if kind == "any" else each.list.all()
    raise Unsupported(type(e).__name__, "not a condition")  # pragma: no cover


def status(edition_ok: pl.Expr | None, applies: pl.Expr | None, when: pl.Expr) -> pl.Expr:
    """A rule's status: FALSE 0, UNKNOWN 1, TRUE 2, NOT_APPLICABLE 3 (as Int8)."""
    parts = [p for p in (edition_ok, applies) if p is not None]
    combined = reduce(lambda a, b: a & b, [*parts, when])
    # TRUE 2, FALSE 0 from the boolean, UNKNOWN 1 where it is null: one pass, no branches
    out = combined.cast(pl.Int8).mul(TRUE - FALSE).add(FALSE).fill_null(UNKNOWN)
    if applies is not None:
        out = pl.when(applies.eq(False)).then(pl.lit(3, dtype=pl.Int8)).otherwise(out)
    return out
