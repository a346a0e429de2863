"""The bundled CJK font covers GB 2312 and every character of the rulesets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest

import hazard_rules as hr
from hazard_rules.analysis import fonts


@pytest.fixture
def fresh_fonts() -> Iterator[None]:
    fonts.font_families.cache_clear()
    fonts._font_files.cache_clear()
    yield
    fonts.font_families.cache_clear()
    fonts._font_files.cache_clear()


def test_the_font_and_its_licence_ship_with_the_package() -> None:
    assert fonts.FONT_FILE.is_file()
    licence = (fonts.FONT_FILE.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert fonts.font_families()[0] == fonts.FAMILY


def test_every_gb2312_character_renders() -> None:
    chars = []
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.append(chr(cp))
    assert len(chars) == 6763
    assert fonts.uncovered("".join(chars)) == ""


def test_every_character_of_the_rulesets_renders(bundled: hr.Rulesets) -> None:
    rs = bundled
    texts = [e.title + e.document for e in rs]
    texts += [r.article + r.text for e in rs for r in e.rules]
    texts += [f.label_zh + "".join(zh for zh, _ in f.value_labels.values())
              for f in rs.catalog.facts.values()]
    assert fonts.uncovered("".join(texts)) == ""


def test_a_font_named_by_the_environment_comes_first(
        fresh_fonts: None, monkeypatch: pytest.MonkeyPatch) -> None:
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    monkeypatch.setenv(fonts.ENV_FONT, str(dejavu))
    families = fonts.font_families()
    assert families[:2] == ("DejaVu Serif", fonts.FAMILY)
    assert fonts.rc_params()["font.sans-serif"][0] == "DejaVu Serif"


def test_a_missing_font_file_is_a_clear_error(
        fresh_fonts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(fonts.ENV_FONT, str(tmp_path / "nope.otf"))
    with pytest.raises(FileNotFoundError, match=r"nope\.otf"):
        fonts.font_families()


def test_use_cjk_font_sets_the_default(fresh_fonts: None) -> None:
    with matplotlib.rc_context():
        fonts.use_cjk_font()
        assert matplotlib.rcParams["font.sans-serif"][0] == fonts.FAMILY
    assert matplotlib.rcParams["font.sans-serif"][0] != fonts.FAMILY
