"""Filing, pre-check, review, decision, correction: through the JSON API,
against SQLite and PostgreSQL, with every response checked against the
OpenAPI document the service serves."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from .conftest import Env, materials

TODAY = dt.date.today()


def _validator(env: Env, name: str) -> jsonschema.protocols.Validator:
    spec = env.client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    root = Resource.from_contents(
        {**spec, "$schema": "https://json-schema.org/draft/2020-12/schema"}
    )
    registry = Registry().with_resource("urn:openapi", root)
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:openapi#/components/schemas/{name}"}, registry=registry
    )


def check(env: Env, response: Any, status: int, schema: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.json
    _validator(env, schema).validate(body)
    return body  # type: ignore[no-any-return]


def test_full_lifecycle(env: Env) -> None:
    published = (TODAY - dt.timedelta(days=40)).isoformat()
    created = check(
        env,
        env.api(
            "post",
            "/filings",
            "sub_a",
            data=materials(number="沪府规〔2024〕5号", published=published),
        ),
        201,
        "Filing",
    )
    fid = created["id"]
    assert created["status"] == "submitted" and created["receipt"].startswith("备")
    assert created["late"] is True  # 40 days after publication: later than the 30-day limit
    env.drain()
    body = check(env, env.api("get", f"/filings/{fid}", "rev"), 200, "Filing")
    assert body["status"] == "prechecked" and body["missing_materials"] == []
    assert body["due"] and body["working_days_left"] > 0

    queue = check(env, env.api("get", "/filings?status=prechecked", "rev"), 200, "FilingList")
    assert fid in [f["id"] for f in queue["filings"]]

    check(env, env.api("post", f"/filings/{fid}/claim", "rev"), 200, "Filing")
    conflict = env.api("post", f"/filings/{fid}/claim", "rev2")
    assert conflict.status_code == 409
    # a reviewer who does not hold the filing cannot judge or decide
    assert (
        env.api("post", f"/filings/{fid}/decision", "rev2", json={"outcome": "filed"}).status_code
        == 403
    )

    findings = body["findings"]
    assert findings, "the demo document has at least one finding"
    early = env.api("post", f"/filings/{fid}/decision", "rev", json={"outcome": "filed"})
    assert early.status_code == 409 and "not yet" in early.json["error"]
    for i, f in enumerate(findings):
        state = "accepted" if i == 0 else "dismissed"
        judged = check(
            env,
            env.api(
                "post",
                f"/filings/{fid}/findings/{f['id']}",
                "rev",
                json={"state": state, "reason": "复核"},
            ),
            200,
            "Finding",
        )
        assert judged["state"] == state
    check(
        env,
        env.api(
            "post",
            f"/filings/{fid}/comments",
            "rev",
            json={"eid": findings[0]["article"], "text": "请说明依据"},
        ),
        201,
        "Comment",
    )
    decided = check(
        env,
        env.api(
            "post",
            f"/filings/{fid}/decision",
            "rev",
            json={"outcome": "correction_requested", "opinion": "请删除第二十条的失信惩戒。"},
        ),
        200,
        "Filing",
    )
    assert decided["status"] == "correction_requested" and decided["answer_due"]

    letter = env.api("get", f"/filings/{fid}/opinion.docx", "sub_a")
    assert letter.status_code == 200
    docx_text = zipfile.ZipFile(io.BytesIO(letter.data)).read("word/document.xml").decode()
    assert "审查意见书" in docx_text and "失信惩戒" in docx_text

    corrected = check(
        env,
        env.api(
            "post",
            f"/filings/{fid}/correction",
            "sub_a",
            data={
                "document": (
                    io.BytesIO(
                        "上海市非机动车停放管理办法\n第一条 本办法适用于本市。\n第二条 本办法自2024年4月1日起施行，有效期至2029年3月31日。\n".encode()
                    ),
                    "v2.txt",
                ),
                "answer": "已删除第二十条。",
            },
        ),
        200,
        "Filing",
    )
    assert corrected["version"] == 2 and corrected["status"] == "submitted"
    env.drain()
    again = check(env, env.api("get", f"/filings/{fid}", "rev"), 200, "Filing")
    assert again["status"] == "prechecked" and all(f["version"] == 2 for f in again["findings"])

    log = check(env, env.api("get", f"/filings/{fid}/audit", "admin"), 200, "AuditLog")
    actions = [e["action"] for e in log["events"]]
    assert actions[:3] == ["submitted", "prechecked", "claimed"]
    assert {"finding_judged", "commented", "decided", "corrected", "resubmitted"} <= set(actions)
    assert [e["to_status"] for e in log["events"] if e["to_status"]][-1] == "prechecked"
    csv_export = env.api("get", f"/filings/{fid}/audit?format=csv", "admin")
    assert (
        csv_export.status_code == 200
        and csv_export.data.decode("utf-8-sig").count("\n") == len(actions) + 1
    )


def test_missing_materials_are_requested_and_supplied(env: Env) -> None:
    fid = env.api("post", "/filings", "sub_a", data=materials(complete=False)).json["id"]
    env.drain()
    body = env.api("get", f"/filings/{fid}", "sub_a").json
    assert body["status"] == "returned_for_materials"
    assert body["missing_materials"] == ["report", "explanation", "basis"]
    supplied = env.api(
        "post",
        f"/filings/{fid}/materials",
        "sub_a",
        data={k: (io.BytesIO(b"x"), f"{k}.txt") for k in ("report", "explanation", "basis")},
    )
    assert supplied.status_code == 200 and supplied.json["status"] == "submitted"
    env.drain()
    assert env.api("get", f"/filings/{fid}", "sub_a").json["status"] == "prechecked"


def test_organisations_do_not_see_each_other(env: Env) -> None:
    fid = env.api("post", "/filings", "sub_a", data=materials()).json["id"]
    assert env.api("get", f"/filings/{fid}", "sub_b").status_code == 404
    assert env.api("get", f"/filings/{fid}/audit", "sub_b").status_code == 404
    assert env.api("get", f"/filings/{fid}/opinion.docx", "sub_b").status_code == 404
    assert fid not in [f["id"] for f in env.api("get", "/filings", "sub_b").json["filings"]]
    assert env.api("post", f"/filings/{fid}/claim", "sub_a").status_code == 403
    assert env.client.get(f"/api/v1/filings/{fid}").status_code == 401
    assert env.api("get", f"/filings/{fid}", "admin").status_code == 200


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"report": b"x"}, 400, "official text"),
        ({"document": b""}, 400, "empty"),
        ({"document": b"\x00\x01\x02\xff" * 100}, 422, "document"),
        ({"document": "第一条 测试。".encode(), "published": "2024-13-40"}, 400, "published"),
    ],
)
def test_bad_submissions_get_a_clear_4xx_and_nothing_is_half_stored(
    env: Env, data: dict, status: int, message: str
) -> None:
    before = len(env.api("get", "/filings", "admin").json["filings"])
    form = {k: (io.BytesIO(v), f"{k}.txt") if isinstance(v, bytes) else v for k, v in data.items()}
    resp = env.api("post", "/filings", "sub_a", data=form)
    assert resp.status_code == status and message in resp.json["error"]
    assert len(env.api("get", "/filings", "admin").json["filings"]) == before


def test_reviewers_cannot_file_and_submitters_cannot_decide(env: Env) -> None:
    assert env.api("post", "/filings", "rev", data=materials()).status_code == 403
    fid = env.api("post", "/filings", "sub_a", data=materials()).json["id"]
    env.drain()
    assert (
        env.api("post", f"/filings/{fid}/decision", "sub_a", json={"outcome": "filed"}).status_code
        == 403
    )


def test_assign_and_release(env: Env) -> None:
    fid = env.api("post", "/filings", "sub_a", data=materials()).json["id"]
    env.drain()
    assigned = env.api("post", f"/filings/{fid}/claim", "admin", json={"assignee": "rev2"})
    assert assigned.status_code == 200 and assigned.json["claimed_by"] == "rev2"
    released = env.api("post", f"/filings/{fid}/release", "rev2")
    assert (
        released.status_code == 200
        and released.json["status"] == "prechecked"
        and released.json["claimed_by"] is None
    )


def test_oversized_uploads_and_unknown_routes_answer_json(env: Env) -> None:
    env.app.config["MAX_CONTENT_LENGTH"] = 1024
    big = {"document": (io.BytesIO(b"x" * 4096), "big.txt")}
    resp = env.api("post", "/filings", "sub_a", data=big)
    assert resp.status_code == 413 and "error" in resp.json
    missing = env.api("get", "/nothing-here", "sub_a")
    assert missing.status_code == 404 and "error" in missing.json
