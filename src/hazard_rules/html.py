"""HTML for Jupyter: a verdict, an edition, a rule, a set of rulesets.

:class:`~hazard_rules.Verdict`, :class:`~hazard_rules.Edition`,
:class:`~hazard_rules.Rule` and :class:`~hazard_rules.Rulesets` display as HTML in a
notebook through their ``_repr_html_``, which call these functions. Every piece of text
(clause texts, names, fact values all come from data files and records) is escaped; the
HTML has inline styles only, no scripts.

>>> from hazard_rules.verdict import Status, Verdict
>>> html = verdict_html(Verdict("R-<1>", None, Status.CLEAR))
>>> "R-&lt;1&gt;" in html and "<script" not in html
True
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

from hazard_rules.verdict import Status, Verdict

if TYPE_CHECKING:
    from hazard_rules.model import Catalog, Edition, Rule, Rulesets

__all__ = ["edition_html", "rule_html", "rulesets_html", "verdict_html"]

_BOX = ("font-family:sans-serif;font-size:13px;line-height:1.45;max-width:960px;"
        "border:1px solid #ddd;border-radius:4px;padding:8px 12px")
_TABLE = "border-collapse:collapse;margin:4px 0 8px 0;width:100%"
_CELL = "border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top"
_HEAD = _CELL + ";background:#f4f4f4"
_CODE = ("font-family:monospace;font-size:12px;background:#f6f6f6;padding:0 3px;"
         "white-space:nowrap")
_COLORS = {Status.MAJOR: "#c0392b", Status.UNDETERMINED: "#d68910",
           Status.CLEAR: "#1e8449", Status.ERROR: "#7f8c8d"}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _code(value: object) -> str:
    return f'<code style="{_CODE}">{_e(value)}</code>'


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table; ``head`` is plain text (escaped here), ``rows`` are HTML cells."""
    out = [f'<table style="{_TABLE}"><thead><tr>']
    out.extend(f'<th style="{_HEAD}">{_e(h)}</th>' for h in head)
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _bundled() -> Rulesets | None:
    try:
        from hazard_rules.explain import _bundled

        return _bundled()
    except Exception:  # pragma: no cover - labels are optional
        return None


def _label(catalog: Catalog | None, name: str) -> str:
    fact = catalog.get(name) if catalog is not None else None
    return f"{_e(fact.label_zh)}（{_code(name)}）" if fact else _code(name)


def _value(catalog: Catalog | None, name: str, value: Any) -> str:
    fact = catalog.get(name) if catalog is not None else None
    return _e(fact.value_label(value) if fact else value)


