"""The rule catalog as Markdown: ``index.md`` and one page per edition.

Rulesets come from strangers, so every text is escaped: HTML special characters
become entities (no raw HTML gets through to a renderer), Markdown punctuation is
backslash-escaped, and condition sources sit in code fences longer than any run of
backticks they contain. Anchors (``<a id="rule-11.3">``) are made from the rule ids,
which the ruleset schema restricts to ``[a-z0-9-/.]``.

>>> md("a|b <script>")
'a\\\\|b &lt;script&gt;'
>>> print(fence("x ``` y"))
````
x ``` y
````
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Sequence

from hazard_rules.authoring.docs import WORDS, EditionPage, RuleEntry
from hazard_rules.authoring.render import Part

__all__ = ["edition_page", "fence", "index_page", "md"]

_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!~])")


def md(text: str) -> str:
    """``text`` as literal inline Markdown (one line; nothing in it is markup).

    >>> md("1. *not* a list")
    '1\\\\. \\\\*not\\\\* a list'
    """
    text = html.escape(" ".join(text.split()), quote=False)
    text = _SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)  # "1." would start a list
    return "\\" + text if text[:1] in ("-", "+") else text


def fence(code: str, info: str = "") -> str:
    """``code`` in a fenced block whose fence no line of ``code`` can close."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    bar = "`" * max(3, longest + 1)
    return f"{bar}{info}\n{code}\n{bar}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return lines


def _tree(part: Part, depth: int = 0) -> list[str]:
    pad = "  " * depth
    if isinstance(part, str):
        return [f"{pad}- {md(part)}"]
    lines = [f"{pad}- {md(part.head)}"]
    for item in part.items:
        lines.extend(_tree(item, depth + 1))
    return lines


def _link(edition_id: str | None, known: Collection[str], w: dict[str, str]) -> str:
    if edition_id is None:
        return w["none"]
    return f"[{md(edition_id)}]({edition_id}.md)" if edition_id in known else md(edition_id)


def index_page(pages: Sequence[EditionPage], lang: str = "zh") -> str:
    """``index.md``: every edition with its standard, status, dates and counts."""
    w = WORDS[lang]
    n_rules = sum(len(p.rules) for p in pages)
    n_missing = sum(len(p.missing_text) for p in pages)
    lines = [f"# {md(w['catalog'])}", "",
             md(w["summary"].format(len(pages), len({p.standard for p in pages}), n_rules,
                                    n_missing)), ""]
    rows = [[f"[{md(p.id)}]({p.id}.md)", md(p.title), md(p.document), md(w[p.status]),
             md(p.period), str(len(p.rules)), str(len(p.missing_text)), str(p.cases)]
            for p in pages]
    lines.extend(_table([w["edition"], w["title"], w["document"], w["status"], w["period"],
                         w["rules"], w["no_text"], w["cases"]], rows))
    return "\n".join(lines) + "\n"


def _rule(r: RuleEntry, w: dict[str, str]) -> list[str]:
    lines = [f'<a id="{r.anchor}"></a>', "", f"### {md(r.id)} · {md(r.article)}", ""]
    lines.extend("> " + md(line) for line in r.text.splitlines() if line.strip())
    lines.append("")
    if r.applies is not None and r.applies_source is not None:
        lines.extend([f"**{md(w['applies'])}**", ""])
        lines.extend(_tree(r.applies))
        lines.extend(["", fence(r.applies_source.strip()), ""])
    lines.extend([f"**{md(w['condition'])}**", ""])
    lines.extend(_tree(r.when))
    lines.extend(["", fence(r.when_source.strip()), ""])
    if r.tags:
        lines.extend([f"**{md(w['tags'])}**: " + "、".join(md(t) for t in r.tags), ""])
    if r.notes:
        lines.extend([f"**{md(w['notes'])}**: {md(r.notes)}", ""])
    lines.extend([f"**{md(w['facts'])}**", ""])
    lines.extend(_table([w["fact"], w["label"], w["label_en"], w["type"], w["detail"]],
                        [[f"`{f.name}`", md(f.label_zh), md(f.label_en), f"`{f.type}`",
                          md(f.detail)] for f in r.facts]))
    lines.extend(["", f"**{md(w['cases'])}**", ""])
    if r.cases:
        lines.extend(_table([w["case"], w["expects"], w["where"]],
                            [[md(c.name), md(w[c.expects]), md(c.where)] for c in r.cases]))
    else:
        lines.append(md(w["none"]))
    lines.append("")
    return lines


def edition_page(page: EditionPage, known: Collection[str], lang: str = "zh") -> str:
    """``<edition>.md``: the edition's metadata, a table of its rules, the clauses
    without official text, then every rule in full. ``known`` are the edition ids
    that have pages (for links)."""
    w = WORDS[lang]
    p = page
    clauses = "?" if p.clauses is None else str(p.clauses)
    meta = [
        (w["standard"], md(p.standard)), (w["title"], md(p.title)),
        *([(w["title_en"], md(p.title_en))] if p.title_en else []),
        (w["document"], md(p.document)), (w["issuer"], md(p.issuer or w["unknown"])),
        (w["published"], md(p.published_on or w["unknown"])), (w["period"], md(p.period)),
        (w["status"], md(w[p.status])), (w["supersedes"], _link(p.supersedes, known, w)),
        (w["superseded_by"], _link(p.superseded_by, known, w)),
        (w["clauses"], md(w["clause_count"].format(clauses, len(p.rules),
                                                   len(p.missing_text)))),
        (w["catalogs"], md(", ".join(p.fact_namespaces) or w["none"])),
    ]
    lines = [f"# {md(p.id)} 《{md(p.title)}》", "", f"[{md(w['back'])}](index.md)", ""]
    lines.extend(_table(["", ""], [[f"**{md(k)}**", v] for k, v in meta]))
    lines.append("")
    if p.applies is not None and p.applies_source is not None:
        lines.extend([f"**{md(w['applies'])}**", ""])
        lines.extend(_tree(p.applies))
        lines.extend(["", fence(p.applies_source.strip()), ""])
    if p.notes:
        lines.extend([f"**{md(w['notes'])}**: {md(p.notes)}", ""])
    lines.extend([f"## {md(w['rules'])}", ""])
    if p.rules:
        lines.extend(_table([w["rule"], w["article"], w["text"]], [
            [f"[{md(r.id)}](#{r.anchor})", md(r.article), md(r.text)] for r in p.rules]))
    else:
        lines.append(md(w["none"]))
    lines.append("")
    if p.missing_text:
        lines.extend([f"## {md(w['missing'])}", ""])
        lines.extend(_table([w["article"], w["rule"], w["notes"]],
                            [[md(a), md(i), md(n)] for a, i, n in p.missing_text]))
        lines.append("")
    for r in p.rules:
        lines.extend(["---", ""])
        lines.extend(_rule(r, w))
    return "\n".join(lines).rstrip("\n") + "\n"
