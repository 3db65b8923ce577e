"""Highlighting a finding's exact span inside a node's text, for the HTML
report and the web pages alike."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from ..structure.tree import Document, Node


def marked(
    document: Document, node: Node, spans: Iterable[tuple[int | None, int | None, str | None]]
) -> str:
    """The node's own text, HTML-escaped, with every (start, end, css class)
    span of the original text that begins inside it wrapped in <mark>."""
    text = node.text
    offset = document.text_offset(node)
    if offset is None:
        return escape(text)
    inside = sorted(
        (s - offset, e - offset, css)
        for s, e, css in spans
        if s is not None and e is not None and offset <= s < offset + len(text)
    )
    out, pos = [], 0
    for s, e, css in inside:
        if s < pos:
            continue  # overlaps a span already marked
        e = min(e, len(text))
        tag = f'<mark class="{css}">' if css else "<mark>"
        out.append(escape(text[pos:s]) + tag + escape(text[s:e]) + "</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out)
