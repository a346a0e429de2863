"""The typed intermediate representation of conditions.

The type checker turns parsed conditions into these small frozen nodes; every
backend and pass works on them, never on YAML or pydantic objects. Each node
class lists its child fields once in ``_children``, so :func:`walk` and
:func:`dump` serve every node.

Truth values are three-valued (Kleene): a boolean node evaluates to TRUE,
FALSE or UNKNOWN; any other node evaluates to a value or to *unknown* when a
fact it needs is missing.

>>> from hazard_rules.typesys import BOOL, FloatT
>>> e = And((Fact("dust.in_use", BOOL),
...          Compare(">", Fact("gas.pressure", FloatT("kPa")), Const(30.0, FloatT("kPa")))))
>>> dump(e)
'(and dust.in_use (> gas.pressure 30.0[kPa]))'
>>> sorted(facts_of(e))
['dust.in_use', 'gas.pressure']
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Literal

from hazard_rules.typesys import BOOL, FloatT, IntT, ListT, Type

__all__ = [
    "And",
    "Arith",
    "Compare",
    "Const",
    "CountCompare",
    "Expr",
    "Fact",
    "Known",
    "Len",
    "Member",
    "Not",
    "Or",
    "Quantifier",
    "Var",
    "children",
    "dump",
    "facts_of",
    "walk",
]

_INT = IntT()
CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
ArithOp = Literal["+", "-", "*", "/"]
ConstValue = bool | int | float | str | _dt.date | tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Const:
    """A literal value (lists are tuples)."""

    value: ConstValue
    type: Type
    _children: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """A reference to a fact by its dotted name, e.g. ``dust.dry_collector_in_use``."""

    name: str
    type: Type
    _children: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True, slots=True)
class Var:
    """A variable bound by a quantifier (``any(x in list: ...)``)."""

    name: str
    type: Type
    _children: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("operand",)


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expr, ...]
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("operands",)


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expr, ...]
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("operands",)


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right``; operands have been converted to one unit by the checker."""

    op: CompareOp
    left: Expr
    right: Expr
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("left", "right")


@dataclass(frozen=True, slots=True)
class Member:
    """``item in collection`` (also written ``collection contains item``)."""

    item: Expr
    collection: Expr
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("item", "collection")


@dataclass(frozen=True, slots=True)
class Arith:
    """Arithmetic; ``type`` is the result type. Division is only by a non-zero literal.

    ``date - date`` is an :class:`Arith` of type ``int[d]`` (days).
    """

    op: ArithOp
    left: Expr
    right: Expr
    type: Type
    _children: ClassVar[tuple[str, ...]] = ("left", "right")


@dataclass(frozen=True, slots=True)
class Known:
    """``known(x)``: TRUE when the value of ``x`` is reported, else FALSE; never unknown.

    The only construct that is not monotonic: every other condition that is TRUE
    or FALSE stays so when more facts are reported; ``known(x)`` changes when
    ``x`` is. Use it for clauses about records themselves, not about the site.
    """

    operand: Expr
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("operand",)


@dataclass(frozen=True, slots=True)
class CountCompare:
    """``count_true(a, b, ...) op bound``, decided exactly under missing operands.

    With ``lo`` operands TRUE and ``u`` UNKNOWN the count lies in ``[lo, lo + u]``;
    the comparison is TRUE (FALSE) if it holds for every (no) count in that range.
    """

    op: CompareOp
    operands: tuple[Expr, ...]
    bound: Expr
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("operands", "bound")


@dataclass(frozen=True, slots=True)
class Quantifier:
    """``any(var in collection: body)`` or ``all(...)``; Kleene or/and over the items.

    ``any(xs)`` of a list of booleans is ``any(x in xs: x)``.
    """

    kind: Literal["any", "all"]
    var: str
    collection: Expr
    body: Expr
    type: Type = BOOL
    _children: ClassVar[tuple[str, ...]] = ("collection", "body")


@dataclass(frozen=True, slots=True)
class Len:
    """``len(list)``: the number of items of a list fact."""

    operand: Expr
    type: Type = _INT
    _children: ClassVar[tuple[str, ...]] = ("operand",)


Expr = (
    Const | Fact | Var | Not | And | Or | Compare | Member | Arith | Known | CountCompare
    | Quantifier | Len
)


def children(node: Expr) -> Iterator[Expr]:
    """The direct child expressions of ``node``, in declaration order."""
    for name in node._children:
        value = getattr(node, name)
        if isinstance(value, tuple):
            yield from value
        else:
            yield value


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of the tree rooted at ``node``, pre-order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(list(children(n))))


def facts_of(node: Expr) -> dict[str, Type]:
    """The facts ``node`` refers to, in order of first appearance, with their types."""
    return {n.name: n.type for n in walk(node) if isinstance(n, Fact)}


def _const_text(value: object, type_: Type) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + " ".join(_const_text(v, type_.item if isinstance(type_, ListT) else type_)
                              for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, _dt.date):
        return f"date({value.isoformat()})"
    unit = type_.unit if isinstance(type_, IntT | FloatT) else None
    return f"{value!r}[{unit}]" if unit else repr(value)


def dump(node: Expr) -> str:
    """A deterministic one-line s-expression of ``node`` (for golden files and tests)."""
    match node:
        case Const(value=v, type=t):
            return _const_text(v, t)
        case Fact(name=n) | Var(name=n):
            return n
        case Not(operand=o):
            return f"(not {dump(o)})"
        case And(operands=ops):
            return "(and " + " ".join(dump(o) for o in ops) + ")"
        case Or(operands=ops):
            return "(or " + " ".join(dump(o) for o in ops) + ")"
        case Compare(op=op, left=left, right=right):
            return f"({op} {dump(left)} {dump(right)})"
        case Member(item=i, collection=c):
            return f"(in {dump(i)} {dump(c)})"
        case Arith(op=op, left=left, right=right, type=t):
            return f"({op} {dump(left)} {dump(right)}):{t}"
        case Known(operand=o):
            return f"(known {dump(o)})"
        case CountCompare(op=op, operands=ops, bound=b):
            return f"({op} (count_true " + " ".join(dump(o) for o in ops) + f") {dump(b)})"
        case Quantifier(kind=k, var=v, collection=c, body=b):
            return f"({k} {v} {dump(c)} {dump(b)})"
        case Len(operand=o):
            return f"(len {dump(o)})"
    raise TypeError(f"not an IR node: {node!r}")  # pragma: no cover

