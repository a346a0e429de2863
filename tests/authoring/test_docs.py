"""The rule catalog: golden pages, determinism, every bundled rule, escaping."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

import hazard_rules as hr
from hazard_rules.authoring import docs_html, docs_md
from hazard_rules.authoring.docs import EditionPage, catalog_pages, write_docs
from tests.conftest import FIXTURES

DEMO = FIXTURES / "rulesets"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_pages_of_the_fixture_rulesets(tmp_path: Path, fmt: str,
                                              golden: Callable[[str, str], None]) -> None:
    written = write_docs(tmp_path, hr.load_rulesets(DEMO), formats=[fmt])
    assert [p.name for p in written] == [f"index.{fmt}", f"demo-2020.{fmt}",
                                         f"demo-2023.{fmt}", f"other-2021.{fmt}"]
    for name in ("index", "demo-2020", "demo-2023"):
        golden(f"docs/{name}.{fmt}", (tmp_path / f"{name}.{fmt}").read_text(encoding="utf-8"))


def test_output_is_byte_identical_wherever_the_rulesets_are(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "rulesets"
    shutil.copytree(DEMO, copy)
    a = write_docs(tmp_path / "a", hr.load_rulesets(DEMO))
    b = write_docs(tmp_path / "b", hr.load_rulesets(copy))
    assert [p.name for p in a] == [p.name for p in b]
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
        assert str(tmp_path) not in pa.read_text(encoding="utf-8")


def test_english_pages(demo_rulesets: hr.Rulesets) -> None:
    pages = {p.id: p for p in catalog_pages(demo_rulesets, lang="en")}
    text = docs_md.edition_page(pages["demo-2023"], pages, "en")
    assert "**Condition**" in text
    assert '- not "Alarm installed" or not "Alarm interlocked"' in text
    assert "| alarm-not-linked | fires | demo-2023/cases/cases.yaml:2 |" in text


def test_status_by_the_rulesets_dates_or_on_a_day(demo_rulesets: hr.Rulesets) -> None:
    def status(as_of: dt.date | None) -> dict[str, str]:
        return {p.id: p.status for p in catalog_pages(demo_rulesets, as_of=as_of)}

    assert status(None) == {"demo-2020": "superseded", "demo-2023": "in force",
                            "other-2021": "in force"}
    assert status(dt.date(2020, 6, 1)) == {"demo-2020": "in force",
                                           "demo-2023": "not yet in force",
                                           "other-2021": "not yet in force"}
    assert status(dt.date(2023, 5, 15))["demo-2020"] == "superseded"


def test_cases_of_each_rule_with_what_they_expect(demo_rulesets: hr.Rulesets) -> None:
    pages = {p.id: p for p in catalog_pages(demo_rulesets)}
    rule = next(r for r in pages["demo-2023"].rules if r.id == "demo-2023/2.5")
    assert [(c.name, c.expects) for c in rule.cases] == [
        ("nine-workers", "does not fire"), ("test-overdue", "fires")]
    # a case in other-2021's folder that names a demo-2023 rule is listed there too
    first = next(r for r in pages["demo-2023"].rules if r.id == "demo-2023/1.1")
    assert "other-2021/cases/cases.yaml" in {c.file for c in first.cases}
    assert (pages["demo-2023"].cases, pages["other-2021"].cases) == (15, 3)  # as `coverage` counts


class _Balance(HTMLParser):
    """Checks that every element is closed, in order (void elements excepted)."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"


def assert_well_formed(html: str) -> None:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert parser.stack == []


@pytest.fixture(scope="module")
def bundled_pages() -> tuple[hr.Rulesets, tuple[EditionPage, ...]]:
    rulesets = hr.load_rulesets()
    return rulesets, catalog_pages(rulesets)


def test_every_bundled_edition_and_rule_appears(
        bundled_pages: tuple[hr.Rulesets, tuple[EditionPage, ...]]) -> None:
    rulesets, pages = bundled_pages
    known = {p.id for p in pages}
    assert [p.id for p in pages] == list(rulesets.editions)
    index_md, index_html = docs_md.index_page(pages), docs_html.index_page(pages)
    for page in pages:
        ed = rulesets.edition(page.id)
        assert f"]({ed.id}.md)" in index_md and f'href="{ed.id}.html"' in index_html
        md, html = docs_md.edition_page(page, known), docs_html.edition_page(page, known)
        md_anchors = re.findall(r'<a id="([^"]+)"></a>', md)
        html_anchors = re.findall(r'<section class="rule" id="([^"]+)">', html)
        assert md_anchors == html_anchors == [f"rule-{r.id.split('/', 1)[1]}"
                                              for r in ed.rules]
        for rule in ed.rules:
            assert f"### {rule.id} · " in md.replace("\\", "")
            assert f">{rule.id}</a> · " in html
        for m in ed.missing_text:
            assert docs_md.md(m.article) in md
        assert html.count("<section") == len(ed.rules)
        assert "<script" not in html.lower()
        assert_well_formed(html)
    assert_well_formed(index_html)


def test_rulesets_from_strangers_are_escaped(tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(DEMO, root)
    facts = root / "facts" / "plant.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "label: {zh: 已设置报警装置, en: Alarm installed}",
        "label: {zh: \"<script>alert(1)</script>\", en: \"<img src=x onerror=alert(1)>\"}"),
        encoding="utf-8")
    edition = root / "demo-2023" / "ruleset.yaml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        "text: 超过一年未检测的。",
        "text: \"超过一年未检测的。[click](javascript:alert(1)) | <b>x</b> & ``` *\"").replace(
        "tags: [报警]", "tags: [\"</a><script>x</script>\"]"), encoding="utf-8")
    out = tmp_path / "docs"
    write_docs(out, hr.load_rulesets(root))
    html = (out / "demo-2023.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img" not in html and "<b>" not in html
    assert_well_formed(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "[click](javascript:alert(1)) | &lt;b&gt;x&lt;/b&gt; &amp; ``` *" in html
    assert 'href="javascript' not in html
    md = (out / "demo-2023.md").read_text(encoding="utf-8")
    assert "<script" not in md.lower() and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "\\[click\\](javascript:alert(1)) \\| &lt;b&gt;x&lt;/b&gt; &amp; \\`\\`\\` \\*" in md


def test_markdown_fences_outlast_backticks_in_a_condition() -> None:
    assert docs_md.fence('p.name == "````"') == '`````\np.name == "````"\n`````'


def test_unknown_language_or_format_is_refused(tmp_path: Path) -> None:
    empty = hr.Rulesets({}, hr.Catalog({}, {}))
    with pytest.raises(ValueError, match="lang must be"):
        write_docs(tmp_path, empty, lang="fr")
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        write_docs(tmp_path, empty, formats=["pdf"])
    assert list(tmp_path.iterdir()) == []
