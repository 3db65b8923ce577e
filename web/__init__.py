"""Flask web service (app factory). The filing-review queue lands with issue 5;
until then the service answers its health check and a start page."""

from __future__ import annotations

from flask import Flask


def create_app(config: dict[str, object] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})

    from .views import bp

    app.register_blueprint(bp)
    return app
