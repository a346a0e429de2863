"""The two reference points of the benchmark: plain durable_rules and plain numpy.

``PlainDurable`` is the ruleset a user of durable_rules would write for the same
clauses: two-valued (a rule fires or not; a missing fact simply does not match), one
rule per clause (its condition is the clause's TRUE condition and the edition's dates
in force), a catch-all rule so
that a batch never raises ``MessageNotHandledException``, facts asserted and
retracted in batches of 1,000, every fired rule collected by its action. It reuses
only our lowering of conditions to durable's JSON (which a user would write by hand).

``NumpyMatrix`` evaluates the same conditions three-valued on numpy arrays encoded
once in advance (booleans with a known-mask, numbers with NaN, enums as codes, list
membership as precomputed boolean columns): no per-call overhead, the practical
ceiling for a column-wise evaluator on this machine.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import polars as pl

from hazard_rules import ir
from hazard_rules.backends.rete import _packed, _reads
from hazard_rules.backends.rete.document import DocumentBuilder
from hazard_rules.backends.rete.lower import Lowering
from hazard_rules.backends.rete.plan import Plan, anchored, build_plan, holds
from hazard_rules.model import INSPECTED_ON, Edition
from hazard_rules.typesys import DATE

_names = itertools.count()


class PlainDurable:
    """One durable_rules ruleset per edition with each clause's TRUE condition.

    durable holds at most 255 properties per document (wider ones are refused or crash
    the process), so, as a user must, rules are packed into rulesets that read at most
    240 fields each, and each ruleset is sent only the fields it reads. The documents
    are cut to size once, outside the timed region (:meth:`prepare`)."""

    def __init__(self, editions: list[Edition]) -> None:
        from durable import engine as durable

        self.durable = durable
        self.fired: list[tuple[str, str]] = []
        self.rulesets: list[tuple[Any, set[str], dict[str, Any]]] = []
        self.split: dict[str, Plan] = {}  # clauses too big for one durable rule
        self.lowering = Lowering()  # one for all, so derived field names are unique
        read: set[str] = {INSPECTED_ON.name}
        for ed in editions:
            definition: dict[str, Any] = {}
            on = ir.Fact(INSPECTED_ON.name, INSPECTED_ON.type)
            in_force: list[ir.Expr] = [ir.Compare(">=", on, ir.Const(ed.effective_from, DATE))]
            if ed.effective_until is not None:
                in_force.append(ir.Compare("<=", on, ir.Const(ed.effective_until, DATE)))
            for r in ed.rules:
                parts = [*in_force, *(p for p in (ed.applies, r.applies) if p is not None)]
                cond = ir.And((*parts, r.when))
                read |= set(ir.facts_of(cond))
                true, _ = self.lowering.lower(cond)
                rules: dict[str, dict[str, Any]] = {}
                plan = build_plan(r.id, true, rules)  # too big for durable: split
                if not isinstance(plan, str):
                    self.split[r.id] = plan
                for name, cond in rules.items():
                    definition[name] = {"all": [{"m": anchored(cond)}]}
            for group in _packed(definition):
                self.rulesets.extend(self._create(f"plain-{ed.id}-{next(_names)}", group))
        self._builder = DocumentBuilder(sorted(read), self.lowering)
        self._parts = {n for plan in self.split.values() for n in _leaves(plan)}

    @property
    def parts(self) -> set[str]:
        return self._parts

    def _create(self, name: str, definition: dict[str, Any]
                ) -> list[tuple[Any, set[str], dict[str, Any]]]:
        # a catch-all so that a batch never raises MessageNotHandledException
        rules = {n: {**d, "run": self._collect(n)} for n, d in definition.items()}
        rules["catch-all"] = {"all": [{"m": {"hr": 1}}], "run": lambda c: None}
        fields = {"hr"}.union(*map(_reads, definition.values()))
        try:
            return [(self.durable.Ruleset(name, None, rules), fields, definition)]
        except Exception:  # too big for durable's limits: two rulesets, as a user would
            return self._halves(name, definition)

    def _halves(self, name: str, definition: dict[str, Any]
                ) -> list[tuple[Any, set[str], dict[str, Any]]]:
        keys = list(definition)
        half = len(keys) // 2
        return [*self._create(name + "a", {k: definition[k] for k in keys[:half]}),
                *self._create(name + "b", {k: definition[k] for k in keys[half:]})]

    def _collect(self, rule_id: str) -> Any:
        fired = self.fired

        def action(c: Any) -> None:
            fired.append((c.m.id, rule_id))

        return action

    def documents(self, frame: pl.DataFrame) -> list[dict[str, Any]]:
        """Flat JSON documents of the records, as a user would post them: unknown facts
        left out, dates as day numbers, list lengths and the differences of compared
        facts precomputed (durable compares a field only with constants)."""
        docs = []
        for k, row in enumerate(frame.iter_rows(named=True)):
            facts = {(INSPECTED_ON.name if n == "inspected_on" else n): v
                     for n, v in row.items()}
            facts = {n: tuple(v) if isinstance(v, list) else v for n, v in facts.items()}
            doc = self._builder.build(facts)
            doc["id"] = f"d{k}"
            docs.append(doc)
        return docs

    def prepare(self, documents: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """Each ruleset's documents: only the fields it reads, plus ``id`` and ``hr``.

        Also a trial run: a ruleset whose matching overflows durable's stack on these
        documents (error 303) is split in two, as a user would have to."""
        k = 0
        while k < len(self.rulesets):
            rs, fields, definition = self.rulesets[k]
            docs = [{f: v for f, v in d.items() if f in fields or f == "id"}
                    for d in documents]
            try:
                self._run_one(rs, docs)
            except Exception:
                self.rulesets[k:k + 1] = self._halves(f"plain-{next(_names)}", definition)
                continue
            k += 1
        return [[{f: v for f, v in d.items() if f in fields or f == "id"} for d in documents]
                for _rs, fields, _ in self.rulesets]

    @staticmethod
    def _run_one(rs: Any, documents: list[dict[str, Any]]) -> None:
        for start in range(0, len(documents), 1000):
            batch = documents[start:start + 1000]
            state = rs.assert_facts(batch)
            rs.do_actions(state, lambda e, s: None)
            rs.retract_facts([{"id": d["id"], "hr": 1} for d in batch])

    def run(self, prepared: list[list[dict[str, Any]]]) -> int:
        """Assert the documents in batches of 1,000; returns the number of firings."""
        self.fired.clear()
        for (rs, _fields, _), documents in zip(self.rulesets, prepared, strict=True):
            self._run_one(rs, documents)
        return len(self.fired_clauses())

    def fired_clauses(self) -> set[tuple[str, str]]:
        """(document id, rule id) of the last run; an OR condition fires once per
        satisfied disjunct, a clause split in parts fires when its parts' plan holds."""
        fired = {pair for pair in self.fired if pair[1] not in self.parts}
        if self.split:
            matched: dict[str, set[str]] = {}
            for doc, name in self.fired:
                if name in self.parts:
                    matched.setdefault(doc, set()).add(name)
            fired |= {(doc, rule) for doc, names in matched.items()
                      for rule, plan in self.split.items() if holds(plan, names)}
        return fired


