"""Issue 12, "Hardening against attack, fault and abuse": what an attacker sends over HTTP, and what they get back.

Every test speaks HTTP through the Flask test client, as a browser or a script would; none calls a view or a domain
function to make its point. Each failed on the code before the fix it belongs to (see docs/security.md, "HTTP en
sessies").
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from app import create_app
from domain.models import AuditLog, Document, DocumentVersie, Inwoner, Medewerker, Poststuk, Sessie, Zaak
from tests.conftest import make_settings
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

JAN = "999990093"  # Jan Smit, Ridderkerk: a zaak with documents in the portal
GROOT = "9" * 25  # far beyond a 64-bit integer, what SQLite and PostgreSQL store an id in
CONSULENT = "wmo"


def _inloggen(client, wie: str) -> None:
    if wie == "inwoner":
        assert digid_inloggen(client, bsn=JAN).status_code == 302
    else:
        assert medewerker_inloggen(client, wie).status_code == 302


def _token(client, wie: str) -> str:
    return csrf_token(client, "/mijn-zaken" if wie == "inwoner" else "/backoffice/meldingen")


# -- 5. A 500 on very large ids ----------------------------------------------------------------------------------

def _int_regels():
    """Every (rule, method, int argument) of the app: built once at collection, for the test ids."""
    app = create_app(make_settings("sqlite://", Path(".")))
    regels = []
    for regel in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        ints = [naam for naam, conv in regel._converters.items() if isinstance(conv, IntegerConverter)]
        for methode in sorted((regel.methods or set()) - {"HEAD", "OPTIONS"}):
            for naam in ints:
                regels.append(pytest.param(regel.rule, methode, naam, id=f"{methode} {regel.rule} [{naam}]"))
    app.extensions["db_engine"].dispose()
    return regels


def _url(rule: str, groot: str) -> str:
    """The rule's path with `groot` in the argument under test and 1 in every other."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: GROOT if m.group(1) == groot else "1", rule)


@pytest.mark.parametrize("wie", ["inwoner", "teamleider"])
@pytest.mark.parametrize(("rule", "methode", "groot"), _int_regels())
def test_every_route_with_an_id_answers_a_huge_id_without_a_500(client, demo, standin, wie, rule, methode, groot):
    _inloggen(client, wie)
    token = _token(client, wie)
    r = client.open(_url(rule, groot), method=methode, headers={"X-CSRFToken": token})
    assert r.status_code != 500 and r.status_code in (302, 303, 400, 403, 404), (r.status_code, r.get_data(as_text=True)[:300])


def _urls_met_parameters():
    datum = "2026-01-01"
    return [
        ("inwoner", f"/berichten?voor={GROOT}"),
        ("inwoner", f"/berichten?voor=-{GROOT}"),
        ("administratie", f"/backoffice/berichten?voor={GROOT}"),
        ("administratie", f"/backoffice/berichten?voor=-{GROOT}"),
        ("administratie", f"/backoffice/berichten?aanbieder={GROOT}"),
        ("administratie", f"/backoffice/acties?na={GROOT}"),
        ("administratie", f"/backoffice/post?na={GROOT}"),
        (CONSULENT, f"/backoffice/meldingen?na={GROOT}"),
        (CONSULENT, f"/backoffice/meldingen?na=-{GROOT}"),
        (CONSULENT, f"/backoffice/werkvoorraad?na={datum}_{GROOT}"),
        (CONSULENT, f"/backoffice/werkvoorraad?weergave=mijn&na={datum}_{GROOT}"),
        ("teamleider", f"/backoffice/termijnen?na={datum}_{GROOT}"),
    ]


@pytest.mark.parametrize(("wie", "url"), _urls_met_parameters(), ids=[u for _, u in _urls_met_parameters()])
def test_paging_and_filter_parameters_with_a_huge_number_give_a_400(client, demo, standin, wie, url):
    _inloggen(client, wie)
    r = client.get(url)
    assert r.status_code == 400, (r.status_code, r.get_data(as_text=True)[:300])


