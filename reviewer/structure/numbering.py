"""Numbering post-lexer: turns numbering *styles* into nesting *levels*.

Documents disagree on which style marks which level: inside an article the
first items may be （一） (项) with 1. (目) beneath, or 1. directly; in 意见
style 一、 opens a section, （一） a point, 1. a sub-point, （1） below. A
reader assigns levels in the order styles first appear inside a container;
this post-lexer does the same and hands the grammar POINT / SUBPOINT / SUBSUB
(and CN_SEC for a top-level 一、).
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token

STYLES = ("CN_PAREN", "CN_DOT", "ARABIC_DOT", "ARABIC_PAREN", "CIRCLED")
LEVELS = ("POINT", "SUBPOINT", "SUBSUB")

# Tokens that open a new container and so reset the level map.
_ARTICLE_OPENERS = {"ARTICLE_NUM"}
_OUTER_OPENERS = {"CHAPTER_NUM", "SECTION_NUM", "BOOK_NUM", "ATTACHMENT", "DATE_LINE"}


class NumberingPostLex:
    always_accept = STYLES

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        in_article = False
        levels: dict[str, str] = {}
        at_line_start = True
        for tok in stream:
            kind = tok.type
            if at_line_start:
                if kind in _ARTICLE_OPENERS:
                    in_article, levels = True, {}
                elif kind in _OUTER_OPENERS:
                    in_article, levels = False, {}
                elif kind == "CN_DOT" and not in_article:
                    levels = {}
                    tok = Token.new_borrow_pos("CN_SEC", tok, tok)
                elif kind in STYLES:
                    level = levels.get(kind)
                    if level is None:
                        level = LEVELS[min(len(levels), len(LEVELS) - 1)]
                        levels[kind] = level
                    tok = Token.new_borrow_pos(level, tok, tok)
            at_line_start = kind == "_NL"
            yield tok
