"""Fit lowered conditions into durable_rules' limits, splitting the ones that do not fit.

durable_rules accepts flat conjunctions and disjunctions of any length, but a
condition with nested ``$and``/``$or`` may hold at most 32 expressions per node
(its ``MAX_SEQUENCE_EXPRESSIONS``; ``create_ruleset`` fails with error 113). A
condition that durable rejects is split at its top-level ``$or`` (or ``$and``) into
parts, each a durable rule of its own (parts are grouped greedily so that as few
rules as possible are needed); the condition then holds when any (all) of the
parts matched. Every comparison is still decided by durable_rules; only the
oversized top-level connective is reassembled, with the same meaning.

Whether a condition fits is asked of durable itself, by compiling it in a
scratch ruleset that is deleted at once (answers are cached).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Union

from hazard_rules.backends.rete.lower import Cond, Unsupported

__all__ = ["Plan", "build_plan", "holds"]

#: A leaf is the name of one durable rule; a node combines its parts with any/all.
Plan = Union[str, tuple[str, list["Plan"]]]  # noqa: UP007 - a recursive alias

ANCHOR: dict[str, Any] = {"hr": 1}


def anchored(cond: dict[str, Any]) -> dict[str, Any]:
    """The rule condition durable sees: only our documents carry the ``hr`` marker."""
    return {"$and": [ANCHOR, cond]} if cond else dict(ANCHOR)


@lru_cache(maxsize=65536)
def _fits_json(text: str) -> bool:
    import durable_rules_engine

    definition = json.dumps({"r": {"all": [{"m": anchored(json.loads(text))}]}})
    try:
        handle = durable_rules_engine.create_ruleset("hazard_rules.scratch", definition)
    except durable_rules_engine.error:
        return False
    durable_rules_engine.delete_ruleset(handle)
    return True


def fits(cond: dict[str, Any]) -> bool:
    """Whether durable_rules accepts ``cond`` as the condition of one rule."""
    return _fits_json(json.dumps(cond, sort_keys=True, ensure_ascii=False))


def build_plan(name: str, cond: Cond, rules: dict[str, dict[str, Any]],
               fits: Callable[[dict[str, Any]], bool] = fits) -> Plan:
    """Plan the durable rules that decide ``cond``; adds them to ``rules`` (by name)."""
    if cond is None:
        return ("any", [])  # never matches
    if not cond:
        return ("all", [])  # always matches
    if fits(cond):
        rules[name] = cond
        return name
    if set(cond) == {"$or"}:
        kind, parts = "any", list(cond["$or"])
    elif set(cond) == {"$and"}:
        kind, parts = "all", list(cond["$and"])
    else:
        raise Unsupported("condition", "a single comparison exceeds durable_rules' limits")
    key = "$or" if kind == "any" else "$and"
    chunks: list[list[Cond]] = []
    for part in parts:
        if chunks and fits({key: [*chunks[-1], part]}):
            chunks[-1].append(part)
        else:
            chunks.append([part])
    return (kind, [build_plan(f"{name}.{i}", c[0] if len(c) == 1 else {key: c}, rules, fits)
                   for i, c in enumerate(chunks)])


def holds(plan: Plan, matched: set[str]) -> bool:
    """Whether the planned condition holds, given the durable rules that matched."""
    if isinstance(plan, str):
        return plan in matched
    kind, parts = plan
    if kind == "any":
        return any(holds(p, matched) for p in parts)
    return all(holds(p, matched) for p in parts)
