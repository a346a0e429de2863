"""Hypothesis strategies: typed fact values, records from a catalog, random IR conditions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from hazard_rules import ir
from hazard_rules.model import Catalog, Edition, Rule
from hazard_rules.typesys import (
    BOOL,
    DATE,
    BoolT,
    DateT,
    EnumT,
    FloatT,
    IntT,
    ListT,
    StrT,
    Type,
)

DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


def values(t: Type) -> st.SearchStrategy[Any]:
    """Valid values of type ``t`` (as normalised records hold them), with boundary-ish numbers."""
    match t:
        case BoolT():
            return st.booleans()
        case IntT():
            return st.integers(min_value=-3, max_value=40)
        case FloatT():
            return st.one_of(
                st.sampled_from([0.0, 0.03, 9.0, 10.0, 11.0, 24.9, 25.0, 29.9, 30.0, 30.1]),
                st.floats(min_value=-50, max_value=500, allow_nan=False, width=32),
            )
        case StrT():
            return st.text(max_size=5)
        case DateT():
            return DATES
        case EnumT(values=vs):
            return st.sampled_from(vs)
        case ListT(item=item):
            return st.lists(values(item), max_size=4).map(tuple)
    raise AssertionError(t)


def partial_facts(types: Mapping[str, Type]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict giving some of the facts (the others are unknown)."""
    names = sorted(types)
    return st.fixed_dictionaries(
        {}, optional={n: values(types[n]) for n in names}
    )


def completions(types: Mapping[str, Type], facts: dict[str, Any]
                ) -> st.SearchStrategy[dict[str, Any]]:
    """``facts`` plus values for some or all of the facts it leaves unknown."""
    rest = {n: t for n, t in types.items() if n not in facts}
    return partial_facts(rest).map(lambda extra: {**facts, **extra})


# -- random IR over a fixed universe ---------------------------------------------------

UNIVERSE: dict[str, Type] = {
    "u.a": BOOL, "u.b": BOOL, "u.c": BOOL,
    "u.p": FloatT("kPa"), "u.q": FloatT("kPa"), "u.n": IntT("persons"),
    "u.e": EnumT("u.e", ("x", "y", "z")),
    "u.flags": ListT(BOOL), "u.tags": ListT(EnumT("u.tags", ("x", "y", "z"))),
    "u.readings": ListT(FloatT("kPa")), "u.day": DATE,
    "record.inspected_on": DATE,
}


def _leaf() -> st.SearchStrategy[ir.Expr]:
    def f(name: str) -> ir.Fact:
        return ir.Fact(name, UNIVERSE[name])

    ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    num = st.sampled_from([0.0, 9.0, 10.0, 29.9, 30.0, 30.1])
    return st.one_of(
        st.sampled_from(["u.a", "u.b", "u.c"]).map(f),
        st.builds(lambda op, v: ir.Compare(op, f("u.p"), ir.Const(v, FloatT("kPa"))), ops, num),
        st.builds(lambda op: ir.Compare(op, f("u.p"), f("u.q")), ops),
        st.builds(lambda op, v: ir.Compare(
            op, ir.Arith("*", ir.Const(1.1, FloatT()), f("u.q"), FloatT("kPa")),
            ir.Arith("-", f("u.p"), ir.Const(v, FloatT("kPa")), FloatT("kPa"))), ops, num),
        st.builds(lambda op, v: ir.Compare(op, f("u.n"), ir.Const(v, IntT())), ops,
                  st.integers(8, 10)),
        st.builds(lambda op, v: ir.Compare(
            op, ir.Arith("/", f("u.n"), ir.Const(2, IntT()), FloatT()), ir.Const(v, FloatT())),
            ops, st.sampled_from([4.5, 5.0])),
        st.builds(lambda vs: ir.Member(f("u.e"), ir.Const(tuple(vs), ListT(UNIVERSE["u.e"]))),
                  st.lists(st.sampled_from(["x", "y", "z"]), max_size=3, unique=True)),
        st.builds(lambda v: ir.Member(ir.Const(v, UNIVERSE["u.e"]), f("u.tags")),
                  st.sampled_from(["x", "y"])),
        st.sampled_from(["u.a", "u.p", "u.e", "u.tags", "u.day"]).map(lambda n: ir.Known(f(n))),
        st.sampled_from(["any", "all"]).map(
            lambda k: ir.Quantifier(k, "_item", f("u.flags"), ir.Var("_item", BOOL))),
        st.builds(lambda k, v: ir.Quantifier(
            k, "r", f("u.readings"), ir.Compare(">=", ir.Var("r", FloatT("kPa")),
                                                ir.Const(v, FloatT("kPa")))),
            st.sampled_from(["any", "all"]), num),
        st.builds(lambda op, v: ir.Compare(op, ir.Len(f("u.tags")), ir.Const(v, IntT())),
                  ops, st.integers(0, 3)),
        st.builds(lambda op, v: ir.Compare(
            op, ir.Arith("-", f("record.inspected_on"), f("u.day"), IntT("d")),
            ir.Const(v, IntT("d"))), ops, st.sampled_from([0, 365])),
        st.builds(lambda op, v: ir.Compare(op, f("u.day"), ir.Const(v, DATE)), ops, DATES),
    )


def conditions(max_leaves: int = 12) -> st.SearchStrategy[ir.Expr]:
    """Random well-typed boolean IR over :data:`UNIVERSE`."""

    def extend(children: st.SearchStrategy[ir.Expr]) -> st.SearchStrategy[ir.Expr]:
        many = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(
            children.map(ir.Not),
            many.map(ir.And),
            many.map(ir.Or),
            st.builds(lambda op, xs, b: ir.CountCompare(op, xs, ir.Const(b, IntT())),
                      st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), many,
                      st.integers(0, 3)),
            st.builds(ir.Compare, st.sampled_from(["==", "!="]),
                      children, children),
        )

    return st.recursive(_leaf(), extend, max_leaves=max_leaves)


