"""The static checks of ``validate --strict``: codes, default severities, descriptions.

Every check has a stable code (used in configuration, inline suppressions, SARIF
rule ids and JUnit test names) and a default severity that a configuration file
may change per check or per rule.

>>> CHECKS["unsatisfiable-when"].severity.value
'error'
>>> sorted(c.code for c in CHECKS.values() if c.group == "conditions")[:2]
['always-true', 'condition-too-complex']
"""

from __future__ import annotations

from dataclasses import dataclass

from hazard_rules.errors import Diagnostic, Severity

__all__ = ["CHECKS", "Check", "Finding"]


@dataclass(frozen=True)
class Check:
    """One static check: its code, default severity, group and one-line summary."""

    code: str
    severity: Severity
    group: str
    summary: str
    description: str


@dataclass(frozen=True)
class Finding:
    """A diagnostic of a check with the subject it is about (a rule, edition or fact id).

    Configuration ``rules:`` entries are matched against ``subject``.
    """

    diagnostic: Diagnostic
    subject: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CHECKS: dict[str, Check] = {c.code: c for c in (
    Check("unsatisfiable-when", _E, "conditions", "a rule's `when` can never be TRUE",
          "The condition contradicts itself in every alternative (for example "
          "`x > 5 and x < 3`, or a yes/no fact required both true and false), so the "
          "rule can never fire."),
    Check("unsatisfiable-applies", _E, "conditions", "a rule can never apply",
          "The rule's `applies` together with its edition's `applies` can never be "
          "TRUE, so the rule is never evaluated."),
    Check("never-fires", _E, "conditions", "a rule's `when` is never TRUE where it applies",
          "`when` can be TRUE and the rule can apply, but never both: for example an "
          "`applies` that selects one sector and a `when` that requires another."),
    Check("always-true", _W, "conditions", "a rule's `when` is TRUE wherever it applies",
          "Once its facts are reported, the rule fires for every record it applies to: "
          "its `when` tests nothing the `applies` does not already decide."),
    Check("equivalent-rules", _W, "conditions", "two rules of an edition fire on the same "
          "records", "The `applies` and `when` of two rules of one edition are TRUE for "
          "exactly the same records: usually a copied rule whose condition was not "
          "changed."),
    Check("condition-too-complex", _I, "conditions", "a condition was too large to analyse",
          "The condition has more alternatives than the solver expands; it was not "
          "checked."),
    Check("unused-fact", _W, "catalog", "a fact is declared but no rule uses it",
          "No `when` or `applies` of any loaded edition reads the fact. Only checked "
          "when every edition of the rulesets folder is loaded."),
    Check("unused-catalog", _W, "catalog", "an edition lists a fact catalog it never uses",
          "The edition names a catalog in `facts:` but none of its conditions reads a "
          "fact of that catalog."),
    Check("no-positive-case", _E, "cases", "a rule has no case that fires it",
          "No case (other than `todo` ones) lists the rule in `fires`."),
    Check("no-negative-case", _E, "cases", "a rule has no case that decides it FALSE",
          "No case (other than `todo` ones) lists the rule in `not_fires`: a near miss "
          "that must not fire."),
    Check("edition-gap", _E, "editions", "a gap between an edition and the one it "
          "supersedes", "The superseded edition ends before the day before its successor "
          "takes effect, so records inspected in between have no edition in force."),
    Check("citation-format", _E, "citations", "an article does not follow the edition's "
          "numbering", "Each edition numbers its clauses one way (第X条第（Y）项, 第X项, "
          "4.1 a), 一、地下矿山（三）…); a citation that follows another pattern is "
          "usually a typo."),
    Check("citation-mismatch", _E, "citations", "a rule id does not match its article",
          "The numbers of the rule id (gongmao-2023/4.3) must be those of its article "
          "(第四条第（三）项): a copied rule whose id or article was not updated."),
    Check("duplicate-citation", _E, "citations", "two rules cite the same article",
          "Each clause of a standard is encoded by one rule."),
    Check("text-mismatch", _E, "text", "clause text differs from the official text",
          "Every line of a rule's `text` must be a whole line of the official text in "
          "the standards folder (numbering labels and table layout aside), in order."),
    Check("text-unchecked", _I, "text", "clause text could not be compared",
          "The edition names no `source`, or its file is not in the standards folder."),
    Check("suppression-without-reason", _E, "suppressions", "an inline suppression gives "
          "no reason", "Write why the finding does not apply: "
          "`# hazard-rules: ignore[code] reason`."),
    Check("unused-suppression", _W, "suppressions", "an inline suppression suppresses "
          "nothing", "The finding it was written for is gone: remove the comment."),
    Check("unknown-check", _E, "suppressions", "a suppression or configuration names an "
          "unknown check", "See `hazard-rules validate --list-checks`."),
)}
