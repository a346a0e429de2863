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
    """An edition as polars expressions: its applicability and one status per rule."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        problems: list[Diagnostic] = []
        self.facts: dict[str, Any] = {}
        if edition.applies is not None:
            self.facts.update(ir.facts_of(edition.applies))
        try:
            self.applies = truth(edition.applies) if edition.applies is not None else None
        except Unsupported as exc:
            raise CompileError("columnar", [Diagnostic(
                "columnar-unsupported", f"edition {edition.id} applies: {exc}",
                edition.span)]) from None
        self.statuses: list[pl.Expr] = []
        for r in edition.rules:
            self.facts.update(r.facts)
            try:
                self.statuses.append(status(
                    self.applies, truth(r.applies) if r.applies is not None else None,
                    truth(r.when)).alias(r.id))
            except Unsupported as exc:
                problems.append(Diagnostic(
                    "columnar-unsupported", f"rule {r.id}: {exc.construct} cannot be "
                    f"evaluated column-wise ({exc.why})", r.span))
        if problems:
            raise CompileError("columnar", problems)
        self.schema = {name: polars_dtype(t) for name, t in self.facts.items()}

    def evaluate_frame(self, frame: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame]:
        """For each row: whether the edition applies (nullable), and the rules' statuses.

        ``frame`` holds the facts as typed columns named by fact; absent facts may be
        missing columns (they are unknown).
        """
        absent = [pl.lit(None, dtype=dt).alias(n) for n, dt in self.schema.items()
                  if n not in frame.columns]
        if absent:
            frame = frame.with_columns(absent)
        applies = (frame.select(self.applies.alias("applies")).to_series()
                   if self.applies is not None else pl.Series("applies", [True] * frame.height))
        return applies, frame.select(self.statuses) if self.statuses else pl.DataFrame()

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[int, ...] | None:
        """Statuses for one record's facts (a one-row frame; see :class:`ColumnarBackend`)."""
        row = pl.DataFrame({n: pl.Series(n, [_cell(facts.get(n))], dtype=dt)
                            for n, dt in self.schema.items()})
        applies, statuses = self.evaluate_frame(row)
        if applies[0] is False:
            return None
        return tuple(statuses.row(0)) if statuses.width else ()


def _cell(v: Any) -> Any:
    return list(v) if isinstance(v, tuple) else v


class ColumnarBackend:
    """Compiles editions to polars expressions (see :mod:`.lower`)."""

    name = "columnar"

    def compile(self, edition: Edition) -> ColumnarEdition:
        return ColumnarEdition(edition)
