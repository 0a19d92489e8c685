"""Zaaknummers and ToewijzingNummers come from a counter per gemeente (domain/nummering.py): consecutive, and
never the same number twice, also when two transactions ask at the same moment (max+1 over the data could)."""
from __future__ import annotations

import threading

from sqlalchemy import select

from app.diensten import diensten_uit
from domain.models import Gemeente, Inwoner, Zaak
from domain.nummering import reserveer
from domain.tijd import vandaag
from domain.workflow import start_zaak
from tests.test_wmo_proces import medewerker


def _gemeente(db, code="0489") -> int:
    return db.scalar(select(Gemeente.id).where(Gemeente.code == code))


def test_numbers_are_consecutive_start_after_the_data_and_come_in_blocks(demo):
    db = demo
    g = _gemeente(db)
    assert reserveer(db, g, "proef", huidig=lambda: 41) == 42
    assert reserveer(db, g, "proef", huidig=lambda: 0) == 43  # huidig only counts for the first reservation
    assert reserveer(db, g, "proef", huidig=lambda: 0, aantal=3) == 44
    assert reserveer(db, g, "proef", huidig=lambda: 0) == 47
    assert reserveer(db, _gemeente(db, "0613"), "proef", huidig=lambda: 0) == 1  # per gemeente
    db.rollback()
    assert reserveer(db, g, "proef", huidig=lambda: 7) == 8  # a rolled-back transaction gave its numbers back


def test_two_transactions_at_the_same_moment_get_different_numbers(demo, app):
    maker = app.extensions["db_sessionmaker"]
    g = _gemeente(demo)
    demo.commit()
    eerste_binnen, uitslag = threading.Event(), {}

    def eerste():
        with maker() as s:
            uitslag["eerste"] = reserveer(s, g, "gelijktijdig", huidig=lambda: 100)
            eerste_binnen.set()
            threading.Event().wait(0.5)  # holds its row lock (SQLite: the write lock) a while
            s.commit()

    def tweede():
        eerste_binnen.wait(10)
        with maker() as s:
            uitslag["tweede"] = reserveer(s, g, "gelijktijdig", huidig=lambda: 100)  # waits for the first
            s.commit()

    draden = [threading.Thread(target=eerste), threading.Thread(target=tweede)]
    for d in draden:
        d.start()
    for d in draden:
        d.join(30)
    assert uitslag == {"eerste": 101, "tweede": 102}


def test_two_zaken_started_at_the_same_moment_get_their_own_zaaknummer(demo, app, settings):
    """Before the counter, both computed the same max+1 and the second failed on the unique index."""
    maker = app.extensions["db_sessionmaker"]
    g = _gemeente(demo)
    inwoners = demo.scalars(select(Inwoner.id).where(Inwoner.gemeente_id == g).order_by(Inwoner.id).limit(2)).all()
    demo.commit()
    eerste_binnen, nummers, fouten = threading.Event(), [], []

    def start(inwoner_id: int, eerste: bool):
        try:
            with maker() as s:
                if not eerste:
                    eerste_binnen.wait(10)
                zaak = start_zaak(s, medewerker(s, "toegang"), zaaktype_code="wmo", inwoner_id=inwoner_id,
                                  gemeente_id=g, team_id=None, hulpvraag="Hulp bij het huishouden",
                                  startdatum=vandaag(), diensten=diensten_uit(settings))
                nummers.append(zaak.identificatie)
                if eerste:
                    eerste_binnen.set()
                    threading.Event().wait(0.5)  # still in its transaction when the second one starts
                s.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            fouten.append(exc)
            eerste_binnen.set()

    draden = [threading.Thread(target=start, args=(inwoners[0], True)),
              threading.Thread(target=start, args=(inwoners[1], False))]
    for d in draden:
        d.start()
    for d in draden:
        d.join(60)
    assert fouten == []
    a, b = sorted(int(n.rsplit("-", 1)[1]) for n in nummers)
    assert b == a + 1
    demo.expire_all()
    assert {z.identificatie for z in demo.scalars(select(Zaak).where(Zaak.identificatie.in_(nummers)))} == set(nummers)
