"""Deterministic synthetic inspection records, generated from the rulesets' catalogs.

For benchmarks, examples and tests: a frame of ``n`` records for enterprises of the
given sectors, each row carrying the facts of the rules that may apply to its
enterprise (sector, subsectors, scopes), with values drawn from the facts' types.
Yes/no compliance facts are
compliant with probability ``compliance``; numbers fall on the compliant side of
the thresholds the rules compare them with (and beyond, at the same rate);
``missing`` is the share of facts left unreported. Same arguments, same frame.

>>> from hazard_rules import Engine
>>> frame = synthetic_frame(Engine(), 1000, seed=7, missing=0.2)
>>> frame.height, frame["record_id"][0]
(1000, 'S7-0000000')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from hazard_rules import ir
from hazard_rules.model import FactDef
from hazard_rules.typesys import BoolT, DateT, EnumT, FloatT, IntT, ListT, StrT, Type

if TYPE_CHECKING:
    from hazard_rules.engine import Engine

__all__ = ["DEFAULT_SECTORS", "synthetic_frame"]

#: Sectors of the default workload: industry and trade (工贸) and chemicals (化工).
DEFAULT_SECTORS = ("metallurgy", "nonferrous", "building_materials", "machinery",
                   "light_industry", "textile", "tobacco", "commerce", "chemical",
                   "hazchem_trading")


def _thresholds(engine: Engine) -> dict[str, list[tuple[str, float]]]:
    """For each numeric fact, the (op, number) comparisons the rules make with it."""
    out: dict[str, list[tuple[str, float]]] = {}
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
    for ed in engine.rulesets:
        for rule in ed.rules:
            for cond in (rule.when, rule.applies):
                for n in (ir.walk(cond) if cond is not None else ()):
                    if isinstance(n, ir.Compare):
                        fact, const, op = n.left, n.right, str(n.op)
                        if isinstance(fact, ir.Const):
                            fact, const, op = const, fact, flip[op]
                        if isinstance(fact, ir.Fact) and isinstance(const, ir.Const) and \
                                isinstance(const.value, int | float) and \
                                not isinstance(const.value, bool):
                            out.setdefault(fact.name, []).append((op, float(const.value)))
    return out


def _numbers(rng: np.random.Generator, fact: FactDef, n: int, compliance: float,
             thresholds: list[tuple[str, float]]) -> np.ndarray:
    low = fact.minimum if fact.minimum is not None else 0.0
    high = fact.maximum if fact.maximum is not None else 100.0
    if thresholds:
        op, c = thresholds[0]
        span = max(abs(c), 1.0)
        ok_below = op in (">", ">=")  # the rule fires above c: compliant values lie below
        inside = rng.random(n) < compliance
        below = rng.uniform(c - span, c, n)
        above = rng.uniform(c, c + span, n)
        values = np.where(inside == ok_below, below, above)
        values = np.where(values == c, c + (span / 2 if not ok_below else -span / 2), values)
    else:
        values = rng.uniform(low, high, n)
    return np.clip(values, low, high if fact.maximum is not None else None)


def _column(rng: np.random.Generator, fact: FactDef, n: int, compliance: float,
            thresholds: list[tuple[str, float]], days: np.ndarray) -> pl.Series:
    t = fact.type
    name = fact.name
    if isinstance(t, BoolT):
        if fact.compliant is None:
            return pl.Series(name, rng.random(n) < 0.6)
        ok = rng.random(n) < compliance
        return pl.Series(name, ok if fact.compliant else ~ok)
    if isinstance(t, IntT):
        return pl.Series(name, np.rint(_numbers(rng, fact, n, compliance, thresholds)
                                       ).astype(np.int64))
    if isinstance(t, FloatT):
        return pl.Series(name, np.round(_numbers(rng, fact, n, compliance, thresholds), 1))
    if isinstance(t, EnumT):
        return pl.Series(name, np.array(t.values, dtype=object)[rng.integers(
            0, len(t.values), n)].tolist(), dtype=pl.String)
    if isinstance(t, DateT):
        offsets = rng.integers(-900, 0, n)
        return pl.Series(name, [dt.date.fromordinal(int(d) + int(o))
                                for d, o in zip(days, offsets, strict=True)], dtype=pl.Date)
    if isinstance(t, StrT):
        return pl.Series(name, [f"v{k}" for k in rng.integers(0, 50, n)], dtype=pl.String)
    if isinstance(t, ListT) and isinstance(t.item, EnumT):
        values = np.array(t.item.values, dtype=object)
        picks = rng.random((n, len(values))) < 0.2
        return pl.Series(name, [values[row].tolist() for row in picks],
                         dtype=pl.List(pl.String))
    if isinstance(t, ListT) and isinstance(t.item, BoolT):
        sizes = rng.integers(0, 4, n)
        return pl.Series(name, [(rng.random(k) < compliance).tolist() for k in sizes],
                         dtype=pl.List(pl.Boolean))
    assert isinstance(t, ListT)
    sizes = rng.integers(0, 4, n)
    return pl.Series(name, [_numbers(rng, fact, int(k), compliance, thresholds).tolist()
                            for k in sizes], dtype=pl.List(pl.Float64))


def _item_values(t: Type) -> tuple[str, ...]:
    assert isinstance(t, ListT) and isinstance(t.item, EnumT)
    return t.item.values


def synthetic_frame(engine: Engine, n: int, *, seed: int = 0, missing: float = 0.0,
                    sectors: Sequence[str] = DEFAULT_SECTORS, compliance: float = 0.985,
                    start: dt.date = dt.date(2024, 1, 1), end: dt.date = dt.date(2025, 12, 31),
                    ) -> pl.DataFrame:
    """``n`` records for enterprises of ``sectors``, inspected between ``start`` and
    ``end``, with a share ``missing`` of their facts unreported."""
    rng = np.random.default_rng(seed)
    catalog = engine.rulesets.catalog
    sector_of = np.array(sectors, dtype=object)[rng.integers(0, len(sectors), n)]
    days = rng.integers(start.toordinal(), end.toordinal() + 1, n)
    scope_values = _item_values(catalog["enterprise.scopes"].type)
    sub_values = _item_values(catalog["enterprise.subsectors"].type)
    thresholds = _thresholds(engine)
    frame: dict[str, Any] = {
        "record_id": [f"S{seed}-{k:07d}" for k in range(n)],
        "inspected_on": pl.Series([dt.date.fromordinal(int(d)) for d in days], dtype=pl.Date),
        "enterprise.sector": pl.Series(sector_of.tolist(), dtype=pl.String),
    }
    editions = {ed.id: ed for sector in sectors for _, eds in engine._candidates(sector)
                for ed in eds}
    mentioned: set[str] = set()
    for ed in editions.values():
        for rule in ed.rules:
            for cond in (rule.applies, ed.applies):
                mentioned.update(c.value for c in (ir.walk(cond) if cond else ())
                                 if isinstance(c, ir.Const) and isinstance(c.value, str))
    scopes = np.array([s for s in scope_values if s in mentioned], dtype=object)
    subs = np.array([s for s in sub_values if s in mentioned], dtype=object)
    scope_picks = rng.random((n, len(scopes))) < 0.25
    sub_picks = rng.random((n, len(subs))) < 0.15
    frame["enterprise.scopes"] = pl.Series([scopes[r].tolist() for r in scope_picks],
                                           dtype=pl.List(pl.String))
    frame["enterprise.subsectors"] = pl.Series([subs[r].tolist() for r in sub_picks],
                                               dtype=pl.List(pl.String))
    # each record carries the facts of the rules that may apply to its enterprise (its
    # sector, subsectors and scopes), as an inspection checklist for it would ask them
    from hazard_rules.backends.columnar import ColumnarEdition

    enterprise = pl.DataFrame({k: v for k, v in frame.items() if k.startswith("enterprise.")})
    wanted: dict[str, np.ndarray] = {}
    for ed in editions.values():
        applies, statuses = ColumnarEdition(ed).evaluate_frame(enterprise)
        may = applies.fill_null(True).to_numpy()
        for rule, status in zip(ed.rules, statuses.iter_columns(), strict=True):
            rows = may & (status != 3).fill_null(True).to_numpy()
            for name in rule.facts:
                if not name.startswith(("enterprise.", "record.")):
                    wanted[name] = wanted.get(name, np.zeros(n, dtype=bool)) | rows
    for name in sorted(wanted):
        fact = catalog[name]
        column = _column(rng, fact, n, compliance, thresholds.get(name, []), days)
        keep = wanted[name] & (rng.random(n) >= missing)
        frame[name] = pl.select(pl.when(pl.Series(keep)).then(column)).to_series().alias(name)
    return pl.DataFrame(frame)
