"""Test fixtures. The suite runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

The schema comes from the Alembic migrations (never from create_all), so every test also runs against what
production gets. SQLite: migrate once into a template file and copy it per test. PostgreSQL: migrate once, empty
every table after each test, and downgrade to nothing at the end so the database is left clean.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.config import Settings
from app.migrate import downgrade, upgrade
from domain.models import Base
from tests.helpers import MEDEWERKER_OIDC_TEST

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")


def _eigen_database(url: str) -> str:
    """With pytest-xdist (`-n 2`) every worker gets a database of its own next to the given one ("test_gw0"),
    created on first use: the workers empty their tables between tests and must not empty each other's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    from sqlalchemy.engine import make_url

    basis = make_url(url)
    eigen = basis.set(database=f"{basis.database}_{worker}")
    engine = create_engine(basis, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": eigen.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{eigen.database}"'))
    engine.dispose()
    return eigen.render_as_string(hide_password=False)


if ON_POSTGRES:
    TEST_DATABASE_URL = _eigen_database(TEST_DATABASE_URL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory):
    if ON_POSTGRES:
        engine = create_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:  # a previous run that was killed may have left tables behind
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(TEST_DATABASE_URL)
        yield TEST_DATABASE_URL
        downgrade(TEST_DATABASE_URL, "base")
        engine = create_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        engine.dispose()
    else:
        template = tmp_path_factory.mktemp("db") / "template.db"
        upgrade(f"sqlite:///{template}")
        yield template


@pytest.fixture
def database_url(_migrated, tmp_path):
    if ON_POSTGRES:
        yield _migrated
        engine = create_engine(_migrated)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            # TRUNCATE does not fire the audit_log row triggers; only tests may empty that table.
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
    else:
        path = tmp_path / "test.db"
        shutil.copy(_migrated, path)
        yield f"sqlite:///{path}"


DIGID_TEST = {
    "issuer": "",
    "client_id": "keukentafel-portaal",
    "client_secret": "standin-geheim",
    "scope": "openid",
    "bsn_claim": "bsn",
    "loa_claim": "acr",
    "min_loa": "midden",
    "loa_mapping": {},
}


def make_settings(database_url: str, tmp_path: Path, **overrides) -> Settings:
    base = dict(
        env="test",
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        base_url="http://localhost",
        https=False,
        digid=dict(DIGID_TEST),
        medewerker_oidc={"issuer": "", "client_id": "", "client_secret": "", "scope": "openid", "username_claim": "preferred_username"},
    )
    base.update(overrides)
    return Settings(**base)


@pytest.fixture
def settings(database_url, tmp_path, request):
    overrides = {}
    if "standin" in request.fixturenames:
        standin = request.getfixturevalue("standin")
        overrides["digid"] = {**DIGID_TEST, "issuer": standin.url}
    if "medewerker_idp" in request.fixturenames:
        idp = request.getfixturevalue("medewerker_idp")
        overrides["medewerker_oidc"] = {**MEDEWERKER_OIDC_TEST, "issuer": idp.url}
    if "live_port" in request.fixturenames:
        port = request.getfixturevalue("live_port")
        overrides.update(port=port, base_url=f"http://127.0.0.1:{port}")
    return make_settings(database_url, tmp_path, **overrides)


@pytest.fixture(scope="session")
def standin_key(tmp_path_factory):
    return tmp_path_factory.mktemp("digid") / "standin-key.pem"


@pytest.fixture
def live_port():
    return free_port()


@pytest.fixture
def standin(serve, standin_key, request):
    """The local DigiD stand-in on a loopback port, accepting the test client and a live server as clients."""
    from integrations.brp.local import LocalBrp
    from integrations.digid.standin import create_standin_app

    bases = ["http://localhost"]
    if "live_port" in request.fixturenames:
        bases.append(f"http://127.0.0.1:{request.getfixturevalue('live_port')}")
    port = free_port()
    clients = {
        DIGID_TEST["client_id"]: {
            "client_secret": DIGID_TEST["client_secret"],
            "redirect_uris": [f"{b}{p}" for b in bases for p in ("/inloggen/digid", "/uitgelogd")],
        },
        MEDEWERKER_OIDC_TEST["client_id"]: {
            "client_secret": MEDEWERKER_OIDC_TEST["client_secret"],
            "redirect_uris": [f"{b}/backoffice/inloggen/oidc/terug" for b in bases],
        },
    }
    standin_app = create_standin_app(f"http://127.0.0.1:{port}", clients, standin_key, LocalBrp().alle)
    return serve(standin_app, port)


@pytest.fixture
def medewerker_idp(standin):
    """The stand-in as the organisation's identity provider for the backoffice (MEDEWERKER_OIDC_*). It knows no
    staff: a test gives the ID token its `sub` and `preferred_username` with `id_token_claims`."""
    return standin


@pytest.fixture
def id_token_claims(monkeypatch):
    """Craft special ID tokens through the stand-in: ``id_token_claims(change)`` makes every ID token the stand-in
    issues from now on pass through ``change(claims, client_id)`` (which edits the dict in place) before it is
    signed with the stand-in's own key, so the token is genuine in every way except what the test changed.
    ``id_token_claims.clear()`` drops the changes again."""
    from joserfc import jwt

    from integrations.digid.standin import tokens

    class Wijzigingen(list):
        __call__ = list.append

    wijzigingen = Wijzigingen()
    origineel = tokens._id_token_for

    def _id_token_for(provider, grant, client_id, access_token):
        token = origineel(provider, grant, client_id, access_token)
        if not wijzigingen:
            return token
        ondertekend = jwt.decode(token, provider.key, algorithms=["RS256"])
        claims = dict(ondertekend.claims)
        for wijzig in wijzigingen:
            wijzig(claims, client_id)
        return jwt.encode(dict(ondertekend.header), claims, provider.key, algorithms=["RS256"])

    monkeypatch.setattr(tokens, "_id_token_for", _id_token_for)
    return wijzigingen


@pytest.fixture
def app(settings):
    app = create_app(settings)
    app.config["TESTING"] = True
    app.config["RATELIMIT_ENABLED"] = False
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def db(app):
    """A session of the test's own, outside any app context: requests of the test client must get their own
    app context (and so their own `g`), as in production."""
    session = app.extensions["db_sessionmaker"]()
    yield session
    session.close()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory, _migrated):
    """The demo (with its zaken, PDFs and all) is built once per run. SQLite tests copy the file; PostgreSQL
    tests re-insert the rows kept here (a few ms instead of seconds of hashing and PDF rendering)."""
    from app.diensten import diensten_uit
    from domain.demo import laad_demo

    if ON_POSTGRES:
        app = create_app(make_settings(_migrated, tmp_path_factory.getbasetemp()))
        session = app.extensions["db_sessionmaker"]()
        laad_demo(session, diensten=diensten_uit(app.config["SETTINGS"]))
        session.close()
        engine = app.extensions["db_engine"]
        with engine.connect() as conn:
            # In key order: a row may point at an earlier row of its own table (bericht.heenbericht_id), and PostgreSQL
            # checks that foreign key per row while the rows go back in (physical order changes with every UPDATE).
            rijen = {t.name: [dict(r) for r in conn.execute(t.select().order_by(*t.primary_key.columns)).mappings()]
                     for t in Base.metadata.sorted_tables}
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(t.name for t in Base.metadata.sorted_tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return rijen

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(_migrated, path)
    app = create_app(make_settings(f"sqlite:///{path}", path.parent))
    session = app.extensions["db_sessionmaker"]()
    laad_demo(session, diensten=diensten_uit(app.config["SETTINGS"]))
    session.close()
    app.extensions["db_engine"].dispose()
    return path


def _herstel_rijen(engine, rijen: dict) -> None:
    with engine.begin() as conn:
        for tabel in Base.metadata.sorted_tables:
            if rijen.get(tabel.name):
                conn.execute(tabel.insert(), rijen[tabel.name])
                if "id" in tabel.c and tabel.c.id.autoincrement:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{tabel.name}', 'id'), "
                                      f"(SELECT max(id) FROM {tabel.name}))"))


