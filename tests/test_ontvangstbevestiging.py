"""Awb 6:14: every bezwaar gets a written ontvangstbevestiging in the dossier and the portal; with a
bezwaarcommissie (the gemeente's configuration) the beslistermijn is 12 weeks (Awb 7:10 lid 1), shown with its
article in the letter and the termijn."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.bezwaren import bezwaartermijn, dien_bezwaar_in
from domain.configuratie import leg_vast
from domain.deadlines import bereken
from domain.feestdagen import datum_tekst
from domain.models import Document, Termijn
from domain.tijd import vandaag
from domain.uploads import controleer
from tests.test_bezwaar import _besluit, _hoofdzaak, _moment
from tests.test_wmo_proces import inwoner_actor, medewerker

ANNA = "999990056"


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _tekst(document: Document) -> str:
    reader = PdfReader(BytesIO(document.versies[-1].inhoud))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def _bevestiging(db, zaak) -> Document:
    return db.scalar(select(Document).where(Document.zaak_id == zaak.id,
                                            Document.documenttype == "ontvangstbevestiging_bezwaar"))


def _dien_in(db, diensten, nu, bijlagen=()):
    return dien_bezwaar_in(db, inwoner_actor(db, ANNA), _hoofdzaak(db), gronden="Twee uur per week is te weinig.",
                           contact_hoorzitting="06-12345678", bijlagen=list(bijlagen), diensten=diensten, nu=nu)


def test_a_bezwaar_gets_an_ontvangstbevestiging_with_its_term_and_attachments(demo, diensten):
    db = demo
    besluit = _besluit(db, _hoofdzaak(db))
    ingediend = bezwaartermijn(besluit).einddatum - dt.timedelta(days=3)
    pdf = controleer("brief huisarts.pdf", b"%PDF-1.4 test", max_bytes=1000)
    bezwaar = _dien_in(db, diensten, _moment(ingediend), [pdf])
    brief = _bevestiging(db, bezwaar)
    assert brief is not None and brief.zichtbaar_voor_inwoner and brief.titel == "Ontvangstbevestiging van uw bezwaar"
    tekst = _tekst(brief)
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == bezwaar.id))
    assert termijn.einddatum == bereken("bezwaar-beslistermijn", besluit.verzenddatum).einddatum  # 6 weeks
    for deel in (f"Op {datum_tekst(ingediend)} hebben wij uw bezwaarschrift ontvangen",
                 f"ons besluit van {datum_tekst(besluit.verzenddatum)}", "artikel 6:14", "brief_huisarts.pdf",
                 f"Wij beslissen uiterlijk op {datum_tekst(termijn.einddatum)}", "7:10 lid 1", bezwaar.identificatie,
                 "artikel 6:16"):
        assert deel in tekst, (deel, tekst)
    assert "bezwaarcommissie" not in tekst and "6:11" not in tekst  # no commissie in this gemeente; in time


def test_a_late_bezwaar_is_told_that_its_reason_is_weighed(demo, diensten):
    db = demo
    laatste = bezwaartermijn(_besluit(db, _hoofdzaak(db))).einddatum
    tekst = _tekst(_bevestiging(db, _dien_in(db, diensten, _moment(laatste + dt.timedelta(days=2)))))
    assert f"De termijn voor bezwaar eindigde op {datum_tekst(laatste)}" in tekst and "artikel 6:11" in tekst
    assert "U stuurde geen bijlagen mee." in tekst


def test_with_a_bezwaarcommissie_the_term_is_12_weeks_with_its_article(demo, diensten):
    db = demo
    hoofdzaak = _hoofdzaak(db)
    besluit = _besluit(db, hoofdzaak)
    leg_vast(db, medewerker(db, "beheer"), hoofdzaak.gemeente, "bezwaar", {"adviescommissie": True, "team": "juridisch"},
             begindatum=vandaag(), toelichting="Onafhankelijke bezwaarcommissie vanaf nu", vandaag=vandaag())
    bezwaar = _dien_in(db, diensten, dt.datetime.now(dt.UTC))
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == bezwaar.id))
    zes = bereken("bezwaar-beslistermijn", besluit.verzenddatum).einddatum
    twaalf = bereken("bezwaar-beslistermijn", besluit.verzenddatum, adviescommissie=True).einddatum
    assert termijn.einddatum == twaalf and twaalf >= zes + dt.timedelta(weeks=6)
    assert "7:13" in termijn.bron and "7:10 lid 1" in termijn.bron
    tekst = _tekst(_bevestiging(db, bezwaar))
    assert f"Wij beslissen uiterlijk op {datum_tekst(twaalf)}" in tekst and "bezwaarcommissie" in tekst
    assert "7:13" in tekst, tekst


def test_the_inwoner_reads_back_her_bezwaar_and_its_ontvangstbevestiging_in_the_portal(client, demo, standin, db):
    from tests.helpers import csrf_token, digid_inloggen
    from tests.test_bezwaar_http import _zaak

    hoofdzaak = _zaak(db, ANNA)
    digid_inloggen(client, bsn=ANNA)
    url = f"/zaken/{hoofdzaak.id}/bezwaar"
    gronden = "Twee uur is te weinig voor mijn huis.\nIk heb ook een trap."
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "gronden": gronden, "contact_hoorzitting": "",
                               "bijlagen": (BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "foto trap.png")},
                    content_type="multipart/form-data", follow_redirects=True)
    assert r.status_code == 200
    bezwaar = _zaak(db, ANNA, "bezwaar")
    html = client.get(f"/zaken/{bezwaar.id}").get_data(as_text=True)
    assert '<h2 class="utrecht-heading-2" id="kop-eigen-tekst">Uw bezwaar</h2>' in html
    assert gronden in html  # as she typed it, line break kept by the page's white-space
    assert "Ontvangstbevestiging van uw bezwaar" in html and "(PNG)" in html  # her photo is not called a PDF
    assert "Wij beslissen uiterlijk op <strong>" in html and "klaar met deze stap" not in html  # the beslistermijn
    brief = _bevestiging(db, bezwaar)
    download = client.get(f"/documenten/{brief.versies[-1].id}?download=1")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    hoofd = client.get(f"/zaken/{hoofdzaak.id}").get_data(as_text=True)
    assert 'id="kop-eigen-tekst"' not in hoofd  # the Wmo zaak's hulpvraag is the consulent's text, not hers
