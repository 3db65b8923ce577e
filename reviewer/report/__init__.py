"""Reports of `reviewer check`: text (linter style), JSON, SARIF 2.1.0, JUnit XML, HTML."""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Review
from .html import to_html
from .junit import to_junit
from .sarif import to_sarif
from .textual import to_json, to_text

FORMATS: dict[str, Callable[[list[Review]], str]] = {
    "text": to_text,
    "json": to_json,
    "sarif": to_sarif,
    "junit": to_junit,
    "html": to_html,
}

__all__ = ["FORMATS"]