def verdict_html(verdict: Verdict, rulesets: Rulesets | None = None) -> str:
    """A verdict as HTML: status, editions, each finding with its official clause text
    and evidence, the undetermined clauses with the facts they lack, clauses without
    text, input problems. Fact labels and edition titles come from ``rulesets``
    (default: the bundled ones).

    >>> print(verdict_html(Verdict("R-1", None, Status.ERROR))[:60])
    <div style="font-family:sans-serif;font-size:13px;line-heigh
    """
    from hazard_rules.explain import _T

    rs = rulesets if rulesets is not None else _bundled()
    catalog = rs.catalog if rs is not None else None
    t = _T["zh"]
    status = t[verdict.status]
    if verdict.status is Status.MAJOR:
        status += f"（{len(verdict.findings)} 项）"
    day = verdict.inspected_on.isoformat() if verdict.inspected_on else "?"
    badge = (f'<span style="background:{_COLORS[verdict.status]};color:#fff;'
             f'padding:1px 8px;border-radius:3px">{_e(status)}</span>')
    parts = [f'<div style="{_BOX}">',
             f"<div><b>记录 {_e(verdict.record_id or '（无编号）')}</b> · 检查日期 {_e(day)} · "
             f"{badge}</div>"]
    if verdict.editions:
        names = []
        for eid in verdict.editions:
            ed = rs.editions.get(eid) if rs is not None else None
            names.append(f"{_code(eid)} 《{_e(ed.title)}》（{_e(ed.document)}）" if ed
                         else _code(eid))
        parts.append("<div>适用标准：" + "；".join(names) + "</div>")
    if verdict.findings:
        rows = []
        for f in verdict.findings:
            ed = rs.editions.get(f.edition) if rs is not None else None
            where = (f"《{_e(ed.title)}》" if ed else _code(f.edition)) + _e(f.article)
            evidence = "".join(f"<li>{_label(catalog, e.fact)} = "
                               f"{_value(catalog, e.fact, e.value)}</li>" for e in f.evidence)
            rows.append([f"{where}<br>{_code(f.rule_id)}", _e(f.text),
                         f'<ul style="margin:0;padding-left:16px">{evidence}</ul>'])
        parts.append("<div><b>重大事故隐患</b></div>"
                     + _table(["条款", "条文（官方原文）", "依据事实"], rows))
    if verdict.undetermined:
        rows = [[f"{_e(u.article)}<br>{_code(u.rule_id)}",
                 "、".join(_label(catalog, m) for m in u.missing) or "无"]
                for u in verdict.undetermined]
        parts.append("<div><b>待查事项</b>（缺少以下事实，无法判定）</div>"
                     + _table(["条款", "缺少的事实"], rows))
    if verdict.unassessed:
        items = "".join(f"<li>{_code(u.edition)} {_e(u.article)}</li>" for u in verdict.unassessed)
        parts.append(f"<div><b>未判定条款</b>（缺少官方条文）<ul>{items}</ul></div>")
    if verdict.errors:
        items = "".join(f"<li>[{_e(e.code)}] {_e(e.field or '')} {_e(e.message)}</li>"
                        for e in verdict.errors)
        parts.append(f"<div><b>输入问题</b><ul>{items}</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def _conditions(rule: Rule) -> str:
    parts = []
    if rule.applies_source:
        parts.append(f"适用：{_code(' '.join(rule.applies_source.split()))}")
    parts.append(f"情形：{_code(' '.join(rule.when_source.split()))}")
    return "<br>".join(parts)


def edition_html(edition: Edition) -> str:
    """An edition as HTML: title, document, dates, applicability, and its rules as a
    table (id, article, official text, tags), then the clauses whose text is missing.

    >>> from hazard_rules.model import Edition
    >>> import datetime as dt
    >>> ed = Edition("x-1", "x", "<标准>", "令", dt.date(2024, 1, 1), None, ())
    >>> "&lt;标准&gt;" in edition_html(ed)
    True
    """
    head = [f'<div style="{_BOX}">',
            f"<div><b>{_e(edition.id)}</b> 《{_e(edition.title)}》（{_e(edition.document)}）</div>",
            f"<div>施行：{_e(edition.period)}"
            + (f" · 代替 {_code(edition.supersedes)}" if edition.supersedes else "")
            + f" · 条款 {len(edition.rules)} 条"
            + (f"，缺条文 {len(edition.missing_text)} 条" if edition.missing_text else "")
            + "</div>"]
    if edition.applies_source:
        head.append(f"<div>适用范围：{_code(' '.join(edition.applies_source.split()))}</div>")
    rows = [[_code(r.id), _e(r.article), _e(r.text), _e("、".join(r.tags))]
            for r in edition.rules]
    rows.extend([_code(m.id or ""), _e(m.article), "【缺】未取得官方条文", ""]
                for m in edition.missing_text)
    return "".join(head) + _table(["规则", "条款", "条文（官方原文）", "标签"], rows) + "</div>"


def rule_html(rule: Rule, rulesets: Rulesets | None = None) -> str:
    """A rule as HTML: its clause and official text, its conditions as written in the
    ruleset, tags, notes, and the facts it reads with their labels (from ``rulesets``,
    default the bundled ones).

    >>> from hazard_rules.build import load_rulesets
    >>> rs = load_rulesets()
    >>> html = rule_html(rs.rule("gongmao-2023/11.3"), rs)
    >>> "干式除尘系统" in html and "dust.dry_collector_in_use" in html
    True
    """
    rs = rulesets if rulesets is not None else _bundled()
    catalog = rs.catalog if rs is not None else None
    facts = [[_code(name), _e(t), _e(catalog[name].label_zh) if catalog is not None and
              name in catalog else ""] for name, t in rule.facts.items()]
    parts = [f'<div style="{_BOX}">',
             f"<div><b>{_e(rule.id)}</b> {_e(rule.article)}</div>",
             f'<blockquote style="margin:6px 0;padding-left:8px;border-left:3px solid #ccc">'
             f"{_e(rule.text)}</blockquote>",
             f"<div>{_conditions(rule)}</div>"]
    if rule.tags:
        parts.append(f"<div>标签：{_e('、'.join(rule.tags))}</div>")
    if rule.notes:
        parts.append(f"<div>说明：{_e(' '.join(rule.notes.split()))}</div>")
    parts.append(_table(["事实", "类型", "含义"], facts) + "</div>")
    return "".join(parts)


def rulesets_html(rulesets: Rulesets) -> str:
    """Loaded rulesets as HTML: one row per edition.

    >>> from hazard_rules.model import Catalog, Rulesets
    >>> "0 个版本" in rulesets_html(Rulesets({}, Catalog({}, {})))
    True
    """
    rows = [[_code(e.id), _e(e.title), _e(e.document), _e(e.period), str(len(e.rules)),
             str(len(e.missing_text))] for e in rulesets]
    return (f'<div style="{_BOX}"><div><b>{len(rulesets)} 个版本</b></div>'
            + _table(["版本", "标准", "文号", "施行", "规则", "缺条文"], rows) + "</div>")
