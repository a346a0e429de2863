"""The columnar backend: frames give the reference verdicts, record for record."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hazard_rules as hr
from hazard_rules import ir
from hazard_rules.interpret import truth
from tests.strategies import (
    UNIVERSE,
    conditions,
    edition_of,
    edition_records,
    partial_facts,
    with_wrong_types,
)

pl = pytest.importorskip("polars", reason="the columnar extra is not installed")
from hazard_rules.backends.columnar import ColumnarBackend  # noqa: E402
from hazard_rules.backends.columnar.frame import records_to_frame  # noqa: E402

BUNDLED = hr.load_rulesets()
ENGINE = hr.Engine(BUNDLED)


def compare(records: list[Any], missing: str = "unknown") -> None:
    reference = list(ENGINE.classify_many(records, missing=missing))  # type: ignore[arg-type]
    result = ENGINE.classify_frame(records_to_frame(records), missing=missing)  # type: ignore[arg-type]
    columnar = list(result.to_verdicts())
    assert len(columnar) == len(reference)
    for rec, a, b in zip(records, reference, columnar, strict=True):
        assert a == b, f"record: {rec}\nreference: {a}\ncolumnar:  {b}"
    frame = result.verdicts_pl
    assert frame["status"].to_list() == [v.status.value for v in reference]
    assert frame["fired"].to_list() == [list(v.fired) for v in reference]
    assert frame["undetermined"].to_list() == [[u.rule_id for u in v.undetermined]
                                               for v in reference]


def test_every_case_record_gives_the_reference_verdict() -> None:
    from hazard_rules.cases import _record, check_case_files

    cases, _ = check_case_files(BUNDLED)
    for missing in ("unknown", "false"):
        compare([_record(c) for c in cases if c.spec.missing == missing], missing)


def test_example_records_including_bad_ones() -> None:
    import json
    from pathlib import Path

    lines = (Path(__file__).parents[2] / "examples" / "records.jsonl").read_text(
        encoding="utf-8").splitlines()
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    compare([r for r in records if isinstance(r, dict)])


@pytest.mark.parametrize("edition", list(BUNDLED), ids=lambda e: e.id)
def test_random_records_give_the_reference_verdicts(edition: hr.Edition) -> None:
    """Hypothesis records from the edition's facts, with missing values, boundary values
    and wrong types, in both worlds: identical verdicts, record for record."""

    @settings(max_examples=15, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example,
                                     HealthCheck.data_too_large])
    @given(st.lists(with_wrong_types(edition_records(BUNDLED, edition)), min_size=1,
                    max_size=6), st.sampled_from(["unknown", "false"]))
    def check(records: list[dict[str, Any]], missing: str) -> None:
        compare(records, missing)

    check()


@settings(max_examples=200, deadline=None)
@given(conditions(max_leaves=8), partial_facts(UNIVERSE))
def test_random_conditions_agree_with_the_interpreter(cond: ir.Expr,
                                                      facts: dict[str, Any]) -> None:
    compiled = ColumnarBackend().compile(edition_of([cond]))
    assert compiled.evaluate(facts) == (truth(cond, facts)[0],), ir.dump(cond)


def test_output_follows_the_input_type() -> None:
    import pandas as pd
    import pyarrow as pa

    frame = pl.DataFrame({"record_id": ["A"], "inspected_on": ["2024-06-01"],
                          "enterprise.sector": ["commerce"], "enterprise.scopes": [[]],
                          "common.special_operator_uncertified_on_duty": [True]})
    assert isinstance(ENGINE.classify_frame(frame.to_pandas()).verdicts, pd.DataFrame)
    result = ENGINE.classify_frame(frame.to_arrow())
    assert isinstance(result.verdicts, pa.Table)
    assert isinstance(result.findings, pa.Table)
    findings = ENGINE.classify_frame(frame).findings
    assert findings.select("record_id", "rule_id", "edition", "article").rows() == [
        ("A", "gongmao-2023/3.2", "gongmao-2023", "第三条第（二）项")]


def test_nested_and_dotted_columns_both_work() -> None:
    nested = pl.DataFrame({
        "record_id": ["A"], "inspected_on": ["2024-06-01"],
        "enterprise": [{"sector": "commerce", "scopes": []}],
        "facts": [{"common": {"special_operator_uncertified_on_duty": True}}]})
    dotted = pl.DataFrame({"record_id": ["A"], "inspected_on": ["2024-06-01"],
                           "enterprise.sector": ["commerce"], "enterprise.scopes": [[]],
                           "facts.common.special_operator_uncertified_on_duty": [True]})
    a = ENGINE.classify_frame(nested).verdicts_pl
    b = ENGINE.classify_frame(dotted).verdicts_pl
    assert a["fired"].to_list() == b["fired"].to_list() == [["gongmao-2023/3.2"]]
