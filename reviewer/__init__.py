"""Legality reviewer for normative documents (行政规范性文件).

Stable Python API::

    from reviewer import parse_text
    doc = parse_text(text)          # -> reviewer.structure.tree.Document
    facts = extract_text(text)      # -> reviewer.facts.Extraction (.facts: list of dicts)
"""

from typing import TYPE_CHECKING, Any

from .structure.document import parse_text
from .structure.tree import Document, Node

if TYPE_CHECKING:
    from .facts import Extraction


def extract_text(text: str, **opts: Any) -> "Extraction":
    """Parse and extract facts (GUIDE §3.4) in one call; opts go to parse_text."""
    from .facts import extract  # loads spaCy on first use only

    return extract(parse_text(text, **opts))


__all__ = ["Document", "Node", "__version__", "extract_text", "parse_text"]
__version__ = "0.1.0"
