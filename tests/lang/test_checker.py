import pytest

from hazard_rules.ir import dump
from hazard_rules.lang.checker import Scope, check
from hazard_rules.lang.parser import parse
from hazard_rules.typesys import BOOL, DATE, STR, EnumT, FloatT, IntT, ListT

SECTOR = EnumT("e.sector", ("metallurgy", "textile", "commerce"))
SCOPE = Scope(
    facts={
        "a.x": BOOL, "a.y": BOOL, "a.z": BOOL,
        "g.seal": FloatT("kPa"), "g.pressure": FloatT("MPa"), "c.load": FloatT("t"),
        "c.rated": FloatT("t"), "c.height": FloatT("m"), "p.workers": IntT("persons"),
        "p.count": IntT(), "p.ratio": FloatT("%"), "e.sector": SECTOR,
        "e.scopes": ListT(EnumT("e.scopes", ("dust", "ammonia"))), "l.ok": ListT(BOOL),
        "l.readings": ListT(FloatT("pct_lel")), "d.last": DATE, "record.inspected_on": DATE,
        "s.name": STR,
    },
    elsewhere={"coal.gas": "coal"},
)


def ok(text: str) -> str:
    expr, problems = check(parse(text), SCOPE)
    assert not problems, problems
    assert expr is not None
    return dump(expr)


def errors(text: str) -> list[tuple[str, str, int, int, str | None]]:
    expr, problems = check(parse(text), SCOPE)
    assert expr is None
    return [(p.code, p.message, p.start, p.end, p.hint) for p in problems]


@pytest.mark.parametrize(
    ("text", "ir"),
    [
        ("a.x and not a.y", "(and a.x (not a.y))"),
        ("a.x or a.y or a.z", "(or a.x a.y a.z)"),
        # literals are converted into the fact's unit, exactly
        ("g.seal < 30 kPa", "(< g.seal 30[kPa])"),
        ("g.seal < 0.03 MPa", "(< g.seal 30.0[kPa])"),
        ("g.pressure >= 300 kPa", "(>= g.pressure 0.3[MPa])"),
        # two facts in different units: the right side is scaled
        ("g.seal > g.pressure", "(> g.seal (* g.pressure 1000.0):float[kPa])"),
        # decimal factors become whole numbers on both sides, so boundaries are exact
        ("c.load > 110% * c.rated", "(> (* 10 c.load):float[t] (* 11 c.rated):float[t])"),
        ("c.load >= c.rated * 120 / 100", "(>= (* 5 c.load):float[t] (* 6 c.rated):float[t])"),
        ("p.workers > 9", "(> p.workers 9)"),
        ("p.ratio >= 50%", "(>= p.ratio 50[%])"),
        ('e.sector == "textile"', '(== e.sector "textile")'),
        ('e.sector in ["metallurgy", "textile"]', '(in e.sector ["metallurgy" "textile"])'),
        ('e.scopes contains "dust"', '(in "dust" e.scopes)'),
        ('"dust" in e.scopes', '(in "dust" e.scopes)'),
        ('e.sector not in ["commerce"]', '(not (in e.sector ["commerce"]))'),
        ("known(g.seal) and not known(a.x)", "(and (known g.seal) (not (known a.x)))"),
        ("count_true(a.x, a.y, not a.z) >= 2", "(>= (count_true a.x a.y (not a.z)) 2)"),
        ("2 <= count_true(a.x, a.y)", "(>= (count_true a.x a.y) 2)"),
        ("all(l.ok)", "(all _item l.ok _item)"),
        ("any(r in l.readings: r >= 25 pct_lel)", "(any r l.readings (>= r 25[pct_lel]))"),
        ("len(e.scopes) > 1", "(> (len e.scopes) 1)"),
        ('d.last < date("2020-01-01")', "(< d.last date(2020-01-01))"),
        ("record.inspected_on - d.last > 365 d",
         "(> (- record.inspected_on d.last):int[d] 365[d])"),
        ("record.inspected_on - d.last > 1 min", "(> (- record.inspected_on d.last):int[d] "
                                                 "0.0006944444444444445[d])"),
        ("-c.height < -2 m", "(< (- 0[m] c.height):float[m] -2[m])"),
        ("a.x == true", "(== a.x true)"),
        ('s.name == "张三"', '(== s.name "张三")'),
    ],
)
def test_well_typed_conditions(text: str, ir: str) -> None:
    assert ok(text) == ir


def test_unknown_fact_suggests_the_closest_name() -> None:
    assert errors("g.sael < 30 kPa") == [
        ("unknown-fact", "unknown fact 'g.sael'", 0, 6, "did you mean 'g.seal'?")]


