"""Awb 7:2 (horen before deciding a bezwaar, 7:3 the exceptions) and 'onderzoek before verslag': an appointment is
planned, moved, cancelled with a letter, or recorded as held; deciding and sending the verslag wait for it
(issue 14, items 1, 4 and the appointment dates of 5)."""
from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.afspraken import staat
from domain.bezwaren import dien_bezwaar_in
from domain.leesmodel import GEDAAN, zaakbeeld
from domain.models import Afspraak, Bezwaarschrift, Document, Inwoner, Notificatie, Zaak
from domain.processes import zaaktype_van
from domain.tijd import vandaag
from domain.workflow import OvergangFout, beschikbare_overgangen, voer_uit
from domain.zaken import sla_verslag_op, verslag_schrijven_kan
from tests.helpers import afspraak_gehouden, horen_achterwege
from tests.test_wmo_proces import VERSLAG, _melding, inwoner_actor, medewerker

ANNA = "999990056"  # demo: Wmo zaak with a vastgesteld besluit


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _bezwaar(db, diensten):
    hoofdzaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Twee uur is te weinig.",
                              contact_hoorzitting="", diensten=diensten)
    jur = medewerker(db, "juridisch")
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=None, diensten=diensten)
    return bezwaar, jur


def _plan(db, jur, bezwaar, diensten, dagen=10, locatie="Raadhuis, zaal 2"):
    return voer_uit(db, jur, bezwaar, "hoorzitting_plannen", verwachte_versie=None, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=dagen), "locatie": locatie})


BESLISSING = {"uitkomst": "ongegrond", "motivering": "Twee uur is genoeg voor dit huis."}


def test_a_bezwaar_is_not_decided_before_the_indiener_was_heard(demo, diensten):
    db = demo
    bezwaar, jur = _bezwaar(db, diensten)
    with pytest.raises(OvergangFout, match="7:2"):
        voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten, gegevens=BESLISSING)
    with pytest.raises(OvergangFout, match="7:2"):
        voer_uit(db, jur, bezwaar, "advies_vastleggen", verwachte_versie=None, diensten=diensten,
                 gegevens={"reden": "Ongegrond."})
    _plan(db, jur, bezwaar, diensten)
    # While the hoorzitting is planned there is no 'beslissen' on offer at all, and it is refused when tried.
    assert "beslissen" not in {o.code for o in beschikbare_overgangen(zaaktype_van("bezwaar"), jur, bezwaar)}
    with pytest.raises(OvergangFout):
        voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten, gegevens=BESLISSING)
    # Recording it as held: not in the future, who were there and what was said are required, each at its field.
    morgen = vandaag() + dt.timedelta(days=1)
    for gegevens, veld in (({"gehouden_op": morgen}, "gehouden_op"), ({"aanwezig": ""}, "aanwezig"),
                           ({"verslag": " "}, "verslag")):
        with pytest.raises(OvergangFout) as fout:
            voer_uit(db, jur, bezwaar, "hoorzitting_vastleggen", verwachte_versie=None, diensten=diensten,
                     gegevens={"gehouden_op": vandaag(), "aanwezig": "Mevrouw Visser.", "verslag": "Zij legt uit.",
                               **gegevens})
        assert fout.value.veld == veld
        db.rollback()
    afspraak_gehouden(db, jur, bezwaar, diensten)
    assert bezwaar.status == "gehoord"
    [hoorzitting] = db.scalars(select(Afspraak).where(Afspraak.zaak_id == bezwaar.id))
    assert hoorzitting.gehouden_op == vandaag() and hoorzitting.aanwezig and hoorzitting.verslag
    assert staat(hoorzitting, dt.datetime.now(dt.UTC)).code == "gehouden"
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten, gegevens=BESLISSING)
    assert bezwaar.status == "beslist"
    stappen = {s.status: s.staat for s in zaakbeeld(db, bezwaar, vandaag()).tijdlijn}
    assert stappen["hoorzitting"] == stappen["gehoord"] == GEDAAN


