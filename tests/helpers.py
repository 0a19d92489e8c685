"""Helpers for tests that act as a user over HTTP: CSRF tokens, DigiD log-in, medewerker log-in."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import requests

DEMO_WACHTWOORD = "demo-keukentafel"

# The backoffice's identity provider in tests (fixture `medewerker_idp`): the DigiD stand-in, with a client of its own.
MEDEWERKER_OIDC_TEST = {
    "issuer": "",
    "client_id": "keukentafel-backoffice",
    "client_secret": "standin-geheim-backoffice",
    "scope": "openid",
    "username_claim": "preferred_username",
}


def csrf_token(client, url: str = "/") -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, f"no csrf token on {url}"
    return match.group(1)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value") or ""


def digid_bij_provider(authorize_url: str, bsn: str | None, niveau: str = "midden", actie: str = "inloggen",
                       ander_bsn: str = "") -> str:
    """Play the inwoner at the DigiD stand-in: pick a person and level. Returns the redirect back."""
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    parser = _FormParser()
    parser.feed(page.text)
    form = dict(parser.hidden)
    form.update(niveau=niveau, actie=actie, ander_bsn=ander_bsn)
    if bsn:
        form["persoon"] = bsn
    action = urlsplit(authorize_url)
    response = browser.post(f"{action.scheme}://{action.netloc}/authorize", data=form, allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303), response.text[:500]
    return response.headers["Location"]


def digid_inloggen(client, bsn: str | None = "999990093", niveau: str = "midden", actie: str = "inloggen",
                   ander_bsn: str = ""):
    """Log in through the portal and the stand-in; returns the portal's response to the callback."""
    token = csrf_token(client, "/")
    start = client.post("/inloggen", data={"csrf_token": token})
    assert start.status_code == 302, start.get_data(as_text=True)[:500]
    terug = digid_bij_provider(start.headers["Location"], bsn, niveau, actie, ander_bsn)
    parts = urlsplit(terug)
    return client.get(f"{parts.path}?{parts.query}")


def medewerker_inloggen(client, gebruikersnaam: str, wachtwoord: str = DEMO_WACHTWOORD):
    token = csrf_token(client, "/backoffice/inloggen")
    return client.post(
        "/backoffice/inloggen",
        data={"csrf_token": token, "gebruikersnaam": gebruikersnaam, "wachtwoord": wachtwoord},
    )


def als_medewerker(sub: str, gebruikersnaam: str | None):
    """A change for `id_token_claims`: the backoffice's ID tokens carry this subject and user name, as the
    organisation's identity provider would send them (the stand-in itself knows no staff)."""

    def wijzig(claims: dict, client_id: str) -> None:
        if client_id == MEDEWERKER_OIDC_TEST["client_id"]:
            claims["sub"] = sub
            if gebruikersnaam is None:
                claims.pop("preferred_username", None)
            else:
                claims["preferred_username"] = gebruikersnaam

    return wijzig


def medewerker_oidc_inloggen(client, actie: str = "inloggen"):
    """Log in to the backoffice through its identity provider (the stand-in, fixture `medewerker_idp`); returns
    the backoffice's response to the callback."""
    start = client.post("/backoffice/inloggen/oidc", data={"csrf_token": csrf_token(client, "/backoffice/inloggen")})
    assert start.status_code == 302, start.get_data(as_text=True)[:500]
    terug = digid_bij_provider(start.headers["Location"], "999990093", actie=actie)
    parts = urlsplit(terug)
    return client.get(f"{parts.path}?{parts.query}")


def afspraak_gehouden(db, actor, zaak, diensten, nu=None):
    """Record that the zaak's planned gesprek (huisbezoek, hoorzitting) took place: the step before the verslag
    (or, for a bezwaar, before deciding)."""
    import datetime as dt

    from domain.afspraken import vastleggen_codes
    from domain.processes import zaaktype_van
    from domain.tijd import datum_van
    from domain.workflow import voer_uit

    code = min(vastleggen_codes(zaaktype_van(zaak.zaaktype)))
    moment = nu or dt.datetime.now(dt.UTC)
    return voer_uit(db, actor, zaak, code, verwachte_versie=None, diensten=diensten, nu=moment, gegevens={
        "gehouden_op": datum_van(moment), "aanwezig": "De inwoner en de medewerker.",
        "verslag": "Besproken wat de inwoner nodig heeft."})


def horen_achterwege(db, actor, bezwaar, diensten, grond="kennelijk_ongegrond", nu=None):
    """Record why the indiener is not heard (Awb 7:3): the alternative to a held hoorzitting before deciding."""
    from domain.workflow import voer_uit

    return voer_uit(db, actor, bezwaar, "horen_achterwege", verwachte_versie=None, diensten=diensten, nu=nu,
                    gegevens={"grond": grond, "toelichting": "Uit het dossier blijkt al wat de indiener vindt."})


def bezwaar_beslist(db, hoofdzaak, diensten, *, uitkomst="ongegrond", motivering="Het besluit is juist."):
    """The inwoner objects to the besluit of `hoofdzaak`; juridisch takes it, records why horen is not needed and
    decides. Returns the bezwaar zaak."""
    from domain.bezwaren import dien_bezwaar_in
    from domain.workflow import voer_uit
    from tests.test_wmo_proces import inwoner_actor, medewerker

    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, hoofdzaak.inwoner.bsn), hoofdzaak, gronden="Oneens.",
                              contact_hoorzitting="", diensten=diensten)
    jur = medewerker(db, "juridisch")
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=None, diensten=diensten)
    horen_achterwege(db, jur, bezwaar, diensten)
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten,
             gegevens={"uitkomst": uitkomst, "motivering": motivering})
    return bezwaar
