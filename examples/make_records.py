"""Generate examples/records.jsonl: a few hundred made-up inspection records.

Deterministic (fixed seed). Enterprises across the sectors the bundled rulesets
cover; for each record, the facts are those that the rules applying to the
enterprise use, with plausible values: most installations compliant, some not;
some records complete, some with facts missing, and a few malformed on purpose
(wrong types, misspelt facts, bad dates, a broken JSON line).

    python examples/make_records.py [-o examples/records.jsonl] [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import hazard_rules as hr

SEED = 20241123
OUT = Path(__file__).with_name("records.jsonl")

# county-level codes (GB/T 2260) with names, for the made-up enterprises
REGIONS = [("330110", "浙江省杭州市余杭区"), ("320583", "江苏省苏州市昆山市"),
           ("441900", "广东省东莞市"), ("370783", "山东省潍坊市寿光市"),
           ("130281", "河北省唐山市遵化市")]
SOURCES = ["inspection"] * 5 + ["self_check"] * 3 + ["public_report", "platform"]

# sector -> (how many enterprises, name stems, possible scopes, possible subsectors)
PROFILES: dict[str, tuple[int, list[str], list[str], list[str]]] = {
    "chemical": (24, ["化工", "精细化工", "农药", "新材料"], ["hazchem_production"],
                 ["fine_chemical"]),
    "hazchem_trading": (8, ["化工贸易", "液化气储配", "危化品仓储"], ["hazchem_trading"], []),
    "metallurgy": (9, ["钢铁", "特钢", "炼铁"], ["metal_smelting", "confined_space",
                                              "hazchem_production"], []),
    "nonferrous": (11, ["铝业", "铜业", "铝型材"], ["metal_smelting", "dust_explosion",
                                                 "ammonia_refrigeration"], []),
    "building_materials": (8, ["水泥", "玻璃", "建材"], ["dust_explosion", "confined_space"],
                           ["cement"]),
    "machinery": (15, ["机械制造", "铸造", "汽车零部件"], ["dust_explosion", "confined_space",
                                                      "metal_smelting"], []),
    "light_industry": (16, ["食品", "酿酒", "纸业", "日用玻璃"],
                       ["ammonia_refrigeration", "confined_space", "dust_explosion"],
                       ["food_manufacturing", "liquor", "pulp_paper", "daily_glass",
                        "ceramics"]),
    "textile": (6, ["纺织", "印染"], ["dust_explosion", "confined_space"], []),
    "tobacco": (3, ["卷烟", "烟叶复烤"], ["confined_space"], []),
    "commerce": (8, ["冷链物流", "商贸", "农产品批发"], ["ammonia_refrigeration"], []),
}
# plausible values of the numeric facts: usual range, and a rare range (kPa, persons)
PLAUSIBLE: dict[str, tuple[float, float, float, float]] = {
    "ammonia.quick_freeze_room_workers": (2, 8, 10, 14),
    "gas.water_seal_drain_max_seal_pressure": (35, 60, 20, 30),
    "metallurgy.bf_top_pressure_setpoint": (180, 220, 260, 300),
    "metallurgy.bf_top_max_design_pressure": (250, 280, 250, 280),
    "metallurgy.bf_bleeder_interlock_setpoint": (240, 270, 310, 340),
    "metallurgy.bf_equipment_design_pressure": (300, 330, 300, 330),
}
PLACES = ["东升", "华兴", "永安", "新河", "金桥", "瑞丰", "宏达", "长青", "富民", "恒信"]


def enterprise(rng: random.Random, sector: str, n: int) -> dict[str, Any]:
    _, stems, scopes, subsectors = PROFILES[sector]
    region, region_name = rng.choice(REGIONS)
    chosen_scopes = sorted(s for s in scopes if rng.random() < 0.45)
    if sector == "chemical" and rng.random() < 0.8:
        chosen_scopes = sorted({*chosen_scopes, "hazchem_production"})
    if sector == "hazchem_trading":
        chosen_scopes = ["hazchem_trading"]
    chosen_sub = [rng.choice(subsectors)] if subsectors and rng.random() < 0.6 else []
    return {"id": f"E-{region}-{n:03d}",
            "name": f"{region_name[-3:-1]}{rng.choice(PLACES)}{rng.choice(stems)}有限公司",
            "region": region, "region_name": region_name, "sector": sector,
            "scopes": chosen_scopes, "subsectors": chosen_sub}


def value(rng: random.Random, fact: hr.FactDef) -> Any:
    """A plausible value: compliance facts mostly compliant, numbers near thresholds."""
    t = type(fact.type).__name__
    if t == "BoolT":
        if fact.compliant is None:
            return rng.random() < 0.6
        return fact.compliant if rng.random() < 0.988 else not fact.compliant
    if fact.name in PLAUSIBLE:
        low, high, rare_low, rare_high = PLAUSIBLE[fact.name]
        if rng.random() < 0.04:  # now and then a value beyond the usual range
            low, high = rare_low, rare_high
        drawn = rng.uniform(low, high)
        return round(drawn) if t == "IntT" else round(drawn, 1)
    if t == "IntT":
        return rng.randint(0, 20)
    if t == "FloatT":
        return round(rng.uniform(0, 100), 1)
    if t == "EnumT":
        return rng.choice(fact.type.values)  # type: ignore[attr-defined]
    if t == "DateT":
        return (dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1400))).isoformat()
    if t == "ListT":
        item = fact.type.item  # type: ignore[attr-defined]
        if type(item).__name__ == "EnumT":
            return sorted(v for v in item.values if rng.random() < 0.3)
        return [rng.random() < 0.9 for _ in range(rng.randint(0, 3))]
    return "—"


def relevant_facts(engine: hr.Engine, ent: dict[str, Any], day: dt.date) -> list[str]:
    """Facts used by the rules that apply to this enterprise on this day."""
    probe = {"record_id": "probe", "inspected_on": day.isoformat(), "enterprise": {
        k: v for k, v in ent.items() if k in ("sector", "scopes", "subsectors")}}
    statuses = engine.rule_statuses(probe)
    names: dict[str, None] = {}
    for rule_id, status in statuses.items():
        if status != "NOT_APPLICABLE":
            names.update(dict.fromkeys(engine.rulesets.rule(rule_id).facts))
    return [n for n in names if not n.startswith(("enterprise.", "record."))]


def generate(seed: int = SEED, engine: hr.Engine | None = None) -> list[str]:
    """The JSON Lines of one generated set of records (deterministic for a seed)."""
    rng = random.Random(seed)
    engine = engine or hr.Engine()
    catalog = engine.rulesets.catalog
    enterprises = [enterprise(rng, sector, i)
                   for sector, (count, *_rest) in PROFILES.items() for i in range(count)]
    lines: list[str] = []
    n = 0
    for ent in enterprises:
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
            n += 1
            day = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randint(0, 900))
            facts = {name: value(rng, catalog[name]) for name in relevant_facts(engine, ent, day)}
            style = rng.random()
            if style > 0.55:  # partial record: the inspector skipped some items
                keep = 0.3 if style > 0.9 else 0.65
                facts = {k: v for k, v in facts.items() if rng.random() < keep}
            nested: dict[str, dict[str, Any]] = {}
            for name, v in facts.items():
                ns, key = name.split(".", 1)
                nested.setdefault(ns, {})[key] = v
            lines.append(json.dumps({
                "record_id": f"R-{day.year}-{n:05d}", "inspected_on": day.isoformat(),
                "source": rng.choice(SOURCES), "enterprise": ent, "facts": nested,
            }, ensure_ascii=False))
    lines.extend(malformed(rng, enterprises))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUT, help="the file to write")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    args = parser.parse_args()
    lines = generate(args.seed)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} records to {args.output}")


def malformed(rng: random.Random, enterprises: list[dict[str, Any]]) -> list[str]:
    """A few records with the mistakes real exports contain."""
    ent = next(e for e in enterprises if e["sector"] == "machinery")
    chem = next(e for e in enterprises if e["sector"] == "chemical")
    base = {"source": "inspection", "enterprise": ent}
    rows: list[dict[str, Any] | str] = [
        {**base, "record_id": "R-BAD-001", "inspected_on": "2024-13-01",
         "facts": {"common": {"special_operator_uncertified_on_duty": False}}},
        {**base, "record_id": "R-BAD-002", "inspected_on": "2024-05-20",
         "facts": {"common": {"special_operator_uncertified_on_duty": "是"}}},
        {**base, "record_id": "R-BAD-003", "inspected_on": "2024-05-21",
         "facts": {"dust.dry_colector_in_use": True, "dust.dry_collector_explosion_control":
                   False}},
        {**base, "inspected_on": "2024-05-22",
         "facts": {"common": {"special_operator_uncertified_on_duty": True}}},
        {"record_id": "R-BAD-005", "inspected_on": "2024-05-23", "source": "inspection",
         "enterprise": {**chem, "sector": "petrochemical"}, "facts": {}},
        # the 2022 metal/non-metal mine standard replaced a 2017 one that is not encoded
        {"record_id": "R-OLD-006", "inspected_on": "2021-09-14", "source": "inspection",
         "enterprise": {"id": "E-370783-201", "name": "寿光宏达石料有限公司",
                        "sector": "metal_nonmetal_mine", "scopes": ["open_pit_mining"]},
         "facts": {}},
        '{"record_id": "R-BAD-007", "inspected_on": "2024-05-24", "facts": {',
    ]
    return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]


if __name__ == "__main__":
    main()