def test_form_fields_with_huge_ids_never_give_a_500(client, demo):
    """The same numbers in a POST: the protocol's paging field, the werkvoorraad's and the post queue's checkboxes
    (with a superscript two, which str.isdigit() lets through and int() refuses)."""
    medewerker_inloggen(client, "teamleider")
    token = csrf_token(client, "/backoffice/meldingen")
    r = client.post("/backoffice/protocollering", data={"csrf_token": token, "voor": GROOT})
    assert r.status_code == 400
    pagina = client.get("/backoffice/werkvoorraad").get_data(as_text=True)
    consulent = re.search(r'<option value="(\d+)"', pagina).group(1)
    r = client.post("/backoffice/werkvoorraad", data={"csrf_token": token, "behandelaar_id": consulent,
                                                      "zaak": [GROOT, "²"]})
    assert r.status_code == 302  # nothing chosen that exists: "Kies eerst één of meer zaken."
    assert "Kies eerst" in client.get(r.headers["Location"]).get_data(as_text=True)
    client.post("/backoffice/uitloggen", data={"csrf_token": token})

    medewerker_inloggen(client, "administratie")
    token = csrf_token(client, "/backoffice/post")
    for actie in ("afdrukken", "verstuurd"):
        r = client.post(f"/backoffice/post/{actie}", data={"csrf_token": token, "stuk": [GROOT, "²"]})
        assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/post"), actie


def test_a_version_field_of_a_superscript_two_is_no_500(client, demo, standin, db):
    """Jan signs his verslag with a forged hidden 'versie': '²' passed str.isdigit() and broke int()."""
    _inloggen(client, "inwoner")
    zaken = db.scalars(select(Zaak.id).join(Inwoner).where(Inwoner.bsn == JAN)).all()
    [zaak_id] = [z for z in zaken if client.get(f"/zaken/{z}/ondertekenen").status_code == 200]
    pagina = client.get(f"/zaken/{zaak_id}/ondertekenen").get_data(as_text=True)
    sha256 = re.search(r'name="sha256"[^>]*value="([0-9a-f]{64})"', pagina).group(1)
    r = client.post(f"/zaken/{zaak_id}/ondertekenen", data={
        "csrf_token": csrf_token(client, "/mijn-zaken"), "versie": "²", "sha256": sha256, "akkoord": "y"})
    assert r.status_code in (200, 302), r.status_code


# -- 6. Personal data in caches ----------------------------------------------------------------------------------

def _document_van_jan(db) -> tuple[int, int]:
    versie = db.scalar(select(DocumentVersie).join(Document).join(Zaak).join(Inwoner)
                       .where(Inwoner.bsn == JAN, Document.zichtbaar_voor_inwoner).order_by(DocumentVersie.id))
    return versie.id, versie.document.zaak_id


