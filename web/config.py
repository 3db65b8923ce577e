"""Configuration from the environment (GUIDE §3.6), with embedded defaults so
that `make run` needs nothing else."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    broker_url: str | None
    secret_key: str
    upload_limit: int
    # policy parameters of the filing procedure (GUIDE §3.6)
    filing_days: int = 30  # file within 30 days of publication
    completeness_working_days: int = 5
    review_working_days: int = 20
    answer_days: int = 60  # the issuer answers an opinion within two months
    job_lease_seconds: int = 300  # a job a worker holds longer than this is taken again
    debug_check_delay: float = 0.0  # fault injection in tests: sleep before each check
    extra: dict[str, Any] = field(default_factory=dict)


def from_env(overrides: dict[str, Any] | None = None) -> Settings:
    env = os.environ
    default_db = f"sqlite:///{ROOT / 'var' / 'reviewer.db'}"
    values: dict[str, Any] = {
        "database_url": env.get("REVIEWER_DATABASE_URL", default_db),
        "broker_url": env.get("REVIEWER_BROKER_URL") or None,
        "secret_key": env.get("REVIEWER_SECRET_KEY") or _local_secret(),
        "upload_limit": int(env.get("REVIEWER_UPLOAD_LIMIT", str(20 * 1024 * 1024))),
        "job_lease_seconds": int(env.get("REVIEWER_JOB_LEASE", "300")),
        "debug_check_delay": float(env.get("REVIEWER_DEBUG_CHECK_DELAY", "0")),
    }
    values.update(overrides or {})
    return Settings(**values)


def _local_secret() -> str:
    """A secret kept in var/ so that sessions survive restarts of `make run`."""
    path = ROOT / "var" / "secret_key"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
