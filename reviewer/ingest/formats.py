"""One reader per format: bytes -> (text, encoding)."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable

from charset_normalizer import from_bytes

from ..errors import IngestError

Reader = Callable[[bytes, str], tuple[str, str | None]]

_TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", "")
_BINARY_MAGIC = (b"\x7fELF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"MZ", b"\x1f\x8b", b"Rar!")


def sniff_format(data: bytes, name: str) -> str:
    """Decide the format by content first (a .txt may be a renamed DOCX)."""
    head = data[:8]
    lower = name.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if lower.endswith(".docx") or _is_docx(data):
            return "docx"
        raise IngestError(f"{name}: a ZIP archive that is not a .docx document")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(f"{name}: legacy .doc/.wps (OLE) files are not supported; save as .docx")
    if any(head.startswith(m) for m in _BINARY_MAGIC):
        raise IngestError(f"{name}: binary file, not a document")
    if lower.endswith((".html", ".htm")) or data.lstrip()[:15].lower().startswith(
        (b"<!doctype html", b"<html")
    ):
        return "html"
    if lower.endswith(".docx"):
        raise IngestError(f"{name}: not a valid .docx file")
    if lower.endswith(".pdf"):
        raise IngestError(f"{name}: not a valid PDF file")
    return "text"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def decode_text(data: bytes, name: str) -> tuple[str, str | None]:
    # BOMs are certain; otherwise strict UTF-8 first (the common case, and
    # detectors sometimes mistake short UTF-8 Chinese for other encodings).
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data[:4096]) // 4:
        # UTF-16 without BOM, or binary
        best = from_bytes(data, cp_isolation=["utf_16_le", "utf_16_be"]).best()
        if best is None:
            raise IngestError(f"{name}: binary file, not a document")
        return str(best), best.encoding
    best = from_bytes(data).best()
    if best is None:
        raise IngestError(f"{name}: cannot detect the text encoding")
    encoding = best.encoding
    # GBK is a subset of GB18030; decode with the superset so rare characters survive.
    if encoding in ("gbk", "gb2312", "hz"):
        encoding = "gb18030"
    text = data.decode(encoding, errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise IngestError(f"{name}: text encoding not recognised ({best.encoding}?)")
    return text, encoding


def read_docx(data: bytes, name: str) -> tuple[str, str | None]:
    from docx import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = DocxDocument(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for broken files
        raise IngestError(f"{name}: broken .docx file ({type(exc).__name__})") from exc
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:  # merged cells repeat
                        cells.append(text)
                lines.append("\t".join(cells))
    return "\n".join(lines), None


def read_pdf(data: bytes, name: str) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise IngestError(f"{name}: encrypted PDF; remove the password first")
            pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(f"{name}: broken PDF file ({type(exc).__name__})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(f"{name}: the PDF has no text layer (scanned?); OCR it first")
    return text, None


def read_html(data: bytes, name: str) -> tuple[str, str | None]:
    from bs4 import BeautifulSoup

    raw, encoding = decode_text(data, name)
    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "head", "nav", "footer"]):
        tag.decompose()
    for tr in soup.find_all("tr"):
        cells = [" ".join(td.get_text(" ").split()) for td in tr.find_all(["td", "th"])]
        tr.replace_with("\n" + "\t".join(cells) + "\n")
    return soup.get_text("\n"), encoding


READERS: dict[str, Reader] = {
    "text": decode_text,
    "docx": read_docx,
    "pdf": read_pdf,
    "html": read_html,
}
