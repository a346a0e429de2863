"""The columnar backend: editions as polars expressions, evaluated a frame at a time.

Each rule becomes one expression that yields its status (FALSE 0, UNKNOWN 1,
TRUE 2, NOT_APPLICABLE 3) for every row; see :mod:`.lower` for the three-valued
lowering and :mod:`.frame` for how a frame of records is checked and typed.
:meth:`hazard_rules.Engine.classify_frame` is the entry point for frames and files;
the per-record :meth:`ColumnarEdition.evaluate` (a one-row frame) exists so that the
backend can be used and tested like the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hazard_rules import ir
from hazard_rules.errors import CompileError, Diagnostic, HazardRulesError
from hazard_rules.model import Edition

try:
    import polars as pl
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise HazardRulesError(
        "the columnar backend needs polars and pyarrow: pip install "
        "'hazard-rules[columnar]'") from exc

from hazard_rules.backends.columnar.frame import polars_dtype
from hazard_rules.backends.columnar.lower import Unsupported, status, truth

__all__ = ["ColumnarBackend", "ColumnarEdition"]


class ColumnarEdition:
    """An edition as polars expressions: its applicability and one status per rule.

    Applicability is computed once per frame, in a first stage: the edition's
    ``applies`` and each distinct ``applies`` of its rules become one column each,
    which the rules' status expressions then read. The whole edition is one lazy
    query, so polars also shares common subexpressions and runs the rules in parallel.
    """

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        problems: list[Diagnostic] = []
        self.facts: dict[str, Any] = {}
        stage: dict[str, pl.Expr] = {}  # applicability columns, computed first
        if edition.applies is not None:
            self.facts.update(ir.facts_of(edition.applies))
            try:
                stage[_EDITION] = truth(edition.applies)
            except Unsupported as exc:
                raise CompileError("columnar", [Diagnostic(
                    "columnar-unsupported", f"edition {edition.id} applies: {exc}",
                    edition.span)]) from None
        edition_ok = pl.col(_EDITION) if edition.applies is not None else None
        guards: dict[ir.Expr, str] = {}
        self.statuses: list[pl.Expr] = []
        for r in edition.rules:
            self.facts.update(r.facts)
            try:
                guard = None
                if r.applies is not None:
                    if r.applies not in guards:
                        guards[r.applies] = f"{_RULE}{len(guards)}"
                        stage[guards[r.applies]] = truth(r.applies)
                    guard = pl.col(guards[r.applies])
                self.statuses.append(status(edition_ok, guard, truth(r.when)).alias(r.id))
            except Unsupported as exc:
                problems.append(Diagnostic(
                    "columnar-unsupported", f"rule {r.id}: {exc.construct} cannot be "
                    f"evaluated column-wise ({exc.why})", r.span))
        if problems:
            raise CompileError("columnar", problems)
        self.stage = [expr.alias(name) for name, expr in stage.items()]
        self.schema = {name: polars_dtype(t) for name, t in self.facts.items()}

    def evaluate_frame(self, frame: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame]:
        """For each row: whether the edition applies (nullable), and the rules' statuses.

        ``frame`` holds the facts as typed columns named by fact; absent facts may be
        missing columns (they are unknown).
        """
        absent = [pl.lit(None, dtype=dt).alias(n) for n, dt in self.schema.items()
                  if n not in frame.columns]
        query = frame.lazy().with_columns(absent) if absent else frame.lazy()
        if self.stage:
            query = query.with_columns(self.stage)
        applies = pl.col(_EDITION) if self.edition.applies is not None else pl.repeat(
            True, pl.len(), dtype=pl.Boolean)
        out = query.select(applies.alias(_EDITION), *self.statuses).collect()
        return out.to_series(0).alias("applies"), out.drop(_EDITION)

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[int, ...] | None:
        """Statuses for one record's facts (a one-row frame; see :class:`ColumnarBackend`)."""
        row = pl.DataFrame({n: pl.Series(n, [_cell(facts.get(n))], dtype=dt)
                            for n, dt in self.schema.items()})
        applies, statuses = self.evaluate_frame(row)
        if applies[0] is False:
            return None
        return tuple(statuses.row(0)) if statuses.width else ()


#: Names of the applicability columns of the first stage (not fact names: no dots).
_EDITION = "__hr_edition_applies"
_RULE = "__hr_rule_applies_"


def _cell(v: Any) -> Any:
    return list(v) if isinstance(v, tuple) else v


class ColumnarBackend:
    """Compiles editions to polars expressions (see :mod:`.lower`)."""

    name = "columnar"

    def compile(self, edition: Edition) -> ColumnarEdition:
        return ColumnarEdition(edition)
