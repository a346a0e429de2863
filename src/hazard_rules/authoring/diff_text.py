"""The text form of a :class:`~hazard_rules.authoring.diff.RulesetsDiff`, for review.

``-`` old, ``+`` new, ``~`` changed. Changed rules show each changed field; a
clause text that changed a little also gets one line with the changes marked
inline (``[-old-]{+new+}``), which is easier to read than two long lines of
Chinese. Conditions show their source and, after ``=``, the readable form with
fact labels. Unchanged editions and rules are only counted.

>>> from hazard_rules.authoring.diff import RulesetsDiff
>>> print(render_diff(RulesetsDiff("old", "new", "trees", (), ())))
--- old
+++ new
<BLANKLINE>
no differences: 0 editions, 0 rules
"""

from __future__ import annotations

import difflib
import unicodedata

from hazard_rules.authoring.diff import Change, EditionDiff, FactDiff, RuleDiff, RulesetsDiff
from hazard_rules.authoring.verdicts import RecordsDiff

__all__ = ["inline_diff", "render_diff"]

_MARK = {"added": "+", "removed": "-", "changed": "~", "unchanged": "="}
#: below this similarity a changed clause text gets no inline diff line (it would be noise)
_INLINE_SIMILARITY = 0.5


def inline_diff(old: str, new: str) -> str:
    """``new`` with the differences from ``old`` marked ``[-removed-]`` and ``{+added+}``.

    >>> inline_diff("未设置报警装置的；", "未设置或者未联锁报警装置的。")
    '未设置{+或者未联锁+}报警装置的[-；-]{+。+}'
    """
    out: list[str] = []
    m = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in m.get_opcodes():
        if op == "equal":
            out.append(old[i1:i2])
            continue
        if i2 > i1:
            out.append(f"[-{old[i1:i2]}-]")
        if j2 > j1:
            out.append(f"{{+{new[j1:j2]}+}}")
    return "".join(out)


#: a list change with more items than this is only counted (the JSON output lists them)
_LIST_ITEMS = 12


def _list_change(old: list[str], new: list[str]) -> str:
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    if len(added) + len(removed) > _LIST_ITEMS:
        return f"{len(added)} added, {len(removed)} removed"
    parts = []
    if added:
        parts.append("+ " + ", ".join(added))
    if removed:
        parts.append("- " + ", ".join(removed))
    return "; ".join(parts) or "reordered"


def _change_lines(c: Change, indent: str) -> list[str]:
    if isinstance(c.old, list) and isinstance(c.new, list):
        return [f"{indent}{c.field}: {_list_change(c.old, c.new)}"]
    if c.field in ("when", "applies"):
        note = (" (rewritten, same meaning)" if c.same_meaning else
                " (same source, new meaning: a fact's type or unit changed)" if c.old == c.new
                else "")
        head = f"{indent}{c.field}{note}"
        lines = [head + ":"]
        for mark, src, readable in (("-", c.old, c.old_readable), ("+", c.new, c.new_readable)):
            if src is None:
                lines.append(f"{indent}  {mark} (none)")
                continue
            lines.append(f"{indent}  {mark} {src}")
            if readable and not c.same_meaning:
                lines.append(f"{indent}    = {readable}")
        return lines
    if c.field in ("text", "notes", "description_zh", "description_en") and \
            isinstance(c.old, str) and isinstance(c.new, str):
        lines = [f"{indent}{c.field}:", f"{indent}  - {c.old}", f"{indent}  + {c.new}"]
        if difflib.SequenceMatcher(None, c.old, c.new, autojunk=False).ratio() \
                >= _INLINE_SIMILARITY:
            lines.append(f"{indent}  ~ {inline_diff(c.old, c.new)}")
        return lines
    old = "(none)" if c.old is None else c.old
    new = "(none)" if c.new is None else c.new
    return [f"{indent}{c.field}: {old} -> {new}"]


