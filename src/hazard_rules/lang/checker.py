"""Type checker: condition AST -> typed IR, with every problem collected.

Checks that facts exist (with a did-you-mean), that enum values exist, that
operands have compatible types and units, and that functions are whitelisted
and called correctly. Unit conversions of literals are done here, exactly, so
backends only ever compare numbers in one unit.

>>> from hazard_rules.lang.parser import parse
>>> from hazard_rules.typesys import FloatT
>>> scope = Scope({"gas.seal_pressure": FloatT("MPa")})
>>> ir_, problems = check(parse("gas.seal_pressure < 30 kPa"), scope)
>>> from hazard_rules.ir import dump
>>> dump(ir_)
'(< gas.seal_pressure 0.03[MPa])'
>>> _, problems = check(parse("gas.seal_presure < 30 kPa"), scope)
>>> problems[0].code, problems[0].hint
('unknown-fact', "did you mean 'gas.seal_pressure'?")
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from hazard_rules import ir
from hazard_rules.lang import ast
from hazard_rules.typesys import (
    BOOL,
    DATE,
    STR,
    BoolT,
    DateT,
    EnumT,
    FloatT,
    IntT,
    ListT,
    StrT,
    Type,
)
from hazard_rules.units import UNITS

__all__ = ["FUNCTIONS", "Problem", "Scope", "check"]

#: The whitelisted functions of the condition language.
FUNCTIONS = ("known", "count_true", "any", "all", "len", "date")


@dataclass(frozen=True)
class Problem:
    """A type error, with offsets into the condition text."""

    code: str
    message: str
    start: int
    end: int
    hint: str | None = None


@dataclass
class Scope:
    """What a condition may refer to.

    ``facts`` maps each visible fact to its type; ``elsewhere`` maps facts that
    exist in a catalog the edition does not use to that catalog's namespace, so
    the error can say which catalog to add. Facts of ``broken`` namespaces (whose
    catalog file has errors) are not reported again.
    """

    facts: Mapping[str, Type]
    elsewhere: Mapping[str, str] = field(default_factory=dict)
    broken: frozenset[str] = frozenset()  # namespaces or facts whose definition failed


class _Error(Exception):
    pass


def _unit_of(t: Type) -> str | None:
    return t.unit if isinstance(t, IntT | FloatT) else None


def _is_num(t: Type) -> bool:
    return isinstance(t, IntT | FloatT)


def _physical(unit: str | None) -> bool:
    """A unit with a dimension that a bare number must not be compared with."""
    return unit is not None and not UNITS[unit].is_count


def _with_unit(t: Type, unit: str | None) -> Type:
    return FloatT(unit) if isinstance(t, FloatT) else IntT(unit)


def _suggest(word: str, options: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


class _Checker:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.problems: list[Problem] = []
        self.vars: dict[str, Type] = {}

    def error(
        self, code: str, message: str, node: ast.Node | tuple[int, int], hint: str | None = None
    ) -> _Error:
        start, end = (node.start, node.end) if not isinstance(node, tuple) else node
        self.problems.append(Problem(code, message, start, end, hint))
        return _Error(message)

    # -- entry -------------------------------------------------------------------------

    def expect_bool(self, node: ast.Node, what: str = "a condition") -> ir.Expr:
        e = self.expr(node)
        if not isinstance(e.type, BoolT):
            raise self.error(
                "type-mismatch", f"{what} must be true or false, but this is {e.type}", node,
                "compare it, e.g. 'x > 0' or 'x == \"value\"'" if not isinstance(e.type, BoolT)
                else None,
            )
        return e

    def expr(self, node: ast.Node) -> ir.Expr:
        method = getattr(self, "_" + type(node).__name__)
        result: ir.Expr = method(node)
        return result

    # -- leaves ------------------------------------------------------------------------

    def _Name(self, node: ast.Name) -> ir.Expr:
        name = node.dotted
        if len(node.parts) == 1 and name in self.vars:
            return ir.Var(name, self.vars[name])
        if len(node.parts) > 1 and node.parts[0] in self.vars:
            raise self.error("type-mismatch", f"{node.parts[0]!r} has no fields", node)
        t = self.scope.facts.get(name)
        if t is not None:
            return ir.Fact(name, t)
        if node.parts[0] in self.scope.broken or name in self.scope.broken:
            raise _Error("fact of a catalog that failed to load (already reported)")
        if name in self.scope.elsewhere:
            ns = self.scope.elsewhere[name]
            raise self.error(
                "fact-not-in-edition",
                f"fact {name!r} belongs to catalog {ns!r}, which this edition does not use",
                node,
                f"add {ns!r} to the edition's 'facts' list",
            )
        options = list(self.scope.facts) + list(self.vars)
        hint = _suggest(name, options)
        if hint is None and len(node.parts) == 1:
            hint = "facts are written with their namespace, e.g. 'dust.dry_collector_in_use'"
        raise self.error("unknown-fact", f"unknown fact {name!r}", node, hint)

    def _Number(self, node: ast.Number) -> ir.Expr:
        t: Type = FloatT(node.unit) if isinstance(node.value, float) else IntT(node.unit)
        return ir.Const(node.value, t)

    def _StringLit(self, node: ast.StringLit) -> ir.Expr:
        return ir.Const(node.value, STR)

    def _BoolLit(self, node: ast.BoolLit) -> ir.Expr:
        return ir.Const(node.value, BOOL)

    def _ListLit(self, node: ast.ListLit) -> ir.Expr:
        items = [self.expr(i) for i in node.items]
        if not all(isinstance(i, ir.Const) for i in items):
            raise self.error(
                "type-mismatch", "list literals may only contain literal values", node
            )
        consts = [i for i in items if isinstance(i, ir.Const)]
        types = {type(c.type) for c in consts}
        if len(types) > 1:
            raise self.error("type-mismatch", "list items must all have the same type", node)
        item_t: Type = consts[0].type if consts else STR
        return ir.Const(tuple(c.value for c in consts), ListT(item_t))

    # -- logic -------------------------------------------------------------------------

    def _NotOp(self, node: ast.NotOp) -> ir.Expr:
        return ir.Not(self.expect_bool(node.operand, "the operand of 'not'"))

    def _Logic(self, node: ast.Logic) -> ir.Expr:
        ops: list[ir.Expr] = []
        failed = False
        for o in node.operands:
            try:
                ops.append(self.expect_bool(o, f"each operand of '{node.op}'"))
            except _Error:
                failed = True
        if failed:
            raise _Error("operand failed")
        flat: list[ir.Expr] = []
        cls = ir.And if node.op == "and" else ir.Or
        for operand in ops:
            flat.extend(operand.operands if isinstance(operand, cls) else (operand,))
        return cls(tuple(flat))

    # -- comparisons -------------------------------------------------------------------

    def _Cmp(self, node: ast.Cmp) -> ir.Expr:
        if node.op in ("in", "not in", "contains"):
            return self._membership(node)
        if isinstance(node.left, ast.Call) and node.left.func == "count_true":
            return self._count_compare(node, node.left, node.right, node.op)
        if isinstance(node.right, ast.Call) and node.right.func == "count_true":
            flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
            return self._count_compare(node, node.right, node.left, flipped[node.op])
        left, right = self._both(node.left, node.right)
        op = node.op
        lt, rt = left.type, right.type
        opspan = (node.op_start, node.op_end)
        if op in ("<", "<=", ">", ">="):
            if _is_num(lt) and _is_num(rt):
                left, right = _exact_scaling(*self._units(left, right, node))
            elif isinstance(lt, DateT) and isinstance(rt, DateT):
                pass
            else:
                raise self.error(
                    "type-mismatch",
                    f"'{op}' compares numbers or dates, not {lt} and {rt}",
                    opspan,
                )
            return ir.Compare(op, left, right)  # type: ignore[arg-type]
        # == and !=
        left, right = self._equatable(left, right, node)
        return ir.Compare(op, left, right)  # type: ignore[arg-type]

    def _both(self, a: ast.Node, b: ast.Node) -> tuple[ir.Expr, ir.Expr]:
        left = right = None
        with contextlib.suppress(_Error):
            left = self.expr(a)
        with contextlib.suppress(_Error):
            right = self.expr(b)
        if left is None or right is None:
            raise _Error("operand failed")
        return left, right

    def _equatable(
        self, left: ir.Expr, right: ir.Expr, node: ast.Cmp
    ) -> tuple[ir.Expr, ir.Expr]:
        lt, rt = left.type, right.type
        if isinstance(lt, EnumT) or isinstance(rt, EnumT):
            if isinstance(lt, EnumT) and isinstance(rt, EnumT):
                if lt != rt:
                    raise self.error(
                        "type-mismatch", f"cannot compare {lt} with {rt}", node
                    )
                return left, right
            enum_side, other, other_node = (
                (left, right, node.right) if isinstance(lt, EnumT) else (right, left, node.left)
            )
            value = self._enum_value(other, enum_side.type, other_node)  # type: ignore[arg-type]
            return (enum_side, value) if enum_side is left else (value, enum_side)
        if _is_num(lt) and _is_num(rt):
            return _exact_scaling(*self._units(left, right, node))
        if type(lt) is not type(rt) or isinstance(lt, ListT):
            hint = None
            if (isinstance(lt, BoolT) and _is_num(rt)) or (isinstance(rt, BoolT) and _is_num(lt)):
                hint = "a yes/no fact is compared with true or false"
            raise self.error(
                "type-mismatch", f"cannot compare {lt} with {rt}", (node.op_start, node.op_end),
                hint,
            )
        return left, right

    def _enum_value(self, expr: ir.Expr, enum: EnumT, node: ast.Node) -> ir.Const:
        if not (isinstance(expr, ir.Const) and isinstance(expr.type, StrT)):
            raise self.error(
                "type-mismatch", f"{enum} is compared with a quoted value, not {expr.type}", node
            )
        value = expr.value
        assert isinstance(value, str)
        if value not in enum.values:
            raise self.error(
                "unknown-enum-value",
                f"{value!r} is not a value of {enum}",
                node,
                _suggest(value, enum.values) or f"allowed values: {', '.join(enum.values)}",
            )
        return ir.Const(value, enum)

    def _membership(self, node: ast.Cmp) -> ir.Expr:
        item_node, coll_node = (
            (node.right, node.left) if node.op == "contains" else (node.left, node.right)
        )
        item, coll = self._both(item_node, coll_node)
        if not isinstance(coll.type, ListT):
            raise self.error(
                "type-mismatch",
                f"'{node.op}' needs a list on the {'left' if node.op == 'contains' else 'right'},"
                f" not {coll.type}",
                coll_node,
            )
        elem_t = coll.type.item
        if isinstance(coll, ir.Const):
            # literal list: check each value against the item's type
            assert isinstance(coll.value, tuple)
            if isinstance(item.type, EnumT):
                values = []
                for i, v in enumerate(coll.value):
                    sub = coll_node.items[i] if isinstance(coll_node, ast.ListLit) else coll_node
                    assert isinstance(v, str | int | float)
                    values.append(self._enum_value(ir.Const(v, elem_t), item.type, sub).value)
                coll = ir.Const(tuple(values), ListT(item.type))
            elif _is_num(item.type) and _is_num(elem_t):
                unit = _unit_of(item.type)
                lit_unit = _unit_of(elem_t)
                if unit != lit_unit:
                    if _physical(unit) and lit_unit is None:
                        raise self.error(
                            "unit-missing", f"the list has no unit but {item.type} does",
                            coll_node, f"write each value with its unit, e.g. [1 {unit}]",
                        )
                    if unit and lit_unit and UNITS[unit].dimension == UNITS[lit_unit].dimension:
                        f = UNITS[lit_unit].factor / UNITS[unit].factor
                        assert isinstance(coll.value, tuple)
                        numbers = [v for v in coll.value if isinstance(v, int | float)]
                        coll = ir.Const(tuple(float(Fraction(v) * f) for v in numbers),
                                        ListT(FloatT(unit)))
                    elif lit_unit is not None:
                        raise self.error(
                            "unit-mismatch", f"cannot compare {item.type} with {elem_t}", node
                        )
            elif type(item.type) is not type(elem_t) and coll.value:
                raise self.error(
                    "type-mismatch", f"cannot look for {item.type} in a list of {elem_t}", node
                )
        elif isinstance(elem_t, EnumT):
            item = self._enum_value(item, elem_t, item_node) if not isinstance(
                item.type, EnumT) else item
            if item.type != elem_t:
                raise self.error(
                    "type-mismatch", f"cannot look for {item.type} in {coll.type}", node
                )
        elif type(item.type) is not type(elem_t):
            raise self.error(
                "type-mismatch", f"cannot look for {item.type} in {coll.type}", node
            )
        result: ir.Expr = ir.Member(item, coll)
        return ir.Not(result) if node.op == "not in" else result

    def _count_compare(
        self, node: ast.Cmp, call: ast.Call, bound_node: ast.Node, op: str
    ) -> ir.Expr:
        if not call.args:
            raise self.error("arity", "count_true() needs at least one condition", call)
        ops = []
        failed = False
        for a in call.args:
            try:
                ops.append(self.expect_bool(a, "each argument of count_true()"))
            except _Error:
                failed = True
        bound = None
        try:
            bound = self.expr(bound_node)
        except _Error:
            failed = True
        if failed or bound is None:
            raise _Error("operand failed")
        if not isinstance(bound.type, IntT) or _physical(bound.type.unit):
            raise self.error(
                "type-mismatch", f"count_true() is compared with a whole number, not {bound.type}",
                bound_node,
            )
        if op in ("in", "not in", "contains"):
            raise self.error("type-mismatch", f"count_true() cannot be used with '{op}'", node)
        return ir.CountCompare(op, tuple(ops), bound)  # type: ignore[arg-type]

    # -- arithmetic and units ----------------------------------------------------------

    def _units(self, left: ir.Expr, right: ir.Expr, node: ast.Node) -> tuple[ir.Expr, ir.Expr]:
        """Bring two numeric operands of a comparison, + or - to one unit."""
        lu, ru = _unit_of(left.type), _unit_of(right.type)
        if lu == ru:
            return left, right
        if lu is None or ru is None:
            unit = lu or ru
            assert unit is not None
            if UNITS[unit].is_count:
                return left, right
            bare = left if lu is None else right
            if isinstance(bare, ir.Const):
                example = f"{bare.value} {unit}" if unit != "%" else f"{bare.value}%"
                raise self.error(
                    "unit-missing",
                    f"the number {bare.value} has no unit but is compared with a value in {unit}",
                    node, f"write {example}",
                )
            raise self.error(
                "unit-mismatch", f"cannot combine {left.type} with {right.type}", node
            )
        ul, ur = UNITS[lu], UNITS[ru]
        if ul.is_count or ur.is_count:
            if ul.is_count and ur.is_count:
                raise self.error(
                    "unit-mismatch", f"cannot combine {left.type} with {right.type}", node
                )
            return left, right
        if ul.dimension != ur.dimension:
            raise self.error(
                "unit-mismatch",
                f"cannot combine {left.type} ({ul.dimension}) with {right.type} ({ur.dimension})",
                node,
            )
        # convert the literal side, or else the right side, into the other unit
        if isinstance(left, ir.Const) and not isinstance(right, ir.Const):
            return self._convert(left, lu, ru), right
        return left, self._convert(right, ru, lu)

    def _convert(self, e: ir.Expr, from_unit: str, to_unit: str) -> ir.Expr:
        f = UNITS[from_unit].factor / UNITS[to_unit].factor
        if isinstance(e, ir.Const):
            assert isinstance(e.value, int | float)
            v = Fraction(e.value) * f
            if isinstance(e.type, IntT) and v.denominator == 1:
                return ir.Const(int(v), IntT(to_unit))
            return ir.Const(float(v), FloatT(to_unit))
        if f == 1:
            return e
        return ir.Arith("*", e, ir.Const(float(f), FloatT()), FloatT(to_unit))

    def _BinOp(self, node: ast.BinOp) -> ir.Expr:
        left, right = self._both(node.left, node.right)
        lt, rt = left.type, right.type
        op = node.op
        if op == "-" and isinstance(lt, DateT) and isinstance(rt, DateT):
            return ir.Arith("-", left, right, IntT("d"))
        if not (_is_num(lt) and _is_num(rt)):
            raise self.error(
                "type-mismatch", f"'{op}' needs numbers, not {lt} and {rt}",
                (node.op_start, node.op_end),
            )
        is_float = isinstance(lt, FloatT) or isinstance(rt, FloatT) or op == "/"
        base: Type = FloatT() if is_float else IntT()
        if op in ("+", "-"):
            left, right = self._units(left, right, node)
            unit = _unit_of(left.type) or _unit_of(right.type)
            return ir.Arith(op, left, right, _with_unit(base, unit))  # type: ignore[arg-type]
        lu, ru = _unit_of(lt), _unit_of(rt)
        # a ratio literal (110%) multiplies as a plain number
        left, lu = self._ratio_as_number(left, lu)
        right, ru = self._ratio_as_number(right, ru)
        if isinstance(left.type, FloatT) or isinstance(right.type, FloatT):
            base = FloatT()
        if op == "*":
            if _physical(lu) and _physical(ru):
                raise self.error(
                    "unit-mismatch", f"cannot multiply {lt} by {rt}", node,
                    "multiply a quantity by a plain number or a percentage",
                )
            unit = lu if _physical(lu) else ru if _physical(ru) else (lu or ru)
            return ir.Arith("*", left, right, _with_unit(base, unit))
        # division: only by a literal, so that no value can be divided by zero and
        # boundaries stay exact; a / b > k is written a > k * b
        if not (isinstance(right, ir.Const) and isinstance(right.value, int | float)
                and right.value != 0):
            raise self.error(
                "division", "division is only allowed by a literal number other than 0",
                (node.op_start, node.op_end),
                "compare products instead: write 'a > 1.1 * b' rather than 'a / b > 1.1'")
        if ru is not None and _physical(ru):
            if lu is None or not _physical(lu) or UNITS[lu].dimension != UNITS[ru].dimension:
                raise self.error("unit-mismatch", f"cannot divide {lt} by {rt}", node)
            left, right = self._units(left, right, node)
            return ir.Arith("/", left, right, FloatT())
        return ir.Arith("/", left, right, FloatT(lu if _physical(lu) else None))

    def _ratio_as_number(self, e: ir.Expr, unit: str | None) -> tuple[ir.Expr, str | None]:
        if unit == "%" and isinstance(e, ir.Const):
            assert isinstance(e.value, int | float)
            return ir.Const(float(Fraction(e.value) / 100), FloatT()), None
        return e, unit

    def _Neg(self, node: ast.Neg) -> ir.Expr:
        e = self.expr(node.operand)
        if not _is_num(e.type):
            raise self.error("type-mismatch", f"'-' needs a number, not {e.type}", node)
        if isinstance(e, ir.Const):
            assert isinstance(e.value, int | float)
            return ir.Const(-e.value, e.type)
        return ir.Arith("-", ir.Const(0, _with_unit(IntT(), _unit_of(e.type))), e, e.type)

    # -- calls -------------------------------------------------------------------------

    def _Call(self, node: ast.Call) -> ir.Expr:
        f = node.func
        fspan = (node.start, node.func_end)
        if f not in FUNCTIONS:
            raise self.error(
                "unknown-function", f"unknown function {f!r}", fspan,
                _suggest(f, FUNCTIONS) or f"functions: {', '.join(FUNCTIONS)}",
            )
        if f == "count_true":
            raise self.error(
                "type-mismatch", "count_true() must be compared with a number", node,
                "e.g. count_true(a.x, a.y, a.z) >= 2",
            )
        if len(node.args) != 1:
            raise self.error("arity", f"{f}() takes exactly one argument", node)
        arg = node.args[0]
        if f == "date":
            if not isinstance(arg, ast.StringLit):
                raise self.error("type-mismatch", 'date() takes a literal "YYYY-MM-DD"', arg)
            try:
                return ir.Const(dt.date.fromisoformat(arg.value), DATE)
            except ValueError:
                raise self.error(
                    "bad-literal", f"{arg.value!r} is not a date", arg, "write date(\"2024-01-31\")"
                ) from None
        e = self.expr(arg)
        if f == "known":
            if not isinstance(e, ir.Fact):
                raise self.error("type-mismatch", "known() takes a fact name", arg)
            return ir.Known(e)
        if f == "len":
            if not isinstance(e.type, ListT):
                raise self.error("type-mismatch", f"len() takes a list, not {e.type}", arg)
            return ir.Len(e)
        # any(xs) / all(xs) over a list of booleans
        if not (isinstance(e.type, ListT) and isinstance(e.type.item, BoolT)):
            raise self.error(
                "type-mismatch", f"{f}() takes a list of true/false values, not {e.type}", arg,
                f"write {f}(x in list: condition) to test each item",
            )
        return ir.Quantifier(f, "_item", e, ir.Var("_item", BOOL))  # type: ignore[arg-type]

    def _QuantCall(self, node: ast.QuantCall) -> ir.Expr:
        coll = self.expr(node.collection)
        if not isinstance(coll.type, ListT):
            raise self.error(
                "type-mismatch", f"{node.func}() iterates over a list, not {coll.type}",
                node.collection,
            )
        if node.var in self.vars or "." in node.var:
            raise self.error("syntax", f"variable {node.var!r} is already bound",
                             (node.var_start, node.var_start + len(node.var)))
        self.vars[node.var] = coll.type.item
        try:
            body = self.expect_bool(node.body, f"the condition of {node.func}()")
        finally:
            del self.vars[node.var]
        return ir.Quantifier(node.func, node.var, coll, body)  # type: ignore[arg-type]


def _coefficient(e: ir.Expr) -> tuple[Fraction, ir.Expr]:
    """Split ``c * x`` or ``x / c`` (nested) into the literal coefficient and ``x``."""
    if isinstance(e, ir.Arith) and e.op == "/" and isinstance(e.right, ir.Const) \
            and isinstance(e.right.value, int) and not isinstance(e.right.value, bool) \
            and e.right.value > 0:
        k, base = _coefficient(e.left)
        return k / e.right.value, base
    if isinstance(e, ir.Arith) and e.op == "*":
        for const, other in ((e.left, e.right), (e.right, e.left)):
            if isinstance(const, ir.Const) and isinstance(const.value, int | float) \
                    and not isinstance(const.value, bool):
                exact = Fraction(const.value).limit_denominator(10**6)
                if float(exact) == const.value:
                    k, base = _coefficient(other)
                    return exact * k, base
    return Fraction(1), e


def _scaled(k: int, e: ir.Expr) -> ir.Expr:
    return e if k == 1 else ir.Arith("*", ir.Const(k, IntT()), e, e.type)


def _exact_scaling(left: ir.Expr, right: ir.Expr) -> tuple[ir.Expr, ir.Expr]:
    """Compare ``a`` with ``0.8 * b`` as ``5 * a`` with ``4 * b``.

    A decimal factor such as 80% or 1.1 is not exact in binary floating point:
    ``0.8 * 12.0`` is ``9.600000000000001``, so a width of exactly 80% of 12 m
    would count as "less than 80%". Multiplying both sides by the denominator
    keeps every factor a whole number, so each backend computes the same,
    correctly rounded values.
    """
    (ka, a), (kb, b) = _coefficient(left), _coefficient(right)
    if ka.denominator == 1 and kb.denominator == 1:
        return left, right
    scale = ka.denominator * kb.denominator // math.gcd(ka.denominator, kb.denominator)
    return _scaled(int(ka * scale), a), _scaled(int(kb * scale), b)


def check(
    node: ast.Node, scope: Scope, *, expect_bool: bool = True
) -> tuple[ir.Expr | None, list[Problem]]:
    """Type-check a parsed condition. Returns the IR (None on error) and all problems."""
    c = _Checker(scope)
    try:
        result = c.expect_bool(node) if expect_bool else c.expr(node)
    except _Error:
        return None, c.problems
    if c.problems:
        return None, c.problems
    return result, []

