"""Lexer and recursive-descent parser of the condition language.

Grammar (lowest precedence first)::

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum [ ("=="|"!="|"<"|"<="|">"|">="|"in"|"not" "in"|"contains") sum ]
    sum        := product (("+"|"-") product)*
    product    := unary (("*"|"/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER [UNIT] | STRING | "true" | "false" | "[" [expr ("," expr)*] "]"
                | "(" expr ")" | NAME ("." NAME)* | NAME "(" args ")"
    args       := NAME "in" expr ":" expr          (any / all with a variable)
                | [expr ("," expr)*]

>>> parse("dust.in_use and not dust.explosion_control")  # doctest: +ELLIPSIS
Logic(op='and', operands=(Name(parts=('dust', 'in_use'), ...
>>> parse("gas.seal_pressure < 30 kPa").right
Number(value=30, unit='kPa', start=20, end=26, unit_start=23)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hazard_rules.lang import ast
from hazard_rules.units import UNITS

__all__ = ["KEYWORDS", "ConditionSyntaxError", "Token", "parse", "tokenize"]

KEYWORDS = frozenset({"and", "or", "not", "in", "contains", "true", "false"})


class ConditionSyntaxError(Exception):
    """A condition does not parse. Offsets are relative to the condition text."""

    def __init__(
        self, code: str, message: str, start: int, end: int, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.start = start
        self.end = end
        self.hint = hint


@dataclass(frozen=True)
class Token:
    kind: str  # NUMBER STRING NAME OP KW END
    text: str
    start: int
    end: int
    value: object = None


_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*")
_UNIT = re.compile(r"%|[A-Za-z_][A-Za-z0-9_]*")
_OPS = ("==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ":")
_MISTAKES = {
    "&&": ("'&&' is not an operator", "use 'and'"),
    "||": ("'||' is not an operator", "use 'or'"),
    "&": ("'&' is not an operator", "use 'and'"),
    "|": ("'|' is not an operator", "use 'or'"),
    "!": ("'!' is not an operator", "use 'not'"),
    "=": ("'=' is not an operator", "use '==' to compare"),
    "'": ("strings are written in double quotes", 'write "text"'),
}
_FULLWIDTH = {"（": "(", "）": ")", "，": ",", "：": ":", "“": '"', "”": '"', "＝": "=", "＞": ">",
              "＜": "<", "［": "[", "］": "]"}


def tokenize(text: str) -> list[Token]:
    """Split a condition into tokens; raises :class:`ConditionSyntaxError`."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit():
            m = _NUMBER.match(text, i)
            assert m is not None
            raw = m.group()
            value: int | float = float(raw) if any(c in raw for c in ".eE") else int(raw)
            end = m.end()
            tokens.append(Token("NUMBER", raw, i, end, value))
            # a unit directly after a number: "30 kPa", "110%"
            j = end
            while j < n and text[j] in " \t":
                j += 1
            um = _UNIT.match(text, j)
            followed = um is not None and um.end() < n and text[um.end()] in "._("
            if um and um.group() in UNITS and not followed:
                tokens.append(Token("UNIT", um.group(), j, um.end(), um.group()))
                i = um.end()
            elif um and um.group() not in KEYWORDS and um.group()[0].isalpha() and not followed:
                # a word right after a number can only be a unit
                raise ConditionSyntaxError(
                    "unknown-unit", f"unknown unit {um.group()!r}", j, um.end(),
                    _unit_hint(um.group()),
                )
            else:
                i = end
            continue
        if ch == "_":
            raise ConditionSyntaxError(
                "syntax", "names cannot start with '_'", i, i + 1,
                "fact names look like 'dust.dry_collector_in_use'")
        if ch.isalpha() and ch.isascii():
            m = _NAME.match(text, i)
            assert m is not None
            word = m.group()
            if text[m.end() : m.end() + 1] == ".":
                raise ConditionSyntaxError(
                    "syntax", "a name cannot end with '.'", i, m.end() + 1
                )
            kind = "KW" if word in KEYWORDS else "NAME"
            tokens.append(Token(kind, word, i, m.end(), word))
            i = m.end()
            continue
        if ch == '"':
            j = i + 1
            buf: list[str] = []
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '"\\':
                    buf.append(text[j + 1])
                    j += 2
                    continue
                if text[j] == "\n":
                    break
                buf.append(text[j])
                j += 1
            if j >= n or text[j] != '"':
                raise ConditionSyntaxError(
                    "syntax", "unterminated string", i, j, 'close it with a double quote "'
                )
            tokens.append(Token("STRING", text[i : j + 1], i, j + 1, "".join(buf)))
            i = j + 1
            continue
        for mistake, (msg, hint) in _MISTAKES.items():
            if text.startswith(mistake, i) and not any(text.startswith(op, i) for op in _OPS
                                                        if len(op) > len(mistake)):
                raise ConditionSyntaxError("syntax", msg, i, i + len(mistake), hint)
        op = next((o for o in _OPS if text.startswith(o, i)), None)
        if op is not None:
            tokens.append(Token("OP", op, i, i + len(op), op))
            i += len(op)
            continue
        if ch in _FULLWIDTH:
            raise ConditionSyntaxError(
                "syntax", f"full-width character {ch!r}", i, i + 1, f"use {_FULLWIDTH[ch]!r}"
            )
        if not ch.isascii():
            raise ConditionSyntaxError(
                "syntax",
                f"unexpected character {ch!r}",
                i,
                i + 1,
                "fact names are ASCII snake_case; text belongs in double quotes",
            )
        raise ConditionSyntaxError("syntax", f"unexpected character {ch!r}", i, i + 1)
    tokens.append(Token("END", "", n, n))
    return tokens


