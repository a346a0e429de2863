"""Errors and diagnostics, rendered like a compiler.

Every problem found in a ruleset is a :class:`Diagnostic` with a stable ``code``
(a slug such as ``unknown-fact``), a severity, a message, and where known a
:class:`Span` in a source file. Diagnostics are collected, not raised one by one:
a ruleset with five mistakes reports all five.

>>> src = SourceFile("r.yaml", "when: dust.dry_colector_in_use\\n")
>>> d = Diagnostic("unknown-fact", "unknown fact 'dust.dry_colector_in_use'",
...                Span(src, 6, 30), hint="did you mean 'dust.dry_collector_in_use'?")
>>> print(d.render())
r.yaml:1:7: error: unknown-fact: unknown fact 'dust.dry_colector_in_use'
    1 | when: dust.dry_colector_in_use
      |       ^^^^^^^^^^^^^^^^^^^^^^^^
      = help: did you mean 'dust.dry_collector_in_use'?
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

__all__ = [
    "CompileError",
    "Diagnostic",
    "HazardRulesError",
    "NoEditionError",
    "RulesetError",
    "Severity",
    "SourceFile",
    "Span",
    "render_diagnostics",
]


class Severity(StrEnum):
    """How serious a diagnostic is. Only ``error`` makes a ruleset unusable."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, eq=False)
class SourceFile:
    """A text file that diagnostics point into (kept so errors can quote lines)."""

    name: str
    text: str

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for i, ch in enumerate(self.text):
            if ch == "\n":
                starts.append(i + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a character offset."""
        import bisect

        offset = max(0, min(offset, len(self.text)))
        starts = self._line_starts
        line = bisect.bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    def line_text(self, line: int) -> str:
        """Return the text of a 1-based line, without its newline."""
        starts = self._line_starts
        if not 1 <= line <= len(starts):
            return ""
        end = self.text.find("\n", starts[line - 1])
        return self.text[starts[line - 1] : end if end >= 0 else len(self.text)]


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in a :class:`SourceFile`."""

    source: SourceFile
    start: int
    end: int

    @property
    def line(self) -> int:
        return self.source.position(self.start)[0]

    @property
    def column(self) -> int:
        return self.source.position(self.start)[1]

    def __str__(self) -> str:
        line, col = self.source.position(self.start)
        return f"{self.source.name}:{line}:{col}"


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Diagnostic:
    """One problem found while loading, checking or compiling a ruleset.

    ``code`` is stable and documented; ``message`` is for people; ``hint`` is a
    suggestion such as a did-you-mean.
    """

    code: str
    message: str
    span: Span | None = None
    severity: Severity = Severity.ERROR
    hint: str | None = None
    file: str | None = None  # used when there is no span (e.g. a missing file)
    notes: tuple[str, ...] = field(default=())

    @property
    def location(self) -> str:
        if self.span is not None:
            return str(self.span)
        return self.file or "<rulesets>"

    def render(self) -> str:
        """Render as ``file:line:col: severity: code: message`` with the source line and a caret."""
        out = [f"{self.location}: {self.severity.value}: {self.code}: {self.message}"]
        if self.span is not None:
            src = self.span.source
            line, col = src.position(self.span.start)
            end_line, end_col = src.position(max(self.span.start, self.span.end))
            text = src.line_text(line)
            if end_line != line:
                end_col = len(text) + 1
            gutter = f"{line:>5}"
            pad = " " * len(gutter)
            caret_lead = " " * _width(text[: col - 1])
            caret = "^" * max(1, _width(text[col - 1 : end_col - 1]))
            out.append(f"{gutter} | {text}")
            out.append(f"{pad} | {caret_lead}{caret}")
            for note in self.notes:
                out.append(f"{pad} = note: {note}")
            if self.hint:
                out.append(f"{pad} = help: {self.hint}")
        else:
            out.extend(f"  note: {note}" for note in self.notes)
            if self.hint:
                out.append(f"  help: {self.hint}")
        return "\n".join(out)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (file, line, column, code, severity, message, hint)."""
        line = col = None
        end_line = end_col = None
        if self.span is not None:
            line, col = self.span.source.position(self.span.start)
            end_line, end_col = self.span.source.position(self.span.end)
        return {
            "file": self.span.source.name if self.span else self.file,
            "line": line,
            "column": col,
            "end_line": end_line,
            "end_column": end_col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def render_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """Render several diagnostics, separated by blank lines, with a count at the end."""
    diags = list(diagnostics)
    body = "\n\n".join(d.render() for d in diags)
    n_err = sum(d.severity is Severity.ERROR for d in diags)
    n_warn = sum(d.severity is Severity.WARNING for d in diags)
    summary = (f"{n_err} error{'s' if n_err != 1 else ''}, "
               f"{n_warn} warning{'s' if n_warn != 1 else ''}")
    return f"{body}\n\n{summary}" if body else summary


class HazardRulesError(Exception):
    """Root of every error this library raises."""


class RulesetError(HazardRulesError):
    """A ruleset (YAML, fact catalog, condition or case file) is invalid.

    ``diagnostics`` holds every problem found, not only the first.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(render_diagnostics(self.diagnostics))


class CompileError(HazardRulesError):
    """A backend cannot express a construct of a ruleset (never a silent fallback)."""

    def __init__(self, backend: str, diagnostics: Sequence[Diagnostic]) -> None:
        self.backend = backend
        self.diagnostics = tuple(diagnostics)
        super().__init__(
            f"backend {backend!r} cannot compile the rulesets:\n"
            + render_diagnostics(self.diagnostics)
        )


class NoEditionError(HazardRulesError):
    """No loaded edition of a standard is in force on the requested date."""

    def __init__(self, standard: str, on: object, available: str) -> None:
        self.standard = standard
        self.on = on
        self.available = available
        super().__init__(
            f"no edition of {standard!r} is in force on {on}; loaded editions: {available}"
        )
