"""``hazard-rules diff``: text and JSON output, records, exit codes 0, 1 and 2."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hazard_rules.cli import main
from tests.authoring.test_diff import write_records
from tests.conftest import FIXTURES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run from a copy of the fixture rulesets, so that paths in the output are short."""
    shutil.copytree(FIXTURES / "rulesets", tmp_path / "rulesets")
    monkeypatch.chdir(tmp_path)
    write_records(tmp_path / "records.jsonl")
    return tmp_path


def test_text_output_with_records(capsys: pytest.CaptureFixture[str], in_fixtures: Path,
                                  golden: Callable[[str, str], None]) -> None:
    code, out, err = run(capsys, "diff", "rulesets/demo-2020", "rulesets/demo-2023",
                         "--records", "records.jsonl")
    assert code == 1 and err == ""
    golden("diff/demo-2020-demo-2023.txt", out)


def test_json_output_to_a_file(capsys: pytest.CaptureFixture[str], in_fixtures: Path) -> None:
    code, out, _ = run(capsys, "diff", "rulesets/demo-2020", "rulesets/demo-2023",
                       "--records", "records.jsonl", "--format", "json", "-o", "diff.json")
    assert code == 1 and out == ""
    data = json.loads((in_fixtures / "diff.json").read_text(encoding="utf-8"))
    assert data["mode"] == "editions" and data["differs"]
    assert data["summary"]["records"]["transitions"] == {"major -> undetermined": 1,
                                                         "undetermined -> major": 1}
    assert [c["record_id"] for c in data["records"]["changes"]] == ["R-1", "R-4"]


def test_no_differences_exit_0(capsys: pytest.CaptureFixture[str], in_fixtures: Path) -> None:
    code, out, _ = run(capsys, "diff", "rulesets", "rulesets", "--records", "records.jsonl")
    assert code == 0
    assert out.splitlines()[-1] == "no differences: 3 editions, 11 rules"
    assert "records records.jsonl: 6 records, 0 change verdict" in out


def test_json_of_identical_editions(capsys: pytest.CaptureFixture[str],
                                    in_fixtures: Path) -> None:
    code, out, _ = run(capsys, "diff", "rulesets/demo-2020", "rulesets/demo-2020/ruleset.yaml",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and not data["differs"]
    assert data["summary"]["rules"]["unchanged"] == 2 and data["editions"][0]["rules"] == []


@pytest.mark.parametrize("argv", [
    ("rulesets/demo-2020", "nowhere"),
    ("rulesets/demo-2020", "rulesets/demo-2023", "--records", "missing.jsonl"),
    ("rulesets/other-2021", str(FIXTURES.parent.parent / "rulesets")),  # no counterpart
])
def test_invalid_input_exits_2(capsys: pytest.CaptureFixture[str], in_fixtures: Path,
                               argv: tuple[str, ...]) -> None:
    code, out, err = run(capsys, "diff", *argv)
    assert code == 2 and out == ""
    assert err.startswith("hazard-rules: ")


def test_an_invalid_ruleset_exits_2_with_diagnostics(capsys: pytest.CaptureFixture[str],
                                                     in_fixtures: Path) -> None:
    path = in_fixtures / "rulesets" / "demo-2023" / "ruleset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "plant.has_furnace and plant.workers", "plant.has_furnac and plant.workers"),
        encoding="utf-8")
    code, out, err = run(capsys, "diff", "rulesets/demo-2020", "rulesets/demo-2023")
    assert code == 2 and out == ""
    assert "error: unknown-fact: unknown fact 'plant.has_furnac'" in err
    assert "did you mean 'plant.has_furnace'?" in err


def test_records_from_stdin(capsys: pytest.CaptureFixture[str], in_fixtures: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    data = (in_fixtures / "records.jsonl").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "diff", "rulesets/demo-2020", "rulesets/demo-2023",
                       "--records", "-", "--format", "json")
    assert code == 1
    assert json.loads(out)["summary"]["records"]["changed"] == 2
