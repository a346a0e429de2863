"""The bundled rulesets: every case passes, every rule is covered and quotes its clause."""

from __future__ import annotations

import re

import pytest

import hazard_rules as hr
from hazard_rules.cases import check_case_files, run_cases
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


NUMBER_LABEL = re.compile(
    r"(第[一二三四五六七八九十百零]+条[ 　]*)?"
    r"([（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+、|"
    r"[0-9]+(\.[0-9]+)*[.．、]?|[a-z][)）])?[ 　]*|[-*>|]\s*")


def _official_text(source: str) -> str:
    text = (STANDARDS / source).read_text(encoding="utf-8")
    return text.split("## 正文", 1)[1] if "## 正文" in text else text


@pytest.mark.skipif(not STANDARDS.is_dir(), reason="../shared/standards is not beside the repo")
@pytest.mark.parametrize("edition", list(BUNDLED), ids=lambda e: e.id)
def test_rule_text_is_verbatim_from_the_standard(edition: hr.Edition) -> None:
    assert edition.source is not None
    official = _official_text(edition.source)
    lines = official.splitlines()
    for rule in edition.rules:
        assert rule.text in official, f"{rule.id}: text not found verbatim in {edition.source}"
        # and it is a whole item: outside the text, its line holds at most a number label
        # such as （三）, 三、, 第十一条, 4.1.1, （1）, 1. or a)
        [line] = [ln for ln in lines if rule.text in ln][:1]
        rest = line.replace(rule.text, "", 1).strip()
        assert NUMBER_LABEL.fullmatch(rest), f"{rule.id}: text is only part of: {line!r}"


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
            parts = [number(m) for m in re.findall(r"[第（]([一二三四五六七八九十]+)[条项）]",
                                                    rule.article)]
            if not parts:  # numbered otherwise (4.1.1, a)...): the edition notes explain it
                continue
            expected = ".".join(str(p) for p in parts)
            assert rule.id == f"{edition.id}/{expected}", (rule.id, rule.article)
