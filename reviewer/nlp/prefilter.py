"""A first-character guard for big regex alternations.

Python's ``re`` tries every branch of an alternation at every position. When
all branches can only start with a few characters, a leading lookahead
``(?=[…])`` rejects the other positions at once; on the laws corpus this
makes the measure patterns several times faster. The set is computed from
the parsed pattern, so pattern files stay plain regexes.
"""

from __future__ import annotations

import re
from re import _constants as C  # Python 3.11+ (the project supports 3.11 and 3.12)
from re import _parser as sre_parse
from typing import Any


def _first(items: list[tuple[Any, Any]]) -> set[str] | None:
    """Characters a sequence of parsed items can start with (None: any)."""
    if not items:
        return None
    op, av = items[0]
    if op in (C.ASSERT, C.ASSERT_NOT) and av[0] < 0:
        return _first(items[1:])  # a lookbehind consumes nothing
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0:
        head, rest = _first(list(av[2])), _first(items[1:])  # optional: it or what follows
        return None if head is None or rest is None else head | rest
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.IN:
        out: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                out.add(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < 64:
                out.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:
                return None
        return out
    if op is C.SUBPATTERN:
        return _first(list(av[-1]))
    if op is C.BRANCH:
        out = set()
        for branch in av[1]:
            first = _first(list(branch))
            if first is None:
                return None
            out |= first
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
        return _first(list(av[2]))
    return None


def guarded(pattern: str, flags: int = 0) -> str:
    """``pattern`` with a first-character lookahead when one can be derived."""
    if flags & re.IGNORECASE:
        return pattern
    first = _first(list(sre_parse.parse(pattern, flags)))
    if not first or len(first) > 200:
        return pattern
    chars = "".join(re.escape(c) for c in sorted(first))
    return f"(?=[{chars}])(?:{pattern})"


# ---------------------------------------------------------------------------
# Necessary literals: a cheaper test than the regex, and an exact one-sided
# test. If none of a pattern's necessary literals occurs in a text (``in`` is
# a fast substring search in C), the pattern cannot match it; if one does,
# the regex decides. This is the prefilter of grep-like tools (ripgrep,
# Hyperscan), kept small: literal runs, alternations of them, and required
# repeats. Rule patterns start with frequent characters (在, 本, 由) and end
# with long gaps ([^。；]{0,40}), which defeat the first-character guard.


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective candidate: longest shortest literal, then fewest."""
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def _seq_literals(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Literal sets one of whose members every match of the sequence contains."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        if op is None:
            break
        found = _item_literals(op, av)
        if found is not None:
            candidates.append(found)
    return _best(candidates)


def _item_literals(op: Any, av: Any) -> frozenset[str] | None:
    if op is C.SUBPATTERN:
        return _seq_literals(list(av[-1]))
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _seq_literals(list(branch))
            if found is None:
                return None  # a branch without a necessary literal: no guarantee
            out |= found
        return frozenset(out)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
        return _seq_literals(list(av[2]))
    if op is C.IN and all(sub_op is C.LITERAL for sub_op, _ in av) and len(av) <= 16:
        return frozenset(chr(sub_av) for _, sub_av in av)
    return None


def necessary_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains, or None
    when no such set can be derived (case-insensitive patterns included)."""
    parsed = sre_parse.parse(pattern, flags)
    if (flags | parsed.state.flags) & re.IGNORECASE:
        return None
    return _seq_literals(list(parsed))


class LiteralIndex:
    """Which of many patterns may match a text, from their necessary literals,
    without running any of them: the literals are grouped by first character,
    and only the groups of characters the text contains are tested."""

    def __init__(self, literals: dict[str, frozenset[str] | None]) -> None:
        self.unknown = frozenset(key for key, lits in literals.items() if lits is None)
        grouped: dict[str, dict[str, set[str]]] = {}
        for key, lits in literals.items():
            for lit in lits or ():
                grouped.setdefault(lit[0], {}).setdefault(lit, set()).add(key)
        self.by_first = {
            ch: [(lit, frozenset(keys)) for lit, keys in group.items()]
            for ch, group in grouped.items()
        }
        self.first_chars = frozenset(self.by_first)

    def candidates(self, text: str) -> set[str]:
        """Keys of the patterns that may match ``text`` (a superset, never less)."""
        out = set(self.unknown)
        for ch in self.first_chars.intersection(text):
            for lit, keys in self.by_first[ch]:
                if len(lit) == 1 or lit in text:
                    out |= keys
        return out
