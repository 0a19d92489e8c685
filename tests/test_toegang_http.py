"""Team toegang right after a melding (issue 14, item 15): the inwoner's page lists the zaak she just registered and
she can open it (logged in the protocol), while the zaken of other teams stay out of sight; the contact preference
reads as a word ("E-mail"), not as the stored value."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.diensten import diensten_uit
from domain.authz import geregistreerd_door
from domain.bezwaren import dien_bezwaar_in
from domain.models import AuditLog, Inwoner, Medewerker, Zaak
from tests.helpers import csrf_token, medewerker_inloggen
from tests.test_wmo_proces import inwoner_actor

SARA = "999990135"  # demo: a person in the BRP with no zaak yet
ANNA = "999990056"  # demo: a Wmo zaak with a signed besluit


def _melding(client, db) -> tuple[str, Zaak]:
    medewerker_inloggen(client, "toegang")
    token = csrf_token(client, "/backoffice/inwoners/zoeken")
    pagina = client.post("/backoffice/inwoners/openen", data={"csrf_token": token, "bsn": SARA}).headers["Location"]
    r = client.post(pagina, data={"csrf_token": csrf_token(client, pagina), "kanaal": "telefoon",
                                  "hulpvraag": "Hulp bij douchen nodig.", "uitkomst": "melding", "zaaktype": "wmo",
                                  "contactvoorkeur": "email", "email": "sara@inwoner.example"})
    assert r.status_code == 302
    db.expire_all()
    zaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == SARA).order_by(Zaak.id.desc()))
    assert zaak.team.code == "wmo"
    return r.headers["Location"], zaak


def test_toegang_sees_and_opens_the_zaak_she_just_registered(client, demo, db, settings):
    terug, zaak = _melding(client, db)
    inwonerpagina = client.get(terug).get_data(as_text=True)
    assert f"Melding {zaak.identificatie} staat in de werkvoorraad van Team Wmo" in inwonerpagina
    assert "Geen dossiers die u mag inzien" not in inwonerpagina
    assert f'href="/backoffice/zaken/{zaak.id}">{zaak.identificatie}</a>' in inwonerpagina
    assert client.get(f"/backoffice/zaken/{zaak.id}").status_code == 200
    tessa = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "toegang"))
    assert db.scalar(select(AuditLog).where(AuditLog.actor_id == tessa.id, AuditLog.handeling == "lezen",
                                            AuditLog.object_type == "zaak", AuditLog.object_id == str(zaak.id)))
    # A zaak of another team that she did not register (a bezwaar, filed by the inwoner) stays a 404, as before.
    hoofdzaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))
    ander = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Te weinig uren.",
                            contact_hoorzitting="06-12345678", diensten=diensten_uit(settings))
    assert db.scalar(select(Zaak.id).where(Zaak.id == ander.id, geregistreerd_door(tessa.id))) is None
    assert client.get(f"/backoffice/zaken/{ander.id}").status_code == 404


def test_the_contact_preference_reads_as_its_label(client, demo, db):
    terug, _ = _melding(client, db)
    pagina = client.get(terug).get_data(as_text=True)
    waarde = re.search(r"Contactvoorkeur</dt><dd[^>]*>([^<]*)</dd>", pagina)[1]
    assert waarde == "E-mail (sara@inwoner.example)"
