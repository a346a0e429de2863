"""Tidy frames: fixed schemas in polars and pandas, the same from every path."""

from __future__ import annotations

import polars as pl
import pytest

import hazard_rules as hr
from hazard_rules import analysis as an
from hazard_rules.township import Township


def test_polars_schemas_are_fixed(frames: an.VerdictFrames) -> None:
    assert dict(frames.verdicts.schema) == an.VERDICTS_SCHEMA
    assert dict(frames.findings.schema) == an.FINDINGS_SCHEMA
    assert dict(frames.missing.schema) == an.MISSING_SCHEMA


def test_pandas_dtypes_are_arrow_backed_and_fixed(frames: an.VerdictFrames) -> None:
    pandas = frames.to_pandas()
    dtypes = {c: str(t) for c, t in pandas.verdicts.dtypes.items()}
    assert dtypes["row"] == "int64[pyarrow]"
    assert dtypes["inspected_on"] == "date32[day][pyarrow]"
    assert dtypes["status"] == "large_string[pyarrow]"
    assert dtypes["fired"] == "large_list<item: large_string>[pyarrow]"
    assert dtypes["n_missing"] == "int32[pyarrow]"
    assert list(pandas.verdicts.columns) == list(an.VERDICTS_SCHEMA)
    assert list(pandas.findings.columns) == list(an.FINDINGS_SCHEMA)
    assert list(pandas.missing.columns) == list(an.MISSING_SCHEMA)
    assert len(pandas.findings) == frames.findings.height


def test_tables_agree_with_each_other(frames: an.VerdictFrames) -> None:
    v = frames.verdicts
    assert v["row"].to_list() == list(range(v.height))
    assert frames.findings.height == int(v["n_fired"].sum())
    assert int(v["n_fired"].gt(0).sum()) == int((v["status"] == "major").sum())
    per_record = frames.missing.group_by("row").agg(pl.col("fact").n_unique().alias("n"))
    counts = dict(per_record.iter_rows())
    assert all(counts.get(row, 0) == n for row, n in zip(v["row"], v["n_missing"], strict=True))
    # the record columns of findings are those of their record
    joined = frames.findings.join(v, on="row", suffix="_v")
    for col in ("record_id", "source", "enterprise_id", "region", "sector"):
        assert joined[col].equals(joined[f"{col}_v"], null_equal=True)


def test_from_verdicts_gives_the_same_tables_as_from_result(
        frames: an.VerdictFrames, town: Township, engine: hr.Engine) -> None:
    records = list(town.records[:300])
    mine = an.from_verdicts(engine.classify_many(records), records, engine.rulesets)
    head = frames.filter(pl.col("row") < 300)
    assert mine.verdicts.equals(head.verdicts)
    assert mine.findings.equals(head.findings)
    assert mine.missing.equals(head.missing)


def test_rejected_values_are_null_and_listed(engine: hr.Engine) -> None:
    records = [{"record_id": "A", "inspected_on": "2025-02-03", "source": "rumour",
                "enterprise": {"id": "E1", "sector": "spaceflight", "region": "330110"}},
               {"record_id": "B", "inspected_on": "2025-13-01", "source": "inspection"}]
    frames = an.classify(records, engine)
    v = frames.verdicts
    assert v["status"].to_list() == ["undetermined", "error"]  # an unknown sector may be any
    assert v["source"].to_list() == [None, "inspection"]
    assert v["sector"].to_list() == [None, None]
    assert v["enterprise_id"].to_list() == ["E1", None]
    assert v["region"].to_list() == ["330110", None]
    assert v["error_codes"].to_list() == [["unknown-enum-value", "unknown-enum-value"],
                                          ["bad-date"]]
    assert dict(v.schema) == an.VERDICTS_SCHEMA
    objects = an.from_verdicts(engine.classify_many(records), records, engine.rulesets)
    assert objects.verdicts.equals(v)
    assert objects.missing.equals(frames.missing)


def test_filter_keeps_findings_and_missing_of_the_kept_records(
        frames: an.VerdictFrames) -> None:
    kept = frames.filter(source="inspection")
    assert set(kept.verdicts["source"]) == {"inspection"}
    assert set(kept.findings["row"]) <= set(kept.verdicts["row"])
    assert kept.findings.height == int(kept.verdicts["n_fired"].sum())
    assert set(kept.missing["source"].unique()) <= {"inspection"}
    assert kept.findings.height + frames.filter(
        pl.col("source") != "inspection").findings.height == frames.findings.height


def test_repr_counts(frames: an.VerdictFrames) -> None:
    n = frames.verdicts.height
    text = repr(frames)
    assert text.startswith(f"<VerdictFrames {n} records: ")
    assert f"; {frames.findings.height} findings>" in text


def test_empty_input_gives_empty_tables_with_the_schema(bundled: hr.Rulesets) -> None:
    frames = an.from_verdicts([], [], bundled)
    assert frames.verdicts.height == 0
    assert dict(frames.verdicts.schema) == an.VERDICTS_SCHEMA
    assert an.summarize(frames, "sector").height == 0
    assert an.campaign(frames).height == 0


@pytest.mark.parametrize("kind", ["pandas", "arrow"])
def test_classify_takes_pandas_and_arrow(kind: str, town: Township, engine: hr.Engine,
                                         frames: an.VerdictFrames) -> None:
    frame = town.to_frame().head(200)
    data = frame.to_pandas() if kind == "pandas" else frame.to_arrow()
    other = an.classify(data, engine)
    assert other.verdicts.equals(frames.filter(pl.col("row") < 200).verdicts)
