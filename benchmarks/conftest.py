"""Benchmark workload and summary: records/s per backend and ratios to durable_rules.

    python -m pytest benchmarks --benchmark-only                 # sizes 10k and 100k
    python -m pytest benchmarks --benchmark-only --sizes 10000,100000,1000000

Records come from :func:`hazard_rules.synthetic.synthetic_frame` (deterministic):
enterprises of the 工贸 and chemical sectors, judged by every bundled edition that
applies to them, complete (``missing=0``) and with 20% of facts unreported. The
per-record engines (durable_rules, rete, reference) are measured on the first
10,000 records of each workload (their rate does not depend on the size; a million
records through durable_rules would take most of an hour); the column-wise ones at
every size. After the run, a table gives records/s and each row's ratio to the
plain durable_rules baseline measured in the same run on the same records.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import hazard_rules as hr

PER_RECORD_SIZE = 10_000  # see --per-record-size


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sizes", default="10000,100000",
                     help="comma-separated numbers of records (default 10000,100000)")
    parser.addoption("--per-record-size", type=int, default=PER_RECORD_SIZE,
                     help="records for the per-record engines (default 10000)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "size" in metafunc.fixturenames:
        sizes = [int(s) for s in metafunc.config.getoption("--sizes").split(",")]
        if getattr(metafunc.function, "per_record", False):
            sizes = [metafunc.config.getoption("--per-record-size")]
        metafunc.parametrize("size", sizes, scope="session")
    if "missing" in metafunc.fixturenames:
        metafunc.parametrize("missing", [0.0, 0.2], ids=["complete", "missing20"],
                             scope="session")


@pytest.fixture(scope="session")
def engine() -> hr.Engine:
    return hr.Engine()


_FRAMES: dict[tuple[int, float], Any] = {}


@pytest.fixture
def frame(engine: hr.Engine, size: int, missing: float) -> Any:
    """The synthetic records as a polars frame (cached for the session)."""
    from hazard_rules.synthetic import synthetic_frame

    key = (size, missing)
    if key not in _FRAMES:
        _FRAMES[key] = synthetic_frame(engine, size, seed=2026, missing=missing)
    return _FRAMES[key]


def records_of(frame: Any) -> list[dict[str, Any]]:
    """The frame's rows as input records (dicts with dotted fact names under ``facts``)."""
    out = []
    for row in frame.iter_rows(named=True):
        rec: dict[str, Any] = {"record_id": row["record_id"],
                               "inspected_on": row["inspected_on"].isoformat(),
                               "enterprise": {}, "facts": {}}
        for k, v in row.items():
            if v is None or k in ("record_id", "inspected_on"):
                continue
            if k.startswith("enterprise."):
                rec["enterprise"][k.split(".", 1)[1]] = v
            else:
                rec["facts"][k] = v.isoformat() if hasattr(v, "isoformat") else v
        out.append(rec)
    return out


# -- the summary ------------------------------------------------------------------------

ROWS = [
    ("durable_rules, plain (baseline)", "test_durable_plain"),
    ("rete backend (durable_rules, three-valued)", "test_rete_backend"),
    ("reference backend: rule statuses", "test_reference_statuses"),
    ("reference backend: full verdicts (classify_many)", "test_reference_verdicts"),
    ("columnar: verdict matrix", "test_columnar_matrix"),
    ("columnar: full verdict lists (classify_frame)", "test_columnar_verdicts"),
    ("numpy boolean matrix (limit)", "test_numpy_limit"),
]


def _rates(session: pytest.Session) -> Iterator[tuple[str, str, int, float]]:
    bs = getattr(session.config, "_benchmarksession", None)
    for bench in getattr(bs, "benchmarks", []):
        name = bench.name.split("[")[0]
        params = bench.params or {}
        records = bench.extra_info.get("records")
        if records and bench.stats.median:
            missing = params.get("missing", 0.0)
            workload = "complete" if not missing else f"{missing:.0%} missing"
            yield name, workload, params.get("size", records), records / bench.stats.median


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    rates = list(_rates(terminalreporter._session)) if hasattr(
        terminalreporter, "_session") else []
    if not rates:
        return
    by = {(n, m, s): r for n, m, s, r in rates}
    base = {m: r for (n, m, _s), r in by.items() if n == "test_durable_plain"}
    tr = terminalreporter
    tr.write_sep("=", "records/s (median) and ratio to plain durable_rules, same run")
    tr.write_line(f"{'backend':<52} {'workload':<12} {'records':>9} {'records/s':>12} "
                  f"{'x durable':>10}")
    for label, test in ROWS:
        for (n, m, s), r in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][2])):
            if n != test:
                continue
            ratio = f"{r / base[m]:,.1f}" if m in base else "-"
            tr.write_line(f"{label:<52} {m:<12} {s:>9,} {r:>12,.0f} {ratio:>10}")
    numpy = {(m, s): r for (n, m, s), r in by.items() if n == "test_numpy_limit"}
    matrix = {(m, s): r for (n, m, s), r in by.items() if n == "test_columnar_matrix"}
    for key in sorted(matrix):
        if key in numpy:
            ratio = matrix[key] / numpy[key]
            tr.write_line(f"columnar matrix runs at {ratio:.2f}x the speed of the numpy limit "
                          f"at {key[1]:,} records, {key[0]} (target: at least 0.5x)")
    config._hazard_rates = rates  # for tools that want the numbers
