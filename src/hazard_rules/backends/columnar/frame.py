"""Check and type a frame of inspection records, column by column.

The frame counterpart of :class:`hazard_rules.records.Normaliser`, with the same
results and the same issues, cell for cell:

- columns: ``record_id``, ``inspected_on``, ``source``, ``enterprise.<field>``,
  ``meta.<field>`` (ignored), and facts as ``facts.<ns>.<name>`` or ``<ns>.<name>``;
  struct columns (``facts``, ``enterprise``, ``facts.<ns>``...) are flattened first;
- a column of the fact's own dtype is checked with expressions (enum values,
  integral floats, NaN as unknown); any other column (text from CSV files, mixed
  objects) goes through the reference :func:`~hazard_rules.records.coerce` once per
  *distinct* value, so values and messages are those of the per-record path.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from hazard_rules.model import ENTERPRISE_NAMESPACE, INSPECTED_ON, FactDef
from hazard_rules.records import (
    ENTERPRISE_META,
    SOURCES,
    TOP_LEVEL,
    Normaliser,
    coerce,
    out_of_range,
    parse_date,
    source_issue,
    value_issue,
)
from hazard_rules.typesys import BoolT, DateT, EnumT, FloatT, IntT, ListT, StrT, Type

__all__ = ["ISSUE_SCHEMA", "NormalFrame", "flatten", "normalise_frame", "polars_dtype",
           "records_to_frame"]

ISSUE_SCHEMA = {"row": pl.Int64, "code": pl.String, "field": pl.String,
                "message": pl.String, "blocking": pl.Boolean}


def polars_dtype(t: Type) -> pl.DataType:
    """The polars dtype that holds values of type ``t``."""
    match t:
        case BoolT():
            return pl.Boolean()
        case IntT():
            return pl.Int64()
        case FloatT():
            return pl.Float64()
        case StrT() | EnumT():
            return pl.String()
        case DateT():
            return pl.Date()
        case ListT(item=item):
            return pl.List(polars_dtype(item))
    raise AssertionError(t)  # pragma: no cover


def flatten(df: pl.DataFrame) -> pl.DataFrame:
    """Unnest struct columns recursively, naming fields ``parent.child``."""
    while any(isinstance(dtype, pl.Struct) for dtype in df.dtypes):
        cols: list[pl.Expr] = []
        for name, dtype in df.schema.items():
            if isinstance(dtype, pl.Struct):
                cols.extend(pl.col(name).struct.field(f.name).alias(f"{name}.{f.name}")
                            for f in dtype.fields)
            else:
                cols.append(pl.col(name))
        df = df.select(cols)
    return df


@dataclass
class NormalFrame:
    """A checked frame: typed columns by fact name, and one row per issue."""

    data: pl.DataFrame  # __row, record_id, inspected_on, source, enterprise.<meta>, facts
    issues: pl.DataFrame  # row, code, field, message, blocking


def _issues(rows: pl.Series, code: str, field: str | None, messages: pl.Series | str,
            blocking: bool = False) -> pl.DataFrame:
    n = len(rows)
    msgs = messages if isinstance(messages, pl.Series) else pl.Series([messages] * n,
                                                                      dtype=pl.String)
    return pl.DataFrame({"row": rows, "code": [code] * n, "field": [field] * n,
                         "message": msgs, "blocking": [blocking] * n}, schema=ISSUE_SCHEMA)


def _is_nan(v: object) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _hashable(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return tuple((type(x), _hashable(x)) for x in v)
    if isinstance(v, dict):
        return repr(v)
    return v


def _python(v: Any) -> Any:
    """A polars value as the reference sees it (lists as lists, not Series)."""
    if isinstance(v, pl.Series):
        return v.to_list()
    return v


class _Checker:
    def __init__(self, norm: Normaliser, df: pl.DataFrame, rows: pl.Series) -> None:
        self.norm = norm
        self.df = df
        self.rows = rows
        self.issues: list[pl.DataFrame] = []
        self.columns: dict[str, pl.Series] = {}
        self.given: dict[str, pl.Series] = {}  # per fact: was a value given (even a bad one)

    def issue(self, mask: pl.Series, code: str, field: str | None,
              message: pl.Series | str, blocking: bool = False) -> None:
        if not mask.any():
            return
        msg = message.filter(mask) if isinstance(message, pl.Series) else message
        self.issues.append(_issues(self.rows.filter(mask), code, field, msg, blocking))

    def by_value(self, col: pl.Series, fact: FactDef) -> tuple[pl.Series, pl.Series]:
        """Coerce each distinct value with the reference function: (clean, reasons)."""
        target = polars_dtype(fact.type)
        seen: dict[Any, tuple[Any, str | None]] = {}  # distinct value -> (value, reason)
        clean_values: list[Any] = []
        reasons: list[str | None] = []
        for raw in col.to_list():
            v = _python(raw)
            if v is None or _is_nan(v):
                clean_values.append(None)
                reasons.append(None)
                continue
            key = (type(v), _hashable(v))
            if key not in seen:
                ok, res = coerce(fact.type, v, fact.unit)
                seen[key] = ((list(res) if isinstance(res, tuple) else res), None) if ok \
                    else (None, res)
            value, reason = seen[key]
            clean_values.append(value)
            reasons.append(reason)
        return (pl.Series(col.name, clean_values, dtype=target),
                pl.Series("reason", reasons, dtype=pl.String))

    def native_list(self, col: pl.Series, t: ListT) -> pl.Series | None:
        """A list column whose items all fit ``t`` as they are, or None to check it
        value by value (a null item, an unknown enum value, a wrong item dtype)."""
        assert isinstance(col.dtype, pl.List)
        inner = col.dtype.inner
        item = t.item
        fits = (isinstance(item, BoolT) and inner == pl.Boolean) or (
            isinstance(item, IntT) and inner.is_integer()) or (
            isinstance(item, FloatT) and (inner.is_float() or inner.is_integer())) or (
            isinstance(item, StrT | EnumT) and inner == pl.String) or (
            isinstance(item, DateT) and inner == pl.Date) or inner == pl.Null
        if not fits:
            return None
        ok = pl.element().is_not_null()
        if isinstance(item, EnumT):
            ok = ok & pl.element().is_in(list(item.values))
        if isinstance(item, FloatT):
            ok = ok & pl.element().cast(pl.Float64).is_finite()
        valid = col.list.eval(ok).list.all().fill_null(True)
        if not valid.all():
            return None
        return col.cast(polars_dtype(t))

    def fact(self, col: pl.Series, fact: FactDef, field: str) -> pl.Series:
        """The typed column of ``fact``; reports bad values under ``field``."""
        t, dtype = fact.type, col.dtype
        clean: pl.Series | None = None
        nan: pl.Series | None = None  # NaN cells: not given, like nulls
        if isinstance(t, BoolT) and dtype == pl.Boolean:
            clean = col
        elif isinstance(t, IntT) and dtype.is_integer():
            clean = col.cast(pl.Int64)
        elif isinstance(t, FloatT) and (dtype.is_float() or dtype.is_integer()):
            as_float = col.cast(pl.Float64)
            nan = as_float.is_nan().fill_null(False)
            if not as_float.is_infinite().fill_null(False).any():
                clean = pl.select(pl.when(nan).then(None).otherwise(as_float)
                                  .alias(col.name)).to_series()
        elif (isinstance(t, StrT) and dtype == pl.String) or (
                isinstance(t, DateT) and dtype == pl.Date):
            clean = col
        elif isinstance(t, DateT) and isinstance(dtype, pl.Datetime):
            clean = col.dt.date()
        elif (isinstance(t, EnumT) and dtype in (pl.String, pl.Categorical)) or isinstance(
                dtype, pl.Enum):
            as_str = col.cast(pl.String)
            if as_str.drop_nulls().is_in(list(t.values)).all():  # type: ignore[union-attr]
                clean = as_str
        elif isinstance(t, ListT) and isinstance(dtype, pl.List):
            clean = self.native_list(col, t)
        if clean is None:  # anything else: the reference function, per distinct value
            if dtype.is_float():
                nan = col.cast(pl.Float64).is_nan().fill_null(False)
            clean, reasons = self.by_value(col, fact)
            bad = reasons.is_not_null()
            if bad.any():
                for reason in reasons.filter(bad).unique(maintain_order=True):
                    issue = value_issue(fact, reason, field)
                    self.issue(reasons.eq(reason).fill_null(False), issue.code, field,
                               issue.message)
        if fact.minimum is not None or fact.maximum is not None:
            low = clean < fact.minimum if fact.minimum is not None else None
            high = clean > fact.maximum if fact.maximum is not None else None
            outside = (low | high if low is not None and high is not None
                       else low if low is not None else high).fill_null(False)  # type: ignore[union-attr]
            for v in clean.filter(outside).unique(maintain_order=True).to_list():
                reason = out_of_range(fact, v)
                assert reason is not None
                issue = value_issue(fact, reason, field)
                self.issue(clean.eq(v).fill_null(False) & outside, issue.code, field,
                           issue.message)
            clean = pl.select(pl.when(outside).then(None).otherwise(clean)).to_series()
        given = col.is_not_null() if nan is None else col.is_not_null() & ~nan
        self.given[fact.name] = given
        return clean

    def put(self, fact: FactDef, clean: pl.Series, given: pl.Series, field: str) -> None:
        """Store a fact column; a second column of the same fact is a duplicate."""
        if fact.name in self.columns:
            before = self.given_before[fact.name]
            self.issue(before & given, "duplicate-fact", field,
                       f"fact {fact.name!r} is given twice")
            first = self.columns[fact.name]
            self.columns[fact.name] = pl.select(
                pl.when(before).then(first).otherwise(clean)).to_series().alias(fact.name)
            self.given_before[fact.name] = before | given
        else:
            self.columns[fact.name] = clean.alias(fact.name)
            self.given_before[fact.name] = given

    given_before: dict[str, pl.Series]


def normalise_frame(df: pl.DataFrame, norm: Normaliser, *, first_row: int = 0,
                    compliant: Mapping[str, Any] | None = None,
                    numbers: pl.Series | None = None) -> NormalFrame:
    """Check every column of ``df``. Issues are keyed by position plus ``first_row``;
    the ``__row`` column and messages show ``numbers`` (the rows' numbers in their
    file) if given, else the same positions."""
    df = flatten(df)
    n = df.height
    rows = pl.Series("row", range(first_row, first_row + n), dtype=pl.Int64)
    shown = rows if numbers is None else numbers.cast(pl.Int64).alias("row")
    ck = _Checker(norm, df, rows)
    ck.given_before = {}
    out: dict[str, pl.Series] = {"__row": shown}

    # record_id
    if "record_id" in df.columns:
        rid = df["record_id"]
        if rid.dtype == pl.String or rid.dtype.is_integer():
            as_str = rid.cast(pl.String)
            missing = as_str.is_null() | as_str.eq("").fill_null(False)
            out["record_id"] = pl.select(pl.when(missing).then(None).otherwise(as_str)
                                         ).to_series()
        else:
            py = rid.to_list()
            missing = pl.Series([v is None or v == "" or _is_nan(v) for v in py])
            kinds = [None if m else type(_python(v)).__name__ for v, m in zip(
                py, missing.to_list(), strict=True)]
            wrong = pl.Series([k is not None for k in kinds])
            ck.issue(wrong, "bad-value", "record_id", pl.Series(
                [f"record_id must be text, not {k}" if k else None for k in kinds]))
            out["record_id"] = pl.Series([None] * n, dtype=pl.String)
    else:
        missing = pl.Series([True] * n)
        out["record_id"] = pl.Series([None] * n, dtype=pl.String)
    ck.issue(missing, "missing-record-id", "record_id",
             pl.select(pl.format("the record has no record_id (row {})", shown)).to_series())

    # inspected_on
    day = df["inspected_on"] if "inspected_on" in df.columns else pl.Series(
        [None] * n, dtype=pl.String)
    if day.dtype == pl.Date:
        parsed, empty = day, day.is_null()
    elif isinstance(day.dtype, pl.Datetime):
        parsed, empty = day.dt.date(), day.is_null()
    else:
        py = [_python(v) for v in day.to_list()]
        cache: dict[Any, dt.date | None] = {}
        values = []
        for v in py:
            key = v if isinstance(v, str | int | float | dt.date) or v is None else id(v)
            if key not in cache:
                cache[key] = None if v is None or v == "" else parse_date(v)
            values.append(cache[key])
        parsed = pl.Series(values, dtype=pl.Date)
        empty = pl.Series([v is None or v == "" for v in py])
        bad = ~empty & parsed.is_null()
        ck.issue(bad, "bad-date", "inspected_on", pl.Series(
            [f"inspected_on {v!r} is not a date (YYYY-MM-DD)" for v in py], dtype=pl.String),
            blocking=True)
    ck.issue(empty, "missing-date", "inspected_on",
             "the record has no inspected_on date, so no edition can be chosen", blocking=True)
    out["inspected_on"] = parsed
    out[INSPECTED_ON.name] = parsed

    # source
    if "source" in df.columns:
        src = df["source"]
        values = src.drop_nulls().unique(maintain_order=True).to_list()
        bad_src = [v for v in values if v not in SOURCES]
        for v in bad_src:
            issue = source_issue(v)
            ck.issue(src.eq(v).fill_null(False), issue.code, "source", issue.message)
        out["source"] = pl.select(pl.when(src.is_in(bad_src)).then(None).otherwise(
            src.cast(pl.String))).to_series() if src.dtype == pl.String else pl.Series(
            [v if v in SOURCES else None for v in src.to_list()], dtype=pl.String)

    enterprise = {n.split(".", 1)[1]: f for n, f in norm.catalog.facts.items()
                  if f.namespace == ENTERPRISE_NAMESPACE}
    for col in df.columns:
        series = df[col]
        if col in ("record_id", "inspected_on", "source") or col.startswith("meta."):
            continue
        if col == "meta":
            continue
        if col.startswith("enterprise."):
            key = col.split(".", 1)[1]
            if key in ENTERPRISE_META:
                out[col] = series.cast(pl.String) if series.dtype != pl.String else series
                continue
            fact = enterprise.get(key)
            if fact is None:
                issue = norm.unknown_enterprise_field_issue(key)
                ck.issue(series.is_not_null(), issue.code, issue.field, issue.message)
                continue
            ck.put(fact, ck.fact(series, fact, col), ck.given[fact.name], col)
            continue
        name = col[len("facts."):] if col.startswith("facts.") else col
        field = col
        if col.startswith("facts.") or "." in col:
            fact = norm.facts.get(name)
            if fact is None:
                issue = norm.unknown_fact_issue(name, field)
                ck.issue(series.is_not_null(), issue.code, issue.field, issue.message)
                continue
            ck.put(fact, ck.fact(series, fact, field), ck.given[fact.name], field)
            continue
        if col in TOP_LEVEL:  # enterprise / facts given as something other than a struct
            ck.issue(series.is_not_null(), "bad-value", col,
                     f"'{col}' must be a mapping, not {series.dtype}")
            continue
        issue = norm.unknown_field_issue(col)
        ck.issue(series.is_not_null(), issue.code, issue.field, issue.message)

    for name, clean in ck.columns.items():
        if compliant and name in compliant:
            given = ck.given_before[name]
            out[name] = pl.select(pl.when(given).then(clean).otherwise(
                pl.lit(compliant[name]).cast(clean.dtype))).to_series().alias(name)
        else:
            out[name] = clean
    if compliant:
        for name, value in compliant.items():
            if name not in out:
                fact = norm.catalog.facts[name]
                out[name] = pl.Series(name, [value] * n, dtype=polars_dtype(fact.type))
    issues = pl.concat(ck.issues) if ck.issues else pl.DataFrame(schema=ISSUE_SCHEMA)
    return NormalFrame(pl.DataFrame(out), issues)


def records_to_frame(records: list[Any]) -> pl.DataFrame:
    """A frame from record mappings: nested mappings become dotted columns.

    A column whose values are of one Python type gets that type's dtype; a column
    mixing types (a yes/no fact given as ``True`` in one record and ``"maybe"`` in
    another) is kept as objects, so that every value is checked as given.
    """
    n = len(records)
    rows: dict[str, list[int]] = {}  # column -> rows that give it (records are sparse)
    given: dict[str, list[Any]] = {}
    kinds: dict[str, set[str]] = {}
    for i, record in enumerate(records):
        for c, v in _flat(record).items():
            if c not in rows:
                rows[c], given[c], kinds[c] = [], [], set()
            if v is not None:
                rows[c].append(i)
                given[c].append(v)
                kinds[c].add(_kind(v))
    out: dict[str, pl.Series] = {}
    for c, where in rows.items():
        values: list[Any] = [None] * n
        for i, v in zip(where, given[c], strict=True):
            values[i] = v
        k = kinds[c]
        if len(k) > 1 and "list:" in k and all(x.startswith("list:") for x in k):
            k.discard("list:")  # an empty list fits any list column
        if len(k) <= 1 and "other" not in k:
            try:
                out[c] = pl.Series(c, values, strict=True)
                continue
            except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
                pass
        out[c] = pl.Series(c, values, dtype=pl.Object)
    return pl.DataFrame(out, height=n)


_KINDS: dict[type, str] = {bool: "bool", int: "int", float: "float", str: "str",
                           dt.date: "date"}


def _kind(v: Any) -> str:
    kind = _KINDS.get(type(v))
    if kind is not None:
        return kind
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    if isinstance(v, dt.date):
        return "date"
    if isinstance(v, list | tuple):
        inner = {_kind(x) for x in v}
        return f"list:{inner.pop()}" if len(inner) == 1 else "list:" if not inner else "other"
    return "other"


def _flat(record: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not isinstance(record, Mapping):
        return out
    for k, v in record.items():
        if type(v) not in _KINDS and isinstance(v, Mapping) and k != "meta":
            out.update(_flat(v, f"{prefix}{k}."))
        elif k != "meta" or prefix:
            out[f"{prefix}{k}"] = v
    return out
