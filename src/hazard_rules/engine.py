"""The engine: choose editions by date, evaluate them, build verdicts.

>>> from hazard_rules import Engine
>>> engine = Engine()
>>> v = engine.classify({
...     "record_id": "R-1", "inspected_on": "2024-03-05",
...     "enterprise": {"sector": "machinery", "scopes": ["dust_explosion"]},
...     "facts": {"dust": {"dry_collector_in_use": True,
...                        "dry_collector_explosion_control": False}}})
>>> v.status.value, "gongmao-2023/11.3" in v.fired
('major', True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from hazard_rules import ir
from hazard_rules.backends import Backend, CompiledEdition, get_backend
from hazard_rules.interpret import TruthFn, compile_truth, truth
from hazard_rules.logic import FALSE, TRUE, UNKNOWN, tv_name
from hazard_rules.model import Edition, Rule, Rulesets
from hazard_rules.records import Normaliser, NormalRecord, RecordIssue
from hazard_rules.verdict import Evidence, Finding, Status, Unassessed, Undetermined, Verdict

if TYPE_CHECKING:
    from hazard_rules.backends.columnar.classify import FrameClassifier, FrameResult

__all__ = ["Engine", "Missing"]

Missing = Literal["unknown", "false"]
_NO_ENV: Mapping[str, Any] = {}
_MEMO_SIZE = 2048
#: One step of evaluating a record: an edition in force and its compiled function, or
#: the id of a standard with no loaded edition in force on the record's date.
_Step = tuple[Edition, Callable[[Mapping[str, Any]], tuple[int, ...] | None]] | str


_FIELD_RANK = {"record_id": 0, "inspected_on": 1, "source": 2}


def issue_order(issue: RecordIssue) -> tuple[int, str, str, str]:
    """The canonical order of a verdict's errors: record_id, date, source, enterprise
    fields, facts, other fields, then problems of the record as a whole. Every backend
    sorts by it, whatever order the input's fields came in."""
    field = issue.field or ""
    rank = _FIELD_RANK.get(field, 3 if field.startswith("enterprise") else
                           4 if field.startswith("facts.") or "." in field else
                           5 if field else 6)
    return rank, field, issue.code, issue.message


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset):
        return [_json_value(v) for v in value]
    return value


