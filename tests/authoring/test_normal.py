"""The normal form tells rewrites (same meaning) from changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hazard_rules import ir
from hazard_rules.authoring.normal import normal_form

Cond = Callable[[str], ir.Expr]


@pytest.mark.parametrize(("a", "b"), [
    ("plant.seal_pressure < 30 kPa", "plant.seal_pressure < 0.03 MPa"),
    ("plant.seal_pressure < 30 kPa", "30 kPa > plant.seal_pressure"),
    ("plant.seal_pressure < 30 kPa", "not plant.seal_pressure >= 30 kPa"),
    ("plant.has_furnace and plant.alarm_installed", "plant.alarm_installed and plant.has_furnace"),
    ("plant.has_furnace and (plant.alarm_installed and plant.alarm_linked)",
     "(plant.has_furnace and plant.alarm_installed) and plant.alarm_linked"),
    ("not (plant.alarm_installed and plant.alarm_linked)",
     "not plant.alarm_installed or not plant.alarm_linked"),
    ("not not plant.has_furnace", "plant.has_furnace"),
    ("plant.has_furnace == true", "plant.has_furnace"),
    ("plant.has_furnace != true", "not plant.has_furnace"),
    ("plant.has_furnace or plant.has_furnace", "plant.has_furnace"),
    ('plant.fuel in ["coal_gas", "natural_gas"]', 'plant.fuel in ["natural_gas", "coal_gas"]'),
    ('plant.fuel == "coal_gas"', '"coal_gas" == plant.fuel'),
    ("any(r in plant.detector_readings: r >= 25 pct_lel)",
     "any(x in plant.detector_readings: 25 pct_lel <= x)"),
    ("plant.load > 110% * plant.rated_load", "plant.load > plant.rated_load * 110 / 100"),
    ("count_true(not plant.guard_a, not plant.guard_b) >= 2",
     "count_true(not plant.guard_b, not plant.guard_a) >= 2"),
    ("plant.workers > 9", "9 < plant.workers"),
])
def test_rewrites_have_one_normal_form(cond: Cond, a: str, b: str) -> None:
    assert normal_form(cond(a)) == normal_form(cond(b))


@pytest.mark.parametrize(("a", "b"), [
    ("plant.seal_pressure < 30 kPa", "plant.seal_pressure <= 30 kPa"),
    ("plant.seal_pressure < 30 kPa", "plant.seal_pressure < 3 kPa"),
    ("plant.has_furnace and plant.alarm_installed", "plant.has_furnace or plant.alarm_installed"),
    ("plant.has_furnace", "not plant.has_furnace"),
    ('plant.fuel in ["coal_gas", "natural_gas"]', 'plant.fuel in ["coal_gas"]'),
    ("plant.load > 110% * plant.rated_load", "plant.load > 120% * plant.rated_load"),
    ("any(r in plant.detector_readings: r >= 25 pct_lel)",
     "all(r in plant.detector_readings: r >= 25 pct_lel)"),
    ("count_true(not plant.guard_a, not plant.guard_b) >= 2",
     "count_true(not plant.guard_a, not plant.guard_b) >= 1"),
    ("known(plant.last_test)", "not known(plant.last_test)"),
    ('plant.operator_name == "a b"', 'plant.operator_name == "a"'),
])
def test_changes_of_meaning_differ(cond: Cond, a: str, b: str) -> None:
    assert normal_form(cond(a)) != normal_form(cond(b))


def test_strings_with_spaces_and_parentheses_survive_flattening(cond: Cond) -> None:
    a = cond('plant.operator_name == "x (y" and (plant.has_furnace and plant.alarm_linked)')
    b = cond('plant.alarm_linked and plant.has_furnace and plant.operator_name == "x (y"')
    assert normal_form(a) == normal_form(b)
    assert '"x (y"' in normal_form(a)
