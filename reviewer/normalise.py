"""Normaliser: messy text in, one logical unit per line out, with an offset map.

Runs before the grammar (the idea of bluebell's ``pre_parse``). Every edit is a
regular-expression rewrite kept in the tables below, and every output character
remembers the offset of the input character it came from, so spans computed on
the normalised text point back into the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from .structure.tree import Span

# One character for another, same length: offsets are untouched.
_CHAR_MAP = str.maketrans(
    {
        "\u3000": " ",  # ideographic space
        "\u00a0": " ",  # no-break space
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\r": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
        "\f": "\n",
        # full-width digits (２０１２年) read as ASCII digits
        **{chr(0xFF10 + i): str(i) for i in range(10)},
    }
)

NUM_CN = "零〇一二三四五六七八九十百千两"
_NUM = f"[{NUM_CN}0-9０-９]+"

# Deletions: text that is markup, not document.
_DROP = [
    re.compile(r"<!--.*?-->", re.S),  # HTML comments (<!-- INFO END --> in scraped laws)
    re.compile(r"\A[ \t]*#[ \t]*source:[^\n]*\n?"),  # corpus provenance line
    re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+"),  # Markdown heading marks
    re.compile(r"\*\*"),  # Markdown bold
    re.compile(r"[\u200b\u200c\u200d\ufeff]"),  # zero-width characters, stray BOMs
    re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]"),  # control characters (not XML-safe)
]

# Rewrites of the bracket that encloses a year in a document number:
# 劳社部发[2008]3号 and 沪府规［2024］3号 become 〔2008〕/〔2024〕.
_YEAR_BRACKETS = re.compile(r"[\[［【(（]\s*((?:19|20)\d\d)\s*[\]］】)）](?=\s*(?:第\s*)?\d+\s*号)")
_YEAR_BRACKETS_LOOSE = re.compile(r"[\[［【]\s*((?:19|20)\d\d)\s*[\]］】]")

# Where a heading sits mid-line, a line break is inserted before it. Each
# entry is a zero-width pattern; the reason is in the comment. Cross-references
# (依照本办法第五条规定, 《劳动法》第五十一条) are protected by what follows the
# number (规定, 的, 第, 、 …) and by what precedes it (本法, 》, 依照 …).
# What may precede a number that is a cross-reference, not a heading. The
# patterns below start by consuming the literal 第 (so ``re`` can scan for it
# instead of trying every position: about 20 times faster) and look behind it.
_REF_WORDS = (
    *("本法", "本办法", "本条例", "本规定", "本细则", "本规则", "本决定", "本章", "本节"),
    *("依照", "按照", "根据", "依据", "参照", "违反", "适用", "执行", "实施细则", "规则"),
    *"》〉和或及与、至前第见即",
)
_NOT_REF_BEFORE_DI = "".join(f"(?<!{w}第)" for w in _REF_WORDS)
_NOT_REF_AFTER = r"(?![的规中所至、，,和或及与第款项之内外以起前后即关])"
_SUB = "(?:之[一二三四五六七八九十]+)?"
# A line break goes in where a match starts, or at its ``cut`` group. Each
# pattern starts with a literal or a small character class, for the same
# reason as above.
_SPLITS: list[re.Pattern[str]] = [
    # 第X编/章/节 headings glued to the previous text: followed by spaces
    # (第一章  总则), or right after the end of a sentence.
    re.compile(rf"第(?={_NUM}[编章节][ \t]+\S)(?<=[^\n]第){_NOT_REF_BEFORE_DI}"),
    re.compile(rf"第(?={_NUM}[编章节]{_NOT_REF_AFTER})(?<=[。！？]第)"),
    # 第X条 right after a chapter heading glued to it: 第六章附则第四十条本条例…
    re.compile(rf"第(?={_NUM}条{_NOT_REF_AFTER})(?:(?<=[总附罚]则第)|(?<=法律责任第))"),
    # 第X条 followed by spaces or a bracketed heading: an article start.
    re.compile(
        rf"第(?={_NUM}条{_SUB}(?:[ \t]+|[（(][^）)\n，。]{{1,20}}[）)]))(?<=[^\n]第){_NOT_REF_BEFORE_DI}"
    ),
    # 第X条 right after the end of a sentence, not followed by a reference word.
    re.compile(rf"第(?={_NUM}条{_SUB}{_NOT_REF_AFTER})(?<=[。！？”」]第)"),
    # 一、 （一） items right after the end of a sentence or a colon.
    re.compile(
        r"[。；：:！？](?P<cut>)(?=[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])"
    ),
    # The addressee line of a notice: 各区人民政府，…：现将…
    re.compile(r"：(?P<cut>)(?=现将|现就)"),
    # Signature glued to the date: 安顺市人民政府2023年9月5日
    re.compile(r"[府局委厅部院室会办](?P<cut>)(?=(?:19|20)\d\d年\d{1,2}月\d{1,2}日)"),
    # One-line notices: the document number glued to the issuer before it and
    # the wrapper title after it; the addressees glued to the wrapper title;
    # the signature glued to the sentence before it.
    re.compile(
        r"(?:人民政府|办公厅|办公室)(?P<cut>)(?=[\u4e00-\u9fff]{1,8}〔(?:19|20)\d\d〕第?\d+号)"
    ),
    re.compile(r"〔(?:19|20)\d\d〕第?\d+号(?P<cut>)(?=[\u4e00-\u9fff]{2,40}关于)"),
    re.compile(r"的(?:通知|决定|意见)(?P<cut>)(?=各[^\n。]{1,200}[：:])"),
    re.compile(
        r"。(?P<cut>)(?=[\u4e00-\u9fff、 ]{2,40}(?:人民政府|办公厅|办公室|委员会|局|委|厅)\n?(?:19|20)\d\d年)"
    ),
    # After a signature date or (此件公开发布) that is followed by more text.
    re.compile(r"日(?P<cut>)(?=[（(]此件)"),
    re.compile(r"[（(]此件公开发布[）)](?P<cut>)(?=\S)"),
    # English: Chapter/Article headings glued to the previous sentence.
    re.compile(r"[.;:](?P<cut>)\s+(?=(?:Chapter|CHAPTER)\s+[IVXLC\d]+\b|Article\s+\d+\s+[A-Z(])"),
]


# Text copied from PDF or web pages can carry a space inside a word (公安部 门,
# 依 法): it defeats every phrase the extractor and the rules look for. In a
# line of prose (one with a comma or a full stop) a single space between two
# Chinese characters is dropped, after the line's own heading (第五条 , 一、),
# whose space is a separator, not an artefact.
_HEADING_PREFIX = re.compile(
    rf"[ \t]*(?:第{_NUM}[编章节条](?:之[一二三四五六七八九十]+)?|[一二三四五六七八九十]{{1,3}}、"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,3}[、.．])?[ \t]*"
)
_PROSE = re.compile(r"[，。；]")
_SPACE_IN_WORD = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text (one non-empty, stripped line per unit) and, for every
    character, the offset of the original character it stands for."""

    text: str
    origin: list[int]
    source: str
    source_line_starts: list[int]

    def span(self, start: int, end: int) -> Span:
        """Span in the original text of normalised characters [start, end)."""
        o_start = self.origin[start] if start < len(self.origin) else len(self.source)
        o_end = self.origin[end - 1] + 1 if end > start else o_start
        starts = self.source_line_starts
        line = bisect_right(starts, o_start)
        end_line = bisect_right(starts, max(o_end - 1, o_start))
        return Span(
            start=o_start,
            end=o_end,
            line=line,
            column=o_start - starts[line - 1] + 1,
            end_line=end_line,
            end_column=o_end - starts[end_line - 1] + 1,
        )


