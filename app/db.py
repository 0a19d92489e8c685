"""Database engine and the per-request session. The domain receives a Session; it never imports Flask."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    # pool_pre_ping: after a database restart (or a dropped connection) the next checkout reconnects instead of
    # failing the request or sweep that happens to get the dead connection.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         connect_args=_postgres_lease(url))


# How long a connection may sit idle inside a transaction before PostgreSQL ends it. The outbox sweeps claim rows
# with FOR UPDATE SKIP LOCKED and hold the lock while they send (SMTP timeout 30 s); a worker that dies releases
# them at once, but one that hangs (frozen VM, SIGSTOP, a network partition with the socket still open) would keep
# them locked for hours. This is the lease of a claim: after it the server rolls that transaction back and another
# sweep can take the rows.
CLAIM_LEASE_MS = 5 * 60 * 1000


def _postgres_lease(url: str) -> dict:
    """libpq `options` setting idle_in_transaction_session_timeout, unless DATABASE_URL sets it itself."""
    eigen = make_url(url).query.get("options", "")
    if isinstance(eigen, tuple):
        eigen = " ".join(eigen)
    if "idle_in_transaction_session_timeout" in eigen:
        return {}
    return {"options": f"{eigen} -c idle_in_transaction_session_timeout={CLAIM_LEASE_MS}".strip()}


def init_app(app: Flask, url: str) -> None:
    engine = make_engine(url)
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(exc):
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()


def get_session() -> Session:
    """The session of this request (or app context), made on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def get_engine() -> Engine:
    return current_app.extensions["db_engine"]
