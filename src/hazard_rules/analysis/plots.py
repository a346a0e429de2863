"""Charts a report can use as they are, with Chinese titles and labels.

Each function takes :class:`~.frames.VerdictFrames` and returns a matplotlib
:class:`~matplotlib.figure.Figure` (made without pyplot: nothing is shown and no global
state changes; in Jupyter, a figure displays when it is the cell's value). Fonts come
from :mod:`.fonts`, so Chinese renders on machines without CJK fonts. :func:`save` writes
a figure as PNG, SVG or PDF without timestamps, so the same figure gives the same bytes.

>>> from hazard_rules.analysis.frames import classify
>>> from hazard_rules.township import generate_township
>>> frames = classify(generate_township(seed=3, enterprises=6).records)
>>> sector_chart(frames).axes[0].get_title()
'各行业检查记录判定结果'
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from hazard_rules.analysis.campaign import campaign, trend
from hazard_rules.analysis.fonts import rc_params
from hazard_rules.analysis.frames import VerdictFrames
from hazard_rules.analysis.regions import LEVEL_LABELS, LEVELS, short_labels
from hazard_rules.analysis.summary import clauses, summarize

__all__ = ["STATUS_COLORS", "clause_chart", "region_chart", "save", "sector_chart",
           "trend_chart"]

#: Colours and Chinese labels of the statuses, in stacking order.
STATUS_COLORS = {"major": ("#c0392b", "重大事故隐患"), "undetermined": ("#f0a30a", "无法判定"),
                 "clear": ("#5b9e5b", "未发现重大隐患"), "error": ("#95a5a6", "输入有误")}
#: Colours of the source channels.
SOURCE_COLORS = {"inspection": "#1f77b4", "self_check": "#2ca02c",
                 "public_report": "#d62728", "platform": "#9467bd"}


@contextmanager
def _fonts() -> Iterator[None]:
    with matplotlib.rc_context(rc_params()):
        yield


def _status_bars(ax: Axes, labels: Sequence[str], table: pl.DataFrame) -> None:
    """Horizontal bars of records by status, one per row of ``table``, top row first,
    each annotated with its major count, rate and enterprises with a major hazard."""
    y = list(range(len(labels)))[::-1]
    left = [0.0] * len(labels)
    for status, (color, label) in STATUS_COLORS.items():
        values = table[status].to_list()
        if status == "error" and not any(values):
            continue
        ax.barh(y, values, left=left, color=color, label=label, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    widest = max(left, default=0) or 1
    for yi, row in zip(y, table.iter_rows(named=True), strict=True):
        ax.text(row["records"] + widest * 0.01, yi,
                f"重大 {row['major']}（{row['major_rate']:.1%}），"
                f"涉及企业 {row['major_enterprises']}/{row['enterprises']}",
                va="center", fontsize=8)
    ax.set_yticks(y, list(labels))
    ax.set_xlim(0, widest * 1.45)
    ax.set_xlabel("检查记录（条）")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def sector_chart(frames: VerdictFrames, *, title: str = "各行业检查记录判定结果") -> Figure:
    """Records by sector and status, sectors with the most major hazards first."""
    table = summarize(frames, "sector").sort(["major", "records", "sector"],
                                             descending=[True, True, False])
    labels = [name or code or "（未填行业）" for code, name in
              zip(table["sector"], table["sector_name"], strict=True)]
    with _fonts():
        fig = Figure(figsize=(9, 0.45 * len(labels) + 1.6), layout="constrained")
        ax = fig.add_subplot()
        _status_bars(ax, labels, table)
        ax.set_title(title)
    return fig


def region_chart(frames: VerdictFrames, level: str = "village", *,
                 title: str | None = None) -> Figure:
    """Records by region (at ``level``: province ... village) and status, in code order;
    regions are named where the records name them, else shown by code."""
    if level not in LEVELS:
        raise ValueError(f"unknown region level {level!r}; use one of {', '.join(LEVELS)}")
    table = summarize(frames, level)
    names = [name or code or "（无区划代码）" for code, name in
             zip(table[level], table[f"{level}_name"], strict=True)]
    with _fonts():
        fig = Figure(figsize=(9, 0.45 * len(names) + 1.6), layout="constrained")
        ax = fig.add_subplot()
        _status_bars(ax, short_labels(names), table)
        ax.set_title(title or f"各{LEVEL_LABELS[level]}检查记录判定结果")
    return fig


def clause_chart(frames: VerdictFrames, n: int = 10, *,
                 title: str = "重大事故隐患高发条款") -> Figure:
    """The ``n`` clauses found most often: findings per clause, with the clause's
    article, edition and the start of its official text."""
    table = clauses(frames).filter(pl.col("findings") > 0).head(n)
    labels = [f"{row['article']}（{row['edition']}）\n{_clip(row['text'], 26)}"
              for row in table.iter_rows(named=True)]
    with _fonts():
        fig = Figure(figsize=(9, 0.6 * max(len(labels), 1) + 1.4), layout="constrained")
        ax = fig.add_subplot()
        y = list(range(len(labels)))[::-1]
        ax.barh(y, table["findings"].to_list(), color=STATUS_COLORS["major"][0], height=0.6)
        for yi, row in zip(y, table.iter_rows(named=True), strict=True):
            ax.text(row["findings"], yi, f" {row['findings']}（{row['enterprises']} 家企业）",
                    va="center", fontsize=8)
        ax.set_yticks(y, labels, fontsize=8)
        ax.set_xlim(0, max(table["findings"].to_list(), default=0) * 1.3 + 1)
        ax.set_xlabel("发现次数（条）")
        ax.set_title(title)
        ax.spines[["top", "right"]].set_visible(False)
        if not labels:
            ax.text(0.5, 0.5, "未发现重大事故隐患", transform=ax.transAxes, ha="center")
    return fig


def trend_chart(frames: VerdictFrames, period: str = "month", *,
                title: str = "重大事故隐患趋势：新增（按来源渠道）与存量") -> Figure:
    """New major hazards per period, stacked by the source channel that found them, and
    the stock still open at the end of each period (:func:`~.campaign.campaign`)."""
    new = trend(frames, period, "source")
    stock = campaign(frames, period)
    periods = stock[period].to_list()
    ticks = _period_labels(periods)
    with _fonts():
        fig = Figure(figsize=(9, 4.2), layout="constrained")
        ax = fig.add_subplot()
        x = list(range(len(periods)))
        bottom = [0] * len(periods)
        order = list(SOURCE_COLORS)
        sources = sorted(new.select("source", "source_name").unique().iter_rows(),
                         key=lambda r: (order.index(r[0]) if r[0] in order else len(order),
                                        str(r[0])))
        for source, name in sources:
            counts = dict(new.filter(pl.col("source").eq_missing(source))
                          .select(period, "new").iter_rows())
            values = [int(counts.get(p, 0)) for p in periods]
            if not any(values):
                continue
            ax.bar(x, values, bottom=bottom, label=f"新增：{name or source or '未填来源'}",
                   color=SOURCE_COLORS.get(str(source), "#7f7f7f"), width=0.7)
            bottom = [a + b for a, b in zip(bottom, values, strict=True)]
        ax.plot(x, stock["open"].to_list(), color="black", marker="o", linewidth=1.5,
                label="期末存量（未整改销号）")
        ax.set_xticks(x, ticks)
        ax.set_ylabel("重大事故隐患（项）")
        ax.set_ylim(0, max([*bottom, *stock["open"].to_list(), 1]) * 1.15)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title)
        ax.legend(fontsize=8, frameon=False, ncols=3, loc="upper right")
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def _clip(text: str, n: int) -> str:
    text = "".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def _period_labels(periods: Sequence[str]) -> list[str]:
    years = {p[:4] for p in periods}
    if len(years) == 1 and all(len(p) == 7 for p in periods):
        return [f"{int(p[5:])}月" for p in periods]
    if len(years) == 1 and all("Q" in p for p in periods):
        return [f"第{p[-1]}季度" for p in periods]
    return list(periods)


def save(fig: Figure, path: str | Path, *, dpi: int = 150, **kwargs: Any) -> Path:
    """Write ``fig`` to ``path`` (format by the extension: png, svg, pdf...) without
    timestamps or version stamps; returns the path.

    >>> import tempfile
    >>> fig = Figure(figsize=(2, 1)); _ = fig.add_subplot().set_title("检查")
    >>> save(fig, Path(tempfile.mkdtemp()) / "f.png").stat().st_size > 0
    True
    """
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    metadata: dict[str, Any] = {
        "png": {"Software": None}, "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    }.get(fmt, {})
    path.parent.mkdir(parents=True, exist_ok=True)
    with _fonts(), matplotlib.rc_context({"svg.hashsalt": "hazard-rules"}):
        fig.savefig(path, dpi=dpi, metadata={**metadata, **kwargs.pop("metadata", {})},
                    **kwargs)
    return path
