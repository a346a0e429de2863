"""Follow the campaign's targets (清存量、控增量、动态清零): hazards found, cleared, open.

A hazard is one clause firing for one enterprise. Over each enterprise's records in date
order, a clause that fires when it was not open is a **new** hazard (新增); an open one is
**cleared** (整改销号) at the first later record on which it is decided not to fire (FALSE
or no longer applicable); a record on which it stays undetermined, or that could not be
judged, leaves it open. The stock (存量) at the end of a period is what is open then.
Records without an enterprise id count as enterprises of their own; hazards are told
apart by rule id, so a clause judged under a new edition is a new hazard and the old one
is cleared.

>>> from hazard_rules.analysis.frames import classify
>>> from hazard_rules.township import generate_township
>>> frames = classify(generate_township(seed=3, enterprises=6).records)
>>> table = campaign(frames)
>>> int(table["open"][-1]) == int(table["new"].sum() - table["cleared"].sum())
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from hazard_rules.analysis.frames import VerdictFrames
from hazard_rules.analysis.summary import (
    PERIODS,
    RECORD_DIMENSIONS,
    _by,
    _labels,
    records_table,
)

__all__ = ["campaign", "hazard_events", "open_hazards", "trend"]


def _history(frames: VerdictFrames) -> pl.DataFrame:
    """For every (enterprise, clause) that ever fired, every record of the enterprise, in
    order, with the state of the hazard after it (1 open, 0 not) and before it."""
    records = records_table(frames).filter(pl.col("inspected_on").is_not_null())
    pairs = (frames.findings.select("row", "rule_id")
             .join(records.select("row", "enterprise"), on="row", how="inner")
             .select("enterprise", "rule_id").unique())
    hist = pairs.join(records, on="enterprise", how="inner")
    fired = pl.col("fired").list.contains(pl.col("rule_id"))
    pending = pl.col("undetermined").list.contains(pl.col("rule_id")) | \
        (pl.col("status") == "error")
    group = ["enterprise", "rule_id"]
    return (hist.with_columns(
        pl.when(fired).then(1).when(pending).then(None).otherwise(0).alias("event"))
        .sort([*group, "inspected_on", "row"])
        .with_columns(pl.col("event").forward_fill().over(group).fill_null(0).alias("after"))
        .with_columns(pl.col("after").shift(1).over(group).fill_null(0).alias("before")))


def hazard_events(frames: VerdictFrames) -> pl.DataFrame:
    """One row per hazard found new or cleared: ``event`` (``new`` or ``cleared``), the
    enterprise, clause, record, date, source channel, sector and region.

    >>> from hazard_rules.analysis.frames import classify
    >>> from hazard_rules.township import generate_township
    >>> frames = classify(generate_township(seed=3, enterprises=6).records)
    >>> sorted(set(hazard_events(frames)["event"])) in (["cleared", "new"], ["new"], [])
    True
    """
    h = _history(frames)
    new = (pl.col("event") == 1) & (pl.col("before") == 0)
    cleared = (pl.col("event") == 0) & (pl.col("before") == 1)
    edition = {r.id: e.id for e in frames.rulesets for r in e.rules}
    return (h.filter(new | cleared)
            .with_columns(pl.when(new).then(pl.lit("new")).otherwise(pl.lit("cleared"))
                          .alias("event"),
                          pl.col("rule_id").replace_strict(edition, default=None,
                                                           return_dtype=pl.String)
                          .alias("edition"))
            .sort(["inspected_on", "row", "rule_id"])
            .select("event", "enterprise", "enterprise_name", "rule_id", "edition", "row",
                    "record_id", "inspected_on", "source", "sector", "region"))


def open_hazards(frames: VerdictFrames) -> pl.DataFrame:
    """The hazards still open after each enterprise's last record (the stock left), with
    the date each was found and the date of the last record.

    >>> from hazard_rules.analysis.frames import from_verdicts
    >>> open_hazards(from_verdicts([], [])).height
    0
    """
    h = _history(frames)
    group = ["enterprise", "rule_id"]
    found = h.filter((pl.col("event") == 1) & (pl.col("before") == 0)).group_by(group).agg(
        pl.col("inspected_on").max().alias("found_on"))
    last = h.group_by(group).agg(pl.col("after").last().alias("open"),
                                 pl.col("inspected_on").last().alias("last_record_on"),
                                 pl.col("enterprise_name").last())
    return (last.filter(pl.col("open") == 1).join(found, on=group, how="left")
            .sort(["found_on", *group])
            .select("enterprise", "enterprise_name", "rule_id", "found_on", "last_record_on"))


def _all_periods(first: dt.date, last: dt.date, period: str) -> list[str]:
    out: list[str] = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        label = {"year": str(y), "quarter": f"{y}Q{(m - 1) // 3 + 1}",
                 "month": f"{y}-{m:02d}"}[period]
        if label not in out:
            out.append(label)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _period_frame(frames: VerdictFrames, period: str) -> pl.DataFrame:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; use {', '.join(PERIODS)}")
    days = frames.verdicts["inspected_on"].drop_nulls()
    if days.is_empty():
        return pl.DataFrame({period: pl.Series([], dtype=pl.String)})
    first, last = days.min(), days.max()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    return pl.DataFrame({period: _all_periods(first, last, period)})


def campaign(frames: VerdictFrames, period: str = "month") -> pl.DataFrame:
    """Per period (every one from the first record to the last): ``records``,
    ``major_records``, ``new`` hazards, ``cleared`` hazards, and ``open`` (the stock at
    the end of the period: new minus cleared, summed so far).

    >>> from hazard_rules.analysis.frames import classify
    >>> from hazard_rules.township import generate_township
    >>> frames = classify(generate_township(seed=3, enterprises=6).records)
    >>> campaign(frames, "quarter").columns
    ['quarter', 'records', 'major_records', 'new', 'cleared', 'open']
    """
    grid = _period_frame(frames, period)
    records = records_table(frames).filter(pl.col("inspected_on").is_not_null())
    counts = records.group_by(period).agg(
        pl.len().cast(pl.Int64).alias("records"),
        (pl.col("status") == "major").sum().cast(pl.Int64).alias("major_records"))
    ev = (hazard_events(frames).join(records.select("row", period), on="row", how="left")
          .group_by(period).agg(
              (pl.col("event") == "new").sum().cast(pl.Int64).alias("new"),
              (pl.col("event") == "cleared").sum().cast(pl.Int64).alias("cleared")))
    out = (grid.join(counts, on=period, how="left").join(ev, on=period, how="left")
           .with_columns(pl.col("records", "major_records", "new", "cleared").fill_null(0)))
    return out.with_columns((pl.col("new") - pl.col("cleared")).cum_sum().alias("open"))


def trend(frames: VerdictFrames, period: str = "month",
          by: str | Sequence[str] = "source") -> pl.DataFrame:
    """New hazards per period and group of ``by`` (per-record columns, e.g. the source
    channel that found them), every period and group present, zeros included.

    >>> from hazard_rules.analysis.frames import classify
    >>> from hazard_rules.township import generate_township
    >>> frames = classify(generate_township(seed=3, enterprises=6).records)
    >>> table = trend(frames, "quarter")
    >>> int(table["new"].sum()) == int(campaign(frames, "quarter")["new"].sum())
    True
    """
    dims = _by(by, [d for d in RECORD_DIMENSIONS if d not in PERIODS])
    grid = _period_frame(frames, period)
    records = records_table(frames).filter(pl.col("inspected_on").is_not_null())
    groups = records.select(dims).unique().sort(dims, nulls_last=True)
    new = (hazard_events(frames).filter(pl.col("event") == "new").select("row")
           .join(records.select("row", period, *dims), on="row", how="left")
           .group_by(period, *dims).agg(pl.len().cast(pl.Int64).alias("new")))
    out = (grid.join(groups, how="cross").join(new, on=[period, *dims], how="left",
                                                nulls_equal=True)
           .with_columns(pl.col("new").fill_null(0)))
    return _labels(out, [period, *dims], frames, records_table(frames))
