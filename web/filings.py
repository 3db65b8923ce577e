"""What can be done to a filing, for pages and API alike: views call these,
these change the models and write the audit log. Nothing here knows HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer.engine import review_document
from reviewer.errors import ReviewerError
from reviewer.ingest import read_bytes
from reviewer.structure.document import parse_text

from .config import Settings
from .deadlines import add_working_days
from .lifecycle import OUTCOMES, REQUIRED_MATERIALS, TransitionError, allowed
from .models import AuditEvent, Comment, Filing, Finding, Material, User


class FilingError(ValueError):
    """A request the filing cannot take (bad upload, wrong state): a 4xx."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Forbidden(FilingError):
    def __init__(self, message: str = "not allowed") -> None:
        super().__init__(message, 403)


@dataclass(frozen=True, slots=True)
class Upload:
    kind: str
    filename: str
    content: bytes


def today() -> dt.date:
    return dt.date.today()


def audit(
    session: Session,
    filing: Filing | None,
    actor: User | None,
    action: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    **detail: Any,
) -> None:
    session.add(
        AuditEvent(
            filing_id=filing.id if filing else None,
            actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else "system",
            action=action,
            from_status=from_status,
            to_status=to_status,
            detail=detail,
        )
    )


def move(
    session: Session, filing: Filing, target: str, actor: User | None, action: str, **detail: Any
) -> None:
    role = actor.role if actor else "system"
    if not allowed(filing.status, target, role):
        raise FilingError(f"a {role} cannot move a filing from {filing.status} to {target}", 409)
    previous = filing.status
    filing.status = target
    audit(session, filing, actor, action, from_status=previous, to_status=target, **detail)


def audit_events(session: Session, filing: Filing) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.filing_id == filing.id).order_by(AuditEvent.id)
    return list(session.scalars(query))


def visible(session: Session, user: User) -> Any:
    """The filings a user may see: a submitter only their organisation's."""
    query = select(Filing)
    if user.role == "submitter":
        query = query.where(Filing.organisation_id == user.organisation_id)
    return query


def get_for(session: Session, user: User, filing_id: int) -> Filing:
    filing = session.get(Filing, filing_id)
    if filing is None or (
        user.role == "submitter" and filing.organisation_id != user.organisation_id
    ):
        raise FilingError(
            "no such filing", 404
        )  # another organisation's filing does not exist for you
    return filing


def _material(kind: str, upload: Upload, version: int) -> Material:
    return Material(
        kind=kind,
        version=version,
        filename=upload.filename[:300],
        content=upload.content,
        sha256=hashlib.sha256(upload.content).hexdigest(),
        size=len(upload.content),
    )


def create(
    session: Session,
    settings: Settings,
    submitter: User,
    uploads: list[Upload],
    *,
    number: str = "",
    issuer: str = "",
    published: dt.date | None = None,
    title: str = "",
) -> Filing:
    """File a document with its materials. The official text must be readable;
    missing materials do not block filing (the check asks for them)."""
    if submitter.role not in ("submitter", "admin") or submitter.organisation_id is None:
        raise Forbidden("only a submitter of an organisation can file documents")
    documents = [u for u in uploads if u.kind == "document"]
    if len(documents) != 1:
        raise FilingError("exactly one official text (field `document`) is required", 400)
    for u in uploads:
        if not u.content:
            raise FilingError(f"{u.kind}: {u.filename or 'file'} is empty", 400)
        if len(u.content) > settings.upload_limit:
            raise FilingError(
                f"{u.kind}: larger than the upload limit of {settings.upload_limit} bytes", 413
            )
    try:  # readable now, so a filing is never accepted that the check cannot open
        read_bytes(documents[0].content, documents[0].filename or "document.txt")
    except ReviewerError as exc:
        raise FilingError(f"document: {exc}", 422) from exc
    if published and published > today():
        raise FilingError("published: the date is in the future", 400)
    filing = Filing(
        receipt=f"pending-{uuid.uuid4().hex}",  # the number comes from the row id, below
        organisation_id=submitter.organisation_id,
        submitter_id=submitter.id,
        number=number.strip(),
        issuer=issuer.strip(),
        title=title.strip(),  # filled from the document by the check job
        published=published,
        status="submitted",
        late=bool(published and (today() - published).days > settings.filing_days),
        due=add_working_days(today(), settings.completeness_working_days),
    )
    filing.materials = [_material(u.kind, u, 1) for u in uploads]
    session.add(filing)
    session.flush()
    # unique under concurrency (several web processes): derived from the primary key
    filing.receipt = f"备{today().year}-{filing.id:06d}"
    audit(
        session,
        filing,
        submitter,
        "submitted",
        to_status="submitted",
        receipt=filing.receipt,
        materials=[u.kind for u in uploads],
        late=filing.late,
    )
    return filing


