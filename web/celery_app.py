"""Celery on Redis for scale-out (REVIEWER_BROKER_URL=redis://…): the task
only carries a job id; the job itself is in the database, so a task lost with
a killed worker is redelivered (acks_late) or picked up from the table."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_ready

from .config import from_env
from .db import make_engine, session_factory
from .jobs import execute, pending

settings = from_env()
celery = Celery("reviewer", broker=settings.broker_url or "redis://127.0.0.1:6379/0")
celery.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)
_factory = session_factory(make_engine(settings.database_url))


@celery.task(name="reviewer.check", bind=True, max_retries=None)
def check(self: Any, job_id: int | None) -> bool:
    """Run the job; if another worker holds its lease (or died holding it),
    come back when the lease may have expired."""
    if execute(_factory, settings, job_id):
        return True
    if pending(_factory, job_id):
        raise self.retry(countdown=max(1, settings.job_lease_seconds // 2))
    return False


@celery.task(name="reviewer.sweep", bind=True, max_retries=60)
def sweep(self: Any) -> int:
    """Run every queued or abandoned job. Sent when a worker starts, so that
    jobs of a worker that was killed are finished even if their task message
    is gone; retried while a job is still leased."""
    n = 0
    while execute(_factory, settings):
        n += 1
    if pending(_factory, None):
        raise self.retry(countdown=max(1, settings.job_lease_seconds // 2))
    return n


@worker_ready.connect
def _sweep_on_start(**_: Any) -> None:
    sweep.apply_async()
