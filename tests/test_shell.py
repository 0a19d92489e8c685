"""The interface shell: both faces, security headers, error pages, configuration."""
from __future__ import annotations

import logging

import pytest

from app import create_app
from app.config import ConfigError, Settings
from app.requestlog import redact_bsn


def test_portal_home_shows_the_gemeenten_of_the_werkorganisatie(client, demo):
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    for naam in ("Barendrecht", "Albrandswaard", "Ridderkerk"):
        assert naam in html
    assert 'lang="nl"' in html
    assert 'href="#inhoud"' in html and 'id="inhoud"' in html  # skip link and its target
    assert "<header" in html and "<main" in html and "<footer" in html


def test_security_headers_on_every_page(client, demo):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert r.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in r.headers  # only behind https


def test_hsts_and_secure_cookie_behind_https(database_url, tmp_path):
    from tests.conftest import make_settings

    app = create_app(make_settings(database_url, tmp_path, https=True))
    r = app.test_client().get("/backoffice/inloggen")
    assert "max-age=" in r.headers["Strict-Transport-Security"]
    cookie = r.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.extensions["db_engine"].dispose()


def test_404_is_a_dutch_page_with_a_request_id(client, demo, caplog):
    r = client.get("/bestaat-niet", headers={"X-Request-ID": "hulp-12345678"})
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "Pagina niet gevonden" in html
    assert "hulp-12345678" in html
    assert r.headers["X-Request-ID"] == "hulp-12345678"


def test_backoffice_404_uses_the_backoffice_layout(client, demo):
    from tests.helpers import medewerker_inloggen

    anoniem = client.get("/backoffice/bestaat-niet")
    assert anoniem.status_code == 404 and "Backoffice sociaal domein" in anoniem.get_data(as_text=True)
    medewerker_inloggen(client, "wmo")
    r = client.get("/backoffice/bestaat-niet")
    html = r.get_data(as_text=True)
    assert r.status_code == 404
    assert "Backoffice sociaal domein" in html and "Pagina niet gevonden" in html
    portal = client.get("/bestaat-niet").get_data(as_text=True)
    assert "Mijn Zorg en Ondersteuning" in portal


def test_500_shows_no_stack_trace_and_logs_the_request_id(app, caplog):
    @app.get("/kapot")
    def kapot():
        raise RuntimeError("geheime details 999990007")

    app.config["TESTING"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.ERROR):
        r = app.test_client().get("/kapot", headers={"X-Request-ID": "fout-87654321"})
    html = r.get_data(as_text=True)
    assert r.status_code == 500
    assert "Er ging iets mis" in html
    assert "Traceback" not in html and "geheime details" not in html
    assert "fout-87654321" in html
    assert any("fout-87654321" == getattr(rec, "request_id", None) for rec in caplog.records)


def test_bsn_never_reaches_a_log_line():
    assert redact_bsn("zoek 999990007 en 123456789") == "zoek ********* en 123456789"


def test_no_bsn_in_a_traceback_and_no_forged_log_line():
    """Found by the ASVS walk (V7.1.2, V7.3.1): the filter cleaned the message but not the traceback of an
    exception, and a CR/LF from outside (?error= on the DigiD return) wrote a second, forged log line."""
    import io
    import logging

    from app.requestlog import maak_handler

    uit = io.StringIO()
    log = logging.getLogger("test.veilig")
    log.addHandler(handler := maak_handler(uit))
    log.propagate = False
    try:
        try:
            raise RuntimeError("geen inwoner met BSN 999990007")
        except RuntimeError:
            log.exception("verwerken mislukt voor %s", "999990007")
        log.warning("DigiD meldt: %s", "x\n2026-12-03 INFO [-] app: beheer ingelogd")
    finally:
        log.removeHandler(handler)
    tekst = uit.getvalue()
    assert "999990007" not in tekst and "RuntimeError: geen inwoner met BSN *********" in tekst
    assert not any(r.startswith("2026-12-03 INFO [-] app: beheer ingelogd") for r in tekst.splitlines())
    assert "DigiD meldt: x\\n2026-12-03 INFO" in tekst  # the same line, escaped


def test_faces_can_be_limited_to_the_portal(database_url, tmp_path):
    from tests.conftest import make_settings

    app = create_app(make_settings(database_url, tmp_path, faces=("portal",)))
    c = app.test_client()
    assert c.get("/").status_code == 200
    assert c.get("/backoffice/inloggen").status_code == 404
    assert not any(rule.rule.startswith("/backoffice") for rule in app.url_map.iter_rules())
    app.extensions["db_engine"].dispose()


def test_secret_key_is_required_outside_development(monkeypatch):
    monkeypatch.setenv("KEUKENTAFEL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env()
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert Settings.from_env().secret_key == "k" * 40


def test_digid_standin_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("KEUKENTAFEL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DIGID_STANDIN", "1")
    with pytest.raises(ConfigError, match="DIGID_STANDIN"):
        Settings.from_env()


def test_unknown_face_is_refused(monkeypatch):
    monkeypatch.setenv("KEUKENTAFEL_ENV", "development")
    monkeypatch.setenv("KEUKENTAFEL_FACES", "portal,kantine")
    with pytest.raises(ConfigError, match="KEUKENTAFEL_FACES"):
        Settings.from_env()


def test_gemeente_theme_uses_its_colours(client, demo):
    r = client.get("/thema/0489.css")
    assert r.status_code == 200 and r.mimetype == "text/css"
    assert "#00543c" in r.get_data(as_text=True)
    assert client.get("/thema/9999.css").status_code == 404


def test_nl_design_system_css_is_served_from_npm(client):
    r = client.get("/static/nlds/component-library.css")
    assert r.status_code == 200
    assert ".utrecht-button" in r.get_data(as_text=True)
    assert client.get("/static/nlds/package.json").status_code == 404


def test_term_names_come_from_the_term_rules():
    from app.shell import _termijn_naam

    assert _termijn_naam("bezwaartermijn") == "Bezwaartermijn"
    assert _termijn_naam("beroepstermijn") == "Beroepstermijn"
    assert _termijn_naam("wmo-onderzoek") == "Onderzoek na melding"  # registered by the Wmo definition
    assert _termijn_naam("wmo-beschikking") == "Beschikking op aanvraag (Wmo)"
    assert _termijn_naam("onbekend") == "onbekend"
