"""Staff log-in: local argon2 accounts, lock-out after repeated failures, rate limiting, safe redirects."""
from __future__ import annotations

import datetime as dt

import pytest
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


# Issue 12: an account linked to the identity provider accepts only its own subject. The first link happens only
# for an account without one and is protocolled; changing a link is `keukentafel medewerker koppel/ontkoppel`.

def _beheer(db) -> Medewerker:
    db.expire_all()
    return db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "beheer"))


def _koppel(db, gebruikersnaam: str, subject: str) -> None:
    m = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
    m.oidc_subject = subject
    db.commit()


def _protocol_na(db, vanaf: int) -> list[AuditLog]:
    return list(db.scalars(select(AuditLog).where(AuditLog.id > vanaf).order_by(AuditLog.id)))


def _laatste_id(db) -> int:
    return db.scalar(select(func.max(AuditLog.id))) or 0


def test_a_linked_account_refuses_another_subject_with_its_user_name(client, demo, db, medewerker_idp,
                                                                     id_token_claims, caplog):
    """The finding: beheer is linked to subject Y; a token for subject X that says preferred_username=beheer
    must not log in as beheer. The refusal is clear, logged and protocolled, without the subjects or the name."""
    from tests.helpers import als_medewerker, medewerker_oidc_inloggen

    _koppel(db, "beheer", "idp-subject-y")
    vanaf = _laatste_id(db)
    id_token_claims(als_medewerker("idp-subject-x", "beheer"))
    caplog.set_level("INFO")
    r = medewerker_oidc_inloggen(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/inloggen")
    html = client.get("/backoffice/inloggen").get_data(as_text=True)
    assert "hoort niet bij het account" in html
    assert client.get("/backoffice/meldingen").status_code == 302  # not logged in
    assert _beheer(db).oidc_subject == "idp-subject-y"  # the link is untouched
    [regel] = [r for r in _protocol_na(db, vanaf) if r.handeling != "lezen"]
    assert (regel.handeling, regel.object_type, regel.object_id) == ("geweigerd", "medewerker", str(_beheer(db).id))
    assert regel.actor_type == "systeem"
    for geheim in ("idp-subject-x", "idp-subject-y", "beheer"):
        assert geheim not in regel.omschrijving and geheim not in regel.actor_naam
        assert geheim not in caplog.text
    assert "ander organisatie-account" in caplog.text


def test_the_first_link_is_made_only_for_an_account_without_one_and_is_protocolled(client, demo, db,
                                                                                    medewerker_idp, id_token_claims):
    from tests.helpers import als_medewerker, medewerker_oidc_inloggen

    assert _beheer(db).oidc_subject is None
    vanaf = _laatste_id(db)
    id_token_claims(als_medewerker("idp-beheer", "beheer"))
    r = medewerker_oidc_inloggen(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/")
    assert client.get("/backoffice/meldingen").status_code == 200
    assert _beheer(db).oidc_subject == "idp-beheer"
    regels = _protocol_na(db, vanaf)
    koppeling = [r for r in regels if r.object_type == "medewerker"]
    assert [(r.handeling, r.object_id, r.actor_id) for r in koppeling] == [
        ("wijzigen", str(_beheer(db).id), _beheer(db).id)]
    assert "idp-beheer" not in koppeling[0].omschrijving
    assert "inloggen" in [r.handeling for r in regels]


def test_the_linked_subject_logs_in_whatever_user_name_it_carries(client, demo, db, medewerker_idp,
                                                                  id_token_claims):
    from tests.helpers import als_medewerker, medewerker_oidc_inloggen

    _koppel(db, "beheer", "idp-beheer")
    id_token_claims(als_medewerker("idp-beheer", "toetser"))
    r = medewerker_oidc_inloggen(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/")
    assert "Bea Beheer" in client.get("/backoffice/", follow_redirects=True).get_data(as_text=True)
    toetser = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "toetser"))
    assert toetser.oidc_subject is None


def test_an_inactive_account_is_not_linked(client, demo, db, medewerker_idp, id_token_claims):
    from tests.helpers import als_medewerker, medewerker_oidc_inloggen

    m = _beheer(db)
    m.actief = False
    db.commit()
    id_token_claims(als_medewerker("idp-beheer", "beheer"))
    r = medewerker_oidc_inloggen(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/inloggen")
    assert _beheer(db).oidc_subject is None


@pytest.fixture
def cli_env(settings, monkeypatch):
    monkeypatch.setenv("KEUKENTAFEL_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)


def test_unlinking_on_the_command_line_is_protocolled_and_lets_the_next_log_in_link(
        client, demo, db, medewerker_idp, id_token_claims, cli_env, capsys):
    """A medewerker got a new account at the identity provider: beheer unlinks the old one with the CLI; the next
    log-in with the user name links the new subject (itself protocolled as a first link)."""
    from app.cli import main
    from tests.helpers import als_medewerker, medewerker_oidc_inloggen

    _koppel(db, "beheer", "idp-oud")
    vanaf = _laatste_id(db)
    assert main(["medewerker", "ontkoppel", "beheer", "--reden", "nieuw account bij de IdP (melding 4711)"]) == 0
    assert "opgeheven" in capsys.readouterr().out
    assert _beheer(db).oidc_subject is None
    [regel] = _protocol_na(db, vanaf)
    assert (regel.handeling, regel.object_type, regel.object_id) == ("wijzigen", "medewerker", str(_beheer(db).id))
    assert regel.actor_type == "systeem" and "opdrachtregel" in regel.actor_naam.lower()
    assert "melding 4711" in regel.omschrijving and "idp-oud" not in regel.omschrijving
    id_token_claims(als_medewerker("idp-nieuw", "beheer"))
    assert medewerker_oidc_inloggen(client).headers["Location"].endswith("/backoffice/")
    assert _beheer(db).oidc_subject == "idp-nieuw"


def test_linking_a_subject_on_the_command_line(client, demo, db, medewerker_idp, id_token_claims, cli_env,
                                               capsys):
    """Without a window in which any account with the user name could link itself: the new subject is set
    directly, protocolled; the old subject no longer gets in."""
    from app.cli import main
    from tests.helpers import als_medewerker, medewerker_oidc_inloggen

    _koppel(db, "beheer", "idp-oud")
    _koppel(db, "toetser", "idp-toetser")
    vanaf = _laatste_id(db)
    assert main(["medewerker", "koppel", "beheer", "--subject", "idp-nieuw", "--reden", "nieuw account"]) == 0
    assert _beheer(db).oidc_subject == "idp-nieuw"
    assert [(r.handeling, r.object_type) for r in _protocol_na(db, vanaf)] == [("wijzigen", "medewerker")]
    # A subject that already belongs to another account is not moved silently.
    assert main(["medewerker", "koppel", "beheer", "--subject", "idp-toetser", "--reden", "x"]) == 2
    assert "al gekoppeld" in capsys.readouterr().err
    assert _beheer(db).oidc_subject == "idp-nieuw"
    assert main(["medewerker", "koppel", "bestaat-niet", "--subject", "idp-z", "--reden", "x"]) == 2
    id_token_claims(als_medewerker("idp-oud", "beheer"))
    assert medewerker_oidc_inloggen(client).headers["Location"].endswith("/backoffice/inloggen")
