"""Legality reviewer for normative documents (行政规范性文件).

Stable Python API::

    from reviewer import parse_text
    doc = parse_text(text)          # -> reviewer.structure.tree.Document
"""

from .structure.document import parse_text
from .structure.tree import Document, Node

__all__ = ["Document", "Node", "__version__", "parse_text"]
__version__ = "0.1.0"
