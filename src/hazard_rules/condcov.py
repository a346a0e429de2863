"""Condition coverage: has every atom of every ``when`` been seen TRUE, FALSE and UNKNOWN?

An *atom* is a part of a condition that is not ``and``, ``or`` or ``not``: a yes/no
fact, a comparison, a membership test, ``known(x)``, ``count_true(...)``, ``any``/``all``.
Each atom can be TRUE, FALSE or UNKNOWN (its facts unreported), except ``known(x)``,
which is never UNKNOWN. Across the cases of an edition, an atom is covered when it
has been seen with each value it can take, on records the rule applies to. A
ruleset whose cases never make an atom FALSE has not shown that the rule tells
that atom's two sides apart.

>>> import hazard_rules as hr
>>> from hazard_rules.cases import run_cases
>>> rs = hr.load_rulesets()
>>> report = run_cases(rs, editions=["weihua-2017"], conditions=True)
>>> cov = report.conditions
>>> cov is not None and 0 < cov.percent <= 100
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hazard_rules import ir
from hazard_rules.interpret import TruthFn, compile_truth
from hazard_rules.lint.solver import text
from hazard_rules.logic import FALSE, TRUE, UNKNOWN
from hazard_rules.model import Rulesets

__all__ = ["Atom", "ConditionCoverage", "atoms"]

_NAMES = {TRUE: "TRUE", FALSE: "FALSE", UNKNOWN: "UNKNOWN"}


def atoms(e: ir.Expr) -> list[ir.Expr]:
    """The atoms of a condition, in order, each once.

    >>> from hazard_rules.typesys import BOOL
    >>> x, y = ir.Fact("a.x", BOOL), ir.Fact("a.y", BOOL)
    >>> [ir.dump(a) for a in atoms(ir.Or((x, ir.Not(ir.And((y, x))))))]
    ['a.x', 'a.y']
    """
    out: dict[str, ir.Expr] = {}
    stack = [e]
    while stack:
        n = stack.pop()
        if isinstance(n, ir.And | ir.Or):
            stack.extend(reversed(n.operands))
        elif isinstance(n, ir.Not):
            stack.append(n.operand)
        elif not isinstance(n, ir.Const):
            out.setdefault(ir.dump(n), n)
    return list(out.values())


@dataclass
class Atom:
    """One atom of a rule's ``when``: the values it must take and those seen."""

    rule_id: str
    text: str
    required: frozenset[str]
    seen: set[str] = field(default_factory=set)
    fn: TruthFn | None = field(default=None, repr=False, compare=False)

    @property
    def missing(self) -> list[str]:
        return [v for v in ("TRUE", "FALSE", "UNKNOWN") if v in self.required - self.seen]


class ConditionCoverage:
    """Condition coverage of the rules of ``rulesets`` (or of some ``editions``)."""

    def __init__(self, rulesets: Rulesets, editions: Sequence[str] | None = None) -> None:
        wanted = set(editions) if editions else None
        self.atoms: dict[str, list[Atom]] = {}
        for ed in rulesets:
            if wanted is not None and ed.id not in wanted:
                continue
            for rule in ed.rules:
                self.atoms[rule.id] = [
                    Atom(rule.id, text(a),
                         frozenset({"TRUE", "FALSE"} if isinstance(a, ir.Known)
                                   else {"TRUE", "FALSE", "UNKNOWN"}),
                         fn=compile_truth(a))
                    for a in atoms(rule.when)]

    def observe(self, facts: Mapping[str, Any], statuses: Mapping[str, str]) -> None:
        """Record the value of each atom of each rule that was evaluated (applied)."""
        for rule_id, status in statuses.items():
            if status == "NOT_APPLICABLE":
                continue
            for atom in self.atoms.get(rule_id, ()):
                assert atom.fn is not None
                atom.seen.add(_NAMES[atom.fn(facts, {})[0]])

    @property
    def required(self) -> int:
        return sum(len(a.required) for atoms_ in self.atoms.values() for a in atoms_)

    @property
    def covered(self) -> int:
        return sum(len(a.required & a.seen) for atoms_ in self.atoms.values() for a in atoms_)

    @property
    def percent(self) -> float:
        """Covered atom values as a percentage of all required ones (100 if none)."""
        return 100.0 * self.covered / self.required if self.required else 100.0

    def by_rule(self, rule_id: str) -> tuple[int, int]:
        """``(covered, required)`` atom values of one rule."""
        atoms_ = self.atoms.get(rule_id, [])
        return (sum(len(a.required & a.seen) for a in atoms_),
                sum(len(a.required) for a in atoms_))

    def uncovered(self) -> list[Atom]:
        """Atoms not yet seen with every value they can take, in rule order."""
        return [a for atoms_ in self.atoms.values() for a in atoms_ if a.missing]

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": round(self.percent, 2), "covered": self.covered,
            "required": self.required,
            "uncovered": [{"rule_id": a.rule_id, "atom": a.text, "missing": a.missing}
                          for a in self.uncovered()],
        }
