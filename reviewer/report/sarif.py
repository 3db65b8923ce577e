"""SARIF 2.1.0, for code-scanning dashboards and CI annotations."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..engine import Review

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def to_sarif_dict(reviews: list[Review]) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for r in reviews:
        for f in r.findings:
            if f.rule not in rules:
                rules[f.rule] = {
                    "id": f.rule,
                    "name": f.rule.split(".")[-1],
                    "shortDescription": {"text": f.title},
                    "fullDescription": {
                        "text": "; ".join(b["law"] + (b.get("article") or "") for b in f.basis)
                    },
                    "help": {"text": f.suggestion or f.title},
                    "defaultConfiguration": {"level": _LEVEL[f.severity]},
                    "properties": {"family": f.family, "basis": f.basis},
                }
            region: dict[str, Any] = {"startLine": f.line or 1, "startColumn": f.column or 1}
            if f.end_line:
                region["endLine"] = f.end_line
            if f.end_column:
                region["endColumn"] = f.end_column
            if f.evidence:
                region["snippet"] = {"text": f.evidence}
            results.append(
                {
                    "ruleId": f.rule,
                    "level": _LEVEL[f.severity],
                    "message": {"text": f.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": r.document.path or "stdin"},
                                "region": region,
                            },
                            "logicalLocations": [{"name": f.eid or "document", "kind": "element"}],
                        }
                    ],
                    "properties": {"family": f.family, "eid": f.eid, "article": f.article},
                }
            )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "reviewer",
                        "version": __version__,
                        "informationUri": "https://reviewer.local/docs/rules",
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }


def to_sarif(reviews: list[Review]) -> str:
    return json.dumps(to_sarif_dict(reviews), ensure_ascii=False, indent=2) + "\n"
