"""Structural diagnostics on a built tree: numbering gaps and duplicates,
references to articles that do not exist, a missing effective-date clause."""

from __future__ import annotations

import re
from collections import Counter

from .dates import to_int
from .tree import Diagnostic, Node

# 本办法第十二条 / 第十二条第二款 inside this document; not 《X法》第十二条.
_ZH_REF = re.compile(
    r"(?:本(?:法|条例|规定|办法|细则|规则|决定|意见|通知|实施细则|解释)|(?<![》法例定则规〉\u4e00-\u9fff]))"
    r"第([零〇一二三四五六七八九十百千两0-9]+)条(?!之)"
)
_ZH_REF_STRICT = re.compile(
    r"本(?:法|条例|规定|办法|细则|规则|决定|实施细则|解释)第([零〇一二三四五六七八九十百千两0-9]+)条"
)
_EN_REF = re.compile(
    r"Article\s+(\d+)\s+of\s+th(?:ese|is)\s+(?:Measures|Provisions|Regulations|Rules|Law|Decision)"
)
_EFFECTIVE = re.compile(
    r"施行|生效|起执行|有效期|实施。|take effect|come into (?:force|effect)|valid until"
)


def structure_diagnostics(body: list[Node], language: str) -> list[Diagnostic]:
    articles = [n for top in body for n in top.walk() if n.type == "article"]
    out: list[Diagnostic] = []
    if not articles:
        return out
    counts = Counter(a.num for a in articles)
    seen: set[str | None] = set()
    previous: int | None = None
    for art in articles:
        if counts[art.num] > 1 and art.num in seen:
            out.append(Diagnostic("duplicate_number", f"{art.num} 重复编号", art.eid, art.span))
        seen.add(art.num)
        if "之" in (art.num or "") or art.ordinal is None:
            continue
        # A document may start past 1 (an excerpt of a code); gaps are between articles.
        expected = art.ordinal if previous is None else previous + 1
        if art.ordinal != expected and art.ordinal != previous:
            out.append(
                Diagnostic(
                    "article_gap",
                    f"条文编号不连续：应为第{expected}条，实为{art.num}",
                    art.eid,
                    art.span,
                )
            )
        previous = art.ordinal
    existing = {a.ordinal for a in articles if a.ordinal is not None}
    pattern = _EN_REF if language == "en" else _ZH_REF_STRICT
    for node in (n for top in body for n in top.walk()):
        for m in pattern.finditer(node.text):
            target = int(m.group(1)) if m.group(1).isdigit() else to_int(m.group(1))
            if target is not None and target not in existing:
                out.append(
                    Diagnostic(
                        "dangling_reference",
                        f"引用的{m.group(0)}不存在",
                        node.eid,
                        node.span,
                    )
                )
    main = [top for top in body if top.type not in ("attachment", "preface")]
    if not any(_EFFECTIVE.search(n.text) for top in main[-3:] for n in top.walk()):
        last = articles[-1]
        out.append(Diagnostic("missing_effective_clause", "未见施行日期条款", last.eid, last.span))
    return out
