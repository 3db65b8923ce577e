"""Lark parse tree -> typed nodes with AKN eIds and source spans.

Two passes, one direction: a Lark Transformer turns each rule into a raw node
(kind, number, heading, text, normalised offsets), then `assign_eids` walks
the result top-down, because an eId depends on the ancestors (art_5__para_2).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lark import Token, Transformer

from ..normalise import Normalised
from .dates import to_int
from .tree import Diagnostic, Node, NodeType

# Heading terminals that start a line, by the raw node kind they open.
_HEAD_TOKENS = {
    "BOOK_NUM",
    "CHAPTER_NUM",
    "SECTION_NUM",
    "ARTICLE_NUM",
    "POINT",
    "SUBPOINT",
    "SUBSUB",
    "CN_SEC",
    "ATTACHMENT",
}
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


@dataclass(slots=True)
class Raw:
    """A node before eIds: what the grammar recognised and where."""

    kind: str  # node type, or a front-matter role: number, date, text, table, attachment_ref
    num: str | None
    heading: str | None
    text: str
    start: int
    end: int
    children: list[Raw] = field(default_factory=list)
    recovered: bool = False  # re-fed as text by the error handler


def _clean_heading(s: str) -> str:
    return _CJK_GAP.sub("", s.strip())


def split_heading(text: str) -> tuple[str | None, str]:
    """Split 意见-style "（一）加强领导。各区要…" into ("加强领导", "各区要…").

    A short unit without sentence punctuation is all heading; a short first
    sentence ending in 。 is the heading of the text that follows.
    """
    t = text.strip()
    if t and len(t) <= 30 and not re.search(r"[。，；：,;:！？]", t):
        return _clean_heading(t), ""
    m = re.match(r"([^。，；：,;:！？]{2,24})。(.+)", t)
    if m:
        return m.group(1), m.group(2).strip()
    return None, t


class Demoted(Token):
    """A token the error handler fed again as TEXT (see parser.parse_lines)."""

    __slots__ = ()


class ToRaw(Transformer):
    """Rule callbacks, run inside the LALR parser (``Lark(transformer=…)``):
    no parse tree is built, which halves the structure stage's parse time."""

    # -- helpers ---------------------------------------------------------
    def _head(self, kind: str, items: list) -> Raw:
        """A unit whose first line is HEAD [ART_HEADING] TEXT*, then children."""
        toks = [i for i in items if isinstance(i, Token)]
        children = [i for i in items if isinstance(i, Raw)]
        head = toks[0]
        heading = next((t for t in toks if t.type == "ART_HEADING"), None)
        text = "".join(t for t in toks[1:] if t.type == "TEXT").strip()
        start = head.start_pos or 0
        end = max(t.end_pos or 0 for t in toks)
        recovered = any(isinstance(t, Demoted) for t in toks)
        raw = Raw(kind, head.strip(), None, text, start, end, children, recovered)
        if heading is not None:
            raw.heading = heading.strip().strip("（）()【】[] ")
        return raw

    def _line(self, kind: str, items: list) -> Raw:
        toks = [i for i in items if isinstance(i, Token)]
        text = "".join(toks).strip()
        start, end = toks[0].start_pos or 0, toks[-1].end_pos or 0
        recovered = any(isinstance(t, Demoted) for t in toks)
        return Raw(kind, None, None, text, start, end, [], recovered)

    # -- lines -----------------------------------------------------------
    def text_line(self, items: list) -> Raw:
        return self._line("text", items)

    def table_line(self, items: list) -> Raw:
        return self._line("table", items)

    def number_line(self, items: list) -> Raw:
        return self._line("number", items)

    def date_line(self, items: list) -> Raw:
        return self._line("date", items)

    def attachment_ref(self, items: list) -> Raw:
        return self._line("attachment_ref", items)

    def att_heading(self, items: list) -> Raw:
        return self._line("text", items)

    # -- units -----------------------------------------------------------
    def book(self, items: list) -> Raw:
        return self._head("book", items)

    def chapter(self, items: list) -> Raw:
        raw = self._head("chapter", items)
        raw.heading, raw.text = _clean_heading(raw.text) or None, ""
        return raw

    def section(self, items: list) -> Raw:
        raw = self._head("section", items)
        raw.heading, raw.text = _clean_heading(raw.text) or None, ""
        return raw

    def article(self, items: list) -> Raw:
        return self._head("article", items)

    def art_point(self, items: list) -> Raw:
        return self._head("point", items)

    def art_subpoint(self, items: list) -> Raw:
        return self._head("subpoint", items)

    def art_subsub(self, items: list) -> Raw:
        return self._head("point", items)

    def cn_section(self, items: list) -> Raw:
        return self._head("section", items)

    def top_point(self, items: list) -> Raw:
        return self._head("point", items)

    def point(self, items: list) -> Raw:
        return self._head("point", items)

    def subpoint(self, items: list) -> Raw:
        return self._head("subpoint", items)

    def subsub(self, items: list) -> Raw:
        return self._head("point", items)

    def attachment(self, items: list) -> Raw:
        raw = self._head("attachment", items)
        raw.heading, raw.text = raw.text or None, ""
        return raw

    # -- containers ------------------------------------------------------
    def front(self, items: list) -> Raw:
        return Raw("front", None, None, "", 0, 0, list(items))

    def closing(self, items: list) -> Raw:
        return Raw("closing", None, None, "", 0, 0, list(items))

    def body(self, items: list) -> Raw:
        return Raw("body", None, None, "", 0, 0, list(items))

    def start(self, items: list) -> list[Raw]:
        return list(items)


