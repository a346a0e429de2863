"""Clause text against the official text in a standards folder.

Each edition names its source file (``source: gongmao-2023.md``). A rule's ``text``
is verbatim when every line of it is a whole line of that file, in order, with
only blank lines, tables or notes between them; what may differ is the line's
number label (``（三）``, ``4.1``, ``第十条``) and the transcribers' bracketed
notes of which copy a line came from (``〔R〕``). Only the part after a
``## 正文`` heading is searched when the file has one.

>>> lines = ["## 正文", "第三条 下列情形：", "（一）未设置报警装置的；"]
>>> locate("未设置报警装置的；", lines) is None
True
>>> locate("未设置报警装置；", lines)
"'未设置报警装置；' is not a whole line of the standard"
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hazard_rules.lint.checks import Context
from hazard_rules.lint.registry import Finding

__all__ = ["clause_text", "locate", "official_lines"]

NUMBER_LABEL = re.compile(
    r"(第[一二三四五六七八九十百零]+条[ 　]*)?"
    r"([（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+、|"
    r"[0-9]+(\.[0-9]+)*[.．、]?|[a-z][)）])?[ 　]*|[-*>|]\s*")
SOURCE_MARKER = re.compile(r"〔[^〕]*〕")
#: what may stand between two lines of one clause: blank lines and table layout
BETWEEN = re.compile(r"\s*|\s*[|<].*|\s*表\s*\d+.*|\s*注[:：]?.*")


def official_lines(text: str) -> list[str]:
    """The lines of a standard file that clause text is looked up in."""
    return (text.split("## 正文", 1)[1] if "## 正文" in text else text).splitlines()


def _whole_line(part: str, line: str) -> bool:
    if part not in line:
        return False
    rest = SOURCE_MARKER.sub("", line.replace(part, "", 1)).strip()
    return NUMBER_LABEL.fullmatch(rest) is not None


def locate(text: str, lines: list[str]) -> str | None:
    """None if every line of ``text`` is a whole line of ``lines``, in order, with only
    blank lines or tables between them; else what went wrong."""
    parts = text.split("\n")
    starts = [k for k, line in enumerate(lines) if _whole_line(parts[0], line)]
    if not starts:
        return f"{parts[0]!r} is not a whole line of the standard"
    for start in starts:
        k, ok = start, True
        for part in parts[1:]:
            nxt = next((m for m in range(k + 1, len(lines)) if _whole_line(part, lines[m])),
                       None)
            if nxt is None or not all(BETWEEN.fullmatch(x) for x in lines[k + 1:nxt]):
                ok = False
                break
            k = nxt
        if ok:
            return None
    return f"the lines of the clause are not consecutive in the standard: {parts[1:2]}"


def clause_text(ctx: Context) -> Iterator[Finding]:
    """text-mismatch and text-unchecked (only with a standards folder)."""
    if ctx.standards is None:
        ctx.skipped.update(("text-mismatch", "text-unchecked"))
        return
    for ed in ctx.rulesets:
        source = ctx.standards / ed.source if ed.source else None
        if source is None or not source.is_file():
            yield ctx.finding("text-unchecked", f"{ed.id}: the clause text was not compared: "
                              + (f"{ed.source} is not in {ctx.standards}" if ed.source
                                 else "the edition names no `source`"),
                              ctx.span(ed, "source"), ed.id)
            continue
        lines = official_lines(source.read_text(encoding="utf-8"))
        for rule in ed.rules:
            why = locate(rule.text, lines)
            if why is not None:
                yield ctx.finding("text-mismatch", f"{rule.id}: the text is not the official "
                                  f"text of {rule.article} in {ed.source}",
                                  ctx.rule_span(rule, "text"), rule.id, notes=(why,),
                                  hint="copy the clause verbatim from the standard; never "
                                       "paraphrase or repair it")
