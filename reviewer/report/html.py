"""A standalone HTML report: the document with each finding beside its article."""

from __future__ import annotations

from html import escape

from ..engine import Review
from ..engine.findings import Finding
from .marks import marked

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1b1b1b}
header{background:#1d3557;color:#fff;padding:1rem 2rem}header h1{margin:0;font-size:1.3rem}
main{padding:1rem 2rem}.doc{margin-bottom:3rem}.meta{color:#555;font-size:.9rem}
.row{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;border-top:1px solid #eee;padding:.4rem 0}
.text{white-space:pre-wrap;line-height:1.7}.eid{color:#888;font-size:.75rem;font-family:monospace}
mark{background:#ffe08a}.f{border-left:4px solid #999;padding:.3rem .6rem;margin:.3rem 0;background:#fafafa;font-size:.9rem}
.error{border-color:#c62828}.warning{border-color:#ef8f00}.info{border-color:#1565c0}
.sev{font-weight:600;text-transform:uppercase;font-size:.75rem}.basis{color:#555;font-size:.8rem}
details summary{cursor:pointer;color:#555;font-size:.8rem}pre{white-space:pre-wrap;font-size:.75rem}
table.sum td,table.sum th{padding:.2rem .8rem;text-align:left}
"""


def _finding(f: Finding) -> str:
    basis = "；".join(
        f"{escape(b['law'])}{escape(b.get('article') or '')}：“{escape(b['quote'])}”"
        for b in f.basis
    )
    explain = escape(
        "\n".join(f"{e['fact']} {e.get('eid') or ''}: {e['values']}" for e in f.explain)
    )
    return (
        f'<div class="f {f.severity}"><span class="sev">{f.severity}</span> '
        f"<code>{escape(f.rule)}</code><br>{escape(f.message)}"
        f'<div class="basis">依据：{basis}</div>'
        + (f"<div>建议：{escape(f.suggestion)}</div>" if f.suggestion else "")
        + f"<details><summary>explain</summary><pre>{explain}</pre></details></div>"
    )


def _document(r: Review) -> str:
    d = r.document
    by_article: dict[str, list[Finding]] = {}
    for f in r.findings:
        by_article.setdefault(f.article or "document", []).append(f)
    counts = r.counts()
    rows = []
    doc_level = by_article.pop("document", [])
    if doc_level:
        rows.append(
            f'<div class="row"><div class="text"><em>全文</em></div><div>{"".join(map(_finding, doc_level))}</div></div>'
        )

    spans = [(f.start, f.end, None) for f in r.findings]
    for node, article, _ in d.anchored():
        own = by_article.pop(node.eid, []) if node.eid == article else []
        label = " ".join(x for x in (node.num, node.heading) if x)
        text = marked(d, node, spans)
        if label or text:
            rows.append(
                f'<div class="row" id="{escape(node.eid)}"><div class="text"><span class="eid">{escape(node.eid)}</span> '
                f"<strong>{escape(label)}</strong> {text}</div><div>{''.join(map(_finding, own))}</div></div>"
            )
    for leftover in by_article.values():
        rows.append(
            f'<div class="row"><div></div><div>{"".join(map(_finding, leftover))}</div></div>'
        )
    return (
        f'<section class="doc"><h2>{escape(d.title or d.path or "文档")}</h2>'
        f'<p class="meta">{escape(d.path or "")} · 文号 {escape(d.header.number or "—")} · '
        f"制定机关 {escape(d.header.issuer or '—')} · 层级 {escape(d.header.level)} · "
        f"规则包 {escape(r.pack)}</p>"
        f'<table class="sum"><tr><th>error</th><th>warning</th><th>info</th></tr>'
        f"<tr><td>{counts['errors']}</td><td>{counts['warnings']}</td><td>{counts['infos']}</td></tr></table>"
        + "".join(rows)
        + "</section>"
    )


def to_html(reviews: list[Review]) -> str:
    body = "".join(_document(r) for r in reviews)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>合法性审查报告</title>"
        f"<style>{_CSS}</style></head><body><header><h1>合法性审查报告 · Legality review</h1></header>"
        f"<main>{body}</main></body></html>\n"
    )
