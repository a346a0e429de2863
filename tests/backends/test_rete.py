"""The rete backend (durable_rules): parity with the reference backend, and its quirks.

Each quirk test has two halves where that is practical: one shows the quirk in raw
durable_rules (so the test documents why the containment exists), the other shows
that the backend is not affected.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import hazard_rules as hr
from hazard_rules import ir
from hazard_rules.backends import get_backend
from hazard_rules.errors import CompileError
from hazard_rules.interpret import truth
from hazard_rules.typesys import BOOL, FloatT, ListT
from tests.strategies import UNIVERSE, conditions, edition_of, edition_records, partial_facts

durable_engine = pytest.importorskip("durable.engine", reason="durable-rules is not installed")
from hazard_rules.backends.rete import ReteBackend  # noqa: E402

BUNDLED = hr.load_rulesets()
PY = hr.Engine(BUNDLED)
RETE = hr.Engine(BUNDLED, backend="rete")


# -- raw durable_rules, for the "this is the quirk" halves -----------------------------

_raw_ids = iter(range(10**9))


def raw_ruleset(conditions: dict[str, dict[str, Any]]) -> tuple[Any, list[str]]:
    fired: list[str] = []

    def recorder(name: str) -> Any:
        return lambda c: fired.append(name)

    name = f"raw-{next(_raw_ids)}"
    rules = {n: {"all": [{"m": {"$and": [{"hr": 1}, c]}}], "run": recorder(n)}
             for n, c in conditions.items()}
    return durable_engine.Ruleset(name, None, rules), fired


def raw_match(rs: Any, fired: list[str], doc: dict[str, Any]) -> list[str]:
    fired.clear()
    doc = {"hr": 1, "id": f"d{next(_raw_ids)}", **doc}
    try:
        state = rs.assert_fact(doc)
    except durable_engine.MessageNotHandledException:
        return []
    rs.do_actions(state, lambda e, s: None)
    return sorted(fired)


# -- parity ----------------------------------------------------------------------------


def test_every_bundled_edition_compiles_for_rete() -> None:
    for ed in BUNDLED:
        assert RETE.compiled(ed.id).edition is ed


def _disagreements(record: dict[str, Any], missing: Any = None) -> list[str]:
    a = PY.rule_statuses(record, missing=missing)
    b = RETE.rule_statuses(record, missing=missing)
    return [f"{rule}: python {a.get(rule)} rete {b.get(rule)}"
            for rule in sorted(set(a) | set(b)) if a.get(rule) != b.get(rule)]


def test_rete_passes_every_ruleset_case_with_the_reference_statuses() -> None:
    """Every case of every bundled edition passes on rete, and every rule of every case
    record has the same status on both backends (a disagreement prints both)."""
    from hazard_rules.cases import TestReport, _record, _run, check_case_files

    cases, _ = check_case_files(BUNDLED)
    report = TestReport()
    failures = []
    for case in cases:
        record = _record(case)
        judged = RETE.judge_with_statuses(record, missing=case.spec.missing)
        result = _run(RETE, case, report, judged)
        _, py = PY.judge_with_statuses(record, missing=case.spec.missing)
        rete = judged[1]
        differ = [f"{r}: python {py.get(r)} rete {rete.get(r)}"
                  for r in sorted(set(py) | set(rete)) if py.get(r) != rete.get(r)]
        if result.failures or differ:
            failures.append(f"{result.location} {case.spec.name}: {result.failures} {differ}")
    assert failures == []
    assert {c.edition.id for c in cases} == set(BUNDLED.editions)


@pytest.mark.parametrize("edition", list(BUNDLED), ids=lambda e: e.id)
def test_random_records_give_identical_statuses(edition: hr.Edition) -> None:
    """Hypothesis records built from the edition's facts, in both worlds (missing facts
    unknown, or compliant): the two backends give the same status for every rule."""

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example,
                                     HealthCheck.data_too_large])
    @given(edition_records(BUNDLED, edition), st.sampled_from(["unknown", "false"]))
    def check(record: dict[str, Any], missing: str) -> None:
        problems = _disagreements(record, missing)
        assert not problems, f"record: {record}\n" + "\n".join(problems)

    check()


@settings(max_examples=200, deadline=None)
@given(conditions(max_leaves=8), partial_facts(UNIVERSE))
def test_random_conditions_agree_with_the_interpreter(cond: ir.Expr,
                                                      facts: dict[str, Any]) -> None:
    try:
        compiled = ReteBackend().compile(edition_of([cond]))
    except CompileError:
        assume(False)  # a construct durable cannot express: rejected, never guessed
        raise
    statuses = compiled.evaluate(facts)
    assert statuses == (truth(cond, facts)[0],), ir.dump(cond)


# -- what durable_rules cannot express is rejected at compile time ----------------------


def test_unsupported_constructs_are_rejected_with_the_rule_named() -> None:
    body = ir.Compare(">", ir.Var("r", FloatT("kPa")), ir.Fact("u.p", FloatT("kPa")))
    cond = ir.Quantifier("any", "r", ir.Fact("u.readings", ListT(FloatT("kPa"))), body)
    with pytest.raises(CompileError) as info:
        ReteBackend().compile(edition_of([ir.Fact("u.a", BOOL), cond]))
    [d] = info.value.diagnostics
    assert d.code == "rete-unsupported"
    assert d.message.startswith("rule prop/2: any() cannot be expressed in durable_rules")
    assert "backend 'rete' cannot compile" in str(info.value)


def test_the_backend_is_chosen_by_name_and_imported_lazily() -> None:
    assert get_backend("rete").name == "rete"
    code = "import sys, hazard_rules; print('durable' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


# -- the quirks ------------------------------------------------------------------------


def test_ruleset_names_are_content_hashed_so_reloading_works() -> None:
    # the quirk: durable's host refuses a second ruleset of the same name
    host = durable_engine.Host()
    host.register_rulesets({"twice": {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}})
    with pytest.raises(Exception, match="already registered"):
        host.register_rulesets({"twice": {"r": {"all": [{"m": {"x": 2}}],
                                                "run": lambda c: None}}})
    # the backend: compiling the same edition again reuses it; a changed edition (same id,
    # as when a notebook reloads an edited ruleset) gets its own name and its own rules
    ed = BUNDLED.edition("weihua-2017")
    first, again = ReteBackend().compile(ed), ReteBackend().compile(ed)
    assert first.name == again.name
    assert first.name.startswith("hazard_rules.weihua-2017.")
    changed = dataclasses.replace(ed, rules=(dataclasses.replace(
        ed.rules[1], when=ir.Not(ed.rules[1].when)), *ed.rules[2:]))
    edited = ReteBackend().compile(changed)
    assert edited.name != first.name
    facts = {"enterprise.sector": "chemical", "enterprise.scopes": ("hazchem_production",),
             "common.special_operator_uncertified_on_duty": True}
    assert first.evaluate(facts)[1] == 2
    assert edited.evaluate(facts)[0] == 0  # the negated rule, now first


def test_nothing_matching_is_a_normal_outcome() -> None:
    rs, _ = raw_ruleset({"r": {"x": 1}})
    with pytest.raises(durable_engine.MessageNotHandledException):
        rs.assert_fact({"hr": 1, "id": "a", "x": 2})
    compiled = RETE.compiled("weihua-2017")
    # sector unknown: nothing can match, every rule is UNKNOWN, nothing raises
    assert compiled.evaluate({}) == (1,) * 20


def test_identical_records_are_not_deduplicated() -> None:
    rs, _ = raw_ruleset({"r": {"x": 1}})
    doc = {"hr": 1, "id": "same", "x": 1}
    rs.assert_fact(doc)
    with pytest.raises(durable_engine.MessageObservedException):
        rs.assert_fact(dict(doc))
    record = {"record_id": "R", "inspected_on": "2024-01-01",
              "enterprise": {"sector": "chemical", "scopes": ["hazchem_production"]},
              "facts": {"common.special_operator_uncertified_on_duty": True}}
    verdicts = list(RETE.classify_many([record] * 5))
    assert [v.fired for v in verdicts] == [("weihua-2017/2",)] * 5


def test_a_record_reported_as_a_duplicate_is_asserted_again(monkeypatch: Any) -> None:
    """durable can call a distinct fact a duplicate (its issue #376); never lose it."""
    compiled = ReteBackend().compile(BUNDLED.edition("weihua-2017"))
    calls = {"n": 0}
    for part in compiled._parts:  # one durable ruleset, or several if it had to be split
        real = part.ruleset.assert_fact

        def flaky(doc: dict[str, Any], real: Any = real) -> Any:
            calls["n"] += 1
            if calls["n"] <= 2:  # the first two assertions are called duplicates
                raise durable_engine.MessageObservedException(doc)
            return real(doc)

        monkeypatch.setattr(part.ruleset, "assert_fact", flaky)
    facts = {"enterprise.sector": "chemical", "enterprise.scopes": ("hazchem_production",),
             "common.special_operator_uncertified_on_duty": True}
    assert compiled.evaluate(facts)[1] == 2
    assert calls["n"] == 2 + compiled.partitions


def test_conditions_cannot_match_durables_own_state_document() -> None:
    """A rule true of a document without fields (here: not known(x)) would also match
    durable's state document and loop forever; the backend anchors every rule."""
    code = """
import hazard_rules as hr
from hazard_rules import ir
from hazard_rules.typesys import BOOL
from hazard_rules.backends.rete import ReteBackend
from tests.strategies import edition_of
cond = ir.Not(ir.Known(ir.Fact("u.a", BOOL)))
print(ReteBackend().compile(edition_of([cond])).evaluate({}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.stdout.strip() == "(2,)", proc.stderr


def test_comparisons_between_facts_are_decided_exactly() -> None:
    # the quirk: comparing two fields of one document matches whatever the values
    rs, fired = raw_ruleset({"x_gt_y": {"$gt": {"x": {"m": "y"}}}})
    assert raw_match(rs, fired, {"x": 5, "y": 8}) == ["x_gt_y"]
    # the backend: p > 11 * q decided exactly, at and around the boundary, and unknown
    cond = ir.Compare(">", ir.Fact("u.p", FloatT("kPa")),
                      ir.Arith("*", ir.Const(11, FloatT()), ir.Fact("u.q", FloatT("kPa")),
                               FloatT("kPa")))
    compiled = ReteBackend().compile(edition_of([cond]))
    assert compiled.evaluate({"u.p": 13.3, "u.q": 1.2}) == (2,)
    assert compiled.evaluate({"u.p": 13.2, "u.q": 1.2}) == (0,)
    assert compiled.evaluate({"u.p": 13.3}) == (1,)
    assert compiled.evaluate({"u.q": 1.2}) == (1,)


def test_quantifiers_over_empty_lists() -> None:
    # the quirk: $iall over an empty list does not match
    rs, fired = raw_ruleset({"all_true": {"$iall": {"l": {"$i": True}}}})
    assert raw_match(rs, fired, {"l": []}) == []
    # the backend: all([]) is TRUE and any([]) is FALSE, as in Kleene logic
    flags = ir.Fact("u.flags", ListT(BOOL))
    all_ = ir.Quantifier("all", "_item", flags, ir.Var("_item", BOOL))
    any_ = ir.Quantifier("any", "_item", flags, ir.Var("_item", BOOL))
    compiled = ReteBackend().compile(edition_of([all_, any_]))
    assert compiled.evaluate({"u.flags": ()}) == (2, 0)
    assert compiled.evaluate({"u.flags": (True, False)}) == (0, 2)
    assert compiled.evaluate({}) == (1, 1)


def test_unknown_facts_are_left_out_not_sent_as_null() -> None:
    # the quirk: durable's $ex counts a null value as present
    rs, fired = raw_ruleset({"has_x": {"$ex": {"x": 1}}})
    assert raw_match(rs, fired, {"x": None}) == ["has_x"]
    compiled = ReteBackend().compile(edition_of([ir.Known(ir.Fact("u.p", FloatT("kPa")))]))
    assert compiled.evaluate({"u.p": None}) == (0,)
    assert "u__p" not in compiled.document({"u.p": None})


def test_documents_are_retracted_so_nothing_accumulates() -> None:
    compiled = ReteBackend().compile(BUNDLED.edition("weihua-2017"))
    facts = {"enterprise.sector": "chemical", "enterprise.scopes": ("hazchem_production",),
             "common.special_operator_uncertified_on_duty": True}
    for _ in range(5):
        assert compiled.evaluate(facts)[1] == 2
    for part in compiled._parts:
        assert part.ruleset.get_facts(None) == []


def test_threads_may_share_the_backend() -> None:
    batch = [{"record_id": f"R{i}", "inspected_on": "2024-01-01",
              "enterprise": {"sector": "chemical", "scopes": ["hazchem_production"]},
              "facts": {"common.special_operator_uncertified_on_duty": i % 2 == 0,
                        "chem.safety_accessories_in_service": i % 3 == 0}}
             for i in range(60)]
    expected = [v.fired for v in PY.classify_many(batch)]
    results: dict[int, list[tuple[str, ...]]] = {}

    def work(k: int) -> None:
        results[k] = [v.fired for v in RETE.classify_many(batch)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to interleave calls
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert all(results[k] == expected for k in range(4))


WIDE_DOCUMENT = """
from durable import engine
rs = engine.Ruleset("wide", None, {"r": {"all": [{"m": {"$and": [{"hr": 1}, {"f0": True}]}}],
                                         "run": lambda c: None}})
doc = {"hr": 1, "id": "d1", **{f"f{i}": True for i in range(300)}}
try:
    rs.do_actions(rs.assert_fact(doc), lambda e, s: None)
except Exception as exc:
    print(exc)
"""


def test_partitions_read_few_enough_fields_for_durables_documents() -> None:
    """durable holds at most 255 properties per document: a wider one is refused (error
    302) or crashes the process. Rules are packed so that no partition reads more than
    MAX_FIELDS fields, and every status still comes out right."""
    from hazard_rules.backends.rete import MAX_FIELDS

    raw = subprocess.run([sys.executable, "-c", WIDE_DOCUMENT], check=False, capture_output=True,
                         text=True, timeout=120)
    assert raw.returncode != 0 or "302" in raw.stdout, (raw.returncode, raw.stdout)

    n = 2 * MAX_FIELDS + 20
    conds: list[ir.Expr] = [ir.Fact(f"w.f{i}", BOOL) for i in range(n)]
    compiled = ReteBackend().compile(edition_of(conds))
    assert compiled.partitions >= 3
    assert all(len(p.fields) <= MAX_FIELDS + 1 for p in compiled._parts)  # + the "hr" anchor
    facts = {f"w.f{i}": i % 3 == 0 for i in range(n - 5)}  # the last five unknown
    expected = tuple(2 if i % 3 == 0 else 0 for i in range(n - 5)) + (1,) * 5
    assert compiled.evaluate(facts) == expected
