"""Tools for people who write and review rulesets.

- :func:`diff_paths` (:mod:`~hazard_rules.authoring.compare`): what changed between two
  rulesets or editions, clause by clause, and which records change verdict
  (:mod:`~hazard_rules.authoring.diff`, :mod:`~hazard_rules.authoring.verdicts`);
  :func:`render_diff` prints it for review.
- :func:`write_docs` (:mod:`~hazard_rules.authoring.docs`): a browsable rule catalog in
  Markdown and static HTML.
- :func:`condition_text` (:mod:`~hazard_rules.authoring.render`): a condition with fact
  labels, in Chinese or English; :func:`normal_form` tells a rewrite from a change.

None of this is imported by ``import hazard_rules``.

>>> from hazard_rules import ir
>>> from hazard_rules.typesys import BOOL
>>> condition_text(ir.Not(ir.Fact("plant.alarm_installed", BOOL)), lang="en")
'not "plant.alarm_installed"'
"""

from hazard_rules.authoring.compare import PairingError, diff_paths
from hazard_rules.authoring.diff import (
    Change,
    EditionDiff,
    FactDiff,
    RuleDiff,
    RulesetsDiff,
    diff_catalogs,
    diff_editions,
    diff_trees,
)
from hazard_rules.authoring.diff_text import render_diff
from hazard_rules.authoring.docs import catalog_pages, write_docs
from hazard_rules.authoring.normal import normal_form
from hazard_rules.authoring.render import condition_text, condition_tree
from hazard_rules.authoring.verdicts import RecordChange, RecordsDiff, diff_verdicts

__all__ = [
    "Change",
    "EditionDiff",
    "FactDiff",
    "PairingError",
    "RecordChange",
    "RecordsDiff",
    "RuleDiff",
    "RulesetsDiff",
    "catalog_pages",
    "condition_text",
    "condition_tree",
    "diff_catalogs",
    "diff_editions",
    "diff_paths",
    "diff_trees",
    "diff_verdicts",
    "normal_form",
    "render_diff",
    "write_docs",
]
