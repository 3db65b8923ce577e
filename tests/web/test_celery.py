"""Celery workers on the machine's Redis: filings are checked by a real worker
process, and a worker killed in the middle of a check loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from web import create_app
from web.models import Filing, Job

from ..conftest import ROOT
from .conftest import Env, make_env, materials

REDIS_URL = os.environ.get("REVIEWER_TEST_REDIS", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def broker_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    if not _redis_up():
        if os.environ.get("REVIEWER_REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip("Redis is not reachable")
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = f"sqlite:///{tmp_path / 'celery.db'}"
    monkeypatch.setenv("REVIEWER_DATABASE_URL", url)
    monkeypatch.setenv("REVIEWER_BROKER_URL", REDIS_URL)
    monkeypatch.setenv("REVIEWER_SECRET_KEY", "test")
    sys.modules.pop("web.celery_app", None)  # read the broker settings afresh
    env = make_env(url)
    env.app = create_app({"TESTING": True}, start_worker=False)
    yield env
    sys.modules.pop("web.celery_app", None)


def _worker(extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    environ = {**os.environ, **extra_env}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "web.celery_app:celery", "worker",
         "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait(predicate, timeout: float = 90.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def _status(env: Env, fid: int) -> str:
    with env.app.extensions["reviewer"].sessions() as s:
        return s.get(Filing, fid).status  # type: ignore[union-attr]


def _job(env: Env, fid: int) -> Job:
    with env.app.extensions["reviewer"].sessions() as s:
        job = s.scalar(select(Job).where(Job.filing_id == fid).order_by(Job.id.desc()))
        assert job is not None
        return job


def test_a_real_celery_worker_checks_filings(broker_env: Env) -> None:
    worker = _worker({})
    try:
        fid = broker_env.api("post", "/filings", "sub_a", data=materials()).json["id"]
        assert _wait(lambda: _status(broker_env, fid) == "prechecked"), worker.stderr
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_a_worker_killed_mid_check_loses_nothing(broker_env: Env) -> None:
    slow = _worker({"REVIEWER_DEBUG_CHECK_DELAY": "60", "REVIEWER_JOB_LEASE": "4"})
    try:
        fid = broker_env.api("post", "/filings", "sub_a", data=materials()).json["id"]
        assert _wait(lambda: _job(broker_env, fid).status == "running"), (
            "the first worker never started"
        )
        slow.send_signal(signal.SIGKILL)  # killed in the middle of the check
        slow.wait(timeout=30)
    finally:
        if slow.poll() is None:
            slow.kill()
    assert _status(broker_env, fid) == "submitted"
    rescue = _worker({"REVIEWER_JOB_LEASE": "4"})
    try:
        assert _wait(lambda: _status(broker_env, fid) == "prechecked"), "the job was lost"
        job = _job(broker_env, fid)
        assert job.status == "done" and job.attempts == 2
    finally:
        rescue.terminate()
        rescue.wait(timeout=30)
