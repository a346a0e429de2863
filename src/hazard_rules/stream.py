"""Classify files of any size, batch by batch: read, classify, write, report bad rows.

:func:`classify_file` reads JSON Lines, CSV or Parquet in batches of ``batch_size``
records (a JSON array is read whole; use JSON Lines for big files), classifies each
batch with the engine's per-record backend or column-wise, writes the verdicts as
JSON Lines, CSV or Parquet as it goes, and writes every bad row (one that could not
be read, or whose verdict has errors) to an error report: one JSON line per row with
its number, record id, reasons and the input as read. Memory is bounded by the
batch, not the file; the output is the same whichever backend classifies.

Row numbers are lines for JSON Lines, spreadsheet rows for CSV (the header is row
1), and 1-based positions for JSON arrays and Parquet.

>>> import json, tempfile, pathlib
>>> from hazard_rules import Engine
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "in.jsonl").write_text(json.dumps({
...     "record_id": "R-1", "inspected_on": "2024-06-01",
...     "enterprise": {"sector": "commerce", "scopes": []},
...     "facts": {"common.special_operator_uncertified_on_duty": True}}) + "\\n{oops\\n")
>>> report = classify_file(Engine(), folder / "in.jsonl", folder / "out.jsonl",
...                        backend="engine")
>>> report.rows, report.counts["major"], report.bad_rows
(2, 1, 1)
>>> json.loads((folder / "out.jsonl.errors.jsonl").read_text())["row"]
2
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from hazard_rules.recordio import (
    ParquetVerdicts,
    Row,
    bad_row_verdict,
    guess_format,
    read_records,
    write_verdicts,
)
from hazard_rules.verdict import Verdict

if TYPE_CHECKING:
    import polars as pl

    from hazard_rules.engine import Engine

__all__ = ["BACKENDS", "DEFAULT_BATCH_SIZE", "FileReport", "classify_file"]

DEFAULT_BATCH_SIZE = 50_000
#: ``auto`` classifies column-wise when polars and pyarrow are installed.
BACKENDS = ("auto", "columnar", "engine")
#: Called after each batch with the number of records done and the fraction of the
#: input read (``None`` when the size is unknown, as for stdin).
ProgressFn = Callable[[int, float | None], None]


@dataclass
class FileReport:
    """What :func:`classify_file` did: rows read, verdicts by status, bad rows."""

    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    bad_rows: int = 0
    seconds: float = 0.0
    backend: str = ""
    errors_path: str | None = None
    #: the first bad rows, as written to the error report (for a summary on screen)
    first_bad: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Batch:
    rows: list[Row] | None  # text formats
    frame: pl.DataFrame | None  # Parquet
    first: int  # Parquet: the number of the first row
    done: float | None  # fraction of the input read


class _Counting(io.RawIOBase):
    """Counts the bytes read through it, for progress by position in the file."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.count += n or 0
        return int(n or 0)

    def close(self) -> None:
        if self.raw is not sys.stdin.buffer:
            self.raw.close()
        super().close()


def _text_batches(source: str | Path, fmt: str, engine: Engine,
                  batch_size: int) -> Iterator[_Batch]:
    stdin = str(source) == "-"
    raw: BinaryIO = sys.stdin.buffer if stdin else open(source, "rb")  # noqa: SIM115
    size = None if stdin else Path(source).stat().st_size
    counting = _Counting(raw)
    text = io.TextIOWrapper(io.BufferedReader(counting), encoding="utf-8-sig", newline="")
    try:
        rows = read_records(text, fmt, engine.rulesets.catalog)
        while batch := list(islice(rows, batch_size)):
            done = min(counting.count / size, 1.0) if size else None
            yield _Batch(batch, None, 0, done)
    finally:
        text.close()


