"""Read records from JSON Lines, JSON and CSV files; write verdicts as JSON Lines, CSV
or Parquet (Parquet input is read in batches by :mod:`hazard_rules.stream`).

Readers never stop on a bad row: each yields ``Row(number, record, error)``;
a row that cannot even be parsed has ``record=None`` and an ``error`` text.

CSV columns: ``record_id``, ``inspected_on``, ``source``, ``enterprise.<field>``,
``meta.<field>`` and one column per fact by dotted name (``facts.`` prefix
optional). Cells are converted with the catalog's types: ``true/false``,
``是/否``, ``1/0`` for yes/no facts; lists are separated by ``|`` or ``;``
(write ``[]`` for an empty list); an empty cell means *unknown*.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from hazard_rules.model import Catalog
from hazard_rules.records import ENTERPRISE_META, RecordIssue
from hazard_rules.typesys import ListT, Type
from hazard_rules.verdict import Status, Verdict

__all__ = ["FORMATS", "ParquetVerdicts", "Row", "bad_row_verdict", "guess_format",
           "read_records", "verdict_row", "write_verdicts"]

FORMATS = ("jsonl", "json", "csv", "parquet")


@dataclass(frozen=True)
class Row:
    """One input row: its 1-based number (line in the file), the record or a parse error,
    and the input as read (the line, or the CSV cells) for error reports."""

    number: int
    record: Any
    error: str | None = None
    raw: Any = None


def guess_format(path: str | Path) -> str:
    """``jsonl``, ``json``, ``csv`` or ``parquet`` from a file name (default ``jsonl``)."""
    suffix = Path(str(path)).suffix.lower()
    return {".json": "json", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet",
            ".pq": "parquet"}.get(suffix, "jsonl")


def read_records(stream: TextIO, fmt: str, catalog: Catalog | None = None) -> Iterator[Row]:
    """Rows of ``stream`` in format ``fmt``; CSV needs the ``catalog`` to type cells."""
    if fmt == "jsonl":
        yield from _read_jsonl(stream)
    elif fmt == "json":
        yield from _read_json(stream)
    elif fmt == "csv":
        if catalog is None:
            raise ValueError("reading CSV needs the fact catalog")
        yield from _read_csv(stream, catalog)
    elif fmt == "parquet":
        raise ValueError("Parquet files are binary: read them with hazard_rules.stream")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _read_jsonl(stream: TextIO) -> Iterator[Row]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        raw = line.rstrip("\r\n")
        try:
            yield Row(number, json.loads(line), raw=raw)
        except json.JSONDecodeError as exc:
            yield Row(number, None, f"line {number}: invalid JSON: {exc.msg} "
                                    f"(column {exc.colno})", raw)


def _read_json(stream: TextIO) -> Iterator[Row]:
    try:
        data = json.load(stream)
    except json.JSONDecodeError as exc:
        yield Row(exc.lineno, None, f"invalid JSON: {exc.msg} (line {exc.lineno})")
        return
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        data = [data]
    for i, rec in enumerate(data, 1):
        yield Row(i, rec, raw=rec)


def _read_csv(stream: TextIO, catalog: Catalog) -> Iterator[Row]:
    reader = csv.DictReader(stream)
    for row in reader:
        number = reader.line_num
        if None in row:
            yield Row(number, None, f"line {number}: more cells than columns", row)
            continue
        yield Row(number, csv_record(row, catalog), raw=row)


def csv_record(row: dict[str, str | None], catalog: Catalog) -> dict[str, Any]:
    """Turn one CSV row (column -> text) into a record, typing cells by the catalog."""
    record: dict[str, Any] = {}
    enterprise: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    for column, cell in row.items():
        if column is None:
            continue
        col = column.strip()
        text = (cell or "").strip()
        if not text:
            continue
        if col in ("record_id", "inspected_on", "source"):
            record[col] = text
        elif col.startswith("enterprise."):
            key = col.split(".", 1)[1]
            fact = catalog.get(col)
            enterprise[key] = text if key in ENTERPRISE_META or fact is None else _cell(
                text, fact.type)
        elif col.startswith("meta."):
            meta[col.split(".", 1)[1]] = text
        else:
            name = col[len("facts."):] if col.startswith("facts.") else col
            fact = catalog.get(name)
            facts[name] = _cell(text, fact.type) if fact is not None else text
    if enterprise:
        record["enterprise"] = enterprise
    if facts:
        record["facts"] = facts
    if meta:
        record["meta"] = meta
    return record


def _cell(text: str, t: Type) -> Any:
    """Split list cells; other cells stay text, checked like any record value (so yes/no,
    numbers and quantities such as "30 kPa" are read by :func:`records.coerce`)."""
    if isinstance(t, ListT):
        if text == "[]":
            return []
        parts = [p.strip() for p in text.replace(";", "|").split("|") if p.strip()]
        return [_cell(p, t.item) for p in parts]
    return text


def bad_row_verdict(row: Row) -> Verdict:
    """The verdict of a row that could not be parsed at all."""
    return Verdict(None, None, Status.ERROR, errors=(
        RecordIssue("bad-row", None, row.error or "unreadable row", blocking=True),))


CSV_COLUMNS = ("record_id", "inspected_on", "status", "editions", "fired", "undetermined",
               "missing_facts", "unassessed", "errors")


def write_verdicts(verdicts: Iterable[Verdict], stream: IO[str], fmt: str) -> Iterator[Verdict]:
    """Write each verdict to ``stream`` as it passes through (a lazy pass-through)."""
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for v in verdicts:
            writer.writerow([
                v.record_id or "", v.inspected_on.isoformat() if v.inspected_on else "",
                v.status.value, "|".join(v.editions), "|".join(v.fired),
                "|".join(u.rule_id for u in v.undetermined), "|".join(v.missing_facts),
                "|".join(f"{u.edition} {u.article}" for u in v.unassessed),
                "; ".join(f"{e.code}:{e.field or ''}:{e.message}" for e in v.errors),
            ])
            yield v
    elif fmt in ("jsonl", "json"):
        for v in verdicts:
            stream.write(v.to_json())
            stream.write("\n")
            yield v
    else:
        raise ValueError(f"unknown output format {fmt!r}; use jsonl or csv")


def verdict_row(v: Verdict) -> dict[str, Any]:
    """The flat row of a verdict in CSV and Parquet output (columns ``CSV_COLUMNS``)."""
    return {
        "record_id": v.record_id, "inspected_on": v.inspected_on, "status": v.status.value,
        "editions": list(v.editions), "fired": list(v.fired),
        "undetermined": [u.rule_id for u in v.undetermined],
        "missing_facts": list(v.missing_facts),
        "unassessed": [f"{u.edition} {u.article}" for u in v.unassessed],
        "errors": [{"code": e.code, "field": e.field, "message": e.message,
                    "blocking": e.blocking} for e in v.errors],
    }


class ParquetVerdicts:
    """Writes verdicts to a Parquet file, one row group per :meth:`write` call, with a
    declared schema (the ``CSV_COLUMNS``; lists as lists, errors as structs)."""

    def __init__(self, path: str | Path) -> None:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        strings = pa.list_(pa.string())
        self.schema = pa.schema([
            ("record_id", pa.string()), ("inspected_on", pa.date32()),
            ("status", pa.string()), ("editions", strings), ("fired", strings),
            ("undetermined", strings), ("missing_facts", strings), ("unassessed", strings),
            ("errors", pa.list_(pa.struct([("code", pa.string()), ("field", pa.string()),
                                           ("message", pa.string()),
                                           ("blocking", pa.bool_())]))),
        ])
        self._pa = pa
        self.writer = pq.ParquetWriter(str(path), self.schema)

    def write(self, verdicts: Sequence[Verdict]) -> None:
        rows = [verdict_row(v) for v in verdicts]
        self.writer.write_table(self._pa.Table.from_pylist(rows, schema=self.schema))

    def close(self) -> None:
        self.writer.close()


def open_text(path: str | Path) -> TextIO:
    """Open a UTF-8 text file (``-`` is stdin); a BOM from spreadsheet exports is skipped."""
    if str(path) == "-":
        import sys

        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig", newline="")
