"""Verdicts as tidy frames: one table of records, one of findings, one of missing facts.

:class:`VerdictFrames` holds three polars DataFrames with fixed column names and dtypes
(:data:`VERDICTS_SCHEMA`, :data:`FINDINGS_SCHEMA`, :data:`MISSING_SCHEMA`), and gives
them as pandas DataFrames with Arrow-backed dtypes (the same in pandas 2 and 3; lists stay
lists, dates stay dates, nulls are ``pd.NA``):

- ``verdicts``: one row per record: its number, id, date, source channel, enterprise id,
  name, region code and name, sector, status, the editions that judged it, the rules that
  fired, the undetermined rules, the facts they lack, the clauses without official text,
  the codes of its input problems, and three counts;
- ``findings``: one row per record and fired clause (重大事故隐患), with its standard,
  edition and article;
- ``missing``: one row per record, undetermined rule and fact that rule lacks.

The record columns (source, enterprise, region, sector) are those the engine checked: a
value it rejected (an unknown source or sector) is null here and listed in
``error_codes``.

>>> from hazard_rules.township import generate_township
>>> frames = classify(generate_township(seed=3, enterprises=6).records)
>>> list(frames.verdicts.columns) == list(VERDICTS_SCHEMA)
True
>>> frames.findings.height == int(frames.verdicts["n_fired"].sum())
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import polars as pl

from hazard_rules.verdict import Verdict

if TYPE_CHECKING:
    from hazard_rules.backends.columnar.classify import FrameResult
    from hazard_rules.engine import Engine, Missing
    from hazard_rules.model import Rulesets

__all__ = ["FINDINGS_SCHEMA", "MISSING_SCHEMA", "VERDICTS_SCHEMA", "PandasFrames",
           "VerdictFrames", "classify", "default_engine", "from_result", "from_verdicts"]

_S = pl.String
_LIST = pl.List(pl.String)
#: The record columns every table carries, and where a record gives them.
RECORD_FIELDS = {"source": "source", "enterprise_id": "enterprise.id",
                 "enterprise_name": "enterprise.name", "region": "enterprise.region",
                 "region_name": "enterprise.region_name", "sector": "enterprise.sector"}
_KEYS: dict[str, pl.DataType] = {"row": pl.Int64(), "record_id": _S(), "inspected_on": pl.Date()}
_DIMS: dict[str, pl.DataType] = {"source": _S(), "enterprise_id": _S(), "region": _S(),
                                 "sector": _S()}

#: Columns and dtypes of :attr:`VerdictFrames.verdicts`.
VERDICTS_SCHEMA: dict[str, pl.DataType] = {
    **_KEYS, "source": _S(), "enterprise_id": _S(), "enterprise_name": _S(), "region": _S(),
    "region_name": _S(), "sector": _S(), "status": _S(), "editions": _LIST, "fired": _LIST,
    "undetermined": _LIST, "missing_facts": _LIST, "unassessed": _LIST,
    "error_codes": _LIST, "n_fired": pl.Int32(), "n_undetermined": pl.Int32(),
    "n_missing": pl.Int32()}
#: Columns and dtypes of :attr:`VerdictFrames.findings`.
FINDINGS_SCHEMA: dict[str, pl.DataType] = {
    **_KEYS, **_DIMS, "rule_id": _S(), "standard": _S(), "edition": _S(), "article": _S()}
#: Columns and dtypes of :attr:`VerdictFrames.missing`.
MISSING_SCHEMA: dict[str, pl.DataType] = {**FINDINGS_SCHEMA, "fact": _S()}


class PandasFrames(NamedTuple):
    """The three tables as pandas DataFrames (Arrow-backed dtypes)."""

    verdicts: Any
    findings: Any
    missing: Any


@dataclass(frozen=True)
class VerdictFrames:
    """Verdicts, findings and missing facts as polars DataFrames, with the rulesets that
    judged them (for labels: sector names, clause texts, fact labels).

    >>> frames = from_verdicts([], [])
    >>> frames
    <VerdictFrames 0 records: 0 major, 0 undetermined, 0 clear, 0 error; 0 findings>
    >>> frames.to_pandas().verdicts.dtypes["inspected_on"]
    date32[day][pyarrow]
    """

    verdicts: pl.DataFrame
    findings: pl.DataFrame
    missing: pl.DataFrame
    rulesets: Rulesets

    def __repr__(self) -> str:
        counts = dict(self.verdicts["status"].value_counts().iter_rows())
        parts = ", ".join(f"{counts.get(s, 0)} {s}"
                          for s in ("major", "undetermined", "clear", "error"))
        return (f"<VerdictFrames {self.verdicts.height} records: {parts}; "
                f"{self.findings.height} findings>")

    def filter(self, *predicates: Any, **constraints: Any) -> VerdictFrames:
        """The records whose ``verdicts`` rows satisfy the predicates (polars expressions
        or ``column=value``), with their findings and missing facts.

        >>> frames = from_verdicts([], [])
        >>> frames.filter(pl.col("source") == "inspection").verdicts.height
        0
        """
        verdicts = self.verdicts.filter(*predicates, **constraints)
        kept = pl.col("row").is_in(verdicts["row"].implode())
        return VerdictFrames(verdicts, self.findings.filter(kept), self.missing.filter(kept),
                             self.rulesets)

    def to_pandas(self) -> PandasFrames:
        """The tables as pandas DataFrames with Arrow-backed dtypes (needs pandas)."""
        return PandasFrames(*(t.to_pandas(use_pyarrow_extension_array=True)
                              for t in (self.verdicts, self.findings, self.missing)))


@cache
def default_engine() -> Engine:
    """The bundled rulesets' engine, made once per process (loading takes seconds).

    >>> default_engine() is default_engine()
    True
    """
    from hazard_rules.engine import Engine

    return Engine()


def classify(records: Any, engine: Engine | None = None, *,
             missing: Missing | None = None) -> VerdictFrames:
    """Classify ``records`` column-wise and return the tidy frames.

    ``records`` is a list of record mappings, or a polars or pandas DataFrame or Arrow
    table with the columns of :meth:`hazard_rules.Engine.classify_frame`. ``engine``
    defaults to :func:`default_engine`. Needs the ``analysis`` extra.

    >>> frames = classify([{"record_id": "R-1", "inspected_on": "2025-03-01",
    ...     "source": "inspection", "enterprise": {"id": "E-1", "sector": "commerce",
    ...     "region": "330110101201", "scopes": []},
    ...     "facts": {"common.special_operator_uncertified_on_duty": True}}])
    >>> frames.findings.select("record_id", "rule_id", "source").row(0)
    ('R-1', 'gongmao-2023/3.2', 'inspection')
    """
    engine = engine or default_engine()
    if isinstance(records, list | tuple):
        from hazard_rules.backends.columnar.frame import records_to_frame

        records = records_to_frame(list(records))
    return from_result(engine.classify_frame(records, missing=missing), engine.rulesets)


def from_result(result: FrameResult, rulesets: Rulesets) -> VerdictFrames:
    """The tidy frames of a :meth:`hazard_rules.Engine.classify_frame` result.

    Missing facts come from the result's verdict objects (about 150 µs a record that has
    findings or undetermined rules).

    >>> engine = default_engine()
    >>> result = engine.classify_frame(pl.DataFrame({"record_id": ["R-1"],
    ...     "inspected_on": ["2025-03-01"], "enterprise.sector": ["commerce"]}))
    >>> from_result(result, engine.rulesets).verdicts["status"].to_list()
    ['undetermined']
    """
    data = result.normal.data
    v = result.verdicts_pl
    base = pl.DataFrame({
        "row": v["row"], "record_id": v["record_id"], "inspected_on": v["inspected_on"],
        **{name: (data[col].cast(pl.String) if col in data.columns else
                  pl.Series(name, [None] * data.height, dtype=pl.String))
           for name, col in RECORD_FIELDS.items()},
        "status": v["status"], "editions": v["editions"], "fired": v["fired"],
        "undetermined": v["undetermined"], "unassessed": v["unassessed"],
        "error_codes": v["errors"].list.eval(pl.element().struct.field("code")),
    })
    missing_lists: list[list[str]] = []
    gaps: list[tuple[int, str, str, str, str]] = []
    rows = v["row"].to_list()
    for row, verdict in zip(rows, result.to_verdicts(), strict=True):
        missing_lists.append(list(verdict.missing_facts))
        gaps.extend((row, u.rule_id, u.edition, u.article, fact)
                    for u in verdict.undetermined for fact in u.missing)
    base = base.with_columns(pl.Series("missing_facts", missing_lists, dtype=_LIST))
    f = result.findings_pl
    findings = pl.DataFrame({"row": f["row"], "rule_id": f["rule_id"], "standard": f["standard"],
                             "edition": f["edition"], "article": f["article"]})
    return _assemble(base, findings, _gaps(gaps, rulesets), rulesets)


def from_verdicts(verdicts: Iterable[Verdict], records: Sequence[Mapping[str, Any]] | None,
                  rulesets: Rulesets | None = None) -> VerdictFrames:
    """The tidy frames of :class:`~hazard_rules.Verdict` objects (from ``classify`` or
    ``classify_many``) and the records they judged, in the same order, for the source,
    enterprise, region and sector columns (``None``: those columns stay null). Rows are
    numbered from 0.

    >>> engine = default_engine()
    >>> record = {"record_id": "R-1", "inspected_on": "2025-03-01", "source": "self_check",
    ...           "enterprise": {"sector": "commerce", "scopes": []}}
    >>> frames = from_verdicts([engine.classify(record)], [record])
    >>> frames.verdicts.select("source", "sector", "status").row(0)
    ('self_check', 'commerce', 'undetermined')
    """
    from hazard_rules.records import SOURCES

    if rulesets is None:
        rulesets = default_engine().rulesets
    sectors = rulesets.catalog.get("enterprise.sector")
    known_sectors = set(getattr(sectors.type, "values", ())) if sectors else set()
    columns: dict[str, list[Any]] = {name: [] for name in (
        "row", "record_id", "inspected_on", *RECORD_FIELDS, "status", "editions", "fired",
        "undetermined", "missing_facts", "unassessed", "error_codes")}
    findings: list[tuple[int, str, str, str, str]] = []
    gaps: list[tuple[int, str, str, str, str]] = []
    record_list = list(records) if records is not None else None
    for row, verdict in enumerate(verdicts):
        record = record_list[row] if record_list is not None else {}
        record = record if isinstance(record, Mapping) else {}
        ent = record.get("enterprise")
        ent = ent if isinstance(ent, Mapping) else {}
        source = record.get("source")
        sector = ent.get("sector")
        values = {
            "source": source if isinstance(source, str) and source in SOURCES else None,
            "enterprise_id": _text(ent.get("id")), "enterprise_name": _text(ent.get("name")),
            "region": _text(ent.get("region")), "region_name": _text(ent.get("region_name")),
            "sector": sector if isinstance(sector, str) and sector in known_sectors else None}
        columns["row"].append(row)
        columns["record_id"].append(verdict.record_id)
        columns["inspected_on"].append(verdict.inspected_on)
        for name in RECORD_FIELDS:
            columns[name].append(values.get(name))
        columns["status"].append(verdict.status.value)
        columns["editions"].append(list(verdict.editions))
        columns["fired"].append(list(verdict.fired))
        columns["undetermined"].append([u.rule_id for u in verdict.undetermined])
        columns["missing_facts"].append(list(verdict.missing_facts))
        columns["unassessed"].append([f"{u.edition} {u.article}" for u in verdict.unassessed])
        columns["error_codes"].append([e.code for e in verdict.errors])
        findings.extend((row, f.rule_id, f.standard, f.edition, f.article)
                        for f in verdict.findings)
        gaps.extend((row, u.rule_id, u.edition, u.article, fact)
                    for u in verdict.undetermined for fact in u.missing)
    base = pl.DataFrame(columns, schema={n: VERDICTS_SCHEMA[n] for n in columns})
    found = pl.DataFrame(findings, schema={"row": pl.Int64, "rule_id": _S, "standard": _S,
                                           "edition": _S, "article": _S}, orient="row")
    return _assemble(base, found, _gaps(gaps, rulesets), rulesets)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _gaps(gaps: list[tuple[int, str, str, str, str]], rulesets: Rulesets) -> pl.DataFrame:
    frame = pl.DataFrame(gaps, schema={"row": pl.Int64, "rule_id": _S, "edition": _S,
                                       "article": _S, "fact": _S}, orient="row")
    standards = {e.id: e.standard for e in rulesets}
    return frame.with_columns(
        pl.col("edition").replace_strict(standards, default=None, return_dtype=_S)
        .alias("standard"))


def _assemble(base: pl.DataFrame, findings: pl.DataFrame, gaps: pl.DataFrame,
              rulesets: Rulesets) -> VerdictFrames:
    verdicts = base.with_columns(
        pl.col("fired").list.len().cast(pl.Int32).alias("n_fired"),
        pl.col("undetermined").list.len().cast(pl.Int32).alias("n_undetermined"),
        pl.col("missing_facts").list.len().cast(pl.Int32).alias("n_missing"),
    ).select([pl.col(n).cast(t) for n, t in VERDICTS_SCHEMA.items()])
    keys = verdicts.select(*_KEYS, *_DIMS)
    findings = findings.join(keys, on="row", how="left", maintain_order="left").select(
        [pl.col(n).cast(t) for n, t in FINDINGS_SCHEMA.items()])
    missing = gaps.join(keys, on="row", how="left", maintain_order="left").select(
        [pl.col(n).cast(t) for n, t in MISSING_SCHEMA.items()])
    return VerdictFrames(verdicts, findings, missing, rulesets)
