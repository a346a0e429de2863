"""The rete backend: each edition evaluated by durable_rules, its quirks contained.

durable_rules (2.0.28, unmaintained since 2020) has quirks that silently lose
records; each is contained here and pinned by a regression test:

- **One global host, names that cannot be reused.** durable's ``Host`` refuses a
  ruleset name twice and starts timer threads that dispatch pending actions of
  every registered ruleset concurrently. We never register with a ``Host``:
  rulesets are created directly, named after a hash of their content, and an
  identical definition is reused, so compiling an edition twice or reloading a
  changed ruleset in a notebook works and nothing else runs our actions.
- **MessageNotHandledException** when no rule matches is a normal "nothing fired".
- **MessageObservedException**: identical facts are deduplicated, and distinct
  facts are sometimes reported as duplicates (its issue #376). Every document
  gets a unique ``id``; a document reported as observed is re-asserted under a
  new id, so no record is ever dropped.
- **A rule that can match a document lacking fields** also matches durable's own
  state document and loops forever: every condition is anchored on a marker
  field (``hr: 1``) that only our documents carry.
- **Absent fields in comparisons and arithmetic match**; ``null`` counts as present
  for ``$ex``; ``$iall`` over an empty list is false: see :mod:`.lower`; unknown
  facts are left out of the document, never sent as ``null``.
- **Threads**: the C engine is not thread-safe (error 307). All calls into it are
  serialised by one lock; a backend may be shared by threads.
- **Consequences never lose results**: actions only record which rule matched; a
  document is retracted after its actions ran, and an action error is raised.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any

from hazard_rules import ir
from hazard_rules.backends.rete.document import DocumentBuilder
from hazard_rules.backends.rete.lower import Cond, Lowering, Unsupported
from hazard_rules.backends.rete.plan import Plan, anchored, build_plan, holds
from hazard_rules.errors import CompileError, Diagnostic, HazardRulesError
from hazard_rules.model import Edition

try:
    from durable import engine as _durable
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise HazardRulesError(
        "the rete backend needs durable_rules: pip install 'hazard-rules[rete]' "
        "(it compiles C: gcc and the Python headers are required)") from exc

__all__ = ["ReteBackend", "ReteEdition"]

#: Serialises every call into durable_rules' C engine (it is not thread-safe).
_LOCK = threading.RLock()
#: Content hash -> compiled durable ruleset, so identical definitions are created once.
_RULESETS: dict[str, list[_Partition]] = {}
_IDS = itertools.count()
MAX_ATTEMPTS = 8  # re-assertions of a document that durable calls a duplicate


class ReteEdition:
    """An edition lowered to a durable_rules ruleset."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        lowering = Lowering()
        conditions, problems = _lower_edition(edition, lowering)
        durable_rules: dict[str, dict[str, Any]] = {}
        self.plans: dict[str, Plan] = {}
        for name, cond in conditions.items():
            try:
                self.plans[name] = build_plan(name, cond, durable_rules)
            except Unsupported as exc:
                problems.append(Diagnostic("rete-unsupported", f"{name}: {exc}", edition.span))
        if problems:
            raise CompileError("rete", problems)
        self.definition: dict[str, Any] = {
            name: {"all": [{"m": anchored(cond)}]} for name, cond in durable_rules.items()}
        text = json.dumps(self.definition, sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        self.name = f"hazard_rules.{edition.id}.{digest}"
        with _LOCK:
            if self.name not in _RULESETS:
                _RULESETS[self.name] = _partitions(self.name, json.loads(text))
        # shared by every compilation of the same definition; refined in place (below)
        self._parts = _RULESETS[self.name]
        fields = sorted({n for r in edition.rules for n in r.facts} | set(
            ir.facts_of(edition.applies) if edition.applies is not None else {}))
        self._builder = DocumentBuilder(fields, lowering)

    def document(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The flat document durable_rules sees for one record (unknown facts left out)."""
        return self._builder.build(facts)

    @property
    def partitions(self) -> int:
        """How many durable rulesets the edition needs (see :class:`_Partition`)."""
        return len(self._parts)

    def matched(self, facts: Mapping[str, Any]) -> set[str]:
        """The names of the durable rules that match the record."""
        doc = self.document(facts)
        hits: set[str] = set()
        with _LOCK:
            k = 0
            while k < len(self._parts):
                part = self._parts[k]
                sent = {f: v for f, v in doc.items() if f in part.fields}
                try:
                    hits |= _assert_and_retract(part.ruleset, part.fired, sent)
                except Exception as exc:  # durable_rules_engine.error
                    if len(part.definition) < 2 or not _capacity(exc):
                        raise
                    # too wide for durable: split this partition for good, and retry
                    self._parts[k:k + 1] = part.halves()
                    continue
                k += 1
        return hits

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[int, ...] | None:
        """Statuses of the edition's rules for one record (None: edition not applicable)."""
        hits = self.matched(facts)
        plans = self.plans

        def met(name: str) -> bool:
            plan = plans.get(name)
            return plan is not None and holds(plan, hits)

        if met("e$na"):
            return None
        statuses = []
        for r in self.edition.rules:
            t, f = met(f"r{r.index}$t"), met(f"r{r.index}$f")
            if t and f:  # pragma: no cover - would be a lowering bug
                raise HazardRulesError(f"rete backend: {r.id} matched as TRUE and FALSE")
            if met(f"r{r.index}$na"):
                statuses.append(3)
            else:
                statuses.append(2 if t else 0 if f else 1)
        return tuple(statuses)


#: durable's capacity limits: at creation (rules.h ERR_RULE_LIMIT_EXCEEDED 106,
#: ERR_RULE_EXISTS_LIMIT_EXCEEDED 107: an alpha node holds at most 128 $nex or array
#: children; ...BETA... 108) and when a document is asserted (ERR_EVENT_MAX_PROPERTIES
#: 302, ERR_MAX_STACK_SIZE 303: the alpha traversal stack holds 64 nodes)
_CAPACITY_CODES = ("error code: 106", "error code: 107", "error code: 108",
                   "error code: 302", "error code: 303")


def _capacity(exc: BaseException) -> bool:
    return any(code in str(exc) for code in _CAPACITY_CODES)


def _reads(rule: dict[str, Any]) -> set[str]:
    """The document fields a durable rule (``{"all": [{"m": cond}, ...]}``) reads."""
    out: set[str] = set()
    for pattern in rule["all"]:
        for cond in pattern.values():
            _fields(cond, out)
    return out


def _fields(cond: Any, out: set[str]) -> set[str]:
    """The document fields a durable condition reads."""
    if isinstance(cond, dict):
        for key, value in cond.items():
            if not key.startswith("$"):
                out.add(key)
            _fields(value, out)
    elif isinstance(cond, list):
        for item in cond:
            _fields(item, out)
    return out


class _Partition:
    """Some of an edition's durable rules in one durable ruleset, and the fields they read."""

    def __init__(self, name: str, definition: dict[str, Any]) -> None:
        self.name = name
        self.definition = definition
        self.fired: list[str] = []
        self.fields = {"hr"}.union(*map(_reads, definition.values()))
        rules = {n: {**d, "run": _recorder(self.fired, n)} for n, d in definition.items()}
        self.ruleset = _durable.Ruleset(name, None, rules)

    def halves(self) -> list[_Partition]:
        names = list(self.definition)
        half = len(names) // 2
        return [*_partitions(f"{self.name}.a", {n: self.definition[n] for n in names[:half]}),
                *_partitions(f"{self.name}.b", {n: self.definition[n] for n in names[half:]})]


#: durable's C core holds at most 255 properties per document (``MAX_OBJECT_PROPERTIES``);
#: wider documents fail with error 302 or, in ``do_actions``, crash the process. A
#: partition reads at most this many fields, leaving room for ``id`` and ``hr``.
MAX_FIELDS = 240


def _packed(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Split ``definition`` in order into groups whose rules read at most MAX_FIELDS fields."""
    groups: list[dict[str, Any]] = []
    fields: set[str] = set()
    for name, rule in definition.items():
        more = _reads(rule)
        if len(more) > MAX_FIELDS:
            raise HazardRulesError(f"rete backend: {name} reads {len(more)} fields; "
                                   f"durable_rules documents hold at most {MAX_FIELDS}")
        if not groups or len(fields | more) > MAX_FIELDS:
            groups.append({})
            fields = set()
        groups[-1][name] = rule
        fields |= more
    return groups


def _partitions(name: str, definition: dict[str, Any]) -> list[_Partition]:
    """Partitions for ``definition``: packed under MAX_FIELDS, then halved while durable
    refuses one as too big."""
    groups = _packed(definition)
    if len(groups) > 1:
        return [p for k, g in enumerate(groups) for p in _partitions(f"{name}.{k}", g)]
    try:
        return [_Partition(name, definition)]
    except Exception as exc:  # durable_rules_engine.error
        if len(definition) < 2 or not _capacity(exc):
            raise HazardRulesError(f"rete backend: durable_rules refused {name}: {exc}") from exc
    names = list(definition)
    half = len(names) // 2
    return [*_partitions(f"{name}.a", {n: definition[n] for n in names[:half]}),
            *_partitions(f"{name}.b", {n: definition[n] for n in names[half:]})]


def _recorder(fired: list[str], name: str) -> Callable[[Any], None]:
    def action(c: Any) -> None:  # the consequence: only record the match
        fired.append(name)

    return action


def _assert_and_retract(ruleset: Any, fired: list[str], doc: dict[str, Any]) -> set[str]:
    """Assert one document, run its actions, retract it; contain durable's exceptions."""
    fired.clear()
    errors: list[Any] = []

    def completed(error: Any, _state: Any) -> None:
        if error:
            errors.append(error)

    for _attempt in range(MAX_ATTEMPTS):
        doc["id"] = f"hr-{next(_IDS)}"
        try:
            state = ruleset.assert_fact(doc)
        except _durable.MessageNotHandledException:
            return set()  # nothing matched: a normal outcome, not an error
        except _durable.MessageObservedException:
            continue  # reported as a duplicate (issue #376): assert again under a new id
        try:
            ruleset.do_actions(state, completed)
        finally:
            _retract(ruleset, doc)
        if errors:
            raise HazardRulesError(f"rete backend: an action failed: {errors[0]}")
        return set(fired)
    raise HazardRulesError(  # pragma: no cover - 8 spurious duplicates in a row
        f"rete backend: durable_rules reported a record as a duplicate {MAX_ATTEMPTS} times")


def _retract(ruleset: Any, doc: dict[str, Any]) -> None:
    with contextlib.suppress(_durable.MessageNotHandledException):
        ruleset.retract_fact(doc)


def _lower_edition(edition: Edition, lowering: Lowering
                   ) -> tuple[dict[str, Cond], list[Diagnostic]]:
    conditions: dict[str, Cond] = {}
    problems: list[Diagnostic] = []
    try:
        ed_f = lowering.lower(edition.applies)[1] if edition.applies is not None else None
    except Unsupported as exc:
        problems.append(Diagnostic("rete-unsupported", f"edition {edition.id} applies: "
                                   f"{exc}", edition.span))
        return {}, problems
    if edition.applies is not None:
        conditions["e$na"] = ed_f
    for r in edition.rules:
        try:
            parts = [p for p in (edition.applies, r.applies) if p is not None]
            t, f = lowering.lower(ir.And((*parts, r.when)) if parts else r.when)
            if r.applies is not None:
                conditions[f"r{r.index}$na"] = lowering.lower(r.applies)[1]
            conditions[f"r{r.index}$t"] = t
            conditions[f"r{r.index}$f"] = f
        except Unsupported as exc:
            problems.append(Diagnostic(
                "rete-unsupported",
                f"rule {r.id}: {exc.construct} cannot be expressed in durable_rules "
                f"({exc.why})", r.span))
    return conditions, problems


class ReteBackend:
    """Evaluates editions with durable_rules (imported only when this backend is used)."""

    name = "rete"

    def compile(self, edition: Edition) -> ReteEdition:
        return ReteEdition(edition)

