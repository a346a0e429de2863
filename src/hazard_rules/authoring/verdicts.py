"""Which records change verdict between two rulesets, and how.

Each record is judged by both sides; it *changes* when its status differs, or when
the clauses that fire differ once old rule ids are translated to the new ones
through the rule matching of :mod:`~hazard_rules.authoring.diff` (so
``gongmao-2017/1.1.3`` firing before and ``gongmao-2023/11.3`` after is no change).
Which facts an undetermined record lacks is not compared. A row that cannot be read
is an error on both sides: counted, never a change.

>>> old = RecordChange(1, "R-1", "clear", "major", (), ("demo-2023/1.1",))
>>> RecordsDiff("r.jsonl", 1, (old,), {"clear": 1}, {"major": 1}).transitions
{'clear -> major': 1}
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hazard_rules.engine import Engine
from hazard_rules.model import Catalog
from hazard_rules.recordio import Row, bad_row_verdict, guess_format, open_text, read_records
from hazard_rules.verdict import Status, Verdict

__all__ = ["RecordChange", "RecordsDiff", "diff_verdicts", "read_rows"]

_ORDER = [s.value for s in Status]


@dataclass(frozen=True)
class RecordChange:
    """One record whose verdict changes: its row in the file, id, statuses and the
    clauses that fire under the old and the new rulesets.

    >>> RecordChange(3, "R-3", "undetermined", "major", (), ("x/1",)).to_dict()["new_status"]
    'major'
    """

    row: int
    record_id: str | None
    old_status: str
    new_status: str
    old_fired: tuple[str, ...]
    new_fired: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        return {"row": self.row, "record_id": self.record_id, "old_status": self.old_status,
                "new_status": self.new_status, "old_fired": list(self.old_fired),
                "new_fired": list(self.new_fired)}


@dataclass(frozen=True)
class RecordsDiff:
    """The records file, how many records it has, the ones that change, and the count
    of each status on either side.

    >>> RecordsDiff("r.jsonl", 2, (), {"clear": 2}, {"clear": 2}).summary()["changed"]
    0
    """

    path: str
    records: int
    changed: tuple[RecordChange, ...]
    old_counts: Mapping[str, int]
    new_counts: Mapping[str, int]

    @property
    def transitions(self) -> dict[str, int]:
        """``"old -> new"`` status: how many records changed that way (``major -> major``
        when other clauses fire), most frequent first."""
        counts = Counter(f"{c.old_status} -> {c.new_status}" for c in self.changed)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> dict[str, Any]:
        """Counts only: records, changed, transitions, statuses on either side."""
        return {"path": self.path, "records": self.records, "changed": len(self.changed),
                "transitions": self.transitions,
                "old_statuses": {s: self.old_counts.get(s, 0) for s in _ORDER},
                "new_statuses": {s: self.new_counts.get(s, 0) for s in _ORDER}}

    def to_dict(self) -> dict[str, Any]:
        """The summary and every changed record, as JSON-ready data."""
        return {**self.summary(), "changes": [c.to_dict() for c in self.changed]}


def read_rows(path: str | os.PathLike[str], fmt: str = "auto",
              catalog: Catalog | None = None) -> Iterator[Row]:
    """The rows of a records file: JSON Lines, JSON, CSV (typed by ``catalog``) or
    Parquet (needs pyarrow), by extension unless ``fmt`` says.

    >>> import json, os, tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    ...     _ = f.write(json.dumps({"record_id": "R-1"}) + "\\n" + "not json\\n")
    >>> [(r.number, r.error is None) for r in read_rows(f.name)]
    [(1, True), (2, False)]
    >>> os.unlink(f.name)
    """
    fmt = guess_format(Path(path)) if fmt == "auto" else fmt
    if fmt == "parquet":
        yield from _parquet_rows(path)
        return
    with open_text(Path(path)) as stream:
        yield from read_records(stream, fmt, catalog)


def _parquet_rows(path: str | os.PathLike[str]) -> Iterator[Row]:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    from hazard_rules.stream import _nest

    number = 0
    with pq.ParquetFile(str(path)) as pf:
        for batch in pf.iter_batches(batch_size=10_000):
            for flat in batch.to_pylist():
                number += 1
                yield Row(number, _nest(flat), raw=flat)


def _judge(engine: Engine, row: Row) -> Verdict:
    if row.record is None:
        return bad_row_verdict(row)
    return engine.classify(row.record, index=row.number)


def diff_verdicts(old: Engine, new: Engine, rows: Iterable[Row], path: str = "",
                  rule_map: Mapping[str, str] | None = None) -> RecordsDiff:
    """Judge every row with both engines and collect the records whose verdict changes.

    ``rule_map`` translates old rule ids to new ones (see
    :attr:`~hazard_rules.authoring.diff.EditionDiff.rule_map`).

    >>> from hazard_rules.model import Catalog, Rulesets
    >>> engine = Engine(Rulesets({}, Catalog({}, {})))   # no editions: every record errs
    >>> rows = [Row(1, {"record_id": "R-1", "inspected_on": "2024-06-01"}), Row(2, None, "?")]
    >>> d = diff_verdicts(engine, engine, rows)
    >>> d.records, d.changed, d.old_counts
    (2, (), {'error': 2})
    """
    mapping = rule_map or {}
    changed: list[RecordChange] = []
    old_counts: Counter[str] = Counter()
    new_counts: Counter[str] = Counter()
    n = 0
    for row in rows:
        n += 1
        a, b = _judge(old, row), _judge(new, row)
        old_counts[a.status.value] += 1
        new_counts[b.status.value] += 1
        translated = {mapping.get(r, r) for r in a.fired}
        if a.status != b.status or translated != set(b.fired):
            rid = b.record_id if b.record_id is not None else a.record_id
            changed.append(RecordChange(row.number, rid, a.status.value, b.status.value,
                                        a.fired, b.fired))
    return RecordsDiff(path, n, tuple(changed), dict(old_counts), dict(new_counts))
