"""The pre-commit hooks and the GitHub Actions example run as written."""

from __future__ import annotations

import json
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from hazard_rules.build import bundled_rulesets_path
from hazard_rules.cli import main
from tests.conftest import FIXTURES

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text(
    encoding="utf-8"))


def test_pre_commit_hooks_run_on_a_rulesets_tree(capsys: pytest.CaptureFixture[str]) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["hazard-rules-validate", "hazard-rules-test"]
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        program, *args = shlex.split(hook["entry"])
        assert program == "hazard-rules"
        assert main([*args, str(FIXTURES / "rulesets")]) == 0, hook["id"]
        assert main([*args, str(FIXTURES / "lint" / "cases-2024")]) != 0, hook["id"]
    capsys.readouterr()


def test_github_workflow_steps_pass_on_the_bundled_rulesets(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    workflow = yaml.safe_load((REPO / "examples" / "ci" / "rulesets.yml").read_text(
        encoding="utf-8"))
    steps = workflow["jobs"]["rulesets"]["steps"]
    commands = [s["run"] for s in steps if s.get("run", "").startswith("hazard-rules ")]
    assert len(commands) == 2
    shutil.copytree(bundled_rulesets_path(), tmp_path / "rulesets")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        _, *args = shlex.split(command)
        assert main(args) == 0, command
    capsys.readouterr()
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    sarif_dir = tmp_path / upload["with"]["sarif_file"]
    for sarif in sorted(sarif_dir.glob("*.sarif")):
        jsonschema.Draft7Validator(SARIF_SCHEMA).validate(json.loads(sarif.read_text(
            encoding="utf-8")))
    assert sorted(p.name for p in sarif_dir.iterdir()) == [
        "test.sarif", "test.xml", "validate.sarif", "validate.xml"]
    tests = ET.parse(sarif_dir / "test.xml").getroot()
    assert int(tests.get("tests", "0")) > 3000 and tests.get("failures") == "0"
