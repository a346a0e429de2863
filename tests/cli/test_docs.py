"""``hazard-rules docs``: formats, languages, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from hazard_rules.cli import main
from tests.conftest import FIXTURES

DEMO = str(FIXTURES / "rulesets")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_both_formats_by_default(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "site" / "rules"  # created, parents too
    code, out, err = run(capsys, "docs", str(out_dir), DEMO)
    assert code == 0 and err == ""
    assert out.strip() == f"wrote 8 files to {out_dir}: 3 editions, 11 rules"
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "demo-2020.html", "demo-2020.md", "demo-2023.html", "demo-2023.md", "index.html",
        "index.md", "other-2021.html", "other-2021.md"]


def test_one_format_in_english_as_of_a_day(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    code, _, _ = run(capsys, "docs", str(tmp_path), DEMO, "--format", "html", "--lang", "en",
                     "--as-of", "2022-01-01")
    assert code == 0
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".html"] * 4
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<span class="status-not-yet-in-force">not yet in force</span>' in index
    assert '<html lang="en">' in index


@pytest.mark.parametrize(("argv", "message"), [
    (("--as-of", "2022-13-01"), "is not a date"),
    (("nowhere",), "no such file or folder"),
])
def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                           argv: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, "docs", str(tmp_path / "out"), *argv)
    assert code == 2 and out == ""
    assert message in err
    assert not (tmp_path / "out").exists()


def test_an_output_that_is_a_file_exits_2(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "docs", str(target), DEMO)
    assert code == 2 and err.startswith("hazard-rules: cannot write")