def _line_starts(source: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", source))]


def _rewrite(
    text: str, origin: list[int], pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]
) -> tuple[str, list[int]]:
    """Apply a regex rewrite to text and keep the offset map in step."""
    out: list[str] = []
    out_origin: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(text[pos : m.start()])
        out_origin.extend(origin[pos : m.start()])
        new = repl(m)
        old_len = m.end() - m.start()
        if len(new) == old_len:
            out_origin.extend(origin[m.start() : m.end()])
        else:
            anchor = (
                origin[m.start()] if m.start() < len(origin) else (origin[-1] + 1 if origin else 0)
            )
            out_origin.extend([anchor] * len(new))
        out.append(new)
        pos = m.end()
    if pos == 0:
        return text, origin
    out.append(text[pos:])
    out_origin.extend(origin[pos:])
    return "".join(out), out_origin


def _split(text: str, origin: list[int], patterns: list[re.Pattern[str]]) -> tuple[str, list[int]]:
    """Insert a line break where each pattern's ``cut`` group (or its start)
    is. All patterns see the same text and the breaks go in at once: a second
    break at the same place would only make an empty line, which
    ``_strip_lines`` drops, and one rebuild of the offset map is cheaper than
    one per pattern."""
    cuts = sorted(
        {
            m.start("cut") if "cut" in pattern.groupindex else m.start()
            for pattern in patterns
            for m in pattern.finditer(text)
        }
    )
    if not cuts:
        return text, origin
    out: list[str] = []
    out_origin: list[int] = []
    pos = 0
    for cut in cuts:
        out.append(text[pos:cut])
        out_origin.extend(origin[pos:cut])
        out.append("\n")
        out_origin.append(origin[cut] if cut < len(origin) else len(origin))
        pos = cut
    out.append(text[pos:])
    out_origin.extend(origin[pos:])
    return "".join(out), out_origin


