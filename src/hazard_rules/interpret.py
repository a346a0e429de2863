"""Evaluate IR and say *why*: an independent implementation of the semantics.

Backends compute rule statuses fast; this module recomputes one rule at a time
for the verdict: the facts that made it TRUE (evidence) or FALSE, or the facts
whose absence leaves it UNKNOWN (what an inspector still has to check). It is
also an independent implementation of the semantics that the backends are
tested against.

Each expression is compiled once into nested closures (:func:`compile_truth`);
the engine keeps one per rule. :func:`truth` compiles and runs in one go.

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

import operator
from collections.abc import Callable, Mapping
from typing import Any

from hazard_rules import ir
from hazard_rules.logic import FALSE, TRUE, UNKNOWN, count_compare
from hazard_rules.typesys import BoolT

__all__ = ["TruthFn", "compile_truth", "truth"]

_Env = Mapping[str, Any]
_Facts = Mapping[str, Any]
Names = tuple[str, ...]  # fact names, possibly repeated; deduplicated at the end
#: A compiled condition: ``(facts, env) -> (truth value, supporting facts)``.
TruthFn = Callable[[_Facts, _Env], tuple[int, Names]]
_ValueFn = Callable[[_Facts, _Env], tuple[Any, Names, Names]]  # value, used, missing

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
_EMPTY: Names = ()


def truth(e: ir.Expr, facts: _Facts, env: _Env | None = None) -> tuple[int, Names]:
    """Evaluate a boolean expression: ``(TRUE/FALSE/UNKNOWN, supporting facts)``."""
    return compile_truth(e)(facts, env or {})


def compile_truth(e: ir.Expr) -> Callable[[_Facts, _Env], tuple[int, Names]]:
    """Compile a boolean expression; the result returns deduplicated support."""
    fn = _truth(e)

    def run(facts: _Facts, env: _Env) -> tuple[int, Names]:
        t, support = fn(facts, env)
        return t, tuple(dict.fromkeys(support))

    return run


def _tv(v: object) -> int:
    return UNKNOWN if v is None else (TRUE if v else FALSE)


def _value(e: ir.Expr) -> _ValueFn:
    """Compile a non-boolean expression to ``(value or None, facts used, facts missing)``."""
    match e:
        case ir.Const(value=const):
            c = frozenset(const) if isinstance(const, tuple) else const
            return lambda facts, env: (c, _EMPTY, _EMPTY)
        case ir.Fact(name=name):
            used = (name,)

            def fact(facts: _Facts, env: _Env) -> tuple[Any, Names, Names]:
                got = facts.get(name)
                return got, used, (_EMPTY if got is not None else used)

            return fact
        case ir.Var(name=name):
            return lambda facts, env: (env[name], _EMPTY, _EMPTY)
        case ir.Len(operand=o):
            inner = _value(o)

            def length(facts: _Facts, env: _Env) -> tuple[Any, Names, Names]:
                v, used, missing = inner(facts, env)
                return (None if v is None else len(v)), used, missing

            return length
        case ir.Arith(op=op, left=left, right=right):
            lf, rf = _value(left), _value(right)

            def arith(facts: _Facts, env: _Env) -> tuple[Any, Names, Names]:
                lv, lu, lm = lf(facts, env)
                rv, ru, rm = rf(facts, env)
                used, missing = lu + ru, lm + rm
                if lv is None or rv is None:
                    return None, used, missing
                if op == "+":
                    return lv + rv, used, missing
                if op == "-":
                    diff = lv - rv
                    return (diff.days if hasattr(diff, "days") else diff), used, missing
                if op == "*":
                    return lv * rv, used, missing
                return lv / rv, used, missing  # only by a non-zero literal

            return arith
    if isinstance(e.type, BoolT):
        fn = _truth(e)

        def boolean(facts: _Facts, env: _Env) -> tuple[Any, Names, Names]:
            t, support = fn(facts, env)
            return (None if t == UNKNOWN else t == TRUE), support, (
                support if t == UNKNOWN else _EMPTY)

        return boolean
    raise TypeError(f"cannot take the value of {type(e).__name__}")  # pragma: no cover


def _truth(e: ir.Expr) -> Callable[[_Facts, _Env], tuple[int, Names]]:
    match e:
        case ir.Const(value=v):
            result = (TRUE if v else FALSE), _EMPTY
            return lambda facts, env: result
        case ir.Fact(name=name):
            support = (name,)
            return lambda facts, env: (_tv(facts.get(name)), support)
        case ir.Var(name=name):
            return lambda facts, env: (_tv(env[name]), _EMPTY)
        case ir.Not(operand=o):
            inner = _truth(o)

            def negate(facts: _Facts, env: _Env) -> tuple[int, Names]:
                t, s = inner(facts, env)
                return 2 - t, s

            return negate
        case ir.And(operands=ops) | ir.Or(operands=ops):
            fns = [_truth(o) for o in ops]
            decisive = FALSE if isinstance(e, ir.And) else TRUE
            other = 2 - decisive

            def junction(facts: _Facts, env: _Env) -> tuple[int, Names]:
                all_other: Names = _EMPTY
                unknown: Names = _EMPTY
                undecided = False
                for fn in fns:
                    t, s = fn(facts, env)
                    if t == decisive:
                        return decisive, s
                    if t == UNKNOWN:
                        undecided = True
                        unknown += s
                    else:
                        all_other += s
                return (UNKNOWN, unknown) if undecided else (other, all_other)

            return junction
        case ir.Known(operand=o):
            inner_v = _value(o)

            def known(facts: _Facts, env: _Env) -> tuple[int, Names]:
                v, used, _ = inner_v(facts, env)
                return (FALSE if v is None else TRUE), used

            return known
        case ir.Compare(op=op, left=left, right=right) if isinstance(left.type, BoolT):
            lt_fn, rt_fn = _truth(left), _truth(right)
            want_equal = op == "=="

            def bool_compare(facts: _Facts, env: _Env) -> tuple[int, Names]:
                lt, ls = lt_fn(facts, env)
                rt, rs = rt_fn(facts, env)
                if UNKNOWN in (lt, rt):
                    return UNKNOWN, (ls if lt == UNKNOWN else _EMPTY) + (
                        rs if rt == UNKNOWN else _EMPTY)
                return (TRUE if (lt == rt) == want_equal else FALSE), ls + rs

            return bool_compare
        case ir.Compare(op=op, left=left, right=right):
            lf, rf = _value(left), _value(right)
            test = _OPS[op]

            def compare(facts: _Facts, env: _Env) -> tuple[int, Names]:
                lv, lu, lm = lf(facts, env)
                rv, ru, rm = rf(facts, env)
                if lv is None or rv is None:
                    return UNKNOWN, lm + rm
                return (TRUE if test(lv, rv) else FALSE), lu + ru

            return compare
        case ir.Member(item=item, collection=coll):
            item_f, coll_f = _value(item), _value(coll)

            def member(facts: _Facts, env: _Env) -> tuple[int, Names]:
                iv, iu, im = item_f(facts, env)
                cv, cu, cm = coll_f(facts, env)
                if iv is None or cv is None:
                    return UNKNOWN, im + cm
                return (TRUE if iv in cv else FALSE), iu + cu

            return member
        case ir.CountCompare(op=op, operands=ops, bound=bound):
            fns = [_truth(o) for o in ops]
            bound_f = _value(bound)

            def count(facts: _Facts, env: _Env) -> tuple[int, Names]:
                results = [fn(facts, env) for fn in fns]
                bv, bu, bm = bound_f(facts, env)
                lo = sum(t == TRUE for t, _ in results)
                hi = lo + sum(t == UNKNOWN for t, _ in results)
                t = count_compare(op, lo, hi, bv)
                if t == UNKNOWN:
                    return t, bm + tuple(n for r, s in results if r == UNKNOWN for n in s)
                return t, bu + tuple(n for _, s in results for n in s)

            return count
        case ir.Quantifier(kind=kind, var=var, collection=coll, body=body):
            coll_f, body_f = _value(coll), _truth(body)
            decisive = TRUE if kind == "any" else FALSE

            def quantify(facts: _Facts, env: _Env) -> tuple[int, Names]:
                cv, cu, cm = coll_f(facts, env)
                if cv is None:
                    return UNKNOWN, cm
                all_other: Names = cu
                unknown: Names = _EMPTY
                undecided = False
                for item in cv:
                    t, s = body_f(facts, {**env, var: item})
                    if t == decisive:
                        return decisive, cu + s
                    if t == UNKNOWN:
                        undecided = True
                        unknown += s
                    else:
                        all_other += s
                return (UNKNOWN, unknown) if undecided else (2 - decisive, all_other)

            return quantify
    raise TypeError(f"not a boolean expression: {type(e).__name__}")  # pragma: no cover
