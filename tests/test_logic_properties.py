"""Properties of the three-valued semantics, checked on random conditions and records."""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hazard_rules import ir
from hazard_rules.backends.python import PythonBackend
from hazard_rules.interpret import truth
from hazard_rules.logic import FALSE, TRUE, UNKNOWN
from tests.strategies import UNIVERSE, completions, conditions, edition_of, partial_facts

COMMON = settings(max_examples=300, deadline=None)


def compiled_truth(cond: ir.Expr, facts: dict[str, Any]) -> int:
    statuses = PythonBackend().compile(edition_of([cond])).evaluate(facts)
    assert statuses is not None
    return statuses[0]


@COMMON
@given(conditions(), partial_facts(UNIVERSE))
def test_generated_code_agrees_with_the_interpreter(cond: ir.Expr, facts: dict[str, Any]
                                                    ) -> None:
    assert compiled_truth(cond, facts) == truth(cond, facts)[0], ir.dump(cond)


@COMMON
@given(st.lists(conditions(max_leaves=6), min_size=4, max_size=4),
       st.lists(conditions(max_leaves=4), min_size=3, max_size=3), partial_facts(UNIVERSE))
def test_applicability_groups_agree_with_the_interpreter(
        conds: list[ir.Expr], guards: list[ir.Expr], facts: dict[str, Any]) -> None:
    """Rules sharing an applies condition are compiled as a group; statuses must still be
    NOT_APPLICABLE (3) when applies is FALSE, else applies-and-condition."""
    edition_applies, shared, single = guards
    rule_applies = [shared, shared, None, single]
    compiled = PythonBackend().compile(edition_of(conds, edition_applies, rule_applies))
    statuses = compiled.evaluate(facts)
    e = truth(edition_applies, facts)[0]
    if e == FALSE:
        assert statuses is None
        return
    expected = []
    for cond, guard in zip(conds, rule_applies, strict=True):
        a = truth(guard, facts)[0] if guard is not None else TRUE
        expected.append(3 if a == FALSE else min(e, a, truth(cond, facts)[0]))
    assert statuses == tuple(expected)


@COMMON
@given(conditions(), st.data())
def test_adding_facts_never_changes_a_decided_result(cond: ir.Expr, data: st.DataObject
                                                     ) -> None:
    # known() asks whether a fact was reported, so it alone may change when one is added
    assume(not any(isinstance(n, ir.Known) for n in ir.walk(cond)))
    facts = data.draw(partial_facts(UNIVERSE))
    before = truth(cond, facts)[0]
    more = data.draw(completions(UNIVERSE, facts))
    after = truth(cond, more)[0]
    if before != UNKNOWN:
        assert after == before, ir.dump(cond)


@COMMON
@given(conditions(), partial_facts(UNIVERSE))
def test_evidence_alone_decides_the_result(cond: ir.Expr, facts: dict[str, Any]) -> None:
    value, support = truth(cond, facts)
    if value == UNKNOWN:
        # what is missing is among the facts the condition uses and the record lacks
        assert set(support) <= set(ir.facts_of(cond)) - set(facts)
        assert support, "an UNKNOWN result names at least one missing fact"
    else:
        kept = {n: v for n, v in facts.items() if n in support}
        assert truth(cond, kept)[0] == value, ir.dump(cond)


@COMMON
@given(conditions(max_leaves=6), conditions(max_leaves=6), partial_facts(UNIVERSE))
def test_kleene_laws(a: ir.Expr, b: ir.Expr, facts: dict[str, Any]) -> None:
    ta, tb = truth(a, facts)[0], truth(b, facts)[0]
    assert truth(ir.Not(ir.Not(a)), facts)[0] == ta
    assert truth(ir.And((a, b)), facts)[0] == min(ta, tb)
    assert truth(ir.Or((a, b)), facts)[0] == max(ta, tb)
    assert truth(ir.Not(ir.And((a, b))), facts)[0] == truth(
        ir.Or((ir.Not(a), ir.Not(b))), facts)[0]
    if FALSE in (ta, tb):
        assert truth(ir.And((a, b)), facts)[0] == FALSE
    if TRUE in (ta, tb):
        assert truth(ir.Or((a, b)), facts)[0] == TRUE


def test_known_is_the_one_non_monotonic_construct() -> None:
    cond = ir.Not(ir.Known(ir.Fact("u.a", UNIVERSE["u.a"])))
    assert truth(cond, {})[0] == TRUE
    assert truth(cond, {"u.a": False})[0] == FALSE
