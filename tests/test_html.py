"""Rich display in Jupyter: verdicts, editions, rules; everything escaped, no script."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

import hazard_rules as hr
from hazard_rules.html import edition_html, rule_html, rulesets_html, verdict_html

RECORD = {"record_id": "R-0001", "inspected_on": "2024-06-01", "source": "inspection",
          "enterprise": {"sector": "light_industry", "scopes": ["ammonia_refrigeration"]},
          "facts": {"ammonia": {"quick_freeze_equipment": True,
                                "quick_freeze_in_separate_room": True,
                                "quick_freeze_room_workers": 12}}}


def _text(html: str) -> str:
    """The visible text: tags dropped, entities kept."""
    return re.sub(r"<[^>]+>", "", html)


def test_verdict_shows_status_clause_text_evidence_and_missing_facts(
        engine: hr.Engine) -> None:
    verdict = engine.classify(RECORD)
    html = verdict._repr_html_()
    assert html == verdict_html(verdict, engine.rulesets)
    text = _text(html)
    assert "存在重大事故隐患（1 项）" in text
    finding = verdict.findings[0]
    assert finding.text in text and finding.article in text and finding.rule_id in text
    assert "《工贸企业重大事故隐患判定标准》" in text
    assert ("快速冻结装置作业间内作业人员数量（ammonia.quick_freeze_room_workers）"
            " = 12 persons") in text
    undetermined = verdict.undetermined[0]
    assert undetermined.rule_id in text
    assert engine.rulesets.catalog[undetermined.missing[0]].label_zh in text
    assert "<script" not in html.lower() and "javascript:" not in html.lower()


def test_verdict_with_errors_and_no_editions(engine: hr.Engine) -> None:
    verdict = engine.classify({"record_id": "R-<b>", "inspected_on": "2024-13-01"})
    text = _text(verdict._repr_html_())
    assert "R-&lt;b&gt;" in text and "无法判定（输入有误）" in text
    assert "[bad-date] inspected_on inspected_on &#x27;2024-13-01&#x27; is not a date" in text


def test_everything_from_data_is_escaped(engine: hr.Engine) -> None:
    rule = engine.rulesets.rule("gongmao-2023/12.2")
    evil = dataclasses.replace(rule, text='<script>alert("x")</script>&', article="<b>",
                               tags=("<i>",), notes="<img src=x onerror=alert(1)>")
    html = rule_html(evil, engine.rulesets)
    assert "<script" not in html and "<img" not in html and "&lt;b&gt;" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in html
    edition = engine.rulesets.edition("gongmao-2023")
    html = edition_html(dataclasses.replace(edition, rules=(evil,), title="<标准>"))
    assert "<script" not in html and "&lt;标准&gt;" in html
    verdict = engine.classify(RECORD)
    finding = dataclasses.replace(verdict.findings[0], text="<script>x</script>")
    html = verdict_html(dataclasses.replace(verdict, findings=(finding,)), engine.rulesets)
    assert "<script" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


EDITIONS = sorted(p.name for p in hr.bundled_rulesets_path().iterdir()
                  if (p / "ruleset.yaml").is_file())


@pytest.mark.parametrize("edition_id", EDITIONS)
def test_every_edition_shows_every_rule(edition_id: str, bundled: hr.Rulesets) -> None:
    import html as std

    edition = bundled.edition(edition_id)
    page = edition._repr_html_()
    assert page.count("<tr>") == 1 + len(edition.rules) + len(edition.missing_text)
    for rule in edition.rules:
        assert std.escape(rule.text) in page
    assert std.escape(edition.title) in page


def test_rule_shows_conditions_and_fact_labels(bundled: hr.Rulesets) -> None:
    rule = bundled.rule("gongmao-2023/11.3")
    text = _text(rule._repr_html_())
    assert rule.text in text and rule.article in text
    assert "dust.dry_collector_in_use and not dust.dry_collector_explosion_control" in text
    assert "使用干式除尘系统" in text  # the fact's label


def test_rulesets_table(bundled: hr.Rulesets) -> None:
    html = bundled._repr_html_()
    assert html == rulesets_html(bundled)
    assert f"{len(bundled)} 个版本" in html
    assert html.count("<tr>") == 1 + len(bundled)


def test_clear_verdict_without_labels_available() -> None:
    verdict = hr.Verdict("R-1", dt.date(2024, 1, 2), hr.Status.CLEAR, ("x-1",))
    text = _text(verdict_html(verdict, hr.Rulesets({}, hr.Catalog({}, {}))))
    assert "未发现重大事故隐患" in text and "x-1" in text
