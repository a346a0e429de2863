"""SARIF 2.1.0 logs, for code-scanning views (GitHub, GitLab, Azure DevOps).

One run with the tool's rules (one per diagnostic code, with its description and
default level) and one result per diagnostic; suppressed findings are included
with their ``suppressions`` (``inSource`` with the comment's reason, or
``external`` for the configuration file), as SARIF viewers expect. File paths
under the working folder are written relative to it (``%SRCROOT%``).

>>> from hazard_rules.errors import Diagnostic, SourceFile, Span
>>> src = SourceFile("r.yaml", "when: x\\n")
>>> log = sarif_log([Diagnostic("unknown-fact", "unknown fact 'x'", Span(src, 6, 7))])
>>> result = log["runs"][0]["results"][0]
>>> result["ruleId"], result["level"], result["locations"][0]["physicalLocation"]["region"]
('unknown-fact', 'error', {'startLine': 1, 'startColumn': 7, 'endLine': 1, 'endColumn': 8})
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hazard_rules import __version__
from hazard_rules.errors import Diagnostic, Severity

__all__ = ["SARIF_SCHEMA", "sarif_log"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(name: str) -> tuple[str, str | None]:
    """A relative URI under ``%SRCROOT%`` (the working folder) or an absolute file URI."""
    path = Path(name)
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return path.resolve().as_uri(), None
    return rel.as_posix(), "%SRCROOT%"


def _rule(code: str) -> dict[str, Any]:
    from hazard_rules.lint.registry import CHECKS

    check = CHECKS.get(code)
    if check is None:
        return {"id": code, "name": code,
                "shortDescription": {"text": f"invalid ruleset ({code})"},
                "defaultConfiguration": {"level": "error"},
                "properties": {"group": "validate"}}
    return {"id": code, "name": code,
            "shortDescription": {"text": check.summary},
            "fullDescription": {"text": check.description},
            "defaultConfiguration": {"level": _LEVEL[check.severity]},
            "properties": {"group": check.group}}


def _result(d: Diagnostic, rule_index: int,
            suppression: tuple[str, str] | None = None) -> dict[str, Any]:
    text = d.message + (f" (help: {d.hint})" if d.hint else "")
    if d.notes:
        text += "".join(f"\n{n}" for n in d.notes)
    result: dict[str, Any] = {"ruleId": d.code, "ruleIndex": rule_index,
                              "level": _LEVEL[d.severity], "message": {"text": text}}
    name = d.span.source.name if d.span is not None else d.file
    if name:
        uri, base = _uri(name)
        artifact: dict[str, Any] = {"uri": uri}
        if base:
            artifact["uriBaseId"] = base
        location: dict[str, Any] = {"artifactLocation": artifact}
        if d.span is not None:
            line, col = d.span.source.position(d.span.start)
            end_line, end_col = d.span.source.position(max(d.span.start + 1, d.span.end))
            location["region"] = {"startLine": line, "startColumn": col,
                                  "endLine": end_line, "endColumn": end_col}
        result["locations"] = [{"physicalLocation": location}]
    if suppression is not None:
        kind, reason = suppression
        result["suppressions"] = [{"kind": kind, "justification": reason}]
    return result


def sarif_log(diagnostics: Sequence[Diagnostic],
              suppressed: Iterable[tuple[Diagnostic, str, str]] = (),
              *, tool_name: str = "hazard-rules") -> dict[str, Any]:
    """A SARIF 2.1.0 log of ``diagnostics`` and ``suppressed`` ``(diagnostic, kind,
    reason)`` triples, ready for ``json.dump``."""
    hidden = list(suppressed)
    codes = sorted({d.code for d in diagnostics} | {d.code for d, _, _ in hidden})
    index = {c: i for i, c in enumerate(codes)}
    results = [_result(d, index[d.code]) for d in diagnostics]
    results += [_result(d, index[d.code], (kind, reason)) for d, kind, reason in hidden]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": tool_name, "version": __version__,
                            "informationUri": "https://pypi.org/project/hazard-rules/",
                            "rules": [_rule(c) for c in codes]}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
