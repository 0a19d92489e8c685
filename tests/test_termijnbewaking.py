"""Termijnbewaking in the domain: verlenging and opschorting with a letter, warnings before a term passes,
reminders before a voorziening ends."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.diensten import diensten_uit
from domain import authz
from domain.models import Document, Inwoner, Notificatie, Termijn, Voorziening, Zaak
from domain.termijnbewaking import herinner_einde_voorzieningen, pas_termijn_aan, waarschuw_termijnen
from domain.tijd import vandaag
from domain.workflow import OvergangFout
from tests.test_wmo_proces import medewerker


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _zaak(db, bsn):
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn, Zaak.zaaktype == "wmo"))


def _termijn(db, zaak, soort):
    return db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == soort))


def test_verlenging_of_the_beschikking_term_with_a_letter(demo, diensten):
    db = demo
    zaak = _zaak(db, "999990044")  # ter toetsing, wmo-beschikking running
    termijn = _termijn(db, zaak, "wmo-beschikking")
    termijn.einddatum = vandaag() + dt.timedelta(days=3)  # still running
    termijn.startdatum = termijn.einddatum - dt.timedelta(weeks=2)
    db.commit()
    oud = termijn.einddatum
    with pytest.raises(OvergangFout, match="reden"):
        pas_termijn_aan(db, medewerker(db, "wmo"), zaak, termijn, soort="verlengen", weken=2, reden="", diensten=diensten)
    pas_termijn_aan(db, medewerker(db, "wmo"), zaak, termijn, soort="verlengen", weken=2,
                    reden="We wachten op advies van de ergotherapeut.", diensten=diensten)
    assert termijn.einddatum >= oud + dt.timedelta(weeks=2)
    assert zaak.uiterlijke_einddatum == termijn.einddatum
    brief = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "brief"))
    assert brief is not None and brief.zichtbaar_voor_inwoner
    with pytest.raises(OvergangFout, match="al verlengd"):
        pas_termijn_aan(db, medewerker(db, "wmo"), zaak, termijn, soort="verlengen", weken=1, reden="Nog eens.",
                        diensten=diensten)
    # A second letter on the same zaak is a letter of its own, not a new version that hides the first.
    pas_termijn_aan(db, medewerker(db, "wmo"), zaak, termijn, soort="opschorten", van=vandaag(),
                    tot=vandaag() + dt.timedelta(days=7), reden="We wachten op uw medische gegevens.",
                    diensten=diensten)
    brieven = db.scalars(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "brief")
                         .order_by(Document.id)).all()
    assert len(brieven) == 2 and [len(b.versies) for b in brieven] == [1, 1]
    assert brieven[0].versies[0].inhoud != brieven[1].versies[0].inhoud
    assert brieven[0].versies[0].bestandsnaam != brieven[1].versies[0].bestandsnaam


def test_a_reason_with_braces_goes_into_the_letter_as_written(demo, diensten):
    db = demo
    zaak = _zaak(db, "999990044")
    termijn = _termijn(db, zaak, "wmo-beschikking")
    pas_termijn_aan(db, medewerker(db, "wmo"), zaak, termijn, soort="opschorten", van=vandaag(),
                    tot=vandaag() + dt.timedelta(days=7), reden="We wachten op {het advies} van de arts.",
                    diensten=diensten)
    brief = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "brief"))
    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(brief.versies[0].inhoud)).pages)
    assert "{het advies}" in tekst


def test_the_wmo_onderzoek_cannot_be_extended_without_consent(demo, diensten):
    db = demo
    zaak = _zaak(db, "999990081")  # in onderzoek
    termijn = _termijn(db, zaak, "wmo-onderzoek")
    with pytest.raises(OvergangFout, match="instemming"):
        pas_termijn_aan(db, medewerker(db, "wmo"), zaak, termijn, soort="verlengen", weken=2, reden="Druk.",
                        diensten=diensten)


def test_opschorting_moves_the_end_by_the_suspended_days(demo, diensten):
    db = demo
    zaak = _zaak(db, "999990081")
    termijn = _termijn(db, zaak, "wmo-onderzoek")
    oud = termijn.einddatum
    van = vandaag()
    pas_termijn_aan(db, medewerker(db, "wmo"), zaak, termijn, soort="opschorten", van=van,
                    tot=van + dt.timedelta(days=11), reden="We wachten op uw medische gegevens.", diensten=diensten)
    assert termijn.einddatum >= oud + dt.timedelta(days=10)
    assert termijn.opgeschort_sinds == van


def test_only_the_behandelaar_roles_adjust_terms(demo, diensten):
    db = demo
    zaak = _zaak(db, "999990081")
    with pytest.raises(authz.Geweigerd):
        pas_termijn_aan(db, medewerker(db, "toegang"), zaak, _termijn(db, zaak, "wmo-onderzoek"), soort="opschorten",
                        van=vandaag(), tot=vandaag(), reden="x", diensten=diensten)


def test_terms_about_to_pass_warn_behandelaar_and_teamleider_once(demo):
    db = demo
    aantal = waarschuw_termijnen(db, vandaag())
    assert aantal >= 1  # the demo has an overdue melding and a beschikking term that passed
    teamleider = medewerker(db, "teamleider")
    assert db.scalar(select(Notificatie).where(Notificatie.medewerker_id == teamleider.id,
                                               Notificatie.onderwerp.startswith("Termijn loopt bijna af"))) is not None
    assert waarschuw_termijnen(db, vandaag()) == 0


def test_einde_voorziening_reminds_consulent_and_inwoner(demo, diensten):
    db = demo
    v = db.scalar(select(Voorziening).where(Voorziening.status == "gereserveerd"))
    v.einddatum = vandaag() + dt.timedelta(weeks=4)
    db.commit()
    assert herinner_einde_voorzieningen(db, vandaag(), diensten) == 1
    assert db.scalar(select(Notificatie).where(Notificatie.inwoner_id == v.inwoner_id,
                                               Notificatie.onderwerp == "Uw ondersteuning stopt binnenkort"))
    assert herinner_einde_voorzieningen(db, vandaag(), diensten) == 0
