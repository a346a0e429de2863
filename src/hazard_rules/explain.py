"""Render a verdict for a person: clause, official text, evidence, missing facts.

Chinese by default; ``lang="en"`` gives English labels (the clause text stays
the official Chinese wording, which is the only authoritative text).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from hazard_rules.verdict import Status, Verdict

if TYPE_CHECKING:
    from hazard_rules.model import Rulesets

__all__ = ["explain"]

_T = {
    "zh": {
        "record": "记录", "date": "检查日期", "status": "结论",
        Status.MAJOR: "存在重大事故隐患", Status.UNDETERMINED: "无法判定（缺少事实）",
        Status.CLEAR: "未发现重大事故隐患", Status.ERROR: "无法判定（输入有误）",
        "editions": "适用标准", "findings": "重大事故隐患", "text": "条文",
        "evidence": "依据事实", "undetermined": "待查事项（缺少以下事实，无法判定）",
        "lacks": "缺少", "errors": "输入问题", "none": "无", "items": "项",
        "official": "",
    },
    "en": {
        "record": "Record", "date": "inspected on", "status": "Verdict",
        Status.MAJOR: "major accident hazard found",
        Status.UNDETERMINED: "undetermined (facts missing)",
        Status.CLEAR: "no major accident hazard found",
        Status.ERROR: "cannot be judged (bad input)",
        "editions": "Standards applied", "findings": "Major accident hazards",
        "text": "Clause (official text)", "evidence": "Evidence",
        "undetermined": "Still to check (missing facts)", "lacks": "missing",
        "errors": "Input problems", "none": "none", "items": "",
        "official": "",
    },
}


@cache
def _bundled() -> Rulesets:
    from hazard_rules.build import load_rulesets

    return load_rulesets()


def explain(verdict: Verdict, lang: str = "zh", rulesets: Rulesets | None = None) -> str:
    """Render ``verdict`` as text in ``lang`` (``"zh"`` or ``"en"``).

    >>> from hazard_rules import Engine
    >>> engine = Engine()
    >>> v = engine.classify({"record_id": "R-9", "inspected_on": "2024-01-02",
    ...                      "enterprise": {"sector": "commerce", "scopes": []},
    ...                      "facts": {"common": {"special_operator_uncertified_on_duty": True}}})
    >>> print(explain(v).splitlines()[1])
    结论：存在重大事故隐患（1 项）
    """
    if lang not in _T:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    t = _T[lang]
    rs = rulesets if rulesets is not None else _bundled()
    catalog = rs.catalog
    zh = lang == "zh"
    colon = "：" if zh else ": "

    def label(name: str) -> str:
        f = catalog.get(name)
        return f"{f.label(lang)}（{name}）" if f and zh else f"{f.label(lang)} ({name})" if f \
            else name

    def show(name: str, value: Any) -> str:
        f = catalog.get(name)
        return f.value_label(value, lang) if f else str(value)

    def edition_title(eid: str) -> str:
        ed = rs.editions.get(eid)
        if ed is None:
            return eid
        title = ed.title if zh or not ed.title_en else ed.title_en
        return f"{eid} 《{ed.title}》（{ed.document}）" if zh else f"{eid} {title} ({ed.document})"

    rid = verdict.record_id or ("（无编号）" if zh else "(no id)")
    day = verdict.inspected_on.isoformat() if verdict.inspected_on else "?"
    head = f"{t['record']} {rid}（{t['date']} {day}）" if zh else \
        f"{t['record']} {rid} ({t['date']} {day})"
    lines = [head]
    status = t[verdict.status]
    if verdict.status is Status.MAJOR:
        n = len(verdict.findings)
        status += f"（{n} 项）" if zh else f" ({n})"
    lines.append(f"{t['status']}{colon}{status}")
    if verdict.editions:
        lines.append(f"{t['editions']}{colon}" + ("；" if zh else "; ").join(
            edition_title(e) for e in verdict.editions))
    if verdict.findings:
        lines.append("")
        lines.append(f"【{t['findings']}】" if zh else f"{t['findings']}:")
        for i, f in enumerate(verdict.findings, 1):
            ed = rs.editions.get(f.edition)
            std = f"《{ed.title}》" if ed else f.edition
            lines.append(f"{i}. {std}{f.article}  [{f.rule_id}]")
            lines.append(f"   {t['text']}{colon}{f.text}")
            if f.evidence:
                lines.append(f"   {t['evidence']}{colon.rstrip()}")
                for e in f.evidence:
                    lines.append(f"     - {label(e.fact)} = {show(e.fact, e.value)}")
    if verdict.undetermined:
        lines.append("")
        lines.append(f"【{t['undetermined']}】" if zh else f"{t['undetermined']}:")
        for u in verdict.undetermined:
            missing = ("、" if zh else ", ").join(label(m) for m in u.missing) or t["none"]
            lines.append(f"  - {u.article} [{u.rule_id}]{colon}{t['lacks']} {missing}")
    if verdict.unassessed:
        lines.append("")
        lines.append("【未判定条款（缺少官方条文）】" if zh else
                     "Clauses not assessed (official text not available):")
        for un in verdict.unassessed:
            lines.append(f"  - {un.edition} {un.article}" + (f" [{un.rule_id}]" if un.rule_id
                                                            else ""))
    if verdict.errors:
        lines.append("")
        lines.append(f"【{t['errors']}】" if zh else f"{t['errors']}:")
        for err in verdict.errors:
            where = f"{err.field}: " if err.field else ""
            lines.append(f"  - [{err.code}] {where}{err.message}")
    return "\n".join(lines)
