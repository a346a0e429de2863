"""Syntax tree of a condition, as written (before type checking).

Every node keeps ``start``/``end`` character offsets into the condition text so
that type errors can point at the exact words.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BinOp",
    "BoolLit",
    "Call",
    "Cmp",
    "ListLit",
    "Logic",
    "Name",
    "Neg",
    "Node",
    "NotOp",
    "Number",
    "QuantCall",
    "StringLit",
]


@dataclass(frozen=True)
class Name:
    """A dotted name: a fact (``dust.dry_collector_in_use``) or a bound variable."""

    parts: tuple[str, ...]
    start: int
    end: int

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Number:
    value: int | float
    unit: str | None
    start: int
    end: int
    unit_start: int = -1


@dataclass(frozen=True)
class StringLit:
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class BoolLit:
    value: bool
    start: int
    end: int


@dataclass(frozen=True)
class ListLit:
    items: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True)
class NotOp:
    operand: Node
    start: int
    end: int


@dataclass(frozen=True)
class Neg:
    operand: Node
    start: int
    end: int


@dataclass(frozen=True)
class Logic:
    """``and`` / ``or`` with two or more operands (flattened)."""

    op: str
    operands: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Cmp:
    """A comparison: ``== != < <= > >=``, ``in``, ``not in`` or ``contains``."""

    op: str
    left: Node
    right: Node
    start: int
    end: int
    op_start: int
    op_end: int


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node
    start: int
    end: int
    op_start: int
    op_end: int


@dataclass(frozen=True)
class Call:
    """A call of a whitelisted function: ``known(x)``, ``count_true(...)``, ``len(x)``..."""

    func: str
    args: tuple[Node, ...]
    start: int
    end: int
    func_end: int


@dataclass(frozen=True)
class QuantCall:
    """``any(x in xs: body)`` / ``all(x in xs: body)``."""

    func: str
    var: str
    collection: Node
    body: Node
    start: int
    end: int
    var_start: int


Node = (
    Name | Number | StringLit | BoolLit | ListLit | NotOp | Neg | Logic | Cmp | BinOp | Call
    | QuantCall
)
