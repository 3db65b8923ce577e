"""Linter-style text and the JSON document of GUIDE §3.3."""

from __future__ import annotations

import json
from typing import Any

from ..engine import Review


def summary(reviews: list[Review]) -> dict[str, int]:
    out = {"documents": len(reviews), "errors": 0, "warnings": 0, "infos": 0}
    for r in reviews:
        for k, v in r.counts().items():
            out[k] += v
    return out


def to_dict(reviews: list[Review]) -> dict[str, Any]:
    return {
        "schema": "reviewer/check/v1",
        "documents": [r.to_dict() for r in reviews],
        "summary": summary(reviews),
    }


def to_json(reviews: list[Review]) -> str:
    return json.dumps(to_dict(reviews), ensure_ascii=False, indent=2) + "\n"


def to_text(reviews: list[Review]) -> str:
    """``path:line:col: severity rule-id message`` per finding, then a summary."""
    lines = []
    for r in reviews:
        path = r.document.path or "<stdin>"
        for f in r.findings:
            lines.append(f"{path}:{f.line or 1}:{f.column or 1}: {f.severity} {f.rule} {f.message}")
    s = summary(reviews)
    lines.append(
        f"{s['documents']} document(s): {s['errors']} error(s), {s['warnings']} warning(s), "
        f"{s['infos']} info(s)"
    )
    return "\n".join(lines) + "\n"
