"""Time-driven terms: a zaaktype's term fires an overgang when it has passed, or sends a reminder; the sweep is
idempotent and two sweeps at once fire nothing twice. Also: a term suspended until the inwoner answers, and the
zaak's uiterlijke einddatum when several terms run.

The zaaktype here exists only in this test suite (``domain.processes.registreer``).
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.diensten import diensten_uit
from domain.deadlines import REGELS, bereken
from domain.effects import MeldInwoner, MeldMedewerkers, StartTermijn, StopTermijn
from domain.feestdagen import atw_verleng
from domain.models import Inwoner, Medewerker, Notificatie, StatusHistorie, Termijn, Zaak
from domain.processes import verwijder, registreer
from domain.roles import Rol
from domain.servicetermijnen import reactietermijn
from domain.tijd import vandaag
from domain.tijdgestuurd import verwerk_termijnen
from domain.workflow import (
    INWONER,
    SYSTEEM_ROL,
    Context,
    Effect,
    Herinnering,
    Overgang,
    Status,
    Termijnsoort,
    Zaaktype,
    handeling_context,
    start_zaak,
    voer_uit,
)
from tests.conftest import ON_POSTGRES
from tests.test_wmo_proces import inwoner_actor, medewerker

BSN = "999990007"
SOORT = "test-reactietermijn"


@dataclass(frozen=True)
class Traag(Effect):
    """Holds the transaction (and so the row lock) a moment, so that concurrent sweeps really overlap."""

    seconden: float = 0.0

    def toepassen(self, ctx: Context) -> None:
        time.sleep(self.seconden)


def _zaaktype(traag: float = 0.0) -> Zaaktype:
    consulent = frozenset({Rol.CONSULENT.value})
    return Zaaktype(
        code="test_tijd",
        naam="Testzaak met een reactietermijn",
        domein="wmo",
        behandelaar_rollen=frozenset({Rol.CONSULENT}),
        termijnen=(Termijnsoort(
            SOORT, "verzending van het verslag", bij_einde="reactietermijn_verstreken",
            herinnering=Herinnering((MeldInwoner("nieuwe_notificatie", "Nog 2 dagen om te reageren",
                                                 "U kunt nog 2 dagen reageren op het verslag."), Traag(traag)),
                                    dagen_voor_einde=2)),),
        bij_start=(StartTermijn(SOORT),),
        statussen=(
            Status("wacht_op_reactie", "Wacht op reactie", "U kunt reageren op het verslag."),
            Status("verder", "Verder", "We gaan verder met uw zaak."),
            Status("afgesloten", "Afgesloten", "Afgesloten.", eind=True),
        ),
        overgangen=(
            Overgang("reageren", "Reageren", van=("wacht_op_reactie",), naar="verder",
                     rollen=frozenset({INWONER}), effecten=(StopTermijn(SOORT),)),
            Overgang("reactietermijn_verstreken", "Reactietermijn verstreken", van=("wacht_op_reactie",),
                     naar="verder", rollen=frozenset({SYSTEEM_ROL}), effecten=(
                         MeldMedewerkers("behandelaar", "Reactietermijn voorbij",
                                         "De inwoner heeft niet gereageerd. Ga verder met de zaak."),
                         Traag(traag))),
            Overgang("handmatig_verder", "Verder zonder te wachten", van=("wacht_op_reactie",), naar="verder",
                     rollen=consulent),
        ),
    )


@pytest.fixture
def testzaaktype(monkeypatch):
    """Register the test's zaaktype and its 7-day term for this test only."""
    monkeypatch.setitem(REGELS, SOORT, reactietermijn(7, soort=SOORT))
    zaaktype = registreer(_zaaktype(traag=0.1 if ON_POSTGRES else 0.0))
    yield zaaktype
    verwijder(zaaktype.code)


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


@pytest.fixture
def demo(demo, diensten):
    """The demo, with the running term of its Jeugd zaak that waits for a reaction (domain/demo/jeugd.py) run out
    first, as the worker would do within a week: what the sweeps below count is then only this test's zaak."""
    verwerk_termijnen(demo, vandaag() + dt.timedelta(days=60), diensten=diensten)
    return demo


