"""Background checks.

Jobs live in the database, so a filing accepted is never lost: a job is
queued in the same transaction as the filing, and a job a dead worker left
`running` is taken again once its lease expires. Two runners share this code:
an in-process thread (the default, so `make run` needs nothing else) and, when
REVIEWER_BROKER_URL is set, Celery workers on Redis (`web.celery_app`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
from collections.abc import Callable

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .config import Settings
from .filings import run_check
from .models import Filing, Job

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def pending(factory: sessionmaker[Session], job_id: int | None) -> bool:
    """Is a job (or, without an id, any job) still waiting or leased?"""
    with factory() as session:
        query = select(Job.id).where(Job.status.in_(("queued", "running")))
        if job_id is not None:
            query = query.where(Job.id == job_id)
        return session.scalar(query.limit(1)) is not None


def enqueue(session: Session, filing: Filing) -> Job:
    job = Job(filing_id=filing.id, kind="check", status="queued")
    session.add(job)
    return job


def take(session: Session, job_id: int | None = None, lease: dt.timedelta = LEASE) -> Job | None:
    """Claim one runnable job (queued, or running with an expired lease)."""
    runnable = or_(Job.status == "queued", (Job.status == "running") & (Job.lease_until < _now()))
    query = select(Job.id).where(runnable).order_by(Job.id).limit(1)
    if job_id is not None:
        query = select(Job.id).where(runnable, Job.id == job_id)
    candidate = session.scalar(query)
    if candidate is None:
        return None
    # compare-and-set, so that two workers never run the same job
    claimed = session.execute(
        update(Job)
        .where(Job.id == candidate, runnable)
        .values(status="running", lease_until=_now() + lease, attempts=Job.attempts + 1)
    )
    session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(Job, candidate)


def execute(factory: sessionmaker[Session], settings: Settings, job_id: int | None = None) -> bool:
    """Run one job; return whether there was one."""
    with factory() as session:
        job = take(session, job_id, dt.timedelta(seconds=settings.job_lease_seconds))
        if job is None:
            return False
        filing = session.get(Filing, job.filing_id)
        try:
            if settings.debug_check_delay:
                time.sleep(settings.debug_check_delay)
            if filing is not None:
                run_check(session, settings, filing)
            job.status, job.finished_at, job.error = "done", _now(), None
            session.commit()
        except Exception:
            session.rollback()
            job = session.get(Job, job.id)
            assert job is not None
            job.error = traceback.format_exc(limit=5)
            job.status = "failed" if job.attempts >= MAX_ATTEMPTS else "queued"
            job.lease_until = None
            session.commit()
            log.exception("check job %s failed (attempt %s)", job.id, job.attempts)
        return True


class InProcessWorker:
    """A daemon thread that drains the job table; `notify()` wakes it."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self.factory, self.settings = factory, settings
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="reviewer-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def notify(self, _job_id: int | None = None) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def drain(self) -> None:
        """Run every runnable job now (used by tests and `reviewer worker --once`)."""
        while execute(self.factory, self.settings):
            pass

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.drain()
            except Exception:
                log.exception("worker loop")
            self._wake.wait(timeout=2.0)
            self._wake.clear()


Notifier = Callable[[int | None], None]
