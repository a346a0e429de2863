"""Every summary's totals reconcile with the raw verdicts, findings and missing facts."""

from __future__ import annotations

import polars as pl
import pytest

from hazard_rules import analysis as an
from hazard_rules.analysis.regions import LEVELS

STATUSES = ("major", "undetermined", "clear", "error")
RECORD_DIMS = ["sector", "source", *LEVELS, "region", "enterprise", "year", "quarter",
               "month"]


def _status_counts(frames: an.VerdictFrames) -> dict[str, int]:
    counts = dict(frames.verdicts["status"].value_counts().iter_rows())
    return {s: int(counts.get(s, 0)) for s in STATUSES}


@pytest.mark.parametrize("by", [*RECORD_DIMS, ["sector", "quarter"], ["village", "source"]])
def test_record_summaries_reconcile(frames: an.VerdictFrames, by: str | list[str]) -> None:
    table = an.summarize(frames, by)
    v = frames.verdicts
    assert int(table["records"].sum()) == v.height
    for status, n in _status_counts(frames).items():
        assert int(table[status].sum()) == n, status
    assert int(table["findings"].sum()) == frames.findings.height
    assert int(table["missing_facts"].sum()) == int(v["n_missing"].sum())
    assert (table["records"] == table["major"] + table["undetermined"] + table["clear"]
            + table["error"]).all()
    dims = [by] if isinstance(by, str) else by
    assert table.select(dims).is_unique().all()
    # rates are the counts divided
    assert (table["major_rate"] - table["major"] / table["records"]).abs().max() < 1e-12


def test_enterprise_counts_are_distinct_enterprises(frames: an.VerdictFrames) -> None:
    table = an.summarize(frames, "sector")
    v = frames.verdicts
    # an enterprise has one sector, so sector groups partition the enterprises
    assert int(table["enterprises"].sum()) == v["enterprise_id"].n_unique()
    majors = v.filter(pl.col("status") == "major")["enterprise_id"].n_unique()
    assert int(table["major_enterprises"].sum()) == majors
    row = table.filter(pl.col("sector") == "machinery").row(0, named=True)
    machinery = v.filter(pl.col("sector") == "machinery")
    assert row["enterprises"] == machinery["enterprise_id"].n_unique()
    assert row["enterprise_major_rate"] == pytest.approx(
        row["major_enterprises"] / row["enterprises"])
    assert row["findings_per_enterprise"] == pytest.approx(row["findings"] / row["enterprises"])


@pytest.mark.parametrize("level", LEVELS)
def test_region_levels_roll_up_to_the_total(frames: an.VerdictFrames, level: str) -> None:
    table = an.summarize(frames, level)
    assert int(table["records"].sum()) == frames.verdicts.height
    assert int(table["major"].sum()) == _status_counts(frames)["major"]
    # each group is the records whose code starts with the group's code (GB/T 2260 prefix)
    digits = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}[level]
    for code, n in table.select(level, "records").iter_rows():
        direct = frames.verdicts.filter(pl.col("region").str.starts_with(code[:digits]))
        assert direct.height == n


def test_region_names_come_from_the_records(frames: an.VerdictFrames) -> None:
    villages = an.summarize(frames, "village")
    names = dict(frames.verdicts.select("region", "region_name").unique().iter_rows())
    for code, name in villages.select("village", "village_name").iter_rows():
        assert name == names[code]
    [town] = an.summarize(frames, "township").select("township_name").to_series().to_list()
    assert town == "浙江省杭州市余杭区青禾镇"
    # the township is the county's only region below it: the county's name cannot be told
    assert an.summarize(frames, "county")["county_name"].to_list() == [None]


@pytest.mark.parametrize("by", ["edition", "standard", ["edition", "quarter"],
                                ["standard", "sector"]])
