"""parse_text: text -> Document. The one entry point of the structure stage."""

from __future__ import annotations

import re

from ..normalise import Normalised, normalise
from . import header as header_mod
from .builder import EidBuilder, Parts, Raw, plain_lines
from .checks import structure_diagnostics
from .parser import parse_lines
from .tree import Diagnostic, Document, Node

_CJK = re.compile(r"[\u3400-\u9fff]")


def detect_language(text: str) -> str:
    sample = text[:4000]  # enough to tell the scripts apart
    cjk = len(_CJK.findall(sample))
    latin = len(re.findall(r"[A-Za-z]", sample))
    return "en" if latin > 4 * cjk else "zh"


def parse_text(
    text: str, *, path: str | None = None, language: str = "auto", level: str = "auto"
) -> Document:
    """Parse a normative document's text into a typed element tree.

    Never refuses input: text the grammar cannot place becomes a ``line``
    node and a diagnostic, and ``coverage`` reports how much was recognised.
    """
    lang = detect_language(text) if language == "auto" else language
    norm = normalise(text)
    parsed = parse_lines(norm.text, lang)
    parts = parsed if parsed is not None else plain_lines(norm.text)
    diagnostics: list[Diagnostic] = []
    if parsed is None and norm.text:
        diagnostics.append(
            Diagnostic(
                "unparsed_text", "结构无法识别，全文按行保留", None, norm.span(0, len(norm.text))
            )
        )
    _move_signature_to_closing(parts)
    builder = EidBuilder(norm, diagnostics)
    body: list[Node] = []
    if parts.front:
        body.append(_container(builder, "preface", parts.front))
    body.extend(builder.children(parts.body, ""))
    if parts.closing:
        body.append(_container(builder, "conclusions", parts.closing))
    body.extend(builder.children(parts.attachments, ""))

    lines = lambda raws: [header_mod.Line(r.kind, r.text) for r in raws]  # noqa: E731
    body_text = "\n".join(n.text for top in body if top.type != "preface" for n in top.walk())
    hdr = header_mod.analyse(lines(parts.front), lines(parts.closing), body_text, lang, level)
    diagnostics.extend(_recovery_diagnostics(body))
    diagnostics.extend(structure_diagnostics(body, lang))
    return Document(
        text=text,
        language="en" if lang == "en" else "zh",
        header=hdr,
        body=body,
        coverage=_coverage(norm, body),
        diagnostics=diagnostics,
        path=path,
    )


def _container(builder: EidBuilder, type_: str, lines: list[Raw]) -> Node:
    start, end = lines[0].start, lines[-1].end
    raw = Raw(type_, None, None, "", start, end, lines)
    node = builder.node(raw, type_, type_)  # type: ignore[arg-type]
    node.children = builder.children(lines, type_)
    return node


_ORG_TAIL = re.compile(
    r"^[\u4e00-\u9fff（）()、 ]{2,60}(?:人民政府|政府|办公厅|办公室|委员会|委|局|厅|部|署|院|中心|银行)$"
)


def _move_signature_to_closing(parts: Parts) -> None:
    """The grammar gives a signature line (上海市人民政府) to the last unit of
    the body, because only the date line after it is recognisably closing.
    Move it back where it belongs."""
    if not parts.closing or not parts.body:
        return
    last = parts.body[-1]
    while last.children and last.children[-1].kind not in ("text", "table"):
        last = last.children[-1]
    moved: list[Raw] = []
    while (
        last.children
        and last.children[-1].kind == "text"
        and _ORG_TAIL.match(last.children[-1].text)
    ):
        moved.insert(0, last.children.pop())
    parts.closing[:0] = moved


def _recovery_diagnostics(body: list[Node]) -> list[Diagnostic]:
    out = []
    for node in (n for top in body for n in top.walk()):
        if node.type != "line":
            continue
        if re.match(
            r"^(第[零〇一二三四五六七八九十百千两0-9]+[编章节条]|Chapter|Section|Article)",
            node.text,
        ):
            kind, msg = "misplaced_heading", f"标题无法归入结构：{node.text[:30]}"
        elif re.match(r"^[（(]?[一二三四五六七八九十0-9a-z]{1,3}[）).．、]", node.text):
            kind, msg = "item_outside_article", f"项/目不在条文内：{node.text[:30]}"
        elif "\t" in node.text or "|" in node.text:
            kind, msg = "table", "表格按行保留"
        else:
            kind, msg = "unparsed_text", f"无法归入结构的文字：{node.text[:30]}"
        out.append(Diagnostic(kind, msg, node.eid, node.span))  # type: ignore[arg-type]
    return out


_SPACE = re.compile(r"\s+")


def _coverage(norm: Normalised, body: list[Node]) -> float:
    total = len(_SPACE.sub("", norm.text))
    if total == 0:
        return 1.0
    stray = sum(len(_SPACE.sub("", n.text)) for top in body for n in top.walk() if n.type == "line")
    return max(0.0, 1.0 - stray / total)
