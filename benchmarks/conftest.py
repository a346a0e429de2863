"""Benchmark data: records generated deterministically from the bundled catalogs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

import hazard_rules as hr

EXAMPLES = Path(__file__).parent.parent / "examples"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_records", EXAMPLES / "make_records.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def rulesets() -> hr.Rulesets:
    return hr.load_rulesets()


@pytest.fixture(scope="session")
def records(rulesets: hr.Rulesets) -> list[Any]:
    """About 5,500 distinct records (20 seeds of the example generator)."""
    gen = _generator()
    engine = hr.Engine(rulesets)
    rows: list[Any] = []
    for seed in range(1, 21):
        for line in gen.generate(seed, engine):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                rows.append(line)
    return rows