def _leaves(plan: Plan) -> list[str]:
    return [plan] if isinstance(plan, str) else [n for p in plan[1] for n in _leaves(p)]


class NumpyMatrix:
    """Three-valued evaluation of the same conditions on pre-encoded numpy arrays."""

    def __init__(self, editions: list[Edition], frame: pl.DataFrame) -> None:
        self.editions = editions
        self.n = frame.height
        self.cols: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # name -> (values, known)
        self.codes: dict[str, dict[str, int]] = {}
        self.frame = frame
        self.members: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        for ed in editions:
            for cond in [ed.applies, *(c for r in ed.rules for c in (r.applies, r.when))]:
                for node in (ir.walk(cond) if cond is not None else ()):
                    if isinstance(node, ir.Fact):
                        self._encode(node.name)
                    if isinstance(node, ir.Member) and isinstance(node.collection, ir.Fact) \
                            and isinstance(node.item, ir.Const):
                        self._member(node.collection.name, str(node.item.value))

    def _encode(self, name: str) -> None:
        if name in self.cols or name not in self.frame.columns:
            return
        s = self.frame[name]
        known = s.is_not_null().to_numpy()
        if s.dtype == pl.Boolean:
            self.cols[name] = (s.fill_null(False).to_numpy(), known)
        elif s.dtype.is_numeric():
            self.cols[name] = (s.cast(pl.Float64).fill_null(np.nan).to_numpy(), known)
        elif s.dtype == pl.Date:
            self.cols[name] = (s.cast(pl.Int64).fill_null(0).to_numpy(), known)
        elif s.dtype == pl.String:
            mapping = {v: i for i, v in enumerate(s.drop_nulls().unique().sort().to_list())}
            self.codes[name] = mapping
            codes = s.replace_strict(mapping, default=-1, return_dtype=pl.Int64)
            self.cols[name] = (codes.fill_null(-1).to_numpy(), known)

    def _member(self, name: str, value: str) -> None:
        s = self.frame[name]
        self.members[(name, value)] = (s.list.contains(value).fill_null(False).to_numpy(),
                                       s.is_not_null().to_numpy())

    def value(self, e: ir.Expr) -> tuple[np.ndarray, np.ndarray]:
        n = self.n
        match e:
            case ir.Const(value=v):
                if isinstance(v, dt.date):
                    v = v.toordinal()
                return np.full(n, v), np.ones(n, dtype=bool)
            case ir.Fact(name=name):
                if name not in self.cols:
                    return np.zeros(n), np.zeros(n, dtype=bool)
                return self.cols[name]
            case ir.Arith(op=op, left=left, right=right):
                (a, ka), (b, kb) = self.value(left), self.value(right)
                out = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" \
                    else a / b
                return out, ka & kb
        raise NotImplementedError(type(e).__name__)

    def truth(self, e: ir.Expr) -> tuple[np.ndarray, np.ndarray]:
        """(TRUE mask, FALSE mask)."""
        n = self.n
        match e:
            case ir.Const(value=v):
                return np.full(n, bool(v)), np.full(n, not v)
            case ir.Fact(name=name):
                v, k = self.cols.get(name, (np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)))
                return v & k, ~v & k
            case ir.Not(operand=o):
                t, f = self.truth(o)
                return f, t
            case ir.And(operands=ops):
                pairs = [self.truth(o) for o in ops]
                return np.logical_and.reduce([t for t, _ in pairs]), np.logical_or.reduce(
                    [f for _, f in pairs])
            case ir.Or(operands=ops):
                pairs = [self.truth(o) for o in ops]
                return np.logical_or.reduce([t for t, _ in pairs]), np.logical_and.reduce(
                    [f for _, f in pairs])
            case ir.Known(operand=ir.Fact(name=name)):
                k = self.cols.get(name, (None, np.zeros(n, dtype=bool)))[1]
                return k, ~k
            case ir.Compare(op=op, left=left, right=right):
                if isinstance(left, ir.Fact) and left.name in self.codes and isinstance(
                        right, ir.Const):
                    codes, k = self.cols[left.name]
                    hit = codes == self.codes[left.name].get(str(right.value), -2)
                    yes = hit if op == "==" else ~hit
                    return yes & k, ~yes & k
                (a, ka), (b, kb) = self.value(left), self.value(right)
                k = ka & kb
                with np.errstate(invalid="ignore"):
                    res = {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b,
                           ">=": a >= b}[op]
                return res & k, ~res & k
            case ir.Member(item=ir.Const(value=v), collection=ir.Fact(name=name)):
                hit, k = self.members[(name, str(v))]
                return hit & k, ~hit & k
            case ir.Member(item=ir.Fact(name=name), collection=ir.Const(value=values)):
                codes, k = self.cols[name]
                wanted = [self.codes[name][str(v)] for v in values if str(v) in self.codes[name]]
                hit = np.isin(codes, wanted)
                return hit & k, ~hit & k
        raise NotImplementedError(type(e).__name__)

    def run(self) -> int:
        """Every rule's status for every row (as the columnar matrix does); returns the
        number of TRUE cells."""
        total = 0
        for ed in self.editions:
            et, ef = self.truth(ed.applies) if ed.applies is not None else (
                np.ones(self.n, dtype=bool), np.zeros(self.n, dtype=bool))
            for r in ed.rules:
                at, af = self.truth(r.applies) if r.applies is not None else (et, ef)
                wt, wf = self.truth(r.when)
                t = et & at & wt
                f = ef | af | wf
                status = np.where(af, 3, np.where(t, 2, np.where(f, 0, 1))).astype(np.int8)
                total += int((status == 2).sum())
        return total
