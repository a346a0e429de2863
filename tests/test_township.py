"""The synthetic township: deterministic to the byte, and realistic in its rates."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import hazard_rules as hr

pl = pytest.importorskip("polars")

from hazard_rules.township import PROFILES, Township, generate_township  # noqa: E402


def test_same_arguments_same_bytes(engine: hr.Engine) -> None:
    first = generate_township(seed=7, enterprises=15, engine=engine).to_jsonl()
    again = generate_township(seed=7, enterprises=15, engine=engine).to_jsonl()
    other = generate_township(seed=8, enterprises=15, engine=engine).to_jsonl()
    assert first == again
    assert first != other


def test_bytes_do_not_depend_on_the_interpreter_hash_seed(engine: hr.Engine) -> None:
    code = ("import hashlib; from hazard_rules.township import generate_township; "
            "print(hashlib.sha256(generate_township(seed=4, enterprises=10)"
            ".to_jsonl().encode()).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout.strip()
    mine = generate_township(seed=4, enterprises=10, engine=engine).to_jsonl()
    assert out == hashlib.sha256(mine.encode()).hexdigest()


def test_parquet_is_deterministic_and_reads_back(engine: hr.Engine, tmp_path: Path) -> None:
    town = generate_township(seed=2, enterprises=12, engine=engine)
    town.write(tmp_path / "a.parquet")
    town.write(tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert pl.read_parquet(tmp_path / "a.parquet").equals(town.to_frame())
    town.write(tmp_path / "c.jsonl")
    assert (tmp_path / "c.jsonl").read_text(encoding="utf-8") == town.to_jsonl()
    with pytest.raises(ValueError, match="unknown format"):
        town.write(tmp_path / "d.csv", "csv")


def test_records_are_valid_and_shaped_like_the_readme(town: Township,
                                                      engine: hr.Engine) -> None:
    catalog = engine.rulesets.catalog
    for record in town.records[:200]:
        assert list(record) == ["record_id", "inspected_on", "source", "enterprise", "facts"]
        assert set(record["enterprise"]) == {"id", "name", "region", "region_name", "sector",
                                             "scopes", "subsectors"}
        for ns, facts in record["facts"].items():
            assert all(f"{ns}.{name}" in catalog for name in facts)
    result = engine.classify_frame(town.to_frame())
    errors = result.verdicts["errors"].list.len()
    assert int(errors.sum()) == 0  # no bad value, unknown fact or missing edition
    ids = [r["record_id"] for r in town.records]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    days = [r["inspected_on"] for r in town.records]
    assert days == sorted(days)


def test_the_township_is_spread_across_sectors_villages_months_and_channels(
        town: Township) -> None:
    assert len(town.enterprises) == 120
    assert {e["sector"] for e in town.enterprises} == set(PROFILES)
    codes = [code for code, _ in town.villages]
    assert len(codes) == 6 and all(len(c) == 12 and c.startswith(town.code) for c in codes)
    assert {e["region"] for e in town.enterprises} == set(codes)
    months = Counter(r["inspected_on"][5:7] for r in town.records)
    assert sorted(months) == [f"{m:02d}" for m in range(1, 13)]
    assert min(months.values()) > 0.5 * max(months.values())
    sources = Counter(r["source"] for r in town.records)
    assert set(sources) == {"inspection", "self_check", "public_report", "platform"}
    inspections = Counter(r["enterprise"]["id"] for r in town.records
                          if r["source"] == "inspection")
    assert len(inspections) == 120 and min(inspections.values()) >= 2
    first = {}
    for r in town.records:
        if r["source"] == "inspection":
            first.setdefault(r["enterprise"]["id"], r["inspected_on"])
    assert max(first.values()) <= "2025-03-31"  # the campaign's first quarter
    assert len({e["name"] for e in town.enterprises}) == 120


def _share(frame: Any, mask: Any) -> float:
    return float(mask.sum()) / frame.height


def test_rates_are_realistic_and_fall_over_the_year(town: Township, engine: hr.Engine) -> None:
    verdicts = engine.classify_frame(town.to_frame()).verdicts.with_columns(
        pl.Series("source", [r["source"] for r in town.records]))
    major = verdicts["status"] == "major"
    assert 0.02 <= _share(verdicts, major) <= 0.10
    assert 0.05 <= _share(verdicts, verdicts["status"] == "undetermined") <= 0.30
    checklists = verdicts.filter(pl.col("source").is_in(["inspection", "self_check"]))
    incomplete = checklists["undetermined"].list.len() > 0
    assert 0.05 <= _share(checklists, incomplete) <= 0.25
    quarter = verdicts["inspected_on"].dt.quarter()
    q1 = verdicts.filter(quarter == 1)
    q4 = verdicts.filter(quarter == 4)
    assert _share(q1, q1["status"] == "major") > 1.5 * _share(q4, q4["status"] == "major")


def test_small_townships_take_every_sector_they_can(engine: hr.Engine) -> None:
    town = generate_township(seed=3, enterprises=5, villages=1, engine=engine)
    assert len({e["sector"] for e in town.enterprises}) == 5
    assert {e["region"] for e in town.enterprises} == {town.villages[0][0]}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"villages": 0}, "villages must be between 1 and 10"),
    ({"villages": 11}, "villages must be between 1 and 10"),
    ({"enterprises": 0}, "enterprises must be at least 1"),
])
def test_bad_arguments(kwargs: dict[str, int], message: str, engine: hr.Engine) -> None:
    with pytest.raises(ValueError, match=message):
        generate_township(engine=engine, **kwargs)
