"""The teamleider's trend of overdue terms is counted once per date and stored (domain/termijnstand.py)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import event, func, select

from domain.models import Inwoner, Termijn, TermijnStand, Zaak
from domain.termijnbewaking import termijnen_gemeente
from domain.termijnstand import _te_laat, leg_stand_vast, trend_per_team
from domain.tijd import vandaag


def _zaak(db):
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == "999990093", Zaak.zaaktype == "wmo"))


def _totaal(trend, team_naam):
    return [n for t in trend if t.team == team_naam for _, n in t.weken]


def test_overdue_terms_per_week_counted_once_and_read_from_the_stand(demo, db, app):
    zaak = _zaak(db)
    team = zaak.team.naam
    gemeenten = frozenset({zaak.gemeente_id})
    soort = termijnen_gemeente()[0]
    dag = vandaag()
    eindes = [dag - dt.timedelta(days=7 * i) for i in range(7, -1, -1)]
    sleutel = (zaak.team_id, zaak.gemeente_id)
    basis = [_te_laat(db, e)[sleutel] for e in eindes]  # the demo's own overdue terms
    # Running and 3 weeks past its last day; and one that was stopped too late, 10 days after its last day.
    db.add(Termijn(zaak_id=zaak.id, soort=soort, bron="test", startdatum=dag - dt.timedelta(days=60),
                   einddatum=dag - dt.timedelta(days=21)))
    db.add(Termijn(zaak_id=zaak.id, soort=soort, bron="test", startdatum=dag - dt.timedelta(days=70),
                   einddatum=dag - dt.timedelta(days=40), gestopt_op=dag - dt.timedelta(days=30)))
    db.commit()
    nu = _totaal(trend_per_team(db, gemeenten, dag), team)
    # 8 weeks, oldest first; the running term counts from its last day on, the late one until it stopped.
    verwacht = [b + int(e > dag - dt.timedelta(days=21)) + int(dag - dt.timedelta(days=40) < e <= dag - dt.timedelta(days=30))
                for b, e in zip(basis, eindes, strict=True)]
    assert nu == verwacht

    # Stored: a new overdue term does not change a date already counted, and reading runs a fixed few queries.
    aantal_rijen = db.scalar(select(func.count()).select_from(TermijnStand))
    db.add(Termijn(zaak_id=zaak.id, soort=soort, bron="test", startdatum=dag - dt.timedelta(days=30),
                   einddatum=dag - dt.timedelta(days=2)))
    db.commit()
    teller = {"n": 0}

    def tel(*_a, **_k):
        teller["n"] += 1

    event.listen(app.extensions["db_engine"], "before_cursor_execute", tel)
    try:
        opnieuw = _totaal(trend_per_team(db, gemeenten, dag), team)
    finally:
        event.remove(app.extensions["db_engine"], "before_cursor_execute", tel)
    assert opnieuw == nu
    assert teller["n"] <= 3
    assert db.scalar(select(func.count()).select_from(TermijnStand)) == aantal_rijen
    assert leg_stand_vast(db, dag) == 0  # today is stored already: the sweep adds nothing


def test_the_sweep_stores_a_new_date_with_the_new_term(demo, db):
    zaak = _zaak(db)
    soort = termijnen_gemeente()[0]
    morgen = vandaag() + dt.timedelta(days=1)
    db.add(Termijn(zaak_id=zaak.id, soort=soort, bron="test", startdatum=vandaag() - dt.timedelta(days=30),
                   einddatum=vandaag() - dt.timedelta(days=2)))
    db.commit()
    assert leg_stand_vast(db, morgen) > 0
    stand = db.scalar(select(TermijnStand.te_laat).where(TermijnStand.datum == morgen,
                                                         TermijnStand.team_id == zaak.team_id,
                                                         TermijnStand.gemeente_id == zaak.gemeente_id))
    assert stand >= 1
    assert leg_stand_vast(db, morgen) == 0
