"""The types of facts and condition expressions.

>>> str(ListT(EnumT("enterprise.scopes", ("dust_explosion", "confined_space"))))
'list[enum enterprise.scopes]'
>>> str(FloatT("kPa"))
'float[kPa]'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BOOL",
    "DATE",
    "STR",
    "BoolT",
    "DateT",
    "EnumT",
    "FloatT",
    "IntT",
    "ListT",
    "NumT",
    "StrT",
    "Type",
]


@dataclass(frozen=True)
class BoolT:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class IntT:
    unit: str | None = None

    def __str__(self) -> str:
        return f"int[{self.unit}]" if self.unit else "int"


@dataclass(frozen=True)
class FloatT:
    unit: str | None = None

    def __str__(self) -> str:
        return f"float[{self.unit}]" if self.unit else "float"


@dataclass(frozen=True)
class StrT:
    def __str__(self) -> str:
        return "str"


@dataclass(frozen=True)
class DateT:
    def __str__(self) -> str:
        return "date"


@dataclass(frozen=True)
class EnumT:
    """An enumeration: ``name`` identifies it (usually the fact), ``values`` are allowed."""

    name: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        return f"enum {self.name}"


@dataclass(frozen=True)
class ListT:
    item: Type

    def __str__(self) -> str:
        return f"list[{self.item}]"


NumT = IntT | FloatT
Type = BoolT | IntT | FloatT | StrT | DateT | EnumT | ListT

BOOL = BoolT()
STR = StrT()
DATE = DateT()
