"""Summaries of verdicts (分区域、分行业统计): by sector, region, source channel, period,
standard and edition; clauses; missing facts.

Every summary is a polars DataFrame computed from :class:`~.frames.VerdictFrames`, one
row per group, sorted by the grouping columns (nulls last), with Chinese names beside
codes (``sector_name``, ``source_name``, ``village_name``, ``edition_title``). Counts add up to
the raw tables: summed over the groups of :func:`summarize`, ``records`` is the number of
records and ``major`` the number of records with a major hazard; ``findings`` summed over
:func:`clauses` is the number of findings; and so on (the tests check each).

Grouping columns (``by``):

- per record: ``sector``, ``source``, ``province``, ``city``, ``county``, ``township``,
  ``village`` (division code levels, see :mod:`.regions`), ``region`` (the code as
  given), ``enterprise``, ``year``, ``quarter`` (``2025Q1``), ``month`` (``2025-01``);
- per record and edition that judged it: ``standard``, ``edition``. A record judged by two
  editions counts once under each, with its status under that edition; records that no
  edition judged (errors) are not counted.

>>> from hazard_rules.analysis.frames import classify
>>> from hazard_rules.township import generate_township
>>> frames = classify(generate_township(seed=3, enterprises=6).records)
>>> table = summarize(frames, by="source")
>>> int(table["records"].sum()) == frames.verdicts.height
True
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from hazard_rules.analysis.frames import VerdictFrames
from hazard_rules.analysis.regions import LEVELS, add_levels, level_names

__all__ = ["DIMENSIONS", "PERIODS", "clauses", "incomplete_records", "missing_facts",
           "records_table", "summarize", "top_clauses"]

#: Periods a summary can group by.
PERIODS = ("year", "quarter", "month")
#: Grouping columns of one record each.
RECORD_DIMENSIONS = ("sector", "source", *LEVELS, "region", "enterprise", *PERIODS)
#: Every grouping column of :func:`summarize`.
DIMENSIONS = (*RECORD_DIMENSIONS, "standard", "edition")
_STATUSES = ("major", "undetermined", "clear", "error")


def _by(by: str | Sequence[str], allowed: Sequence[str]) -> list[str]:
    dims = [by] if isinstance(by, str) else list(by)
    for d in dims:
        if d not in allowed:
            raise ValueError(f"cannot group by {d!r}; use {', '.join(allowed)}")
    if len(set(dims)) != len(dims):
        raise ValueError(f"a grouping column is repeated: {dims}")
    return dims


def _periods() -> list[pl.Expr]:
    day = pl.col("inspected_on")
    return [day.dt.year().cast(pl.String).alias("year"),
            pl.format("{}Q{}", day.dt.year(), day.dt.quarter()).alias("quarter"),
            day.dt.strftime("%Y-%m").alias("month")]


def records_table(frames: VerdictFrames) -> pl.DataFrame:
    """The verdicts with the grouping columns added: ``enterprise`` (the enterprise id,
    else the record id), the region levels, ``year``, ``quarter`` and ``month``.

    >>> from hazard_rules.analysis.frames import from_verdicts
    >>> records_table(from_verdicts([], [])).columns[-3:]
    ['year', 'quarter', 'month']
    """
    v = frames.verdicts.with_columns(
        pl.coalesce("enterprise_id", "record_id", pl.col("row").cast(pl.String))
        .alias("enterprise"))
    return add_levels(v).with_columns(_periods())


def _labels(table: pl.DataFrame, dims: Sequence[str], frames: VerdictFrames,
            records: pl.DataFrame) -> pl.DataFrame:
    """Add a name column after each grouping column that has names."""
    from hazard_rules.records import SOURCES

    names: dict[str, tuple[str, dict[str, str]]] = {}
    for d in dims:
        if d == "sector":
            fact = frames.rulesets.catalog.get("enterprise.sector")
            labels = {k: zh for k, (zh, _) in fact.value_labels.items()} if fact else {}
            names[d] = ("sector_name", labels)
        elif d == "source":
            names[d] = ("source_name", {k: zh for k, (zh, _) in SOURCES.items()})
        elif d in LEVELS:
            names[d] = (f"{d}_name", level_names(records, d))
        elif d == "region":
            pairs = records.filter(pl.col("region").is_not_null() &
                                   pl.col("region_name").is_not_null())
            names[d] = ("region_name", dict(
                pairs.group_by("region").agg(pl.col("region_name").mode().min())
                .iter_rows()))
        elif d == "enterprise":
            names[d] = ("enterprise_name", dict(
                records.filter(pl.col("enterprise_name").is_not_null())
                .group_by("enterprise").agg(pl.col("enterprise_name").mode().min())
                .iter_rows()))
        elif d in ("edition", "standard"):
            titles = {e.id: e.title for e in frames.rulesets} if d == "edition" else \
                {s: eds[-1].title for s, eds in frames.rulesets.standards.items()}
            names[d] = (f"{d}_title", titles)
    columns: list[str] = []
    for d in dims:
        columns.append(d)
        if d in names:
            columns.append(names[d][0])
    extra = [pl.col(d).replace_strict(labels, default=None, return_dtype=pl.String).alias(col)
             for d, (col, labels) in names.items()]
    rest = [c for c in table.columns if c not in dims]
    return table.with_columns(extra).select(*columns, *rest)


def _edition_pairs(frames: VerdictFrames, records: pl.DataFrame) -> pl.DataFrame:
    """One row per record and edition that judged it, with the status under that
    edition and its counts of fired rules and missing facts."""
    rs = frames.rulesets
    rule_edition = {r.id: e.id for e in rs for r in e.rules}
    standard = {e.id: e.standard for e in rs}
    pairs = (records.drop("status", "n_fired", "n_missing")
             .explode("editions").rename({"editions": "edition"})
             .filter(pl.col("edition").is_not_null()))
    keys = ["row", "edition"]
    fired = frames.findings.group_by(keys).agg(pl.len().cast(pl.Int32).alias("n_fired"))
    und = (records.select("row", "undetermined").explode("undetermined")
           .filter(pl.col("undetermined").is_not_null())
           .select("row", pl.col("undetermined").replace_strict(
               rule_edition, default=None, return_dtype=pl.String).alias("edition")))
    gaps = (records.select("row", "unassessed").explode("unassessed")
            .filter(pl.col("unassessed").is_not_null())
            .select("row", pl.col("unassessed").str.split(" ").list.first().alias("edition")))
    open_ = pl.concat([und, gaps]).group_by(keys).agg(pl.len().alias("n_open"))
    missing = frames.missing.group_by(keys).agg(
        pl.col("fact").n_unique().cast(pl.Int32).alias("n_missing"))
    out = (pairs.join(fired, on=keys, how="left").join(open_, on=keys, how="left")
           .join(missing, on=keys, how="left")
           .with_columns(pl.col("n_fired", "n_missing").fill_null(0),
                         pl.col("edition").replace_strict(standard, default=None,
                                                          return_dtype=pl.String)
                         .alias("standard")))
    return out.with_columns(
        pl.when(pl.col("n_fired") > 0).then(pl.lit("major"))
        .when(pl.col("n_open").fill_null(0) > 0).then(pl.lit("undetermined"))
        .otherwise(pl.lit("clear")).alias("status"))


def summarize(frames: VerdictFrames, by: str | Sequence[str] = "sector") -> pl.DataFrame:
    """Counts and rates per group of ``by`` (one or several of :data:`DIMENSIONS`).

    Columns: the grouping columns and their names; ``records`` (inspections),
    ``enterprises`` (distinct enterprises inspected), ``major``, ``undetermined``,
    ``clear``, ``error`` (records by status), ``findings`` (clauses that fired),
    ``major_enterprises`` (enterprises with a major hazard on some record),
    ``missing_facts`` (facts missing per record, summed), ``major_rate`` (major /
    records), ``enterprise_major_rate`` (major_enterprises / enterprises),
    ``findings_per_enterprise``.

    >>> from hazard_rules.analysis.frames import classify
    >>> from hazard_rules.township import generate_township
    >>> frames = classify(generate_township(seed=3, enterprises=6).records)
    >>> summarize(frames, by=["quarter"])["quarter"].to_list()
    ['2025Q1', '2025Q2', '2025Q3', '2025Q4']
    """
    dims = _by(by, DIMENSIONS)
    records = records_table(frames)
    table = _edition_pairs(frames, records) \
        if any(d in ("standard", "edition") for d in dims) else records
    major = pl.col("status") == "major"
    out = table.group_by(dims).agg(
        pl.len().cast(pl.Int64).alias("records"),
        pl.col("enterprise").n_unique().cast(pl.Int64).alias("enterprises"),
        *[(pl.col("status") == s).sum().cast(pl.Int64).alias(s) for s in _STATUSES],
        pl.col("n_fired").sum().cast(pl.Int64).alias("findings"),
        pl.col("enterprise").filter(major).n_unique().cast(pl.Int64)
        .alias("major_enterprises"),
        pl.col("n_missing").sum().cast(pl.Int64).alias("missing_facts"),
    ).with_columns(
        (pl.col("major") / pl.col("records")).alias("major_rate"),
        (pl.col("major_enterprises") / pl.col("enterprises")).alias("enterprise_major_rate"),
        (pl.col("findings") / pl.col("enterprises")).alias("findings_per_enterprise"),
    ).sort(dims, nulls_last=True)
    return _labels(out, dims, frames, records)


def clauses(frames: VerdictFrames, by: str | Sequence[str] = ()) -> pl.DataFrame:
    """Per clause (and group of ``by``, any of the per-record columns): ``findings``
    (records on which it fired), ``enterprises`` (distinct enterprises it fired for),
    ``undetermined`` (records on which it could not be decided). Clauses that neither
    fired nor stayed undetermined are left out. Sorted by findings, then undetermined,
    then the clauses' order in their editions.

    >>> from hazard_rules.analysis.frames import classify
    >>> from hazard_rules.township import generate_township
    >>> frames = classify(generate_township(seed=3, enterprises=6).records)
    >>> int(clauses(frames)["findings"].sum()) == frames.findings.height
    True
    """
    dims = _by(by, RECORD_DIMENSIONS)
    records = records_table(frames)
    keys = ["rule_id", *dims]
    fired = (frames.findings.select("row", "rule_id")
             .join(records.select("row", "enterprise", *dims), on="row", how="left")
             .group_by(keys).agg(pl.len().cast(pl.Int64).alias("findings"),
                                 pl.col("enterprise").n_unique().cast(pl.Int64)
                                 .alias("enterprises")))
    und = (records.select("row", *dims, pl.col("undetermined").alias("rule_id"))
           .explode("rule_id").filter(pl.col("rule_id").is_not_null())
           .group_by(keys).agg(pl.len().cast(pl.Int64).alias("undetermined")))
    out = fired.join(und, on=keys, how="full", coalesce=True).with_columns(
        pl.col("findings", "enterprises", "undetermined").fill_null(0))
    meta = _rule_meta(frames)
    out = out.join(meta, on="rule_id", how="left").sort(
        [pl.col("findings"), pl.col("undetermined"), pl.col("order"), *dims],
        descending=[True, True, False, *([False] * len(dims))], nulls_last=True)
    columns = ["rule_id", "standard", "edition", "article", "text", *dims,
               "findings", "enterprises", "undetermined"]
    return _labels(out.select(columns), dims, frames, records)


def _rule_meta(frames: VerdictFrames) -> pl.DataFrame:
    rows = [(r.id, e.standard, e.id, r.article, r.text, i)
            for i, (e, r) in enumerate((e, r) for e in frames.rulesets for r in e.rules)]
    return pl.DataFrame(rows, schema={"rule_id": pl.String, "standard": pl.String,
                                      "edition": pl.String, "article": pl.String,
                                      "text": pl.String, "order": pl.Int64}, orient="row")


def top_clauses(frames: VerdictFrames, n: int = 10) -> pl.DataFrame:
    """The ``n`` clauses found most often (those with findings), as :func:`clauses`.

    >>> from hazard_rules.analysis.frames import classify
    >>> from hazard_rules.township import generate_township
    >>> frames = classify(generate_township(seed=3, enterprises=6).records)
    >>> top_clauses(frames, 3).height <= 3
    True
    """
    return clauses(frames).filter(pl.col("findings") > 0).head(n)


def missing_facts(frames: VerdictFrames, by: str | Sequence[str] = ()) -> pl.DataFrame:
    """What inspectors most often fail to record: per fact (and group of ``by``),
    ``records`` lacking it where a clause needed it, ``rules`` (distinct clauses it left
    undetermined) and ``enterprises``; with its Chinese label. Most often missing first.

    >>> from hazard_rules.analysis.frames import classify
    >>> from hazard_rules.township import generate_township
    >>> frames = classify(generate_township(seed=3, enterprises=6).records)
    >>> table = missing_facts(frames)
    >>> int(table["records"].sum()) == int(frames.verdicts["n_missing"].sum())
    True
    """
    dims = _by(by, RECORD_DIMENSIONS)
    records = records_table(frames)
    keys = ["fact", *dims]
    out = (frames.missing.select("row", "rule_id", "fact")
           .join(records.select("row", "enterprise", *dims), on="row", how="left")
           .group_by(keys).agg(pl.col("row").n_unique().cast(pl.Int64).alias("records"),
                               pl.col("rule_id").n_unique().cast(pl.Int64).alias("rules"),
                               pl.col("enterprise").n_unique().cast(pl.Int64)
                               .alias("enterprises")))
    catalog = frames.rulesets.catalog
    labels = {name: f.label_zh for name, f in catalog.facts.items()}
    out = out.with_columns(pl.col("fact").replace_strict(labels, default=None,
                                                         return_dtype=pl.String).alias("label"))
    out = out.sort([pl.col("records"), pl.col("fact"), *dims],
                   descending=[True, False, *([False] * len(dims))], nulls_last=True)
    return _labels(out.select("fact", "label", *dims, "records", "rules", "enterprises"),
                   dims, frames, records)


def incomplete_records(frames: VerdictFrames, n: int = 10) -> pl.DataFrame:
    """The ``n`` records with the most missing facts (then most undetermined clauses).

    >>> from hazard_rules.analysis.frames import from_verdicts
    >>> incomplete_records(from_verdicts([], [])).columns[:3]
    ['record_id', 'inspected_on', 'source']
    """
    return (frames.verdicts.filter(pl.col("n_missing") > 0)
            .sort(["n_missing", "n_undetermined", "row"], descending=[True, True, False])
            .head(n).select("record_id", "inspected_on", "source", "enterprise_name",
                            "sector", "status", "n_missing", "n_undetermined",
                            "missing_facts"))
