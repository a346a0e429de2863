"""Each static check of ``validate --strict`` on a broken fixture ruleset, pinned by golden
files of the exact rendered diagnostics; and the bundled rulesets pass with no error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import hazard_rules as hr
from hazard_rules.errors import Severity, render_diagnostics
from hazard_rules.lint import LintReport, lint, load_config
from tests.conftest import FIXTURES, STANDARDS

#: fixture folders (relative to tests/fixtures) -> the checks they demonstrate
FIXTURE_CHECKS = {
    "conditions": (["lint/cond-2024"], {"unsatisfiable-when", "unsatisfiable-applies",
                                        "never-fires", "always-true", "equivalent-rules"}),
    "cases": (["lint/cases-2024"], {"no-positive-case", "no-negative-case"}),
    "editions": (["lint/std-2019", "lint/std-2021"], {"edition-gap"}),
    "citations": (["lint/cite-2024"], {"citation-format", "citation-mismatch",
                                       "duplicate-citation"}),
    "text": (["lint/text-2024", "lint/text2-2024"], {"text-mismatch", "text-unchecked"}),
    "catalog": (["lint-unused"], {"unused-fact", "unused-catalog"}),
    "suppressions": (["lint/sup-2024"], {"suppression-without-reason", "unused-suppression",
                                         "unknown-check", "always-true", "equivalent-rules"}),
}


def _lint(paths: list[str], monkeypatch: pytest.MonkeyPatch) -> LintReport:
    monkeypatch.chdir(FIXTURES)
    rulesets = hr.load_rulesets(*paths)
    config = None
    if paths == ["lint/sup-2024"]:
        config, problems = load_config(Path("lint/sup-2024/hazard-rules.yaml"))
        assert problems == []
    standards = Path("lint/standards") if paths[0].startswith("lint/text") else None
    return lint(rulesets, config=config, standards=standards)


@pytest.mark.parametrize("name", list(FIXTURE_CHECKS))
def test_each_check_on_its_broken_fixture(name: str, monkeypatch: pytest.MonkeyPatch,
                                          golden: Callable[[str, str], None]) -> None:
    paths, codes = FIXTURE_CHECKS[name]
    report = _lint(paths, monkeypatch)
    golden(f"lint/{name}.txt", render_diagnostics(report.diagnostics) + "\n")
    found = {d.code for d in report.diagnostics} - {"text-unchecked"} | (
        {"text-unchecked"} if name == "text" and any(
            d.code == "text-unchecked" for d in report.diagnostics) else set())
    assert found == codes


def test_every_check_is_demonstrated_by_a_fixture() -> None:
    from hazard_rules.lint import CHECKS

    shown = set().union(*(codes for _, codes in FIXTURE_CHECKS.values()))
    # too-complex needs a condition with more than 20,000 alternatives: see test_solver
    assert set(CHECKS) - shown == {"condition-too-complex"}


def test_suppressions_keep_their_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _lint(["lint/sup-2024"], monkeypatch)
    got = sorted((s.diagnostic.code, s.diagnostic.message, s.kind, s.reason)
                 for s in report.suppressed)
    assert got == [
        ("equivalent-rules", "sup-2024/2 fires on exactly the records sup-2024/1 fires on",
         "inSource", "标准第二项重复了第一项，照录"),
        ("equivalent-rules", "sup-2024/6 fires on exactly the records sup-2024/1 fires on",
         "external", "disabled in the configuration"),
        ("equivalent-rules", "sup-2024/6 fires on exactly the records sup-2024/2 fires on",
         "external", "disabled in the configuration"),
        ("equivalent-rules", "sup-2024/6 fires on exactly the records sup-2024/3 fires on",
         "external", "disabled in the configuration"),
    ]
    # the configuration raised always-true to an error for sup-2024/4 only
    [d] = [d for d in report.diagnostics if d.code == "always-true"]
    assert d.severity is Severity.ERROR and d.message.startswith("sup-2024/4:")


def test_unused_facts_are_not_reported_when_only_some_editions_are_loaded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    report = lint(hr.load_rulesets("lint/cases-2024"))
    assert "unused-fact" in report.skipped
    assert not [d for d in report.diagnostics if d.code == "unused-fact"]


def test_config_file_errors_name_the_unknown_check(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("checks:\n  unused-facts: off\nrules:\n  'x/*':\n    bogus: error\n",
                   encoding="utf-8")
    config, diags = load_config(cfg)
    assert config is None
    assert [(d.code, d.message, d.span.line if d.span else None) for d in diags] == [
        ("unknown-check", "unknown check 'unused-facts'", 2),
        ("unknown-check", "unknown check 'bogus'", 5)]
    cfg.write_text("checks:\n  unused-fact: loud\n", encoding="utf-8")
    config, diags = load_config(cfg)
    assert config is None and [d.code for d in diags] == ["schema"]


def test_standards_path_in_config_is_relative_to_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "sub" / ".hazard-rules.yaml"
    cfg.parent.mkdir()
    cfg.write_text("standards: ../texts\n", encoding="utf-8")
    config, diags = load_config(cfg)
    assert diags == [] and config is not None
    assert config.standards == tmp_path / "sub" / ".." / "texts"


def test_bundled_rulesets_pass_strict_with_no_findings(bundled: hr.Rulesets) -> None:
    report = lint(bundled, standards=STANDARDS if STANDARDS.is_dir() else None)
    assert [d.render() for d in report.diagnostics] == []
    assert report.suppressed == []
