"""Can a condition ever be TRUE? A small decision procedure over the typed IR.

A condition is TRUE for some record only if it is TRUE for a record that reports
every fact it reads (conditions are monotonic; ``known(x)`` is handled as its own
atom). So satisfiability is decided classically: the condition is put in negation
normal form, expanded into alternatives (disjunctive normal form), and each
alternative is checked fact by fact:

* yes/no facts cannot be required both true and false;
* enum facts keep a set of allowed values (``==``, ``!=``, ``in``, ``not in``);
* numbers and dates keep an interval (open or closed ends, whole numbers for
  ``int`` facts, the fact's declared ``minimum`` and ``maximum``) and excluded points;
* text facts keep a set of allowed values when an ``==`` or ``in`` names them;
* ``not known(x)`` rules out every other test of ``x``;
* anything else (arithmetic, comparisons of two facts, ``count_true``, ``any``/``all``,
  ``len``) is an opaque atom that cannot be both TRUE and FALSE.

The answer is exact for conditions made only of the first five kinds, and sound
for the rest: ``SAT`` may be wrong only when opaque atoms hide a contradiction.
When the expansion would exceed :data:`MAX_ALTERNATIVES`, the answer is ``None``.

>>> from hazard_rules.typesys import BOOL, IntT
>>> n = ir.Fact("plant.workers", IntT("persons"))
>>> e = ir.And((ir.Compare(">", n, ir.Const(9, IntT("persons"))),
...             ir.Compare("<", n, ir.Const(10, IntT("persons")))))
>>> result = satisfiable(e)
>>> result.sat, result.conflicts
(False, ('plant.workers > 9 persons and plant.workers < 10 persons cannot both hold',))
>>> satisfiable(ir.Or((ir.Fact("a.x", BOOL), ir.Not(ir.Fact("a.x", BOOL))))).sat
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from hazard_rules import ir
from hazard_rules.model import FactDef
from hazard_rules.typesys import BOOL, BoolT, DateT, EnumT, FloatT, IntT, StrT

__all__ = ["MAX_ALTERNATIVES", "Literal", "SatResult", "equivalent", "satisfiable", "text"]

#: The most alternatives a condition is expanded into before the solver gives up.
MAX_ALTERNATIVES = 20_000

_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def text(e: ir.Expr) -> str:
    """The condition language form of an IR expression (units shown, lists bracketed).

    >>> from hazard_rules.typesys import FloatT
    >>> text(ir.Compare("<", ir.Fact("gas.p", FloatT("kPa")), ir.Const(30.0, FloatT("kPa"))))
    'gas.p < 30 kPa'
    """
    return _text(e, 0)


def _const(value: object, type_: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        item = type_.item if hasattr(type_, "item") else type_
        return "[" + ", ".join(_const(v, item) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dt.date):
        return f"date({value.isoformat()})"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = getattr(type_, "unit", None)
    return f"{value} {unit}" if unit else str(value)


_PREC = {"or": 1, "and": 2, "not": 3}


def _text(e: ir.Expr, parent: int) -> str:
    match e:
        case ir.Const(value=v, type=t):
            return _const(v, t)
        case ir.Fact(name=n) | ir.Var(name=n):
            return n
        case ir.Not(operand=o):
            s = "not " + _text(o, _PREC["not"])
            return f"({s})" if parent > _PREC["not"] else s
        case ir.And(operands=ops) | ir.Or(operands=ops):
            word = "and" if isinstance(e, ir.And) else "or"
            s = f" {word} ".join(_text(o, _PREC[word]) for o in ops)
            return f"({s})" if parent > _PREC[word] else s
        case ir.Compare(op=op, left=left, right=right):
            return f"{_text(left, 4)} {op} {_text(right, 4)}"
        case ir.Member(item=i, collection=c):
            if isinstance(c, ir.Fact):
                return f"{_text(c, 4)} contains {_text(i, 4)}"
            return f"{_text(i, 4)} in {_text(c, 4)}"
        case ir.Arith(op=op, left=left, right=right):
            return f"({_text(left, 4)} {op} {_text(right, 4)})"
        case ir.Known(operand=o):
            return f"known({_text(o, 0)})"
        case ir.CountCompare(op=op, operands=ops, bound=b):
            return f"count_true({', '.join(_text(o, 0) for o in ops)}) {op} {_text(b, 4)}"
        case ir.Quantifier(kind=k, var=v, collection=c, body=b):
            return f"{k}({v} in {_text(c, 0)}: {_text(b, 0)})"
        case ir.Len(operand=o):
            return f"len({_text(o, 0)})"
    raise TypeError(f"not an IR node: {e!r}")  # pragma: no cover


@dataclass(frozen=True)
class Literal:
    """An atom of a condition with the truth value an alternative requires of it."""

    atom: ir.Expr
    positive: bool

    def __str__(self) -> str:
        return text(self.atom) if self.positive else "not " + _text(self.atom, _PREC["not"])


def _nnf(e: ir.Expr, positive: bool = True) -> ir.Expr:
    """Push negations down to the atoms (valid in Kleene logic)."""
    match e:
        case ir.Not(operand=o):
            return _nnf(o, not positive)
        case ir.And(operands=ops):
            parts = tuple(_nnf(o, positive) for o in ops)
            return ir.And(parts) if positive else ir.Or(parts)
        case ir.Or(operands=ops):
            parts = tuple(_nnf(o, positive) for o in ops)
            return ir.Or(parts) if positive else ir.And(parts)
        case ir.Compare(op=op, left=left, right=right) if not positive and not (
                isinstance(left.type, BoolT) or isinstance(right.type, BoolT)) and \
                _fact_side(e) is not None:
            return ir.Compare(_NEGATE[op], left, right)  # type: ignore[arg-type]
        case ir.Const(value=bool() as v):
            return ir.Const(v if positive else not v, BOOL)
    return e if positive else ir.Not(e)


def _dnf(e: ir.Expr) -> list[tuple[Literal, ...]] | None:
    """Alternatives of a condition in negation normal form; None if too many."""
    match e:
        case ir.Or(operands=ops):
            out: list[tuple[Literal, ...]] = []
            for o in ops:
                sub = _dnf(o)
                if sub is None:
                    return None
                out.extend(sub)
                if len(out) > MAX_ALTERNATIVES:
                    return None
            return out
        case ir.And(operands=ops):
            acc: list[tuple[Literal, ...]] = [()]
            for o in ops:
                sub = _dnf(o)
                if sub is None or len(acc) * len(sub) > MAX_ALTERNATIVES:
                    return None
                acc = [a + b for a, b in itertools.product(acc, sub)]
            return acc
        case ir.Const(value=True):
            return [()]
        case ir.Const(value=False):
            return []
        case ir.Not(operand=o):
            return [(Literal(o, False),)]
    return [(Literal(e, True),)]


@dataclass
class _Num:
    """What one alternative requires of a number or date fact."""

    integer: bool
    lo: float = -math.inf
    lo_strict: bool = False
    hi: float = math.inf
    hi_strict: bool = False
    excluded: set[float] = field(default_factory=set)
    why: list[str] = field(default_factory=list)

    def add(self, op: str, v: float) -> None:
        if op in (">", ">="):
            if v > self.lo or (v == self.lo and op == ">"):
                self.lo, self.lo_strict = v, op == ">"
        elif op in ("<", "<="):
            if v < self.hi or (v == self.hi and op == "<"):
                self.hi, self.hi_strict = v, op == "<"
        elif op == "==":
            self.add(">=", v)
            self.add("<=", v)
        else:
            self.excluded.add(v)

    def possible(self) -> bool:
        lo, hi = self.lo, self.hi
        if self.integer:
            if math.isfinite(lo):
                lo = math.floor(lo) + 1 if self.lo_strict and lo.is_integer() else math.ceil(lo)
            if math.isfinite(hi):
                hi = math.ceil(hi) - 1 if self.hi_strict and hi.is_integer() else math.floor(hi)
            if lo > hi:
                return False
            if not (math.isfinite(lo) and math.isfinite(hi)):
                return True
            return hi - lo + 1 > len({x for x in self.excluded if lo <= x <= hi})
        if lo > hi or (lo == hi and (self.lo_strict or self.hi_strict)):
            return False
        return lo != hi or lo not in self.excluded


def _number(v: object) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, dt.date):
        return float(v.toordinal())
    return None


def _fact_side(c: ir.Compare) -> tuple[str, ir.Fact, ir.Const] | None:
    """``(op, fact, constant)`` of a comparison of a fact with a constant, fact first."""
    if isinstance(c.left, ir.Fact) and isinstance(c.right, ir.Const):
        return c.op, c.left, c.right
    if isinstance(c.right, ir.Fact) and isinstance(c.left, ir.Const):
        return _FLIP[c.op], c.right, c.left
    return None


@dataclass(frozen=True)
class SatResult:
    """Whether a condition can be TRUE, with the reason of each impossible alternative.

    ``sat`` is None when the condition has too many alternatives to decide.
    ``conflicts`` holds one sentence per alternative that cannot hold (the first
    contradiction found in it), in the order of the alternatives.
    """

    sat: bool | None
    alternatives: int
    conflicts: tuple[str, ...] = ()


def satisfiable(e: ir.Expr, facts: Mapping[str, FactDef] | None = None) -> SatResult:
    """Decide whether ``e`` is TRUE for some record (see the module docstring).

    ``facts`` (a catalog's facts by name) adds each fact's declared ``minimum``
    and ``maximum`` to what a number may be.

    >>> from hazard_rules.typesys import BOOL
    >>> x = ir.Fact("a.x", BOOL)
    >>> satisfiable(ir.And((x, ir.Not(x)))).conflicts
    ('a.x is required both true and false',)
    """
    alternatives = _dnf(_nnf(e))
    if alternatives is None:
        return SatResult(None, 0)
    conflicts: list[str] = []
    for alt in alternatives:
        why = _conflict(alt, facts or {})
        if why is None:
            return SatResult(True, len(alternatives))
        conflicts.append(why)
    return SatResult(False, len(alternatives), tuple(dict.fromkeys(conflicts)))


def equivalent(a: ir.Expr, b: ir.Expr, facts: Mapping[str, FactDef] | None = None
               ) -> bool | None:
    """Whether ``a`` and ``b`` are TRUE for exactly the same complete records.

    >>> from hazard_rules.typesys import BOOL
    >>> x, y = ir.Fact("a.x", BOOL), ir.Fact("a.y", BOOL)
    >>> equivalent(ir.Not(ir.And((x, y))), ir.Or((ir.Not(x), ir.Not(y))))
    True
    """
    first = satisfiable(ir.And((a, ir.Not(b))), facts).sat
    if first is not False:
        return None if first is None else False
    second = satisfiable(ir.And((b, ir.Not(a))), facts).sat
    return None if second is None else not second


def _conflict(alt: tuple[Literal, ...], facts: Mapping[str, FactDef]) -> str | None:
    """The first contradiction among the literals of one alternative, or None."""
    bools: dict[str, tuple[bool, Literal]] = {}
    nums: dict[str, _Num] = {}
    sets: dict[str, tuple[set[str] | None, set[str], list[str]]] = {}
    opaque: dict[str, tuple[bool, Literal]] = {}
    unknown: dict[str, Literal] = {}  # facts required to be unreported
    tested: dict[str, Literal] = {}  # facts some literal needs reported
    reported: dict[str, Literal] = {}  # facts required to be reported (known(x))
    for lit in alt:
        atom = lit.atom
        if isinstance(atom, ir.Const):
            if atom.value is not lit.positive:
                return f"{lit} is never TRUE"
            continue
        if isinstance(atom, ir.Known) and isinstance(atom.operand, ir.Fact):
            name = atom.operand.name
            if lit.positive:
                if name in unknown:
                    return f"{unknown[name]} and {lit} cannot both hold"
                reported.setdefault(name, lit)
            else:
                unknown.setdefault(name, lit)
                other = tested.get(name) or reported.get(name)
                if other is not None:
                    return f"{other} and {lit} cannot both hold"
            continue
        for f in ir.walk(atom):
            if isinstance(f, ir.Fact):
                tested.setdefault(f.name, lit)
                if f.name in unknown:
                    return f"{unknown[f.name]} and {lit} cannot both hold"
        simple = _simple(lit)
        if simple is None:
            key = ir.dump(atom)
            seen = opaque.get(key)
            if seen is not None and seen[0] != lit.positive:
                return f"{seen[1]} and {lit} cannot both hold"
            opaque.setdefault(key, (lit.positive, lit))
            continue
        kind, name, op, value = simple
        if kind == "bool":
            seen = bools.get(name)
            if seen is not None and seen[0] != value:
                return f"{name} is required both true and false"
            bools.setdefault(name, (bool(value), lit))
        elif kind == "num":
            fd = facts.get(name)
            num = nums.get(name)
            if num is None:
                num = nums[name] = _Num(integer=_is_whole(atom))
                if fd is not None and fd.minimum is not None:
                    num.add(">=", fd.minimum)
                    num.why.append(f"{name} >= {_const(fd.minimum, fd.type)} (declared minimum)")
                if fd is not None and fd.maximum is not None:
                    num.add("<=", fd.maximum)
                    num.why.append(f"{name} <= {_const(fd.maximum, fd.type)} (declared maximum)")
            num.add(op, float(value))  # type: ignore[arg-type]
            num.why.append(str(lit))
            if not num.possible():
                return _both(num.why)
        else:  # a set of values: enum or text
            allowed, excluded, why = sets.get(name, (None, set(), []))
            if allowed is None and isinstance(atom_type := _fact_type(atom), EnumT):
                allowed = set(atom_type.values)
            values = set(value) if isinstance(value, tuple) else {str(value)}
            if op in ("==", "in"):
                allowed = values if allowed is None else allowed & values
            else:
                excluded = excluded | values
            why = [*why, str(lit)]
            sets[name] = (allowed, excluded, why)
            if allowed is not None and not allowed - excluded:
                return _both(why)
    return None


def _both(why: list[str]) -> str:
    if len(why) == 1:
        return f"{why[0]} is never TRUE"
    return " and ".join(why) + (" cannot both hold" if len(why) == 2 else " cannot all hold")


def _is_whole(atom: ir.Expr) -> bool:
    t = _fact_type(atom)
    return isinstance(t, IntT | DateT)


def _fact_type(atom: ir.Expr) -> object:
    for n in ir.walk(atom):
        if isinstance(n, ir.Fact):
            return n.type
    return None


def _simple(lit: Literal) -> tuple[str, str, str, object] | None:
    """``(kind, fact, op, value)`` for literals the solver reasons about, else None.

    kind is ``bool``, ``num`` (numbers, dates) or ``set`` (enum and text values);
    value is a bool, a number, a string or a tuple of strings.
    """
    atom, positive = lit.atom, lit.positive
    if isinstance(atom, ir.Fact) and isinstance(atom.type, BoolT):
        return "bool", atom.name, "==", positive
    if isinstance(atom, ir.Compare):
        side = _fact_side(atom)
        if side is None:
            return None
        op, fact, const = side
        if isinstance(fact.type, BoolT) and isinstance(const.value, bool) and op in ("==", "!="):
            return "bool", fact.name, "==", (const.value == (op == "==")) == positive
        if not positive:  # comparisons were negated into their opposite by _nnf
            return None
        if isinstance(fact.type, IntT | FloatT | DateT):
            v = _number(const.value)
            return None if v is None else ("num", fact.name, op, v)
        if isinstance(fact.type, EnumT | StrT) and isinstance(const.value, str) and op in (
                "==", "!="):
            return "set", fact.name, op, const.value
        return None
    if isinstance(atom, ir.Member) and isinstance(atom.item, ir.Fact) and isinstance(
            atom.collection, ir.Const) and isinstance(atom.item.type, EnumT | StrT):
        values = tuple(str(v) for v in atom.collection.value)  # type: ignore[union-attr]
        return "set", atom.item.name, "in" if positive else "not in", values
    return None
