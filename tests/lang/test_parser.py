import pytest

from hazard_rules.lang import ast
from hazard_rules.lang.parser import ConditionSyntaxError, parse, tokenize
from hazard_rules.units import UNITS

KNOWN_UNITS = "known units: " + ", ".join(sorted(UNITS, key=str.lower))


def test_precedence_or_and_not_comparison_arithmetic() -> None:
    tree = parse("not a.x or b.y and c.z > 1 + 2 * 3")
    assert isinstance(tree, ast.Logic) and tree.op == "or"
    left, right = tree.operands
    assert isinstance(left, ast.NotOp)
    assert isinstance(right, ast.Logic) and right.op == "and"
    cmp = right.operands[1]
    assert isinstance(cmp, ast.Cmp) and cmp.op == ">"
    total = cmp.right
    assert isinstance(total, ast.BinOp) and total.op == "+"
    assert isinstance(total.right, ast.BinOp) and total.right.op == "*"


def test_and_or_are_flattened() -> None:
    tree = parse("a.x and b.y and c.z")
    assert isinstance(tree, ast.Logic) and len(tree.operands) == 3


def test_units_attach_to_numbers() -> None:
    tree = parse("a.p < 30 kPa and a.q >= 110%")
    assert isinstance(tree, ast.Logic)
    first, second = tree.operands
    assert isinstance(first, ast.Cmp) and first.right == ast.Number(30, "kPa", 6, 12, 9)
    assert isinstance(second, ast.Cmp) and isinstance(second.right, ast.Number)
    assert second.right.unit == "%"


def test_membership_forms() -> None:
    assert parse('e.s contains "x"').op == "contains"  # type: ignore[union-attr]
    assert parse('e.s in ["x", "y"]').op == "in"  # type: ignore[union-attr]
    assert parse('e.s not in ["x"]').op == "not in"  # type: ignore[union-attr]


def test_quantifier_and_calls() -> None:
    q = parse("any(t in a.xs: t > 3)")
    assert isinstance(q, ast.QuantCall) and q.var == "t" and q.func == "any"
    c = parse("count_true(a.x, b.y) >= 2")
    assert isinstance(c, ast.Cmp) and isinstance(c.left, ast.Call)
    assert isinstance(parse("any(a.xs)"), ast.Call)


def test_strings_may_hold_chinese_and_escaped_quotes() -> None:
    tree = parse('a.name == "甲\\"乙"')
    assert isinstance(tree, ast.Cmp) and tree.right == ast.StringLit('甲"乙', 10, 16)


@pytest.mark.parametrize(
    ("text", "message", "start", "end", "hint"),
    [
        ("a.x && b.y", "'&&' is not an operator", 4, 6, "use 'and'"),
        ("a.x || b.y", "'||' is not an operator", 4, 6, "use 'or'"),
        ("!a.x", "'!' is not an operator", 0, 1, "use 'not'"),
        ("a.x = 3", "'=' is not an operator", 4, 5, "use '==' to compare"),
        ("a.x != 3 and b.y = 2", "'=' is not an operator", 17, 18, "use '==' to compare"),
        ("a.x == 'v'", "strings are written in double quotes", 7, 8, 'write "text"'),
        ("1 < a.x < 3", "comparisons cannot be chained", 0, 9, "write 'a < b and b < c'"),
        ("a.x b.y", "expected 'and', 'or' or the end of the condition, found 'b.y'", 4, 7,
         "join conditions with 'and' or 'or'"),
        ("(a.x", "expected ')', found end of condition", 4, 5, None),
        ("a.x （b.y）", "full-width character '（'", 4, 5, "use '('"),
        ("a.x and 检查", "unexpected character '检'", 8, 9,
         "fact names are ASCII snake_case; text belongs in double quotes"),
        ('a.x == "open', "unterminated string", 7, 12, 'close it with a double quote "'),
        ("", "empty condition", 0, 0, None),
        ("a.x > 3 kpa", "unknown unit 'kpa'", 8, 11, "did you mean 'kPa'?"),
        ("a. > 3", "a name cannot end with '.'", 0, 2, None),
        ("a.x > 5 qqq", "unknown unit 'qqq'", 8, 11, KNOWN_UNITS),
        ("__import__", "names cannot start with '_'", 0, 1,
         "fact names look like 'dust.dry_collector_in_use'"),
        ("a.x and", "expected a value, a fact name or '(', found end of condition", 7, 8,
         None),
    ],
)
def test_syntax_errors_point_at_the_problem(
    text: str, message: str, start: int, end: int, hint: str | None
) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    err = info.value
    assert (err.message, err.start, err.end, err.hint) == (message, start, end, hint)


def test_no_python_escape_hatch() -> None:
    # attribute access, subscripts, lambdas and dunders are not in the language
    for text in ('__import__("os").system("x")', "a.x[0]", "lambda: 1", "a.__class__",
                 "a.x.__class__", "a.x()()", "a.x if b.y else c.z"):
        with pytest.raises(ConditionSyntaxError):
            parse(text)


def test_tokens_keep_offsets() -> None:
    toks = tokenize("a.b >= 2 kPa")
    assert [(t.kind, t.text, t.start, t.end) for t in toks] == [
        ("NAME", "a.b", 0, 3), ("OP", ">=", 4, 6), ("NUMBER", "2", 7, 8),
        ("UNIT", "kPa", 9, 12), ("END", "", 12, 12)]
