from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hazard_rules.cli import main
from tests.conftest import FIXTURES

DEMO = str(FIXTURES / "rulesets")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


RECORDS = [
    {"record_id": "A", "inspected_on": "2024-06-01",
     "enterprise": {"sector": "workshop", "scopes": ["dust"]},
     "facts": {"plant.alarm_installed": False}},
    {"record_id": "B", "inspected_on": "2024-06-01",
     "enterprise": {"sector": "workshop", "scopes": []},
     "facts": {"plant.alarm_installed": True, "plant.alarm_linked": True}},
    {"record_id": "C", "inspected_on": "2024-06-01",
     "enterprise": {"sector": "workshop", "scopes": []},
     "facts": {"plant.alarm_installed": "maybe"}},
]


def write_jsonl(path: Path, rows: list[object], extra: str = "") -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n" + extra,
                    encoding="utf-8")
    return path


def test_validate_ok_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", DEMO)
    assert code == 0
    assert out.strip() == "ok: 3 editions, 11 rules, 18 facts"


def test_validate_misspelt_fact_exits_2_with_location_and_suggestion(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(FIXTURES / "rulesets", root)
    path = root / "demo-2023" / "ruleset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "when: not plant.alarm_installed or", "when: not plant.alarm_instaled or"),
        encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(root))
    assert code == 2
    assert f"{path}:15:15: error: unknown-fact: unknown fact 'plant.alarm_instaled'" in out
    assert "= help: did you mean 'plant.alarm_installed'?" in out
    code, out, _ = run(capsys, "validate", str(root), "--format", "json")
    data = json.loads(out)
    assert code == 2 and not data["ok"]
    assert {k: data["diagnostics"][0][k] for k in ("line", "column", "code", "hint")} == {
        "line": 15, "column": 15, "code": "unknown-fact",
        "hint": "did you mean 'plant.alarm_installed'?"}


def test_validate_checks_case_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(FIXTURES / "rulesets", root)
    (root / "demo-2023" / "cases" / "bad.yaml").write_text(
        "cases:\n  - name: x\n    record: {}\n    fires: [demo-2023/1.7]\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(root))
    assert code == 2
    assert "unknown-rule: case 'x' names unknown rule 'demo-2023/1.7'" in out


def test_test_command_reports_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "test", DEMO)
    assert code == 0
    assert "demo-2023: 8 rules, 15 cases, 15 passed" in out
    assert ("ok   demo-2023/2.4            positive  1  negative  1  tp  1 fp 0 fn 0 tn  16"
            "  conditions  3/3   第二条第（四）项") in out
    assert "21 cases, 0 failed, 0 todo; 11/11 rules have positive and negative cases" in out
    assert out.rstrip().endswith("condition coverage: 89.4% (42/47 atom values seen TRUE, "
                                 "FALSE and UNKNOWN)")


def test_test_command_fails_on_a_wrong_expectation(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(FIXTURES / "rulesets", root)
    cases = root / "demo-2023" / "cases" / "cases.yaml"
    cases.write_text(cases.read_text(encoding="utf-8").replace(
        "plant.load: 11.1", "plant.load: 11.0"), encoding="utf-8")
    code, out, _ = run(capsys, "test", str(root))
    assert code == 1
    assert "FAIL" in out and "overload" in out
    assert "expected demo-2023/1.3 to fire, but it is FALSE" in out
    assert "demo-2023/1.3: no positive case" in out
    # the wrong expectation is a false negative of 1.3 in the confusion matrix
    assert "MISS demo-2023/1.3            positive  0  negative  1  tp  0 fp 0 fn 1" in out
    code, out, _ = run(capsys, "test", str(root), "--format", "json")
    assert code == 1 and json.loads(out)["ok"] is False


def test_classify_jsonl(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", RECORDS, extra="{not json}\n")
    out_path = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "classify", str(src), "-o", str(out_path), "--rulesets", DEMO)
    verdicts = [json.loads(line) for line in out_path.read_text(encoding="utf-8").splitlines()]
    assert [(v["record_id"], v["status"]) for v in verdicts] == [
        ("A", "major"), ("B", "undetermined"), ("C", "undetermined"), (None, "error")]
    assert verdicts[3]["errors"][0]["message"].startswith("line 4: invalid JSON")
    assert code == 3  # bad rows win over findings
    assert "classified 4 records" in err and "major 1" in err
    assert "records with input problems: 2" in err


def test_classify_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    major = write_jsonl(tmp_path / "a.jsonl", RECORDS[:1])
    fine = write_jsonl(tmp_path / "b.jsonl", RECORDS[1:2])
    assert run(capsys, "classify", str(major), "--rulesets", DEMO, "-q")[0] == 1
    code, out, err = run(capsys, "classify", str(fine), "--rulesets", DEMO, "-q")
    assert (code, err) == (0, "")
    assert json.loads(out)["status"] == "undetermined"
    assert run(capsys, "classify", str(tmp_path / "nope.jsonl"), "--rulesets", DEMO)[0] == 2
    assert run(capsys, "classify", str(major), "--rulesets", str(FIXTURES / "broken"))[0] == 2


def test_classify_csv_in_and_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "\ufeffrecord_id,inspected_on,enterprise.sector,enterprise.scopes,plant.alarm_installed,"
        "plant.seal_pressure,plant.valves_ok,meta.inspector\n"
        "A,2024-06-01,workshop,gas|dust,否,29 kPa,,张三\n"
        "B,2024-06-01,workshop,[],yes,,true;true,\n"
        "C,2024-06-01,workshop,[],perhaps,,,\n", encoding="utf-8")
    out_path = tmp_path / "out.csv"
    code, _, _ = run(capsys, "classify", str(src), "-o", str(out_path), "--rulesets", DEMO)
    lines = out_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ("record_id,inspected_on,status,editions,fired,undetermined,"
                        "missing_facts,unassessed,errors")
    assert lines[1].startswith("A,2024-06-01,major,demo-2023|other-2021,"
                               "demo-2023/1.1|demo-2023/1.2|other-2021/1,")
    assert lines[3].startswith("C,2024-06-01,undetermined,")
    assert "bad-value:facts.plant.alarm_installed:" in lines[3]
    assert code == 3


