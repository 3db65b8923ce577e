"""Celery on Redis for scale-out (REVIEWER_BROKER_URL=redis://…): the task
only carries a job id; the job itself is in the database, so a task lost with
a killed worker is redelivered (acks_late) or picked up from the table."""

from __future__ import annotations

from celery import Celery

from .config import from_env
from .db import make_engine, session_factory
from .jobs import execute

settings = from_env()
celery = Celery("reviewer", broker=settings.broker_url or "redis://127.0.0.1:6379/0")
celery.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
)
_factory = session_factory(make_engine(settings.database_url))


@celery.task(name="reviewer.check", bind=True, max_retries=3, default_retry_delay=2)
def check(self: object, job_id: int) -> bool:
    return execute(_factory, settings, job_id)


@celery.task(name="reviewer.sweep")
def sweep() -> int:
    """Run every queued or abandoned job (scheduled by `reviewer worker`)."""
    n = 0
    while execute(_factory, settings):
        n += 1
    return n
