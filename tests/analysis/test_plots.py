"""Charts: Chinese that renders (no glyph missing), the numbers of the summaries,
deterministic files."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from hazard_rules import analysis as an
from hazard_rules.analysis import plots
from hazard_rules.analysis.fonts import FONT_FILE, uncovered

CHARTS: dict[str, Callable[[an.VerdictFrames], Figure]] = {
    "sector": plots.sector_chart,
    "village": lambda f: plots.region_chart(f, "village"),
    "township": lambda f: plots.region_chart(f, "township"),
    "clauses": lambda f: plots.clause_chart(f, 10),
    "trend": plots.trend_chart,
    "trend_quarter": lambda f: plots.trend_chart(f, "quarter"),
}


def _texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if isinstance(t, Text) and t.get_text()]


def _render(fig: Figure, fmt: str = "png") -> bytes:
    """Render with every warning an error (matplotlib warns 'Glyph ... missing')."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_renders_its_chinese_in_the_bundled_font(frames: an.VerdictFrames,
                                                        name: str) -> None:
    fig = CHARTS[name](frames)
    assert _render(fig).startswith(b"\x89PNG")
    texts = _texts(fig)
    chinese = [t for t in texts if any("\u4e00" <= c <= "\u9fff" for c in t.get_text())]
    assert chinese, "the chart has Chinese labels"
    assert uncovered("".join(t.get_text() for t in texts)) == ""
    for t in chinese:
        assert Path(font_manager.findfont(t.get_fontproperties())) == FONT_FILE


def test_a_missing_glyph_would_fail_these_tests() -> None:
    fig = Figure()
    fig.add_subplot().set_title("检查 \U000f0000")
    with pytest.raises(UserWarning, match="missing from font"):
        _render(fig)


def test_sector_chart_shows_the_summary(frames: an.VerdictFrames) -> None:
    fig = plots.sector_chart(frames)
    ax = fig.axes[0]
    table = an.summarize(frames, "sector").sort(["major", "records", "sector"],
                                                descending=[True, True, False])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == table["sector_name"].to_list()  # top row first
    major_bars = ax.containers[0]
    assert [int(b.get_width()) for b in major_bars] == table["major"].to_list()
    assert ax.get_legend() is not None
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "重大事故隐患", "无法判定", "未发现重大隐患"]


def test_region_chart_uses_short_village_names(frames: an.VerdictFrames) -> None:
    ax = plots.region_chart(frames, "village").axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:2] == ["青禾社区", "东溪村"]
    assert ax.get_title() == "各村（社区）检查记录判定结果"
    with pytest.raises(ValueError, match="unknown region level"):
        plots.region_chart(frames, "street")


def test_clause_chart_lists_the_top_clauses(frames: an.VerdictFrames) -> None:
    ax = plots.clause_chart(frames, 5).axes[0]
    top = an.top_clauses(frames, 5)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [label.split("（")[0] for label in labels] == [a.split("（")[0] for a in top["article"]]
    assert [int(b.get_width()) for b in ax.containers[0]] == top["findings"].to_list()


def test_trend_chart_shows_new_hazards_and_the_stock(frames: an.VerdictFrames) -> None:
    ax = plots.trend_chart(frames).axes[0]
    table = an.campaign(frames, "month")
    [line] = ax.get_lines()
    assert list(line.get_ydata()) == table["open"].to_list()
    stacked = [0.0] * 12
    for container in ax.containers:
        for i, bar in enumerate(container):
            stacked[i] += bar.get_height()
    assert stacked == [float(n) for n in table["new"]]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{m}月" for m in range(1, 13)]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_writes_the_same_bytes_twice(frames: an.VerdictFrames, tmp_path: Path,
                                          fmt: str) -> None:
    first = plots.save(plots.trend_chart(frames), tmp_path / f"a.{fmt}").read_bytes()
    second = plots.save(plots.trend_chart(frames), tmp_path / f"b.{fmt}").read_bytes()
    assert first == second
    assert len(first) > 1000
    if fmt == "svg":
        assert b"<dc:date>" not in first


def test_empty_frames_still_draw(frames: an.VerdictFrames) -> None:
    empty = frames.filter(pl.lit(value=False))
    assert empty.verdicts.height == 0
    for make in (plots.sector_chart, plots.clause_chart, plots.trend_chart):
        assert _render(make(empty)).startswith(b"\x89PNG")
