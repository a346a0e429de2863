from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pydantic
import pytest

import hazard_rules as hr
from hazard_rules.records import Normaliser


@pytest.fixture(scope="module")
def norm(demo_rulesets: hr.Rulesets) -> Normaliser:
    return Normaliser(demo_rulesets.catalog)


def test_nested_and_dotted_facts_are_typed(norm: Normaliser) -> None:
    r = norm({"record_id": 7, "inspected_on": "2024-03-05T10:00:00", "source": "inspection",
              "enterprise": {"id": "E1", "name": "某厂", "region": "330104", "sector": "workshop",
                             "scopes": ["gas"]},
              "facts": {"plant": {"alarm_installed": True, "workers": 10.0},
                        "plant.seal_pressure": "0.0299 MPa", "plant.last_test": "2023-01-02",
                        "plant.valves_ok": [True, False]},
              "meta": {"inspector": "张三"}})
    assert r.issues == []
    assert r.record_id == "7"
    assert r.inspected_on == dt.date(2024, 3, 5)
    assert r.enterprise == {"id": "E1", "name": "某厂", "region": "330104"}
    assert r.facts == {
        "enterprise.sector": "workshop", "enterprise.scopes": ("gas",),
        "plant.alarm_installed": True, "plant.workers": 10, "plant.seal_pressure": 29.9,
        "plant.last_test": dt.date(2023, 1, 2), "plant.valves_ok": (True, False),
        "record.inspected_on": dt.date(2024, 3, 5)}


@pytest.mark.parametrize(
    ("facts", "code", "field", "message"),
    [
        ({"plant.alarm_installed": "maybe"}, "bad-value", "facts.plant.alarm_installed",
         "plant.alarm_installed: expected true or false, got 'maybe'"),
        ({"plant.workers": "9.5"}, "bad-value", "facts.plant.workers",
         "plant.workers: '9.5' is not a whole number of persons"),
        ({"plant.load": "heavy"}, "bad-value", "facts.plant.load",
         "plant.load: expected a number in t (or e.g. '30 t'), got 'heavy'"),
        ({"plant.alarm_installed": 1}, "bad-value", "facts.plant.alarm_installed",
         "plant.alarm_installed: expected true or false, got 1"),
        ({"plant.workers": 9.5}, "bad-value", "facts.plant.workers",
         "plant.workers: expected a whole number, got 9.5"),
        ({"plant.workers": True}, "bad-value", "facts.plant.workers",
         "plant.workers: expected a whole number, got True"),
        ({"plant.seal_pressure": "30 m"}, "bad-value", "facts.plant.seal_pressure",
         "plant.seal_pressure: '30 m' is not a pressure (expected kPa)"),
        ({"plant.seal_pressure": math.inf}, "bad-value", "facts.plant.seal_pressure",
         "plant.seal_pressure: expected a finite number, got inf"),
        ({"plant.fuel": "coalgas"}, "unknown-enum-value", "facts.plant.fuel",
         "plant.fuel: 'coalgas' is not one of coal_gas, natural_gas, electric; "
         "did you mean 'coal_gas'?"),
        ({"plant.valves_ok": [True, None]}, "bad-value", "facts.plant.valves_ok",
         "plant.valves_ok: item 1 is empty; lists cannot hold unknown items"),
        ({"plant.valves_ok": "true"}, "bad-value", "facts.plant.valves_ok",
         "plant.valves_ok: expected a list, got 'true'"),
        ({"plant.last_test": "last week"}, "bad-value", "facts.plant.last_test",
         "plant.last_test: expected a date, got 'last week'"),
        ({"plant.alarm_instaled": True}, "unknown-fact", "facts.plant.alarm_instaled",
         "unknown fact 'plant.alarm_instaled'; did you mean 'plant.alarm_installed'?"),
        ({"plantt": {"x": 1}}, "unknown-fact", "facts.plantt",
         "'plantt' is neither a fact catalog nor a dotted fact name; did you mean 'plant'?"),
    ],
)
def test_bad_values_are_reported_and_treated_as_unknown(
        norm: Normaliser, facts: dict[str, object], code: str, field: str, message: str) -> None:
    r = norm({"record_id": "R", "inspected_on": "2024-01-01", "facts": facts})
    assert [(i.code, i.field, i.message) for i in r.issues] == [(code, field, message)]
    assert not any(i.blocking for i in r.issues)
    assert set(r.facts) == {"record.inspected_on"}