def test_horen_left_out_only_on_a_ground_of_awb_7_3_and_never_while_a_hoorzitting_is_planned(demo, diensten):
    db = demo
    bezwaar, jur = _bezwaar(db, diensten)
    with pytest.raises(OvergangFout) as fout:
        voer_uit(db, jur, bezwaar, "horen_achterwege", verwachte_versie=None, diensten=diensten,
                 gegevens={"grond": "geen_zin", "toelichting": "Druk."})
    assert fout.value.veld == "grond"
    db.rollback()
    with pytest.raises(OvergangFout) as fout:
        voer_uit(db, jur, bezwaar, "horen_achterwege", verwachte_versie=None, diensten=diensten,
                 gegevens={"grond": "afgezien", "toelichting": ""})
    assert fout.value.veld == "toelichting"
    db.rollback()

    _plan(db, jur, bezwaar, diensten)
    voer_uit(db, jur, bezwaar, "hoorzitting_annuleren", verwachte_versie=None, diensten=diensten,
             gegevens={"reden": "U heeft laten weten dat u niet gehoord wilt worden."})
    horen_achterwege(db, jur, bezwaar, diensten, grond="afgezien")
    schrift = db.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == bezwaar.id))
    assert schrift.horen_achterwege == "afgezien" and schrift.horen_toelichting
    # Once recorded it is not offered again; deciding is now allowed.
    assert "horen_achterwege" not in {o.code for o in beschikbare_overgangen(zaaktype_van("bezwaar"), jur, bezwaar)}
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten, gegevens=BESLISSING)
    assert bezwaar.status == "beslist"


def test_horen_achterwege_is_refused_while_a_hoorzitting_is_planned(demo, diensten):
    db = demo
    bezwaar, jur = _bezwaar(db, diensten)
    _plan(db, jur, bezwaar, diensten)
    # The step belongs to in_behandeling; with a hoorzitting planned the zaak is elsewhere and the effect refuses too.
    with pytest.raises(OvergangFout):
        horen_achterwege(db, jur, bezwaar, diensten)


def test_a_cancelled_hoorzitting_is_told_by_letter_and_shows_as_cancelled(demo, diensten):
    db = demo
    bezwaar, jur = _bezwaar(db, diensten)
    _plan(db, jur, bezwaar, diensten)
    with pytest.raises(OvergangFout) as fout:
        voer_uit(db, jur, bezwaar, "hoorzitting_annuleren", verwachte_versie=None, diensten=diensten,
                 gegevens={"reden": ""})
    assert fout.value.veld == "reden"
    db.rollback()
    voer_uit(db, jur, bezwaar, "hoorzitting_annuleren", verwachte_versie=None, diensten=diensten,
             gegevens={"reden": "De voorzitter van de commissie is ziek."})
    assert bezwaar.status == "in_behandeling"
    [afspraak] = db.scalars(select(Afspraak).where(Afspraak.zaak_id == bezwaar.id))
    assert afspraak.geannuleerd and afspraak.annuleringsreden == "De voorzitter van de commissie is ziek."
    beeld = staat(afspraak, dt.datetime.now(dt.UTC))
    assert beeld.code == "vervallen" and "ziek" in beeld.tekst and not beeld.komt_nog
    # The letter, readable by the inwoner, names the date and the reason; she is notified.
    brief = db.scalar(select(Document).where(Document.zaak_id == bezwaar.id,
                                             Document.documenttype == "hoorzitting_vervalt"))
    assert brief is not None and brief.zichtbaar_voor_inwoner
    tekst = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(brief.versies[-1].inhoud)).pages)
    assert "gaat niet door" in tekst and "ziek" in tekst and str(afspraak.start.year) in tekst
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == bezwaar.id,
                                               Notificatie.onderwerp == "De hoorzitting gaat niet door"))
    # The timeline no longer says "Hoorzitting gepland: klaar".
    stappen = {s.status: s.staat for s in zaakbeeld(db, bezwaar, vandaag()).tijdlijn}
    assert stappen.get("hoorzitting") != GEDAAN


def test_planning_again_moves_the_hoorzitting_so_nobody_sees_two(demo, diensten):
    db = demo
    bezwaar, jur = _bezwaar(db, diensten)
    _plan(db, jur, bezwaar, diensten, dagen=10)
    ctx = _plan(db, jur, bezwaar, diensten, dagen=14, locatie="Raadhuis, zaal 3")
    assert ctx.resultaat.get("verzet")
    eerste, tweede = db.scalars(select(Afspraak).where(Afspraak.zaak_id == bezwaar.id).order_by(Afspraak.id))
    assert eerste.geannuleerd and eerste.annuleringsreden.startswith("Verzet naar")
    assert not tweede.geannuleerd and tweede.locatie == "Raadhuis, zaal 3"