def _start(db, diensten, startdatum: dt.date | None = None) -> Zaak:
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == BSN))
    consulent = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    zaak = start_zaak(db, medewerker(db, "toegang"), zaaktype_code="test_tijd", inwoner_id=inwoner.id,
                      gemeente_id=inwoner.gemeente_id, team_id=None, hulpvraag="Test", diensten=diensten,
                      startdatum=startdatum or vandaag(), behandelaar_id=consulent.id)
    db.commit()
    return zaak


def _termijn(db, zaak) -> Termijn:
    return db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == SOORT))


def _verstreken(db, zaak) -> int:
    return db.scalar(select(func.count()).select_from(StatusHistorie).where(
        StatusHistorie.zaak_id == zaak.id, StatusHistorie.overgang == "reactietermijn_verstreken"))


def test_the_term_fires_its_overgang_the_day_after_its_last_day_once(demo, testzaaktype, diensten):
    db = demo
    zaak = _start(db, diensten)
    termijn = _termijn(db, zaak)
    assert termijn.bij_einde == "reactietermijn_verstreken"
    assert termijn.einddatum == bereken(SOORT, vandaag()).einddatum  # 7 days, Atw by analogy
    assert verwerk_termijnen(db, termijn.einddatum, diensten=diensten).overgangen == 0  # the last day still counts
    assert zaak.status == "wacht_op_reactie"

    telling = verwerk_termijnen(db, termijn.einddatum + dt.timedelta(days=1), diensten=diensten)
    assert telling.overgangen == 1
    db.refresh(zaak)
    db.refresh(termijn)
    assert zaak.status == "verder"
    historie = db.scalar(select(StatusHistorie).where(StatusHistorie.zaak_id == zaak.id,
                                                      StatusHistorie.overgang == "reactietermijn_verstreken"))
    assert historie.medewerker_id is None and not historie.door_inwoner  # the system fired it
    assert termijn.afgehandeld_op is not None and termijn.afhandeling.startswith("Uitgevoerd")
    assert db.scalar(select(Notificatie).where(Notificatie.zaak_id == zaak.id,
                                               Notificatie.medewerker_id == zaak.behandelaar_id,
                                               Notificatie.onderwerp.startswith("Reactietermijn voorbij")))

    # The sweep run again (the next quarter of an hour, or the next day) fires nothing.
    assert not verwerk_termijnen(db, termijn.einddatum + dt.timedelta(days=1), diensten=diensten)
    assert not verwerk_termijnen(db, termijn.einddatum + dt.timedelta(days=5), diensten=diensten)
    assert _verstreken(db, zaak) == 1


def test_a_term_stopped_in_time_fires_nothing(demo, testzaaktype, diensten):
    db = demo
    zaak = _start(db, diensten)
    voer_uit(db, inwoner_actor(db, BSN), zaak, "reageren", verwachte_versie=zaak.versie, diensten=diensten)
    assert not verwerk_termijnen(db, vandaag() + dt.timedelta(days=30), diensten=diensten)
    assert _verstreken(db, zaak) == 0
    assert _termijn(db, zaak).afgehandeld_op is None


def test_when_the_zaak_moved_on_the_term_is_marked_done_with_a_note_not_retried(demo, testzaaktype, diensten):
    db = demo
    zaak = _start(db, diensten)
    voer_uit(db, medewerker(db, "wmo"), zaak, "handmatig_verder", verwachte_versie=zaak.versie, diensten=diensten)
    later = vandaag() + dt.timedelta(days=30)
    telling = verwerk_termijnen(db, later, diensten=diensten)
    assert (telling.overgangen, telling.niet_mogelijk) == (0, 1)
    termijn = _termijn(db, zaak)
    db.refresh(termijn)
    assert termijn.afgehandeld_op is not None
    assert "Niet uitgevoerd" in termijn.afhandeling and "Verder" in termijn.afhandeling  # the status it is on
    assert not verwerk_termijnen(db, later, diensten=diensten)
    assert _verstreken(db, zaak) == 0


