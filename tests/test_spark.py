"""Spark in local mode gives the local engine's verdicts, row for row (marker ``spark``).

One frame holds the case records of every bundled edition (so every edition and its
dates are judged), the example records with their bad rows, and synthetic records
with 20% of facts missing; Spark classifies it in several partitions and the result
must equal :meth:`Engine.classify_frame` on the same frame.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hazard_rules as hr
from tests.conftest import HERE

pytestmark = pytest.mark.spark

pl = pytest.importorskip("polars")
pytest.importorskip("pyspark")

EXAMPLES = HERE.parent / "examples" / "records.jsonl"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # workers import this hazard_rules
    session = (SparkSession.builder.master("local[2]").appName("hazard-rules-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _text(value: Any) -> Any:
    """Cells of mixed types become text (Spark columns have one type); the engine reads
    text leniently and reports what it cannot read, locally and in Spark alike."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _records(engine: hr.Engine) -> list[dict[str, Any]]:
    from hazard_rules.cases import _record, check_case_files

    cases, _ = check_case_files(engine.rulesets)
    records = [_record(c) for c in cases if c.spec.missing == "unknown"]
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return records


@pytest.fixture(scope="module")
def frame(engine_bundled: hr.Engine) -> Any:
    from hazard_rules.backends.columnar.frame import records_to_frame
    from hazard_rules.synthetic import synthetic_frame

    cases = records_to_frame(_records(engine_bundled))
    cases = cases.with_columns(
        pl.col(c).map_elements(_text, return_dtype=pl.String) for c, t in cases.schema.items()
        if t == pl.Object)
    synthetic = synthetic_frame(engine_bundled, 300, seed=11, missing=0.2).with_columns(
        pl.col("inspected_on").dt.to_string("%Y-%m-%d"))
    both = pl.concat([cases, synthetic], how="diagonal_relaxed")
    return both.with_row_index("n", offset=1).with_columns(pl.col("n").cast(pl.Int64))


@pytest.fixture(scope="module")
def engine_bundled() -> hr.Engine:
    return hr.Engine()


def test_spark_gives_the_local_verdicts_row_for_row(spark: Any, frame: Any,
                                                    engine_bundled: hr.Engine) -> None:
    from hazard_rules.spark import classify_spark

    local = engine_bundled.classify_frame(frame.drop("n"), row_numbers=frame["n"].to_list())
    df = spark.createDataFrame(frame.to_arrow()).repartition(3)
    verdicts, findings = classify_spark(df, findings=True, row_column="n")
    got = pl.from_arrow(verdicts.toArrow()).sort("row")
    want = local.verdicts.select(got.columns)
    assert got.height == want.height == frame.height
    assert got.to_dicts() == want.to_dicts()
    # what the comparison covers
    statuses = set(got["status"].to_list())
    assert statuses == {"major", "undetermined", "clear", "error"}
    assert set(got["editions"].explode().drop_nulls().to_list()) == set(
        engine_bundled.rulesets.editions)
    codes = set(got["errors"].explode().struct.field("code").drop_nulls().to_list())
    assert {"bad-date", "missing-record-id", "bad-value"} <= codes
    got_findings = pl.from_arrow(findings.toArrow()).sort("row", "rule_id")
    assert got_findings.to_dicts() == local.findings.sort("row", "rule_id").to_dicts()


def test_rows_are_numbered_by_spark_without_a_row_column(spark: Any,
                                                         engine_bundled: hr.Engine) -> None:
    from hazard_rules.spark import classify_spark

    df = spark.createDataFrame(
        [("R-1", "2024-06-01", "commerce", True), (None, "2024-06-01", "commerce", False)],
        "record_id string, inspected_on string, `enterprise.sector` string, "
        "`common.special_operator_uncertified_on_duty` boolean")
    rows = verdicts_by_id(classify_spark(df))
    assert rows["R-1"]["fired"] == ["gongmao-2023/3.2"]
    number = rows[None]["row"]
    assert rows[None]["errors"][0]["message"] == f"the record has no record_id (row {number})"
    assert rows["R-1"]["row"] != number


def test_nested_struct_columns_and_bad_arguments(spark: Any) -> None:
    from hazard_rules.spark import classify_spark

    df = spark.createDataFrame(
        [("R-1", "2024-06-01", ("commerce", []), (True,))],
        "record_id string, inspected_on string, "
        "enterprise struct<sector:string, scopes:array<string>>, "
        "common struct<special_operator_uncertified_on_duty:boolean>")
    rows = verdicts_by_id(classify_spark(df))
    assert rows["R-1"]["fired"] == ["gongmao-2023/3.2"]
    with pytest.raises(ValueError, match="row_column 'nope' is not a column"):
        classify_spark(df, row_column="nope")
    with pytest.raises(ValueError, match="missing must be"):
        classify_spark(df, missing="maybe")  # type: ignore[arg-type]


def verdicts_by_id(df: Any) -> dict[Any, dict[str, Any]]:
    return {r["record_id"]: r.asDict(recursive=True) for r in df.collect()}


def test_example_script_runs(tmp_path: Path) -> None:
    import subprocess

    script = HERE.parent / "examples" / "spark_classify.py"
    out = subprocess.run(
        [sys.executable, str(script), "--records", "2000", "--output", str(tmp_path / "v")],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable})
    assert out.returncode == 0, out.stderr[-3000:]
    assert "records/s" in out.stdout
    assert pl.read_parquet(tmp_path / "v" / "*.parquet").height == 2000
