"""Pages (login, CSRF, visibility), background jobs (retry, no loss), the
migration check, working-day deadlines and the append-only audit log."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from web import create_app
from web.db import NotMigrated
from web.deadlines import add_working_days, is_workday, working_days_between
from web.jobs import LEASE, execute
from web.models import AppendOnlyError, AuditEvent, Filing, Job

from .conftest import Env, materials


def _csrf(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, html[:300]
    return m.group(1)


def login(env: Env, username: str) -> FlaskClient:
    client = env.app.test_client()
    client.application.config["WTF_CSRF_ENABLED"] = True
    token = _csrf(client, "/login")
    resp = client.post(
        "/login", data={"csrf_token": token, "username": username, "password": "password-123"}
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return client


def test_login_required_and_wrong_password(env: Env) -> None:
    client = env.app.test_client()
    assert client.get("/queue").status_code == 302
    token = _csrf(client, "/login")
    bad = client.post("/login", data={"csrf_token": token, "username": "rev", "password": "nope"})
    assert bad.status_code == 200 and "错误" in bad.get_data(as_text=True)


def test_forms_without_csrf_token_are_refused(env: Env) -> None:
    client = login(env, "sub_a")
    resp = client.post("/filings/new", data=materials())
    assert resp.status_code == 400


def test_submit_review_and_decide_through_pages(env: Env) -> None:
    sub = login(env, "sub_a")
    token = _csrf(sub, "/filings/new")
    resp = sub.post(
        "/filings/new", data={**materials(), "csrf_token": token, "number": "沪府规〔2024〕5号"}
    )
    assert resp.status_code == 302
    fid = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    page = sub.get(f"/filings/{fid}").get_data(as_text=True)
    assert (
        "正在自动审查" in page and 'http-equiv="refresh"' in page
    )  # progress while the check runs
    env.drain()

    rev = login(env, "rev")
    queue = rev.get("/queue?status=prechecked").get_data(as_text=True)
    assert f"/filings/{fid}" in queue
    token = _csrf(rev, f"/filings/{fid}")
    assert rev.post(f"/filings/{fid}/claim", data={"csrf_token": token}).status_code == 303
    page = rev.get(f"/filings/{fid}").get_data(as_text=True)
    assert "<mark" in page  # the finding's exact span is highlighted in the document
    with env.app.app_context():
        sessions = env.app.extensions["reviewer"].sessions
        with sessions() as s:
            finding_ids = [f.id for f in s.get(Filing, fid).findings]
    for finding_id in finding_ids:
        rev.post(
            f"/filings/{fid}/findings/{finding_id}",
            data={"csrf_token": token, "state": "accepted", "reason": ""},
        )
    resp = rev.post(
        f"/filings/{fid}/decision", data={"csrf_token": token, "outcome": "filed", "opinion": ""}
    )
    assert resp.status_code == 303
    page = rev.get(f"/filings/{fid}?lang=en").get_data(as_text=True)
    assert "Filed" in page and "opinion.docx" in page
    assert rev.get(f"/filings/{fid}/opinion").status_code == 200
    assert rev.get(f"/filings/{fid}/opinion.docx").data[:2] == b"PK"
    exported = rev.get(f"/filings/{fid}/audit.csv").data.decode("utf-8-sig")
    assert exported.startswith("id,at,actor,action") and "decided" in exported

    other = login(env, "sub_b")
    assert other.get(f"/filings/{fid}").status_code == 404
    assert f"/filings/{fid}" not in other.get("/queue").get_data(as_text=True)


def test_a_job_interrupted_mid_check_is_retried(env: Env) -> None:
    fid = env.api("post", "/filings", "sub_a", data=materials()).json["id"]
    sessions = env.app.extensions["reviewer"].sessions
    settings = env.app.extensions["reviewer"].settings
    with sessions() as s:  # a worker took the job and died: lease still running
        job = s.scalar(select(Job).where(Job.filing_id == fid))
        job.status, job.attempts = "running", 1
        job.lease_until = dt.datetime.now(dt.UTC).replace(tzinfo=None) + LEASE
        s.commit()
    assert execute(sessions, settings) is False  # leased: nobody else takes it
    with sessions() as s:
        job = s.scalar(select(Job).where(Job.filing_id == fid))
        job.lease_until = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
        s.commit()
    assert execute(sessions, settings) is True
    with sessions() as s:
        assert s.get(Filing, fid).status == "prechecked"
        assert s.scalar(select(Job).where(Job.filing_id == fid)).status == "done"


def test_a_failing_check_is_retried_then_marked_failed(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    import web.jobs

    fid = env.api("post", "/filings", "sub_a", data=materials()).json["id"]

    def boom(*_a: object) -> None:
        raise RuntimeError("checker crashed")

    monkeypatch.setattr(web.jobs, "run_check", boom)
    env.drain()
    sessions = env.app.extensions["reviewer"].sessions
    with sessions() as s:
        job = s.scalar(select(Job).where(Job.filing_id == fid))
        assert job.status == "failed" and job.attempts == web.jobs.MAX_ATTEMPTS
        assert "checker crashed" in job.error
        assert s.get(Filing, fid).status == "submitted"  # the filing itself is kept


def test_the_audit_log_is_append_only(env: Env) -> None:
    env.api("post", "/filings", "sub_a", data=materials())
    sessions = env.app.extensions["reviewer"].sessions
    with sessions() as s:
        event = s.scalar(select(AuditEvent))
        event.action = "tampered"
        with pytest.raises(AppendOnlyError):
            s.commit()


def test_an_unmigrated_database_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(NotMigrated, match="reviewer db upgrade"):
        create_app({"settings": {"database_url": url, "secret_key": "x"}}, start_worker=False)


def test_working_days_follow_the_official_calendar() -> None:
    assert not is_workday(dt.date(2026, 10, 1))  # National Day
    assert not is_workday(dt.date(2026, 2, 17))  # Spring Festival
    assert add_working_days(dt.date(2026, 9, 30), 1) > dt.date(2026, 10, 7)
    assert working_days_between(dt.date(2026, 11, 27), dt.date(2026, 11, 30)) == 1  # Fri -> Mon
    assert add_working_days(dt.date(2031, 1, 3), 1) == dt.date(
        2031, 1, 6
    )  # beyond the calendar: Mon-Fri