def test_the_reminder_comes_two_days_before_the_end_once(demo, testzaaktype, diensten):
    db = demo
    zaak = _start(db, diensten)
    termijn = _termijn(db, zaak)
    assert termijn.herinner_op == termijn.einddatum - dt.timedelta(days=2)
    assert verwerk_termijnen(db, termijn.herinner_op - dt.timedelta(days=1), diensten=diensten).herinneringen == 0
    assert verwerk_termijnen(db, termijn.herinner_op, diensten=diensten).herinneringen == 1
    onderwerp = "Nog 2 dagen om te reageren"
    assert db.scalar(select(func.count()).select_from(Notificatie).where(
        Notificatie.inwoner_id == zaak.inwoner_id, Notificatie.onderwerp == onderwerp)) == 1
    assert verwerk_termijnen(db, termijn.herinner_op, diensten=diensten).herinneringen == 0
    assert db.scalar(select(func.count()).select_from(Notificatie).where(
        Notificatie.inwoner_id == zaak.inwoner_id, Notificatie.onderwerp == onderwerp)) == 1


def test_a_reminder_not_yet_sent_moves_with_the_end():
    t = Termijn(einddatum=dt.date(2026, 5, 20), herinner_op=dt.date(2026, 5, 18))
    t.zet_einddatum(dt.date(2026, 5, 27))
    assert t.herinner_op == dt.date(2026, 5, 25)
    t.herinnerd_op = dt.date(2026, 5, 25)
    t.zet_einddatum(dt.date(2026, 6, 3))
    assert t.herinner_op == dt.date(2026, 5, 25)  # sent: it stays as it was


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks (FOR UPDATE SKIP LOCKED) need PostgreSQL")
def test_two_sweeps_at_once_fire_nothing_twice(demo, testzaaktype, diensten, app):
    db = demo
    zaken = [_start(db, diensten) for _ in range(12)]
    termijn = _termijn(db, zaken[0])
    maker = app.extensions["db_sessionmaker"]

    def twee_sweeps(dag: dt.date) -> list:
        tellingen = []
        start = threading.Barrier(2)

        def sweep():
            session = maker()  # a connection of its own
            try:
                start.wait(10)
                tellingen.append(verwerk_termijnen(session, dag, diensten=diensten))
            finally:
                session.close()

        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return tellingen

    # The reminders: no zaak changes, so only the row lock keeps a second sweep from sending them again.
    tellingen = twee_sweeps(termijn.herinner_op)
    assert sum(t.herinneringen for t in tellingen) == 12
    assert all(t.herinneringen > 0 for t in tellingen)  # they really ran side by side and split the work
    assert db.scalar(select(func.count()).select_from(Notificatie).where(
        Notificatie.onderwerp == "Nog 2 dagen om te reageren")) == 12

    tellingen = twee_sweeps(termijn.einddatum + dt.timedelta(days=1))
    assert sum(t.overgangen for t in tellingen) == 12
    assert all(t.overgangen > 0 for t in tellingen)
    db.expire_all()
    assert [_verstreken(db, z) for z in zaken] == [1] * 12
    assert all(db.get(Zaak, z.id).status == "verder" for z in zaken)


# --- Opschorting until an event, and the uiterlijke einddatum ------------------------------------------------


def _wmo_zaak(db, bsn):
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn, Zaak.zaaktype == "wmo"))


