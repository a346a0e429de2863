"""Classifying files in batches: formats, backends, bad rows, error reports, progress."""

from __future__ import annotations

import contextlib
import csv
import json
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import pytest

import hazard_rules as hr
from hazard_rules.backends.columnar.frame import _flat
from hazard_rules.cli import main
from hazard_rules.cli.progress import Progress
from hazard_rules.stream import classify_file
from hazard_rules.synthetic import synthetic_frame
from tests.conftest import HERE

EXAMPLES = HERE.parent / "examples" / "records.jsonl"
# what a careless export contains besides good records: a line that is not JSON, a
# JSON value that is not an object, a blank line
JUNK = '{"record_id": "X-1", oops\n[1, 2]\n\n'


@pytest.fixture(scope="module")
def engine() -> hr.Engine:
    return hr.Engine()


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("in") / "records.jsonl"
    lines = EXAMPLES.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:40]) + JUNK + "".join(lines[40:]), encoding="utf-8")
    return path


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "|".join(str(v) for v in value) if value else "[]"
    return "" if value is None else str(value)


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = []
    for line in EXAMPLES.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # one broken line on purpose
            records.append(json.loads(line))
    flat = [{k: _csv_cell(v) for k, v in _flat(r).items()} for r in records]
    columns = list(dict.fromkeys(k for r in flat for k in r))
    path = tmp_path_factory.mktemp("in") / "records.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(flat)
    return path