def _unit_hint(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(UNITS), n=1, cutoff=0.5)
    known = ", ".join(sorted(UNITS, key=str.lower))
    return f"did you mean {close[0]!r}?" if close else f"known units: {known}"


_COMPARE = {"==", "!=", "<", "<=", ">", ">="}
_QUANTIFIERS = {"any", "all"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.pos + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        t = self.tokens[self.pos]
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return t

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            self.fail(f"expected {what}")
        return self.advance()

    def fail(self, message: str, hint: str | None = None) -> ConditionSyntaxError:
        t = self.tok
        found = "end of condition" if t.kind == "END" else repr(t.text)
        raise ConditionSyntaxError(
            "syntax", f"{message}, found {found}", t.start, max(t.end, t.start + 1), hint
        )

    # expr := or
    def parse(self) -> ast.Node:
        if self.at("END"):
            raise ConditionSyntaxError("syntax", "empty condition", 0, 0)
        node = self.or_expr()
        if not self.at("END"):
            hint = None
            if self.tok.kind in ("NAME", "NUMBER", "STRING") or self.at("OP", "("):
                hint = "join conditions with 'and' or 'or'"
            self.fail("expected 'and', 'or' or the end of the condition", hint)
        return node

    def _logic(self, op: str, sub: Callable[[], ast.Node]) -> ast.Node:
        first = sub()
        items = [first]
        while self.at("KW", op):
            self.advance()
            items.append(sub())
        if len(items) == 1:
            return first
        return ast.Logic(op, tuple(items), items[0].start, items[-1].end)

    def or_expr(self) -> ast.Node:
        return self._logic("or", self.and_expr)

    def and_expr(self) -> ast.Node:
        return self._logic("and", self.not_expr)

    def not_expr(self) -> ast.Node:
        if self.at("KW", "not") and self.peek().text != "in":
            t = self.advance()
            operand = self.not_expr()
            return ast.NotOp(operand, t.start, operand.end)
        return self.comparison()

    def comparison(self) -> ast.Node:
        left = self.sum_expr()
        t = self.tok
        op: str | None = None
        if (t.kind == "OP" and t.text in _COMPARE) or (
                t.kind == "KW" and t.text in ("in", "contains")):
            op = t.text
            self.advance()
        elif t.kind == "KW" and t.text == "not" and self.peek().text == "in":
            self.advance()
            self.advance()
            op = "not in"
        if op is None:
            return left
        op_end = self.tokens[self.pos - 1].end
        right = self.sum_expr()
        nxt = self.tok
        if (nxt.kind == "OP" and nxt.text in _COMPARE) or (
            nxt.kind == "KW" and nxt.text in ("in", "contains")
        ):
            raise ConditionSyntaxError(
                "syntax",
                "comparisons cannot be chained",
                left.start,
                nxt.end,
                "write 'a < b and b < c'",
            )
        return ast.Cmp(op, left, right, left.start, right.end, t.start, op_end)

    def sum_expr(self) -> ast.Node:
        node = self.product()
        while self.tok.kind == "OP" and self.tok.text in ("+", "-"):
            t = self.advance()
            right = self.product()
            node = ast.BinOp(t.text, node, right, node.start, right.end, t.start, t.end)
        return node

    def product(self) -> ast.Node:
        node = self.unary()
        while self.tok.kind == "OP" and self.tok.text in ("*", "/"):
            t = self.advance()
            right = self.unary()
            node = ast.BinOp(t.text, node, right, node.start, right.end, t.start, t.end)
        return node

    def unary(self) -> ast.Node:
        if self.at("OP", "-"):
            t = self.advance()
            operand = self.unary()
            return ast.Neg(operand, t.start, operand.end)
        return self.primary()

    def primary(self) -> ast.Node:
        t = self.tok
        if t.kind == "NUMBER":
            self.advance()
            assert isinstance(t.value, int | float)
            if self.at("UNIT"):
                u = self.advance()
                return ast.Number(t.value, u.text, t.start, u.end, u.start)
            return ast.Number(t.value, None, t.start, t.end)
        if t.kind == "UNIT":  # a unit symbol used where a name is expected
            self.advance()
            return ast.Name((t.text,), t.start, t.end)
        if t.kind == "STRING":
            self.advance()
            assert isinstance(t.value, str)
            return ast.StringLit(t.value, t.start, t.end)
        if t.kind == "KW" and t.text in ("true", "false"):
            self.advance()
            return ast.BoolLit(t.text == "true", t.start, t.end)
        if t.kind == "OP" and t.text == "(":
            self.advance()
            inner = self.or_expr()
            self.expect("OP", ")", "')'")
            return inner
        if t.kind == "OP" and t.text == "[":
            self.advance()
            items: list[ast.Node] = []
            if not self.at("OP", "]"):
                items.append(self.or_expr())
                while self.at("OP", ","):
                    self.advance()
                    items.append(self.or_expr())
            end = self.expect("OP", "]", "',' or ']'")
            return ast.ListLit(tuple(items), t.start, end.end)
        if t.kind == "NAME":
            self.advance()
            if self.at("OP", "("):
                return self.call(t)
            return ast.Name(tuple(t.text.split(".")), t.start, t.end)
        self.fail("expected a value, a fact name or '('")
        raise AssertionError  # pragma: no cover

    def call(self, name: Token) -> ast.Node:
        self.advance()  # "("
        if name.text in _QUANTIFIERS and self.tok.kind == "NAME" and self.peek().text == "in" \
                and "." not in self.tok.text:
            var = self.advance()
            self.advance()  # in
            coll = self.sum_expr()
            self.expect("OP", ":", "':' after the list in any(x in list: condition)")
            body = self.or_expr()
            end = self.expect("OP", ")", "')'")
            return ast.QuantCall(name.text, var.text, coll, body, name.start, end.end, var.start)
        args: list[ast.Node] = []
        if not self.at("OP", ")"):
            args.append(self.or_expr())
            while self.at("OP", ","):
                self.advance()
                args.append(self.or_expr())
        end = self.expect("OP", ")", "',' or ')'")
        return ast.Call(name.text, tuple(args), name.start, end.end, name.end)


def parse(text: str) -> ast.Node:
    """Parse a condition into an AST; raises :class:`ConditionSyntaxError`."""
    return _Parser(text).parse()