def test_a_term_suspended_until_the_inwoner_answers_resumes_with_the_days_it_had_left(demo, diensten):
    from domain.termijnbewaking import pas_termijn_aan, verstreken_beslistermijn
    from domain.vragen import ANTWOORD_INWONER, beantwoord_vraag, stel_vraag

    db = demo
    zaak = _wmo_zaak(db, "999990044")  # ter toetsing, wmo-beschikking running
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "wmo-beschikking"))
    termijn.startdatum = vandaag() - dt.timedelta(days=4)
    termijn.einddatum = atw_verleng(vandaag() + dt.timedelta(days=10))
    db.commit()
    eind = termijn.einddatum
    wmo = medewerker(db, "wmo")
    vraag = stel_vraag(db, wmo, zaak, tekst="Wilt u de brief van uw huisarts sturen?",
                       uiterlijk=vandaag() + dt.timedelta(days=14), diensten=diensten)
    pas_termijn_aan(db, wmo, zaak, termijn, soort="opschorten", van=vandaag(), tot=None,
                    tot_gebeurtenis=ANTWOORD_INWONER, reden="We wachten op de brief van uw huisarts.",
                    diensten=diensten)
    assert termijn.opgeschort_tot == ANTWOORD_INWONER and termijn.einddatum == eind
    assert zaak.uiterlijke_einddatum is None  # the clock stands still: no known end
    # Long after the old end the term is not overdue: it stands still.
    assert verstreken_beslistermijn(db, zaak, eind + dt.timedelta(days=30)) is None

    # The inwoner answers 20 days later: suspended from the day after the question until the answer, 19 days.
    antwoord_op = dt.datetime.combine(vandaag() + dt.timedelta(days=20), dt.time(10), dt.UTC)
    beantwoord_vraag(db, inwoner_actor(db, "999990044"), vraag, antwoord="Hierbij de brief.", nu=antwoord_op)
    db.refresh(termijn)
    db.refresh(zaak)
    assert termijn.opgeschort_tot is None
    assert termijn.einddatum == atw_verleng(eind + dt.timedelta(days=19))
    assert zaak.uiterlijke_einddatum == termijn.einddatum
    assert "Opgeschort" in termijn.toelichting


def test_starting_a_longer_term_keeps_the_earlier_end_as_the_uiterlijke_einddatum(demo, diensten):
    db = demo
    zaak = _wmo_zaak(db, "999990081")  # in onderzoek: the wmo-onderzoek (6 weeks) runs
    onderzoek = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "wmo-onderzoek"))
    onderzoek.einddatum = vandaag() + dt.timedelta(days=10)
    zaak.uiterlijke_einddatum = onderzoek.einddatum
    db.commit()
    ctx = handeling_context(db, medewerker(db, "wmo"), zaak, "test", "Test", diensten=diensten)
    StartTermijn("awb-beschikking").toepassen(ctx)  # 8 weeks: ends well after the onderzoek
    awb = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "awb-beschikking"))
    assert awb.einddatum > onderzoek.einddatum
    assert zaak.uiterlijke_einddatum == onderzoek.einddatum
    StopTermijn("wmo-onderzoek").toepassen(ctx)
    assert zaak.uiterlijke_einddatum == awb.einddatum


def test_the_consulent_suspends_a_term_until_the_answer_in_the_backoffice(client, demo, standin, db):
    from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

    zaak = _wmo_zaak(db, "999990044")
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort == "wmo-beschikking"))
    termijn.startdatum = vandaag() - dt.timedelta(days=4)
    termijn.einddatum = atw_verleng(vandaag() + dt.timedelta(days=10))
    db.commit()
    medewerker_inloggen(client, "wmo")
    url = f"/backoffice/zaken/{zaak.id}/termijnen/{termijn.id}"
    gegevens = {"csrf_token": csrf_token(client, url), "soort": "opschorten", "van": vandaag().isoformat(),
                "tot_antwoord": "y", "reden": "We wachten op de brief van uw huisarts."}
    beide = client.post(url, data={**gegevens, "tot": (vandaag() + dt.timedelta(days=5)).isoformat()})
    assert beide.status_code == 200 and "niet allebei" in beide.get_data(as_text=True)
    r = client.post(url, data=gegevens, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "De termijn staat stil tot de inwoner antwoordt" in html
    assert "tot de inwoner reageert" in html
    db.expire_all()
    assert db.get(Termijn, termijn.id).opgeschort_tot == "antwoord_inwoner"

    client.get("/backoffice/uitloggen")
    digid_inloggen(client, bsn="999990044")
    portaal = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert "Wij wachten op uw antwoord" in portaal


def test_a_term_must_fire_an_overgang_the_system_may_fire():
    goed = _zaaktype()
    for code in ("bestaat_niet", "handmatig_verder"):  # unknown; only for the consulent
        termijn = Termijnsoort(SOORT, "test", bij_einde=code)
        with pytest.raises(ValueError, match="systeem"):
            Zaaktype(code="test_fout", naam="x", domein="wmo", statussen=goed.statussen,
                     overgangen=goed.overgangen, termijnen=(termijn,))
