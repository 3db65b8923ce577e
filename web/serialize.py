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


def _columns(row: Any, names: str) -> dict[str, Any]:
    """The named columns of a row as JSON values (dates in ISO 8601)."""
    values = {n: getattr(row, n) for n in names.split()}
    return {n: v.isoformat() if isinstance(v, dt.date) else v for n, v in values.items()}


def finding(f: Finding) -> dict[str, Any]:
    return _columns(
        f,
        "id version rule family severity title eid article line column"
        " evidence message basis suggestion state reason",
    )


def material(m: Material) -> dict[str, Any]:
    return _columns(m, "id kind version filename size sha256 uploaded_at")


def summary(f: Filing) -> dict[str, Any]:
    return {
        **_columns(f, "id receipt status title number issuer"),
        "organisation": f.organisation.name if f.organisation else None,
        **_columns(f, "published late version worst_severity errors warnings due"),
        "working_days_left": working_days_between(dt.date.today(), f.due) if f.due else None,
        "claimed_by": f.claimed_by.username if f.claimed_by else None,
        **_columns(f, "outcome created_at"),
    }


def detail(f: Filing) -> dict[str, Any]:
    return {
        **summary(f),
        **_columns(f, "level pack opinion answer_due"),
        "missing_materials": missing_materials(f),
        "materials": [material(m) for m in f.materials],
        "findings": [finding(x) for x in f.findings if x.version == f.version],
        "comments": [comment(c) for c in f.comments],
    }


def comment(c: Comment) -> dict[str, Any]:
    return {**_columns(c, "id eid text"), "author": c.author.username, **_columns(c, "created_at")}


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
        **_columns(e, "id at"),
        "actor": e.actor_name,
        **_columns(e, "action from_status to_status detail"),
    }