class Engine:
    """Classifies inspection records against loaded rulesets.

    ``backend`` names the evaluation backend (``"python"`` by default).
    ``missing="unknown"`` (default) treats unreported facts as unknown;
    ``missing="false"`` is the closed world: an unreported fact takes the value
    its catalog declares compliant (facts without one stay unknown).
    """

    def __init__(
        self,
        rulesets: Rulesets | None = None,
        *,
        backend: str | Backend = "python",
        missing: Missing = "unknown",
    ) -> None:
        if rulesets is None:  # the bundled rulesets, loaded once per process (immutable)
            from hazard_rules.explain import _bundled

            rulesets = _bundled()
        if missing not in ("unknown", "false"):
            raise ValueError(f"missing must be 'unknown' or 'false', not {missing!r}")
        self.rulesets = rulesets
        self.backend = get_backend(backend) if isinstance(backend, str) else backend
        self.missing: Missing = missing
        self._compiled: dict[str, CompiledEdition] = {
            e.id: self.backend.compile(e) for e in rulesets
        }
        self._normalise = Normaliser(rulesets.catalog)
        self._compliant = {
            n: f.compliant for n, f in rulesets.catalog.facts.items() if f.compliant is not None
        }
        self._standards = rulesets.standards
        self._by_sector: dict[Any, list[tuple[str, tuple[Edition, ...]]]] = {}
        self._plans: dict[tuple[Any, dt.date], list[_Step]] = {}
        self._frames: FrameClassifier | None = None
        # one compiled closure per rule: applies and when together, for evidence
        self._support: dict[str, tuple[TruthFn, tuple[str, ...]]] = {}
        for ed in rulesets:
            for rule in ed.rules:
                parts = [p for p in (ed.applies, rule.applies) if p is not None]
                cond = ir.And((*parts, rule.when)) if parts else rule.when
                self._support[rule.id] = (compile_truth(cond), tuple(ir.facts_of(cond)))
        # the support of a rule depends only on the values of its facts, which repeat a
        # lot across records: remember recent results (exact; bounded per rule)
        self._memo: dict[str, dict[tuple[Any, ...], tuple[str, ...]]] = {}
        self._unassessed = {
            ed.id: tuple(Unassessed(ed.id, m.article, m.id) for m in ed.missing_text)
            for ed in rulesets}

    def __repr__(self) -> str:
        return (f"Engine(backend={self.backend.name!r}, missing={self.missing!r}, "
                f"editions={list(self.rulesets.editions)})")

    def compiled(self, edition_id: str) -> CompiledEdition:
        """The backend's compiled form of an edition (e.g. to print generated source)."""
        return self._compiled[edition_id]

    # -- classification ----------------------------------------------------------------

    def classify(self, record: Mapping[str, Any] | Any, *, missing: Missing | None = None,
                 index: int | None = None) -> Verdict:
        """Judge one record (a mapping or a pydantic model). Never raises on bad input:
        problems are reported in ``Verdict.errors``."""
        rec = self._normalise(record, index)
        return self._judge(rec, missing or self.missing)

    def classify_many(self, records: Iterable[Mapping[str, Any] | Any], *,
                      missing: Missing | None = None) -> Iterator[Verdict]:
        """Judge records lazily, in order, one verdict per record; never stops on a bad one.

        >>> engine = Engine()
        >>> [v.status.value for v in engine.classify_many([{"record_id": "x"}, 42])]
        ['error', 'error']
        """
        mode = missing or self.missing
        for i, record in enumerate(records):
            yield self._judge(self._normalise(record, i), mode)

    def _facts(self, rec: NormalRecord, missing: Missing) -> Mapping[str, Any]:
        if missing == "unknown":
            return rec.facts
        facts = {**self._compliant, **rec.facts}
        for name in rec.invalid:  # a bad value is unknown, never "compliant"
            facts.pop(name, None)
        return facts

    def facts_of(self, record: Mapping[str, Any] | Any, *,
                 missing: Missing | None = None) -> Mapping[str, Any]:
        """The facts the rules see for ``record``: reported values in catalog units,
        plus the compliant defaults under ``missing="false"``.

        >>> Engine().facts_of({"record_id": "r", "enterprise": {"sector": "chemical"}})
        {'enterprise.sector': 'chemical'}
        """
        return self._facts(self._normalise(record), missing or self.missing)

    def rule_statuses(self, record: Mapping[str, Any] | Any, *,
                      missing: Missing | None = None) -> dict[str, str]:
        """The raw status of every rule of the editions that judge ``record``.

        Values are ``TRUE``, ``FALSE``, ``UNKNOWN`` or ``NOT_APPLICABLE``; editions
        that do not apply to the record are left out. For debugging and tests.
        """
        rec = self._normalise(record)
        if rec.inspected_on is None:
            return {}
        facts = self._facts(rec, missing or self.missing)
        return {rule.id: tv_name(status)
                for ed, statuses in self._evaluate(rec.inspected_on, facts, [])
                for rule, status in zip(ed.rules, statuses, strict=True)}

    def _candidates(self, sector: Any) -> list[tuple[str, tuple[Edition, ...]]]:
        """The standards that may apply to an enterprise of ``sector``.

        A standard is left out only when the ``applies`` of each of its editions is FALSE
        with nothing known but the sector. Conditions are monotonic (more facts never
        turn FALSE into TRUE), except ``known()``: standards whose applicability uses it
        are never left out. Cached per sector.
        """
        found = self._by_sector.get(sector)
        if found is None:
            probe = {} if sector is None else {"enterprise.sector": sector}
            found = [(std, eds) for std, eds in self._standards.items()
                     if not all(e.applies is not None and not any(
                         isinstance(n, ir.Known) for n in ir.walk(e.applies))
                         and truth(e.applies, probe)[0] == FALSE for e in eds)]
            self._by_sector[sector] = found
        return found

    def _evaluate(self, on: dt.date, facts: Mapping[str, Any], issues: list[RecordIssue]
                  ) -> list[tuple[Edition, tuple[int, ...]]]:
        """Statuses per applicable edition; appends date problems to ``issues``."""
        out = []
        for step in self._plan(facts.get("enterprise.sector"), on):
            if isinstance(step, str):
                gap = step
                if any(e.applies is None or truth(e.applies, facts)[0] != FALSE
                       for e in self._standards[gap]):
                    issues.append(RecordIssue(
                        "no-edition", "inspected_on",
                        f"no loaded edition of standard {gap!r} is in force on "
                        f"{on.isoformat()} (loaded: {self.rulesets._describe(gap)})",
                        blocking=True))
                continue
            ed, evaluate = step
            statuses = evaluate(facts)
            if statuses is not None:
                out.append((ed, statuses))
        return out

    def _plan(self, sector: Any, on: dt.date) -> list[_Step]:
        """What to evaluate for a sector on a date: (edition, function) per edition in
        force, or the id of a standard that had editions but none loaded in force on
        that date. Cached (bounded)."""
        key = (sector, on)
        plan = self._plans.get(key)
        if plan is None:
            plan = []
            for standard, _eds in self._candidates(sector):
                ed = self.rulesets._find(standard, on)
                if ed is not None:
                    plan.append((ed, self._compiled[ed.id].evaluate))
                elif self.rulesets.had_edition(standard, on):
                    plan.append(standard)
                # else: the standard did not exist yet, or was repealed without successor
            if len(self._plans) >= 16 * _MEMO_SIZE:
                self._plans.clear()
            self._plans[key] = plan
        return plan

    def judge_with_statuses(self, record: Mapping[str, Any] | Any, *,
                            missing: Missing | None = None) -> tuple[Verdict, dict[str, str]]:
        """The verdict and :meth:`rule_statuses` of a record, from one evaluation."""
        statuses: dict[str, str] = {}
        verdict = self._judge(self._normalise(record), missing or self.missing, statuses)
        return verdict, statuses

    def _judge(self, rec: NormalRecord, missing: Missing,
               statuses_out: dict[str, str] | None = None) -> Verdict:
        issues = list(rec.issues)
        on = rec.inspected_on
        if on is None or any(i.blocking for i in issues):
            return Verdict(rec.record_id, on, Status.ERROR,
                           errors=tuple(sorted(issues, key=issue_order)))
        facts = self._facts(rec, missing)
        findings: list[Finding] = []
        undetermined: list[Undetermined] = []
        evaluated = self._evaluate(on, facts, issues)
        if statuses_out is not None:
            statuses_out.update((rule.id, tv_name(s)) for ed, st in evaluated
                                for rule, s in zip(ed.rules, st, strict=True))
        unassessed = tuple(u for ed, _ in evaluated for u in self._unassessed[ed.id])
        for ed, statuses in evaluated:
            for rule, rule_status in zip(ed.rules, statuses, strict=True):
                if rule_status == TRUE:
                    findings.append(self._finding(ed, rule, facts))
                elif rule_status == UNKNOWN:
                    undetermined.append(self._undetermined(ed, rule, facts))
        if not evaluated and not any(i.blocking for i in issues):
            sector = facts.get("enterprise.sector")
            issues.append(RecordIssue(
                "not-covered", "enterprise",
                "no loaded standard applies to this record"
                + (f" (enterprise.sector = {sector!r})" if sector else ""), blocking=True))
        if findings:
            status = Status.MAJOR
        elif any(i.blocking for i in issues):
            status = Status.ERROR
        elif undetermined or unassessed:
            status = Status.UNDETERMINED
        else:
            status = Status.CLEAR
        return Verdict(rec.record_id, on, status, tuple(ed.id for ed, _ in evaluated),
                       tuple(findings), tuple(undetermined),
                       tuple(sorted(issues, key=issue_order)), unassessed)

    def _support_of(self, rule_id: str, facts: Mapping[str, Any]) -> tuple[str, ...]:
        return self._support_key(rule_id, tuple(facts.get(n) for n in self._support[rule_id][1]))

    def _support_key(self, rule_id: str, key: tuple[Any, ...]) -> tuple[str, ...]:
        """The support of a rule given the values of its facts (``None``: unknown), in
        the order of ``self._support[rule_id][1]``."""
        memo = self._memo.get(rule_id)
        if memo is None:
            memo = self._memo[rule_id] = {}
        found = memo.get(key)
        if found is None:
            fn, names = self._support[rule_id]
            found = fn(dict(zip(names, key, strict=True)), _NO_ENV)[1]
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[key] = found
        return found

    def _finding(self, ed: Edition, rule: Rule, facts: Mapping[str, Any],
                 support: tuple[str, ...] | None = None) -> Finding:
        if support is None:
            support = self._support_of(rule.id, facts)
        catalog = self.rulesets.catalog
        evidence = tuple(
            Evidence(name, _json_value(facts.get(name)),
                     catalog.facts[name].unit if name in catalog.facts else None)
            for name in support
        )
        return Finding(rule.id, ed.standard, ed.id, ed.document, rule.article, rule.text,
                       evidence)

    def _undetermined(self, ed: Edition, rule: Rule, facts: Mapping[str, Any]) -> Undetermined:
        missing = self._support_of(rule.id, facts)
        return Undetermined(rule.id, ed.id, rule.article, missing)

    # -- frames ------------------------------------------------------------------------

    def classify_frame(self, frame: Any, *, missing: Missing | None = None,
                       first_row: int = 0, row_numbers: Sequence[int] | None = None
                       ) -> FrameResult:
        """Classify a polars or pandas DataFrame, or an Arrow table, column-wise.

        One row per record; columns ``record_id``, ``inspected_on``, ``source``,
        ``enterprise.<field>`` and the facts, as ``facts.<ns>.<name>`` or
        ``<ns>.<name>`` (struct columns are flattened). Returns a
        :class:`~hazard_rules.backends.columnar.classify.FrameResult` with a
        ``verdicts`` frame (one row per record) and a ``findings`` frame (one row per
        record and fired clause), in the input's type. Rows are numbered from
        ``first_row`` (for batches of a larger file), or by ``row_numbers``, one per
        row (their lines in a file), which the ``row`` columns and messages then
        show. Needs the ``columnar`` extra.

        >>> import polars as pl
        >>> engine = Engine()
        >>> result = engine.classify_frame(pl.DataFrame({
        ...     "record_id": ["R-1", "R-2"], "inspected_on": ["2024-06-01", "2024-06-01"],
        ...     "enterprise.sector": ["commerce", "commerce"],
        ...     "enterprise.scopes": [[], []],
        ...     "common.special_operator_uncertified_on_duty": [True, False]}))
        >>> result.verdicts["fired"].to_list()[0]
        ['gongmao-2023/3.2']
        """
        if self._frames is None:
            from hazard_rules.backends.columnar.classify import FrameClassifier

            self._frames = FrameClassifier(self)
        numbers = None
        if row_numbers is not None:
            import polars as pl

            numbers = pl.Series("row", row_numbers, dtype=pl.Int64)
        return self._frames.classify(frame, missing or self.missing, first_row, numbers)

    # -- explanation -------------------------------------------------------------------

    def explain(self, verdict: Verdict, lang: str = "zh") -> str:
        """A readable account of ``verdict`` using this engine's fact labels."""
        from hazard_rules.explain import explain

        return explain(verdict, lang=lang, rulesets=self.rulesets)
