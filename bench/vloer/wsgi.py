"""One gunicorn for the application and its floor: `gunicorn bench.vloer.wsgi:app`; /vloer/ is the floor.

Every response carries `X-Bench-Queries`: the number of SQL statements the request ran (a sync worker handles one
request at a time, so a per-process counter is exact). The load benchmark reads it once per page."""
from sqlalchemy import event
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from app import create_app
from app.config import Settings

from . import maak_vloer

_app = create_app()
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


app = DispatcherMiddleware(_met_telling(_app), {"/vloer": maak_vloer(Settings.from_env().database_url)})