def test_explain_a_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", RECORDS)
    code, out, _ = run(capsys, "explain", str(src), "--record", "A", "--rulesets", DEMO)
    assert code == 1
    assert out.splitlines()[1] == "结论：存在重大事故隐患（2 项）"
    code, out, _ = run(capsys, "explain", str(src), "--record", "A", "--lang", "en",
                       "--rulesets", DEMO)
    assert out.splitlines()[1] == "Verdict: major accident hazard found (2)"
    code, _, err = run(capsys, "explain", str(src), "--record", "Z", "--rulesets", DEMO)
    assert code == 2 and "no record with record_id 'Z'" in err


def test_rules_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "list", "--rulesets", DEMO)
    assert code == 0
    assert "demo-2020/1.3" in out and "【缺】official text not available" in out
    code, out, _ = run(capsys, "rules", "list", "--edition", "demo-2023", "--format", "json",
                       "--rulesets", DEMO)
    [ed] = json.loads(out)
    assert ed["effective_until"] is None and len(ed["rules"]) == 8
    code, out, _ = run(capsys, "rules", "show", "demo-2023/1.2", "--rulesets", DEMO)
    assert out.splitlines()[:4] == [
        "demo-2023/1.2  《示例判定标准》第一条第（二）项",
        "  条文: 水封最高封堵压力小于30kPa的；",
        '  applies: enterprise.scopes contains "gas"',
        "  when: plant.seal_pressure < 0.03 MPa"]
    code, out, _ = run(capsys, "rules", "show", "demo-2023", "--source", "--rulesets", DEMO)
    assert code == 0 and "def evaluate(facts):" in out
    code, _, err = run(capsys, "rules", "show", "demo-2023/1.22", "--rulesets", DEMO)
    assert code == 2 and "did you mean 'demo-2023/1.2'?" in err


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0 and json.loads(out)["title"] == "Verdict"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["classify"])
    assert info.value.code == 2


def test_console_script_runs(tmp_path: Path) -> None:
    exe = shutil.which("hazard-rules") or str(Path(sys.executable).parent / "hazard-rules")
    src = write_jsonl(tmp_path / "in.jsonl", RECORDS[:1])
    proc = subprocess.run([exe, "classify", str(src), "--rulesets", DEMO],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["status"] == "major"
    proc = subprocess.run([sys.executable, "-m", "hazard_rules", "--version"],
                          capture_output=True, text=True, check=False)
    assert proc.stdout.startswith("hazard-rules ")


def test_coverage_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", DEMO)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["edition", "in", "force", "clauses", "rules", "no", "text",
                                "positive", "negative", "cases"]
    assert lines[1].split() == ["demo-2020", "2020-01-01–2023-05-14", "?", "2", "1", "2", "2",
                                "3", "partial", "text,", "total", "unknown"]
    code, out, _ = run(capsys, "coverage", "--format", "json")
    rows = {r["edition"]: r for r in json.loads(out)}
    assert rows["weihua-2017"]["complete"] is True
    assert rows["weihua-2017"]["clauses"] == rows["weihua-2017"]["rules"] == 20


# -- township -------------------------------------------------------------------------


def test_township_writes_the_api_records(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    pytest.importorskip("polars")
    from hazard_rules.township import generate_township

    code, out, err = run(capsys, "township", "--seed", "3", "--enterprises", "6",
                         "--villages", "2", "-o", str(tmp_path / "t.jsonl"))
    assert code == 0 and out == ""
    expected = generate_township(seed=3, enterprises=6, villages=2).to_jsonl()
    assert (tmp_path / "t.jsonl").read_text(encoding="utf-8") == expected
    lines = expected.count("\n")
    assert err.strip() == (f"generated {lines} records of 6 enterprises in 2 villages of "
                           "浙江省杭州市余杭区青禾镇 (330110199), year 2025, seed 3")
    code, out, err = run(capsys, "township", "--seed", "3", "--enterprises", "6",
                         "--villages", "2", "-q")
    assert code == 0 and out == expected and err == ""
    code, _, _ = run(capsys, "township", "--seed", "3", "--enterprises", "6",
                     "--villages", "2", "-q", "-o", str(tmp_path / "t.parquet"))
    assert code == 0 and (tmp_path / "t.parquet").read_bytes()[:4] == b"PAR1"


def test_township_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("polars")
    code, _, err = run(capsys, "township", "--villages", "0")
    assert code == 2 and "villages must be between 1 and 10" in err
    code, _, err = run(capsys, "township", "--format", "parquet")
    assert code == 2 and "Parquet output needs a file" in err
