from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

import hazard_rules as hr
from hazard_rules.build import load_rulesets_with_diagnostics
from hazard_rules.errors import render_diagnostics
from tests.conftest import FIXTURES, write_tree

ENTERPRISE = (FIXTURES / "rulesets" / "facts" / "enterprise.yaml").read_text(encoding="utf-8")
PLANT = (FIXTURES / "rulesets" / "facts" / "plant.yaml").read_text(encoding="utf-8")


def edition(id_: str, standard: str = "demo", extra: str = "", rules: str | None = None) -> str:
    rules = rules if rules is not None else (
        f"  - id: {id_}/1\n    article: 第一项\n    text: 未设置报警装置的。\n"
        "    when: not plant.alarm_installed\n")
    return (f"id: {id_}\nstandard: {standard}\ntitle: 标准\ndocument: 文号\n{extra}"
            f"facts: [plant]\nrules:\n{rules}")


def tree(tmp_path: Path, editions: dict[str, str]) -> Path:
    files = {"facts/enterprise.yaml": ENTERPRISE, "facts/plant.yaml": PLANT}
    files.update({f"{k}/ruleset.yaml": v for k, v in editions.items()})
    return write_tree(tmp_path, files)


def test_all_errors_of_a_broken_ruleset_are_reported_together(
        golden: Callable[[str, str], None]) -> None:
    rulesets, diags = load_rulesets_with_diagnostics(FIXTURES / "broken")
    assert rulesets is None
    text = render_diagnostics(diags).replace(str(FIXTURES), "tests/fixtures")
    golden("diagnostics/broken.txt", text + "\n")
    codes = [d.code for d in diags]
    assert codes == ["unknown-catalog", "unknown-fact", "missing-key", "unknown-key",
                     "duplicate-rule", "syntax", "rule-id", "unknown-unit"]


def test_misspelt_fact_names_file_line_column_and_suggestion() -> None:
    _, diags = load_rulesets_with_diagnostics(FIXTURES / "broken")
    [d] = [d for d in diags if d.code == "unknown-fact"]
    assert d.message == "unknown fact 'dust.dry_colector_in_use'"
    assert (d.span.source.name.endswith("bad-2024/ruleset.yaml"), d.span.line,
            d.span.column) == (True, 11, 11)
    assert d.hint == "did you mean 'dust.dry_collector_in_use'?"


def test_load_rulesets_raises_with_every_diagnostic() -> None:
    with pytest.raises(hr.RulesetError) as info:
        hr.load_rulesets(FIXTURES / "broken")
    assert len(info.value.diagnostics) == 8
    assert "8 errors, 0 warnings" in str(info.value)


def test_editions_are_found_from_a_root_an_edition_folder_or_its_file() -> None:
    root = FIXTURES / "rulesets"
    assert set(hr.load_rulesets(root).editions) == {"demo-2020", "demo-2023", "other-2021"}
    assert set(hr.load_rulesets(root / "demo-2023").editions) == {"demo-2023"}
    assert set(hr.load_rulesets(root / "other-2021" / "ruleset.yaml").editions) == {
        "other-2021"}


def test_bundled_rulesets_load_without_a_path(tmp_path: Path) -> None:
    rs = hr.load_rulesets()
    assert "weihua-2017" in rs.editions
    assert hr.bundled_rulesets_path().is_dir()
    # local rules that reuse the bundled catalogs, loaded together with the bundled ones
    local = write_tree(tmp_path, {"local-2025/ruleset.yaml": (
        "id: local-2025\nstandard: local\ntitle: 地方补充标准\ndocument: 某省〔2025〕1号\n"
        "effective_from: 2025-01-01\nfacts: [chem]\nrules:\n"
        "  - id: local-2025/1\n    article: 第一条\n    text: 未设置注水措施的。\n"
        "    when: chem.pressurized_lpg_tanks and not chem.lpg_tank_water_injection\n")})
    both = hr.load_rulesets(local / "local-2025", bundled=True)
    assert {"weihua-2017", "local-2025"} <= set(both.editions)
    with pytest.raises(hr.RulesetError, match="unknown-catalog: unknown fact catalog 'chem'"):
        hr.load_rulesets(local / "local-2025")


