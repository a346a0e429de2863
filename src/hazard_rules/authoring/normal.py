"""A normal form of conditions, to tell a rewrite from a change of meaning.

Two conditions with the same normal form mean the same for every record (under
Kleene logic, unknowns included). The converse does not hold: the rewrites are
the cheap, exact ones a reviewer meets in practice, not a decision procedure.

- numbers compare by value (``30`` and ``30.0``; ``0.03 MPa`` is already ``30 kPa``
  in the IR), quantifier variables by position, not by name;
- ``and``/``or`` are flattened, deduplicated and sorted; ``not`` is pushed inwards
  (De Morgan, ``not a < b`` is ``a >= b``) and ``not not a`` is ``a``;
- ``a > b`` is ``b < a``; the sides of ``==``/``!=`` and the operands of ``+``,
  ``*`` and ``count_true`` are sorted; ``x == true`` is ``x``;
- the items of a literal list in ``in`` are a set.

>>> from hazard_rules import ir
>>> from hazard_rules.typesys import BOOL, FloatT, IntT
>>> a, b = ir.Fact("p.a", BOOL), ir.Fact("p.b", BOOL)
>>> normal_form(ir.Not(ir.And((a, b)))) == normal_form(ir.Or((ir.Not(b), ir.Not(a))))
True
>>> p = ir.Fact("p.pressure", FloatT("kPa"))
>>> normal_form(ir.Compare(">", ir.Const(30, IntT("kPa")), p))
'(< p.pressure 30[kPa])'
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hazard_rules import ir
from hazard_rules.typesys import BoolT, FloatT, IntT, Type

__all__ = ["normal_form"]

_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIPPED = {">": "<", ">=": "<="}


def _const(value: object, type_: Type) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + " ".join(sorted({_const(v, type_) for v in value})) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dt.date):
        return f"date({value.isoformat()})"
    assert isinstance(value, int | float)
    unit = type_.unit if isinstance(type_, IntT | FloatT) else None
    return str(Fraction(value)) + (f"[{unit}]" if unit else "")


class _Normaliser:
    def __init__(self) -> None:
        self.vars: dict[str, str] = {}

    def form(self, e: ir.Expr, neg: bool = False) -> str:
        match e:
            case ir.Not(operand=o):
                return self.form(o, not neg)
            case ir.And(operands=ops) | ir.Or(operands=ops):
                is_and = isinstance(e, ir.And) != neg  # De Morgan under negation
                op = "and" if is_and else "or"
                parts: set[str] = set()
                for o in ops:
                    text = self.form(o, neg)
                    prefix = f"({op} "
                    if text.startswith(prefix):  # flatten (and a (and b c))
                        parts.update(_split(text[len(prefix):-1]))
                    else:
                        parts.add(text)
                items = sorted(parts)
                return items[0] if len(items) == 1 else f"({op} {' '.join(items)})"
            case ir.Compare(op=op, left=left, right=right):
                for fact, other in ((left, right), (right, left)):
                    if isinstance(other, ir.Const) and isinstance(other.value, bool) and \
                            isinstance(fact.type, BoolT) and op in ("==", "!="):
                        positive = other.value == (op == "==")
                        return self.form(fact, neg == positive)
                name: str = _NEGATED[op] if neg else op
                a, b = self.value(left), self.value(right)
                if name in _FLIPPED:
                    name, a, b = _FLIPPED[name], b, a
                elif name in ("==", "!="):
                    a, b = min(a, b), max(a, b)
                return f"({name} {a} {b})"
            case ir.CountCompare(op=op, operands=ops, bound=bound):
                counted = " ".join(sorted(self.form(o) for o in ops))
                text = f"({op} (count_true {counted}) {self.value(bound)})"
                return f"(not {text})" if neg else text
        text = self.value(e)
        return f"(not {text})" if neg else text

    def value(self, e: ir.Expr) -> str:
        match e:
            case ir.Const(value=v, type=t):
                return _const(v, t)
            case ir.Fact(name=n):
                return n
            case ir.Var(name=n):
                return self.vars.get(n, n)
            case ir.Member(item=i, collection=c):
                return f"(in {self.value(i)} {self.value(c)})"
            case ir.Known(operand=o):
                return f"(known {self.value(o)})"
            case ir.Len(operand=o):
                return f"(len {self.value(o)})"
            case ir.Arith(op=op, left=left, right=right, type=t):
                a, b = self.value(left), self.value(right)
                if op in ("+", "*"):
                    a, b = sorted((a, b))
                unit = t.unit if isinstance(t, IntT | FloatT) and t.unit else ""
                return f"({op} {a} {b}){'[' + unit + ']' if unit else ''}"
            case ir.Quantifier(kind=k, var=var, collection=c, body=body):
                coll = self.value(c)
                saved = self.vars.get(var)
                self.vars[var] = f"${len(self.vars)}"
                try:
                    return f"({k} {coll} {self.form(body)})"
                finally:
                    if saved is None:
                        del self.vars[var]
                    else:
                        self.vars[var] = saved
        return self.form(e)


def _split(body: str) -> list[str]:
    """The top-level items of an s-expression body (``a (b c) d`` -> three items)."""
    items: list[str] = []
    depth, start, quoted, escaped = 0, 0, False, False
    for i, ch in enumerate(body):
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == " " and depth == 0:
            items.append(body[start:i])
            start = i + 1
    items.append(body[start:])
    return [x for x in items if x]


def normal_form(expr: ir.Expr) -> str:
    """The normal form of ``expr`` as text: equal texts, equal meaning.

    >>> from hazard_rules import ir
    >>> from hazard_rules.typesys import BOOL
    >>> x = ir.Fact("p.x", BOOL)
    >>> normal_form(ir.Compare("==", x, ir.Const(False, BOOL)))
    '(not p.x)'
    """
    return _Normaliser().form(expr)
