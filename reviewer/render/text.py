"""Plain-text rendering: one unit per line, numbers and headings restored.

Parsing the rendering again gives the same tree (the round-trip test holds
this), so it is also a clean-up of messy input.
"""

from __future__ import annotations

from ..structure.tree import Document, Node


def to_text(doc: Document) -> str:
    lines: list[str] = []
    for node in doc.body:
        _render(node, lines)
    return "\n".join(lines) + "\n"


def _head(node: Node) -> str:
    num = node.num or ""
    if node.type == "article" and node.heading:
        if node.heading.isascii():
            return f"{num} ({node.heading})"
        return f"{num}（{node.heading}）"
    if node.heading and node.type in ("chapter", "section", "book", "attachment"):
        return f"{num} {node.heading}" if num else node.heading
    if node.heading and node.type in ("point", "subpoint"):
        sep = "。" if node.text else ""
        return f"{num}{node.heading}{sep}"
    return num


def _render(node: Node, lines: list[str]) -> None:
    if node.type in ("preface", "conclusions"):
        for child in node.children:
            _render(child, lines)
        return
    if node.type == "article":
        head = _head(node)
        first: Node | None = node.children[0] if node.children else None
        rest = node.children[1:]
        if first is not None and first.type == "paragraph":
            lines.append(f"{head} {first.text}".rstrip())
            for grandchild in first.children:
                _render(grandchild, lines)
        else:
            lines.append(head)
            if first is not None:
                _render(first, lines)
        for child in rest:
            _render(child, lines)
        return
    head = _head(node)
    own = (
        f"{head}{node.text}"
        if node.type in ("point", "subpoint")
        else " ".join(x for x in (head, node.text) if x)
    )
    if own:
        lines.append(own)
    for child in node.children:
        _render(child, lines)
