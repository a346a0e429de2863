"""The README's Python example runs and says what it claims."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

import hazard_rules as hr

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_python_example_runs_as_documented() -> None:
    block = BLOCKS[0]
    namespace: dict[str, object] = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), namespace)
    verdict = namespace["verdict"]
    assert isinstance(verdict, hr.Verdict)
    assert verdict.status is hr.Status.MAJOR
    # the values the comments in the example claim
    assert "verdict.fired             # ('gongmao-2023/12.2',)" in block
    assert verdict.fired == ("gongmao-2023/12.2",)
    assert f"verdict.findings[0].text  # {verdict.findings[0].text!r}" in block
    printed = [line for line in out.getvalue().splitlines() if line.startswith("R-") or
               line.startswith("None ")]
    expected = [line[2:] for line in block.splitlines() if line.startswith("# R-") or
                line.startswith("# None ")]
    assert printed == expected


def test_frame_example_runs_as_documented() -> None:
    [block] = [b for b in BLOCKS if "engine.classify_frame(" in b]
    namespace: dict[str, object] = {"engine": hr.Engine()}
    exec(compile(block, "README.md", "exec"), namespace)
    verdicts = namespace["result"].verdicts  # type: ignore[attr-defined]
    rows = list(zip(verdicts["record_id"], verdicts["status"], verdicts["fired"],
                    verdicts["undetermined"], strict=True))
    for rid, status, fired, undetermined in rows:
        claimed = next(line for line in block.splitlines() if line.startswith(f"# {rid} "))
        assert f" {status} " in claimed
        assert f"{list(fired)}".replace("'", '"') in claimed
        assert "[]" in claimed if not list(undetermined) else \
            f'["{undetermined[0]}", "{undetermined[1]}"' in claimed
    errors = verdicts["errors"].to_list()[2]
    assert [e["code"] for e in errors] == ["bad-date"]
    assert "'2024-13-01' is not a date" in errors[0]["message"]
    findings = namespace["result"].findings  # type: ignore[attr-defined]
    assert findings["rule_id"].to_list() == ["gongmao-2023/3.2"]


def editions_table() -> str:
    """The README's table of bundled editions, from the rulesets and their cases."""
    from hazard_rules.coverage import coverage

    rs = hr.load_rulesets()
    rows = ["| edition | standard | document | in force | clauses | rules | no text "
            "| positive / negative | cases |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for c in coverage(rs):
        ed = rs.edition(c.edition)
        rows.append(
            f"| `{c.edition}` | {ed.title} | {ed.document} | {c.period} | "
            f"{'?' if c.clauses is None else c.clauses} | {c.rules} | {c.missing_text} | "
            f"{c.positive} / {c.negative} | {c.cases} |")
    return "\n".join(rows)


def test_bundled_table_matches_the_rulesets() -> None:
    block = README.split("<!-- editions:start -->\n", 1)[1].split("<!-- editions:end -->")[0]
    expected = editions_table()
    assert block.strip() == expected, "README table is stale; it should read:\n" + expected


def township_table(frames: object) -> str:
    """The README's table of the synthetic township, by village, with its total."""
    from hazard_rules import analysis as an
    from hazard_rules.analysis.regions import short_labels

    villages = an.summarize(frames, "village")  # type: ignore[arg-type]
    total = an.summarize(frames, "township").row(0, named=True)  # type: ignore[arg-type]
    rows = ["| village | code | records | enterprises | major | undetermined | clear | "
            "findings | enterprises with a major hazard | major rate |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def row(name: str, code: str, r: dict[str, object]) -> str:
        return (f"| {name} | {code} | {r['records']:,} | {r['enterprises']} | {r['major']} | "
                f"{r['undetermined']} | {r['clear']:,} | {r['findings']} | "
                f"{r['major_enterprises']} | {r['major_rate']:.1%} |")

    names = short_labels(villages["village_name"].to_list())
    for name, r in zip(names, villages.iter_rows(named=True), strict=True):
        rows.append(row(name, r["village"], r))
    rows.append(row(f"**{total['township_name']}**", total["township"], total))
    return "\n".join(rows)


def test_analysis_example_runs_and_its_table_is_current(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    [block] = [b for b in BLOCKS if "an.summarize(" in b]
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert (tmp_path / "trend.png").read_bytes().startswith(b"\x89PNG")
    frames = namespace["frames"]
    town = namespace["town"]
    assert len(town.enterprises) == 120 and len(town.villages) == 6  # type: ignore[attr-defined]
    assert town.name == "浙江省杭州市余杭区青禾镇" and town.year == 2025  # type: ignore[attr-defined]
    assert namespace["by_village"].height == 6  # type: ignore[attr-defined]
    assert len(namespace["pandas_verdicts"]) == frames.verdicts.height  # type: ignore[arg-type,attr-defined]
    block_table = README.split("<!-- township:start -->\n", 1)[1].split(
        "<!-- township:end -->")[0]
    expected = township_table(frames)
    assert block_table.strip() == expected, "README township table is stale; it should " \
                                            "read:\n" + expected
