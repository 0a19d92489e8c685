"""The inwoner starts contact: a hulpvraag in the portal lands at team toegang as an action and a notification."""
from __future__ import annotations

import re

from sqlalchemy import select

from domain.models import Actie, AuditLog, Inwoner, Klantcontact, Medewerker, Notificatie, Team
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

PIETER = "999990019"  # demo inwoner of gemeente 0489, without zaken; has an e-mail address and prefers e-mail


def _stuur(client, **velden):
    token = csrf_token(client, "/hulpvraag")
    return client.post("/hulpvraag", data={"csrf_token": token, "voor": "zelf", **velden})


def test_the_form_offers_the_meldable_zaaktypen_and_is_prefilled(demo, client, standin):
    digid_inloggen(client, bsn=PIETER)
    html = client.get("/hulpvraag").get_data(as_text=True)
    inwoner = demo.scalar(select(Inwoner).where(Inwoner.bsn == PIETER))
    assert "Ondersteuning thuis (Wmo)" in html and "Dat weet ik niet" in html
    assert 'value="bezwaar"' not in html  # a bezwaar is filed against a besluit, not asked for here
    assert f'value="{inwoner.email}"' in html
    assert re.search(r'value="email"[^>]*checked|checked[^>]*value="email"', html)


def test_wrong_answers_are_reported_at_the_field_and_nothing_is_sent(demo, client, standin):
    digid_inloggen(client, bsn=PIETER)
    r = _stuur(client, tekst="", onderwerp="wmo", contactvoorkeur="telefoon", telefoon="12345", email="")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Schrijf op waarmee u hulp nodig heeft." in html.split('id="tekst-fout"')[1].split("</div>")[0]
    assert "10 cijfers" in html.split('id="telefoon-fout"')[1].split("</div>")[0]
    assert 'value="12345"' in html
    r = _stuur(client, tekst="Ik heb hulp nodig.", onderwerp="", contactvoorkeur="email", email="geen-adres")
    html = r.get_data(as_text=True)
    assert "Kies waar uw vraag over gaat" in html and "naam@voorbeeld.nl" in html.split('id="email-fout"')[1]
    assert demo.scalar(select(Klantcontact).where(Klantcontact.kanaal == "portaal")) is None


def test_a_hulpvraag_reaches_team_toegang_who_handle_it(app, demo, client, standin):
    db = demo
    digid_inloggen(client, bsn=PIETER)
    r = _stuur(client, tekst="Ik kan niet meer goed traplopen.", onderwerp="weet_niet", contactvoorkeur="telefoon",
               telefoon="06 12345678", email="")
    assert r.status_code == 302 and r.headers["Location"].endswith("/hulpvragen")
    html = client.get("/hulpvragen").get_data(as_text=True)
    assert "We hebben uw hulpvraag ontvangen" in html and "We bellen u op 06 12345678." in html
    assert "Ik kan niet meer goed traplopen." in html and "Een medewerker neemt contact met u op." in html

    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == PIETER))
    assert inwoner.contactvoorkeur == "telefoon" and inwoner.telefoon == "06 12345678"
    contact = db.scalar(select(Klantcontact).where(Klantcontact.inwoner_id == inwoner.id, Klantcontact.kanaal == "portaal"))
    assert contact.medewerker_id is None and contact.onderwerp == "Hulpvraag: Dat weet ik niet"
    actie = db.scalar(select(Actie).where(Actie.klantcontact_id == contact.id))
    assert db.get(Team, actie.team_id).domein == "toegang" and actie.zaak_id is None
    assert actie.omschrijving.startswith("Hulpvraag uit het portaal: bel of mail de inwoner")
    tessa = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "toegang"))
    melding = db.scalar(select(Notificatie).where(Notificatie.medewerker_id == tessa.id))
    assert melding.link == f"/backoffice/inwoners/{inwoner.id}"

    # Only team toegang sees it in the action queue; another team cannot close it.
    wmo = app.test_client()
    medewerker_inloggen(wmo, "wmo")
    assert "traplopen" not in wmo.get("/backoffice/acties").get_data(as_text=True)
    token = csrf_token(wmo, "/backoffice/meldingen")
    assert wmo.post(f"/backoffice/acties/{actie.id}/hulpvraag-afgehandeld", data={"csrf_token": token}).status_code == 404

    toegang = app.test_client()
    medewerker_inloggen(toegang, "toegang")
    acties = toegang.get("/backoffice/acties").get_data(as_text=True)
    assert "Hulpvraag uit het portaal: bel of mail de inwoner" in acties and "Ik kan niet meer goed traplopen." in acties
    assert f"/backoffice/inwoners/{inwoner.id}" in acties
    assert toegang.post(f"/backoffice/acties/{actie.id}/hulpvraag-afgehandeld", data={}).status_code == 400  # CSRF
    token = csrf_token(toegang, "/backoffice/acties")
    r = toegang.post(f"/backoffice/acties/{actie.id}/hulpvraag-afgehandeld", data={"csrf_token": token},
                     follow_redirects=True)
    assert "De hulpvraag is afgehandeld" in r.get_data(as_text=True)
    assert "traplopen" not in toegang.get("/backoffice/acties").get_data(as_text=True)
    assert "heeft op" in client.get("/hulpvragen").get_data(as_text=True)  # the inwoner sees it was handled
    assert db.scalar(select(AuditLog).where(AuditLog.object_type == "klantcontact", AuditLog.handeling == "lezen",
                                            AuditLog.inwoner_id == inwoner.id)) is not None


def test_sending_a_hulpvraag_needs_the_csrf_token(demo, client, standin):
    digid_inloggen(client, bsn=PIETER)
    r = client.post("/hulpvraag", data={"voor": "zelf", "tekst": "Hulp", "onderwerp": "wmo", "contactvoorkeur": "post"})
    assert r.status_code == 400
    assert demo.scalar(select(Klantcontact).where(Klantcontact.kanaal == "portaal")) is None
