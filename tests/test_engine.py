from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

import hazard_rules as hr
from hazard_rules import Status


def rec(day: str = "2024-06-01", sector: str = "workshop", scopes: list[str] | None = None,
        **facts: Any) -> dict[str, Any]:
    return {"record_id": f"R-{day}", "inspected_on": day,
            "enterprise": {"sector": sector, "scopes": scopes or []},
            "facts": {k.replace("__", "."): v for k, v in facts.items()}}


def test_edition_is_chosen_by_inspection_date(demo_engine: hr.Engine) -> None:
    old = demo_engine.classify(rec("2023-05-14", plant__alarm_installed=True,
                                   plant__alarm_linked=False, plant__seal_pressure=29))
    new = demo_engine.classify(rec("2023-05-15", plant__alarm_installed=True,
                                   plant__alarm_linked=False, plant__seal_pressure=29))
    assert old.editions == ("demo-2020",)
    assert old.fired == ("demo-2020/1.2",)  # 2020 text knows nothing of interlocks
    assert new.editions == ("demo-2023",)
    assert new.fired == ("demo-2023/1.1",)  # 2023's 1.2 applies only with scope "gas"


def test_a_date_no_edition_covers_is_an_error(demo_engine: hr.Engine) -> None:
    v = demo_engine.classify(rec("2019-12-31", plant__alarm_installed=False))
    assert v.status is Status.ERROR
    [err] = v.errors
    assert (err.code, err.field, err.blocking) == ("no-edition", "inspected_on", True)
    assert err.message == ("no loaded edition of standard 'demo' is in force on 2019-12-31 "
                           "(loaded: demo-2020 (2020-01-01–2023-05-14), demo-2023 "
                           "(2023-05-15–…))")


def test_a_standard_that_did_not_exist_yet_does_not_apply(demo_engine: hr.Engine) -> None:
    # 'other' begins in 2021 and supersedes nothing: before that it is not an error,
    # the standard simply did not exist; 'demo' (which had an earlier edition) judges
    v = demo_engine.classify(rec("2020-06-01", scopes=["dust"], plant__alarm_installed=False))
    assert v.editions == ("demo-2020",)
    assert v.errors == ()
    assert v.status is Status.MAJOR


def test_a_standard_that_cannot_apply_needs_no_edition(demo_engine: hr.Engine) -> None:
    # 'other' starts in 2021, but a workshop without dust is outside it anyway
    v = demo_engine.classify(rec("2020-06-01", plant__alarm_installed=False))
    assert v.status is Status.MAJOR and v.errors == ()


def test_a_record_no_standard_applies_to_is_an_error(demo_engine: hr.Engine) -> None:
    v = demo_engine.classify(rec(sector="farm", plant__alarm_installed=False))
    assert v.status is Status.ERROR
    assert [(e.code, e.message) for e in v.errors] == [
        ("not-covered", "no loaded standard applies to this record "
                        "(enterprise.sector = 'farm')")]


def test_a_record_is_judged_by_every_applicable_standard(demo_engine: hr.Engine) -> None:
    v = demo_engine.classify(rec(scopes=["dust"], plant__alarm_installed=False))
    assert v.editions == ("demo-2023", "other-2021")
    assert v.fired == ("demo-2023/1.1", "other-2021/1")
    assert [f.standard for f in v.findings] == ["demo", "other"]


def test_status_levels(demo_engine: hr.Engine) -> None:
    complete: dict[str, Any] = {
        "plant__alarm_installed": True, "plant__alarm_linked": True, "plant__load": 1.0,
        "plant__rated_load": 1.0, "plant__has_furnace": False, "plant__workers": 2,
        "plant__fuel": "electric", "plant__valves_ok": [], "plant__detector_readings": [],
        "plant__guard_a": True, "plant__guard_b": True, "plant__guard_c": True,
        "plant__last_test": "2024-01-01"}
    assert demo_engine.classify(rec(**complete)).status is Status.CLEAR
    partial = {k: v for k, v in complete.items() if k != "plant__load"}
    v = demo_engine.classify(rec(**partial))
    assert v.status is Status.UNDETERMINED
    assert [(u.rule_id, u.missing) for u in v.undetermined] == [
        ("demo-2023/1.3", ("plant.load",))]


