"""New, cleared and open hazards: a hand-made history, and the township's totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

import hazard_rules as hr
from hazard_rules import analysis as an

FACT = "common.special_operator_uncertified_on_duty"  # gongmao-2023/3.2 fires when true
RULE = "gongmao-2023/3.2"


def _record(rid: str, day: str, source: str, enterprise: str, value: Any) -> dict[str, Any]:
    facts = {} if value is None else {FACT: value}
    return {"record_id": rid, "inspected_on": day, "source": source,
            "enterprise": {"id": enterprise, "name": f"{enterprise} 公司", "sector": "commerce",
                           "region": "330110199201", "scopes": []}, "facts": facts}


@pytest.fixture(scope="module")
def history(engine: hr.Engine) -> an.VerdictFrames:
    records = [
        _record("r1", "2025-01-10", "inspection", "E1", True),       # new
        _record("r6", "2025-01-15", "inspection", "E2", True),       # new, never cleared
        _record("r2", "2025-02-10", "self_check", "E1", None),       # undetermined: stays open
        _record("r3", "2025-03-10", "inspection", "E1", True),       # still open, not new
        _record("r4", "2025-04-10", "inspection", "E1", False),      # cleared
        _record("r5", "2025-05-10", "public_report", "E1", True),    # new again
        _record("r7", "2025-13-01", "inspection", "E1", False),      # bad date: ignored
    ]
    return an.classify(records, engine)


def test_events_follow_each_enterprise_in_date_order(history: an.VerdictFrames) -> None:
    events = an.hazard_events(history).filter(pl.col("rule_id") == RULE)
    assert events.select("event", "enterprise", "record_id").rows() == [
        ("new", "E1", "r1"), ("new", "E2", "r6"), ("cleared", "E1", "r4"), ("new", "E1", "r5")]
    assert events["edition"].unique().to_list() == ["gongmao-2023"]


def test_campaign_by_month(history: an.VerdictFrames) -> None:
    table = an.campaign(history, "month")
    rows = table.select("month", "new", "cleared", "open").rows()
    assert rows == [("2025-01", 2, 0, 2), ("2025-02", 0, 0, 2), ("2025-03", 0, 0, 2),
                    ("2025-04", 0, 1, 1), ("2025-05", 1, 0, 2)]
    assert table["records"].to_list() == [2, 1, 1, 1, 1]
    assert table["major_records"].to_list() == [2, 0, 1, 0, 1]


def test_open_hazards_at_the_end(history: an.VerdictFrames) -> None:
    table = an.open_hazards(history).filter(pl.col("rule_id") == RULE)
    assert table.select("enterprise", "found_on").rows() == [
        ("E2", dt.date(2025, 1, 15)),
        ("E1", dt.date(2025, 5, 10))]


def test_trend_by_source_fills_every_period_and_channel(history: an.VerdictFrames) -> None:
    table = an.trend(history, "month", "source")
    assert table.height == 5 * 3  # five months, three channels in the records
    got = {(m, s): n for m, s, n in table.select("month", "source", "new").iter_rows() if n}
    assert got == {("2025-01", "inspection"): 2, ("2025-05", "public_report"): 1}
    assert set(table["source_name"]) == {"监管检查", "企业自查", "群众举报"}


def test_township_campaign_reconciles(frames: an.VerdictFrames) -> None:
    table = an.campaign(frames, "month")
    events = an.hazard_events(frames)
    assert table.height == 12
    assert int(table["new"].sum()) == int((events["event"] == "new").sum())
    assert int(table["cleared"].sum()) == int((events["event"] == "cleared").sum())
    assert int(table["open"][-1]) == an.open_hazards(frames).height
    assert (table["open"] >= 0).all()
    assert int(table["records"].sum()) == frames.verdicts.filter(
        pl.col("inspected_on").is_not_null()).height
    assert int(table["major_records"].sum()) == int((frames.verdicts["status"] == "major").sum())
    # every (enterprise, clause) that ever fired was new at least once
    pairs = frames.findings.select("enterprise_id", "rule_id").unique().height
    assert int(table["new"].sum()) >= pairs
    quarters = an.campaign(frames, "quarter")
    assert int(quarters["new"].sum()) == int(table["new"].sum())
    assert quarters["open"][-1] == table["open"][-1]


@pytest.mark.parametrize("by", ["source", "sector", "village"])
def test_township_trend_reconciles(frames: an.VerdictFrames, by: str) -> None:
    table = an.trend(frames, "month", by)
    new = an.campaign(frames, "month").select("month", "new")
    per_month = table.group_by("month").agg(pl.col("new").sum()).sort("month")
    assert per_month.rows() == new.rows()
    assert table.height == 12 * frames.verdicts[by if by != "village" else "region"].n_unique()


def test_unknown_period_is_refused(frames: an.VerdictFrames) -> None:
    with pytest.raises(ValueError, match="unknown period 'week'"):
        an.campaign(frames, "week")
