"""JSON shapes of the API (described in openapi.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from flask import Response

from .deadlines import working_days_between
from .filings import missing_materials
from .models import AuditEvent, Comment, Filing, Finding, Material


def _d(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def finding(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "version": f.version,
        "rule": f.rule,
        "family": f.family,
        "severity": f.severity,
        "title": f.title,
        "eid": f.eid,
        "article": f.article,
        "line": f.line,
        "column": f.column,
        "evidence": f.evidence,
        "message": f.message,
        "basis": f.basis,
        "suggestion": f.suggestion,
        "state": f.state,
        "reason": f.reason,
    }


def material(m: Material) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind,
        "version": m.version,
        "filename": m.filename,
        "size": m.size,
        "sha256": m.sha256,
        "uploaded_at": _d(m.uploaded_at),
    }


def summary(f: Filing) -> dict[str, Any]:
    return {
        "id": f.id,
        "receipt": f.receipt,
        "status": f.status,
        "title": f.title,
        "number": f.number,
        "issuer": f.issuer,
        "organisation": f.organisation.name if f.organisation else None,
        "published": _d(f.published),
        "late": f.late,
        "version": f.version,
        "worst_severity": f.worst_severity,
        "errors": f.errors,
        "warnings": f.warnings,
        "due": _d(f.due),
        "working_days_left": working_days_between(dt.date.today(), f.due) if f.due else None,
        "claimed_by": f.claimed_by.username if f.claimed_by else None,
        "outcome": f.outcome,
        "created_at": _d(f.created_at),
    }


def detail(f: Filing) -> dict[str, Any]:
    return {
        **summary(f),
        "level": f.level,
        "pack": f.pack,
        "opinion": f.opinion,
        "answer_due": _d(f.answer_due),
        "missing_materials": missing_materials(f),
        "materials": [material(m) for m in f.materials],
        "findings": [finding(x) for x in f.findings if x.version == f.version],
        "comments": [comment(c) for c in f.comments],
    }


def comment(c: Comment) -> dict[str, Any]:
    return {
        "id": c.id,
        "eid": c.eid,
        "text": c.text,
        "author": c.author.username,
        "created_at": _d(c.created_at),
    }


def audit_csv(filing: Filing, rows: list[dict[str, Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["id", "at", "actor", "action", "from_status", "to_status", "detail"]
    writer.writerow(columns)
    for r in rows:
        writer.writerow(
            [*(r[c] for c in columns[:-1]), json.dumps(r["detail"], ensure_ascii=False)]
        )
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so that spreadsheet programs read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=audit-{filing.id}.csv"},
    )


def event(e: AuditEvent) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": _d(e.at),
        "actor": e.actor_name,
        "action": e.action,
        "from_status": e.from_status,
        "to_status": e.to_status,
        "detail": e.detail,
    }