def edition_of(conds: list[ir.Expr], applies: ir.Expr | None = None,
               rule_applies: list[ir.Expr | None] | None = None) -> Edition:
    """A synthetic edition with one rule per condition (for compiling random IR)."""
    guards = rule_applies or [None] * len(conds)
    rules = tuple(
        Rule(id=f"prop/{i + 1}", edition_id="prop", article=f"第{i + 1}项", text="…", when=c,
             applies=a, tags=(), notes=None, index=i, when_source=ir.dump(c),
             applies_source=ir.dump(a) if a is not None else None)
        for i, (c, a) in enumerate(zip(conds, guards, strict=True))
    )
    return Edition(id="prop", standard="prop", title="性质测试", document="-",
                   effective_from=dt.date(2000, 1, 1), effective_until=None, rules=rules,
                   applies=applies, applies_source=ir.dump(applies) if applies else None)


def records(catalog: Catalog, *, missing_rate: float = 0.3, sectors: list[str] | None = None,
            day: st.SearchStrategy[dt.date] = DATES) -> st.SearchStrategy[dict[str, Any]]:
    """Whole input records whose facts are drawn from ``catalog`` (valid values only)."""
    facts = {n: f for n, f in catalog.facts.items() if f.namespace not in ("record",
                                                                           "enterprise")}
    names = sorted(facts)
    ent = {n.split(".", 1)[1]: f for n, f in catalog.facts.items()
           if f.namespace == "enterprise"}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        record: dict[str, Any] = {"record_id": draw(st.from_regex(r"R-[0-9]{4}", fullmatch=True)),
                                  "inspected_on": draw(day).isoformat()}
        enterprise: dict[str, Any] = {}
        for key, f in ent.items():
            if key == "sector" and sectors:
                enterprise[key] = draw(st.sampled_from(sectors))
            elif draw(st.floats(0, 1)) >= missing_rate:
                v = draw(values(f.type))
                enterprise[key] = list(v) if isinstance(v, tuple) else v
        record["enterprise"] = enterprise
        chosen = {}
        for n in names:
            if draw(st.floats(0, 1)) >= missing_rate:
                v = draw(values(facts[n].type))
                chosen[n] = list(v) if isinstance(v, tuple) else (
                    v.isoformat() if isinstance(v, dt.date) else v)
        record["facts"] = chosen
        return record

    return build()


def edition_records(rulesets: Any, edition: Edition) -> st.SearchStrategy[dict[str, Any]]:
    """Records for one edition: its rules' facts (each present or not), dated inside its
    period, with a sector, scopes and subsectors drawn from what its conditions mention."""
    catalog = rulesets.catalog
    names: dict[str, None] = {}
    for r in edition.rules:
        names.update(dict.fromkeys(r.facts))
    if edition.applies is not None:
        names.update(dict.fromkeys(ir.facts_of(edition.applies)))
    facts = sorted(n for n in names if not n.startswith(("enterprise.", "record.")))
    mentioned = {v for r in edition.rules for e in (r.when, r.applies, edition.applies)
                 if e is not None for n in ir.walk(e) if isinstance(n, ir.Const)
                 for v in (n.value if isinstance(n.value, tuple) else (n.value,))
                 if isinstance(v, str)}
    sector_t = catalog["enterprise.sector"].type
    sectors = [s for s in sector_t.values if s in mentioned] or list(sector_t.values)
    scopes = [s for s in catalog["enterprise.scopes"].type.item.values if s in mentioned]
    subs = [s for s in catalog["enterprise.subsectors"].type.item.values if s in mentioned]
    last = edition.effective_until or dt.date(2030, 12, 31)

    def plain(v: Any) -> Any:
        if isinstance(v, tuple):
            return [plain(x) for x in v]
        return v.isoformat() if isinstance(v, dt.date) else v

    enterprise = st.fixed_dictionaries(
        {"sector": st.sampled_from(sectors)},
        optional={"scopes": st.lists(st.sampled_from(scopes), unique=True) if scopes
                  else st.just([]),
                  "subsectors": st.lists(st.sampled_from(subs), unique=True) if subs
                  else st.just([])})
    return st.fixed_dictionaries({
        "record_id": st.just("R-1"),
        "inspected_on": st.dates(edition.effective_from, last).map(dt.date.isoformat),
        "enterprise": enterprise,
        "facts": st.fixed_dictionaries(
            {}, optional={n: values(catalog[n].type).map(plain) for n in facts}),
    })


WRONG = st.sampled_from(["maybe", "yes", "否", "12", "12.5", "abc", "30 kPa", "2024-13-01",
                         -1, 0, 1, 2.5, True, False, "", "metalurgy", [], ["x"]])


def with_wrong_types(records: st.SearchStrategy[dict[str, Any]]
                     ) -> st.SearchStrategy[dict[str, Any]]:
    """Records with some fact values replaced by values of the wrong type (or right type,
    wrong value), and occasionally a misspelt fact, a bad date or no record id."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        record = draw(records)
        facts = dict(record["facts"])
        for name in list(facts):
            if draw(st.integers(0, 9)) == 0:
                facts[name] = draw(WRONG)
        if facts and draw(st.integers(0, 14)) == 0:
            name = draw(st.sampled_from(sorted(facts)))
            facts[name + "x"] = facts.pop(name)
        record = {**record, "facts": facts}
        if draw(st.integers(0, 19)) == 0:
            record["inspected_on"] = draw(st.sampled_from(["2024-13-01", "", "soon"]))
        if draw(st.integers(0, 19)) == 0:
            record.pop("record_id")
        return record

    return build()
