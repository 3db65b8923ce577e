"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.
Tests validate the API's responses against these schemas."""

from __future__ import annotations

from typing import Any

from .lifecycle import OUTCOMES, STATES

_NULLABLE_STR = {"type": ["string", "null"]}
_FINDING = {
    "type": "object",
    "required": ["id", "rule", "family", "severity", "message", "state", "basis"],
    "properties": {
        "id": {"type": "integer"},
        "version": {"type": "integer"},
        "rule": {"type": "string"},
        "family": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]},
        "title": {"type": "string"},
        "eid": _NULLABLE_STR,
        "article": _NULLABLE_STR,
        "line": {"type": ["integer", "null"]},
        "column": {"type": ["integer", "null"]},
        "evidence": {"type": "string"},
        "message": {"type": "string"},
        "basis": {"type": "array", "items": {"type": "object", "required": ["law", "quote"]}},
        "suggestion": {"type": "string"},
        "state": {"enum": ["open", "accepted", "dismissed"]},
        "reason": _NULLABLE_STR,
    },
}
_SUMMARY = {
    "type": "object",
    "required": ["id", "receipt", "status", "title", "late", "version"],
    "properties": {
        "id": {"type": "integer"},
        "receipt": {"type": "string"},
        "status": {"enum": list(STATES)},
        "title": {"type": "string"},
        "number": {"type": "string"},
        "issuer": {"type": "string"},
        "organisation": _NULLABLE_STR,
        "published": {"type": ["string", "null"], "format": "date"},
        "late": {"type": "boolean"},
        "version": {"type": "integer"},
        "worst_severity": {"enum": ["error", "warning", "info", None]},
        "errors": {"type": "integer"},
        "warnings": {"type": "integer"},
        "due": {"type": ["string", "null"], "format": "date"},
        "working_days_left": {"type": ["integer", "null"]},
        "claimed_by": _NULLABLE_STR,
        "outcome": {"enum": [*OUTCOMES, None]},
        "created_at": {"type": "string"},
    },
}
_DETAIL = {
    "allOf": [
        {"$ref": "#/components/schemas/FilingSummary"},
        {
            "type": "object",
            "required": ["materials", "findings", "missing_materials", "comments"],
            "properties": {
                "level": {"type": "string"},
                "pack": _NULLABLE_STR,
                "opinion": _NULLABLE_STR,
                "answer_due": _NULLABLE_STR,
                "missing_materials": {"type": "array", "items": {"type": "string"}},
                "materials": {"type": "array", "items": {"$ref": "#/components/schemas/Material"}},
                "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
                "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
            },
        },
    ]
}


def _json(ref: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _op(
    summary: str, ok: str, code: str = "200", body: dict[str, Any] | None = None
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            code: {"description": "success", **_json(ok)},
            "401": {"description": "no or bad token", **_json("Error")},
            "403": {"description": "not allowed", **_json("Error")},
            "404": {"description": "no such filing (or another organisation's)", **_json("Error")},
            "409": {"description": "wrong state", **_json("Error")},
        },
    }
    if body:
        op["requestBody"] = body
    return op


_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]


def spec() -> dict[str, Any]:
    multipart = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["document"],
                    "properties": {
                        "document": {
                            "type": "string",
                            "contentMediaType": "application/octet-stream",
                        },
                        "report": {
                            "type": "string",
                            "contentMediaType": "application/octet-stream",
                        },
                        "explanation": {
                            "type": "string",
                            "contentMediaType": "application/octet-stream",
                        },
                        "basis": {"type": "string", "contentMediaType": "application/octet-stream"},
                        "number": {"type": "string"},
                        "issuer": {"type": "string"},
                        "title": {"type": "string"},
                        "published": {"type": "string", "format": "date"},
                    },
                }
            }
        },
    }
    judge = {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["state"],
                    "properties": {
                        "state": {"enum": ["accepted", "dismissed"]},
                        "reason": {"type": "string"},
                    },
                }
            }
        }
    }
    decision = {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["outcome"],
                    "properties": {
                        "outcome": {"enum": list(OUTCOMES)},
                        "opinion": {"type": "string"},
                    },
                }
            }
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Normative-document filing review API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Finding": _FINDING,
                "FilingSummary": _SUMMARY,
                "Filing": _DETAIL,
                "FilingList": {
                    "type": "object",
                    "required": ["filings"],
                    "properties": {
                        "filings": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/FilingSummary"},
                        }
                    },
                },
                "Material": {
                    "type": "object",
                    "required": ["id", "kind", "filename", "size", "sha256"],
                    "properties": {
                        "id": {"type": "integer"},
                        "kind": {"type": "string"},
                        "version": {"type": "integer"},
                        "filename": {"type": "string"},
                        "size": {"type": "integer"},
                        "sha256": {"type": "string"},
                        "uploaded_at": {"type": "string"},
                    },
                },
                "Comment": {
                    "type": "object",
                    "required": ["id", "text", "author"],
                    "properties": {
                        "id": {"type": "integer"},
                        "eid": _NULLABLE_STR,
                        "text": {"type": "string"},
                        "author": {"type": "string"},
                        "created_at": {"type": "string"},
                    },
                },
                "AuditLog": {
                    "type": "object",
                    "required": ["events"],
                    "properties": {
                        "events": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "at", "actor", "action"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "at": {"type": "string"},
                                    "actor": {"type": "string"},
                                    "action": {"type": "string"},
                                    "from_status": _NULLABLE_STR,
                                    "to_status": _NULLABLE_STR,
                                    "detail": {"type": "object"},
                                },
                            },
                        }
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/filings": {
                "post": _op("File a document with its materials", "Filing", "201", multipart),
                "get": {
                    **_op("The queue the caller may see", "FilingList"),
                    "parameters": [
                        {"name": n, "in": "query", "schema": {"type": "string"}}
                        for n in ("status", "org", "due_before", "severity")
                    ],
                },
            },
            "/api/v1/filings/{id}": {
                "get": {**_op("A filing with findings and materials", "Filing"), "parameters": _ID}
            },
            "/api/v1/filings/{id}/claim": {
                "post": {**_op("Claim (or assign) the filing", "Filing"), "parameters": _ID}
            },
            "/api/v1/filings/{id}/release": {
                "post": {**_op("Give the filing back to the queue", "Filing"), "parameters": _ID}
            },
            "/api/v1/filings/{id}/findings/{fid}": {
                "post": {
                    **_op("Accept or dismiss a finding", "Finding", body=judge),
                    "parameters": [
                        *_ID,
                        {
                            "name": "fid",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                    ],
                }
            },
            "/api/v1/filings/{id}/comments": {
                "post": {**_op("Comment on an article", "Comment", "201"), "parameters": _ID}
            },
            "/api/v1/filings/{id}/decision": {
                "post": {**_op("Decide", "Filing", body=decision), "parameters": _ID}
            },
            "/api/v1/filings/{id}/materials": {
                "post": {**_op("Supply missing materials (补正)", "Filing"), "parameters": _ID}
            },
            "/api/v1/filings/{id}/correction": {
                "post": {
                    **_op("File the corrected text and the answer", "Filing"),
                    "parameters": _ID,
                }
            },
            "/api/v1/filings/{id}/audit": {
                "get": {
                    **_op("The audit events (format=csv to export)", "AuditLog"),
                    "parameters": _ID,
                }
            },
            "/api/v1/filings/{id}/opinion.docx": {
                "get": {
                    "summary": "The opinion letter",
                    "parameters": _ID,
                    "responses": {
                        "200": {
                            "description": "DOCX",
                            "content": {
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}
                            },
                        }
                    },
                }
            },
        },
    }