@pytest.fixture
def demo(db, settings, _demo_template):
    if ON_POSTGRES:
        _herstel_rijen(db.get_bind(), _demo_template)
        return db
    if _demo_template is not None:
        # Replace this test's empty database file with the prepared demo database.
        db.close()
        db.get_bind().dispose()
        target = Path(settings.database_url.split("///", 1)[1])
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copy(_demo_template, target)
    return db


@pytest.fixture
def client(app):
    return app.test_client()


class LiveServer:
    def __init__(self, app, port: int):
        from werkzeug.serving import make_server

        self.url = f"http://127.0.0.1:{port}"
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def serve():
    """Start WSGI apps on loopback ports for the duration of a test: serve(app, port) -> LiveServer."""
    servers: list[LiveServer] = []

    def _serve(wsgi_app, port: int | None = None) -> LiveServer:
        server = LiveServer(wsgi_app, port or free_port()).start()
        servers.append(server)
        return server

    yield _serve
    for server in servers:
        server.stop()


@pytest.fixture
def diensten(settings):
    """The services effects need (PDF rendering, portal URL), as the app builds them."""
    from app.diensten import diensten_uit

    return diensten_uit(settings)


@pytest.fixture
def kind_zaak(app, demo):
    """Gezag (tests/gezag.py): the Wmo zaak of Noor Koster (10) with the verslag ready for signing, which her mother
    Esther signs for her. Returns the zaak id."""
    from app.diensten import diensten_uit
    from tests.gezag import zaak_van_kind

    db = app.extensions["db_sessionmaker"]()
    try:
        return zaak_van_kind(db, diensten_uit(app.config["SETTINGS"])).id
    finally:
        db.close()
