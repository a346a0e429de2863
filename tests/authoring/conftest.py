"""Helpers for the authoring tests: conditions compiled against the fixture catalogs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import hazard_rules as hr
from hazard_rules import ir
from hazard_rules.build import compile_condition
from hazard_rules.lang.checker import Scope


@pytest.fixture(scope="session")
def cond(demo_rulesets: hr.Rulesets) -> Callable[[str], ir.Expr]:
    """Compile a condition against the fixture catalogs (plant, enterprise, record)."""
    scope = Scope(facts={n: f.type for n, f in demo_rulesets.catalog.facts.items()})

    def compile_(text: str) -> ir.Expr:
        expr, diags = compile_condition(text, scope)
        assert expr is not None, [d.message for d in diags]
        return expr

    return compile_
