"""Typed document tree: the output of the structure parser.

Node types and eIds follow Akoma Ntoso naming (GUIDE §3.2): book, chp, sec,
art, para, point, subpoint, att. Every node carries the span of its own
source text so that later stages can point findings at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

NodeType = Literal[
    "book",
    "chapter",
    "section",
    "article",
    "paragraph",
    "point",
    "subpoint",
    "attachment",
    "preface",
    "line",
]

DiagnosticKind = Literal[
    "article_gap",
    "duplicate_number",
    "dangling_reference",
    "item_outside_article",
    "unparsed_text",
    "misplaced_heading",
    "table",
    "missing_effective_clause",
]


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of text sits in the *original* input (1-based line/column,
    0-based character offsets, end exclusive)."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def to_dict(self) -> dict[str, int]:
        return {
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass(slots=True)
class Node:
    type: NodeType
    eid: str
    num: str | None  # the number as written: "第十二条", "（三）", "Article 5"
    heading: str | None  # 第一条（目的和依据） -> "目的和依据"; 第一章 总则 -> "总则"
    text: str  # the node's own text, without its number and heading
    span: Span  # the node's own line(s), not its children
    children: list[Node] = field(default_factory=list)
    ordinal: int | None = None  # the number as an integer, when it has one

    def walk(self) -> Iterator[Node]:
        """This node and its descendants, in document order (iterative: deep
        trees make nested generators slow)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def full_text(self) -> str:
        """The node's text followed by its descendants', one line each."""
        return "\n".join(n.text for n in self.walk() if n.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "num": self.num,
            "heading": self.heading,
            "eid": self.eid,
            "text": self.text,
            "line": self.span.line,
            "span": self.span.to_dict(),
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True, slots=True)
class Diagnostic:
    kind: DiagnosticKind
    message: str
    eid: str | None
    span: Span | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "eid": self.eid,
            "line": self.span.line if self.span else None,
            "column": self.span.column if self.span else None,
        }


@dataclass(slots=True)
class Dates:
    signed: date | None = None
    published: date | None = None
    effective: date | None = None
    expires: date | None = None
    validity_years: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "signed": _iso(self.signed),
            "published": _iso(self.published),
            "effective": _iso(self.effective),
            "expires": _iso(self.expires),
            "validity_years": self.validity_years,
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(slots=True)
class Header:
    title: str | None = None
    number: str | None = None
    issuers: list[str] = field(default_factory=list)
    genre: str | None = None
    level: str = "other"
    dates: Dates = field(default_factory=Dates)
    wrapper_title: str | None = None  # 关于印发《…》的通知, when the text is wrapped
    interim: bool = False  # 暂行 / 试行 in the title

    @property
    def issuer(self) -> str | None:
        return "、".join(self.issuers) if self.issuers else None


@dataclass(slots=True)
class Document:
    text: str  # the original text, as ingested
    language: Literal["zh", "en"]
    header: Header
    body: list[Node]
    coverage: float
    diagnostics: list[Diagnostic]
    path: str | None = None

    # Convenience accessors used by reports and later stages.
    @property
    def title(self) -> str | None:
        return self.header.title

    def walk(self) -> Iterator[Node]:
        for node in self.body:
            yield from node.walk()

    def anchored(self) -> Iterator[tuple[Node, str | None, int]]:
        """Every node in document order, with the eId of the article that holds
        it (in 意见/通知-style documents, the top-level 一、 section) and its depth.
        Findings and facts are reported on that article."""
        stack: list[tuple[Node, str | None, int]] = [(n, None, 0) for n in reversed(self.body)]
        while stack:
            node, article, depth = stack.pop()
            if node.type == "article" or (article is None and node.type == "section"):
                article = node.eid
            yield node, article, depth
            stack.extend((c, article, depth + 1) for c in reversed(node.children))

    def text_offset(self, node: Node) -> int | None:
        """Where the node's own text starts in the original text (None if the
        normaliser changed it beyond recognition)."""
        if not node.text:
            return None
        found = self.text.find(node.text[:16], node.span.start)
        return found if 0 <= found <= node.span.end else None

    def nodes(self, type_: NodeType) -> list[Node]:
        return [n for n in self.walk() if n.type == type_]

    def find(self, eid: str) -> Node | None:
        return next((n for n in self.walk() if n.eid == eid), None)

    def counts(self) -> dict[str, int]:
        return {
            "articles": len(self.nodes("article")),
            "chapters": len(self.nodes("chapter")),
            "sections": len(self.nodes("section")),
            "attachments": len(self.nodes("attachment")),
        }

    def to_dict(self) -> dict[str, Any]:
        h = self.header
        return {
            "path": self.path,
            "title": h.title,
            "number": h.number,
            "issuer": h.issuer,
            "issuers": h.issuers,
            "level": h.level,
            "genre": h.genre,
            "language": self.language,
            "interim": h.interim,
            "wrapper_title": h.wrapper_title,
            "dates": h.dates.to_dict(),
            "structure": self.counts(),
            "coverage": round(self.coverage, 4),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "body": [n.to_dict() for n in self.body],
        }
