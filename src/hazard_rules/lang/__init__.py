"""The condition language: lexer, parser (to an AST) and type checker (to the IR).

Conditions are parsed by our own recursive-descent parser; no rule text is ever
handed to Python's ``eval``/``exec``/``compile``.
"""

from hazard_rules.lang.checker import Scope, check
from hazard_rules.lang.parser import ConditionSyntaxError, parse

__all__ = ["ConditionSyntaxError", "Scope", "check", "parse"]
