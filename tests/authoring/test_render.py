"""Conditions rendered for people, with fact labels, in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import hazard_rules as hr
from hazard_rules import ir
from hazard_rules.authoring.render import Group, condition_text, condition_tree, unit_text

Cond = Callable[[str], ir.Expr]


@pytest.mark.parametrize(("source", "zh", "en"), [
    ("not plant.alarm_installed or not plant.alarm_linked",
     "「已设置报警装置」为否 或 「报警装置已联锁」为否",
     'not "Alarm installed" or not "Alarm interlocked"'),
    ("plant.seal_pressure < 0.03 MPa",  # converted to the fact's unit by the checker
     "「水封最高封堵压力」 < 30 kPa", '"Maximum water-seal pressure" < 30 kPa'),
    ("plant.load > 110% * plant.rated_load",  # compiled as 10 * load > 11 * rated_load
     "「实际载荷」 > 110% × 「额定载荷」", '"Actual load" > 110% × "Rated load"'),
    ("plant.load < plant.rated_load / 2", "「实际载荷」 < 50% × 「额定载荷」",
     '"Actual load" < 50% × "Rated load"'),
    ("plant.load >= 2 * plant.rated_load", "「实际载荷」 ≥ 2 × 「额定载荷」",
     '"Actual load" ≥ 2 × "Rated load"'),
    ('plant.fuel in ["coal_gas", "natural_gas"]', "「燃料」 为 煤气、天然气 之一",
     '"Fuel" is one of coal gas, natural gas'),
    ('not plant.fuel in ["electric"]', "「燃料」 不为 电 之一", '"Fuel" is not one of electricity'),
    ('enterprise.scopes contains "gas"', "「专项范围」 包含 涉及燃气",
     '"Scopes" contains gas'),
    ("plant.has_furnace == true", "「有熔炼炉」", '"Has a furnace"'),
    ("plant.has_furnace == false", "「有熔炼炉」为否", 'not "Has a furnace"'),
    ("known(plant.last_test)", "已填报「上次检测日期」", '"Date of the last test" is reported'),
    ("not known(plant.last_test)", "未填报「上次检测日期」",
     '"Date of the last test" is not reported'),
    ("any(r in plant.detector_readings: r >= 25 pct_lel)",
     "「各检测点浓度」中任一项满足：该项 ≥ 25 %LEL",
     'some item of "Detector readings" satisfies: the item ≥ 25 %LEL'),
    ("all(plant.valves_ok)", "「各安全阀是否正常」中每一项为是",
     'every item of "Each safety valve works" is yes'),
    ("count_true(not plant.guard_a, not plant.guard_b) >= 2",
     "下列各项中成立的项数 ≥ 2：「防护甲」为否；「防护乙」为否",
     'the number of these that hold is ≥ 2: not "Guard A"; not "Guard B"'),
    ("record.inspected_on - plant.last_test > 365 d",
     "「检查日期」 − 「上次检测日期」 > 365 天",
     '"date of inspection" − "Date of the last test" > 365 d'),
    ("plant.workers > 9 and (plant.has_furnace or not plant.alarm_installed)",
     "「作业人员数」 > 9 且 （「有熔炼炉」 或 「已设置报警装置」为否）",
     '"Workers" > 9 and ("Has a furnace" or not "Alarm installed")'),
    ("not (plant.has_furnace and plant.alarm_installed)",
     "并非（「有熔炼炉」 且 「已设置报警装置」）", 'not ("Has a furnace" and "Alarm installed")'),
    ('plant.operator_name == "张三"', '「操作人员」 = "张三"', '"Operator" = "张三"'),
    ("plant.last_test < date(\"2020-01-01\")", "「上次检测日期」 < 2020-01-01",
     '"Date of the last test" < 2020-01-01'),
])
def test_readable_conditions(cond: Cond, demo_rulesets: hr.Rulesets, source: str, zh: str,
                             en: str) -> None:
    expr = cond(source)
    assert condition_text(expr, demo_rulesets.catalog) == zh
    assert condition_text(expr, demo_rulesets.catalog, "en") == en


def test_without_a_catalog_facts_show_their_names(cond: Cond) -> None:
    assert condition_text(cond("not plant.alarm_installed")) == "「plant.alarm_installed」为否"


def test_long_conditions_become_nested_groups(cond: Cond, demo_rulesets: hr.Rulesets) -> None:
    expr = cond("plant.has_furnace and (not plant.alarm_installed or not plant.alarm_linked "
                "or plant.workers > 9) and plant.seal_pressure < 30 kPa")
    tree = condition_tree(expr, demo_rulesets.catalog)
    assert tree == Group("同时满足：", (
        "「有熔炼炉」",
        Group("满足任一：",
              ("「已设置报警装置」为否", "「报警装置已联锁」为否", "「作业人员数」 > 9")),
        "「水封最高封堵压力」 < 30 kPa"))
    # a short condition stays one line
    assert condition_tree(cond("plant.has_furnace"), demo_rulesets.catalog) == "「有熔炼炉」"


def test_every_bundled_condition_renders_in_both_languages(bundled: hr.Rulesets) -> None:
    for ed in bundled:
        for rule in ed.rules:
            for lang in ("zh", "en"):
                text = condition_text(rule.when, bundled.catalog, lang)
                assert text and "plant." not in text
                # every fact of the rule shows up by its label
                for name in rule.facts:
                    fact = bundled.catalog[name]
                    if name in {n.name for n in ir.walk(rule.when) if isinstance(n, ir.Fact)}:
                        assert fact.label(lang) in text, (rule.id, name)


def test_units_read_naturally() -> None:
    assert [unit_text(u) for u in ("kPa", "m3", "m3_per_min", "persons", "h", "%", None)] == [
        "kPa", "m³", "m³/min", "人", "小时", "%", ""]
    assert [unit_text(u, "en") for u in ("persons", "h", "degC")] == ["persons", "h", "℃"]


def test_unknown_language_is_refused(cond: Cond) -> None:
    with pytest.raises(ValueError, match="lang must be"):
        condition_text(cond("plant.has_furnace"), lang="fr")
