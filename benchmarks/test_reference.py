"""The reference per-record backend, against a tree-walking interpreter in the same run.

    python -m pytest benchmarks --benchmark-only --benchmark-columns=mean,ops

Rows of one group share the same records; the "(x)" figures pytest-benchmark prints
are the ratios between them.
"""

from __future__ import annotations

from typing import Any

import pytest

import hazard_rules as hr
from hazard_rules.interpret import compile_truth
from hazard_rules.logic import FALSE
from hazard_rules.records import Normaliser


@pytest.fixture(scope="module")
def normalised(rulesets: hr.Rulesets, records: list[Any]) -> list[dict[str, Any]]:
    norm = Normaliser(rulesets.catalog)
    return [r.facts for r in map(norm, records) if r.inspected_on is not None]


@pytest.mark.benchmark(group="verdicts")
def test_classify_many_full_verdicts(benchmark: Any, rulesets: hr.Rulesets,
                                     records: list[Any]) -> None:
    """Checking, edition choice, evaluation, evidence and missing facts, per record."""

    def run() -> int:
        engine = hr.Engine(rulesets)  # a fresh engine: no warm memo
        return sum(1 for _ in engine.classify_many(records))

    assert benchmark(run) == len(records)


@pytest.mark.benchmark(group="statuses")
def test_generated_python_statuses(benchmark: Any, rulesets: hr.Rulesets,
                                   normalised: list[dict[str, Any]]) -> None:
    """Rule statuses of every edition from already-checked facts: the generated code."""
    compiled = [hr.Engine(rulesets).compiled(e) for e in rulesets.editions]

    def run() -> int:
        return sum(1 for facts in normalised for c in compiled if c.evaluate(facts))

    assert benchmark(run) > 0


@pytest.mark.benchmark(group="statuses")
def test_interpreter_statuses_baseline(benchmark: Any, rulesets: hr.Rulesets,
                                       normalised: list[dict[str, Any]]) -> None:
    """The same statuses from the IR interpreter (closures), one rule at a time."""
    editions = []
    for ed in rulesets:
        applies = compile_truth(ed.applies) if ed.applies is not None else None
        rules = [(compile_truth(r.applies) if r.applies is not None else None,
                  compile_truth(r.when)) for r in ed.rules]
        editions.append((applies, rules))

    def run() -> int:
        n = 0
        for facts in normalised:
            for applies, rules in editions:
                e = applies(facts, {})[0] if applies else 2
                if e == FALSE:
                    continue
                n += 1
                for a_fn, w_fn in rules:
                    a = a_fn(facts, {})[0] if a_fn else 2
                    _ = 3 if a == FALSE else min(e, a, w_fn(facts, {})[0])
        return n

    assert benchmark(run) > 0