def normalise(source: str) -> Normalised:
    text = source.translate(_CHAR_MAP)
    origin = list(range(len(text)))
    for pattern in _DROP:
        text, origin = _rewrite(text, origin, pattern, lambda m: "")
    text, origin = _rewrite(text, origin, _YEAR_BRACKETS, lambda m: f"〔{m.group(1)}〕")
    text, origin = _rewrite(text, origin, _YEAR_BRACKETS_LOOSE, lambda m: f"〔{m.group(1)}〕")
    text, origin = _split(text, origin, _SPLITS)
    text, origin = _join_split_words(text, origin)
    return _strip_lines(text, origin, source)


def _join_split_words(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Drop the spaces inside Chinese words of prose lines (see _SPACE_IN_WORD)."""
    drop: set[int] = set()
    pos = 0
    for line in text.split("\n"):
        if " " in line and _PROSE.search(line):
            body = _HEADING_PREFIX.match(line)
            start = body.end() if body else 0
            drop.update(pos + m.start() for m in _SPACE_IN_WORD.finditer(line, start))
        pos += len(line) + 1
    if not drop:
        return text, origin
    return _rewrite(text, origin, _SPACE_IN_WORD, lambda m: "" if m.start() in drop else " ")


def _strip_lines(text: str, origin: list[int], source: str) -> Normalised:
    """Keep non-empty lines, stripped, joined by single newlines."""
    out: list[str] = []
    out_origin: list[int] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        stripped = raw.strip(" \t")
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip(" \t"))
        s = start + lead
        line = re.sub(r" {2,}", " ", stripped) if "  " in stripped else stripped
        if line is stripped:
            out_origin.extend(origin[s : s + len(stripped)])
        else:
            out_origin.extend(_collapse_origin(stripped, origin[s : s + len(stripped)]))
        out.append(line)
        # the newline that ends this line points just past its last character
        out_origin.append(out_origin[-1] + 1)
    return Normalised(
        text="\n".join(out) + ("\n" if out else ""),
        origin=out_origin,
        source=source,
        source_line_starts=_line_starts(source),
    )


def _collapse_origin(line: str, origin: list[int]) -> list[int]:
    """Offsets for ``re.sub(' {2,}', ' ', line)``."""
    kept: list[int] = []
    prev_space = False
    for ch, o in zip(line, origin, strict=True):
        if ch == " " and prev_space:
            continue
        prev_space = ch == " "
        kept.append(o)
    return kept
