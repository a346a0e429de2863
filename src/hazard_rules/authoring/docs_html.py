"""The rule catalog as static HTML: ``index.html`` and one page per edition.

Plain HTML with the CSS inline, no script, and a Content-Security-Policy that
forbids any (rulesets come from strangers: every text and attribute is escaped
with :func:`html.escape` as well). Each rule has an anchor (``#rule-11.3``);
pages link to the index, to the editions they supersede or are superseded by,
and from the table of rules to each rule.

>>> h("<script>alert('x')</script>")
'&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;'
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

from hazard_rules.authoring.docs import WORDS, EditionPage, RuleEntry
from hazard_rules.authoring.render import Part

__all__ = ["edition_page", "h", "index_page"]

_CSS = """\
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",\
sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1f2328;line-height:1.55}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.1rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
blockquote{margin:.5rem 0;padding:.5rem 1rem;border-left:4px solid #0969da;\
background:#f6f8fa}
pre{background:#f6f8fa;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
section.rule{border-top:1px solid #d0d7de;margin-top:1.5rem}
.label{font-weight:600}
.status-superseded,.status-ended{color:#9a6700}.status-in-force{color:#1a7f37}
a{color:#0969da}
"""


def h(text: str | None) -> str:
    """``text`` escaped for HTML text and attribute values (``None`` is empty)."""
    return html.escape(text or "", quote=True)


def _doc(title: str, body: list[str], lang: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" "
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{h(title)}</title>",
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
        "",
    ])


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A table; ``head`` is text (escaped here), ``rows`` are HTML (escaped already)."""
    lines = ["<table>", "<thead><tr>" + "".join(f"<th>{h(c)}</th>" for c in head)
             + "</tr></thead>", "<tbody>"]
    lines.extend("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    lines.extend(["</tbody>", "</table>"])
    return lines


def _tree(part: Part) -> str:
    if isinstance(part, str):
        return f"<li>{h(part)}</li>"
    items = "".join(_tree(i) for i in part.items)
    return f"<li>{h(part.head)}<ul>{items}</ul></li>"


def _link(edition_id: str | None, known: Collection[str], w: dict[str, str]) -> str:
    if edition_id is None:
        return h(w["none"])
    if edition_id in known:
        return f'<a href="{h(edition_id)}.html">{h(edition_id)}</a>'
    return h(edition_id)


def _status(status: str, w: dict[str, str]) -> str:
    return f'<span class="status-{h(status.replace(" ", "-"))}">{h(w[status])}</span>'


def index_page(pages: Sequence[EditionPage], lang: str = "zh") -> str:
    """``index.html``: every edition with its standard, status, dates and counts."""
    w = WORDS[lang]
    n_rules = sum(len(p.rules) for p in pages)
    n_missing = sum(len(p.missing_text) for p in pages)
    summary = w["summary"].format(len(pages), len({p.standard for p in pages}), n_rules,
                                  n_missing)
    body = [f"<h1>{h(w['catalog'])}</h1>", f"<p>{h(summary)}</p>"]
    rows = [[f'<a href="{h(p.id)}.html">{h(p.id)}</a>', h(p.title), h(p.document),
             _status(p.status, w), h(p.period), str(len(p.rules)), str(len(p.missing_text)),
             str(p.cases)] for p in pages]
    body.extend(_table([w["edition"], w["title"], w["document"], w["status"], w["period"],
                        w["rules"], w["no_text"], w["cases"]], rows))
    return _doc(w["catalog"], body, lang)


def _pre(source: str) -> str:
    return f"<pre><code>{h(source.strip())}</code></pre>"


def _rule(r: RuleEntry, w: dict[str, str]) -> list[str]:
    lines = [f'<section class="rule" id="{h(r.anchor)}">',
             f'<h3><a href="#{h(r.anchor)}">{h(r.id)}</a> · {h(r.article)}</h3>',
             "<blockquote>" + "<br>".join(h(line) for line in r.text.splitlines()
                                          if line.strip()) + "</blockquote>"]
    if r.applies is not None and r.applies_source is not None:
        lines.extend([f'<p class="label">{h(w["applies"])}</p>', f"<ul>{_tree(r.applies)}</ul>",
                      _pre(r.applies_source)])
    lines.extend([f'<p class="label">{h(w["condition"])}</p>', f"<ul>{_tree(r.when)}</ul>",
                  _pre(r.when_source)])
    if r.tags:
        lines.append(f'<p><span class="label">{h(w["tags"])}</span>: '
                     + "、".join(h(t) for t in r.tags) + "</p>")
    if r.notes:
        lines.append(f'<p><span class="label">{h(w["notes"])}</span>: '
                     f"{h(' '.join(r.notes.split()))}</p>")
    lines.append(f'<p class="label">{h(w["facts"])}</p>')
    lines.extend(_table([w["fact"], w["label"], w["label_en"], w["type"], w["detail"]],
                        [[f"<code>{h(f.name)}</code>", h(f.label_zh), h(f.label_en), h(f.type),
                          h(f.detail)] for f in r.facts]))
    lines.append(f'<p class="label">{h(w["cases"])}</p>')
    if r.cases:
        lines.extend(_table([w["case"], w["expects"], w["where"]],
                            [[h(c.name), h(w[c.expects]), h(c.where)] for c in r.cases]))
    else:
        lines.append(f"<p>{h(w['none'])}</p>")
    lines.append("</section>")
    return lines


def edition_page(page: EditionPage, known: Collection[str], lang: str = "zh") -> str:
    """``<edition>.html``: the edition's metadata, a table of its rules, the clauses
    without official text, then every rule in full. ``known`` are the edition ids
    that have pages (for links)."""
    w = WORDS[lang]
    p = page
    clauses = "?" if p.clauses is None else str(p.clauses)
    meta = [
        (w["standard"], h(p.standard)), (w["title"], h(p.title)),
        *([(w["title_en"], h(p.title_en))] if p.title_en else []),
        (w["document"], h(p.document)), (w["issuer"], h(p.issuer or w["unknown"])),
        (w["published"], h(p.published_on or w["unknown"])), (w["period"], h(p.period)),
        (w["status"], _status(p.status, w)), (w["supersedes"], _link(p.supersedes, known, w)),
        (w["superseded_by"], _link(p.superseded_by, known, w)),
        (w["clauses"], h(w["clause_count"].format(clauses, len(p.rules), len(p.missing_text)))),
        (w["catalogs"], h(", ".join(p.fact_namespaces) or w["none"])),
    ]
    body = [f'<nav><a href="index.html">{h(w["back"])}</a></nav>',
            f"<h1>{h(p.id)} 《{h(p.title)}》</h1>", "<table>"]
    body.extend(f'<tr><th scope="row">{h(k)}</th><td>{v}</td></tr>' for k, v in meta)
    body.append("</table>")
    if p.applies is not None and p.applies_source is not None:
        body.extend([f'<p class="label">{h(w["applies"])}</p>', f"<ul>{_tree(p.applies)}</ul>",
                     _pre(p.applies_source)])
    if p.notes:
        body.append(f'<p><span class="label">{h(w["notes"])}</span>: '
                    f"{h(' '.join(p.notes.split()))}</p>")
    body.append(f"<h2>{h(w['rules'])}</h2>")
    if p.rules:
        body.extend(_table([w["rule"], w["article"], w["text"]], [
            [f'<a href="#{h(r.anchor)}">{h(r.id)}</a>', h(r.article), h(r.text)]
            for r in p.rules]))
    else:
        body.append(f"<p>{h(w['none'])}</p>")
    if p.missing_text:
        body.append(f"<h2>{h(w['missing'])}</h2>")
        body.extend(_table([w["article"], w["rule"], w["notes"]],
                           [[h(a), h(i), h(n)] for a, i, n in p.missing_text]))
    for r in p.rules:
        body.extend(_rule(r, w))
    return _doc(f"{p.id} {p.title}", body, lang)
