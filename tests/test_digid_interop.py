"""Interop: the portal logs in against an OIDC provider nobody here wrote (PyPI `oidc-provider-mock`),
configured only through the DIGID_OIDC_* environment variables."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import User, run_server_in_thread

from app import create_app
from app.config import Settings
from tests.helpers import csrf_token

MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"


@pytest.fixture
def mock_provider():
    users = [
        User(sub="jan", claims={"bsn": "999990093", "acr": MIDDEN}),
        User(sub="broker-stijl", claims={"nl": {"bsn": "s00000000:999990007"}, "loa": "substantieel"}),
        User(sub="zonder-bsn", claims={"acr": MIDDEN}),
    ]
    with run_server_in_thread(user_claims=users, require_nonce=True) as server:
        host, port = server.server_address[:2]
        yield f"http://127.0.0.1:{port}"


def _app(monkeypatch, database_url, issuer, **env):
    monkeypatch.setenv("KEUKENTAFEL_ENV", "test")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DIGID_OIDC_ISSUER", issuer)
    monkeypatch.setenv("DIGID_OIDC_CLIENT_ID", "gemeente-portaal")
    monkeypatch.setenv("DIGID_OIDC_CLIENT_SECRET", "geheim")
    monkeypatch.delenv("DIGID_STANDIN", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = create_app(Settings.from_env())
    app.config["RATELIMIT_ENABLED"] = False
    return app


def _login(client, sub: str):
    start = client.post("/inloggen", data={"csrf_token": csrf_token(client, "/")})
    assert start.status_code == 302
    authorize_url = start.headers["Location"]
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    provider = requests.Session()
    assert provider.get(authorize_url, timeout=10).status_code == 200
    back = provider.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:300]
    parts = urlsplit(back.headers["Location"])
    return client.get(f"{parts.path}?{parts.query}")


def test_login_against_an_independent_provider(monkeypatch, database_url, mock_provider):
    app = _app(monkeypatch, database_url, mock_provider)
    from domain.demo import laad_demo

    with app.app_context():
        from app.db import get_session

        laad_demo(get_session())
    client = app.test_client()
    r = _login(client, "jan")
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    html = client.get("/mijn-zaken").get_data(as_text=True)
    assert "Jan Smit" in html
    # log-out goes through the provider's end_session endpoint
    out = client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})
    assert out.headers["Location"].startswith(mock_provider + "/oauth2/end_session")
    app.extensions["db_engine"].dispose()


def test_broker_style_claims_through_configuration(monkeypatch, database_url, mock_provider):
    """A broker that nests the BSN with a sector prefix and sends its own level names."""
    app = _app(
        monkeypatch, database_url, mock_provider,
        DIGID_BSN_CLAIM="nl.bsn", DIGID_LOA_CLAIM="loa", DIGID_LOA_MAPPING='{"substantieel": "substantieel"}',
        DIGID_MIN_LOA="substantieel",
    )
    from domain.demo import laad_demo

    with app.app_context():
        from app.db import get_session

        laad_demo(get_session())
    client = app.test_client()
    assert _login(client, "broker-stijl").status_code == 302
    assert "Johanna Maria Jansen" in client.get("/mijn-zaken").get_data(as_text=True)
    app.extensions["db_engine"].dispose()


def test_missing_bsn_claim_is_refused_with_a_message(monkeypatch, database_url, mock_provider):
    app = _app(monkeypatch, database_url, mock_provider)
    client = app.test_client()
    r = _login(client, "zonder-bsn")
    assert r.status_code == 400
    assert "burgerservicenummer" in r.get_data(as_text=True)
    app.extensions["db_engine"].dispose()


def test_medewerker_logs_in_through_the_organisations_identity_provider(monkeypatch, database_url, mock_provider):
    """MEDEWERKER_OIDC_*: the first log-in links the provider's subject to the account by user name."""
    monkeypatch.setenv("MEDEWERKER_OIDC_ISSUER", mock_provider)
    monkeypatch.setenv("MEDEWERKER_OIDC_CLIENT_ID", "backoffice")
    monkeypatch.setenv("MEDEWERKER_OIDC_CLIENT_SECRET", "geheim")
    app = _app(monkeypatch, database_url, mock_provider)
    from sqlalchemy import select

    from app.db import get_session
    from domain.demo import laad_demo
    from domain.models import Medewerker

    with app.app_context():
        laad_demo(get_session())
    client = app.test_client()
    page = client.get("/backoffice/inloggen").get_data(as_text=True)
    assert "Inloggen met uw organisatie-account" in page
    start = client.post("/backoffice/inloggen/oidc", data={"csrf_token": csrf_token(client, "/backoffice/inloggen")})
    authorize_url = start.headers["Location"]
    provider = requests.Session()
    provider.put(f"{mock_provider}/users/idp-123", json={"preferred_username": "toetser"}, timeout=10)
    back = provider.post(authorize_url, data={"sub": "idp-123"}, allow_redirects=False, timeout=10)
    parts = urlsplit(back.headers["Location"])
    r = client.get(f"{parts.path}?{parts.query}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/")
    assert "Tom Toetser" in client.get("/backoffice/", follow_redirects=True).get_data(as_text=True)
    with app.app_context():
        m = get_session().scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "toetser"))
        assert m.oidc_subject == "idp-123"
    app.extensions["db_engine"].dispose()


def test_unknown_medewerker_at_the_identity_provider_gets_no_access(monkeypatch, database_url, mock_provider):
    monkeypatch.setenv("MEDEWERKER_OIDC_ISSUER", mock_provider)
    monkeypatch.setenv("MEDEWERKER_OIDC_CLIENT_ID", "backoffice")
    monkeypatch.setenv("MEDEWERKER_OIDC_CLIENT_SECRET", "geheim")
    app = _app(monkeypatch, database_url, mock_provider)
    client = app.test_client()
    start = client.post("/backoffice/inloggen/oidc", data={"csrf_token": csrf_token(client, "/backoffice/inloggen")})
    provider = requests.Session()
    back = provider.post(start.headers["Location"], data={"sub": "onbekend"}, allow_redirects=False, timeout=10)
    parts = urlsplit(back.headers["Location"])
    r = client.get(f"{parts.path}?{parts.query}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/inloggen")
    assert "nog geen toegang" in client.get("/backoffice/inloggen").get_data(as_text=True)
    app.extensions["db_engine"].dispose()
