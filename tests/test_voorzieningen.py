"""A toegekende voorziening in words (domain.voorzieningen.omschrijving): one text for every face, with the right
unit and plural, the frequency, and the period with or without an einddatum."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from domain.voorzieningen import omschrijving, omvang, periode


def _v(naam="Hulp bij het huishouden", volume=3, eenheid="04", frequentie="2", van=dt.date(2026, 12, 3),
       tot=dt.date(2027, 12, 2)):
    return SimpleNamespace(product=SimpleNamespace(naam=naam), volume=volume, eenheid=eenheid, frequentie=frequentie,
                           ingangsdatum=van, einddatum=tot)


def test_hours_a_week_with_an_end_date():
    assert omschrijving(_v()) == ("Hulp bij het huishouden: 3 uur per week, van 3 december 2026 tot en met "
                                  "2 december 2027")


def test_without_an_end_date():
    assert omschrijving(_v(tot=None)) == "Hulp bij het huishouden: 3 uur per week, vanaf 3 december 2026, zonder einddatum"


@pytest.mark.parametrize(("volume", "eenheid", "frequentie", "tekst"), [
    (1, "04", "2", "1 uur per week"),
    (30, "01", "1", "30 minuten per dag"),
    (1, "01", "1", "1 minuut per dag"),
    (2, "14", "4", "2 etmalen per maand"),
    (1, "14", "4", "1 etmaal per maand"),
    (3, "16", "2", "3 dagdelen van 4 uur per week"),
    (1, "82", "6", "1 stuk in totaal"),
    (4, "84", "6", "4 stuks in totaal"),
    (1250, "83", "4", "€ 1.250 per maand"),
])
def test_units_plurals_and_frequencies(volume, eenheid, frequentie, tekst):
    assert omvang(_v(volume=volume, eenheid=eenheid, frequentie=frequentie)) == tekst


def test_the_period_says_through_the_last_day():
    # "tot" leaves the last day out in Dutch; the einddatum still counts, so "tot en met".
    assert periode(_v(van=dt.date(2026, 1, 1), tot=dt.date(2026, 6, 30))) == "van 1 januari 2026 tot en met 30 juni 2026"


def test_a_product_name_with_a_comma_stays_as_the_catalogue_writes_it():
    assert omschrijving(_v(naam="Jeugd-ggz, behandeling", volume=2)).startswith("Jeugd-ggz, behandeling: 2 uur per week")


# --- Every face says the same: the beschikking, the zaak page and the ordering page for administratie ----------


def _woorden(tekst: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (a PDF wraps its lines)."""
    import re

    return re.sub(r"\s+", " ", tekst)


def test_the_ordering_page_the_zaak_page_and_the_beschikking_describe_the_voorziening_alike(demo, client):
    from io import BytesIO

    from pypdf import PdfReader
    from sqlalchemy import select

    from domain.models import Besluit, DocumentVersie, Inwoner, Zaak
    from tests.helpers import medewerker_inloggen

    db = demo
    zaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == "999990056", Zaak.zaaktype == "wmo"))
    assert zaak.status == "besluit"  # a self-signed toekenning, waiting to be ordered
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    [voorziening] = besluit.voorzieningen
    tekst = omschrijving(voorziening)

    brief = db.get(DocumentVersie, besluit.document_versie_id).inhoud
    beschikking = _woorden("".join(p.extract_text() for p in PdfReader(BytesIO(brief)).pages))
    assert tekst in beschikking

    medewerker_inloggen(client, "administratie")
    bestellen = _woorden(client.get(f"/backoffice/zaken/{zaak.id}/bestellen").get_data(as_text=True))
    assert tekst in bestellen
    assert " x per " not in bestellen  # the old "3 x per week, vanaf ..." that did not match the beschikking
    zaakpagina = _woorden(client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True))
    assert tekst in zaakpagina

    # ... and once ordered, the toewijzing on the message's page in the same words (amount, unit, through when)
    from domain.models import Bericht, Zorgaanbieder
    from domain.voorzieningen import omvang, periode
    from tests.helpers import csrf_token

    url = f"/backoffice/zaken/{zaak.id}/bestellen"
    aanbieder = db.scalar(select(Zorgaanbieder).where(Zorgaanbieder.actief).order_by(Zorgaanbieder.id))
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "versie": zaak.versie,
                               "zorgaanbieder_id": aanbieder.id})
    assert r.status_code == 302
    b301 = db.scalar(select(Bericht).where(Bericht.zaak_id == zaak.id, Bericht.code == "301"))
    detail = _woorden(client.get(f"/backoffice/berichten/{b301.id}").get_data(as_text=True))
    assert f"{omvang(voorziening)}, {periode(voorziening)} bij {aanbieder.naam}" in detail
