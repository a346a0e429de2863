"""Clause-level comparison of rulesets: matching, changes, facts, records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hazard_rules.authoring.compare import PairingError, diff_paths, is_single_edition
from hazard_rules.authoring.diff import RuleDiff, RulesetsDiff
from hazard_rules.authoring.diff_text import render_diff
from hazard_rules.errors import RulesetError
from tests.conftest import FIXTURES

DEMO = FIXTURES / "rulesets"
BUNDLED = Path(__file__).parent.parent.parent / "rulesets"


def rule(d: RulesetsDiff, rule_id: str) -> RuleDiff:
    return next(r for e in d.editions for r in e.rules if rule_id in (r.old_id, r.new_id))


def test_two_editions_of_one_standard(demo_diff: RulesetsDiff) -> None:
    d = demo_diff
    assert d.mode == "editions" and d.differs
    [ed] = d.editions
    assert (ed.old_id, ed.new_id, ed.status) == ("demo-2020", "demo-2023", "changed")
    assert ed.counts == {"added": 6, "removed": 0, "changed": 2, "unchanged": 0}
    assert ed.rule_map == {"demo-2020/1.1": "demo-2023/1.1", "demo-2020/1.2": "demo-2023/1.2"}
    fields = {c.field: c for c in ed.changes}
    assert (fields["effective_from"].old, fields["effective_from"].new) == (
        "2020-01-01", "2023-05-15")
    assert fields["missing_text"].to_dict()["removed"] == ["第一条第（三）项 [demo-2020/1.3]"]
    assert "plant.alarm_linked" in fields["facts_used"].to_dict()["added"]


def test_changed_rule_lists_each_changed_field(demo_diff: RulesetsDiff) -> None:
    r = rule(demo_diff, "demo-2023/1.1")
    assert (r.status, r.matched_by) == ("changed", "id")
    changes = {c.field: c for c in r.changes}
    assert list(changes) == ["text", "when", "facts", "tags"]
    assert changes["when"].same_meaning is False
    assert changes["when"].new_readable == "「已设置报警装置」为否 或 「报警装置已联锁」为否"
    assert changes["facts"].to_dict()["added"] == ["plant.alarm_linked"]


def test_a_rewrite_with_the_same_meaning_is_told_apart(demo_diff: RulesetsDiff) -> None:
    # demo-2020: "< 30 kPa"; demo-2023: "< 0.03 MPa" and a new applies condition
    changes = {c.field: c for c in rule(demo_diff, "demo-2023/1.2").changes}
    assert changes["when"].same_meaning is True
    assert (changes["when"].old, changes["when"].new) == (
        "plant.seal_pressure < 30 kPa", "plant.seal_pressure < 0.03 MPa")
    assert changes["applies"].old is None
    assert changes["applies"].same_meaning is False


def test_a_clause_that_gets_its_text_is_marked(demo_diff: RulesetsDiff) -> None:
    r = rule(demo_diff, "demo-2023/1.3")
    assert r.status == "added" and r.was_missing_text
    assert not rule(demo_diff, "demo-2023/2.1").was_missing_text


def test_an_edition_against_itself_has_no_differences() -> None:
    d = diff_paths(DEMO / "demo-2023", DEMO / "demo-2023" / "ruleset.yaml")
    assert not d.differs
    assert d.editions[0].counts["unchanged"] == 8


def test_renumbered_editions_are_matched_by_article_then_condition_then_text() -> None:
    d = diff_paths(BUNDLED / "gongmao-2017", BUNDLED / "gongmao-2023")
    [ed] = d.editions
    # gongmao-2023 renumbers every clause: nothing matches by id or article; two rules
    # reuse the facts of 2017 (same condition), the others carry their text over
    kinds = {r.matched_by for r in ed.rules}
    assert kinds == {None, "condition", "text"}
    assert rule(d, "gongmao-2017/2.5.3").new_id == "gongmao-2023/8.3"
    assert rule(d, "gongmao-2017/2.5.3").matched_by == "condition"
    assert ed.counts == {"added": 40, "removed": 34, "changed": 25, "unchanged": 0}
    r = rule(d, "gongmao-2017/1.1.3")
    assert r.new_id == "gongmao-2023/11.3" and r.similarity is not None and r.similarity > 0.7
    assert {c.field for c in r.changes} >= {"article", "text"}
    assert ed.rule_map["gongmao-2017/1.2.2"] == "gongmao-2023/12.2"


def test_across_editions_a_reused_number_is_not_the_same_clause() -> None:
    """coal-mine-2026 keeps coal-mine-2020's articles but renumbers the items inside."""
    d = diff_paths(BUNDLED / "coal-mine-2020", BUNDLED / "coal-mine-2026")
    rule_map = d.editions[0].rule_map
    assert "coal-mine-2020/4.2" not in rule_map  # 超能力 (4.2) is not 2026's 4.2
    assert rule_map["coal-mine-2020/4.4"] == "coal-mine-2026/4.2"  # found by its text
    assert rule_map["coal-mine-2020/4.1"] == "coal-mine-2026/4.1"  # amended, same number
    assert rule(d, "coal-mine-2020/4.1").matched_by == "id"
    assert rule(d, "coal-mine-2020/14.1").matched_by == "condition"


