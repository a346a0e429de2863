"""Analysis of verdicts for safety offices: tidy frames, summaries, campaign, charts.

Classify a year of inspections, then count by sector, region, source channel, period,
standard, edition and clause (分区域、分行业统计), follow the campaign (new, cleared and
open hazards), find what inspectors fail to record, and draw charts with Chinese labels.
Needs the ``analysis`` extra (polars, pandas, matplotlib); not imported by
``import hazard_rules``.

>>> from hazard_rules import analysis
>>> from hazard_rules.township import generate_township
>>> frames = analysis.classify(generate_township(seed=3, enterprises=6).records)
>>> int(analysis.summarize(frames, "sector")["major"].sum()) == int(
...     (frames.verdicts["status"] == "major").sum())
True
"""

from hazard_rules.analysis.campaign import campaign, hazard_events, open_hazards, trend
from hazard_rules.analysis.frames import (
    FINDINGS_SCHEMA,
    MISSING_SCHEMA,
    VERDICTS_SCHEMA,
    PandasFrames,
    VerdictFrames,
    classify,
    default_engine,
    from_result,
    from_verdicts,
)
from hazard_rules.analysis.regions import LEVELS, add_levels, levels
from hazard_rules.analysis.summary import (
    DIMENSIONS,
    PERIODS,
    clauses,
    incomplete_records,
    missing_facts,
    records_table,
    summarize,
    top_clauses,
)

__all__ = [
    "DIMENSIONS",
    "FINDINGS_SCHEMA",
    "LEVELS",
    "MISSING_SCHEMA",
    "PERIODS",
    "VERDICTS_SCHEMA",
    "PandasFrames",
    "VerdictFrames",
    "add_levels",
    "campaign",
    "classify",
    "clauses",
    "default_engine",
    "from_result",
    "from_verdicts",
    "hazard_events",
    "incomplete_records",
    "levels",
    "missing_facts",
    "open_hazards",
    "records_table",
    "summarize",
    "top_clauses",
    "trend",
]
