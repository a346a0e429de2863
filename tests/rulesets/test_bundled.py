"""The bundled rulesets: every case passes, every rule is covered and quotes its clause."""

from __future__ import annotations

import re

import pytest

import hazard_rules as hr
from hazard_rules import ir
from hazard_rules.cases import check_case_files, run_cases
from hazard_rules.lint.sources import locate, official_lines
from tests.conftest import STANDARDS

BUNDLED = hr.load_rulesets()
CASES, CASE_PROBLEMS = check_case_files(BUNDLED)
ENGINE = hr.Engine(BUNDLED)


def test_case_files_are_valid() -> None:
    assert [d.render() for d in CASE_PROBLEMS] == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.edition.id}:{c.spec.name}")
def test_case(case) -> None:  # type: ignore[no-untyped-def]
    from hazard_rules.cases import TestReport, _run

    result = _run(ENGINE, case, TestReport())
    assert result.failures == [], f"{result.location} {result.name}"


def test_every_rule_has_a_positive_and_a_negative_case() -> None:
    report = run_cases(BUNDLED, ENGINE)
    assert [(c.rule_id, c.positive, c.negative) for c in report.uncovered] == []
    assert report.ok


@pytest.mark.parametrize("edition", list(BUNDLED), ids=lambda e: e.id)
def test_clause_accounting(edition: hr.Edition) -> None:
    """Rules plus clauses without text add up to the clauses of the standard; only a
    partial text may leave the total unknown, and then it must say so."""
    assert edition.source is not None
    if edition.clauses is None:
        assert edition.missing_text or edition.notes, (
            "declare 'clauses:', or explain in notes why the total is unknown")
    else:
        assert len(edition.rules) + len(edition.missing_text) == edition.clauses


@pytest.mark.skipif(not STANDARDS.is_dir(), reason="../shared/standards is not beside the repo")
@pytest.mark.parametrize("edition", list(BUNDLED), ids=lambda e: e.id)
def test_rule_text_is_verbatim_from_the_standard(edition: hr.Edition) -> None:
    """Each rule's text is a whole clause of the official text: every line of it is a
    whole line of the standard file (but for its number label), in order."""
    assert edition.source is not None
    lines = official_lines((STANDARDS / edition.source).read_text(encoding="utf-8"))
    problems = {rule.id: why for rule in edition.rules
                if (why := locate(rule.text, lines)) is not None}
    assert problems == {}


CHINESE_CITATION = re.compile(
    r"第[一二三四五六七八九十]+(条(第（[一二三四五六七八九十]+）项)?|项)")


def test_rule_ids_follow_the_article_numbers() -> None:
    numerals = "一二三四五六七八九十"

    def number(zh: str) -> int:
        if zh == "十":
            return 10
        if zh.startswith("十"):
            return 10 + numerals.index(zh[1]) + 1
        if "十" in zh:
            tens, _, ones = zh.partition("十")
            return (numerals.index(tens) + 1) * 10 + (numerals.index(ones) + 1 if ones else 0)
        return numerals.index(zh) + 1

    for edition in BUNDLED:
        for rule in edition.rules:
            # only citations of the form 第X条, 第X条第（Y）项 or 第X项 are checked; other
            # numbering schemes (4.1 a), 专项类…第1项, 一、地下矿山（三）) are explained
            # in their edition's notes
            if not CHINESE_CITATION.fullmatch(rule.article):
                continue
            parts = [number(m) for m in re.findall(r"[第（]([一二三四五六七八九十]+)[条项）]",
                                                    rule.article)]
            expected = ".".join(str(p) for p in parts)
            assert rule.id == f"{edition.id}/{expected}", (rule.id, rule.article)


def _threshold_values() -> dict[str, dict[str, set[float]]]:
    """Per edition, the numeric values each fact takes in the edition's case records."""
    from hazard_rules.records import Normaliser

    norm = Normaliser(BUNDLED.catalog)
    seen: dict[str, dict[str, set[float]]] = {}
    for case in CASES:
        from hazard_rules.cases import _record

        for name, v in norm(_record(case)).facts.items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                seen.setdefault(case.edition.id, {}).setdefault(name, set()).add(v)
    return seen


@pytest.mark.parametrize("edition", list(BUNDLED), ids=lambda e: e.id)
def test_every_numeric_threshold_has_boundary_cases(edition: hr.Edition) -> None:
    """A fact compared with a number is tested just below, at and just above it."""
    values = _threshold_values().get(edition.id, {})
    gaps = []
    for rule in edition.rules:
        for cond in (rule.when, rule.applies):
            for node in (ir.walk(cond) if cond is not None else ()):
                if not (isinstance(node, ir.Compare) and node.op in ("<", "<=", ">", ">=")):
                    continue
                fact, const = node.left, node.right
                if isinstance(fact, ir.Const):
                    fact, const = const, fact
                if not (isinstance(fact, ir.Fact) and isinstance(const, ir.Const)
                        and isinstance(const.value, int | float)):
                    continue
                got = values.get(fact.name, set())
                c = const.value
                low, high = BUNDLED.catalog[fact.name].minimum, BUNDLED.catalog[fact.name].maximum
                below = any(v < c for v in got) or (low is not None and c <= low)
                above = any(v > c for v in got) or (high is not None and c >= high)
                missing = [w for w, ok in (("below", below), ("at", c in got), ("above", above))
                           if not ok]
                if missing:
                    gaps.append(f"{rule.id}: {ir.dump(node)} has no case {', '.join(missing)}")
    assert gaps == []
