"""Legality reviewer for normative documents (行政规范性文件).

Stable Python API::

    from reviewer import parse_text
    doc = parse_text(text)          # -> reviewer.structure.tree.Document
    facts = extract_text(text)      # -> reviewer.facts.Extraction (.facts: list of dicts)
    review = review_text(text)      # -> reviewer.engine.Review (.document, .findings, .to_dict())
"""

from typing import TYPE_CHECKING, Any

from .structure.document import parse_text
from .structure.tree import Document, Node

if TYPE_CHECKING:
    from datetime import date

    from .engine import Review
    from .facts import Extraction


def extract_text(text: str, **opts: Any) -> "Extraction":
    """Parse and extract facts (GUIDE §3.4) in one call; opts go to parse_text."""
    from .facts import extract  # loads spaCy on first use only

    return extract(parse_text(text, **opts))


def review_text(
    text: str, *, level: str = "auto", date: "date | None" = None, path: str | None = None
) -> "Review":
    """Parse, extract and check one document against its language's rule pack.
    Safe to call from many threads at once (the engine serialises itself)."""
    from .engine import review_document

    return review_document(parse_text(text, level=level, path=path), on=date)


__all__ = ["Document", "Node", "__version__", "extract_text", "parse_text", "review_text"]
__version__ = "0.1.0"
