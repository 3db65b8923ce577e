"""The extraction patterns of one language, read once from patterns/<lang>.yaml."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from .prefilter import guarded


@cache
def load(lang: str) -> dict[str, Any]:
    raw = files("reviewer.nlp").joinpath("patterns", f"{lang}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


@cache
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def alternation(patterns: list[str], flags: int = 0) -> re.Pattern[str] | None:
    """One regex matching any of the patterns (None for an empty list)."""
    if not patterns:
        return None
    return compiled(guarded("|".join(f"(?:{p})" for p in patterns), flags), flags)