@pytest.mark.parametrize("download", ["", "?download=1"], ids=["bekijken", "downloaden"])
def test_the_portal_serves_documents_with_no_store(client, demo, standin, db, download):
    versie_id, _ = _document_van_jan(db)
    _inloggen(client, "inwoner")
    r = client.get(f"/documenten/{versie_id}{download}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("download", ["", "?download=1"], ids=["bekijken", "downloaden"])
def test_the_backoffice_serves_documents_with_no_store(client, demo, db, download):
    versie_id, _ = _document_van_jan(db)
    _inloggen(client, CONSULENT)
    r = client.get(f"/backoffice/documenten/{versie_id}{download}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"


def test_the_printed_post_is_served_with_no_store(client, demo, db, settings):
    from tests.test_post import _melding

    zaak = _melding(db, settings, "999990007", "post")
    stuk = db.scalar(select(Poststuk).where(Poststuk.zaak_id == zaak.id))
    _inloggen(client, "administratie")
    r = client.post("/backoffice/post/afdrukken", data={"csrf_token": csrf_token(client, "/backoffice/post"),
                                                        "stuk": [str(stuk.id)]})
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"


def _paginas():
    return [
        ("inwoner", "GET", "/mijn-zaken"),
        ("inwoner", "GET", "/zaken/{zaak}"),
        ("inwoner", "GET", "/berichten"),
        ("inwoner", "POST", "/sessie/verleng"),  # JSON
        (CONSULENT, "GET", "/backoffice/zaken/{zaak}"),
        (CONSULENT, "GET", "/backoffice/werkvoorraad"),
        (CONSULENT, "POST", "/sessie/verleng"),
        ("teamleider", "GET", "/backoffice/termijnen"),
    ]


@pytest.mark.parametrize(("wie", "methode", "pad"), _paginas(), ids=[f"{m} {p} ({w})" for w, m, p in _paginas()])
def test_every_logged_in_response_carries_no_store(client, demo, standin, db, wie, methode, pad):
    _, zaak_id = _document_van_jan(db)
    _inloggen(client, wie)
    token = _token(client, wie)
    r = client.open(pad.format(zaak=zaak_id), method=methode, headers={"X-CSRFToken": token})
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"


def test_static_assets_stay_cacheable(client, demo):
    for url in ("/static/css/keukentafel.css", "/thema/werkorganisatie.css"):
        r = client.get(url)
        assert r.status_code == 200 and "no-store" not in r.headers.get("Cache-Control", ""), url


# -- 8. The Host header -------------------------------------------------------------------------------------------

@pytest.fixture
def settings(settings):
    """The tests' settings, with one more trusted name for this portal: a host we accept but that is not the base
    URL (a second DNS name, a load balancer's name) must not end up in an absolute URL either."""
    return dataclasses.replace(settings, trusted_hosts=("alias.localhost",))


def _post_als_host(app, client, host: str, url: str, token: str):
    """POST to `host` with this client's session cookie. The test client sends its cookies only to the host they came
    from (and overwrites a Cookie header); an attacker with a session of their own sends it wherever they like."""
    headers = {"Host": host, "Cookie": f"kt_session={client.get_cookie('kt_session').value}"}
    return app.test_client(use_cookies=False).post(url, data={"csrf_token": token}, headers=headers)


@pytest.mark.parametrize("pad", ["/", "/backoffice/inloggen", "/gezondheid"])
def test_a_forged_host_is_refused(client, demo, pad):
    r = client.get(pad, headers={"Host": "kwaad.example"})
    assert r.status_code == 400
    assert "kwaad.example" not in r.get_data(as_text=True)


def test_in_production_only_the_base_url_and_the_listed_hosts_are_answered(monkeypatch, database_url):
    from app.config import Settings

    for naam, waarde in {"KEUKENTAFEL_ENV": "production", "SECRET_KEY": "p" * 40, "DATABASE_URL": database_url,
                         "KEUKENTAFEL_BASE_URL": "https://portaal.gemeente.example",
                         "KEUKENTAFEL_TRUSTED_HOSTS": ".intern.example"}.items():
        monkeypatch.setenv(naam, waarde)
    monkeypatch.delenv("DIGID_STANDIN", raising=False)
    app = create_app(Settings.from_env())
    try:
        client = app.test_client()
        for host, status in (("portaal.gemeente.example", 200), ("lb.intern.example", 200), ("localhost", 400),
                             ("127.0.0.1", 400), ("portaal.gemeente.example.kwaad.example", 400)):
            assert client.get("/gezondheid", headers={"Host": host}).status_code == status, host
    finally:
        app.extensions["db_engine"].dispose()


def test_a_forged_forwarded_host_behind_the_proxy_is_refused(database_url, tmp_path):
    app = create_app(make_settings(database_url, tmp_path, behind_proxy=True))
    try:
        r = app.test_client().get("/backoffice/inloggen", headers={"X-Forwarded-Host": "kwaad.example"})
        assert r.status_code == 400
    finally:
        app.extensions["db_engine"].dispose()


def test_logout_with_a_forged_host_does_not_send_the_user_there(app, client, demo, standin):
    _inloggen(client, "inwoner")
    token = csrf_token(client, "/mijn-zaken")
    r = _post_als_host(app, client, "kwaad.example", "/uitloggen", token)
    assert "kwaad.example" not in unquote(r.headers.get("Location", ""))
    assert r.status_code == 400


def test_digid_login_with_a_forged_host_does_not_use_it(app, client, demo, standin):
    token = csrf_token(client, "/")
    r = _post_als_host(app, client, "kwaad.example", "/inloggen", token)
    assert "kwaad.example" not in unquote(r.headers.get("Location", ""))
    assert r.status_code == 400


def test_absolute_urls_come_from_the_base_url_even_on_a_trusted_alias(app, client, demo, standin, settings):
    """alias.localhost is trusted (see the settings fixture above) but is not the portal's address: the DigiD
    redirect_uri and the post-logout address are the configured base URL's."""
    token = csrf_token(client, "/")
    start = _post_als_host(app, client, "alias.localhost", "/inloggen", token)
    assert start.status_code == 302
    redirect_uri = parse_qs(urlsplit(start.headers["Location"]).query)["redirect_uri"][0]
    assert redirect_uri == f"{settings.base_url}/inloggen/digid"

    _inloggen(client, "inwoner")
    token = csrf_token(client, "/mijn-zaken")
    r = _post_als_host(app, client, "alias.localhost", "/uitloggen", token)
    assert r.status_code == 302
    terug = parse_qs(urlsplit(r.headers["Location"]).query)["post_logout_redirect_uri"][0]
    assert terug == f"{settings.base_url}/uitgelogd"


# -- 9. Control characters and other hosts in `volgende` ----------------------------------------------------------

@pytest.mark.parametrize("volgende", [
    "/backoffice/werkvoorraad\r\nSet-Cookie: kt_session=kwaad",
    "/backoffice/werkvoorraad\n",
    "/backoffice/werkvoorraad\x00",
    "/backoffice/werkvoorraad\t",
    "/backoffice/\\kwaad.example",
    "/backoffice\\..\\..\\kwaad.example",
    "/backoffice/ werkvoorraad",
    "//kwaad.example",
    "/\\kwaad.example",
    "\\\\kwaad.example",
    "https://kwaad.example/backoffice/",
    "/backoffice@kwaad.example",
    "/backofficekwaad",
], ids=repr)
def test_a_bad_volgende_after_a_valid_login_goes_to_the_start_page(client, demo, volgende):
    token = csrf_token(client, "/backoffice/inloggen")
    r = client.post("/backoffice/inloggen", query_string={"volgende": volgende},
                    data={"csrf_token": token, "gebruikersnaam": CONSULENT, "wachtwoord": "demo-keukentafel"})
    assert r.status_code == 302
    assert r.headers["Location"] == "/backoffice/"


def test_a_good_volgende_is_still_followed(client, demo):
    token = csrf_token(client, "/backoffice/inloggen")
    r = client.post("/backoffice/inloggen", query_string={"volgende": "/backoffice/werkvoorraad?weergave=mijn"},
                    data={"csrf_token": token, "gebruikersnaam": CONSULENT, "wachtwoord": "demo-keukentafel"})
    assert r.status_code == 302 and r.headers["Location"] == "/backoffice/werkvoorraad?weergave=mijn"


# -- 10. A GET that ends the session ------------------------------------------------------------------------------

FACES = {
    "portaal": ("inwoner", "/sessie-verlopen", "/mijn-zaken", "15 minuten niet actief"),
    "backoffice": (CONSULENT, "/backoffice/sessie-verlopen", "/backoffice/meldingen", "een tijd niet actief"),
}


@pytest.mark.parametrize("face", FACES)
def test_a_cross_site_get_of_sessie_verlopen_does_not_log_out(client, demo, standin, face):
    wie, url, pagina, _ = FACES[face]
    _inloggen(client, wie)
    r = client.get(url, headers={"Referer": "https://kwaad.example/"})
    assert r.status_code in (200, 302)
    assert client.get(pagina).status_code == 200  # still logged in


@pytest.mark.parametrize("face", FACES)
def test_sessie_verlopen_ends_the_session_only_by_post_with_csrf(client, demo, standin, db, face):
    wie, url, pagina, melding = FACES[face]
    _inloggen(client, wie)
    assert client.post(url).status_code == 400  # no CSRF token: refused, nothing ends
    assert client.get(pagina).status_code == 200
    r = client.post(url, headers={"X-CSRFToken": csrf_token(client, pagina)})
    assert r.status_code == 302
    assert client.get(pagina).status_code == 302
    assert db.scalar(select(Sessie).where(Sessie.beeindigd.is_(None))) is None
    assert melding in client.get(url, follow_redirects=True).get_data(as_text=True)


@pytest.mark.parametrize("face", FACES)
def test_sessie_verlopen_still_says_so_when_the_session_timed_out(client, demo, standin, db, face):
    import datetime as dt

    from domain.models import utcnow

    wie, url, pagina, melding = FACES[face]
    _inloggen(client, wie)
    sessie = db.scalar(select(Sessie).where(Sessie.beeindigd.is_(None)))
    sessie.laatste_activiteit = utcnow() - dt.timedelta(minutes=20)
    db.commit()
    r = client.get(url, follow_redirects=True)
    assert r.status_code == 200 and melding in r.get_data(as_text=True)
    assert client.get(pagina).status_code == 302


# -- 11. User enumeration by the lockout --------------------------------------------------------------------------

def _antwoord(r) -> tuple[int, str]:
    html = r.get_data(as_text=True)
    fout = re.search(r'id="wachtwoord-fout">(.*?)</div>', html, re.S)
    return r.status_code, re.sub(r"\s+", " ", fout.group(1)).strip() if fout else html


def test_a_blocked_account_answers_exactly_like_an_unknown_name(client, demo, db, monkeypatch):
    from argon2 import PasswordHasher

    from domain import medewerkers

    controles: list[str] = []

    class TelHasher(PasswordHasher):
        def verify(self, hash, password):  # noqa: A002 - argon2's own names
            controles.append(hash)
            return super().verify(hash, password)

    monkeypatch.setattr(medewerkers, "_hasher", TelHasher())

    def poging(naam, wachtwoord="fout"):
        controles.clear()
        r = medewerker_inloggen(client, naam, wachtwoord)
        return _antwoord(r), len(controles)

    bestaand = [poging("jeugd") for _ in range(5)]  # the fifth blocks the account
    onbekend = [poging("bestaat-niet") for _ in range(5)]
    assert bestaand == onbekend
    # Blocked: a wrong password, and even the right one, get what an unknown name gets, for the same work.
    assert poging("jeugd") == poging("bestaat-niet")
    assert poging("jeugd", "demo-keukentafel") == poging("bestaat-niet", "demo-keukentafel")
    (status, tekst), controles_ = poging("jeugd", "demo-keukentafel")
    assert status == 401 and "kennen we niet" in tekst and controles_ == 1

    # The lockout itself holds, and is in the log for the real account only.
    jeugd = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "jeugd"))
    db.refresh(jeugd)
    assert jeugd.geblokkeerd_tot is not None
    blokkades = db.scalars(select(AuditLog).where(AuditLog.handeling == "geweigerd",
                                                  AuditLog.object_type == "medewerker")).all()
    assert [b.object_id for b in blokkades] == [str(jeugd.id)]
