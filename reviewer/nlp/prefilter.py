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
