"""Reading documents: bytes in any supported format -> text.

Formats: .txt/.md (UTF-8, UTF-8 with BOM, UTF-16, GBK/GB18030, detected by
charset-normalizer), .docx (paragraphs and tables in document order), .pdf
(text layer), .html/.htm. Anything else, encrypted, binary, empty or over
the size limit raises IngestError with one readable sentence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError
from .formats import READERS, sniff_format

DEFAULT_LIMIT = int(os.environ.get("REVIEWER_UPLOAD_LIMIT", 20 * 1024 * 1024))


@dataclass(frozen=True, slots=True)
class Source:
    text: str
    path: str
    format: str  # text, docx, pdf, html
    encoding: str | None  # for text formats


def read_bytes(data: bytes, name: str = "<bytes>", *, limit: int = DEFAULT_LIMIT) -> Source:
    if len(data) > limit:
        raise IngestError(f"{name}: file is {len(data):,} bytes, over the limit of {limit:,}")
    if not data.strip():
        raise IngestError(f"{name}: file is empty")
    fmt = sniff_format(data, name)
    text, encoding = READERS[fmt](data, name)
    if not text.strip():
        raise IngestError(f"{name}: no text found in the {fmt} file")
    return Source(text=text, path=name, format=fmt, encoding=encoding)


def read_path(path: str | Path, *, limit: int = DEFAULT_LIMIT) -> Source:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limit:
            raise IngestError(f"{p}: file is {size:,} bytes, over the limit of {limit:,}")
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise IngestError(f"{p}: is a directory") from exc
    except OSError as exc:
        raise IngestError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    return read_bytes(data, str(p), limit=limit)


__all__ = ["DEFAULT_LIMIT", "IngestError", "Source", "read_bytes", "read_path"]
