"""Bezwaar on the engine: filing (in time and late), juridische zaken's steps, gegrond reopens the zaak."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.bezwaren import bezwaartermijn, dien_bezwaar_in
from domain.models import Besluit, Bezwaarschrift, Document, Notificatie, Termijn, Zaak
from domain.uploads import UploadFout, controleer
from domain.workflow import OvergangFout, voer_uit
from tests.helpers import afspraak_gehouden, bezwaar_beslist, horen_achterwege
from tests.test_wmo_proces import inwoner_actor, medewerker

ANNA = "999990056"  # demo: besluit (self-signed toekenning)


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _hoofdzaak(db):
    from domain.models import Inwoner

    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))


def _besluit(db, zaak):
    return db.scalar(select(Besluit).where(Besluit.zaak_id == zaak.id, Besluit.status == "vastgesteld"))


def _moment(datum: dt.date) -> dt.datetime:
    return dt.datetime.combine(datum, dt.time(11, 0), dt.UTC)


def test_bezwaar_in_time_starts_the_beslistermijn_and_notifies(demo, diensten):
    db = demo
    hoofdzaak = _hoofdzaak(db)
    besluit = _besluit(db, hoofdzaak)
    laatste_dag = bezwaartermijn(besluit).einddatum
    pdf = controleer("brief huisarts.pdf", b"%PDF-1.4 test", max_bytes=1000)
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Twee uur is te weinig.",
                              contact_hoorzitting="06-12345678", bijlagen=[pdf], diensten=diensten,
                              nu=_moment(laatste_dag))
    schrift = db.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == bezwaar.id))
    assert schrift.te_laat is False  # received on the last day is in time
    assert bezwaar.team.code == "juridisch" and bezwaar.hoofdzaak_id == hoofdzaak.id
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == bezwaar.id))
    assert termijn.soort == "bezwaar-beslistermijn" and "7:10" in termijn.bron
    assert termijn.einddatum >= laatste_dag + dt.timedelta(weeks=6)
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == bezwaar.id,
                                               Notificatie.medewerker_id == hoofdzaak.behandelaar_id)) is not None
    bijlage = db.scalar(select(Document).where(Document.zaak_id == bezwaar.id))
    assert bijlage.versies[0].mediatype == "application/pdf"
    with pytest.raises(OvergangFout, match="al bezwaar"):
        dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Nog eens.", contact_hoorzitting="",
                        diensten=diensten, nu=_moment(laatste_dag))


def test_bezwaar_the_day_after_is_accepted_and_flagged_late(demo, diensten):
    db = demo
    hoofdzaak = _hoofdzaak(db)
    laatste_dag = bezwaartermijn(_besluit(db, hoofdzaak)).einddatum
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Te laat, sorry.",
                              contact_hoorzitting="", diensten=diensten, nu=_moment(laatste_dag + dt.timedelta(days=1)))
    assert db.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == bezwaar.id)).te_laat is True


def test_only_the_inwoner_of_the_zaak_can_object(demo, diensten):
    with pytest.raises(OvergangFout):
        dien_bezwaar_in(demo, inwoner_actor(demo, "999990093"), _hoofdzaak(demo), gronden="x", contact_hoorzitting="",
                        diensten=diensten)


def test_uploads_are_checked_by_content():
    with pytest.raises(UploadFout, match="geen PDF"):
        controleer("virus.pdf", b"MZ\x90\x00 this is an exe", max_bytes=1000)
    with pytest.raises(UploadFout, match="groter"):
        controleer("groot.pdf", b"%PDF-" + b"x" * 2000, max_bytes=1000)
    assert controleer("../../etc/foto.jpeg", b"\xff\xd8\xff\xe0data", max_bytes=1000).bestandsnaam == "foto.jpg"


def test_juridische_zaken_hear_and_decide_gegrond_which_reopens_the_zaak(demo, diensten):
    db = demo
    hoofdzaak = _hoofdzaak(db)
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Twee uur is te weinig.",
                              contact_hoorzitting="", diensten=diensten)
    jur = medewerker(db, "juridisch")
    with pytest.raises(OvergangFout, match="niet uitvoeren"):
        voer_uit(db, medewerker(db, "wmo"), bezwaar, "in_behandeling_nemen", verwachte_versie=bezwaar.versie)
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=bezwaar.versie, diensten=diensten)
    voer_uit(db, jur, bezwaar, "heroverweging_vragen", verwachte_versie=bezwaar.versie, diensten=diensten)
    voer_uit(db, jur, bezwaar, "hoorzitting_plannen", verwachte_versie=bezwaar.versie, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=10), "locatie": "Raadhuis, zaal 2"})
    afspraak_gehouden(db, jur, bezwaar, diensten)
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == bezwaar.id,
                                               Notificatie.onderwerp == "Uitnodiging voor de hoorzitting"))
    voer_uit(db, jur, bezwaar, "advies_vastleggen", verwachte_versie=bezwaar.versie, diensten=diensten,
             gegevens={"reden": "De commissie adviseert het bezwaar gegrond te verklaren."})
    with pytest.raises(OvergangFout, match="motivering"):
        voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=bezwaar.versie, diensten=diensten,
                 gegevens={"uitkomst": "gegrond", "motivering": ""})
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=bezwaar.versie, diensten=diensten,
             gegevens={"uitkomst": "gegrond", "motivering": "Het huis is groot; twee uur is te weinig."})
    assert bezwaar.status == "beslist"
    db.refresh(hoofdzaak)
    assert hoofdzaak.status == "aanvraag"  # reopened for a new besluit
    oud = db.scalar(select(Besluit).where(Besluit.zaak_id == hoofdzaak.id))
    assert oud.status == "ingetrokken" and {v.status for v in oud.voorzieningen} == {"ingetrokken"}
    from domain.models import Actie, Afspraak, DocumentVersie

    brief = db.get(DocumentVersie, oud.document_versie_id).document  # still there for the inwoner, marked
    assert brief.zichtbaar_voor_inwoner and "ingetrokken op" in brief.titel

    assert db.scalar(select(Actie).where(Actie.zaak_id == hoofdzaak.id, Actie.soort == "bestellen",
                                         Actie.afgerond.is_(None))) is None
    [hoorzitting] = db.scalars(select(Afspraak).where(Afspraak.zaak_id == bezwaar.id))
    assert hoorzitting.gehouden_op is not None and not hoorzitting.geannuleerd  # heard, not silently cancelled
    melding = db.scalar(select(Notificatie).where(Notificatie.zaak_id == bezwaar.id,
                                                  Notificatie.onderwerp == f"Beslissing op bezwaar – {bezwaar.identificatie}"))
    assert melding.link == f"/backoffice/zaken/{hoofdzaak.id}"  # the consulent can open it
    assert db.scalar(select(Termijn).where(Termijn.zaak_id == bezwaar.id)).gestopt_op is not None
    brief = db.scalar(select(Document).where(Document.zaak_id == bezwaar.id,
                                             Document.documenttype == "beslissing_op_bezwaar"))
    tekst = "".join(p.extract_text() for p in PdfReader(BytesIO(brief.versies[-1].inhoud)).pages)
    assert "gegrond" in tekst and "beroep" in tekst.lower() and "rechtbank" in tekst.lower()


def test_ongegrond_leaves_the_besluit_standing(demo, diensten):
    db = demo
    hoofdzaak = _hoofdzaak(db)
    status_voor = hoofdzaak.status
    bezwaar = bezwaar_beslist(db, hoofdzaak, diensten, uitkomst="ongegrond", motivering="Het besluit is juist.")
    db.refresh(hoofdzaak)
    assert hoofdzaak.status == status_voor


# --- The gemeente's own closing days (gelijkgestelde dagen) count for the bezwaar- and beroepstermijn ---------


def _sluit_op(gemeente, *dagen: dt.date) -> None:
    """The gemeente keeps these days equal to a feestdag (Atw artikel 3 lid 3), in its settings."""
    per_jaar: dict[str, list[str]] = {}
    for d in dagen:
        per_jaar.setdefault(str(d.year), []).append(d.isoformat())
    gemeente.instellingen = {**(gemeente.instellingen or {}), "gelijkgestelde_dagen": per_jaar}


def test_the_bezwaartermijn_skips_the_gemeentes_gelijkgestelde_dagen(demo):
    from domain.deadlines import bereken

    db = demo
    besluit = _besluit(db, _hoofdzaak(db))
    gewoon = bereken("bezwaartermijn", besluit.verzenddatum).einddatum
    assert bezwaartermijn(besluit).einddatum == gewoon
    _sluit_op(_hoofdzaak(db).gemeente, gewoon)
    db.commit()
    einde = bezwaartermijn(besluit).einddatum
    assert einde > gewoon
    assert einde == bereken("bezwaartermijn", besluit.verzenddatum,
                            extra_feestdagen={gewoon.year: {gewoon}}).einddatum


def test_the_beschikking_and_the_beslissing_op_bezwaar_name_the_term_with_the_gelijkgestelde_dagen(demo, diensten):
    from dataclasses import replace

    from domain.deadlines import bereken
    from domain.tijd import vandaag
    from tests.test_wmo_proces import _toekenning, _tot_aanvraag

    db = demo
    vandaag_ = vandaag()
    bezwaar_gewoon = bereken("bezwaartermijn", vandaag_).einddatum
    beroep_gewoon = bereken("beroepstermijn", vandaag_).einddatum
    assert beroep_gewoon == bezwaar_gewoon  # both 6 weeks after bekendmaking (Awb 6:7; 8:1 for beroep)
    hoofdzaak = _hoofdzaak(db)
    _sluit_op(hoofdzaak.gemeente, bezwaar_gewoon)
    db.commit()
    verwacht = bereken("bezwaartermijn", vandaag_, extra_feestdagen={bezwaar_gewoon.year: {bezwaar_gewoon}}).einddatum
    assert verwacht > bezwaar_gewoon

    gezien: list[dict] = []

    def render(template, context):
        gezien.append(context)
        return diensten.render_pdf(template, context)

    met_blik = replace(diensten, render_pdf=render)

    # The beschikking (stel_vast) of a new Wmo zaak of the same gemeente, signed after toetsing.
    zaak = _tot_aanvraag(db, diensten, bsn=ANNA)
    assert zaak.gemeente_id == hoofdzaak.gemeente_id
    _toekenning(db, zaak)
    voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=None, diensten=met_blik)
    if zaak.status == "ter_toetsing":
        voer_uit(db, medewerker(db, "toetser"), zaak, "goedkeuren", verwachte_versie=None, diensten=met_blik)
    assert [c["bezwaar_uiterlijk"] for c in gezien if "bezwaar_uiterlijk" in c] == [verwacht]

    # The beslissing op bezwaar names the beroepstermijn in its letter.
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Oneens.", contact_hoorzitting="",
                              diensten=met_blik)
    jur = medewerker(db, "juridisch")
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=None, diensten=met_blik)
    horen_achterwege(db, jur, bezwaar, met_blik)
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=met_blik,
             gegevens={"uitkomst": "ongegrond", "motivering": "Het besluit is juist."})
    assert [c["beroep_uiterlijk"] for c in gezien if "beroep_uiterlijk" in c] == [verwacht]


def test_juridisch_cannot_reopen_a_zaak_without_a_gegrond_bezwaar(demo, diensten):
    """Found by the engine's property test: 'Heropenen na gegrond bezwaar' was offered to juridische zaken on every
    decided or closed zaak, bezwaar or not."""
    from domain.processes import zaaktype_van
    from domain.workflow import beschikbare_overgangen

    db = demo
    hoofdzaak = _hoofdzaak(db)  # a besluit, no bezwaar
    juridisch = medewerker(db, "juridisch")
    assert "heropenen_na_bezwaar" not in {o.code for o in beschikbare_overgangen(zaaktype_van("wmo"), juridisch, hoofdzaak)}
    with pytest.raises(OvergangFout, match="gegrond bezwaar"):
        voer_uit(db, juridisch, hoofdzaak, "heropenen_na_bezwaar", verwachte_versie=hoofdzaak.versie, diensten=diensten)
