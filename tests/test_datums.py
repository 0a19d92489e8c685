"""Dates in a beschikking that make no sense are refused at their field with the reason (issue 14, item 5): a
voorziening starting before the melding or more than the gemeente's number of days back, an einddatum before the
ingangsdatum."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from app.diensten import diensten_uit
from domain import configuratie
from domain.models import Gemeente, Inwoner, Product
from domain.stappen import lopend_besluit
from domain.teksten import datum_nl
from domain.tijd import vandaag
from domain.workflow import OvergangFout
from domain.zaken import VoorzieningInvoer, sla_besluit_op
from tests.helpers import csrf_token, medewerker_inloggen
from tests.test_wmo_proces import _tot_aanvraag, medewerker


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _besluit(db, zaak, ingang, einde=None, **kw):
    hbh = db.scalar(select(Product).where(Product.code == "WMO-HBH"))
    return sla_besluit_op(db, medewerker(db, "wmo"), zaak, besluittype="toekenning", onderbouwing="Nodig.",
                          wettelijke_grondslag="", voorzieningen=[VoorzieningInvoer(
                              product_id=hbh.id, volume=3, frequentie="2", ingangsdatum=ingang, einddatum=einde)], **kw)


def _fout(db, zaak, ingang, einde=None) -> OvergangFout:
    with pytest.raises(OvergangFout) as fout:
        _besluit(db, zaak, ingang, einde)
    db.rollback()
    return fout.value


def test_a_voorziening_does_not_start_before_the_melding(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    fout = _fout(db, zaak, zaak.startdatum - dt.timedelta(days=1))
    assert fout.veld == "voorzieningen.0.ingangsdatum"
    assert "voor de melding" in fout.melding and datum_nl(zaak.startdatum) in fout.melding
    assert _besluit(db, zaak, zaak.startdatum).voorzieningen[0].ingangsdatum == zaak.startdatum


def test_not_more_days_back_than_the_gemeente_allows(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    zaak.startdatum = vandaag() - dt.timedelta(days=120)  # an old melding, so only the days-back rule applies
    db.commit()
    fout = _fout(db, zaak, vandaag() - dt.timedelta(days=61))
    assert fout.veld == "voorzieningen.0.ingangsdatum" and "60 dagen" in fout.melding
    assert datum_nl(vandaag() - dt.timedelta(days=60)) in fout.melding
    _besluit(db, zaak, vandaag() - dt.timedelta(days=60))

    # A gemeente that allows 90 days: zaken that start under that version may go back further.
    beheer = medewerker(db, "beheer")
    gemeente = db.get(Gemeente, zaak.gemeente_id)
    huidig = configuratie.variant_van(db, zaak).waarden
    invoer = {**huidig, "toetsing_kosten_boven": huidig["toetsing_kosten_boven"] // 100,  # the form asks euros
              "ingang_max_dagen_terug": 90}
    configuratie.leg_vast(db, beheer, gemeente, "wmo", invoer,
                          begindatum=vandaag(), toelichting="Langere terugwerkende kracht.", vandaag=vandaag())
    nieuw = _tot_aanvraag(db, diensten, bsn=db.get(Inwoner, zaak.inwoner_id).bsn)
    nieuw.startdatum = vandaag() - dt.timedelta(days=120)
    db.commit()
    _besluit(db, nieuw, vandaag() - dt.timedelta(days=80))
    # ... while the running zaak keeps the rule it started under (60).
    assert "60 dagen" in _fout(db, zaak, vandaag() - dt.timedelta(days=80)).melding


def test_an_einddatum_before_the_ingangsdatum(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    fout = _fout(db, zaak, vandaag(), vandaag() - dt.timedelta(days=1))
    assert fout.veld == "voorzieningen.0.einddatum" and datum_nl(vandaag()) in fout.melding


def test_the_beschikking_form_shows_the_reason_at_the_date_and_keeps_the_input(client, demo, standin, db, diensten):
    zaak = _tot_aanvraag(db, diensten)
    zaak_id = zaak.id
    medewerker_inloggen(client, "wmo")
    url = f"/backoffice/zaken/{zaak_id}/beschikking"
    page = client.get(url).get_data(as_text=True)
    hbh = re.search(r'<option (?:selected )?value="(\d+)"(?: selected)?>Hulp bij het huishouden', page).group(1)
    # The voorziening is in the second row (the first left empty): the error goes to that row's einddatum.
    r = client.post(url, data={
        "csrf_token": csrf_token(client, url), "besluittype": "toekenning",
        "onderbouwing": "Drie uur per week is nodig.", "wettelijke_grondslag": "",
        "voorzieningen-0-product_id": "0", "voorzieningen-0-frequentie": "2", "voorzieningen-0-leveringsvorm": "zin",
        "voorzieningen-1-product_id": hbh, "voorzieningen-1-volume": "3", "voorzieningen-1-frequentie": "2",
        "voorzieningen-1-ingangsdatum": vandaag().isoformat(),
        "voorzieningen-1-einddatum": (vandaag() - dt.timedelta(days=3)).isoformat(),
        "voorzieningen-1-leveringsvorm": "zin"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Drie uur per week is nodig." in html  # nothing typed is lost
    melding = "De einddatum ligt voor de ingangsdatum"
    assert melding in html
    # at the field: after the second row's einddatum input, before its leveringsvorm
    blok = html[html.index('id="voorzieningen-1-einddatum"') - 1500:html.index('id="voorzieningen-1-leveringsvorm"')]
    assert melding in blok
    db.expire_all()
    assert lopend_besluit(db, zaak_id) is None  # nothing saved
