"""The briefcampagne pages: choose the period, see the count, start, follow the progress until the confirmation."""
from __future__ import annotations

import dataclasses
import re

from sqlalchemy import func, select

from app.diensten import diensten_uit
from domain.campagne_uitvoering import verwerk_geplande
from domain.models import Briefcampagne, Document
from tests.helpers import csrf_token, medewerker_inloggen
from tests.test_briefcampagne import TOT, VAN, nep_pdf, voorzieningen_die_stoppen

PERIODE = f"/backoffice/campagnes?soort=herindicatie&van={VAN.isoformat()}&tot={TOT.isoformat()}"


def test_administratie_counts_starts_and_follows_a_campaign(demo, settings, client):
    db = demo
    voorzieningen_die_stoppen(db, 3)
    medewerker_inloggen(client, "administratie")
    assert "Briefcampagnes" in client.get("/backoffice/werkvoorraad").get_data(as_text=True)  # in the menu
    pagina = client.get(PERIODE).get_data(as_text=True)
    assert "Er komen 3 brieven" in pagina and "1 maart 2040 tot en met 31 maart 2040" in pagina
    voor = db.scalar(select(func.count()).select_from(Briefcampagne))  # the demo's
    assert voor == 1 and "Eerdere campagnes" in pagina
    assert db.scalar(select(func.count()).select_from(Briefcampagne)) == voor  # counting starts nothing

    start = client.post("/backoffice/campagnes", data={"csrf_token": csrf_token(client, PERIODE), "soort": "herindicatie",
                                                       "van": VAN.isoformat(), "tot": TOT.isoformat()})
    assert start.status_code == 302
    adres = start.headers["Location"]
    assert re.search(r"/backoffice/campagnes/\d+$", adres)
    pagina = client.get(adres).get_data(as_text=True)
    assert "0 van 3 brieven klaar (0 %)" in pagina and '<meta http-equiv="refresh" content="2">' in pagina

    campagne = db.get(Briefcampagne, int(adres.rsplit("/", 1)[1]))
    assert campagne.status == "gepland"
    campagne.status, campagne.klaar = "bezig", 1  # halfway, as the worker leaves it between two batches
    db.commit()
    assert "1 van 3 brieven klaar (33 %)" in client.get(adres).get_data(as_text=True)
    campagne.status, campagne.klaar = "gepland", 0
    db.commit()

    # The worker's job makes the letters (here without a pool and with a stand-in for WeasyPrint).
    assert verwerk_geplande(db, dataclasses.replace(diensten_uit(settings), html_naar_pdf=nep_pdf), workers=0) == 1
    pagina = client.get(adres).get_data(as_text=True)
    assert "De campagne is klaar." in pagina and "3 brieven gemaakt." in pagina and "3 van 3 brieven klaar (100 %)" in pagina
    assert 'http-equiv="refresh"' not in pagina
    assert len(db.scalars(select(Document).where(Document.titel == "Brief: uw ondersteuning stopt")).all()) == 1 + 3
    # The same period again: nothing left to send.
    assert "Er komen 0 brieven" in client.get(PERIODE).get_data(as_text=True)


def test_a_consulent_sees_no_campaigns_and_cannot_start_one(demo, client):
    db = demo
    voorzieningen_die_stoppen(db, 1)
    medewerker_inloggen(client, "wmo")
    assert "Briefcampagnes" not in client.get("/backoffice/werkvoorraad").get_data(as_text=True)
    assert client.get(PERIODE).status_code == 403
    token = csrf_token(client, "/backoffice/werkvoorraad")
    assert client.post("/backoffice/campagnes", data={"csrf_token": token, "soort": "herindicatie",
                                                      "van": VAN.isoformat(), "tot": TOT.isoformat()}).status_code == 403
    assert db.scalar(select(func.count()).select_from(Briefcampagne)) == 1  # only the demo's


def test_a_period_the_wrong_way_round_is_explained(demo, client):
    medewerker_inloggen(client, "teamleider")
    pagina = client.get(f"/backoffice/campagnes?soort=herindicatie&van={TOT.isoformat()}&tot={VAN.isoformat()}")
    assert "De laatste dag ligt vóór de eerste dag" in pagina.get_data(as_text=True)