def test_edition_summaries_reconcile(frames: an.VerdictFrames, by: str | list[str]) -> None:
    table = an.summarize(frames, by)
    v = frames.verdicts
    judged = int(v["editions"].list.len().sum())  # a record counts once per edition
    assert int(table["records"].sum()) == judged
    assert int(table["findings"].sum()) == frames.findings.height
    assert int(table["error"].sum()) == 0
    # a record is major under an edition iff one of that edition's clauses fired for it
    pairs = frames.findings.select("row", "edition").unique().height
    assert int(table["major"].sum()) == pairs
    assert (table["records"] == table["major"] + table["undetermined"] + table["clear"]).all()
    missing = frames.missing.select("row", "edition", "fact").unique().height
    assert int(table["missing_facts"].sum()) == missing


def test_edition_titles(frames: an.VerdictFrames) -> None:
    table = an.summarize(frames, "edition")
    titles = dict(table.select("edition", "edition_title").iter_rows())
    assert titles["gongmao-2023"] == "工贸企业重大事故隐患判定标准"
    both = an.summarize(frames, ["standard", "edition"])
    assert both.columns[:4] == ["standard", "standard_title", "edition", "edition_title"]
    assert both.sort("edition")["records"].to_list() == table.sort("edition")["records"].to_list()


@pytest.mark.parametrize("by", [(), "sector", "source", "quarter", "village"])
def test_clauses_reconcile(frames: an.VerdictFrames, by: str | tuple[str, ...]) -> None:
    table = an.clauses(frames, by)
    assert int(table["findings"].sum()) == frames.findings.height
    assert int(table["undetermined"].sum()) == int(frames.verdicts["n_undetermined"].sum())
    counts = dict(frames.findings["rule_id"].value_counts().iter_rows())
    totals = dict(table.group_by("rule_id").agg(pl.col("findings").sum()).iter_rows())
    assert {k: v for k, v in totals.items() if v} == counts


def test_top_clauses_are_the_most_found(frames: an.VerdictFrames) -> None:
    top = an.top_clauses(frames, 5)
    counts = frames.findings["rule_id"].value_counts().sort("count", descending=True)
    assert top["findings"].to_list() == counts["count"].head(5).to_list()
    assert top["findings"].to_list() == sorted(top["findings"].to_list(), reverse=True)
    rule = frames.rulesets.rule(top["rule_id"][0])
    assert top["text"][0] == rule.text and top["article"][0] == rule.article


@pytest.mark.parametrize("by", [(), "source", "sector"])
def test_missing_facts_reconcile(frames: an.VerdictFrames, by: str | tuple[str, ...]) -> None:
    table = an.missing_facts(frames, by)
    assert int(table["records"].sum()) == int(frames.verdicts["n_missing"].sum())
    fact = table["fact"][0]
    assert table["label"][0] == frames.rulesets.catalog[fact].label_zh
    if not by:
        lacking = frames.missing.filter(pl.col("fact") == fact)["row"].n_unique()
        assert table["records"][0] == lacking
        assert table["records"].to_list() == sorted(table["records"].to_list(), reverse=True)


def test_incomplete_records(frames: an.VerdictFrames) -> None:
    table = an.incomplete_records(frames, 7)
    assert table.height == 7
    assert table["n_missing"][0] == frames.verdicts["n_missing"].max()
    assert table["n_missing"].to_list() == sorted(table["n_missing"].to_list(), reverse=True)


def test_periods_are_labelled(frames: an.VerdictFrames) -> None:
    assert an.summarize(frames, "month")["month"].to_list() == [
        f"2025-{m:02d}" for m in range(1, 13)]
    assert an.summarize(frames, "year")["year"].to_list() == ["2025"]


def test_bad_grouping_is_refused(frames: an.VerdictFrames) -> None:
    with pytest.raises(ValueError, match="cannot group by 'colour'"):
        an.summarize(frames, "colour")
    with pytest.raises(ValueError, match="repeated"):
        an.summarize(frames, ["sector", "sector"])
    with pytest.raises(ValueError, match="cannot group by 'edition'"):
        an.clauses(frames, "edition")