def test_within_an_edition_the_id_always_matches(tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(DEMO, root)
    path = root / "demo-2023" / "ruleset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "text: 熔炼炉作业间作业人员超过9人的；", "text: 完全不同的条文。"), encoding="utf-8")
    r = rule(diff_paths(DEMO / "demo-2023", root / "demo-2023"), "demo-2023/2.1")
    assert (r.old_id, r.matched_by, [c.field for c in r.changes]) == (
        "demo-2023/2.1", "id", ["text"])


def test_matching_by_article_and_by_condition(tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(DEMO, root)
    path = root / "demo-2023" / "ruleset.yaml"
    text = path.read_text(encoding="utf-8")
    # 1.1 gets a new id but keeps its article; 2.4 a new id, article and text
    text = text.replace("id: demo-2023/1.1", "id: demo-2023/1.9")
    text = text.replace(
        "id: demo-2023/2.4\n    article: 第二条第（四）项\n"
        "    text: 甲、乙、丙三项防护中两项以上缺失的；",
        "id: demo-2023/3.1\n    article: 第三条第（一）项\n    text: 防护缺失。")
    path.write_text(text, encoding="utf-8")
    d = diff_paths(DEMO / "demo-2023", root / "demo-2023")
    assert (rule(d, "demo-2023/1.9").old_id, rule(d, "demo-2023/1.9").matched_by) == (
        "demo-2023/1.1", "article")
    moved = rule(d, "demo-2023/3.1")
    assert (moved.old_id, moved.matched_by) == ("demo-2023/2.4", "condition")
    assert {c.field for c in moved.changes} == {"article", "text"}


def test_trees_pair_editions_by_id_and_compare_fact_catalogs(tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(DEMO, root)
    shutil.rmtree(root / "other-2021")
    plant = root / "facts" / "plant.yaml"
    plant.write_text(plant.read_text(encoding="utf-8").replace(
        "    unit: kPa\n", "    unit: Pa\n").replace(
        "  guard_c:\n", "  guard_d:\n    type: bool\n    label: {zh: 防护丁, en: Guard D}\n"
        "  guard_c:\n"), encoding="utf-8")
    d = diff_paths(DEMO, root)
    assert d.mode == "trees"
    status = {(e.old_id, e.new_id): e.status for e in d.editions}
    assert status == {("demo-2020", "demo-2020"): "changed", ("demo-2023", "demo-2023"): "changed",
                      ("other-2021", None): "removed"}
    facts = {f.name: f for f in d.facts}
    assert facts["plant.guard_d"].status == "added"
    unit = {c.field: (c.old, c.new) for c in facts["plant.seal_pressure"].changes}
    assert unit == {"type": ("float[kPa]", "float[Pa]"), "unit": ("kPa", "Pa")}
    # the source of 1.2 did not change, but its meaning did: 30 kPa is now 30000 Pa
    [when] = [c for c in rule(d, "demo-2020/1.2").changes if c.field == "when"]
    assert when.old == when.new and not when.same_meaning
    assert "30000 Pa" in (when.new_readable or "")
    text = render_diff(d)
    assert "when (same source, new meaning: a fact's type or unit changed):" in text
    assert "- edition other-2021: 1 rule\n" in text
    assert text.endswith("editions 2 changed, 1 removed; rules 2 changed, 0 added, 1 removed, "
                         "8 unchanged; facts 2 changed")


def test_a_single_edition_against_a_tree_finds_its_counterpart() -> None:
    d = diff_paths(DEMO, DEMO / "demo-2023")
    assert d.mode == "editions"
    assert [(e.old_id, e.new_id, e.status) for e in d.editions] == [
        ("demo-2023", "demo-2023", "unchanged")]
    assert not d.differs
    with pytest.raises(PairingError, match="no edition 'other-2021'"):
        diff_paths(DEMO / "other-2021", BUNDLED)


def test_invalid_rulesets_raise_with_every_problem(tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(DEMO, root)
    path = root / "demo-2023" / "ruleset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "plant.has_furnace and plant.workers", "plant.has_furnac and plant.workers"),
        encoding="utf-8")
    with pytest.raises(RulesetError, match="unknown-fact"):
        diff_paths(DEMO, root)
    assert is_single_edition(root / "demo-2023") and not is_single_edition(root)


RECORDS = [
    {"record_id": "R-1", "inspected_on": "2024-06-01",
     "enterprise": {"sector": "workshop", "scopes": []},
     "facts": {"plant.alarm_installed": True, "plant.alarm_linked": False,
               "plant.seal_pressure": 31}},
    {"record_id": "R-2", "inspected_on": "2024-06-01",
     "enterprise": {"sector": "workshop", "scopes": []}, "facts": {"plant.alarm_installed": False}},
    {"record_id": "R-3", "inspected_on": "2021-06-01",
     "enterprise": {"sector": "depot", "scopes": ["gas"]}, "facts": {"plant.seal_pressure": 29}},
    {"record_id": "R-4", "inspected_on": "2021-06-01",
     "enterprise": {"sector": "depot", "scopes": []},
     "facts": {"plant.seal_pressure": 29, "plant.alarm_installed": True,
               "plant.alarm_linked": True}},
    {"record_id": "R-5", "inspected_on": "2024-06-01", "enterprise": {"sector": "farm"}},
]


def write_records(path: Path) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_records_that_change_verdict(tmp_path: Path) -> None:
    records = write_records(tmp_path / "records.jsonl")
    d = diff_paths(DEMO / "demo-2020", DEMO / "demo-2023", records=records)
    assert d.records is not None
    assert d.records.records == 6
    changed = {c.record_id: c for c in d.records.changed}
    assert sorted(changed) == ["R-1", "R-4"]
    assert (changed["R-1"].old_status, changed["R-1"].new_status) == ("undetermined", "major")
    assert changed["R-1"].new_fired == ("demo-2023/1.1",)
    assert (changed["R-1"].row, changed["R-4"].row) == (1, 5)
    assert (changed["R-4"].old_status, changed["R-4"].new_status) == ("major", "undetermined")
    # fire the same clause under its old and new id: no change
    assert d.records.transitions == {"major -> undetermined": 1, "undetermined -> major": 1}
    assert d.records.summary()["old_statuses"] == {"major": 3, "undetermined": 1, "clear": 0,
                                                   "error": 2}


def test_records_between_trees_are_judged_by_date(tmp_path: Path) -> None:
    """R-3 and R-4 are dated 2021, when demo-2020 was in force: a tree that only changes
    demo-2023 changes nothing for them."""
    root = tmp_path / "rulesets"
    shutil.copytree(DEMO, root)
    path = root / "demo-2023" / "ruleset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "when: not plant.alarm_installed or not plant.alarm_linked",
        "when: not plant.alarm_installed"), encoding="utf-8")
    records = write_records(tmp_path / "records.jsonl")
    d = diff_paths(DEMO, root, records=records)
    assert d.records is not None
    assert [(c.record_id, c.old_status, c.new_status) for c in d.records.changed] == [
        ("R-1", "major", "undetermined")]


def test_records_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("record_id,inspected_on,enterprise.sector,enterprise.scopes,"
                    "plant.alarm_installed,plant.alarm_linked\n"
                    "C-1,2024-06-01,workshop,[],是,否\n", encoding="utf-8")
    d = diff_paths(DEMO / "demo-2020", DEMO / "demo-2023", records=path)
    assert d.records is not None
    assert [(c.record_id, c.old_status, c.new_status) for c in d.records.changed] == [
        ("C-1", "undetermined", "major")]


def test_to_dict_is_json_and_complete(demo_diff: RulesetsDiff) -> None:
    data = json.loads(json.dumps(demo_diff.to_dict(), ensure_ascii=False))
    assert data["summary"]["rules"] == {"added": 6, "removed": 0, "changed": 2, "unchanged": 0}
    assert data["summary"]["editions"]["changed"] == 1
    assert data["records"] is None and data["differs"] is True
    rules = {r["new_id"]: r for r in data["editions"][0]["rules"]}
    when = next(c for c in rules["demo-2023/1.2"]["changes"] if c["field"] == "when")
    assert when["same_meaning"] is True


@pytest.fixture(scope="module")
def demo_diff() -> RulesetsDiff:
    return diff_paths(DEMO / "demo-2020", DEMO / "demo-2023")