def _parquet_batches(source: str | Path, batch_size: int) -> Iterator[_Batch]:
    import polars as pl
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    if str(source) == "-":
        raise ValueError("Parquet cannot be read from stdin; give a file")
    with pq.ParquetFile(str(source)) as pf:
        total = pf.metadata.num_rows
        first = 1
        for batch in pf.iter_batches(batch_size=batch_size):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            yield _Batch(None, frame, first, (first - 1 + frame.height) / total
                         if total else 1.0)
            first += frame.height


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """A record from a flat row (``enterprise.sector``, ``facts.common.x`` or
    ``common.x`` columns); null cells are left out (unknown)."""
    record: dict[str, Any] = {}
    parts: dict[str, dict[str, Any]] = {"enterprise": {}, "meta": {}, "facts": {}}
    for key, value in flat.items():
        if value is None:
            continue
        if key in ("record_id", "inspected_on", "source"):
            record[key] = value
            continue
        head, dot, rest = key.partition(".")
        if dot and head in parts:
            parts[head][rest] = value
        else:
            parts["facts"][key] = value
    record.update((k, v) for k, v in parts.items() if v)
    return record


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class _Classifier:
    """Turns batches into verdicts, one per row, in order."""

    def __init__(self, engine: Engine, columnar: bool) -> None:
        self.engine = engine
        self.columnar = columnar

    def rows(self, rows: Sequence[Row]) -> list[Verdict]:
        engine = self.engine
        if not self.columnar:
            return [bad_row_verdict(r) if r.error is not None
                    else engine.classify(r.record, index=r.number) for r in rows]
        from hazard_rules.backends.columnar.frame import records_to_frame

        good = [r for r in rows if r.error is None and isinstance(r.record, Mapping)]
        judged: Iterator[Verdict] = iter(())
        if good:
            frame = records_to_frame([r.record for r in good])
            judged = engine.classify_frame(
                frame, row_numbers=[r.number for r in good]).to_verdicts()
        out = []
        for r in rows:
            if r.error is not None:
                out.append(bad_row_verdict(r))
            elif isinstance(r.record, Mapping):
                out.append(next(judged))
            else:  # not an object: the engine says why
                out.append(engine.classify(r.record, index=r.number))
        return out

    def frame(self, frame: pl.DataFrame, first: int) -> list[Verdict]:
        if self.columnar:
            return list(self.engine.classify_frame(frame, first_row=first).to_verdicts())
        from hazard_rules.backends.columnar.frame import flatten

        return [self.engine.classify(_nest(row), index=first + i)
                for i, row in enumerate(flatten(frame).iter_rows(named=True))]


class _Output:
    """Writes verdicts in one format to a file or stdout."""

    def __init__(self, output: str | Path, fmt: str) -> None:
        self.fmt = fmt
        self.parquet: ParquetVerdicts | None = None
        self.text: IO[str] | None = None
        self.header = True
        if fmt == "parquet":
            if str(output) == "-":
                raise ValueError("Parquet cannot be written to stdout; give -o FILE")
            self.parquet = ParquetVerdicts(output)
        elif fmt in ("jsonl", "csv"):
            self.text = sys.stdout if str(output) == "-" else open(  # noqa: SIM115
                output, "w", encoding="utf-8", newline="")
        else:
            raise ValueError(f"unknown output format {fmt!r}; use jsonl, csv or parquet")

    def write(self, verdicts: Sequence[Verdict]) -> None:
        if self.parquet is not None:
            self.parquet.write(verdicts)
            return
        assert self.text is not None
        if self.fmt == "csv" and not self.header:
            # the header once: write_verdicts writes one per call, drop the repeats
            buffer = io.StringIO()
            for _ in write_verdicts(verdicts, buffer, "csv"):
                pass
            self.text.write(buffer.getvalue().split("\r\n", 1)[1])
        else:
            for _ in write_verdicts(verdicts, self.text, self.fmt):
                pass
            self.header = False

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        elif self.text is not None and self.text is not sys.stdout:
            self.text.close()
        elif self.text is not None:
            self.text.flush()