def latest(filing: Filing, kind: str) -> Material | None:
    found = [m for m in filing.materials if m.kind == kind]
    return max(found, key=lambda m: (m.version, m.id)) if found else None


def missing_materials(filing: Filing) -> list[str]:
    return [k for k in REQUIRED_MATERIALS if latest(filing, k) is None]


def run_check(session: Session, settings: Settings, filing: Filing) -> None:
    """The automatic pre-check: legality findings and completeness of materials."""
    if filing.status != "submitted":
        return  # already checked (a retried job after a crash must not repeat work)
    material = latest(filing, "document")
    assert material is not None
    source = read_bytes(material.content, material.filename)
    document = parse_text(source.text, path=material.filename)
    review = review_document(document, on=filing.published)
    for old in [f for f in filing.findings if f.version == filing.version]:
        session.delete(old)
    for f in review.findings:
        filing.findings.append(
            Finding(
                version=filing.version,
                rule=f.rule,
                family=f.family,
                severity=f.severity,
                title=f.title,
                eid=f.eid,
                article=f.article,
                line=f.line,
                column=f.column,
                start=f.start,
                end=f.end,
                evidence=f.evidence,
                message=f.message,
                basis=f.basis,
                suggestion=f.suggestion,
            )
        )
    counts = review.counts()
    filing.errors, filing.warnings = counts["errors"], counts["warnings"]
    filing.worst_severity = review.worst()
    filing.level = document.header.level
    filing.pack = review.pack
    filing.title = filing.title or (document.title or "")[:500]
    filing.number = filing.number or (document.header.number or "")
    filing.issuer = filing.issuer or (document.header.issuer or "")
    missing = missing_materials(filing)
    summary = {"errors": counts["errors"], "warnings": counts["warnings"], "pack": review.pack}
    if missing:
        move(
            session,
            filing,
            "returned_for_materials",
            None,
            "materials_requested",
            missing=missing,
            **summary,
        )
    else:
        filing.due = add_working_days(today(), settings.review_working_days)
        move(session, filing, "prechecked", None, "prechecked", **summary)


def resubmit(
    session: Session, settings: Settings, filing: Filing, actor: User, uploads: list[Upload]
) -> None:
    """补正: add the requested materials and send the filing back to the check."""
    _own(filing, actor)
    for u in uploads:
        if not u.content:
            raise FilingError(f"{u.kind}: empty file", 400)
        if u.kind == "document":
            raise FilingError("a new official text is filed as a correction, not as 补正", 400)
        filing.materials.append(_material(u.kind, u, filing.version))
    move(
        session,
        filing,
        "submitted",
        actor,
        "materials_supplied",
        materials=[u.kind for u in uploads],
    )


def claim(session: Session, filing: Filing, reviewer: User, assignee: User | None = None) -> None:
    target = assignee or reviewer
    if target.role not in ("reviewer", "admin"):
        raise FilingError("only a reviewer can hold a filing", 400)
    move(
        session,
        filing,
        "in_review",
        reviewer,
        "claimed" if assignee is None else "assigned",
        to=target.username,
    )
    filing.claimed_by_id = target.id


def release(session: Session, filing: Filing, reviewer: User) -> None:
    _holder(filing, reviewer)
    move(session, filing, "prechecked", reviewer, "released")
    filing.claimed_by_id = None