@pytest.mark.parametrize(
    ("fact", "given", "value"),
    [("plant.alarm_installed", "是", True), ("plant.alarm_installed", "否", False),
     ("plant.alarm_installed", " TRUE ", True), ("plant.alarm_installed", "0", False),
     ("plant.workers", "12", 12), ("plant.workers", "12 persons", 12),
     ("plant.seal_pressure", "29.5", 29.5), ("plant.seal_pressure", "0.0295 MPa", 29.5),
     ("plant.valves_ok", ["yes", "no"], (True, False))],
)
def test_common_spellings_are_read(norm: Normaliser, fact: str, given: object,
                                   value: object) -> None:
    """Exports and checklists write yes/no and numbers as text; both backends read them."""
    r = norm({"record_id": "R", "inspected_on": "2024-01-01", "facts": {fact: given}})
    assert r.issues == []
    assert r.facts[fact] == value


def test_none_and_nan_mean_unknown(norm: Normaliser) -> None:
    r = norm({"record_id": "R", "inspected_on": "2024-01-01",
              "facts": {"plant.seal_pressure": float("nan"), "plant.alarm_installed": None}})
    assert r.issues == []
    assert "plant.seal_pressure" not in r.facts


@pytest.mark.parametrize(
    ("record", "codes"),
    [
        ({"inspected_on": "2024-01-01"}, [("missing-record-id", False)]),
        ({"record_id": "R"}, [("missing-date", True)]),
        ({"record_id": "R", "inspected_on": "2024-02-30"}, [("bad-date", True)]),
        ({"record_id": "R", "inspected_on": "2024-01-01", "source": "inspetion"},
         [("unknown-enum-value", False)]),
        ({"record_id": "R", "inspected_on": "2024-01-01", "inspector": "x"},
         [("unknown-field", False)]),
        ({"record_id": "R", "inspected_on": "2024-01-01", "enterprise": {"sectr": "x"}},
         [("unknown-field", False)]),
        ({"record_id": "R", "inspected_on": "2024-01-01", "facts": [1, 2]}, [("bad-value", False)]),
        ({"record_id": ["R"], "inspected_on": "2024-01-01"}, [("bad-value", False)]),
    ],
)
def test_record_level_problems(norm: Normaliser, record: dict[str, object],
                               codes: list[tuple[str, bool]]) -> None:
    assert [(i.code, i.blocking) for i in norm(record).issues] == codes


def test_messages_suggest_fixes(norm: Normaliser) -> None:
    [issue] = norm({"record_id": "R", "inspected_on": "2024-01-01", "inspectd_on": "x"}).issues
    assert issue.message == ("unknown field 'inspectd_on'; did you mean 'inspected_on'? "
                             "(free-form data belongs under 'meta')")


def test_a_fact_given_twice_is_reported(norm: Normaliser) -> None:
    r = norm({"record_id": "R", "inspected_on": "2024-01-01",
              "facts": {"plant": {"workers": 3}, "plant.workers": 4}})
    assert [(i.code, i.field) for i in r.issues] == [("duplicate-fact", "facts.plant.workers")]
    assert r.facts["plant.workers"] == 3


def test_pydantic_models_and_dataclasses_are_records(norm: Normaliser) -> None:
    class Enterprise(pydantic.BaseModel):
        sector: str
        scopes: list[str] = []

    class Record(pydantic.BaseModel):
        record_id: str
        inspected_on: dt.date
        enterprise: Enterprise
        facts: dict[str, object]

    @dataclass
    class Plain:
        record_id: str
        inspected_on: str
        facts: dict[str, object]

    r = norm(Record(record_id="P", inspected_on=dt.date(2024, 1, 1),
                    enterprise=Enterprise(sector="depot"), facts={"plant.workers": 3}))
    assert r.issues == [] and r.facts["plant.workers"] == 3
    assert r.facts["enterprise.scopes"] == ()
    d = norm(Plain("D", "2024-01-01", {"plant.alarm_installed": False}))
    assert d.issues == [] and d.facts["plant.alarm_installed"] is False
    assert [i.code for i in norm(42).issues] == ["bad-record"]


def test_values_outside_a_declared_range_are_rejected() -> None:
    norm = Normaliser(hr.load_rulesets().catalog)
    r = norm({"record_id": "R", "inspected_on": "2026-08-01",
              "enterprise": {"sector": "coal_mine"}, "facts": {"coal.construction_phase": 4}})
    assert [(i.code, i.message) for i in r.issues] == [
        ("bad-value", "coal.construction_phase: 4 is outside the allowed range 1–3")]
    assert "coal.construction_phase" not in r.facts