class _Errors:
    """The error report: a JSON line per bad row, opened when the first one comes."""

    def __init__(self, path: str | Path | None, report: FileReport, keep: int = 20) -> None:
        self.path = path
        self.report = report
        self.keep = keep
        self.stream: IO[str] | None = None

    def add(self, number: int, verdict: Verdict, raw: Any) -> None:
        entry = {
            "row": number, "record_id": verdict.record_id,
            "errors": [{"code": e.code, "field": e.field, "message": e.message,
                        "blocking": e.blocking} for e in verdict.errors],
            "input": _json_safe(raw),
        }
        self.report.bad_rows += 1
        if len(self.report.first_bad) < self.keep:
            self.report.first_bad.append(entry)
        if self.path is None:
            return
        if self.stream is None:
            self.stream = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
        self.stream.write(json.dumps(entry, ensure_ascii=False))
        self.stream.write("\n")

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def _columnar_available() -> bool:
    try:
        import polars  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def classify_file(engine: Engine, source: str | Path, output: str | Path = "-", *,
                  input_format: str = "auto", output_format: str = "auto",
                  backend: str = "auto", batch_size: int = DEFAULT_BATCH_SIZE,
                  errors: str | Path | None = "auto",
                  progress: ProgressFn | None = None) -> FileReport:
    """Classify every record of ``source`` into ``output`` (``-``: stdin / stdout).

    Formats default from the file names (``.jsonl``, ``.json``, ``.csv``,
    ``.parquet``; JSON Lines on stdin and stdout). ``backend``: ``columnar``
    classifies each batch column-wise (needs the ``columnar`` extra), ``engine`` one
    record at a time with the engine's own backend, ``auto`` column-wise when
    possible. ``errors`` is the path of the error report; ``"auto"`` means
    ``<output>.errors.jsonl`` beside a file output (written only if a row is bad;
    a stale one from an earlier run is removed) and none for stdout; ``None`` means
    none. Bad rows still get a verdict (status ``error``) in the output.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    in_fmt = guess_format(source) if input_format == "auto" else input_format
    out_fmt = output_format
    if out_fmt == "auto":
        out_fmt = "jsonl" if str(output) == "-" else guess_format(output)
        out_fmt = "jsonl" if out_fmt == "json" else out_fmt
    columnar = backend == "columnar" or (backend == "auto" and _columnar_available())
    report = FileReport(backend="columnar" if columnar else engine.backend.name)
    errors_path: str | Path | None = errors
    if errors == "auto":
        errors_path = None
        if str(output) != "-":
            errors_path = Path(f"{output}.errors.jsonl")
            errors_path.unlink(missing_ok=True)
    report.errors_path = str(errors_path) if errors_path is not None else None
    if errors_path is not None and errors != "auto":
        Path(errors_path).write_text("", encoding="utf-8")  # exists even when all is well

    batches = (_parquet_batches(source, batch_size) if in_fmt == "parquet"
               else _text_batches(source, in_fmt, engine, batch_size))
    classifier = _Classifier(engine, columnar)
    start = time.perf_counter()
    out = _Output(output, out_fmt)
    bad = _Errors(errors_path, report)
    try:
        for batch in batches:
            if batch.rows is not None:
                verdicts = classifier.rows(batch.rows)
                numbers = [r.number for r in batch.rows]
                raws: Sequence[Any] | _LazyRows = [r.raw for r in batch.rows]
            else:
                assert batch.frame is not None
                verdicts = classifier.frame(batch.frame, batch.first)
                numbers = list(range(batch.first, batch.first + len(verdicts)))
                raws = _LazyRows(batch.frame)
            out.write(verdicts)
            for i, v in enumerate(verdicts):
                report.counts[v.status.value] += 1
                if v.errors:
                    bad.add(numbers[i], v, raws[i])
            report.rows += len(verdicts)
            if progress is not None:
                progress(report.rows, batch.done)
    finally:
        out.close()
        bad.close()
        report.seconds = time.perf_counter() - start
    return report


class _LazyRows:
    """Rows of a frame as dicts, made only for the bad rows that need them."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __getitem__(self, i: int) -> dict[str, Any]:
        row = self.frame.row(i, named=True)
        return {k: v for k, v in row.items() if v is not None}

