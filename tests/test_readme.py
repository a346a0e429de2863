"""The README's Python example runs and says what it claims."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import hazard_rules as hr

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_python_example_runs_as_documented() -> None:
    [block] = re.findall(r"```python\n(.*?)```", README, flags=re.S)
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


def test_bundled_table_matches_the_rulesets() -> None:
    rs = hr.load_rulesets()
    from hazard_rules.cases import check_case_files

    cases, _ = check_case_files(rs)
    for ed in rs:
        n_cases = sum(c.edition.id == ed.id for c in cases)
        row = (f"| `{ed.id}` | {ed.title} | {ed.document.replace('中华人民共和国', '')} | "
               f"{ed.effective_from.isoformat()} – | {ed.clauses} | {len(ed.rules)} | "
               f"{len(ed.missing_text)} | {n_cases} |")
        assert row in README, row