@dataclass(slots=True)
class Parts:
    front: list[Raw]
    body: list[Raw]
    closing: list[Raw]
    attachments: list[Raw]


def to_parts(items: list[Raw]) -> Parts:
    """The top-level items of a parse (``ToRaw.start``) sorted into parts."""
    parts = Parts([], [], [], [])
    for item in items:
        if item.kind == "front":
            parts.front = item.children
        elif item.kind == "body":
            parts.body = item.children
        elif item.kind == "closing":
            parts.closing = item.children
        else:
            parts.attachments.append(item)
    return parts


def plain_lines(text: str) -> Parts:
    """Fallback when even error recovery fails: every line is front text."""
    raws, pos = [], 0
    for line in text.split("\n"):
        if line:
            raws.append(Raw("text", None, None, line, pos, pos + len(line)))
        pos += len(line) + 1
    return Parts(raws, [], [], [])


# ---------------------------------------------------------------------------
# eIds


_PREFIX: dict[str, str] = {
    "book": "book",
    "chapter": "chp",
    "section": "sec",
    "article": "art",
    "paragraph": "para",
    "point": "point",
    "subpoint": "subpoint",
    "attachment": "att",
    "preface": "preface",
    "conclusions": "conclusions",
    "line": "line",
}
# Front-matter and text lines all become paragraphs; their role is in header.py.
_LINE_KINDS = {"text", "number", "date", "attachment_ref"}
_NUM_PART = re.compile(r"[零〇一二三四五六七八九十百千两0-9０-９IVXLC]+")


def ordinal_of(num: str | None) -> tuple[int | None, int | None]:
    """第十条之一 -> (10, 1); （三） -> (3, None); Article 5 -> (5, None)."""
    if not num:
        return None, None
    m = re.search(r"条之([一二三四五六七八九十]+)", num)
    sub = to_int(m.group(1)) if m else None
    head = num.split("之")[0] if m else num
    if head.lower().startswith(("article", "chapter", "section", "part", "annex", "attachment")):
        head = head.split(None, 1)[1] if " " in head else head
    found = _NUM_PART.findall(head)
    if not found:
        letters = re.findall(r"\(([a-z])\)", head)
        return (ord(letters[0]) - 96 if letters else None), sub
    return to_int(found[0]), sub