def test_fact_of_an_unused_catalog_names_the_catalog() -> None:
    assert errors("coal.gas") == [(
        "fact-not-in-edition",
        "fact 'coal.gas' belongs to catalog 'coal', which this edition does not use",
        0, 8, "add 'coal' to the edition's 'facts' list")]


def test_every_error_of_a_condition_is_reported() -> None:
    assert [e[0] for e in errors('a.xx and e.sector == "textil" and g.seal < 30')] == [
        "unknown-fact", "unknown-enum-value", "unit-missing"]


@pytest.mark.parametrize(
    ("text", "code", "message", "hint"),
    [
        ('e.sector == "metalurgy"', "unknown-enum-value",
         "'metalurgy' is not a value of enum e.sector", "did you mean 'metallurgy'?"),
        ('e.scopes contains "dusty"', "unknown-enum-value",
         "'dusty' is not a value of enum e.scopes", "did you mean 'dust'?"),
        ('e.sector in ["metallurgy", "textle"]', "unknown-enum-value",
         "'textle' is not a value of enum e.sector", "did you mean 'textile'?"),
        ("g.seal < 30", "unit-missing",
         "the number 30 has no unit but is compared with a value in kPa", "write 30 kPa"),
        ("g.seal < 30 m", "unit-mismatch",
         "cannot combine float[kPa] (pressure) with int[m] (length)", None),
        ("c.load * c.rated > 3 t", "unit-mismatch", "cannot multiply float[t] by float[t]",
         "multiply a quantity by a plain number or a percentage"),
        ("a.x == 1", "type-mismatch", "cannot compare bool with int",
         "a yes/no fact is compared with true or false"),
        ("a.x > a.y", "type-mismatch", "'>' compares numbers or dates, not bool and bool", None),
        ("g.seal", "type-mismatch", "a condition must be true or false, but this is float[kPa]",
         "compare it, e.g. 'x > 0' or 'x == \"value\"'"),
        ("not g.seal", "type-mismatch",
         "the operand of 'not' must be true or false, but this is float[kPa]",
         "compare it, e.g. 'x > 0' or 'x == \"value\"'"),
        ("count_true(a.x, a.y)", "type-mismatch", "count_true() must be compared with a number",
         "e.g. count_true(a.x, a.y, a.z) >= 2"),
        ("count_true(a.x) > 1.5", "type-mismatch",
         "count_true() is compared with a whole number, not float", None),
        ("maxi(a.x)", "unknown-function", "unknown function 'maxi'",
         "functions: known, count_true, any, all, len, date"),
        ("lenn(e.scopes) > 0", "unknown-function", "unknown function 'lenn'",
         "did you mean 'len'?"),
        ("known(a.x, a.y)", "arity", "known() takes exactly one argument", None),
        ("known(p.count + 1)", "type-mismatch", "known() takes a fact name", None),
        ('d.last < date("2020-13-01")', "bad-literal", "'2020-13-01' is not a date",
         'write date("2024-01-31")'),
        ("any(e.scopes)", "type-mismatch",
         "any() takes a list of true/false values, not list[enum e.scopes]",
         "write any(x in list: condition) to test each item"),
        ("any(x in g.seal: x > 1 kPa)", "type-mismatch",
         "any() iterates over a list, not float[kPa]", None),
        ('e.sector contains "x"', "type-mismatch",
         "'contains' needs a list on the left, not enum e.sector", None),
        ("e.sector == s.name", "type-mismatch", "enum e.sector is compared with a quoted value, "
         "not str", None),
        ("c.load / c.rated > 1.1", "division",
         "division is only allowed by a literal number other than 0",
         "compare products instead: write 'a > 1.1 * b' rather than 'a / b > 1.1'"),
        ("c.load / 0 > 1 t", "division",
         "division is only allowed by a literal number other than 0",
         "compare products instead: write 'a > 1.1 * b' rather than 'a / b > 1.1'"),
        ("x", "unknown-fact", "unknown fact 'x'",
         "facts are written with their namespace, e.g. 'dust.dry_collector_in_use'"),
    ],
)
def test_type_errors(text: str, code: str, message: str, hint: str | None) -> None:
    [(c, m, _, _, h)] = errors(text)
    assert (c, m, h) == (code, message, hint)


def test_quantifier_variable_is_scoped() -> None:
    assert errors("any(r in l.readings: r > 1 pct_lel) and r > 2 pct_lel")[0][:2] == (
        "unknown-fact", "unknown fact 'r'")