def judge(
    session: Session, filing: Filing, finding_id: int, reviewer: User, state: str, reason: str
) -> Finding:
    _holder(filing, reviewer)
    finding = next((f for f in filing.findings if f.id == finding_id), None)
    if finding is None:
        raise FilingError("no such finding on this filing", 404)
    if state not in ("accepted", "dismissed"):
        raise FilingError("state must be accepted or dismissed", 400)
    if state == "dismissed" and not reason.strip():
        raise FilingError("dismissing a finding needs a reason", 400)
    previous = finding.state
    finding.state, finding.reason = state, reason.strip() or None
    finding.judged_by_id, finding.judged_at = (
        reviewer.id,
        dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )
    audit(
        session,
        filing,
        reviewer,
        "finding_judged",
        finding=finding.id,
        rule=finding.rule,
        previous=previous,
        state=state,
        reason=reason,
    )
    return finding


def comment(session: Session, filing: Filing, author: User, text: str, eid: str | None) -> Comment:
    if author.role == "submitter":
        _own(filing, author)
    if not text.strip():
        raise FilingError("empty comment", 400)
    c = Comment(filing_id=filing.id, author_id=author.id, eid=(eid or None), text=text.strip())
    session.add(c)
    audit(session, filing, author, "commented", eid=eid, text=text.strip()[:500])
    return c


def decide(
    session: Session, settings: Settings, filing: Filing, reviewer: User, outcome: str, opinion: str
) -> None:
    _holder(filing, reviewer)
    if outcome not in OUTCOMES:
        raise FilingError(f"outcome must be one of {', '.join(OUTCOMES)}", 400)
    open_findings = [
        f for f in filing.findings if f.version == filing.version and f.state == "open"
    ]
    if open_findings:
        raise FilingError(f"{len(open_findings)} finding(s) not yet accepted or dismissed", 409)
    if outcome != "filed" and not opinion.strip():
        raise FilingError("an opinion is required unless the document is filed", 400)
    move(session, filing, outcome, reviewer, "decided", outcome=outcome)
    filing.outcome, filing.opinion = outcome, opinion.strip() or None
    if outcome == "correction_requested":
        filing.answer_due = today() + dt.timedelta(days=settings.answer_days)


def correct(
    session: Session, filing: Filing, actor: User, uploads: list[Upload], answer: str
) -> None:
    """The issuer's answer and corrected text: a new version, checked again."""
    _own(filing, actor)
    documents = [u for u in uploads if u.kind == "document"]
    if len(documents) != 1:
        raise FilingError("the corrected official text (field `document`) is required", 400)
    try:
        read_bytes(documents[0].content, documents[0].filename)
    except ReviewerError as exc:
        raise FilingError(f"document: {exc}", 422) from exc
    move(session, filing, "corrected", actor, "corrected", answer=answer.strip()[:2000])
    filing.version += 1
    for u in uploads:
        filing.materials.append(_material(u.kind, u, filing.version))
    if answer.strip():
        filing.materials.append(
            _material(
                "answer", Upload("answer", "answer.txt", answer.encode("utf-8")), filing.version
            )
        )
    filing.outcome = None
    move(session, filing, "submitted", None, "resubmitted", version=filing.version)


def _own(filing: Filing, actor: User) -> None:
    if actor.role == "submitter" and actor.organisation_id != filing.organisation_id:
        raise FilingError("no such filing", 404)
    if actor.role == "reviewer":
        raise Forbidden("reviewers do not act for the issuer")


def _holder(filing: Filing, reviewer: User) -> None:
    if reviewer.role not in ("reviewer", "admin"):
        raise Forbidden("reviewers only")
    if filing.status != "in_review":
        raise FilingError(f"the filing is {filing.status}, not in review", 409)
    if filing.claimed_by_id != reviewer.id and reviewer.role != "admin":
        raise Forbidden("claim the filing first")


def transition_error(exc: TransitionError) -> FilingError:
    return FilingError(str(exc), 409)
