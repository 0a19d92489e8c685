"""Gezag in the portal over HTTP: a parent with gezag logs in with their own DigiD, sees their child's zaken in a
section of their own, opens, signs, answers and files bezwaar for the child; every such access is protocolled
'namens'. The other parent, without gezag, gets exactly the 404 of a zaak that does not exist."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.diensten import diensten_uit
from domain.models import AuditLog, Inwoner, Notificatie, Ondertekening, Sessie, Zaak
from domain.tijd import vandaag
from tests.gezag import KIND_BSN, OUDER_BSN, VADER_BSN, medewerker_actor, zaak_van_kind
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen


def _inwoner(db, bsn):
    return db.scalar(select(Inwoner).where(Inwoner.bsn == bsn))


def _zonder_codes(r) -> str:
    """The page without what differs per request (helpdesk code, CSRF token)."""
    html = re.sub(r'content="[^"]*"', "", r.get_data(as_text=True))
    return re.sub(r"<strong>[^<]*</strong>", "", html)


def _namens_regels(db, ouder, kind):
    db.expire_all()
    return db.scalars(select(AuditLog).where(AuditLog.actor_type == "inwoner", AuditLog.actor_id == ouder.id,
                                             AuditLog.inwoner_id == kind.id).order_by(AuditLog.id)).all()


def test_the_parent_with_gezag_sees_the_childs_zaak_and_it_is_protocolled_namens(client, kind_zaak, standin, db):
    r = digid_inloggen(client, bsn=OUDER_BSN)
    assert r.status_code == 302 and r.headers["Location"].endswith("/mijn-zaken")
    ouder, kind = _inwoner(db, OUDER_BSN), _inwoner(db, KIND_BSN)
    sessie = db.scalar(select(Sessie).where(Sessie.inwoner_id == ouder.id, Sessie.beeindigd.is_(None)))
    assert sessie.namens_inwoner_ids == [kind.id]

    overzicht = client.get("/mijn-zaken").get_data(as_text=True)
    assert "Zaken van Noor" in overzicht and f'href="/zaken/{kind_zaak}"' in overzicht
    assert "U heeft nu geen meldingen of aanvragen bij ons." in overzicht  # Esther herself has none
    pagina = client.get(f"/zaken/{kind_zaak}")
    assert pagina.status_code == 200
    html = pagina.get_data(as_text=True)
    assert "U bekijkt deze zaak namens Noor Koster" in html and "Verslag lezen en ondertekenen" in html

    regels = _namens_regels(db, ouder, kind)
    assert [(r.object_type, r.handeling) for r in regels] == [("gezag", "lezen"), ("zaken", "lezen"), ("zaak", "lezen")]
    assert all(r.namens_inwoner_id == kind.id and r.doel == "Inzage namens kind (gezag)" for r in regels)
    assert all(KIND_BSN not in r.omschrijving and OUDER_BSN not in r.omschrijving for r in regels)
    eigen = db.scalars(select(AuditLog).where(AuditLog.inwoner_id == ouder.id)).all()
    assert eigen and all(r.namens_inwoner_id is None for r in eigen)  # her own log-in and overview are not namens

    # The teamleider sees it in the protocol of the child.
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})
    medewerker_inloggen(client, "teamleider")
    html = client.post("/backoffice/protocollering", data={
        "csrf_token": csrf_token(client, "/backoffice/protocollering"), "inwoner_bsn": KIND_BSN}).get_data(as_text=True)
    assert "Resultaten voor inwoner Noor Koster" in html and "Esther Koster" in html
    assert html.count("namens kind met gezag") == len(_namens_regels(db, ouder, kind))  # incl. the overview again


def test_the_parent_without_gezag_gets_the_404_of_a_zaak_that_does_not_exist(client, kind_zaak, standin, db):
    digid_inloggen(client, bsn=VADER_BSN)
    overzicht = client.get("/mijn-zaken").get_data(as_text=True)
    assert "Zaken van" not in overzicht and f"/zaken/{kind_zaak}" not in overzicht
    bestaat_niet = client.get("/zaken/999999")
    for url in (f"/zaken/{kind_zaak}", f"/zaken/{kind_zaak}/ondertekenen", f"/zaken/{kind_zaak}/bezwaar"):
        r = client.get(url)
        assert r.status_code == 404 and _zonder_codes(r) == _zonder_codes(bestaat_niet), url
    vader, kind = _inwoner(db, VADER_BSN), _inwoner(db, KIND_BSN)
    assert _namens_regels(db, vader, kind) == []


def test_the_parent_signs_the_verslag_for_the_child(client, kind_zaak, standin, db):
    digid_inloggen(client, bsn=OUDER_BSN, niveau="substantieel")
    url = f"/zaken/{kind_zaak}/ondertekenen"
    form = client.get(url).get_data(as_text=True)
    assert "U bekijkt deze zaak namens Noor Koster" in form
    assert "U ondertekent namens Noor Koster, met uw eigen DigiD-inlog" in form
    sha = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', form).group(1)
    versie = re.search(r'name="versie" type="hidden" value="(\d+)"', form).group(1)
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "sha256": sha, "versie": versie, "akkoord": "y",
                               "opmerking": "Op woensdag haalt oma Noor op."}, follow_redirects=True)
    assert "U heeft het verslag ondertekend" in r.get_data(as_text=True)
    db.expire_all()
    ouder, kind = _inwoner(db, OUDER_BSN), _inwoner(db, KIND_BSN)
    assert db.get(Zaak, kind_zaak).status == "aanvraag"
    handtekening = db.scalar(select(Ondertekening).order_by(Ondertekening.id.desc()))
    assert (handtekening.inwoner_id, handtekening.namens_inwoner_id, handtekening.betrouwbaarheidsniveau) == (
        ouder.id, kind.id, "substantieel")
    gewijzigd = [r for r in _namens_regels(db, ouder, kind) if r.handeling == "wijzigen"]
    assert len(gewijzigd) == 1 and gewijzigd[0].object_id == str(kind_zaak) and gewijzigd[0].namens_inwoner_id == kind.id


def test_the_parent_answers_a_question_and_sees_the_childs_notification(app, client, demo, standin, db):
    from domain.vragen import stel_vraag

    diensten = diensten_uit(app.config["SETTINGS"])
    zaak = zaak_van_kind(db, diensten, status="in_onderzoek")
    vraag = stel_vraag(db, medewerker_actor(db, "wmo"), zaak, tekst="Wilt u het rooster van school sturen?",
                       uiterlijk=vandaag() + dt.timedelta(days=10), diensten=diensten)
    kind = _inwoner(db, KIND_BSN)
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == zaak.id, Notificatie.inwoner_id == kind.id))

    digid_inloggen(client, bsn=OUDER_BSN)
    berichten = client.get("/berichten").get_data(as_text=True)
    assert "Wij hebben een vraag aan u" in berichten and "Over Noor" in berichten
    assert "Wij hebben een vraag aan u over Noor" in client.get("/mijn-zaken").get_data(as_text=True)
    url = f"/zaken/{zaak.id}/vragen/{vraag.id}"
    assert "U bekijkt deze zaak namens Noor Koster" in client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "antwoord": "School is om 15.00 uur uit."},
                    follow_redirects=True)
    assert "We hebben uw antwoord ontvangen" in r.get_data(as_text=True)
    ouder = _inwoner(db, OUDER_BSN)
    regels = _namens_regels(db, ouder, kind)
    assert {("vraag", "lezen"), ("vraag", "wijzigen")} <= {(r.object_type, r.handeling) for r in regels}
    assert all(r.namens_inwoner_id == kind.id for r in regels)

    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})
    digid_inloggen(client, bsn=VADER_BSN)
    assert "Over Noor" not in client.get("/berichten").get_data(as_text=True)
    assert client.get(url).status_code == 404


def test_the_parent_files_bezwaar_for_the_child(app, client, demo, standin, db):
    zaak = zaak_van_kind(db, diensten_uit(app.config["SETTINGS"]), status="besluit")
    digid_inloggen(client, bsn=OUDER_BSN)
    url = f"/zaken/{zaak.id}/bezwaar"
    assert "U bekijkt deze zaak namens Noor Koster" in client.get(url).get_data(as_text=True)
    r = client.post(url, data={"csrf_token": csrf_token(client, url),
                               "gronden": "Eén middag per week is te weinig voor Noor."}, follow_redirects=True)
    assert "We hebben uw bezwaar ontvangen" in r.get_data(as_text=True)
    db.expire_all()
    bezwaar = db.scalar(select(Zaak).where(Zaak.zaaktype == "bezwaar", Zaak.hoofdzaak_id == zaak.id))
    kind = _inwoner(db, KIND_BSN)
    assert bezwaar.inwoner_id == kind.id  # the child's bezwaar; the parent sees it among Noor's zaken
    assert f'href="/zaken/{bezwaar.id}"' in client.get("/mijn-zaken").get_data(as_text=True)
    aangemaakt = [r for r in _namens_regels(db, _inwoner(db, OUDER_BSN), kind) if r.handeling == "aanmaken"]
    assert aangemaakt and all(r.namens_inwoner_id == kind.id for r in aangemaakt)
