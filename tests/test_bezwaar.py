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
    assert all(a.geannuleerd for a in db.scalars(select(Afspraak).where(Afspraak.zaak_id == bezwaar.id)))
    melding = db.scalar(select(Notificatie).where(Notificatie.zaak_id == bezwaar.id,
                                                  Notificatie.onderwerp == "Beslissing op bezwaar"))
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
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Oneens.", contact_hoorzitting="",
                              diensten=diensten)
    jur = medewerker(db, "juridisch")
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=None, diensten=diensten)
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten,
             gegevens={"uitkomst": "ongegrond", "motivering": "Het besluit is juist."})
    db.refresh(hoofdzaak)
    assert hoofdzaak.status == status_voor
