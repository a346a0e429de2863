"""Lower typed IR to durable_rules conditions (its JSON form), three-valued.

durable_rules is two-valued: a condition matches a document or it does not, and a
comparison on an absent field does not match. So each boolean IR node is lowered
to a pair ``(T, F)``: a condition that matches exactly when the node is TRUE and
one that matches exactly when it is FALSE. UNKNOWN is what neither matches.
``not`` swaps the pair; ``and``/``or`` combine them by De Morgan.

Measured quirks this module guards against (see the package docstring):

- durable compares a field with a *literal* only: a comparison of two fields of
  one document (``{"$gt": {"x": {"m": "y"}}}``, what ``m.x > m.y`` in its DSL
  produces) and any arithmetic (``$add``, ``$mul``...) match every document. A
  comparison whose sides are not one fact and one literal is therefore lowered to
  a *derived field* holding ``left - right``, computed exactly when the document
  is built (omitted when unknown), and durable decides its comparison with zero
  (for finite numbers ``a - b < 0`` exactly when ``a < b``);
- ``null`` counts as present for ``$ex``; unknown facts are left out instead;
- ``$iall`` over an empty list is false: emptiness is tested on a derived length
  field (``<field>__len``).

A construct durable_rules cannot express raises :class:`Unsupported`, which the
backend turns into a :class:`~hazard_rules.errors.CompileError` naming the rule.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hazard_rules import ir
from hazard_rules.typesys import BoolT, DateT, ListT

__all__ = ["NEVER", "Cond", "Lowering", "Unsupported", "field_name"]

Cond = dict[str, Any] | None  # a durable condition; None never matches
NEVER: Cond = None
ALWAYS: dict[str, Any] = {}  # no constraint (combined with the document anchor)

_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_DURABLE_OP = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_ITEM = "$i"  # durable's name for the current item inside $iany / $iall
MAX_SUBSETS = 64  # count_true lowering enumerates subsets; beyond this it is rejected


class Unsupported(Exception):
    """The IR uses a construct durable_rules cannot express."""

    def __init__(self, construct: str, why: str) -> None:
        super().__init__(f"{construct}: {why}")
        self.construct = construct
        self.why = why


def field_name(fact: str) -> str:
    """The document field of a fact: dots become double underscores."""
    return fact.replace(".", "__")


def _and(parts: list[Cond]) -> Cond:
    if any(p is None for p in parts):
        return NEVER
    real = [p for p in parts if p]
    if not real:
        return ALWAYS
    return real[0] if len(real) == 1 else {"$and": real}


def _or(parts: list[Cond]) -> Cond:
    if any(p == ALWAYS for p in parts):
        return ALWAYS
    real = [p for p in parts if p is not None]
    if not real:
        return NEVER
    return real[0] if len(real) == 1 else {"$or": real}


class Lowering:
    """Lowers the conditions of one edition; records which derived fields it needs."""

    def __init__(self) -> None:
        self.lengths: set[str] = set()  # list facts whose length the document must carry
        self.dates: set[str] = set()  # date facts sent as ordinals
        #: derived fields (name, left, right): the document carries left - right
        self.derived_fields: list[tuple[str, ir.Expr, ir.Expr]] = []
        self._derived_names: dict[tuple[str, str], str] = {}
        self._item_var: str | None = None

    # -- values ------------------------------------------------------------------------

    def literal(self, e: ir.Expr) -> Any:
        """The durable form of a literal (dates as ordinals)."""
        assert isinstance(e, ir.Const)
        if isinstance(e.value, tuple):
            raise Unsupported("list literal", "only allowed on the right of 'in'")
        return e.value.toordinal() if isinstance(e.value, dt.date) else e.value

    def field(self, e: ir.Expr) -> str | None:
        """The document field holding ``e``, if ``e`` is a fact, a length or the item."""
        match e:
            case ir.Fact(name=name, type=t):
                if isinstance(t, DateT):
                    self.dates.add(name)
                return field_name(name)
            case ir.Len(operand=ir.Fact(name=name)):
                self.lengths.add(name)
                return field_name(name) + "__len"
            case ir.Var(name=name) if name == self._item_var:
                return _ITEM
        return None

    def derived(self, left: ir.Expr, right: ir.Expr) -> str:
        """A derived field holding ``left - right`` (numbers, or dates as day ordinals)."""
        if self._item_var is not None:
            raise Unsupported("computed comparison on list items",
                              "durable compares each item only with literals")
        for e in (left, right):
            for n in ir.walk(e):
                if isinstance(n, ir.Fact) and isinstance(n.type, DateT):
                    self.dates.add(n.name)
                if isinstance(n, ir.Len) and isinstance(n.operand, ir.Fact):
                    self.lengths.add(n.operand.name)
                if isinstance(n, ir.Quantifier | ir.Var):
                    raise Unsupported("comparison", "a computed side uses a list item")
        key = (ir.dump(left), ir.dump(right))
        if key not in self._derived_names:
            name = f"d{len(self.derived_fields)}"
            self._derived_names[key] = name
            self.derived_fields.append((name, left, right))
        return self._derived_names[key]

    # -- conditions --------------------------------------------------------------------

    def lower(self, e: ir.Expr) -> tuple[Cond, Cond]:
        """``(T, F)``: conditions matching exactly when ``e`` is TRUE, resp. FALSE."""
        match e:
            case ir.Const(value=v):
                return (ALWAYS, NEVER) if v else (NEVER, ALWAYS)
            case ir.Fact(name=name):
                fld = field_name(name)
                return {fld: True}, {fld: False}
            case ir.Var(name=name) if name == self._item_var:
                return {_ITEM: True}, {_ITEM: False}
            case ir.Not(operand=o):
                t, f = self.lower(o)
                return f, t
            case ir.And(operands=ops):
                pairs = [self.lower(o) for o in ops]
                return _and([t for t, _ in pairs]), _or([f for _, f in pairs])
            case ir.Or(operands=ops):
                pairs = [self.lower(o) for o in ops]
                return _or([t for t, _ in pairs]), _and([f for _, f in pairs])
            case ir.Known(operand=ir.Fact(name=name)):
                known = field_name(name)
                return {"$ex": {known: 1}}, {"$nex": {known: 1}}
            case ir.Compare(op=op, left=left, right=right) if isinstance(left.type, BoolT):
                return self._bool_equality(op, left, right)
            case ir.Compare(op=op, left=left, right=right):
                return self._compare(op, left, right)
            case ir.Member(item=item, collection=coll):
                return self._member(item, coll)
            case ir.CountCompare(op=op, operands=ops, bound=bound):
                return self._count(op, ops, bound)
            case ir.Quantifier(kind=kind, var=var, collection=coll, body=body):
                return self._quantifier(kind, var, coll, body)
        raise Unsupported(type(e).__name__, "not expressible as a durable_rules condition")

    def _bool_equality(self, op: str, left: ir.Expr, right: ir.Expr) -> tuple[Cond, Cond]:
        lt, lf = self.lower(left)
        rt, rf = self.lower(right)
        same = _or([_and([lt, rt]), _and([lf, rf])])
        differ = _or([_and([lt, rf]), _and([lf, rt])])
        return (same, differ) if op == "==" else (differ, same)

    def _compare(self, op: str, left: ir.Expr, right: ir.Expr) -> tuple[Cond, Cond]:
        lf, rf = self.field(left), self.field(right)
        if rf is not None and isinstance(left, ir.Const):
            left, right, lf, rf, op = right, left, rf, None, _FLIP[op]
        if lf is not None and isinstance(right, ir.Const):
            value = self.literal(right)  # the form durable decides itself: field op literal
        else:
            lf, value = self.derived(left, right), 0  # left - right op 0
        guards = [] if lf == _ITEM else [{"$ex": {lf: 1}}]

        def test(o: str) -> Cond:
            return {lf: value} if o == "==" else {_DURABLE_OP[o]: {lf: value}}

        return _and([*guards, test(op)]), _and([*guards, test(_NEGATE[op])])

    def _member(self, item: ir.Expr, coll: ir.Expr) -> tuple[Cond, Cond]:
        if isinstance(coll, ir.Const):  # x in [a, b, c]
            assert isinstance(coll.value, tuple)
            f_item = self.field(item)
            if f_item is None:
                raise Unsupported("'in' with a computed value", "needs a fact on the left")
            guards = [] if f_item == _ITEM else [{"$ex": {f_item: 1}}]
            values = [v.toordinal() if isinstance(v, dt.date) else v for v in coll.value]
            t = _and([*guards, _or([{f_item: v} for v in values])])
            f = _and([*guards, *({"$neq": {f_item: v}} for v in values)])
            return t, f
        if isinstance(coll, ir.Fact) and isinstance(item, ir.Const):  # list contains "v"
            f_name = field_name(coll.name)
            self.lengths.add(coll.name)
            v = item.value.toordinal() if isinstance(item.value, dt.date) else item.value
            t = {"$iany": {f_name: {_ITEM: v}}}
            f = _or([{f_name + "__len": 0}, {"$iall": {f_name: {"$neq": {_ITEM: v}}}}])
            return t, f
        raise Unsupported("'in' / 'contains' between two facts",
                          "durable_rules can only look for a literal in a list")

    def _count(self, op: str, ops: tuple[ir.Expr, ...], bound: ir.Expr) -> tuple[Cond, Cond]:
        if not isinstance(bound, ir.Const) or not isinstance(bound.value, int):
            raise Unsupported("count_true()", "the bound must be a literal whole number")
        n, k = len(ops), bound.value
        pairs = [self.lower(o) for o in ops]

        def at_least(m: int, which: int) -> Cond:
            """At least ``m`` operands TRUE (which=0) or FALSE (which=1)."""
            if m <= 0:
                return ALWAYS
            if m > n:
                return NEVER
            subsets = list(itertools.combinations(range(n), m))
            if len(subsets) > MAX_SUBSETS:
                raise Unsupported("count_true()", f"{len(subsets)} combinations to enumerate")
            return _or([_and([pairs[i][which] for i in s]) for s in subsets])

        def ge(m: int) -> tuple[Cond, Cond]:
            # count >= m is TRUE when at least m are TRUE; FALSE when at least n-m+1 are FALSE
            return at_least(m, 0), at_least(n - m + 1, 1)

        if op == ">=":
            return ge(k)
        if op == ">":
            return ge(k + 1)
        if op == "<=":
            t, f = ge(k + 1)
            return f, t
        if op == "<":
            t, f = ge(k)
            return f, t
        ge_t, ge_f = ge(k)
        gt_t, gt_f = ge(k + 1)
        eq = (_and([ge_t, gt_f]), _or([ge_f, gt_t]))  # count >= k and not count >= k+1
        return eq if op == "==" else (eq[1], eq[0])

    def _quantifier(self, kind: str, var: str, coll: ir.Expr, body: ir.Expr
                    ) -> tuple[Cond, Cond]:
        if not isinstance(coll, ir.Fact) or not isinstance(coll.type, ListT):
            raise Unsupported(f"{kind}()", "durable_rules iterates over list facts only")
        if ir.facts_of(body):
            raise Unsupported(f"{kind}()", "the condition on each item may only use the item "
                              "and literals")
        if self._item_var is not None:
            raise Unsupported(f"{kind}()", "nested quantifiers")
        self._item_var = var
        try:
            t, f = self.lower(body)
        finally:
            self._item_var = None
        f_name = field_name(coll.name)
        self.lengths.add(coll.name)
        empty = {f_name + "__len": 0}

        def each(c: Cond, quant: str) -> Cond:
            if c is None:
                return NEVER
            return {quant: {f_name: c}}

        if kind == "any":  # TRUE if some item is TRUE; FALSE if all are (or none exist)
            return each(t, "$iany"), _or([empty, each(f, "$iall")])
        return _or([empty, each(t, "$iall")]), each(f, "$iany")
