"""Login (pages), bearer tokens (API), password hashing and user administration."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from . import db, login_manager
from .i18n import t
from .models import Organisation, User

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
ROLES = ("admin", "reviewer", "submitter")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    org: str | None = None,
    display: str = "",
) -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise ValueError("the password needs at least 8 characters")
    if session.scalar(select(User).where(User.username == username)):
        raise ValueError(f"user {username} exists")
    organisation = None
    if org:
        organisation = session.scalar(select(Organisation).where(Organisation.name == org))
        if organisation is None:
            organisation = Organisation(
                name=org, kind="district" if "区" in org or "District" in org else "department"
            )
            session.add(organisation)
    if role == "submitter" and organisation is None:
        raise ValueError("a submitter belongs to an organisation (--org)")
    user = User(
        username=username,
        display_name=display or username,
        password_hash=generate_password_hash(password),  # scrypt, salted (werkzeug default)
        role=role,
        organisation=organisation,
    )
    session.add(user)
    session.flush()
    return user


def issue_token(session: Session, user: User) -> str:
    """A new API token; only its hash is stored, so it is shown once."""
    token = secrets.token_urlsafe(32)
    user.api_token_hash = hash_token(token)
    session.flush()
    return token


@login_manager.user_loader
def _load(user_id: str) -> User | None:
    user = db().get(User, int(user_id))
    return user if user and user.active else None


def token_user() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = header[len("Bearer ") :].strip()
    user = db().scalar(select(User).where(User.api_token_hash == hash_token(token)))
    return user if user and user.active else None


def roles_required(*roles: str) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        user = db().scalar(select(User).where(User.username == username))
        if user and user.active and check_password_hash(user.password_hash, password):
            login_user(user)
            target = request.args.get("next", "")
            return redirect(
                target
                if target.startswith("/") and not target.startswith("//")
                else url_for("pages.queue")
            )
        flash(t("login_failed"), "error")
    return render_template("login.html")


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    return redirect(url_for("auth.login"))