def _rule_lines(r: RuleDiff, detailed: bool) -> list[str]:
    if r.status == "changed" or (r.status == "unchanged" and r.old_id != r.new_id):
        how = f"matched by {r.matched_by}"
        if r.similarity is not None:
            how += f", {r.similarity:.0%} similar"
        ids = r.new_id if r.old_id == r.new_id else f"{r.old_id} -> {r.new_id}"
        lines = [f"  {_MARK[r.status]} {ids}  {r.article}  ({how})"]
        for c in r.changes:
            lines.extend(_change_lines(c, "      "))
        return lines
    note = "  (its text was missing in the old edition)" if r.was_missing_text else ""
    lines = [f"  {_MARK[r.status]} {r.id}  {r.article}  {r.text}{note}"]
    if detailed:
        lines.append(f"      when: {r.when}")
    return lines


def _rules(n: int) -> str:
    return f"{n} rule" if n == 1 else f"{n} rules"


def _edition_lines(e: EditionDiff) -> list[str]:
    c = e.counts
    counts = (f"{c['changed']} changed, {c['added']} added, {c['removed']} removed, "
              f"{c['unchanged']} unchanged")
    if e.status == "added":
        head = f"+ edition {e.new_id}: {_rules(len(e.rules))}"
    elif e.status == "removed":
        head = f"- edition {e.old_id}: {_rules(len(e.rules))}"
    else:
        ids = e.new_id if e.old_id == e.new_id else f"{e.old_id} -> {e.new_id}"
        head = f"~ edition {ids}: rules {counts}"
    lines = [head]
    for ch in e.changes:
        lines.extend(_change_lines(ch, "    "))
    detailed = e.status == "changed"
    for r in e.rules:
        if r.status != "unchanged" or (r.old_id != r.new_id and r.matched_by != "id"):
            lines.extend(_rule_lines(r, detailed))
    return lines


def _fact_lines(facts: tuple[FactDiff, ...]) -> list[str]:
    counts = {k: sum(f.status == k for f in facts) for k in ("added", "removed", "changed")}
    lines = [f"~ facts: {counts['added']} added, {counts['removed']} removed, "
             f"{counts['changed']} changed"]
    for f in facts:
        if f.status == "changed":
            lines.append(f"  ~ {f.name}  {f.label}")
            for c in f.changes:
                lines.extend(_change_lines(c, "      "))
        else:
            lines.append(f"  {_MARK[f.status]} {f.name}  {f.type}  {f.label}")
    return lines


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell + " " * (w - _width(cell)) for cell, w in
                             zip(row, widths, strict=True)).rstrip() for row in rows]


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _record_lines(rd: RecordsDiff) -> list[str]:
    lines = [f"records {rd.path}: {rd.records} records, {len(rd.changed)} change verdict"]
    for k, n in rd.transitions.items():
        lines.append(f"  {k}: {n}")
    if rd.changed:
        rows = [["row", "record_id", "old -> new", "fired (old)", "fired (new)"]]
        rows.extend([str(c.row), c.record_id or "-", f"{c.old_status} -> {c.new_status}",
                     ", ".join(c.old_fired) or "-", ", ".join(c.new_fired) or "-"]
                    for c in rd.changed)
        lines.append("")
        lines.extend(_table(rows))
    return lines


def render_diff(d: RulesetsDiff) -> str:
    """The whole comparison as text, ending with a one-line summary."""
    lines = [f"--- {d.old}", f"+++ {d.new}"]
    for e in d.editions:
        if e.status != "unchanged":
            lines.append("")
            lines.extend(_edition_lines(e))
    if d.facts:
        lines.append("")
        lines.extend(_fact_lines(d.facts))
    if d.records is not None:
        lines.append("")
        lines.extend(_record_lines(d.records))
    lines.append("")
    rc = d.rule_counts
    n_rules = sum(rc.values())
    if not d.differs:
        lines.append(f"no differences: {len(d.editions)} editions, {n_rules} rules")
        return "\n".join(lines)
    ed = {k: sum(e.status == k for e in d.editions)
          for k in ("changed", "added", "removed", "unchanged")}
    summary = ("editions " + ", ".join(f"{n} {k}" for k, n in ed.items() if n) + "; rules "
               + ", ".join(f"{rc[k]} {k}" for k in ("changed", "added", "removed", "unchanged"))
               + f"; facts {len(d.facts)} changed")
    if d.records is not None:
        summary += f"; records {len(d.records.changed)} of {d.records.records} change verdict"
    lines.append(summary)
    return "\n".join(lines)
