"""The satisfiability procedure behind the condition checks, against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from hazard_rules import ir
from hazard_rules.interpret import truth
from hazard_rules.lint.solver import MAX_ALTERNATIVES, equivalent, satisfiable, text
from hazard_rules.logic import TRUE
from hazard_rules.typesys import BOOL, EnumT, IntT

X, Y = ir.Fact("a.x", BOOL), ir.Fact("a.y", BOOL)
N = ir.Fact("a.n", IntT())
E = ir.Fact("a.e", EnumT("a.e", ("p", "q", "r")))
GRID = {"a.x": [True, False, None], "a.y": [True, False, None],
        "a.n": [None, *range(-1, 8)], "a.e": ["p", "q", "r", None]}


def atoms() -> st.SearchStrategy[ir.Expr]:
    ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
    return st.one_of(
        st.sampled_from([X, Y]),
        st.builds(lambda op, c: ir.Compare(op, N, ir.Const(c, IntT())), ops,
                  st.integers(0, 6)),
        st.builds(lambda op, v: ir.Compare(op, E, ir.Const(v, E.type)),
                  st.sampled_from(["==", "!="]), st.sampled_from(["p", "q", "r"])),
        st.builds(lambda vs: ir.Member(E, ir.Const(tuple(vs), E.type)),
                  st.lists(st.sampled_from(["p", "q", "r"]), min_size=1, max_size=2,
                           unique=True)),
        st.sampled_from([ir.Known(N), ir.Known(X)]),
    )


def conditions() -> st.SearchStrategy[ir.Expr]:
    return st.recursive(atoms(), lambda sub: st.one_of(
        st.builds(ir.Not, sub),
        st.builds(lambda a: ir.And(tuple(a)), st.lists(sub, min_size=2, max_size=3)),
        st.builds(lambda a: ir.Or(tuple(a)), st.lists(sub, min_size=2, max_size=3))),
        max_leaves=7)


def _some_record_makes_it_true(e: ir.Expr) -> bool:
    names = list(GRID)
    for values in itertools.product(*(GRID[n] for n in names)):
        facts = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        if truth(e, facts)[0] == TRUE:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(conditions())
def test_satisfiable_agrees_with_brute_force(e: ir.Expr) -> None:
    """Exact on bool, int, enum and known(): the grid holds a witness for every
    satisfiable condition over these constants."""
    result = satisfiable(e)
    assert result.sat == _some_record_makes_it_true(e), text(e)


def test_integer_bounds_and_declared_ranges() -> None:
    def between(lo: int, hi: int) -> ir.Expr:
        return ir.And((ir.Compare(">", N, ir.Const(lo, IntT())),
                       ir.Compare("<", N, ir.Const(hi, IntT()))))
    assert satisfiable(between(3, 5)).sat is True
    assert satisfiable(between(3, 4)).conflicts == ("a.n > 3 and a.n < 4 cannot both hold",)
    three = ir.And((between(2, 6), ir.Compare("!=", N, ir.Const(3, IntT())),
                    ir.Compare("!=", N, ir.Const(4, IntT())),
                    ir.Compare("!=", N, ir.Const(5, IntT()))))
    assert satisfiable(three).sat is False


def test_opaque_atoms_contradict_only_their_negation() -> None:
    longer = ir.Compare(">", ir.Arith("-", N, N, IntT()), ir.Const(0, IntT()))
    assert satisfiable(ir.And((longer, ir.Not(longer)))).sat is False
    assert satisfiable(ir.And((longer, X))).sat is True


def test_not_known_rules_out_every_test_of_the_fact() -> None:
    e = ir.And((ir.Not(ir.Known(N)), ir.Compare(">", N, ir.Const(1, IntT()))))
    assert satisfiable(e).conflicts == ("not known(a.n) and a.n > 1 cannot both hold",)


def test_too_many_alternatives_is_undecided() -> None:
    facts = [ir.Fact(f"a.f{i}", BOOL) for i in range(30)]
    big = ir.And(tuple(ir.Or((f, ir.Not(f))) for f in facts))
    assert MAX_ALTERNATIVES < 2 ** 30
    assert satisfiable(big).sat is None


def test_equivalence_by_de_morgan_and_not_by_mistake() -> None:
    assert equivalent(ir.Not(ir.Or((X, Y))), ir.And((ir.Not(X), ir.Not(Y)))) is True
    assert equivalent(ir.Or((X, Y)), ir.And((X, Y))) is False
