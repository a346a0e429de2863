"""Throughput of every backend on the same records, against plain durable_rules.

See conftest.py for the workload and the summary table it prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from baselines import NumpyMatrix, PlainDurable  # type: ignore[import-not-found]

import hazard_rules as hr
from conftest import records_of  # type: ignore[import-not-found]
from hazard_rules.synthetic import DEFAULT_SECTORS


def per_record(fn: Any) -> Any:
    fn.per_record = True
    return fn


def workload_editions(engine: hr.Engine) -> list[hr.Edition]:
    """The editions that judge the workload's records (sectors and dates)."""
    days = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    seen: dict[str, hr.Edition] = {}
    for sector in DEFAULT_SECTORS:
        for _, eds in engine._candidates(sector):
            for ed in eds:
                if ed.effective_from <= days[1] and (ed.effective_until is None
                                                    or ed.effective_until >= days[0]):
                    seen[ed.id] = ed
    return list(seen.values())


@per_record
def test_durable_plain(benchmark: Any, engine: hr.Engine, frame: Any, size: int,
                       missing: float) -> None:
    pytest.importorskip("durable")
    plain = PlainDurable(workload_editions(engine))
    docs = plain.documents(frame)
    prepared = plain.prepare(docs)
    benchmark.extra_info["records"] = len(docs)
    fired = benchmark.pedantic(plain.run, args=(prepared,), rounds=3, iterations=1)
    # the baseline computes what the library computes: the same fired clauses
    ids = {d["id"]: rid for d, rid in zip(docs, frame["record_id"], strict=True)}
    got = {(ids[doc], rule) for doc, rule in plain.fired_clauses()}
    want = {(v.record_id, rule) for v in engine.classify_many(records_of(frame))
            for rule in v.fired}
    assert fired == len(got) and got == want


RETE_RECORDS = 2_000


@per_record
def test_rete_backend(benchmark: Any, engine: hr.Engine, frame: Any, size: int,
                      missing: float) -> None:
    pytest.importorskip("durable")
    rete = hr.Engine(engine.rulesets, backend="rete")
    # ~10 ms a record on this workload: its first RETE_RECORDS records are enough
    norm = [engine._normalise(r).facts for r in records_of(frame.head(RETE_RECORDS))]
    compiled = [rete.compiled(ed.id) for ed in workload_editions(engine)]
    benchmark.extra_info["records"] = len(norm)

    def run() -> int:
        return sum(1 for facts in norm for c in compiled if c.evaluate(facts) is not None)

    assert benchmark.pedantic(run, rounds=3, iterations=1) > 0


@per_record
def test_reference_statuses(benchmark: Any, engine: hr.Engine, frame: Any, size: int,
                            missing: float) -> None:
    """The generated Python of each edition, on checked records: the editions in force
    on the record's date that may apply to its sector, each rule's status (what the
    durable_rules baseline computes, given the same typed records)."""
    checked = [engine._normalise(r) for r in records_of(frame)]
    records = [(r.inspected_on, engine._facts(r, "unknown")) for r in checked]
    benchmark.extra_info["records"] = len(records)
    evaluate = engine._evaluate

    def run() -> int:
        return sum(len(evaluate(on, facts, [])) for on, facts in records)

    assert benchmark.pedantic(run, rounds=5, iterations=1) > 0


@per_record
def test_reference_verdicts(benchmark: Any, engine: hr.Engine, frame: Any, size: int,
                            missing: float) -> None:
    """classify_many from input records: checking every field, editions, statuses,
    findings with evidence, undetermined rules with missing facts, Verdict objects."""
    records = records_of(frame)
    benchmark.extra_info["records"] = len(records)

    def fresh() -> tuple[tuple[hr.Engine], dict[str, Any]]:
        return (hr.Engine(engine.rulesets),), {}  # no warm memo of evidence; not timed

    def run(e: hr.Engine) -> int:
        return sum(1 for v in e.classify_many(records) if v.is_major)

    benchmark.pedantic(run, setup=fresh, rounds=3, iterations=1)


def _prepared(engine: hr.Engine, frame: Any) -> Any:
    from hazard_rules.backends.columnar.frame import normalise_frame

    return normalise_frame(frame, engine._normalise).data


def test_columnar_matrix(benchmark: Any, engine: hr.Engine, frame: Any, size: int,
                         missing: float) -> None:
    """The status matrix of every workload edition over every record (typed frame)."""
    from hazard_rules.backends.columnar import ColumnarEdition

    data = _prepared(engine, frame)
    compiled = [ColumnarEdition(ed) for ed in workload_editions(engine)]
    benchmark.extra_info["records"] = data.height

    def run() -> int:
        return sum(c.evaluate_frame(data)[1].width for c in compiled)

    assert benchmark.pedantic(run, rounds=3, iterations=1) > 0


def test_columnar_verdicts(benchmark: Any, engine: hr.Engine, frame: Any, size: int,
                           missing: float) -> None:
    """classify_frame from the raw frame: checking, editions by date and sector, status,
    fired and undetermined lists, errors, and the findings table."""
    benchmark.extra_info["records"] = frame.height
    result = benchmark.pedantic(engine.classify_frame, args=(frame,), rounds=3, iterations=1)
    assert result.verdicts_pl.height == frame.height


def test_numpy_limit(benchmark: Any, engine: hr.Engine, frame: Any, size: int,
                     missing: float) -> None:
    data = _prepared(engine, frame)
    limit = NumpyMatrix(workload_editions(engine), data)
    benchmark.extra_info["records"] = data.height
    assert benchmark.pedantic(limit.run, rounds=3, iterations=1) > 0
