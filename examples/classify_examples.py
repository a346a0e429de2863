"""Classify the example inspection records and print a summary.

    python examples/classify_examples.py [records.jsonl]

Uses only the public API: load the bundled rulesets, classify every record
(bad records included: they come back with errors instead of stopping the run),
then print counts by status, the clauses found most often, the facts inspectors
most often left out, the records with input problems, and one explained verdict.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import hazard_rules as hr


def read_jsonl(path: Path) -> list[Any]:
    rows: list[Any] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # keep the row: it is reported, not lost
                rows.append(f"line {number}: invalid JSON ({exc.msg})")
    return rows


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("records.jsonl")
    engine = hr.Engine()
    records = read_jsonl(path)
    start = time.perf_counter()
    verdicts = list(engine.classify_many(records))
    elapsed = time.perf_counter() - start

    status = Counter(v.status.value for v in verdicts)
    print(f"{len(verdicts)} records from {path.name}, classified in {elapsed:.3f} s "
          f"({len(verdicts) / elapsed:,.0f} records/s) with "
          f"{', '.join(engine.rulesets.editions)}")
    print("  " + "  ".join(f"{s.value}: {status.get(s.value, 0)}" for s in hr.Status))

    print("\nfirst verdicts (record, status, clauses fired or number of undecided clauses):")
    for v in verdicts[:12]:
        detail = ", ".join(v.fired) if v.fired else (
            f"{len(v.undetermined)} clauses lack facts" if v.undetermined else
            "; ".join(e.code for e in v.errors))
        print(f"  {v.record_id or '(no id)':<14} {v.status.value:<13} {detail}".rstrip())

    clauses = Counter((f.rule_id, f.article, f.text) for v in verdicts for f in v.findings)
    print("\nmost frequent major hazards (重大事故隐患):")
    for (rule_id, article, text), n in clauses.most_common(8):
        print(f"  {n:>3}  {rule_id:<20} {article}  {text[:40]}{'…' if len(text) > 40 else ''}")

    missing = Counter(m for v in verdicts for m in v.missing_facts)
    catalog = engine.rulesets.catalog
    print("\nfacts most often missing (still to check):")
    for name, n in missing.most_common(5):
        print(f"  {n:>3}  {name:<46} {catalog[name].label_zh if name in catalog else ''}")

    bad = [v for v in verdicts if v.errors]
    print(f"\nrecords with input problems: {len(bad)}")
    for v in bad[:8]:
        e = v.errors[0]
        print(f"  {v.record_id or '(no id)':<12} [{e.code}] {e.field or ''}: {e.message[:90]}")

    example = max((v for v in verdicts if v.is_major), key=lambda v: len(v.findings),
                  default=None)
    if example is not None:
        print("\nthe record with the most findings, explained:\n")
        print(engine.explain(example))


if __name__ == "__main__":
    main()
