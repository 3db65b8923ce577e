"""Builds the Lark LALR parsers (one per language) and runs them with error
recovery: a token the grammar cannot place is fed again as TEXT, marked as
demoted, and later reported as a catch-all line with a diagnostic.

The parsers run ``builder.ToRaw`` inline, so a parse yields raw nodes
directly instead of a Lark tree."""

from __future__ import annotations

import threading
from importlib.resources import files

from lark import Lark
from lark.exceptions import UnexpectedInput, UnexpectedToken

from .builder import Demoted, Parts, ToRaw, to_parts
from .numbering import NumberingPostLex

LANGUAGES = ("zh", "en")

_lock = threading.Lock()
_parsers: dict[str, Lark] = {}


def grammar_text(language: str) -> str:
    """The shared structure rules followed by the language's terminals."""
    pkg = files("reviewer.grammar")
    rules = pkg.joinpath("structure.lark").read_text(encoding="utf-8")
    terminals = pkg.joinpath(f"{language}.lark").read_text(encoding="utf-8")
    return rules + "\n" + terminals


def build_parser(language: str, *, strict: bool = False) -> Lark:
    return Lark(
        grammar_text(language),
        parser="lalr",
        lexer="basic",
        postlex=NumberingPostLex(),
        propagate_positions=False,  # ToRaw reads token offsets, not tree meta
        maybe_placeholders=False,
        transformer=ToRaw(),
        strict=strict,
    )


def get_parser(language: str) -> Lark:
    """Parsers are built once per process; a built LALR parser is read-only
    and safe to share between threads (each parse keeps its own state)."""
    parser = _parsers.get(language)
    if parser is None:
        with _lock:
            parser = _parsers.get(language)
            if parser is None:
                parser = _parsers[language] = build_parser(language)
    return parser


# Each failed attempt demotes one token to TEXT; a document needing more
# demotions than this is not structured text, and falls back to plain lines.
MAX_REPAIRS = 400


def parse_lines(text: str, language: str) -> Parts | None:
    """Parse normalised text into parts; None when even recovery fails.
    Never raises on content.

    Recovery works on the token stream, not inside the LALR automaton: by the
    time LALR notices a misplaced heading it has already reduced the units
    around it, so a replacement token would be out of place. Instead the
    offending token is demoted to TEXT and the stream is fed again; it lands
    as a line of the unit it sits in, marked as recovered.
    """
    parser = get_parser(language)
    try:
        return to_parts(parser.parse(text))  # type: ignore[arg-type]  # the fast path
    except UnexpectedInput:
        pass
    tokens = list(parser.lex(text))
    demoted: set[int] = set()
    for _ in range(MAX_REPAIRS):
        interactive = parser.parse_interactive()
        try:
            for tok in tokens:
                if tok.start_pos in demoted and tok.type != "_NL":
                    tok = Demoted.new_borrow_pos("TEXT", tok.value, tok)
                interactive.feed_token(tok)
            return to_parts(interactive.feed_eof())
        except UnexpectedToken as error:
            bad = error.token
            if bad.type in ("_NL", "$END", "TEXT") or bad.start_pos is None:
                break
            demoted.add(bad.start_pos)
        except UnexpectedInput:
            break
    return None