def test_evidence_names_the_facts_that_decided(demo_engine: hr.Engine) -> None:
    v = demo_engine.classify(rec(scopes=["gas"], plant__seal_pressure="29 kPa",
                                 plant__alarm_installed=True, plant__alarm_linked=True))
    [f] = v.findings
    assert f.rule_id == "demo-2023/1.2"
    assert f.article == "第一条第（二）项"
    assert f.text == "水封最高封堵压力小于30kPa的；"
    assert f.document == "示例〔2023〕2号"
    assert [(e.fact, e.value, e.unit) for e in f.evidence] == [
        ("enterprise.sector", "workshop", None), ("enterprise.scopes", ["gas"], None),
        ("plant.seal_pressure", 29.0, "kPa")]


def test_missing_facts_are_only_those_that_could_decide(demo_engine: hr.Engine) -> None:
    # 2.2: fuel in [...] and not all(valves_ok); fuel is electric, so valves do not matter
    v = demo_engine.classify(rec(plant__fuel="electric", plant__guard_a=False))
    by_rule = {u.rule_id: u.missing for u in v.undetermined}
    assert "demo-2023/2.2" not in by_rule
    assert by_rule["demo-2023/2.4"] == ("plant.guard_b", "plant.guard_c")


def test_closed_world_takes_compliant_values(demo_engine: hr.Engine) -> None:
    record = rec(plant__alarm_installed=False)
    assert demo_engine.classify(record, missing="false").fired == ("demo-2023/1.1",)
    statuses = demo_engine.rule_statuses(rec(plant__alarm_installed=True), missing="false")
    assert statuses["demo-2023/1.1"] == "FALSE"  # alarm_linked taken as compliant
    assert statuses["demo-2023/2.4"] == "FALSE"  # guards taken as compliant
    assert statuses["demo-2023/1.3"] == "UNKNOWN"  # loads have no compliant value
    assert statuses["demo-2023/1.2"] == "NOT_APPLICABLE"


def test_closed_world_never_turns_a_bad_value_into_a_compliant_one(
        demo_engine: hr.Engine) -> None:
    v = demo_engine.classify(rec(plant__alarm_installed="perhaps", plant__alarm_linked=True),
                             missing="false")
    assert v.status is Status.UNDETERMINED
    assert ("demo-2023/1.1", ("plant.alarm_installed",)) in [
        (u.rule_id, u.missing) for u in v.undetermined]
    assert [e.code for e in v.errors] == ["bad-value"]


def test_engine_wide_closed_world(demo_rulesets: hr.Rulesets) -> None:
    engine = hr.Engine(demo_rulesets, missing="false")
    assert engine.rule_statuses(rec())["demo-2023/1.1"] == "FALSE"
    with pytest.raises(ValueError, match="missing must be 'unknown' or 'false'"):
        hr.Engine(demo_rulesets, missing="closed")  # type: ignore[arg-type]


def test_classify_many_is_lazy_and_goes_past_bad_records(demo_engine: hr.Engine) -> None:
    def endless() -> Iterator[Any]:
        yield rec(plant__alarm_installed=False)
        yield "not a record"
        yield {"record_id": "x", "inspected_on": "tomorrow"}
        while True:
            yield rec(plant__alarm_installed=True, plant__alarm_linked=True)

    verdicts = list(itertools.islice(demo_engine.classify_many(endless()), 5))
    assert [v.status.value for v in verdicts] == [
        "major", "error", "error", "undetermined", "undetermined"]
    assert verdicts[1].errors[0].code == "bad-record"
    assert verdicts[2].errors[0].code == "bad-date"


def test_verdicts_are_deterministic(demo_engine: hr.Engine) -> None:
    record = rec(scopes=["dust", "gas"], plant__alarm_installed=False, plant__seal_pressure=1,
                 plant__guard_a=False, plant__guard_b=False)
    first = demo_engine.classify(record)
    for _ in range(3):
        assert demo_engine.classify(record) == first
    assert first.fired == ("demo-2023/1.1", "demo-2023/1.2", "demo-2023/2.4", "other-2021/1")


def test_clauses_without_text_keep_a_record_from_being_clear(demo_engine: hr.Engine) -> None:
    # demo-2020 lists 第一条第（三）项 as missing text: nothing fires, nothing lacks facts,
    # but one clause was not assessed, so the record is undetermined, not clear
    v = demo_engine.classify(rec("2021-06-01", plant__alarm_installed=True,
                                 plant__seal_pressure=31))
    assert v.fired == () and v.undetermined == ()
    assert v.status is Status.UNDETERMINED
    assert [(u.edition, u.article, u.rule_id) for u in v.unassessed] == [
        ("demo-2020", "第一条第（三）项", "demo-2020/1.3")]
    assert "【未判定条款（缺少官方条文）】" in demo_engine.explain(v)
