"""The JSON API (`/api/v1`, bearer tokens): everything the pages do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from sqlalchemy import select

from . import db, services
from . import filings as F
from . import serialize as S
from .auth import token_user
from .jobs import enqueue
from .models import Filing, User
from .openapi import spec
from .opinion import letter_download

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MATERIAL_FIELDS = ("document", "report", "explanation", "basis")


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify(error=message), status


def authenticated(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = token_user()
        if user is None:
            return _error("missing or invalid bearer token", 401)
        g.user = user
        try:
            return view(*args, **kwargs)
        except F.FilingError as exc:
            db().rollback()
            return _error(str(exc), exc.status)

    return wrapped


def _uploads(fields: tuple[str, ...]) -> list[F.Upload]:
    out = []
    for kind in fields:
        for upload in request.files.getlist(kind):
            if upload and upload.filename:
                out.append(F.Upload(kind, upload.filename, upload.read()))
    return out


def _date(text: str | None, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise F.FilingError(f"{name}: expected YYYY-MM-DD", 400) from None


def _commit_and_wake(filing: Filing | None = None, queue: bool = False) -> None:
    session = db()
    job = enqueue(session, filing) if queue and filing is not None else None
    session.commit()
    if job is not None:
        services().notify(job.id)


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec())


@bp.post("/filings")
@authenticated
def create_filing() -> tuple[Response, int]:
    user: User = g.user
    filing = F.create(
        db(),
        services().settings,
        user,
        _uploads(MATERIAL_FIELDS),
        number=request.form.get("number", ""),
        issuer=request.form.get("issuer", ""),
        title=request.form.get("title", ""),
        published=_date(request.form.get("published"), "published"),
    )
    _commit_and_wake(filing, queue=True)
    return jsonify(S.detail(filing)), 201


@bp.get("/filings")
@authenticated
def list_filings() -> Response:
    query = F.visible(db(), g.user)
    if status := request.args.get("status"):
        query = query.where(Filing.status == status)
    if org := request.args.get("org"):
        query = query.join(Filing.organisation).where(Filing.organisation.has(name=org))
    if due := request.args.get("due_before"):
        query = query.where(Filing.due <= _date(due, "due_before"))
    if severity := request.args.get("severity"):
        query = query.where(Filing.worst_severity == severity)
    query = query.order_by(Filing.due.is_(None), Filing.due, Filing.id).limit(
        int(request.args.get("limit", 200))
    )
    return jsonify(filings=[S.summary(f) for f in db().scalars(query)])


@bp.get("/filings/<int:filing_id>")
@authenticated
def get_filing(filing_id: int) -> Response:
    return jsonify(S.detail(F.get_for(db(), g.user, filing_id)))


def _reviewer_only() -> None:
    if g.user.role not in ("reviewer", "admin"):
        raise F.Forbidden("reviewers only")


@bp.post("/filings/<int:filing_id>/claim")
@authenticated
def claim(filing_id: int) -> Response:
    _reviewer_only()
    filing = F.get_for(db(), g.user, filing_id)
    body = request.get_json(silent=True) or {}
    assignee = None
    if body.get("assignee"):
        assignee = db().scalar(select(User).where(User.username == body["assignee"]))
        if assignee is None:
            raise F.FilingError("no such user", 400)
    F.claim(db(), filing, g.user, assignee)
    _commit_and_wake()
    return jsonify(S.detail(filing))


@bp.post("/filings/<int:filing_id>/release")
@authenticated
def release(filing_id: int) -> Response:
    _reviewer_only()
    filing = F.get_for(db(), g.user, filing_id)
    F.release(db(), filing, g.user)
    _commit_and_wake()
    return jsonify(S.detail(filing))


@bp.post("/filings/<int:filing_id>/findings/<int:finding_id>")
@authenticated
def judge(filing_id: int, finding_id: int) -> Response:
    _reviewer_only()
    filing = F.get_for(db(), g.user, filing_id)
    body = request.get_json(silent=True) or {}
    finding = F.judge(
        db(), filing, finding_id, g.user, str(body.get("state", "")), str(body.get("reason", ""))
    )
    _commit_and_wake()
    return jsonify(S.finding(finding))


@bp.post("/filings/<int:filing_id>/comments")
@authenticated
def add_comment(filing_id: int) -> tuple[Response, int]:
    filing = F.get_for(db(), g.user, filing_id)
    body = request.get_json(silent=True) or {}
    c = F.comment(db(), filing, g.user, str(body.get("text", "")), body.get("eid"))
    _commit_and_wake()
    return jsonify(S.comment(c)), 201


@bp.post("/filings/<int:filing_id>/decision")
@authenticated
def decide(filing_id: int) -> Response:
    _reviewer_only()
    filing = F.get_for(db(), g.user, filing_id)
    body = request.get_json(silent=True) or {}
    F.decide(
        db(),
        services().settings,
        filing,
        g.user,
        str(body.get("outcome", "")),
        str(body.get("opinion", "")),
    )
    _commit_and_wake()
    return jsonify(S.detail(filing))


@bp.post("/filings/<int:filing_id>/materials")
@authenticated
def supply(filing_id: int) -> Response:
    filing = F.get_for(db(), g.user, filing_id)
    F.resubmit(
        db(), services().settings, filing, g.user, _uploads(("report", "explanation", "basis"))
    )
    _commit_and_wake(filing, queue=True)
    return jsonify(S.detail(filing))


@bp.post("/filings/<int:filing_id>/correction")
@authenticated
def correction(filing_id: int) -> Response:
    filing = F.get_for(db(), g.user, filing_id)
    F.correct(db(), filing, g.user, _uploads(MATERIAL_FIELDS), request.form.get("answer", ""))
    _commit_and_wake(filing, queue=True)
    return jsonify(S.detail(filing))


@bp.get("/filings/<int:filing_id>/audit")
@authenticated
def audit_log(filing_id: int) -> Response:
    filing = F.get_for(db(), g.user, filing_id)
    rows = [S.event(e) for e in F.audit_events(db(), filing)]
    if request.args.get("format") == "csv":
        return S.audit_csv(filing, rows)
    return jsonify(events=rows)


@bp.get("/filings/<int:filing_id>/opinion.docx")
@authenticated
def opinion_docx(filing_id: int) -> Response | tuple[Response, int]:
    filing = F.get_for(db(), g.user, filing_id)
    if filing.outcome is None:
        return _error("no decision yet", 409)
    return letter_download(filing)
