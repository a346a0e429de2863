"""Load the two sides of a comparison from paths and compare them: the library
function behind ``hazard-rules diff``.

A side is a *single edition* when its path is an edition folder or a
``ruleset.yaml``; otherwise a rulesets tree. Two single editions are compared with
each other whatever their ids; a single edition and a tree, with the tree's edition
of the same id, else the one it supersedes or that supersedes it; two trees,
edition by edition (see :mod:`~hazard_rules.authoring.diff`).

With records, every record is judged by both sides. When editions are compared,
each record is judged by the edition itself, whatever its ``inspected_on`` date (the
question is what the new text changes); when trees are compared, by the editions
in force on its date, as ``classify`` does.

>>> from hazard_rules import bundled_rulesets_path
>>> root = bundled_rulesets_path()
>>> d = diff_paths(root / "gongmao-2023", root / "gongmao-2023")
>>> d.mode, d.differs
('editions', False)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Literal

from hazard_rules.authoring.diff import (
    EditionDiff,
    RulesetsDiff,
    diff_catalogs,
    diff_editions,
    diff_trees,
)
from hazard_rules.authoring.verdicts import RecordsDiff, diff_verdicts, read_rows
from hazard_rules.build import load_rulesets
from hazard_rules.engine import Engine
from hazard_rules.model import Catalog, Edition, Rulesets
from hazard_rules.spec.load import EDITION_FILE

__all__ = ["PairingError", "diff_paths", "is_single_edition"]


class PairingError(ValueError):
    """A single edition has no counterpart in the tree it is compared with."""


def is_single_edition(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names one edition (its folder or its ``ruleset.yaml``).

    >>> from hazard_rules import bundled_rulesets_path
    >>> root = bundled_rulesets_path()
    >>> is_single_edition(root / "gongmao-2023"), is_single_edition(root)
    (True, False)
    """
    p = Path(path)
    return p.is_file() or (p / EDITION_FILE).is_file()


def _partner(single: Edition, tree: Rulesets) -> Edition:
    if single.id in tree.editions:
        return tree.editions[single.id]
    for ed in tree:
        if ed.id == single.supersedes or ed.supersedes == single.id:
            return ed
    raise PairingError(f"no edition {single.id!r} in the other rulesets, nor one that it "
                       f"supersedes or that supersedes it (there: "
                       f"{', '.join(tree.editions) or 'none'})")


def _timeless(rulesets: Rulesets, edition: Edition) -> Rulesets:
    """Rulesets of ``edition`` alone, in force on every date."""
    ed = dataclasses.replace(edition, effective_from=dt.date.min, effective_until=None,
                             supersedes=None)
    return Rulesets({ed.id: ed}, rulesets.catalog, rulesets.roots)


def _merged(a: Catalog, b: Catalog) -> Catalog:
    return Catalog({**a.facts, **b.facts}, {**a.namespaces, **b.namespaces})


def diff_paths(old: str | os.PathLike[str], new: str | os.PathLike[str], *,
               records: str | os.PathLike[str] | None = None,
               records_format: str = "auto") -> RulesetsDiff:
    """Compare the rulesets at ``old`` and ``new`` and, with ``records`` (a JSON Lines,
    JSON, CSV or Parquet file), the verdicts of those records under each.

    Raises :class:`~hazard_rules.errors.RulesetError` if either side is invalid,
    :class:`PairingError` if a single edition has no counterpart, ``OSError`` if the
    records cannot be read.
    """
    old_rs, new_rs = load_rulesets(old), load_rulesets(new)
    single_old, single_new = is_single_edition(old), is_single_edition(new)
    facts = diff_catalogs(old_rs.catalog, new_rs.catalog)
    mode: Literal["trees", "editions"] = "trees"
    if single_old or single_new:
        if single_old and single_new:
            a, b = next(iter(old_rs)), next(iter(new_rs))
        elif single_old:
            a = next(iter(old_rs))
            b = _partner(a, new_rs)
        else:
            b = next(iter(new_rs))
            a = _partner(b, old_rs)
        editions: tuple[EditionDiff, ...] = (
            diff_editions(a, b, old_rs.catalog, new_rs.catalog),)
        judged = (_timeless(old_rs, a), _timeless(new_rs, b))
        mode = "editions"
    else:
        editions = diff_trees(old_rs, new_rs, old_rs.catalog, new_rs.catalog)
        judged = (old_rs, new_rs)
    result = RulesetsDiff(str(old), str(new), mode, editions, facts)
    if records is None:
        return result
    rule_map = {k: v for e in editions for k, v in e.rule_map.items()}
    rows = read_rows(records, records_format, _merged(old_rs.catalog, new_rs.catalog))
    verdicts: RecordsDiff = diff_verdicts(Engine(judged[0]), Engine(judged[1]), rows,
                                          str(records), rule_map)
    return dataclasses.replace(result, records=verdicts)
