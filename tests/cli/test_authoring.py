"""validate --strict, test coverage and the CI report formats (JUnit XML, SARIF, JSON)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from hazard_rules.cli import main
from tests.conftest import FIXTURES, STANDARDS

SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text(
    encoding="utf-8"))
DEMO = str(FIXTURES / "rulesets")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def validate_sarif(log: dict[str, object]) -> None:
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)


def test_strict_finds_what_plain_validate_does_not(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    code, out, _ = run(capsys, "validate", "lint/cond-2024")
    assert code == 0 and out.startswith("ok: 1 editions, 9 rules")
    code, out, _ = run(capsys, "validate", "--strict", "lint/cond-2024")
    assert code == 2
    assert out.rstrip().endswith("6 errors, 2 warnings")
    assert ("lint/cond-2024/ruleset.yaml:14:11: error: unsatisfiable-when: cond-2024/1: "
            "`when` can never be TRUE") in out


def test_strict_report_files_alongside_text(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.chdir(FIXTURES)
    sarif, junit, js = tmp_path / "r.sarif", tmp_path / "r.xml", tmp_path / "r.json"
    code, out, _ = run(capsys, "validate", "--strict", "lint/sup-2024",
                       "--config", "lint/sup-2024/hazard-rules.yaml", "--sarif", str(sarif),
                       "--junit-xml", str(junit), "--json", str(js))
    assert code == 2
    assert "4 findings suppressed" in out and "3 errors, 3 warnings" in out
    log = json.loads(sarif.read_text(encoding="utf-8"))
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert len(results) == 6 + 4  # 3 errors and 3 warnings reported, 4 suppressed
    suppressed = [r for r in results if "suppressions" in r]
    assert sorted((r["ruleId"], r["suppressions"][0]["kind"]) for r in suppressed) == [
        ("equivalent-rules", "external")] * 3 + [("equivalent-rules", "inSource")]
    first = next(r for r in results if r["ruleId"] == "suppression-without-reason")
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "lint/sup-2024/ruleset.yaml",
                                       "uriBaseId": "%SRCROOT%"}
    assert (loc["region"]["startLine"], loc["region"]["startColumn"]) == (21, 22)
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert all(results[i]["ruleId"] == rule_ids[results[i]["ruleIndex"]]
               for i in range(len(results)))
    suite = ET.parse(junit).getroot()
    assert (suite.tag, suite.get("tests"), suite.get("failures")) == ("testsuites", "3", "1")
    failing = suite.find(".//testcase[failure]")
    assert failing is not None and failing.get("name") == "lint/sup-2024/ruleset.yaml"
    failure = failing.find("failure")
    assert failure is not None and failure.get("message") == (
        "3 errors: always-true; suppression-without-reason; unknown-check")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["ok"] is False and data["strict"] is True
    assert [s["reason"] for s in data["suppressed"] if s["kind"] == "inSource"] == [
        "标准第二项重复了第一项，照录"]


def test_config_file_is_found_in_the_working_folder(capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "lint", tmp_path / "lint")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "validate", "--strict", "lint/cases-2024")
    assert code == 2 and "no-positive-case" in out
    (tmp_path / ".hazard-rules.yaml").write_text(
        "checks:\n  no-positive-case: warning\n  no-negative-case: off\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--strict", "lint/cases-2024")
    assert code == 0
    assert out.count("warning: no-positive-case") == 3 and "no-negative-case" not in out


def test_bundled_rulesets_pass_strict_validation_in_sarif(
        capsys: pytest.CaptureFixture[str]) -> None:
    args = ["validate", "--strict", "--format", "sarif"]
    if STANDARDS.is_dir():
        args += ["--standards", str(STANDARDS)]
    code, out, _ = run(capsys, *args)
    log = json.loads(out)
    validate_sarif(log)
    assert code == 0 and log["runs"][0]["results"] == []


def test_list_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--list-checks")
    assert code == 0
    assert "  unsatisfiable-when          error    a rule's `when` can never be TRUE" in out


def test_min_coverage_and_todo(capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(FIXTURES)
    code, out, _ = run(capsys, "test", DEMO, "--min-coverage", "89")
    assert code == 0 and "minimum 89% met" in out
    code, out, _ = run(capsys, "test", DEMO, "--min-coverage", "90", "--junit-xml",
                       str(tmp_path / "t.xml"), "--sarif", str(tmp_path / "t.sarif"))
    assert code == 1 and "condition coverage: 89.4% (42/47" in out and "below the minimum 90%"
    root = ET.parse(tmp_path / "t.xml").getroot()
    cond = root.find("testsuite[@name='condition coverage']/testcase/failure")
    assert cond is not None and cond.get("message") == "condition coverage 89.4% is below 90%"
    log = json.loads((tmp_path / "t.sarif").read_text(encoding="utf-8"))
    validate_sarif(log)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["condition-coverage"]
    # a todo case does not fail, is counted, and is a skipped test in JUnit
    code, out, _ = run(capsys, "test", "lint/cases-2024", "--format", "junit")
    root = ET.fromstring(out)
    skipped = root.find(".//testcase[@name='coal']/skipped")
    assert skipped is not None and skipped.get("message") == (
        "todo: the fuel is not reported by the inspection form yet")
    assert root.get("skipped") == "1"
    code, out, _ = run(capsys, "test", "lint/cases-2024", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["summary"] == {"cases": 4, "failed": 0, "todo": 1, "rules": 4,
                                             "rules_uncovered": 4}
    rule4 = next(r for r in data["rules"] if r["rule_id"] == "cases-2024/4")
    assert (rule4["tp"], rule4["fp"], rule4["fn"], rule4["tn"], rule4["todo"]) == (
        0, 0, 0, 3, 1)
    assert {"rule_id": "cases-2024/1", "atom": "lint.alarm",
            "missing": ["TRUE", "FALSE"]} in data["conditions"]["uncovered"]


def test_failing_case_is_a_sarif_result_at_the_case(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(FIXTURES / "rulesets", root)
    cases = root / "demo-2023" / "cases" / "cases.yaml"
    cases.write_text(cases.read_text(encoding="utf-8").replace(
        "plant.load: 11.1", "plant.load: 11.0"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "test", "rulesets", "--format", "sarif")
    log = json.loads(out)
    validate_sarif(log)
    failed = [r for r in log["runs"][0]["results"] if r["ruleId"] == "case-failed"]
    assert code == 1 and len(failed) == 1
    loc = failed[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "rulesets/demo-2023/cases/cases.yaml"
    assert loc["region"]["startLine"] == 14
    assert "expected demo-2023/1.3 to fire, but it is FALSE" in failed[0]["message"]["text"]
