"""Server-rendered pages (no JavaScript framework): the queue, filing, review
and decision screens. Every action is a POST form with a CSRF token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from reviewer.errors import ReviewerError
from reviewer.ingest import read_bytes
from reviewer.report.marks import marked
from reviewer.structure.document import parse_text

from . import db, services
from . import filings as F
from . import serialize as S
from .deadlines import working_days_between
from .i18n import lang, material_label, status_label, t
from .jobs import enqueue
from .lifecycle import OUTCOMES, STATES, allowed
from .models import Filing, Finding, Material, Organisation, User
from .opinion import letter_download, outline

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        "t": t,
        "lang": lang,
        "status_label": status_label,
        "material_label": material_label,
        "allowed": allowed,
    }


@bp.after_app_request
def _remember_language(response: Response) -> Response:
    if request.args.get("lang") in ("zh", "en"):
        response.set_cookie("lang", request.args["lang"], samesite="Lax", max_age=365 * 86400)
    return response


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/")
@login_required
def index() -> Response:
    return redirect(url_for("pages.queue"))


@bp.get("/queue")
@login_required
def queue() -> str:
    query = F.visible(db(), current_user)
    args = request.args
    if args.get("status"):
        query = query.where(Filing.status == args["status"])
    if args.get("org"):
        query = query.where(Filing.organisation_id == int(args["org"]))
    if args.get("severity"):
        query = query.where(Filing.worst_severity == args["severity"])
    if args.get("due_before"):
        try:
            query = query.where(Filing.due <= dt.date.fromisoformat(args["due_before"]))
        except ValueError:
            flash("due_before: YYYY-MM-DD", "error")
    sort = args.get("sort", "due")
    order = {"due": (Filing.due.is_(None), Filing.due, Filing.id), "new": (Filing.id.desc(),)}[
        sort if sort in ("due", "new") else "due"
    ]
    page_size = 100
    try:
        page = max(1, int(args.get("page", "1") or 1))
    except ValueError:
        page = 1
    query = query.options(joinedload(Filing.organisation), joinedload(Filing.claimed_by))
    rows = list(
        db().scalars(query.order_by(*order).offset((page - 1) * page_size).limit(page_size + 1))
    )
    more = len(rows) > page_size
    rows = rows[:page_size]
    today = dt.date.today()
    left = {f.id: working_days_between(today, f.due) if f.due else None for f in rows}
    orgs = list(db().scalars(select(Organisation).order_by(Organisation.name)))
    return render_template(
        "queue.html",
        filings=rows,
        left=left,
        orgs=orgs,
        states=STATES,
        args=args,
        page=page,
        more=more,
    )


@bp.route("/filings/new", methods=["GET", "POST"])
@login_required
def new_filing() -> str | Response:
    if request.method == "POST":
        uploads = [
            F.Upload(kind, f.filename, f.read())
            for kind in ("document", "report", "explanation", "basis")
            for f in request.files.getlist(kind)
            if f and f.filename
        ]
        published = None
        if request.form.get("published"):
            try:
                published = dt.date.fromisoformat(request.form["published"])
            except ValueError:
                flash(f"{t('published')}: YYYY-MM-DD", "error")
                return render_template("new.html"), 400  # type: ignore[return-value]
        try:
            filing = F.create(
                db(),
                services().settings,
                current_user,
                uploads,
                number=request.form.get("number", ""),
                issuer=request.form.get("issuer", ""),
                published=published,
            )
        except F.FilingError as exc:
            db().rollback()
            flash(str(exc), "error")
            return render_template("new.html"), exc.status  # type: ignore[return-value]
        job = enqueue(db(), filing)
        db().commit()
        services().notify(job.id)
        flash(f"{t('receipt')}: {filing.receipt}", "ok")
        return redirect(url_for("pages.filing", filing_id=filing.id))
    return render_template("new.html")


@dataclass(slots=True)
class Row:
    eid: str
    label: str
    html: Markup
    findings: list[Finding]
    comments: list[Any]
    depth: int


def _document_rows(filing: Filing) -> list[Row]:
    material = F.latest(filing, "document")
    if material is None:
        return []
    try:
        source = read_bytes(material.content, material.filename)
    except ReviewerError:
        return []
    document = parse_text(source.text)
    current = [f for f in filing.findings if f.version == filing.version]
    by_article: dict[str, list[Finding]] = {}
    for f in current:
        by_article.setdefault(f.article or "document", []).append(f)
    comments: dict[str, list[Any]] = {}
    for c in filing.comments:
        comments.setdefault(c.eid or "document", []).append(c)
    rows = [
        Row(
            "document",
            "全文" if lang() == "zh" else "Whole document",
            Markup(""),
            by_article.get("document", []),
            comments.get("document", []),
            0,
        )
    ]

    spans = [(f.start, f.end, f.severity) for f in current]
    for node, article, depth in document.anchored():
        own = by_article.get(node.eid, []) if node.eid == article else []
        label = " ".join(x for x in (node.num, node.heading) if x)
        if label or node.text:
            rows.append(
                Row(
                    node.eid,
                    label,
                    Markup(marked(document, node, spans)),
                    own,
                    comments.get(node.eid, []),
                    depth,
                )
            )
    return rows


def _get(filing_id: int) -> Filing:
    try:
        return F.get_for(db(), current_user, filing_id)
    except F.FilingError:
        abort(404)


@bp.get("/filings/<int:filing_id>")
@login_required
def filing(filing_id: int) -> str:
    f = _get(filing_id)
    events = F.audit_events(db(), f)
    reviewers = list(
        db().scalars(
            select(User).where(User.role.in_(("reviewer", "admin"))).order_by(User.username)
        )
    )
    left = working_days_between(dt.date.today(), f.due) if f.due else None
    return render_template(
        "filing.html",
        f=f,
        rows=_document_rows(f),
        events=events,
        reviewers=reviewers,
        outcomes=OUTCOMES,
        missing=F.missing_materials(f),
        left=left,
    )


def _act(filing_id: int, action: Any, queue: bool = False) -> Response:
    f = _get(filing_id)
    try:
        action(f)
        job = enqueue(db(), f) if queue else None
        db().commit()
        if job is not None:
            services().notify(job.id)
    except F.FilingError as exc:
        db().rollback()
        flash(str(exc), "error")
        response = redirect(url_for("pages.filing", filing_id=filing_id))
        response.status_code = 303
        return response
    return redirect(url_for("pages.filing", filing_id=filing_id), code=303)


@bp.post("/filings/<int:filing_id>/claim")
@login_required
def claim(filing_id: int) -> Response:
    assignee_name = request.form.get("assignee")

    def go(f: Filing) -> None:
        if current_user.role not in ("reviewer", "admin"):
            raise F.Forbidden("reviewers only")
        assignee = (
            db().scalar(select(User).where(User.username == assignee_name))
            if assignee_name
            else None
        )
        F.claim(db(), f, current_user, assignee)

    return _act(filing_id, go)


@bp.post("/filings/<int:filing_id>/release")
@login_required
def release(filing_id: int) -> Response:
    return _act(filing_id, lambda f: F.release(db(), f, current_user))


@bp.post("/filings/<int:filing_id>/findings/<int:finding_id>")
@login_required
def judge(filing_id: int, finding_id: int) -> Response:
    state, reason = request.form.get("state", ""), request.form.get("reason", "")
    return _act(filing_id, lambda f: F.judge(db(), f, finding_id, current_user, state, reason))


@bp.post("/filings/<int:filing_id>/comments")
@login_required
def comment(filing_id: int) -> Response:
    text, eid = request.form.get("text", ""), request.form.get("eid") or None
    return _act(filing_id, lambda f: F.comment(db(), f, current_user, text, eid))


@bp.post("/filings/<int:filing_id>/decision")
@login_required
def decide(filing_id: int) -> Response:
    outcome, opinion = request.form.get("outcome", ""), request.form.get("opinion", "")
    return _act(
        filing_id, lambda f: F.decide(db(), services().settings, f, current_user, outcome, opinion)
    )


@bp.post("/filings/<int:filing_id>/materials")
@login_required
def supply(filing_id: int) -> Response:
    uploads = [
        F.Upload(k, x.filename, x.read())
        for k in ("report", "explanation", "basis")
        for x in request.files.getlist(k)
        if x and x.filename
    ]
    return _act(
        filing_id,
        lambda f: F.resubmit(db(), services().settings, f, current_user, uploads),
        queue=True,
    )


@bp.post("/filings/<int:filing_id>/correction")
@login_required
def correction(filing_id: int) -> Response:
    uploads = [
        F.Upload(k, x.filename, x.read())
        for k in ("document", "report", "explanation", "basis")
        for x in request.files.getlist(k)
        if x and x.filename
    ]
    answer = request.form.get("answer", "")
    return _act(filing_id, lambda f: F.correct(db(), f, current_user, uploads, answer), queue=True)


@bp.get("/filings/<int:filing_id>/status")
@login_required
def status(filing_id: int) -> Response:
    f = _get(filing_id)
    return jsonify(status=f.status, errors=f.errors, warnings=f.warnings)


@bp.get("/filings/<int:filing_id>/opinion")
@login_required
def opinion_html(filing_id: int) -> str:
    f = _get(filing_id)
    if f.outcome is None:
        abort(409)
    return render_template("opinion.html", letter=outline(f), f=f)


@bp.get("/filings/<int:filing_id>/opinion.docx")
@login_required
def opinion_docx(filing_id: int) -> Response:
    f = _get(filing_id)
    if f.outcome is None:
        abort(409)
    return letter_download(f)


@bp.get("/filings/<int:filing_id>/audit.csv")
@login_required
def audit_export(filing_id: int) -> Response:
    f = _get(filing_id)
    return S.audit_csv(f, [S.event(e) for e in F.audit_events(db(), f)])


@bp.get("/materials/<int:material_id>")
@login_required
def material(material_id: int) -> Response:
    m = db().get(Material, material_id)
    if m is None:
        abort(404)
    _get(m.filing_id)  # the same visibility as the filing
    response = make_response(m.content)
    response.headers["Content-Type"] = "application/octet-stream"
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(m.filename)}"
    return response