def test_supersedes_closes_the_previous_edition(demo_rulesets: hr.Rulesets) -> None:
    old = demo_rulesets.edition("demo-2020")
    assert old.effective_until == dt.date(2023, 5, 14)
    assert demo_rulesets.edition_for("demo", dt.date(2023, 5, 14)).id == "demo-2020"
    assert demo_rulesets.edition_for("demo", dt.date(2023, 5, 15)).id == "demo-2023"
    with pytest.raises(hr.NoEditionError, match=r"no edition of 'demo' is in force on "
                       r"2019-12-31; loaded editions: demo-2020 \(2020-01-01–2023-05-14\),"):
        demo_rulesets.edition_for("demo", dt.date(2019, 12, 31))


def test_overlapping_editions_of_a_standard_are_an_error(tmp_path: Path) -> None:
    root = tree(tmp_path, {"a-2020": edition("a-2020", extra="effective_from: 2020-01-01\n"),
                           "a-2022": edition("a-2022", extra="effective_from: 2022-01-01\n")})
    _, diags = load_rulesets_with_diagnostics(root)
    [d] = diags
    assert d.code == "edition-overlap"
    assert d.message == ("editions 'a-2020' and 'a-2022' of standard 'demo' are both in force "
                         "on 2022-01-01")
    assert d.hint == "set 'supersedes: a-2020' or an effective_until on a-2020"


def test_explicit_end_date_after_successor_start_is_an_error(tmp_path: Path) -> None:
    root = tree(tmp_path, {
        "a-2020": edition("a-2020", extra="effective_from: 2020-01-01\n"
                          "effective_until: 2022-06-30\n"),
        "a-2022": edition("a-2022", extra="effective_from: 2022-01-01\nsupersedes: a-2020\n")})
    _, diags = load_rulesets_with_diagnostics(root)
    assert [d.code for d in diags] == ["edition-overlap", "edition-overlap"]


def test_edition_folder_must_match_its_id(tmp_path: Path) -> None:
    root = tree(tmp_path, {"a-2021": edition("a-2020", extra="effective_from: 2020-01-01\n")})
    _, diags = load_rulesets_with_diagnostics(root)
    assert [(d.code, d.message) for d in diags] == [
        ("edition-folder", "edition 'a-2020' is in folder 'a-2021'")]


def test_schema_errors_name_the_key(tmp_path: Path) -> None:
    root = tree(tmp_path, {"a-2020": edition("a-2020", extra="effective_from: 2020-13-01\n"
                                             "supersede: x\n")})
    _, diags = load_rulesets_with_diagnostics(root)
    assert [(d.code, d.hint) for d in diags] == [
        ("schema", None), ("unknown-key", "did you mean 'supersedes'?")]
    assert diags[0].message.startswith("effective_from: Input should be a valid date")
    assert (diags[0].span.line, diags[0].span.column) == (5, 17)


def test_a_fact_catalog_must_be_named_after_its_namespace(tmp_path: Path) -> None:
    root = tree(tmp_path, {"a-2020": edition("a-2020", extra="effective_from: 2020-01-01\n")})
    (root / "facts" / "plants.yaml").write_text(PLANT.replace("namespace: plant",
                                                              "namespace: plant2"))
    _, diags = load_rulesets_with_diagnostics(root)
    assert [(d.code, d.hint) for d in diags] == [("catalog-name", "rename it to plant2.yaml")]


def test_enum_and_list_fact_specs_are_checked(tmp_path: Path) -> None:
    bad = ("namespace: x\nlabel: {zh: 甲, en: x}\nfacts:\n"
           "  e: {type: enum, label: {zh: 甲, en: e}}\n"
           "  l: {type: list, label: {zh: 乙, en: l}}\n"
           "  b: {type: bool, unit: kPa, label: {zh: 丙, en: b}}\n"
           "  BadName: {type: bool, label: {zh: 丁, en: d}}\n")
    root = write_tree(tmp_path, {"facts/x.yaml": bad})
    _, diags = load_rulesets_with_diagnostics(root)
    assert [d.message for d in diags] == [
        "facts.e: an enum fact needs 'values'",
        "facts.l: a list fact needs 'items'",
        "facts.b: 'unit' is only for int and float facts",
        "facts.BadName: 'BadName' is not a valid identifier here (pattern ^[a-z][a-z0-9_]*$)",
    ]
    assert [d.span.line for d in diags] == [4, 5, 6, 7]
