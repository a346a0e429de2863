"""Citations: each edition numbers its clauses one way, and rule ids follow the numbers.

The numbering schemes of the standards we know:

==============  ================================  ==========================
scheme          article                           rule id suffix
==============  ================================  ==========================
article         第四条第（三）项, 第十条, 第四条第二款  4.3, 10, 4.2
item            第十二项                           12
section         6.1, 4.1 a)                        6.1, 4.1.1
part            一、地下矿山（三）                  1.3
named-item      专项类存在粉尘爆炸危险的行业领域第1项   (last number) 1
==============  ================================  ==========================

An edition's scheme is the one most of its articles follow. An article that
follows none, or another one, is a ``citation-format`` finding; a rule id whose
numbers are not the article's is ``citation-mismatch`` (for ``named-item`` only
the last number is compared); two rules citing one article are
``duplicate-citation``.

>>> parse("第十一条第（三）项")
('article', (11, 3))
>>> parse("4.10 e)")
('section', (4, 10, 5))
>>> parse("专项类存在粉尘爆炸危险的行业领域第2项")
('named-item', (2,))
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from hazard_rules.lint.checks import Context
from hazard_rules.lint.registry import Finding

__all__ = ["SCHEMES", "citations", "parse", "zh_number"]

_ZH = "〇一二三四五六七八九"
_N = "[一二三四五六七八九十百〇零]+"

SCHEMES: dict[str, re.Pattern[str]] = {
    "article": re.compile(rf"第({_N})条(?:第({_N})款)?(?:第（({_N})）项)?"),
    "item": re.compile(rf"第({_N})项"),
    "section": re.compile(r"(\d+(?:\.\d+)*)(?: ([a-z])\))?"),
    "part": re.compile(rf"({_N})、[^（）\s]+（({_N})）"),
    "named-item": re.compile(r"\S*?[^\d]第(\d+)项"),
}


def zh_number(text: str) -> int:
    """The value of a Chinese numeral up to 999.

    >>> [zh_number(t) for t in ("十", "十二", "二十", "二十三", "一百零五")]
    [10, 12, 20, 23, 105]
    """
    total, digit = 0, 0
    for ch in text:
        if ch in ("〇", "零"):
            digit = 0
        elif ch in _ZH:
            digit = _ZH.index(ch)
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        elif ch == "百":
            total += (digit or 1) * 100
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + digit


def parse(article: str) -> tuple[str, tuple[int, ...]] | None:
    """The scheme of a citation and its numbers, or None if it follows none."""
    for name, pattern in SCHEMES.items():
        m = pattern.fullmatch(article)
        if m is None:
            continue
        if name == "section":
            numbers = [int(x) for x in m.group(1).split(".")]
            if m.group(2):
                numbers.append(ord(m.group(2)) - ord("a") + 1)
            return name, tuple(numbers)
        if name == "named-item":
            return name, (int(m.group(1)),)
        return name, tuple(zh_number(g) for g in m.groups() if g)
    return None


def citations(ctx: Context) -> Iterator[Finding]:
    """citation-format, citation-mismatch, duplicate-citation."""
    for ed in ctx.rulesets:
        parsed = [(rule, parse(rule.article)) for rule in ed.rules]
        counts = Counter(p[0] for _, p in parsed if p is not None)
        if not counts:
            continue
        scheme, n = counts.most_common(1)[0]
        example = next(r.article for r, p in parsed if p is not None and p[0] == scheme)
        seen: dict[str, str] = {}
        for rule, p in parsed:
            span = ctx.rule_span(rule, "article")
            if rule.article in seen:
                yield ctx.finding("duplicate-citation", f"{rule.id} cites {rule.article}, "
                                  f"as {seen[rule.article]} does", span, rule.id)
            seen.setdefault(rule.article, rule.id)
            if p is None or p[0] != scheme:
                yield ctx.finding(
                    "citation-format", f"{rule.id}: article {rule.article!r} does not follow "
                    f"the numbering of {ed.id} ({scheme}, like {example!r}: {n} of "
                    f"{len(ed.rules)} rules)", span, rule.id)
                continue
            suffix = rule.id.split("/", 1)[1] if "/" in rule.id else rule.id
            numbers = ".".join(str(x) for x in p[1])
            if scheme == "named-item":
                ok = suffix.rsplit(".", 1)[-1] == numbers
            else:
                ok = suffix == numbers
            if not ok:
                yield ctx.finding(
                    "citation-mismatch", f"rule id {rule.id!r} does not match its article "
                    f"{rule.article!r}", ctx.rule_span(rule, "id"), rule.id,
                    hint=(f"the article's numbers give {ed.id}/{numbers}"
                          if scheme != "named-item" else
                          f"the id should end in .{numbers}"))
