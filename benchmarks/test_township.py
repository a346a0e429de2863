"""The analysis pipeline on the synthetic township (the examples' and docs' data).

    python -m pytest benchmarks/test_township.py --benchmark-only

Generation of the default township (120 enterprises, a year of records), its
classification into tidy frames (column-wise, with missing facts from the verdict
objects), and every summary, the campaign and the charts of the example notebook.
"""

from __future__ import annotations

from typing import Any

import pytest

import hazard_rules as hr

pytest.importorskip("matplotlib")

from hazard_rules import analysis as an
from hazard_rules.analysis import plots
from hazard_rules.township import Township, generate_township


@pytest.fixture(scope="module")
def town(engine: hr.Engine) -> Township:
    return generate_township(seed=1, engine=engine)


@pytest.fixture(scope="module")
def frames(town: Township, engine: hr.Engine) -> an.VerdictFrames:
    return an.classify(town.to_frame(), engine)


def test_township_generate(benchmark: Any, engine: hr.Engine) -> None:
    town = benchmark.pedantic(generate_township, kwargs={"seed": 1, "engine": engine},
                              rounds=3, iterations=1, warmup_rounds=1)
    benchmark.extra_info["records"] = len(town.records)


def test_township_classify(benchmark: Any, town: Township, engine: hr.Engine) -> None:
    frame = town.to_frame()
    an.classify(frame, engine)  # compile the columnar editions once
    frames = benchmark.pedantic(an.classify, args=(frame, engine), rounds=3, iterations=1)
    benchmark.extra_info["records"] = frames.verdicts.height


def _summaries(frames: an.VerdictFrames) -> int:
    tables = [an.summarize(frames, by) for by in
              ("sector", "village", "source", "quarter", "month", "edition")]
    tables += [an.top_clauses(frames), an.missing_facts(frames), an.campaign(frames),
               an.trend(frames), an.open_hazards(frames)]
    return sum(t.height for t in tables)


def test_township_summaries(benchmark: Any, frames: an.VerdictFrames) -> None:
    assert benchmark.pedantic(_summaries, args=(frames,), rounds=5, iterations=1) > 0


def _charts(frames: an.VerdictFrames) -> int:
    import io

    size = 0
    for fig in (plots.sector_chart(frames), plots.region_chart(frames),
                plots.clause_chart(frames), plots.trend_chart(frames)):
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=150)
        size += len(out.getvalue())
    return size


def test_township_charts(benchmark: Any, frames: an.VerdictFrames) -> None:
    assert benchmark.pedantic(_charts, args=(frames,), rounds=3, iterations=1) > 0