def test_an_appointment_in_the_past_is_refused_at_its_field(demo, diensten):
    db = demo
    bezwaar, jur = _bezwaar(db, diensten)
    for start, veld in ((dt.datetime.now(dt.UTC) - dt.timedelta(days=2), "datum"),
                        (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5), "tijd")):
        with pytest.raises(OvergangFout) as fout:
            voer_uit(db, jur, bezwaar, "hoorzitting_plannen", verwachte_versie=None, diensten=diensten,
                     gegevens={"start": start, "locatie": "Raadhuis"})
        # Five minutes ago is "tijd", unless just after midnight in Amsterdam, when it was yesterday ("datum").
        assert fout.value.veld == veld or fout.value.veld == "datum"
        db.rollback()


def test_the_verslag_waits_for_the_keukentafelgesprek(demo, diensten):
    db = demo
    zaak = _melding(db, diensten)
    wmo = medewerker(db, "wmo")
    voer_uit(db, wmo, zaak, "plan_gesprek", verwachte_versie=None, diensten=diensten, gegevens={
        "start": dt.datetime.now(dt.UTC) + dt.timedelta(days=3), "locatie": "Bij u thuis"})
    assert not verslag_schrijven_kan(zaak)
    with pytest.raises(OvergangFout, match="keukentafelgesprek"):
        sla_verslag_op(db, wmo, zaak, VERSLAG)
    db.rollback()
    codes = {o.code for o in beschikbare_overgangen(zaaktype_van("wmo"), wmo, zaak)}
    assert "verslag_klaarzetten" not in codes and "gesprek_vastleggen" in codes
    with pytest.raises(OvergangFout):
        voer_uit(db, wmo, zaak, "verslag_klaarzetten", verwachte_versie=None, diensten=diensten)
    db.rollback()
    afspraak_gehouden(db, wmo, zaak, diensten)
    assert verslag_schrijven_kan(zaak)
    # Held, but no verslag yet: writing it is what comes next, not sending an empty one.
    codes = {o.code for o in beschikbare_overgangen(zaaktype_van("wmo"), wmo, zaak)}
    assert "verslag_klaarzetten" not in codes and "gesprek_vastleggen" not in codes
    sla_verslag_op(db, wmo, zaak, VERSLAG)
    assert "verslag_klaarzetten" in {o.code for o in beschikbare_overgangen(zaaktype_van("wmo"), wmo, zaak)}
    voer_uit(db, wmo, zaak, "verslag_klaarzetten", verwachte_versie=None, diensten=diensten)
    assert zaak.status == "verslag_ter_ondertekening"


def test_through_http_a_future_date_is_refused_at_the_field_and_a_cancelled_hoorzitting_says_so(
        client, demo, standin, db, diensten):
    import re

    from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

    bezwaar, jur = _bezwaar(db, diensten)
    _plan(db, jur, bezwaar, diensten)
    bezwaar_id = bezwaar.id
    medewerker_inloggen(client, "juridisch")
    url = f"/backoffice/zaken/{bezwaar_id}/vastleggen/hoorzitting_vastleggen"
    db.expire_all()
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "versie": db.get(Zaak, bezwaar_id).versie,
                               "gehouden_op": (vandaag() + dt.timedelta(days=3)).isoformat(),
                               "aanwezig": "Mevrouw Visser.", "verslag": "Zij legt uit waarom."})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "ligt in de toekomst" in html
    assert "Zij legt uit waarom." in html  # nothing typed is lost
    # The message sits with the date field (its error block comes before the next field's label).
    assert html.index("ligt in de toekomst") < html.index("Wie waren er bij?")
    stap = f"/backoffice/zaken/{bezwaar_id}/stap/hoorzitting_annuleren"
    r = client.post(stap, data={"csrf_token": csrf_token(client, stap), "versie": db.get(Zaak, bezwaar_id).versie,
                                "reden": "De voorzitter is ziek."}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "De hoorzitting vervalt" in html and "Gaat niet door. De voorzitter is ziek." in html
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})

    digid_inloggen(client, bsn=ANNA)
    html = client.get(f"/zaken/{bezwaar_id}").get_data(as_text=True)
    tekst = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "gaat niet door" in tekst and "De voorzitter is ziek." in tekst
    assert "Kunt u niet? Bel" not in tekst  # nothing to call about for a hoorzitting that is not held
    assert "Hoorzitting gepland: klaar" not in tekst
