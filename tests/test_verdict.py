from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema

import hazard_rules as hr
from hazard_rules import Status, Verdict, verdict_json_schema

SCHEMA_FILE = Path(__file__).parent.parent / "schemas" / "verdict.schema.json"

RECORD = {"record_id": "R-0042", "inspected_on": "2024-06-01", "source": "inspection",
          "enterprise": {"sector": "workshop", "scopes": ["gas", "dust"]},
          "facts": {"plant": {"alarm_installed": False, "seal_pressure": 25.5,
                              "guard_a": False, "fuel": "natural_gas",
                              "detector_readings": [3.5, 12.0]},
                    "plant.workers": "many"}}


def test_published_schema_is_current() -> None:
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == verdict_json_schema(), (
        "schemas/verdict.schema.json is stale: run `hazard-rules schema > "
        "schemas/verdict.schema.json`")


def test_verdicts_validate_against_the_schema(demo_engine: hr.Engine) -> None:
    schema = verdict_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    records = [RECORD, {"record_id": "x"}, "junk",
               {**RECORD, "enterprise": {"sector": "farm", "scopes": []}}]
    for v in demo_engine.classify_many(records):
        jsonschema.validate(json.loads(v.to_json()), schema)
    assert set(schema["required"]) == {"record_id", "inspected_on", "status", "editions",
                                       "findings", "undetermined", "errors", "unassessed"}


def test_json_round_trip(demo_engine: hr.Engine) -> None:
    v = demo_engine.classify(RECORD)
    assert v.status is Status.MAJOR
    back = Verdict.from_json(v.to_json())
    assert back == v
    assert "未设置报警装置" in v.to_json()  # Chinese is kept readable


def test_explain_in_chinese_and_english(demo_engine: hr.Engine,
                                        golden: Callable[[str, str], None]) -> None:
    v = demo_engine.classify(RECORD)
    golden("explain/major-zh.txt", demo_engine.explain(v) + "\n")
    golden("explain/major-en.txt", demo_engine.explain(v, lang="en") + "\n")
    error = demo_engine.classify({"record_id": "R-7", "inspected_on": "2019-01-01",
                                  "enterprise": {"sector": "workshop"}})
    golden("explain/error-zh.txt", demo_engine.explain(error) + "\n")


def test_verdict_helpers(demo_engine: hr.Engine) -> None:
    v = demo_engine.classify(RECORD)
    assert v.is_major
    assert v.fired == ("demo-2023/1.1", "demo-2023/1.2", "other-2021/1")
    assert v.missing_facts[:2] == ("plant.load", "plant.rated_load")