@pytest.fixture(scope="module")
def parquet(engine: hr.Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    frame = synthetic_frame(engine, 400, seed=3, missing=0.2)
    ids = frame["record_id"].to_list()
    ids[5] = None  # a row with no record id
    days = frame["inspected_on"].to_list()
    days[7] = days[7].replace(year=1990)  # before any loaded edition
    frame = frame.with_columns(pl.Series("record_id", ids, dtype=pl.String),
                               pl.Series("inspected_on", days, dtype=pl.Date))
    path = tmp_path_factory.mktemp("in") / "records.parquet"
    frame.write_parquet(path)
    return path


def _run(engine: hr.Engine, source: Path, out: Path, **kw: Any) -> Any:
    return classify_file(engine, source, out, **kw)


@pytest.mark.parametrize("name", ["jsonl", "csv_file", "parquet"])
@pytest.mark.parametrize("out_fmt", ["jsonl", "csv", "parquet"])
def test_backends_and_batch_sizes_write_the_same_output(
        request: pytest.FixtureRequest, engine: hr.Engine, tmp_path: Path, name: str,
        out_fmt: str) -> None:
    source: Path = request.getfixturevalue(name)
    results = {}
    for backend, batch in [("engine", 10_000), ("columnar", 10_000), ("columnar", 37)]:
        out = tmp_path / f"{backend}-{batch}.{out_fmt}"
        report = _run(engine, source, out, backend=backend, batch_size=batch)
        assert report.backend == ("columnar" if backend == "columnar" else "python")
        content = (pq.read_table(out).to_pylist() if out_fmt == "parquet"
                   else out.read_text(encoding="utf-8"))
        errors = Path(f"{out}.errors.jsonl").read_text(encoding="utf-8")
        results[(backend, batch)] = (content, errors, report.rows, report.bad_rows,
                                     dict(report.counts))
    first = results[("engine", 10_000)]
    assert first[3] > 0  # every input has bad rows
    for key, got in results.items():
        assert got == first, key
    if out_fmt == "csv":
        assert first[0].count("record_id,inspected_on,status") == 1  # one header


def test_jsonl_output_is_the_verdict_of_each_record(engine: hr.Engine, jsonl: Path,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "v.jsonl"
    report = classify_file(engine, jsonl, out, batch_size=50)
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    expected = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            expected.append(None)
            continue
        expected.append(engine.classify(record, index=number).to_dict())
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(got) == len(expected) == report.rows == len(lines) - 1  # the blank line
    bad = [g for g, e in zip(got, expected, strict=True) if e is None]
    assert [b["errors"][0]["code"] for b in bad] == ["bad-row", "bad-row"]  # ours, theirs
    assert [g for g, e in zip(got, expected, strict=True) if e is not None] == [
        e for e in expected if e is not None]


def test_bad_rows_are_reported_with_number_reason_and_input(
        engine: hr.Engine, jsonl: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.jsonl"
    report = classify_file(engine, jsonl, out)
    entries = [json.loads(line) for line in
               (tmp_path / "v.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert report.bad_rows == len(entries)
    by_row = {e["row"]: e for e in entries}
    assert by_row[41]["errors"][0]["code"] == "bad-row"
    assert "invalid JSON" in by_row[41]["errors"][0]["message"]
    assert by_row[41]["input"] == '{"record_id": "X-1", oops'
    assert by_row[42]["input"] == "[1, 2]"
    assert by_row[42]["errors"][0]["code"] == "bad-record"
    bad_date = next(e for e in entries if e["record_id"] == "R-BAD-001")
    assert bad_date["errors"] == [{
        "code": "bad-date", "field": "inspected_on", "blocking": True,
        "message": "inspected_on '2024-13-01' is not a date (YYYY-MM-DD)"}]
    assert json.loads(bad_date["input"])["record_id"] == "R-BAD-001"
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[bad_date["row"] - 1])["record_id"] == "R-BAD-001"


def test_parquet_rows_are_numbered_from_one_and_keep_their_input(
        engine: hr.Engine, parquet: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.parquet"
    report = classify_file(engine, parquet, out, batch_size=64)
    entries = [json.loads(line) for line in
               (tmp_path / "v.parquet.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_row = {e["row"]: e for e in entries}
    assert set(by_row) == {6, 8}
    assert by_row[6]["errors"][0]["message"] == "the record has no record_id (row 6)"
    assert by_row[8]["errors"][0]["code"] == "not-covered"
    assert by_row[8]["input"]["inspected_on"].startswith("1990-")
    table = pq.read_table(out)
    assert table.num_rows == report.rows == 400
    assert str(table.schema.field("inspected_on").type) == "date32[day]"
    assert str(table.schema.field("fired").type) == "list<element: string>"


def test_stale_default_error_report_is_removed_and_explicit_one_always_written(
        engine: hr.Engine, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(EXAMPLES.read_text(encoding="utf-8").splitlines()[0] + "\n",
                    encoding="utf-8")
    out = tmp_path / "v.jsonl"
    stale = tmp_path / "v.jsonl.errors.jsonl"
    stale.write_text("old\n", encoding="utf-8")
    report = classify_file(engine, good, out)
    assert report.bad_rows == 0 and not stale.exists()
    explicit = tmp_path / "bad.jsonl"
    classify_file(engine, good, out, errors=explicit)
    assert explicit.read_text(encoding="utf-8") == ""


def test_progress_is_called_per_batch_up_to_the_whole_file(
        engine: hr.Engine, jsonl: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, float | None]] = []
    report = classify_file(engine, jsonl, tmp_path / "v.jsonl", batch_size=100,
                           progress=lambda n, f: calls.append((n, f)))
    assert [n for n, _ in calls] == [min(100 * (i + 1), report.rows)
                                     for i in range(len(calls))]
    assert len(calls) == -(-report.rows // 100)
    fractions = [f for _, f in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_progress_bar_draws_on_a_terminal_only(capsys: pytest.CaptureFixture[str]) -> None:
    bar = Progress(enabled=None)  # pytest's stderr is not a terminal
    bar(10, 0.5)
    bar.close()
    assert capsys.readouterr().err == ""


def test_cli_exit_codes_error_report_and_summary(capsys: pytest.CaptureFixture[str],
                                                 jsonl: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.parquet"
    code = main(["classify", str(jsonl), "-o", str(out), "--batch-size", "64"])
    _, err = capsys.readouterr()
    assert code == 3
    assert "\r" not in err  # no progress bar when stderr is not a terminal
    assert f"bad rows written to {out}.errors.jsonl" in err
    # on stdout, the reasons go to stderr
    code = main(["classify", str(jsonl), "--backend", "python"])
    captured = capsys.readouterr()
    assert code == 3
    assert "  row 41 (no record_id): bad-row: line 41: invalid JSON" in captured.err
    assert len(captured.out.splitlines()) == pq.read_table(out).num_rows


def test_cli_usage_errors(capsys: pytest.CaptureFixture[str], jsonl: Path,
                          parquet: Path) -> None:
    assert main(["classify", str(parquet), "--output-format", "parquet"]) == 2
    assert "Parquet cannot be written to stdout" in capsys.readouterr().err
    assert main(["classify", "-", "--input-format", "parquet"]) == 2
    assert main(["classify", str(jsonl.parent / "nope.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["classify", str(jsonl), "--batch-size", "0"]) == 2
    assert "batch_size must be at least 1" in capsys.readouterr().err
