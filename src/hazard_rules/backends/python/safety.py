"""Verify that generated source is made only of the constructs the generator emits.

Defence in depth: even though rule text reaches the generator only as escaped
literals, the generated module is parsed and every node checked against a
whitelist before it is compiled. No imports, no attribute access other than
``facts.get``/``_TV.get``/``.days``, no calls other than a few helpers, no
names other than locals, helpers and constants.
"""

from __future__ import annotations

import ast

from hazard_rules.errors import HazardRulesError

__all__ = ["HELPERS", "UnsafeCodeError", "verify"]

#: The only functions generated code may call.
HELPERS = frozenset({"min", "max", "len", "get", "frozenset", "_date", "_count_compare"})

_ALLOWED_NODES = (
    ast.Module, ast.FunctionDef, ast.arguments, ast.arg, ast.Assign, ast.Return, ast.If,
    ast.For, ast.Break, ast.Name, ast.Load, ast.Store, ast.Constant, ast.Tuple, ast.Compare,
    ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.IfExp, ast.Call, ast.Attribute, ast.And, ast.Or,
    ast.Not, ast.USub, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Eq, ast.NotEq, ast.Lt,
    ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
)
_ATTRIBUTES = {("facts", "get"), ("_TV", "get"), (None, "days")}


class UnsafeCodeError(HazardRulesError):
    """Generated code contained a construct outside the whitelist (a bug, or an attack)."""


def verify(source: str) -> None:
    """Raise :class:`UnsafeCodeError` unless ``source`` uses only whitelisted constructs."""
    tree = ast.parse(source)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if len(functions) != 1 or functions[0].name != "evaluate":
        raise UnsafeCodeError("generated module must define exactly one function 'evaluate'")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise UnsafeCodeError(f"construct {type(node).__name__} at line "
                                  f"{getattr(node, 'lineno', '?')}")
        if isinstance(node, ast.FunctionDef) and (node.decorator_list or node.returns):
            raise UnsafeCodeError("decorated or annotated function")
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            raise UnsafeCodeError(f"dunder name {node.id!r}")
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if (owner, node.attr) not in _ATTRIBUTES and (None, node.attr) not in _ATTRIBUTES:
                raise UnsafeCodeError(f"attribute access .{node.attr}")
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(
                f, ast.Attribute) else None
            if name not in HELPERS or node.keywords:
                raise UnsafeCodeError(f"call of {ast.unparse(f)!r}")
