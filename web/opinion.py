"""The opinion letter (审查意见书): DOCX (python-docx) and printable HTML share
one outline built from the decided filing."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document as Docx
from docx.shared import Pt
from flask import Response

from .models import Filing

OUTCOME_TEXT = {
    "filed": "经审查，该文件予以备案。",
    "correction_requested": "经审查，该文件存在以下问题，请于收到本意见书之日起两个月内纠正，并将纠正情况书面报送。",
    "revocation_recommended": "经审查，该文件存在以下违法问题，建议制定机关予以撤销。",
}


@dataclass(frozen=True, slots=True)
class Letter:
    heading: str
    addressee: str
    opening: str
    outcome: str
    problems: list[str]
    opinion: str
    closing: str
    date: str


def outline(filing: Filing) -> Letter:
    accepted = [f for f in filing.findings if f.version == filing.version and f.state == "accepted"]
    problems = []
    for i, f in enumerate(accepted, 1):
        basis = "；".join(f"《{b['law']}》{b.get('article') or ''}" for b in f.basis)
        problems.append(
            f"{i}. {f.message}（依据：{basis}）{('建议：' + f.suggestion) if f.suggestion else ''}"
        )
    decided = filing.updated_at or dt.datetime.now()
    return Letter(
        heading=f"规范性文件备案审查意见书（{filing.receipt}）",
        addressee=f"{filing.organisation.name}：",
        opening=(
            f"你单位报送备案的《{filing.title or '（无标题）'}》"
            f"{('（' + filing.number + '）') if filing.number else ''}收悉。"
        ),
        outcome=OUTCOME_TEXT.get(filing.outcome or "", ""),
        problems=problems,
        opinion=filing.opinion or "",
        closing="特此函告。",
        date=f"{decided.year}年{decided.month}月{decided.day}日",
    )


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letter_download(filing: Filing) -> Response:
    """The letter as a DOCX attachment (pages and API)."""
    return Response(
        letter_docx(filing),
        mimetype=DOCX_TYPE,
        headers={"Content-Disposition": f"attachment; filename=opinion-{filing.id}.docx"},
    )


def letter_docx(filing: Filing) -> bytes:
    letter = outline(filing)
    doc = Docx()
    style = doc.styles["Normal"]
    style.font.size = Pt(14)
    doc.add_heading(letter.heading, level=1)
    for text in (letter.addressee, letter.opening, letter.outcome, *letter.problems):
        doc.add_paragraph(text)
    if letter.opinion:
        doc.add_paragraph(letter.opinion)
    doc.add_paragraph(letter.closing)
    doc.add_paragraph(letter.date)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
