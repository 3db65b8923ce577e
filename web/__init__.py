"""The filing-review web service (issue 5): a Flask app factory with
blueprints for pages, the JSON API and authentication.

    from web import create_app
    app = create_app()                  # configuration from REVIEWER_* variables
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, g
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException

from .config import Settings, from_env
from .db import check_migrated, make_engine, session_factory

csrf = CSRFProtect()
login_manager = LoginManager()


@dataclass(slots=True)
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    notify: Any  # callable(job_id) that wakes the worker


def create_app(config: dict[str, Any] | None = None, *, start_worker: bool = True) -> Flask:
    config = dict(config or {})
    settings = from_env(config.pop("settings", None))
    engine = make_engine(settings.database_url)
    check_migrated(engine, settings.database_url)  # refuses an unmigrated database
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.upload_limit * 5 + 1024 * 1024,  # a filing has up to 5 files
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.config.update(config)
    sessions = session_factory(engine)
    services = Services(
        settings, engine, sessions, _notifier(app, settings, sessions, start_worker)
    )
    app.extensions["reviewer"] = services

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"

    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .pages import bp as pages_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        """API callers get JSON errors (413 for an oversized upload, 404, 405 …)."""
        from flask import jsonify, request

        if request.path.startswith("/api/"):
            return jsonify(error=exc.description or exc.name), exc.code or 500
        return exc

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.close()

    return app


def _notifier(app: Flask, settings: Settings, sessions: sessionmaker[Session], start: bool) -> Any:
    if settings.broker_url:

        def send(job_id: int | None) -> None:
            from .celery_app import check

            check.delay(job_id)

        return send
    from .jobs import InProcessWorker

    worker = InProcessWorker(sessions, settings)
    app.extensions["reviewer_worker"] = worker
    if start:
        worker.start()
    return worker.notify


def services() -> Services:
    from flask import current_app

    services: Services = current_app.extensions["reviewer"]
    return services


def db() -> Session:
    if "db" not in g:
        g.db = services().sessions()
    session: Session = g.db
    return session
