"""The read model of what the inwoner sees (domain/leesmodel.py), per Wmo status: the timeline (only what can
still happen), "wat moet ik doen?" and the terms shown with their legal source; and beroep after bezwaar."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.actor import SYSTEEM
from domain.bezwaren import bezwaartermijn, dien_bezwaar_in
from domain.deadlines import bereken
from domain.leesmodel import BEROEP, BEZWAAR, GEDAAN, NU, STRAKS, zaakbeeld
from domain.models import Besluit, Bezwaarschrift, Document, Inwoner, Termijn, Zaak
from domain.processes import zaaktype_van
from domain.stappen import te_ondertekenen
from domain.teksten import datum_nl
from domain.tijd import vandaag
from domain.vragen import stel_vraag
from domain.workflow import OvergangFout, voer_uit
from domain.zaken import sla_besluit_op, sla_verslag_op
from tests.helpers import afspraak_gehouden, bezwaar_beslist, horen_achterwege
from tests.test_wmo_proces import VERSLAG, _melding, _toekenning, _tot_aanvraag, inwoner_actor, medewerker

ANNA = "999990056"  # demo: a self-signed toekenning at "besluit"
WMO = zaaktype_van("wmo")


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _naam(code: str) -> str:
    return WMO.status(code).stap_inwoner  # the sentence the inwoner reads


def _tijdlijn(beeld) -> list[tuple[str, str]]:
    return [(s.naam, s.staat) for s in beeld.tijdlijn]


def _verwacht(gedaan: list[str], nu: str, straks: list[str]) -> list[tuple[str, str]]:
    return ([(_naam(c), GEDAAN) for c in gedaan] + [(_naam(nu), NU)] + [(_naam(c), STRAKS) for c in straks])


def test_the_timeline_todo_and_terms_through_every_wmo_status(demo, diensten):
    db = demo
    vandaag_ = vandaag()
    wmo = medewerker(db, "wmo")

    zaak = _melding(db, diensten)
    beeld = zaakbeeld(db, zaak, vandaag_)
    assert _tijdlijn(beeld) == _verwacht([], "melding", ["in_onderzoek", "verslag_ter_ondertekening", "aanvraag",
                                                         "besluit", "in_levering", "geleverd"])
    assert beeld.status_tekst == WMO.status("melding").portaal
    doen = beeld.wat_moet_ik_doen
    assert (doen.actie, doen.ondertekenen, doen.vragen, doen.ingebrekestelling, doen.rechtsmiddel) == (
        None, False, (), None, None)
    assert doen.punten() == []
    [termijn] = beeld.termijnen
    assert termijn.soort == "wmo-onderzoek" and termijn.bron == "Wmo 2015, artikel 2.3.2 lid 1"
    assert termijn.einddatum == bereken("wmo-onderzoek", zaak.startdatum).einddatum

    voer_uit(db, wmo, zaak, "plan_gesprek", verwachte_versie=zaak.versie, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=3), "locatie": "Bij u thuis", "duur_minuten": 60})
    vraag = stel_vraag(db, wmo, zaak, tekst="Wilt u de brief van de huisarts sturen?",
                       uiterlijk=vandaag_ + dt.timedelta(days=14), diensten=diensten)
    beeld = zaakbeeld(db, zaak, vandaag_)
    assert _tijdlijn(beeld)[:2] == [(_naam("melding"), GEDAAN), (_naam("in_onderzoek"), NU)]
    assert beeld.tijdlijn[0].toelichting == f"klaar op {datum_nl(vandaag_)}"
    assert beeld.tijdlijn[1].toelichting == f"hier bent u nu, sinds {datum_nl(vandaag_)}"
    assert beeld.tijdlijn[2].toelichting == "nog niet"
    [open_vraag] = beeld.wat_moet_ik_doen.vragen
    assert (open_vraag.id, open_vraag.uiterlijk) == (vraag.id, vraag.uiterlijk)
    assert any("Wilt u de brief van de huisarts sturen?" in p for p in beeld.wat_moet_ik_doen.punten())

    afspraak_gehouden(db, wmo, zaak, diensten)
    sla_verslag_op(db, wmo, zaak, VERSLAG)
    voer_uit(db, wmo, zaak, "verslag_klaarzetten", verwachte_versie=zaak.versie, diensten=diensten)
    beeld = zaakbeeld(db, zaak, vandaag_)
    assert _tijdlijn(beeld)[2] == (_naam("verslag_ter_ondertekening"), NU)
    assert beeld.wat_moet_ik_doen.actie == WMO.status("verslag_ter_ondertekening").actie_inwoner
    assert beeld.wat_moet_ik_doen.ondertekenen

    voer_uit(db, inwoner_actor(db, "999990007"), zaak, "ondertekenen", verwachte_versie=zaak.versie,
             diensten=diensten, gegevens={"sha256": te_ondertekenen(db, zaak.id).sha256})
    beeld = zaakbeeld(db, zaak, vandaag_)
    assert _tijdlijn(beeld) == _verwacht(["melding", "in_onderzoek", "verslag_ter_ondertekening"], "aanvraag",
                                         ["besluit", "in_levering", "geleverd"])
    assert not beeld.wat_moet_ik_doen.ondertekenen and beeld.wat_moet_ik_doen.actie is None
    beslis = [t for t in beeld.termijnen if t.soort == "wmo-beschikking"]
    assert [t.bron for t in beslis] == ["Wmo 2015, artikel 2.3.5 lid 1"]
    assert beslis[0].einddatum == bereken("wmo-beschikking", zaak.aanvraagdatum).einddatum

    _toekenning(db, zaak, uren=10)  # above the cost level: to the toetser
    voer_uit(db, wmo, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    beeld = zaakbeeld(db, zaak, vandaag_)
    assert (_naam("ter_toetsing"), NU) in _tijdlijn(beeld)  # optional: shown once it happens

    voer_uit(db, medewerker(db, "toetser"), zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    beeld = zaakbeeld(db, zaak, vandaag_)
    assert _tijdlijn(beeld) == _verwacht(["melding", "in_onderzoek", "verslag_ter_ondertekening", "aanvraag",
                                          "ter_toetsing"], "besluit", ["in_levering", "geleverd"])
    middel = beeld.wat_moet_ik_doen.rechtsmiddel
    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id))
    assert middel.soort == BEZWAAR and middel.open and middel.ingediend_zaak_id is None
    assert middel.einddatum == bezwaartermijn(besluit).einddatum and "6:7" in middel.bron
    assert middel.dagen_over == (middel.einddatum - vandaag_).days

    diensten.berichten = lambda ctx, soort: None  # no berichtenverkeer in this test
    voer_uit(db, medewerker(db, "administratie"), zaak, "bestellen", verwachte_versie=zaak.versie, diensten=diensten)
    assert _tijdlijn(zaakbeeld(db, zaak, vandaag_))[-2:] == [(_naam("in_levering"), NU), (_naam("geleverd"), STRAKS)]
    voer_uit(db, SYSTEEM, zaak, "levering_gestart", verwachte_versie=zaak.versie, diensten=diensten)
    assert _tijdlijn(zaakbeeld(db, zaak, vandaag_))[-2:] == [(_naam("in_levering"), GEDAAN), (_naam("geleverd"), NU)]
    voer_uit(db, SYSTEEM, zaak, "levering_beeindigd", verwachte_versie=zaak.versie, diensten=diensten)
    assert _tijdlijn(zaakbeeld(db, zaak, vandaag_))[-1] == (_naam("beeindigd"), NU)
    voer_uit(db, wmo, zaak, "afsluiten", verwachte_versie=zaak.versie, diensten=diensten)
    beeld = zaakbeeld(db, zaak, vandaag_)
    assert _tijdlijn(beeld)[-2:] == [(_naam("beeindigd"), GEDAAN), (_naam("afgesloten"), NU)]
    assert all(s.staat != STRAKS for s in beeld.tijdlijn)


def test_after_an_afwijzing_the_timeline_ends_at_the_besluit(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    wmo = medewerker(db, "wmo")
    # Before the besluit anything can still happen: ordering is announced.
    assert (_naam("in_levering"), STRAKS) in _tijdlijn(zaakbeeld(db, zaak, vandaag()))
    sla_besluit_op(db, wmo, zaak, besluittype="afwijzing", onderbouwing="Voorliggende voorziening: de regiotaxi.",
                   wettelijke_grondslag="", voorzieningen=[])
    voer_uit(db, wmo, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    voer_uit(db, medewerker(db, "toetser"), zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    beeld = zaakbeeld(db, zaak, vandaag())
    assert _tijdlijn(beeld) == _verwacht(["melding", "in_onderzoek", "verslag_ter_ondertekening", "aanvraag",
                                          "ter_toetsing"], "besluit", [])
    assert beeld.wat_moet_ik_doen.rechtsmiddel.soort == BEZWAAR  # objecting to an afwijzing is still possible
    voer_uit(db, wmo, zaak, "afsluiten", verwachte_versie=zaak.versie, diensten=diensten)
    assert _tijdlijn(zaakbeeld(db, zaak, vandaag()))[-2:] == [(_naam("besluit"), GEDAAN), (_naam("afgesloten"), NU)]


def test_a_passed_beslistermijn_offers_the_ingebrekestelling(demo, diensten):
    db = demo
    zaak = _tot_aanvraag(db, diensten)
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "wmo-beschikking"))
    termijn.einddatum = vandaag() - dt.timedelta(days=1)
    db.commit()
    ingebreke = zaakbeeld(db, zaak, vandaag()).wat_moet_ik_doen.ingebrekestelling
    assert (ingebreke.einddatum, ingebreke.bron) == (termijn.einddatum, termijn.bron)
    assert zaakbeeld(db, zaak, termijn.einddatum).wat_moet_ik_doen.ingebrekestelling is None  # the last day: in time


def test_after_the_beslissing_op_bezwaar_beroep_at_the_rechtbank_not_a_second_bezwaar(demo, diensten):
    db = demo
    hoofdzaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))
    anna = inwoner_actor(db, ANNA)
    bezwaar = dien_bezwaar_in(db, anna, hoofdzaak, gronden="Twee uur is te weinig.", contact_hoorzitting="",
                              diensten=diensten)
    assert zaakbeeld(db, bezwaar, vandaag()).wat_moet_ik_doen.rechtsmiddel is None  # nothing decided yet
    assert zaakbeeld(db, hoofdzaak, vandaag()).wat_moet_ik_doen.rechtsmiddel.ingediend_zaak_id == bezwaar.id
    jur = medewerker(db, "juridisch")
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=None, diensten=diensten)
    horen_achterwege(db, jur, bezwaar, diensten)
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten,
             gegevens={"uitkomst": "ongegrond", "motivering": "Twee uur is genoeg voor dit huis."})
    schrift = db.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == bezwaar.id))

    middel = zaakbeeld(db, bezwaar, vandaag()).wat_moet_ik_doen.rechtsmiddel
    # 6 weeks from the day after the beslissing is sent, counted like the bezwaartermijn (Awb 6:7, 6:8, 8:1)
    assert middel.soort == BEROEP and middel.einddatum == bereken("bezwaartermijn", schrift.beslist_op).einddatum
    assert "8:1" in middel.bron and "6:7" in middel.bron
    assert middel.instantie == hoofdzaak.gemeente.briefhoofd["rechtbank"] == "Rechtbank Rotterdam"
    assert middel.ingediend_zaak_id is None and middel.open
    [punt] = zaakbeeld(db, bezwaar, vandaag()).wat_moet_ik_doen.punten()
    assert "beroep" in punt and "Rechtbank Rotterdam" in punt and datum_nl(middel.einddatum) in punt
    # ... and the letter says the same date and court
    brief = db.scalar(select(Document).where(Document.zaak_id == bezwaar.id,
                                             Document.documenttype == "beslissing_op_bezwaar"))
    tekst = " ".join(p.extract_text() for p in PdfReader(BytesIO(brief.versies[-1].inhoud)).pages)
    assert datum_nl(middel.einddatum) in " ".join(tekst.split()) and "Rechtbank Rotterdam" in tekst

    with pytest.raises(OvergangFout, match="geen bezwaar maken"):
        dien_bezwaar_in(db, anna, bezwaar, gronden="Nog een keer.", contact_hoorzitting="", diensten=diensten)


def test_without_a_rechtbank_setting_the_court_is_left_open(demo, diensten):
    db = demo
    hoofdzaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))
    hoofdzaak.gemeente.briefhoofd = {k: v for k, v in hoofdzaak.gemeente.briefhoofd.items() if k != "rechtbank"}
    db.commit()
    bezwaar = bezwaar_beslist(db, hoofdzaak, diensten, uitkomst="niet_ontvankelijk", motivering="Te laat zonder reden.")
    middel = zaakbeeld(db, bezwaar, vandaag()).wat_moet_ik_doen.rechtsmiddel
    assert middel.soort == BEROEP and middel.instantie is None
