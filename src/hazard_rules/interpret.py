"""A direct interpreter of the IR that also says *why*.

Backends compute rule statuses fast; this module recomputes one rule at a time
for the verdict: the facts that made it TRUE (evidence) or FALSE, or the facts
whose absence leaves it UNKNOWN (what an inspector still has to check). It is
also an independent implementation of the semantics that the backends are
tested against.

Support rules (Kleene logic): ``a and b`` is FALSE because of its first FALSE
operand, TRUE because of all; ``a or b`` is TRUE because of its first TRUE
operand, FALSE because of all; an UNKNOWN result is supported by the missing
facts of its UNKNOWN operands only, since nothing else can change it.

>>> from hazard_rules.typesys import BOOL
>>> e = ir.Or((ir.Fact("a.x", BOOL), ir.Fact("a.y", BOOL)))
>>> truth(e, {"a.x": False})
(1, ('a.y',))
>>> truth(e, {"a.x": False, "a.y": True})
(2, ('a.y',))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hazard_rules import ir
from hazard_rules.logic import FALSE, TRUE, UNKNOWN, count_compare
from hazard_rules.typesys import BoolT

__all__ = ["truth", "value"]

_Env = Mapping[str, Any]
_Names = dict[str, None]  # an ordered set of fact names


def _merge(*parts: _Names) -> _Names:
    out: _Names = {}
    for p in parts:
        out.update(p)
    return out


def _tv(v: object) -> int:
    return UNKNOWN if v is None else (TRUE if v else FALSE)


def value(e: ir.Expr, facts: Mapping[str, Any], env: _Env | None = None
          ) -> tuple[Any, _Names, _Names]:
    """Evaluate a non-boolean expression: ``(value or None, facts used, facts missing)``."""
    env = env or {}
    match e:
        case ir.Const(value=const):
            return (frozenset(const) if isinstance(const, tuple) else const), {}, {}
        case ir.Fact(name=n):
            got = facts.get(n)
            return got, {n: None}, ({} if got is not None else {n: None})
        case ir.Var(name=n):
            return env[n], {}, {}
        case ir.Len(operand=o):
            v, used, missing = value(o, facts, env)
            return (None if v is None else len(v)), used, missing
        case ir.Arith(op=op, left=left, right=right):
            lv, lu, lm = value(left, facts, env)
            rv, ru, rm = value(right, facts, env)
            used, missing = _merge(lu, ru), _merge(lm, rm)
            if lv is None or rv is None:
                return None, used, missing
            if op == "+":
                return lv + rv, used, missing
            if op == "-":
                diff = lv - rv
                return (diff.days if hasattr(diff, "days") else diff), used, missing
            if op == "*":
                return lv * rv, used, missing
            return (None if rv == 0 else lv / rv), used, missing
    if isinstance(e.type, BoolT):
        t, support = _truth(e, facts, env)
        return (None if t == UNKNOWN else t == TRUE), support, (support if t == UNKNOWN else {})
    raise TypeError(f"cannot take the value of {type(e).__name__}")  # pragma: no cover


def truth(e: ir.Expr, facts: Mapping[str, Any], env: _Env | None = None
          ) -> tuple[int, tuple[str, ...]]:
    """Evaluate a boolean expression: ``(TRUE/FALSE/UNKNOWN, supporting facts)``."""
    t, support = _truth(e, facts, env or {})
    return t, tuple(support)


def _truth(e: ir.Expr, facts: Mapping[str, Any], env: _Env) -> tuple[int, _Names]:
    match e:
        case ir.Const(value=v):
            return (TRUE if v else FALSE), {}
        case ir.Fact(name=n):
            return _tv(facts.get(n)), {n: None}
        case ir.Var(name=n):
            return _tv(env[n]), {}
        case ir.Not(operand=o):
            t, s = _truth(o, facts, env)
            return 2 - t, s
        case ir.And(operands=ops) | ir.Or(operands=ops):
            results = [_truth(o, facts, env) for o in ops]
            decisive = FALSE if isinstance(e, ir.And) else TRUE
            for t, s in results:
                if t == decisive:
                    return decisive, s
            if all(t == 2 - decisive for t, _ in results):
                return 2 - decisive, _merge(*(s for _, s in results))
            return UNKNOWN, _merge(*(s for t, s in results if t == UNKNOWN))
        case ir.Known(operand=o):
            v, used, _ = value(o, facts, env)
            return (FALSE if v is None else TRUE), used
        case ir.Compare(op=op, left=left, right=right):
            if isinstance(left.type, BoolT):
                lt, ls = _truth(left, facts, env)
                rt, rs = _truth(right, facts, env)
                if UNKNOWN in (lt, rt):
                    return UNKNOWN, _merge(ls if lt == UNKNOWN else {}, rs if rt == UNKNOWN else {})
                eq = lt == rt
                return (TRUE if eq == (op == "==") else FALSE), _merge(ls, rs)
            lv, lu, lm = value(left, facts, env)
            rv, ru, rm = value(right, facts, env)
            if lv is None or rv is None:
                return UNKNOWN, _merge(lm, rm)
            return (TRUE if _compare(op, lv, rv) else FALSE), _merge(lu, ru)
        case ir.Member(item=item, collection=coll):
            iv, iu, im = value(item, facts, env)
            cv, cu, cm = value(coll, facts, env)
            if iv is None or cv is None:
                return UNKNOWN, _merge(im, cm)
            return (TRUE if iv in cv else FALSE), _merge(iu, cu)
        case ir.CountCompare(op=op, operands=ops, bound=bound):
            results = [_truth(o, facts, env) for o in ops]
            bv, bu, bm = value(bound, facts, env)
            lo = sum(t == TRUE for t, _ in results)
            hi = lo + sum(t == UNKNOWN for t, _ in results)
            t = count_compare(op, lo, hi, bv)
            if t == UNKNOWN:
                return t, _merge(bm, *(s for r, s in results if r == UNKNOWN))
            return t, _merge(bu, *(s for _, s in results))
        case ir.Quantifier(kind=kind, var=var, collection=coll, body=body):
            cv, cu, cm = value(coll, facts, env)
            if cv is None:
                return UNKNOWN, cm
            decisive = TRUE if kind == "any" else FALSE
            results = []
            for item in cv:
                t, s = _truth(body, facts, {**env, var: item})
                if t == decisive:
                    return decisive, _merge(cu, s)
                results.append((t, s))
            if all(t == 2 - decisive for t, _ in results):
                return 2 - decisive, _merge(cu, *(s for _, s in results))
            return UNKNOWN, _merge(*(s for t, s in results if t == UNKNOWN))
    raise TypeError(f"not a boolean expression: {type(e).__name__}")  # pragma: no cover


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "==":
        return bool(a == b)
    if op == "!=":
        return bool(a != b)
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)
