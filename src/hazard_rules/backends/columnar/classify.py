"""Classify a whole frame of records: the columnar counterpart of ``Engine.classify``.

Rows are checked and typed (:mod:`.frame`); for each standard, the rows it may apply
to (by sector, as the engine decides) are split by the edition in force on their
date, and each edition's status expressions run on its rows. Statuses come back as
numpy matrices; fired and undetermined rule lists are built from their non-zero
positions (no Python loop over rows), and statuses, errors and lists follow the
reference engine's rules exactly, so :meth:`FrameResult.to_verdicts` gives the
same verdicts as :meth:`hazard_rules.Engine.classify_many`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from hazard_rules.backends.columnar import ColumnarEdition
from hazard_rules.backends.columnar.frame import ISSUE_SCHEMA, NormalFrame, normalise_frame
from hazard_rules.logic import TRUE, UNKNOWN
from hazard_rules.model import Edition
from hazard_rules.records import RecordIssue
from hazard_rules.typesys import EnumT
from hazard_rules.verdict import Finding, Status, Unassessed, Undetermined, Verdict

if TYPE_CHECKING:
    from hazard_rules.engine import Engine, Missing

__all__ = ["FrameClassifier", "FrameResult", "to_polars"]


def to_polars(frame: Any) -> tuple[pl.DataFrame, str]:
    """A polars frame from a polars or pandas DataFrame or an Arrow table, and its kind."""
    if isinstance(frame, pl.DataFrame):
        return frame, "polars"
    if isinstance(frame, pl.LazyFrame):
        return frame.collect(), "polars"
    if isinstance(frame, pa.Table | pa.RecordBatch):
        return pl.from_arrow(frame), "arrow"  # type: ignore[return-value]
    module = type(frame).__module__
    if module.startswith("pandas"):
        return pl.from_pandas(frame, nan_to_null=False), "pandas"
    raise TypeError(f"classify_frame takes a polars or pandas DataFrame or an Arrow table, "
                    f"not {type(frame).__name__}")


#: Verdict statuses by the codes of ``_assemble``.
_STATUS_NAMES = pl.Series([Status.MAJOR.value, Status.ERROR.value, Status.UNDETERMINED.value,
                           Status.CLEAR.value], dtype=pl.String)


def _convert(df: pl.DataFrame, kind: str) -> Any:
    if kind == "pandas":
        return df.to_pandas()
    if kind == "arrow":
        return df.to_arrow()
    return df


@dataclass
class _Chunk:
    """The statuses of one edition for the rows it judges."""

    edition: Edition
    rows: np.ndarray  # positions in the frame
    statuses: np.ndarray  # len(rows) x len(edition.rules), int8
    first_code: int  # the global order code of the edition's first rule


def _lists(n: int, rows: np.ndarray, codes: np.ndarray, names: pl.Series) -> pl.Series:
    """A List[String] series: for each of ``n`` rows, ``names[code]`` for its codes, in
    code order. Built from Arrow offsets and one gather: no Python object per item."""
    order = np.lexsort((codes, rows))
    rows, codes = rows[order], codes[order]
    counts = np.bincount(rows, minlength=n) if len(rows) else np.zeros(n, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    values = names.gather(pl.Series(codes, dtype=pl.UInt32)).cast(pl.String).to_arrow()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pl.from_arrow(pa.ListArray.from_arrays(_arrow_ints(offsets), values))  # type: ignore[return-value]


def _arrow_ints(values: np.ndarray) -> Any:
    """An Arrow int32 array of numpy ints, by way of polars: ``pa.array`` of a numpy
    array imports pandas (half a second) to check for pandas objects."""
    arrow = pl.Series(values, dtype=pl.Int32).to_arrow()
    return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow


@dataclass
class FrameResult:
    """What :meth:`hazard_rules.Engine.classify_frame` returns.

    ``verdicts`` has one row per input record (``row``, ``record_id``,
    ``inspected_on``, ``status``, ``editions``, ``fired``, ``undetermined``,
    ``unassessed``, ``errors``); ``findings`` one row per record and fired clause
    (``row``, ``record_id``, ``inspected_on``, ``rule_id``, ``standard``, ``edition``,
    ``article``). Both are in the type of the input (polars, pandas or Arrow).
    """

    verdicts_pl: pl.DataFrame
    findings_pl: pl.DataFrame
    kind: str
    chunks: list[_Chunk]
    normal: NormalFrame
    classifier: FrameClassifier
    first_row: int
    issues: pl.DataFrame = field(repr=False)

    def __len__(self) -> int:
        return self.verdicts_pl.height

    @property
    def verdicts(self) -> Any:
        return _convert(self.verdicts_pl, self.kind)

    @property
    def findings(self) -> Any:
        return _convert(self.findings_pl, self.kind)

    def statuses(self, edition_id: str) -> pl.DataFrame:
        """The status matrix of one edition: ``row`` and one Int8 column per rule
        (FALSE 0, UNKNOWN 1, TRUE 2, NOT_APPLICABLE 3) for the rows it judged."""
        for c in self.chunks:
            if c.edition.id == edition_id:
                shown = self.normal.data["__row"].gather(pl.Series(c.rows, dtype=pl.UInt32))
                data: dict[str, Any] = {"row": shown}
                data.update({r.id: c.statuses[:, i] for i, r in enumerate(c.edition.rules)})
                return pl.DataFrame(data)
        return pl.DataFrame({"row": pl.Series([], dtype=pl.Int64)})

    def to_verdicts(self) -> Iterator[Verdict]:
        """Full :class:`~hazard_rules.Verdict` objects, with evidence and missing facts
        (identical to those of :meth:`hazard_rules.Engine.classify_many`)."""
        return self.classifier.verdicts(self)


class FrameClassifier:
    """Classifies frames for one engine (its rulesets, catalogs and settings)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        rs = engine.rulesets
        self.compiled = {ed.id: ColumnarEdition(ed) for ed in rs}
        self.standards = list(engine._standards.items())
        names: list[str] = []
        self.first_code: dict[str, int] = {}
        self.edition_code: dict[str, int] = {}
        for _std, eds in self.standards:
            for ed in eds:
                self.edition_code[ed.id] = len(self.edition_code)
                self.first_code[ed.id] = len(names)
                names.extend(r.id for r in ed.rules)
        self.rule_names = pl.Series(names, dtype=pl.String)
        self.edition_names = pl.Series(list(self.edition_code), dtype=pl.String)
        self.rules = {r.id: (ed, r) for ed in rs for r in ed.rules}
        # per rule code: what the findings table shows
        meta = [self.rules[name] for name in names]
        self.rule_standard = pl.Series([e.standard for e, _ in meta], dtype=pl.String)
        self.rule_edition = pl.Series([e.id for e, _ in meta], dtype=pl.String)
        self.rule_article = pl.Series([r.article for _, r in meta], dtype=pl.String)
        sector_type = rs.catalog["enterprise.sector"].type \
            if "enterprise.sector" in rs.catalog else None
        sectors = list(sector_type.values) if isinstance(sector_type, EnumT) else []
        self.sectors_of: dict[str, tuple[list[str], bool]] = {}
        for std, _ in self.standards:
            ok = [s for s in sectors if any(c == std for c, _ in engine._candidates(s))]
            self.sectors_of[std] = (ok, any(c == std for c, _ in engine._candidates(None)))

    # -- classification ----------------------------------------------------------------

    def classify(self, frame: Any, missing: Missing, first_row: int = 0,
                 numbers: pl.Series | None = None) -> FrameResult:
        df, kind = to_polars(frame)
        engine = self.engine
        compliant = engine._compliant if missing == "false" else None
        if numbers is not None and len(numbers) != df.height:
            raise ValueError(f"row_numbers has {len(numbers)} numbers for {df.height} rows")
        nf = normalise_frame(df, engine._normalise, first_row=first_row, compliant=compliant,
                             numbers=numbers)
        data, n = nf.data, nf.data.height
        issues = [nf.issues]
        blocked = np.zeros(n, dtype=bool)
        if nf.issues.height:
            b = nf.issues.filter(pl.col("blocking"))["row"].to_numpy() - first_row
            blocked[b] = True
        dates = data["inspected_on"]
        eligible = ~blocked & dates.is_not_null().to_numpy()
        sector = data["enterprise.sector"] if "enterprise.sector" in data.columns else \
            pl.Series([None] * n, dtype=pl.String)
        chunks: list[_Chunk] = []
        judge_blocked = np.zeros(n, dtype=bool)
        for std, eds in self.standards:
            ok_sectors, ok_unknown = self.sectors_of[std]
            in_std = sector.is_in(ok_sectors).fill_null(ok_unknown).to_numpy() & eligible
            if not in_std.any():
                continue
            covered = np.zeros(n, dtype=bool)
            for ed in eds:
                upto = ed.effective_until or dt.date.max
                in_period = in_std & ((dates >= ed.effective_from) & (dates <= upto)
                                      ).fill_null(False).to_numpy()
                idx = np.flatnonzero(in_period)
                if not len(idx):
                    continue
                covered[idx] = True
                compiled = self.compiled[ed.id]
                needed = data.select("__row", *(c for c in compiled.schema
                                                 if c in data.columns))
                applies, statuses = compiled.evaluate_frame(
                    needed if len(idx) == n else needed[idx])
                judged = applies.ne(False).fill_null(True).to_numpy()
                if not judged.any():
                    continue
                matrix = statuses.to_numpy().astype(np.int8) if statuses.width else \
                    np.zeros((len(idx), 0), dtype=np.int8)
                chunks.append(_Chunk(ed, idx[judged], matrix[judged], self.first_code[ed.id]))
            gap = np.flatnonzero(in_std & ~covered)
            if len(gap):
                issues.append(self._no_edition(std, eds, data, gap, first_row, judge_blocked))
        # rows that no standard judged (and nothing else blocked): not covered
        judged_any = np.zeros(n, dtype=bool)
        for c in chunks:
            judged_any[c.rows] = True
        lonely = np.flatnonzero(eligible & ~judged_any & ~judge_blocked)
        if len(lonely):
            sub = sector.gather(lonely.tolist())
            msg = pl.select(pl.when(sub.is_null() | sub.eq("")).then(
                pl.lit("no loaded standard applies to this record")).otherwise(
                pl.format("no loaded standard applies to this record (enterprise.sector = "
                          "'{}')", sub))).to_series()
            issues.append(pl.DataFrame({
                "row": lonely + first_row, "code": ["not-covered"] * len(lonely),
                "field": ["enterprise"] * len(lonely), "message": msg,
                "blocking": [True] * len(lonely)}, schema=ISSUE_SCHEMA))
            judge_blocked[lonely] = True
        all_issues = pl.concat(issues)
        verdicts, findings = self._assemble(data, chunks, all_issues, blocked | judge_blocked,
                                            first_row)
        return FrameResult(verdicts, findings, kind, chunks, nf, self, first_row, all_issues)

    def _no_edition(self, std: str, eds: Sequence[Edition], data: pl.DataFrame,
                    gap: np.ndarray, first_row: int, judge_blocked: np.ndarray
                    ) -> pl.DataFrame:
        """Rows dated where the standard had an edition that is not loaded, and that one of
        its editions may apply to: the reference engine's "no-edition" error."""
        rs = self.engine.rulesets
        wanted = {"inspected_on"}.union(*(self.compiled[ed.id].schema for ed in eds))
        sub = data.select([c for c in data.columns if c in wanted])[gap]
        days = sub["inspected_on"]
        had_on = {d: rs.had_edition(std, d) for d in days.unique().to_list()}
        had = days.replace_strict(had_on, return_dtype=pl.Boolean).to_numpy()
        may = np.zeros(len(gap), dtype=bool)
        for ed in eds:
            applies, _ = self.compiled[ed.id].evaluate_frame(sub)
            may |= applies.ne(False).fill_null(True).to_numpy()
        hit = np.flatnonzero(had & may)
        if not len(hit):
            return pl.DataFrame(schema=ISSUE_SCHEMA)
        judge_blocked[gap[hit]] = True
        loaded = rs._describe(std).replace("{", "{{").replace("}", "}}")
        message = pl.select(pl.format(
            f"no loaded edition of standard {std!r} is in force on {{}} (loaded: {loaded})",
            days.gather(pl.Series(hit, dtype=pl.UInt32)).dt.to_string("%Y-%m-%d"))
        ).to_series()
        return pl.DataFrame({
            "row": gap[hit] + first_row, "code": pl.repeat("no-edition", len(hit), eager=True),
            "field": pl.repeat("inspected_on", len(hit), eager=True), "message": message,
            "blocking": pl.repeat(True, len(hit), eager=True)}, schema=ISSUE_SCHEMA)

    def _assemble(self, data: pl.DataFrame, chunks: list[_Chunk], issues: pl.DataFrame,
                  blocked: np.ndarray, first_row: int) -> tuple[pl.DataFrame, pl.DataFrame]:
        n = data.height

        def pairs(value: int) -> tuple[np.ndarray, np.ndarray]:
            rows, codes = [], []
            for c in chunks:
                r, k = np.nonzero(c.statuses == value)
                rows.append(c.rows[r])
                codes.append(c.first_code + k)
            if not rows:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
            return np.concatenate(rows), np.concatenate(codes)

        fired_rows, fired_codes = pairs(TRUE)
        und_rows, und_codes = pairs(UNKNOWN)
        ed_rows = np.concatenate([c.rows for c in chunks]) if chunks else np.zeros(0, np.int64)
        ed_codes = np.concatenate([np.full(len(c.rows), self.edition_code[c.edition.id])
                                   for c in chunks]) if chunks else np.zeros(0, np.int64)
        has_text_gap = np.zeros(n, dtype=bool)
        ua_rows, ua_names = [], []
        for c in chunks:
            if c.edition.missing_text:
                has_text_gap[c.rows] = True
                for m in c.edition.missing_text:
                    ua_rows.append(c.rows)
                    ua_names.append(np.full(len(c.rows), f"{c.edition.id} {m.article}",
                                            dtype=object))
        fired_any = np.zeros(n, dtype=bool)
        fired_any[fired_rows] = True
        und_any = np.zeros(n, dtype=bool)
        und_any[und_rows] = True
        status = np.where(fired_any, 0, np.where(blocked, 1, np.where(
            und_any | has_text_gap, 2, 3))).astype(np.uint32)
        if ua_rows:
            r = np.concatenate(ua_rows)
            names = np.concatenate(ua_names)
            order = np.argsort(r, kind="stable")
            unassessed = _lists(n, r[order], np.arange(len(r)),
                                pl.Series(names[order].tolist(), dtype=pl.String))
        else:
            unassessed = _lists(n, np.zeros(0, np.int64), np.zeros(0, np.int64),
                                pl.Series([], dtype=pl.String))
        errors = self._errors(n, issues, first_row)
        verdicts = pl.DataFrame({
            "row": data["__row"],
            "record_id": data["record_id"],
            "inspected_on": data["inspected_on"],
            "status": _STATUS_NAMES.gather(pl.Series(status)),
            "editions": _lists(n, ed_rows, ed_codes, self.edition_names),
            "fired": _lists(n, fired_rows, fired_codes, self.rule_names),
            "undetermined": _lists(n, und_rows, und_codes, self.rule_names),
            "unassessed": unassessed,
            "errors": errors,
        })
        order = np.lexsort((fired_codes, fired_rows))
        fr = pl.Series(fired_rows[order], dtype=pl.UInt32)
        fc = pl.Series(fired_codes[order], dtype=pl.UInt32)
        findings = pl.DataFrame({
            "row": data["__row"].gather(fr),
            "record_id": data["record_id"].gather(fr),
            "inspected_on": data["inspected_on"].gather(fr),
            "rule_id": self.rule_names.gather(fc),
            "standard": self.rule_standard.gather(fc),
            "edition": self.rule_edition.gather(fc),
            "article": self.rule_article.gather(fc),
        })
        return verdicts, findings

    def _errors(self, n: int, issues: pl.DataFrame, first_row: int) -> pl.Series:
        """A List[Struct] series of each row's issues, in the canonical order of
        :func:`hazard_rules.engine.issue_order` (computed here as expressions)."""
        struct = pl.Struct({"code": pl.String, "field": pl.String, "message": pl.String,
                            "blocking": pl.Boolean})
        rows = pl.DataFrame({"row": pl.Series(range(first_row, first_row + n), dtype=pl.Int64)})
        if not issues.height:  # n empty lists, built from offsets rather than Python lists
            child = pl.Series([], dtype=struct).to_arrow()
            if isinstance(child, pa.ChunkedArray):
                child = child.combine_chunks()
            empty = pa.ListArray.from_arrays(_arrow_ints(np.zeros(n + 1, dtype=np.int32)),
                                             child)
            return pl.Series("errors", pl.from_arrow(empty))
        f = pl.col("field")
        rank = (pl.when(f == "record_id").then(0).when(f == "inspected_on").then(1)
                .when(f == "source").then(2).when(f.str.starts_with("enterprise")).then(3)
                .when(f.str.starts_with("facts.") | f.str.contains(".", literal=True)).then(4)
                .when(f.is_not_null() & (f != "")).then(5).otherwise(6))
        grouped = (issues.with_columns(rank.alias("rank"), f.fill_null("").alias("key"))
                   .sort(["row", "rank", "key", "code", "message"])
                   .group_by("row", maintain_order=True)
                   .agg(pl.struct(["code", "field", "message", "blocking"]).alias("errors")))
        out = rows.join(grouped, on="row", how="left")["errors"]
        return pl.select(out.fill_null(pl.lit([], dtype=pl.List(struct)))).to_series().alias(
            "errors")

    # -- verdict objects ---------------------------------------------------------------

    def verdicts(self, result: FrameResult) -> Iterator[Verdict]:
        """Verdict objects, row by row. Only the facts of the rules that fired or are
        undetermined on a row are read (as Python values, a column at a time), so the
        cost follows the findings, not the width of the frame."""
        engine = self.engine
        data = result.normal.data
        columns: dict[str, list[Any]] = {}

        def column(name: str) -> list[Any]:
            values = columns.get(name)
            if values is None:
                if name in data.columns:
                    s = data[name]
                    values = s.to_list()
                    if isinstance(s.dtype, pl.List):
                        values = [None if x is None else tuple(x) for x in values]
                else:
                    values = [None] * data.height
                columns[name] = values
            return values

        # per row: (edition code, edition, [(rule, status)]) for its non-false rules
        hits: dict[int, list[tuple[int, Edition, list[tuple[Any, int]]]]] = {}
        for c in result.chunks:
            rules = c.edition.rules
            code = self.edition_code[c.edition.id]
            per_row: dict[int, list[tuple[Any, int]]] = {r: [] for r in c.rows.tolist()}
            k_rows, k_rules = np.nonzero((c.statuses == TRUE) | (c.statuses == UNKNOWN))
            values = c.statuses[k_rows, k_rules].tolist()
            for r, k, s in zip(c.rows[k_rows].tolist(), k_rules.tolist(), values,
                               strict=True):
                per_row[r].append((rules[k], s))
            for r, found in per_row.items():
                hits.setdefault(r, []).append((code, c.edition, found))
        rule_columns: dict[str, list[list[Any]]] = {}
        for i, rec in enumerate(result.verdicts_pl.iter_rows(named=True)):
            errors = tuple(RecordIssue(**e) for e in rec["errors"])
            status = Status(rec["status"])
            rid, day = rec["record_id"], rec["inspected_on"]
            eds = hits.get(i)
            if not eds:
                yield Verdict(rid, day, status, tuple(rec["editions"]), errors=errors)
                continue
            eds.sort(key=lambda t: t[0])
            findings: list[Finding] = []
            undetermined: list[Undetermined] = []
            unassessed: list[Unassessed] = []
            for _, ed, found in eds:
                for rule, s in found:
                    cols = rule_columns.get(rule.id)
                    if cols is None:
                        cols = rule_columns[rule.id] = [
                            column(n) for n in engine._support[rule.id][1]]
                    key = tuple(col[i] for col in cols)
                    support = engine._support_key(rule.id, key)
                    if s == TRUE:
                        facts = dict(zip(engine._support[rule.id][1], key, strict=True))
                        findings.append(engine._finding(ed, rule, facts, support))
                    else:
                        undetermined.append(Undetermined(rule.id, ed.id, rule.article,
                                                         support))
                unassessed.extend(engine._unassessed[ed.id])
            yield Verdict(rid, day, status, tuple(rec["editions"]), tuple(findings),
                          tuple(undetermined), errors, tuple(unassessed))
