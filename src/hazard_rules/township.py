"""A synthetic township (乡镇) and a year of its inspection records, deterministic.

One data source for examples, documentation, tests and benchmarks: a township of
several villages (statistical division codes under a GB/T 2260 county code), enterprises
across the bundled sectors (工贸, chemicals and hazardous chemicals trading, fireworks,
city gas, construction, an open-pit quarry; special equipment where they use it), and a
year of records from every source channel:

- ``inspection`` (监管检查): two a year, four for high-risk sectors, the first in the
  campaign's first quarter (集中排查), plus a follow-up (复查) after each hazard found;
- ``self_check`` (企业自查): every month for high-risk sectors, else every two months;
  a self-check leaves the facts of a hazard it has unchecked with probability 0.3;
- ``public_report`` (群众举报) and ``platform`` (平台监测): a report of one hazard, with
  only the facts of the clauses that hazard concerns; some reports are unfounded.

Each enterprise has a compliant baseline (the facts of every clause that may apply to
it, checked with the engine so that no clause fires) and hazards: a stock at the start
of the year and new ones at a rate that falls over the year, each a change of one fact
that makes a clause fire (checked with the engine). A hazard found is rectified within
weeks (some late); one never found stays. A record reports the enterprise's state on
its date, with facts left unreported on some records (10% of inspections, 20% of
self-checks, each missing 3-20% of their facts). Names and codes are made up.

The same arguments give the same records, byte for byte (:meth:`Township.to_jsonl`).

>>> town = generate_township(seed=1, enterprises=8)
>>> len(town.enterprises), town.records[0]["record_id"], town.records[0]["inspected_on"][:4]
(8, 'R-2025-00001', '2025')
>>> {r["source"] for r in town.records} <= {"inspection", "platform", "public_report",
...                                         "self_check"}
True
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hazard_rules.model import FactDef
from hazard_rules.typesys import BoolT, DateT, EnumT, FloatT, IntT, ListT, StrT

if TYPE_CHECKING:
    import polars as pl

    from hazard_rules.engine import Engine

__all__ = ["PROFILES", "Profile", "Township", "generate_township"]


@dataclass(frozen=True)
class Profile:
    """How enterprises of one sector look: how many (weight), name stems, the chance of
    each scope, the sub-sectors one may be drawn from, and risk."""

    weight: float
    stems: tuple[str, ...]
    scopes: Mapping[str, float] = field(default_factory=dict)
    subsectors: tuple[str, ...] = ()
    high_risk: bool = False
    monitored: bool = False  # on the online monitoring platform


#: The sectors of the township and their profiles.
PROFILES: dict[str, Profile] = {
    "machinery": Profile(18, ("机械", "五金", "铸造", "汽配"), {
        "dust_explosion": 0.35, "confined_space": 0.15, "metal_smelting": 0.1,
        "special_equipment": 0.6}),
    "light_industry": Profile(14, ("食品", "酒业", "纸业", "木业", "玻璃制品"), {
        "ammonia_refrigeration": 0.2, "dust_explosion": 0.3, "confined_space": 0.3,
        "special_equipment": 0.5},
        ("food_manufacturing", "liquor", "pulp_paper", "wood_products", "daily_glass")),
    "textile": Profile(10, ("纺织", "印染", "服饰"), {
        "dust_explosion": 0.2, "confined_space": 0.3, "special_equipment": 0.5}),
    "building_materials": Profile(8, ("建材", "水泥制品", "陶瓷", "石材"), {
        "dust_explosion": 0.2, "confined_space": 0.3, "special_equipment": 0.5},
        ("cement", "ceramics")),
    "metallurgy": Profile(3, ("特钢", "金属制品"), {
        "metal_smelting": 0.8, "confined_space": 0.4, "special_equipment": 0.8},
        high_risk=True),
    "nonferrous": Profile(4, ("铝业", "铜材"), {
        "metal_smelting": 0.6, "dust_explosion": 0.5, "special_equipment": 0.8}),
    "commerce": Profile(12, ("商贸", "冷链物流", "农贸"), {
        "ammonia_refrigeration": 0.25, "special_equipment": 0.4}),
    "chemical": Profile(5, ("化工", "新材料", "涂料"), {
        "hazchem_production": 0.8, "special_equipment": 0.9}, ("fine_chemical",),
        high_risk=True, monitored=True),
    "hazchem_trading": Profile(5, ("化工贸易", "危化品仓储"), {"hazchem_trading": 1.0},
                               high_risk=True, monitored=True),
    "fireworks": Profile(3, ("烟花爆竹",), {}, ("fireworks_retail", "fireworks_wholesale"),
                         high_risk=True),
    "city_gas": Profile(3, ("燃气", "液化气供应"), {}, high_risk=True, monitored=True),
    "construction": Profile(8, ("建设", "建筑安装", "市政工程"), {}),
    "metal_nonmetal_mine": Profile(2, ("石料", "矿业"), {"open_pit_mining": 1.0},
                                   high_risk=True),
}
_VILLAGES = (("001", "青禾社区"), ("201", "东溪村"), ("202", "西岭村"), ("203", "南塘村"),
             ("204", "北山村"), ("205", "桥头村"), ("206", "石门村"), ("207", "柳湾村"),
             ("208", "上塘村"), ("209", "枫林村"))
_PLACES = ("恒达", "永兴", "华盛", "金源", "瑞丰", "宏利", "鑫源", "长盛", "新锐", "安泰",
           "丰华", "天成", "嘉禾", "远航", "广汇", "润泽")
#: Descriptive facts that a township's enterprises rarely have (default chance 0.3).
_RARE = {"special_equipment.ropeways": 0.0, "special_equipment.amusement_rides": 0.0,
         "special_equipment.oxygen_chambers": 0.0, "special_equipment.sightseeing_trains": 0.0,
         "special_equipment.sightseeing_vehicles": 0.0,
         "special_equipment.power_station_boilers": 0.0, "special_equipment.had_accident": 0.02,
         "chem.first_domestic_process": 0.0, "chem.new_process_in_production": 0.05}
_RARE_WORDS = ("extreme_weather", "signs", "heavy_rain", "stoppage", "found", "continuing")
_SOURCE_ORDER = {"inspection": 0, "self_check": 1, "public_report": 2, "platform": 3}


@dataclass(frozen=True)
class Township:
    """The generated township: its villages, enterprises and records (in date order)."""

    code: str
    name: str
    year: int
    seed: int
    villages: tuple[tuple[str, str], ...]  # (code, full name)
    enterprises: tuple[dict[str, Any], ...]
    records: tuple[dict[str, Any], ...]

    def to_jsonl(self) -> str:
        """The records as JSON Lines (the same bytes for the same arguments).

        >>> generate_township(seed=2, enterprises=3).to_jsonl().count("\\n") > 3
        True
        """
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records)

    def to_frame(self) -> pl.DataFrame:
        """The records as a polars frame with dotted columns (``enterprise.sector``,
        ``dust.dry_collector_in_use``), as :meth:`hazard_rules.Engine.classify_frame`
        reads them.

        >>> generate_township(seed=2, enterprises=3).to_frame()["source"].dtype
        String
        """
        from hazard_rules.backends.columnar.frame import records_to_frame

        frame = records_to_frame(list(self.records))
        columns: list[str] = sorted(frame.columns, key=_column_order)
        return frame.select(columns)

    def write(self, path: str | Path, fmt: str = "auto") -> None:
        """Write the records as JSON Lines or Parquet (``fmt`` or by the extension).

        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
        >>> generate_township(seed=2, enterprises=3).write(out); out.stat().st_size > 0
        True
        """
        path = Path(path)
        if fmt == "auto":
            fmt = "parquet" if path.suffix.lower() in (".parquet", ".pq") else "jsonl"
        if fmt == "parquet":
            self.to_frame().write_parquet(path)
        elif fmt == "jsonl":
            path.write_text(self.to_jsonl(), encoding="utf-8")
        else:
            raise ValueError(f"unknown format {fmt!r}; use jsonl or parquet")


def _column_order(name: str) -> tuple[int, str]:
    head = ("record_id", "inspected_on", "source")
    if name in head:
        return head.index(name), ""
    return (3, name) if name.startswith("enterprise.") else (4, name)


def generate_township(*, seed: int = 1, enterprises: int = 120, villages: int = 6,
                      year: int = 2025, county: tuple[str, str] = ("330110", "浙江省杭州市余杭区"),
                      township: tuple[str, str] = ("199", "青禾镇"),
                      engine: Engine | None = None) -> Township:
    """A township of ``enterprises`` enterprises in ``villages`` villages (at most 10),
    and its records of ``year``. ``county`` is a GB/T 2260 code and name; ``township``
    the three digits and name that extend it. ``engine`` (default: the bundled rulesets)
    checks the baselines and hazards.

    >>> town = generate_township(seed=5, enterprises=4, villages=2)
    >>> town.villages
    (('330110199001', '浙江省杭州市余杭区青禾镇青禾社区'),
     ('330110199201', '浙江省杭州市余杭区青禾镇东溪村'))
    """
    if not 1 <= villages <= len(_VILLAGES):
        raise ValueError(f"villages must be between 1 and {len(_VILLAGES)}")
    if enterprises < 1:
        raise ValueError("enterprises must be at least 1")
    if engine is None:
        from hazard_rules.analysis.frames import default_engine

        engine = default_engine()
    town_code = county[0] + township[0]
    town_name = county[1] + township[1]
    places = [(town_code + code, town_name + name, name) for code, name in _VILLAGES[:villages]]
    rng = np.random.default_rng([seed, year])
    sectors = sorted(PROFILES)
    weights = np.array([PROFILES[s].weight for s in sectors], dtype=float)
    # every sector once, then the rest by weight; a smaller township, distinct sectors
    if enterprises >= len(sectors):
        rest = rng.choice(len(sectors), size=enterprises - len(sectors), p=weights / weights.sum())
        chosen = list(range(len(sectors))) + sorted(rest.tolist())
    else:
        chosen = sorted(rng.choice(len(sectors), size=enterprises, replace=False,
                                   p=weights / weights.sum()).tolist())
    picks = [sectors[i] for i in chosen]
    sim = _Simulation(engine, year)
    ents: list[dict[str, Any]] = []
    records: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    names: set[str] = set()
    for k, sector in enumerate(picks):
        erng = np.random.default_rng([seed, year, k])
        village = places[int(erng.integers(len(places)))]
        ent = _enterprise(erng, k, sector, village, names)
        ents.append(ent)
        for day, n, record in sim.run(erng, ent, PROFILES[sector]):
            records.append(((day, k, n), record))
    records.sort(key=lambda item: item[0])
    out = []
    for i, (_, record) in enumerate(records, 1):
        out.append({"record_id": f"R-{year}-{i:05d}", **record})
    return Township(town_code, town_name, year, seed, tuple(p[:2] for p in places),
                    tuple(ents), tuple(out))


def _enterprise(rng: np.random.Generator, k: int, sector: str,
                village: tuple[str, str, str], names: set[str]) -> dict[str, Any]:
    profile = PROFILES[sector]
    scopes = sorted(s for s, p in profile.scopes.items() if rng.random() < p)
    subsectors = [profile.subsectors[int(rng.integers(len(profile.subsectors)))]] \
        if profile.subsectors and (sector == "fireworks" or rng.random() < 0.7) else []
    short = village[2][:2]
    for _ in range(50):
        stem = profile.stems[int(rng.integers(len(profile.stems)))]
        name = f"{short}{_PLACES[int(rng.integers(len(_PLACES)))]}{stem}有限公司"
        if name not in names:
            break
    else:
        name = f"{short}{stem}第{k + 1}有限公司"
    names.add(name)
    return {"id": f"E-{village[0]}-{k + 1:03d}", "name": name, "region": village[0],
            "region_name": village[1], "sector": sector, "scopes": scopes,
            "subsectors": subsectors}


@dataclass
class _Hazard:
    fact: str
    value: Any
    start: dt.date
    end: dt.date | None = None  # rectified on this day (None: not yet found)


class _Simulation:
    """One enterprise's year: baseline, hazards, visits, records."""

    def __init__(self, engine: Engine, year: int) -> None:
        from hazard_rules.synthetic import _thresholds

        self.engine = engine
        self.catalog = engine.rulesets.catalog
        self.year = year
        self.first = dt.date(year, 1, 1)
        self.last = dt.date(year, 12, 31)
        self.thresholds = _thresholds(engine)
        self.rules = {r.id: r for ed in engine.rulesets for r in ed.rules}

    # -- facts ---------------------------------------------------------------------------

    def _statuses(self, ent: Mapping[str, Any], facts: Mapping[str, Any],
                  on: dt.date) -> dict[str, str]:
        return self.engine.rule_statuses({
            "record_id": "probe", "inspected_on": on.isoformat(),
            "enterprise": {k: ent[k] for k in ("sector", "scopes", "subsectors")},
            "facts": dict(facts)})

    def _draw(self, rng: np.random.Generator, fact: FactDef, deficient: bool) -> Any:
        from hazard_rules.synthetic import _numbers

        t = fact.type
        if isinstance(t, BoolT):
            if fact.compliant is not None:
                return bool(fact.compliant) != deficient
            p = _RARE.get(fact.name, 0.05 if any(w in fact.name for w in _RARE_WORDS) else 0.3)
            return bool(rng.random() < p)
        if isinstance(t, IntT | FloatT):
            limits = self.thresholds.get(fact.name, [])
            value = float(_numbers(rng, fact, 1, 0.0 if deficient else 1.0, limits)[0])
            return round(value) if isinstance(t, IntT) else round(value, 1)
        if isinstance(t, EnumT):
            if fact.compliant is not None and not deficient:
                return fact.compliant
            return str(t.values[int(rng.integers(len(t.values)))])
        if isinstance(t, StrT):
            return f"v{int(rng.integers(50))}"
        if isinstance(t, ListT):
            return []
        assert isinstance(t, DateT)
        return (self.first - dt.timedelta(days=int(rng.integers(30, 300)))).isoformat()

    def _checklist(self, ent: Mapping[str, Any]) -> tuple[list[str], dict[str, list[str]]]:
        """The facts an inspection of ``ent`` asks (those of every clause that may apply
        to it), and for each fact the clauses that use it."""
        uses: dict[str, list[str]] = {}
        for on in (self.first, self.last):
            for rule_id, status in self._statuses(ent, {}, on).items():
                if status == "NOT_APPLICABLE":
                    continue
                for name in self.rules[rule_id].facts:
                    if not name.startswith(("enterprise.", "record.")):
                        found = uses.setdefault(name, [])
                        if rule_id not in found:
                            found.append(rule_id)
        return sorted(uses), uses

    def _baseline(self, rng: np.random.Generator, ent: Mapping[str, Any],
                  facts: Sequence[str]) -> dict[str, Any]:
        """Compliant values for ``facts``, redrawn until no clause fires."""
        state = {name: self._draw(rng, self.catalog[name], False) for name in facts}
        on = dt.date(self.year, 7, 1)
        for attempt in range(40):
            fired = [r for r, s in self._statuses(ent, state, on).items() if s == "TRUE"]
            if not fired:
                break
            for rule_id in fired:
                for name in self.rules[rule_id].facts:
                    if name in state:
                        fact = self.catalog[name]
                        if attempt >= 20 and isinstance(fact.type, BoolT) and \
                                fact.compliant is None:
                            state[name] = False  # "has no such installation"
                        elif fact.compliant is None or not isinstance(fact.type, BoolT):
                            state[name] = self._draw(rng, fact, False)
        return state

    def _hazard(self, rng: np.random.Generator, ent: Mapping[str, Any],
                state: Mapping[str, Any], facts: Sequence[str], start: dt.date
                ) -> _Hazard | None:
        """A change of one fact that makes some clause fire, or None."""
        for _ in range(30):
            name = facts[int(rng.integers(len(facts)))]
            fact = self.catalog[name]
            if isinstance(fact.type, ListT | StrT | DateT):
                continue
            value = self._draw(rng, fact, True)
            if isinstance(fact.type, BoolT) and fact.compliant is None:
                value = not state[name]
            if value == state[name]:
                continue
            changed = {**state, name: value}
            if "TRUE" in self._statuses(ent, changed, start).values():
                return _Hazard(name, value, start)
        return None

    # -- the year ------------------------------------------------------------------------

    def _weekday(self, rng: np.random.Generator, lo: dt.date, hi: dt.date) -> dt.date:
        day = lo + dt.timedelta(days=int(rng.integers(0, max((hi - lo).days, 0) + 1)))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return min(day, self.last)

    def run(self, rng: np.random.Generator, ent: dict[str, Any], profile: Profile
            ) -> list[tuple[dt.date, int, dict[str, Any]]]:
        """The records of one enterprise over the year: (date, sequence, record)."""
        facts, uses = self._checklist(ent)
        if not facts:
            return []
        state = self._baseline(rng, ent, facts)
        hazards: list[_Hazard] = []
        for _ in range(int(rng.poisson(0.25))):  # the stock at the start of the year
            h = self._hazard(rng, ent, state, facts, self.first)
            if h is not None:
                hazards.append(h)
        for month in range(1, 13):  # the increment, falling as the campaign goes on
            rate = 0.035 * (1 - 0.8 * (month - 1) / 11)
            for _ in range(int(rng.poisson(rate))):
                lo = dt.date(self.year, month, 1)
                day = lo + dt.timedelta(days=int(rng.integers(0, 28)))
                h = self._hazard(rng, ent, state, facts, day)
                if h is not None:
                    hazards.append(h)
        visits: list[tuple[dt.date, int, int, str, int]] = []  # date, order, channel, hazard
        counter = itertools.count()

        def visit(day: dt.date, channel: str, hazard: int = -1) -> None:
            if self.first <= day <= self.last:
                heapq.heappush(visits, (day, _SOURCE_ORDER[channel], next(counter), channel,
                                        hazard))

        inspections = 4 if profile.high_risk else 2
        visit(self._weekday(rng, dt.date(self.year, 1, 6), dt.date(self.year, 3, 31)),
              "inspection")
        for i in range(1, inspections):
            lo = dt.date(self.year, 4, 1) + dt.timedelta(days=(275 * (i - 1)) // (inspections - 1))
            visit(self._weekday(rng, lo, lo + dt.timedelta(days=275 // (inspections - 1) - 1)),
                  "inspection")
        step = 1 if profile.high_risk else 2
        for month in range(1 + int(rng.integers(step)), 13, step):
            lo = dt.date(self.year, month, 1)
            visit(self._weekday(rng, lo, lo + dt.timedelta(days=27)), "self_check")
        for i, h in enumerate(hazards):
            if rng.random() < 0.5:  # someone reports it, some weeks or months on
                visit(h.start + dt.timedelta(days=int(rng.exponential(120))), "public_report", i)
            if profile.monitored and rng.random() < 0.4:
                visit(h.start + dt.timedelta(days=int(rng.exponential(60))), "platform", i)
        if rng.random() < 0.1:  # a report that turns out to be unfounded
            visit(self._weekday(rng, self.first, self.last), "public_report", -2)
        out: list[tuple[dt.date, int, dict[str, Any]]] = []
        while visits:
            day, _, _, channel, focus = heapq.heappop(visits)
            record = self._record(rng, ent, state, facts, uses, hazards, day, channel, focus,
                                  visit)
            if record is not None:
                out.append((day, len(out), record))
        return out

    def _record(self, rng: np.random.Generator, ent: Mapping[str, Any],
                state: Mapping[str, Any], facts: Sequence[str], uses: Mapping[str, list[str]],
                hazards: list[_Hazard], day: dt.date, channel: str, focus: int,
                visit: Callable[[dt.date, str], None]) -> dict[str, Any] | None:
        active = [h for h in hazards if h.start <= day and (h.end is None or day < h.end)]
        now = dict(state)
        for h in active:
            now[h.fact] = h.value
        if focus >= 0 or focus == -2:  # a report: the facts of the clauses it concerns
            if focus >= 0 and hazards[focus] not in active:
                return None  # rectified before anyone reported it
            about = hazards[focus].fact if focus >= 0 else facts[int(rng.integers(len(facts)))]
            asked = sorted({n for r in uses[about] for n in self.rules[r].facts
                            if n in now})
            told = {n: now[n] for n in asked}
        else:
            incomplete = rng.random() < (0.1 if channel == "inspection" else 0.2)
            share = rng.uniform(0.03, 0.12) if channel == "inspection" else \
                rng.uniform(0.05, 0.2)
            told = {}
            for n in facts:
                if incomplete and rng.random() < share:
                    continue
                told[n] = now[n]
            if channel == "self_check":
                for h in active:  # a self-check overlooks some hazards (does not check)
                    if h.fact in told and rng.random() < 0.3:
                        del told[h.fact]
        found = [h for h in active if h.fact in told and told[h.fact] == h.value]
        latest = None
        for h in found:
            if h.end is None:
                days = int(rng.integers(5, 31) if channel == "self_check" else
                           rng.integers(10, 41))
                h.end = day + dt.timedelta(days=days * (2 if rng.random() < 0.1 else 1))
                latest = h.end if latest is None else max(latest, h.end)
        if latest is not None and channel != "self_check":  # 复查 after the deadline
            visit(latest + dt.timedelta(days=int(rng.integers(0, 7))), "inspection")
        nested: dict[str, dict[str, Any]] = {}
        for name in sorted(told):
            ns, _, key = name.partition(".")
            nested.setdefault(ns, {})[key] = told[name]
        return {"inspected_on": day.isoformat(), "source": channel,
                "enterprise": dict(ent), "facts": nested}
