"""The web service against a fresh database: SQLite by default and, when the
machine has it, PostgreSQL on 127.0.0.1:5432 (database `test`)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from web import create_app
from web.auth import create_user, issue_token
from web.db import upgrade

from ..conftest import FIXTURES

PG_URL = os.environ.get("REVIEWER_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_available() -> bool:
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:
        return False


def _fresh_postgres() -> None:
    with create_engine(PG_URL, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


BACKENDS = ["sqlite", "postgresql"]


@dataclass
class Env:
    app: Flask
    url: str
    tokens: dict[str, str]

    @property
    def client(self) -> FlaskClient:
        return self.app.test_client()

    def api(self, method: str, path: str, user: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        return getattr(self.client, method)(f"/api/v1{path}", headers=headers, **kwargs)

    def drain(self) -> None:
        self.app.extensions["reviewer_worker"].drain()


def make_env(url: str) -> Env:
    upgrade(url)
    app = create_app(
        {"TESTING": True, "settings": {"database_url": url, "secret_key": "test"}},
        start_worker=False,
    )
    sessions = app.extensions["reviewer"].sessions
    tokens = {}
    with sessions() as s:
        for name, role, org in [
            ("admin", "admin", None),
            ("rev", "reviewer", None),
            ("rev2", "reviewer", None),
            ("sub_a", "submitter", "甲市交通委员会"),
            ("sub_b", "submitter", "乙区人民政府"),
        ]:
            tokens[name] = issue_token(s, create_user(s, name, "password-123", role, org))
        s.commit()
    return Env(app, url, tokens)


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    if request.param == "postgresql":
        if not _postgres_available():
            if os.environ.get("REVIEWER_REQUIRE_PG"):  # set by .ci/run: CI must test PostgreSQL
                pytest.fail(f"PostgreSQL is not reachable at {PG_URL}")
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
        _fresh_postgres()
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'web.db'}"
    e = make_env(url)
    yield e
    e.app.extensions["reviewer"].engine.dispose()


def materials(
    document: str = "shanghai_measures.txt", *, complete: bool = True, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {"document": (io.BytesIO((FIXTURES / document).read_bytes()), document)}
    if complete:
        for kind in ("report", "explanation", "basis"):
            data[kind] = (io.BytesIO(f"{kind} 材料".encode()), f"{kind}.txt")
    data.update(extra)
    return data
