"""Issue 14 item 7: the inwoner's zaak page says what she got — the voorziening in the beschikking's words, who
delivers it and their phone number once ordered, and the eigen bijdrage her zaaktype's law attaches."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.demo.berichten import bestel
from domain.models import Besluit, Inwoner, Toewijzing, Zaak
from domain.processes import zaaktype_van
from domain.teksten import datum_nl
from domain.toegekend import wat_u_krijgt
from domain.voorzieningen import omschrijving
from domain.zaaktype import EigenBijdrage
from tests.helpers import digid_inloggen

ANNA = "999990056"  # demo: a self-signed toekenning, not yet ordered


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _zaak(db) -> Zaak:
    db.expire_all()
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))


def _voorziening(db, zaak):
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id, Besluit.status == "vastgesteld"))
    return besluit.voorzieningen[0]


def test_the_zaak_page_says_what_she_got_and_who_delivers_it(client, demo, standin, db, diensten):
    zaak = _zaak(db)
    tekst = omschrijving(_voorziening(db, zaak))
    digid_inloggen(client, bsn=ANNA)
    html = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert 'id="kop-toekenning">Wat u krijgt</h2>' in html and tekst in html
    assert "We zoeken de zorgaanbieder voor u." in html
    assert "hoogstens € 21,80 per 4 weken" in html and "artikel 2.1.4" in html  # the CAK's abonnementstarief
    toewijzing = bestel(db, diensten, zaak)
    html = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert f"<strong>{toewijzing.aanbieder.naam}</strong>" in html and 'href="tel:0101234567"' in html
    assert "De zorgaanbieder neemt contact met u op." in html


def test_the_stand_follows_the_zorgaanbieder(demo, diensten):
    db = demo
    zaak = _zaak(db)
    toewijzing = bestel(db, diensten, zaak)
    toewijzing.status, toewijzing.begindatum = "gestart", dt.date(2026, 12, 7)
    db.flush()
    gekregen = wat_u_krijgt(db, zaak).voorzieningen[0]
    assert gekregen.stand == f"De zorgaanbieder is begonnen op {datum_nl(dt.date(2026, 12, 7))}."
    assert gekregen.aanbieder == toewijzing.aanbieder.naam
    db.add(Toewijzing(gemeente_id=toewijzing.gemeente_id, voorziening_id=toewijzing.voorziening_id,
                      zaak_id=zaak.id, inwoner_id=zaak.inwoner_id, aanbieder_id=toewijzing.aanbieder_id,
                      toewijzingnummer=toewijzing.toewijzingnummer + 1000, productcategorie="02",
                      ingangsdatum=toewijzing.ingangsdatum, status="afgewezen"))
    db.flush()
    assert wat_u_krijgt(db, zaak).voorzieningen[0].stand.startswith("De zorgaanbieder is begonnen")  # still runs


def test_no_toekenning_no_section_and_no_eigen_bijdrage_without_its_law(demo):
    db = demo
    zaak = _zaak(db)
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id, Besluit.status == "vastgesteld"))
    besluit.besluittype = "afwijzing"
    db.flush()
    assert wat_u_krijgt(db, zaak) is None
    assert zaaktype_van("jeugd").eigen_bijdrage is None  # the Jeugdwet has no eigen bijdrage
    regel = EigenBijdrage("hoogstens {bedrag}", bron="x", bedragen=((2025, 2180), (2027, 2250)))
    assert regel.tekst_op(dt.date(2026, 5, 1)) == "hoogstens € 21,80"  # a year not listed keeps the last known
    assert regel.tekst_op(dt.date(2027, 1, 1)) == "hoogstens € 22,50"
    assert regel.tekst_op(dt.date(2024, 1, 1)) == "hoogstens € 21,80"  # before the table: its first amount


def _pdf_tekst(inhoud: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(inhoud)).pages)


def test_the_beschikking_names_the_eigen_bijdrage_of_its_law(demo):
    from domain.models import Document

    db = demo
    beschikkingen = db.execute(select(Zaak.zaaktype, Document).join(Document, Document.zaak_id == Zaak.id)
                               .join(Besluit, Besluit.zaak_id == Zaak.id)
                               .where(Document.documenttype == "beschikking", Besluit.besluittype == "toekenning",
                                      Besluit.status == "vastgesteld")).all()
    wmo = [d for z, d in beschikkingen if z == "wmo"]
    jeugd = [d for z, d in beschikkingen if z == "jeugd"]
    assert wmo and jeugd
    tekst = _pdf_tekst(wmo[0].versies[-1].inhoud)
    assert "Eigen bijdrage" in tekst and "€ 21,80 per 4 weken" in tekst and "artikel 2.1.4" in tekst, tekst
    assert "Eigen bijdrage" not in _pdf_tekst(jeugd[0].versies[-1].inhoud)


def test_the_backoffice_shows_what_the_inwoner_reads_about_it(client, demo, db):
    from tests.helpers import medewerker_inloggen

    zaak = _zaak(db)
    medewerker_inloggen(client, "wmo")
    html = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    paneel = html[html.index('id="kop-inwoner-ziet"'):]
    assert "Wat u krijgt" in paneel and omschrijving(_voorziening(db, zaak)) in paneel
    assert "hoogstens € 21,80 per 4 weken" in paneel  # the same words as the portal
