"""Shared fixtures: the fixture rulesets, the bundled rulesets, golden files."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import hazard_rules as hr

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
#: The official standard texts live beside the repository (../shared/standards).
STANDARDS = HERE.parent.parent / "shared" / "standards"


@pytest.fixture(scope="session")
def demo_rulesets() -> hr.Rulesets:
    """A small rulesets tree that uses every construct of the condition language."""
    return hr.load_rulesets(FIXTURES / "rulesets")


@pytest.fixture(scope="session")
def demo_engine(demo_rulesets: hr.Rulesets) -> hr.Engine:
    return hr.Engine(demo_rulesets)


@pytest.fixture(scope="session")
def bundled() -> hr.Rulesets:
    return hr.load_rulesets()


@pytest.fixture(scope="session")
def engine(bundled: hr.Rulesets) -> hr.Engine:
    return hr.Engine(bundled)


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with ``tests/golden/<name>``; ``UPDATE_GOLDEN=1`` rewrites the file."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
            if os.environ.get("UPDATE_GOLDEN") != "1":
                pytest.fail(f"golden file {path} is missing; run with UPDATE_GOLDEN=1")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"output differs from {path} (UPDATE_GOLDEN=1 to accept)"

    return check


@pytest.fixture(scope="session")
def town(engine: hr.Engine) -> Any:
    """The default synthetic township (seed 1, 120 enterprises, 2025)."""
    pytest.importorskip("numpy", reason="the columnar extra is not installed")
    from hazard_rules.township import generate_township

    return generate_township(seed=1, engine=engine)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write a rulesets tree of ``{relative path: text}`` under ``root``."""
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root