class EidBuilder:
    """Assigns eIds and converts Raw nodes to typed Nodes."""

    def __init__(self, norm: Normalised, diagnostics: list[Diagnostic]) -> None:
        self.norm = norm
        self.diagnostics = diagnostics
        self.used: Counter[str] = Counter()

    def unique(self, eid: str) -> str:
        self.used[eid] += 1
        n = self.used[eid]
        return eid if n == 1 else f"{eid}_dup{n}"

    def node(self, raw: Raw, type_: NodeType, eid: str) -> Node:
        ordinal, _ = ordinal_of(raw.num)
        return Node(
            type=type_,
            eid=eid,
            num=raw.num,
            heading=raw.heading,
            text=raw.text,
            span=self.norm.span(raw.start, raw.end),
            ordinal=ordinal,
        )

    def local_num(self, raw: Raw, fallback: int) -> str:
        ordinal, sub = ordinal_of(raw.num)
        base = str(ordinal if ordinal is not None else fallback)
        return f"{base}-{sub}" if sub else base

    def build(self, raw: Raw, prefix: str, index: int) -> Node:
        """Build a node and its subtree; `prefix` is the parent's eId part."""
        kind = raw.kind
        if kind in _LINE_KINDS:
            return self.leaf(raw, prefix, "paragraph", index)
        if kind == "table":
            return self.leaf(raw, prefix, "line", index)
        type_: NodeType = kind  # type: ignore[assignment]
        local = f"{_PREFIX[type_]}_{self.local_num(raw, index)}"
        if type_ == "article":
            eid = self.unique(local)  # articles are numbered through the document
        else:
            eid = self.unique(f"{prefix}__{local}" if prefix else local)
        node = self.node(raw, type_, eid)
        if type_ == "article":
            node.children = self.article_children(raw, eid)
            node.text = ""  # its first line's text is paragraph 1
        else:
            node.children = self.children(raw.children, eid)
        if type_ in ("point", "subpoint") and raw.text and raw.heading is None:
            node.heading, node.text = split_heading(raw.text)
        return node

    def leaf(self, raw: Raw, prefix: str, type_: NodeType, index: int) -> Node:
        if raw.recovered:
            type_ = "line"
        eid = self.unique(
            f"{prefix}__{_PREFIX[type_]}_{index}" if prefix else f"{_PREFIX[type_]}_{index}"
        )
        return self.node(raw, type_, eid)

    def children(self, raws: list[Raw], prefix: str) -> list[Node]:
        out: list[Node] = []
        counters: Counter[str] = Counter()
        for raw in raws:
            key = "paragraph" if raw.kind in _LINE_KINDS else raw.kind
            if raw.kind == "table" or raw.recovered:
                key = "line"
            counters[key] += 1
            out.append(self.build(raw, prefix, counters[key]))
        return out

    def article_children(self, raw: Raw, eid: str) -> list[Node]:
        """Paragraphs (款) of an article; items attach to the paragraph before them."""
        paragraphs: list[tuple[Raw, list[Raw]]] = []
        if raw.text:
            lead = Raw("text", None, None, raw.text, raw.start, raw.end)
            paragraphs.append((lead, []))
        for child in raw.children:
            if child.kind in ("text", "table"):
                paragraphs.append((child, []))
            else:
                if not paragraphs:
                    paragraphs.append((Raw("text", None, None, "", raw.start, raw.end), []))
                paragraphs[-1][1].append(child)
        out: list[Node] = []
        counters: Counter[str] = Counter()
        for para, items in paragraphs:
            key = "line" if para.kind == "table" or para.recovered else "paragraph"
            counters[key] += 1
            node = self.leaf(para, eid, "line" if key == "line" else "paragraph", counters[key])
            node.children = self.children(items, node.eid)
            out.append(node)
        return out
