"""Conditions for people: the typed IR rendered with fact labels, in Chinese or English.

A reviewer reads ``「已设置报警装置」为否 或 「报警装置已联锁」为否`` faster than
``not plant.alarm_installed or not plant.alarm_linked``, and spots a wrong fact
more easily. The rendering follows the IR (so units are already converted and
enum values are checked), with two readability touches: the exact scaling the
checker introduces (``a < 80% * b`` is compiled to ``5 * a < 4 * b``) is shown
again as a factor on the right (``a < 80% × b``), and ``== true`` / ``== false``
read as the fact itself or its negation.

:func:`condition_text` gives one line; :func:`condition_tree` the same with the
top-level ``and``/``or`` as nested :class:`Group` lists, for the rule catalog.

>>> from hazard_rules import ir
>>> from hazard_rules.typesys import BOOL, FloatT
>>> e = ir.Or((ir.Not(ir.Fact("plant.alarm", BOOL)),
...            ir.Compare("<", ir.Fact("plant.seal", FloatT("kPa")), ir.Const(30, FloatT("kPa")))))
>>> condition_text(e)
'「plant.alarm」为否 或 「plant.seal」 < 30 kPa'
>>> condition_text(e, lang="en")
'not "plant.alarm" or "plant.seal" < 30 kPa'
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from hazard_rules import ir
from hazard_rules.typesys import BoolT, EnumT, FloatT, IntT, ListT, Type
from hazard_rules.units import UNITS

if TYPE_CHECKING:
    from hazard_rules.model import Catalog

__all__ = ["Group", "Part", "condition_text", "condition_tree", "unit_text"]

_CMP = {"==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_ARITH = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}
#: symbols shown instead of the catalog's ASCII unit names
_SYMBOLS = {"pct_lel": "%LEL", "degC": "℃", "m2": "m²", "m3": "m³", "deg": "°", "ohm": "Ω",
            "Mohm": "MΩ", "t_per_a": "t/a", "kt_per_a": "kt/a", "Mt_per_a": "Mt/a"}
_WORDS = {
    "zh": {"and": " 且 ", "or": " 或 ", "all": "同时满足：", "any": "满足任一：",
           "no": "为否", "yes": "为是", "not": "并非", "item": "该项", "true": "是",
           "false": "否", "sep": "、", "known": "已填报{}", "unknown": "未填报{}",
           "one_of": "{} 为 {} 之一", "not_one_of": "{} 不为 {} 之一",
           "contains": "{} 包含 {}", "lacks": "{} 不包含 {}", "member": "{} 属于 {}",
           "not_member": "{} 不属于 {}", "len": "{}的项数", "any_item": "{}中任一项{}",
           "all_items": "{}中每一项{}", "holds": "满足：", "count": "下列各项中成立的项数 {} {}：",
           "none": "空", "open": "（", "close": "）", "then": "：", "semi": "；"},
    "en": {"and": " and ", "or": " or ", "all": "all of:", "any": "any of:", "no": "",
           "yes": "", "not": "not ", "item": "the item", "true": "yes", "false": "no",
           "sep": ", ", "known": "{} is reported", "unknown": "{} is not reported",
           "one_of": "{} is one of {}", "not_one_of": "{} is not one of {}",
           "contains": "{} contains {}", "lacks": "{} does not contain {}",
           "member": "{} is in {}", "not_member": "{} is not in {}",
           "len": "the number of items of {}", "any_item": "some item of {} {}",
           "all_items": "every item of {} {}", "holds": "satisfies: ",
           "count": "the number of these that hold is {} {}:", "none": "none", "open": "(",
           "close": ")", "then": ": ", "semi": "; "},
}
#: a one-line rendering wider than this (in columns; a Chinese character takes two)
#: becomes a nested list in :func:`condition_tree`
TREE_WIDTH = 60


@dataclass(frozen=True)
class Group:
    """A list of conditions under a heading: all of them (``and``), any of them (``or``),
    or a count of them (``count_true``).

    >>> Group("同时满足：", ("「a」", "「b」")).head
    '同时满足：'
    """

    head: str
    items: tuple[Part, ...]


Part = str | Group


def unit_text(unit: str | None, lang: str = "zh") -> str:
    """How a unit reads: SI symbols as they are, catalog names made readable,
    counting and time units as words in Chinese.

    >>> unit_text("pct_lel"), unit_text("persons"), unit_text("persons", "en")
    ('%LEL', '人', 'persons')
    >>> unit_text("m3_per_min"), unit_text("d"), unit_text("d", "en")
    ('m³/min', '天', 'd')
    """
    if unit is None:
        return ""
    if unit in _SYMBOLS:
        return _SYMBOLS[unit]
    u = UNITS.get(unit)
    if u is not None and lang == "zh" and (u.is_count or u.dimension == "time"):
        return u.zh
    parts = unit.split("_per_")
    return "/".join(_SYMBOLS.get(p, p) for p in parts)


def _number(value: int | float | Fraction) -> str:
    if isinstance(value, Fraction):
        value = int(value) if value.denominator == 1 else float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _factor(k: Fraction) -> str:
    """A factor as people write it: ``2``, ``110%``, ``50%``."""
    if k.denominator == 1:
        return str(k.numerator)
    return f"{_number(k * 100)}%"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _terminates(k: Fraction) -> bool:
    d = k.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


class _Renderer:
    def __init__(self, catalog: Catalog | None, lang: str) -> None:
        if lang not in _WORDS:
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        self.catalog = catalog
        self.lang = lang
        self.w = _WORDS[lang]
        self.bound: dict[str, str] = {}  # quantifier variables and how they read

    # -- leaves ------------------------------------------------------------------------

    def label(self, name: str) -> str:
        fact = self.catalog.get(name) if self.catalog is not None else None
        text = fact.label(self.lang) if fact is not None else name
        return f"「{text}」" if self.lang == "zh" else f'"{text}"'

    def const(self, value: object, type_: Type) -> str:
        if isinstance(value, bool):
            return self.w["true" if value else "false"]
        if isinstance(value, tuple):
            item = type_.item if isinstance(type_, ListT) else type_
            return self.w["sep"].join(self.const(v, item) for v in value) or self.w["none"]
        if isinstance(value, str):
            if isinstance(type_, EnumT) and self.catalog is not None:
                fact = self.catalog.get(type_.name)
                if fact is not None and value in fact.value_labels:
                    return fact.value_label(value, self.lang)
            return f'"{value}"'
        if isinstance(value, dt.date):
            return value.isoformat()
        assert isinstance(value, int | float)
        unit = type_.unit if isinstance(type_, IntT | FloatT) else None
        text = _number(value)
        if unit is None:
            return text
        shown = unit_text(unit, self.lang)
        return f"{text}{shown}" if unit == "%" else f"{text} {shown}"

    # -- expressions -------------------------------------------------------------------

    def text(self, e: ir.Expr, parent: str | None = None) -> str:
        """One line; ``parent`` is the enclosing logical operator, for parentheses."""
        match e:
            case ir.And(operands=ops) | ir.Or(operands=ops):
                op = "and" if isinstance(e, ir.And) else "or"
                body = self.w[op].join(self.text(o, op) for o in ops)
                return self.paren(body) if parent in ("and", "or", "not") else body
            case ir.Not(operand=o):
                return self.negated(o)
            case ir.Compare():
                return self.compare(e)
            case ir.Member(item=item, collection=coll):
                return self.member(item, coll, negated=False)
            case ir.Known(operand=o):
                return self.w["known"].format(self.value(o))
            case ir.CountCompare(op=op, operands=ops, bound=b):
                items = self.w["semi"].join(self.text(o, "not") for o in ops)
                space = "" if self.lang == "zh" else " "
                return self.w["count"].format(_CMP[op], self.value(b)) + space + items
            case ir.Quantifier():
                return self.quantifier(e)
            case ir.Fact(type=BoolT()) | ir.Var(type=BoolT()):
                return self.value(e)
            case ir.Const(value=bool() as v):
                return self.w["true" if v else "false"]
        return self.value(e)  # pragma: no cover - a non-boolean condition cannot type-check

    def paren(self, body: str) -> str:
        return f"{self.w['open']}{body}{self.w['close']}"

    def negated(self, o: ir.Expr) -> str:
        zh = self.lang == "zh"
        match o:
            case ir.Fact(type=BoolT()) | ir.Var(type=BoolT()):
                return f"{self.value(o)}{self.w['no']}" if zh else f"not {self.value(o)}"
            case ir.Known(operand=inner):
                return self.w["unknown"].format(self.value(inner))
            case ir.Member(item=item, collection=coll):
                return self.member(item, coll, negated=True)
            case ir.Not(operand=inner):
                return self.text(inner, "not")
        inner_text = self.text(o, "not")
        if not inner_text.startswith(self.w["open"]):
            inner_text = self.paren(inner_text)
        return f"{self.w['not']}{inner_text}"

    def compare(self, e: ir.Compare) -> str:
        left, right = e.left, e.right
        # x == true reads as x; x == false as "x is no"
        for fact, other in ((left, right), (right, left)):
            if isinstance(other, ir.Const) and isinstance(other.value, bool) and \
                    isinstance(fact.type, BoolT) and e.op in ("==", "!="):
                positive = other.value == (e.op == "==")
                return self.text(fact, "not") if positive else self.negated(fact)
        scaled = self.unscaled(left, right)
        if scaled is not None:
            a, k, b = scaled
            return f"{self.value(a)} {_CMP[e.op]} {_factor(k)} × {self.value(b, 2)}"
        return f"{self.value(left)} {_CMP[e.op]} {self.value(right)}"

    @staticmethod
    def unscaled(left: ir.Expr, right: ir.Expr) -> tuple[ir.Expr, Fraction, ir.Expr] | None:
        """``5 * a < 4 * b`` as ``(a, 4/5, b)``: undo the checker's exact scaling when
        the factor is a terminating decimal (80%, 110%, 0.5)."""

        def split(x: ir.Expr) -> tuple[int, ir.Expr]:
            if isinstance(x, ir.Arith) and x.op == "*" and isinstance(x.left, ir.Const) \
                    and type(x.left.value) is int and x.left.value > 0:
                return x.left.value, x.right
            return 1, x

        (ka, a), (kb, b) = split(left), split(right)
        if ka == 1:
            return None
        k = Fraction(kb, ka)
        return (a, k, b) if _terminates(k) else None

    def member(self, item: ir.Expr, coll: ir.Expr, negated: bool) -> str:
        if isinstance(coll, ir.Const):
            key = "not_one_of" if negated else "one_of"
            return self.w[key].format(self.value(item), self.value(coll))
        if isinstance(coll.type, ListT) and not isinstance(item, ir.Var):
            key = "lacks" if negated else "contains"
            return self.w[key].format(self.value(coll), self.value(item))
        key = "not_member" if negated else "member"
        return self.w[key].format(self.value(item), self.value(coll))

    def quantifier(self, e: ir.Quantifier) -> str:
        coll = self.value(e.collection)
        key = "any_item" if e.kind == "any" else "all_items"
        body = e.body
        if isinstance(body, ir.Var) and body.name == e.var:
            return self.w[key].format(coll, self.w["yes"] or "is yes").rstrip()
        inner = _Renderer(self.catalog, self.lang)
        inner.bound = {**self.bound, e.var: self.w["item"]}
        return self.w[key].format(coll, self.w["holds"] + inner.text(body))

    def value(self, e: ir.Expr, prec: int = 0) -> str:
        match e:
            case ir.Fact(name=n):
                return self.label(n)
            case ir.Var(name=n):
                return self.bound.get(n, n)
            case ir.Const(value=v, type=t):
                return self.const(v, t)
            case ir.Len(operand=o):
                return self.w["len"].format(self.value(o))
            case ir.Arith(op=op, left=left, right=right):
                p = _PREC[op]
                text = f"{self.value(left, p)} {_ARITH[op]} {self.value(right, p + 1)}"
                return self.paren(text) if p < prec else text
        return self.paren(self.text(e))

    def tree(self, e: ir.Expr) -> Part:
        line = self.text(e)
        if _width(line) <= TREE_WIDTH:
            return line
        match e:
            case ir.And(operands=ops) | ir.Or(operands=ops):
                head = self.w["all" if isinstance(e, ir.And) else "any"]
                return Group(head, tuple(self.tree(o) for o in ops))
            case ir.CountCompare(op=op, operands=ops, bound=b):
                head = self.w["count"].format(_CMP[op], self.value(b))
                return Group(head, tuple(self.tree(o) for o in ops))
        return line


def condition_text(expr: ir.Expr, catalog: Catalog | None = None, lang: str = "zh") -> str:
    """``expr`` as one readable line, facts shown by their labels in ``catalog``
    (Chinese ``zh`` or English ``en``; a fact without a label shows its name).

    >>> from hazard_rules import ir
    >>> from hazard_rules.typesys import BOOL
    >>> condition_text(ir.Known(ir.Fact("plant.last_test", BOOL)))
    '已填报「plant.last_test」'
    """
    return _Renderer(catalog, lang).text(expr)


def condition_tree(expr: ir.Expr, catalog: Catalog | None = None, lang: str = "zh") -> Part:
    """``expr`` as a line, or, when the line would be long, its top-level ``and``/``or``
    (and ``count_true``) as nested :class:`Group` lists of lines.

    >>> from hazard_rules import ir
    >>> from hazard_rules.typesys import BOOL
    >>> facts = [ir.Fact(f"plant.a_rather_long_fact_name_{i}", BOOL) for i in range(3)]
    >>> tree = condition_tree(ir.Or(tuple(facts)), lang="en")
    >>> tree.head, len(tree.items)
    ('any of:', 3)
    """
    return _Renderer(catalog, lang).tree(expr)


def walk_parts(part: Part, visit: Callable[[str, int], None], depth: int = 0) -> None:
    """Call ``visit(line, depth)`` for each heading and line of a rendered tree, in order.

    >>> lines: list[str] = []
    >>> walk_parts(Group("all of:", ("a", "b")), lambda s, d: lines.append("  " * d + s))
    >>> lines
    ['all of:', '  a', '  b']
    """
    if isinstance(part, str):
        visit(part, depth)
        return
    visit(part.head, depth)
    for item in part.items:
        walk_parts(item, visit, depth + 1)
