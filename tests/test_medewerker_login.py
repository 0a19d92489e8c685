"""Staff log-in: local argon2 accounts, lock-out after repeated failures, rate limiting, safe redirects."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from domain.medewerkers import InlogGeweigerd, controleer_wachtwoord
from domain.models import AuditLog, Medewerker, utcnow
from tests.helpers import csrf_token, medewerker_inloggen


def test_consulent_logs_in_and_sees_the_werkvoorraad(client, demo):
    r = medewerker_inloggen(client, "wmo")
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/")
    html = client.get("/backoffice/", follow_redirects=True).get_data(as_text=True)
    assert "werkvoorraad" in html.lower() and "Wim van Wmo" in html


def test_password_is_stored_as_argon2(demo):
    m = demo.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    assert m.wachtwoord_hash.startswith("$argon2id$")


def test_wrong_password_gives_a_dutch_message_and_keeps_the_username(client, demo):
    r = medewerker_inloggen(client, "wmo", "fout")
    html = r.get_data(as_text=True)
    assert r.status_code == 401
    assert "gebruikersnaam en wachtwoord kennen we niet" in html
    assert 'value="wmo"' in html


def test_unknown_user_gets_the_same_message(client, demo):
    r = medewerker_inloggen(client, "bestaatniet", "fout")
    assert r.status_code == 401
    assert "gebruikersnaam en wachtwoord kennen we niet" in r.get_data(as_text=True)


def test_account_is_blocked_after_five_failures_then_free_again(demo):
    db = demo
    nu = utcnow()
    for _ in range(4):
        try:
            controleer_wachtwoord(db, "wmo", "fout", nu=nu)
        except InlogGeweigerd as e:
            assert e.reden == "wachtwoord onjuist"
    try:
        controleer_wachtwoord(db, "wmo", "fout", nu=nu)
    except InlogGeweigerd as e:
        assert "geblokkeerd" in e.melding
    # even the right password is refused while blocked
    try:
        controleer_wachtwoord(db, "wmo", "demo-keukentafel", nu=nu + dt.timedelta(minutes=5))
        raise AssertionError("blocked account let in")
    except InlogGeweigerd as e:
        assert e.reden == "geblokkeerd"
    m = controleer_wachtwoord(db, "wmo", "demo-keukentafel", nu=nu + dt.timedelta(minutes=16))
    assert m.gebruikersnaam == "wmo" and m.mislukte_pogingen == 0


def test_blocking_is_visible_over_http(client, demo):
    for _ in range(5):
        medewerker_inloggen(client, "jeugd", "fout")
    r = medewerker_inloggen(client, "jeugd")
    assert r.status_code == 401
    assert "tijdelijk geblokkeerd" in r.get_data(as_text=True)


def test_login_posts_are_rate_limited_per_address(app, demo):
    app.config["RATELIMIT_ENABLED"] = True
    from app.limiter import limiter

    limiter.reset()
    client = app.test_client()
    codes = [medewerker_inloggen(client, "minima", "fout").status_code for _ in range(12)]
    assert 429 in codes
    blocked = medewerker_inloggen(client, "minima", "fout")
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.get_data(as_text=True)
    limiter.reset()


def test_next_parameter_cannot_redirect_elsewhere(client, demo):
    token = csrf_token(client, "/backoffice/inloggen")
    r = client.post("/backoffice/inloggen?volgende=https://kwaad.example/", data={
        "csrf_token": token, "gebruikersnaam": "wmo", "wachtwoord": "demo-keukentafel"})
    assert r.headers["Location"].endswith("/backoffice/")


def test_login_and_logout_are_protocolled(client, demo, db):
    vanaf = db.scalar(select(func.max(AuditLog.id))) or 0
    medewerker_inloggen(client, "wmo")
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/werkvoorraad")})
    handelingen = [r.handeling for r in db.scalars(select(AuditLog).where(AuditLog.id > vanaf).order_by(AuditLog.id))]
    assert handelingen == ["inloggen", "uitloggen"]
    assert client.get("/backoffice/").status_code == 302


def test_an_inwoner_session_is_no_backoffice_session(client, demo, standin):
    from tests.helpers import digid_inloggen

    digid_inloggen(client, bsn="999990093")
    r = client.get("/backoffice/")
    assert r.status_code == 302 and "/backoffice/inloggen" in r.headers["Location"]


def test_medewerker_idle_timeout(client, demo, db):
    from domain.models import Sessie

    medewerker_inloggen(client, "wmo")
    sessie = db.scalar(select(Sessie).where(Sessie.soort == "medewerker"))
    sessie.laatste_activiteit = utcnow() - dt.timedelta(minutes=20)
    db.commit()
    r = client.get("/backoffice/")
    assert r.status_code == 302 and "/backoffice/inloggen" in r.headers["Location"]
