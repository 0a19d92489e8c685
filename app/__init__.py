"""The Flask application: create_app() wires configuration, database, security and the two faces."""
from __future__ import annotations

import logging

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import db, errors, security, shell
from . import requestlog
from .config import ROOT, Settings
from .parameters import BegrensdIdConverter

csrf = CSRFProtect()
log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    # Every <int:...> in every route is an id from 1 up to 2^63-1: a larger number is a 404, never an overflow.
    app.url_map.converters["int"] = BegrensdIdConverter
    app.config["SETTINGS"] = settings
    app.config["SECRET_KEY"] = settings.secret_key
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session, which times out itself
    if settings.behind_proxy:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    requestlog.init_app(app)
    db.init_app(app, settings.database_url)
    security.init_app(app)
    csrf.init_app(app)
    shell.init_app(app)
    errors.init_app(app)

    from . import auth
    from .limiter import limiter

    auth.init_app(app)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)

    if "portal" in settings.faces:
        from portal import bp as portal_bp

        app.register_blueprint(portal_bp)
    if "backoffice" in settings.faces:
        from backoffice import bp as backoffice_bp

        app.register_blueprint(backoffice_bp, url_prefix="/backoffice")
    return app
