"""Configuring the checks: a configuration file, and suppressions written in the YAML.

The configuration file (``.hazard-rules.yaml`` in the working folder, or
``--config FILE``) sets the standards folder and each check's severity, for
every rule or for rules whose id matches a pattern::

    standards: ../shared/standards        # relative to this file
    checks:
      unused-fact: info                   # error, warning, info or off
    rules:
      "gongmao-2017/*":                   # shell-style pattern on rule, edition or fact ids
        citation-format: off

The first pattern under ``rules`` that matches a finding's subject and names its
check wins; else ``checks``; else the check's default.

An inline suppression is a YAML comment with the codes and a reason::

    - id: demo-2023/2.6   # hazard-rules: ignore[equivalent-rules] 标准本身重复

A comment on its own line applies to the YAML block that starts on the next line
(a whole rule when that line is ``- id: ...``); at the end of a line it applies to
that line, or to the whole rule on a ``- id:`` line. A suppression without a
reason suppresses nothing and is itself an error.

>>> text = "a: 1\\n# hazard-rules: ignore[x] why\\nb:\\n  c: 2\\n"
>>> sups = parse_suppressions(SourceFile("r.yaml", text))
>>> [(s.codes, s.reason, s.first_line, s.last_line) for s in sups]
[(('x',), 'why', 3, 4)]
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from hazard_rules.errors import Diagnostic, Severity, SourceFile, Span
from hazard_rules.spec.load import read_document, validate_document
from hazard_rules.spec.models import _Model

__all__ = ["CONFIG_FILE", "LintConfig", "Suppression", "load_config", "parse_suppressions"]

#: The configuration file looked for in the working folder.
CONFIG_FILE = ".hazard-rules.yaml"

def _off(value: object) -> object:
    return "off" if value is False else value  # YAML 1.1 reads a bare `off` as false


Level = Annotated[Literal["error", "warning", "info", "off"], BeforeValidator(_off)]


class LintConfig(_Model):
    """What a configuration file may say (see the module docstring)."""

    standards: Path | None = None
    checks: dict[str, Level] = Field(default_factory=dict)
    rules: dict[str, dict[str, Level]] = Field(default_factory=dict)

    def level(self, code: str, subject: str) -> Level | None:
        """The configured level of ``code`` for ``subject``, or None for the default."""
        for pattern, levels in self.rules.items():
            if code in levels and fnmatch.fnmatchcase(subject, pattern):
                return levels[code]
        return self.checks.get(code)


def load_config(path: Path) -> tuple[LintConfig | None, list[Diagnostic]]:
    """Read and check a configuration file; ``standards`` is made relative to it."""
    from hazard_rules.lint.registry import CHECKS

    doc = read_document(path)
    if doc.diagnostics:
        return None, list(doc.diagnostics)
    if doc.data is None:
        return LintConfig(), []
    config, diags = validate_document(doc, LintConfig)
    if config is None:
        return None, diags
    for key, codes in [(("checks",), config.checks),
                       *((("rules", p), c) for p, c in config.rules.items())]:
        for code in codes:
            if code not in CHECKS:
                diags.append(Diagnostic("unknown-check", f"unknown check {code!r}",
                                        doc.key_span((*key, code)),
                                        hint="hazard-rules validate --list-checks"))
    if config.standards is not None and not config.standards.is_absolute():
        config = config.model_copy(update={"standards": path.parent / config.standards})
    return (None if diags else config), diags


_COMMENT = re.compile(r"(?:^|\s)#\s*hazard-rules:\s*ignore\[([^\]]*)\]\s*[:：\-—]*\s*(.*?)\s*$")


@dataclass
class Suppression:
    """``# hazard-rules: ignore[codes] reason`` and the lines it covers."""

    source: SourceFile
    line: int
    codes: tuple[str, ...]
    reason: str
    first_line: int
    last_line: int
    span: Span
    used: set[str] = field(default_factory=set)

    def covers(self, code: str, line: int) -> bool:
        return code in self.codes and self.first_line <= line <= self.last_line


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], start: int) -> int:
    """The last line (1-based) of the YAML block that starts on line ``start``."""
    base = _indent(lines[start - 1])
    end = start
    for k in range(start + 1, len(lines) + 1):
        text = lines[k - 1]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if _indent(text) <= base:
            break
        end = k
    return end


def parse_suppressions(source: SourceFile) -> list[Suppression]:
    """The inline suppressions of one YAML file."""
    lines = source.text.split("\n")
    out: list[Suppression] = []
    offset = 0
    for number, line in enumerate(lines, start=1):
        m = _COMMENT.search(line)
        if m is not None:
            codes = tuple(c.strip() for c in m.group(1).split(",") if c.strip())
            before = line[: m.start()].strip()
            if before:  # at the end of a line
                first = number
                last = _block_end(lines, number) if before.startswith("- ") else number
            else:  # on its own line: the block that starts on the next line
                first = next((k for k in range(number + 1, len(lines) + 1)
                              if lines[k - 1].strip() and
                              not lines[k - 1].lstrip().startswith("#")), number)
                last = _block_end(lines, first) if first != number else number
            start = offset + line.index("#", m.start())
            out.append(Suppression(source, number, codes, m.group(2), first, last,
                                   Span(source, start, offset + len(line))))
        offset += len(line) + 1
    return out


def severity(level: Level) -> Severity | None:
    """The severity of a configured level (None for ``off``)."""
    return None if level == "off" else Severity(level)
