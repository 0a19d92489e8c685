"""One gunicorn for the application and its floor: `gunicorn bench.vloer.wsgi:app`; /vloer/ is the floor.

Every response carries `X-Bench-Queries`: the number of SQL statements the request ran (a sync worker handles one
request at a time, so a per-process counter is exact). The load benchmark reads it once per page."""
from sqlalchemy import event
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from app import create_app
from app.config import Settings

from . import maak_vloer

_app = create_app()
_vloer = maak_vloer(Settings.from_env().database_url)
_teller = {"n": 0}


@event.listens_for(_app.extensions["db_engine"], "before_cursor_execute")
def _tel(*_args, **_kw):
    _teller["n"] += 1


def _met_telling(wsgi_app):
    def app(environ, start_response):
        _teller["n"] = 0

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Bench-Queries", str(_teller["n"]))], exc_info)

        return wsgi_app(environ, start)

    return app


@_app.get("/bench/plichten")
def plichten():
    """The floor with what every page with personal data must do before it may answer, and nothing else: the
    server-side session checked (Flask-Login through app.auth: the Sessie by its token hash, idle timeout), the
    request through the app's own hooks (CSRF token, security headers, the request id), the read in the protocol
    with its commit, and the floor's own layout rendered. Its ratio to the floor is the least any such page costs."""
    from flask_login import current_user

    from app.db import get_session
    from domain.protocol import Handeling, protocolleer

    if not (current_user.is_authenticated and current_user.is_inwoner and current_user.inwoner):
        return _app.login_manager.unauthorized()
    db = get_session()
    actor = current_user.actor()
    protocolleer(db, actor, handeling=Handeling.LEZEN, object_type="zaken", omschrijving="Benchmark: vloer met plichten",
                 doel="Benchmark", inwoner_id=actor.inwoner_id)
    db.commit()
    return _vloer.extensions["vloer_pagina"]()


app = DispatcherMiddleware(_met_telling(_app), {"/vloer": _vloer})
