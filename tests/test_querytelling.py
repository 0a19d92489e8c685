"""Every page the load benchmark measures (bench/laad_paginas.py) runs the same number of SQL statements however much
data there is: counted, then many more zaken with everything that hangs off them, counted again.

This is the test half of issue "performance at scale": the benchmark measures time on PostgreSQL with millions of
zaken; this makes sure no page starts reading per row (an N+1) or loses its bound, on every run of the suite."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from bench.laad_paginas import INWONER_BSN, MEDEWERKERS, PLICHTEN, paginas
from domain.models import (
    Actie,
    AuditLog,
    Bericht,
    Besluit,
    Document,
    DocumentVersie,
    Inwoner,
    Klantcontact,
    Medewerker,
    Notificatie,
    StatusHistorie,
    Team,
    Termijn,
    Zaak,
)
from domain.tijd import vandaag
from tests.helpers import digid_inloggen, medewerker_inloggen

# A page may not grow beyond this many statements either: a page that needs more reads too much at once.
PLAFOND = 40


def _tel(app, client, pad: str) -> int:
    teller = {"n": 0}

    def tel(*_args, **_kw):
        teller["n"] += 1

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", tel)
    try:
        r = client.get(pad)
    finally:
        event.remove(engine, "before_cursor_execute", tel)
    assert r.status_code == 200, (pad, r.status_code)
    return teller["n"]


def _meer_data(db, n: int) -> None:
    """n more zaken for the bench inwoner and for others, open and closed, each with history, a term, documents,
    notifications (unread for the staff), a contact, a message, an action for the toetser and protocol rows."""
    teams = {t.code: t for t in db.scalars(select(Team))}
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    inwoners = db.scalars(select(Inwoner).order_by(Inwoner.id)).all()
    medewerkers = db.scalars(select(Medewerker).where(Medewerker.gebruikersnaam.in_(MEDEWERKERS))).all()
    basis = db.scalar(select(Zaak.id).order_by(Zaak.id.desc()).limit(1))
    for i in range(n):
        inwoner = inwoners[i % len(inwoners)]
        open_ = i % 3 != 0
        zaaktype, team = [("wmo", teams["wmo"]), ("jeugd", teams["jeugd"]), ("bezwaar", teams["juridisch"])][i % 3]
        zaak = Zaak(identificatie=f"QT-{basis}-{i}", zaaktype=zaaktype, gemeente_id=inwoner.gemeente_id,
                    inwoner_id=inwoner.id, team_id=team.id, behandelaar_id=wim.id if i % 2 else None,
                    status="melding" if zaaktype != "bezwaar" else "ontvangen", afgesloten=not open_,
                    startdatum=vandaag() - dt.timedelta(days=i), uiterlijke_einddatum=vandaag() + dt.timedelta(days=i - n // 2))
        zaak.historie.append(StatusHistorie(status=zaak.status))
        db.add(zaak)
        db.flush()
        db.add(Termijn(zaak_id=zaak.id, soort="awb-beslistermijn", bron="Awb 4:13", startdatum=zaak.startdatum,
                       einddatum=vandaag() - dt.timedelta(days=i % 5)))
        document = Document(zaak_id=zaak.id, inwoner_id=inwoner.id, documenttype="brief", titel="Brief",
                            zichtbaar_voor_inwoner=True)
        document.versies.append(DocumentVersie(versie=1, bestandsnaam="brief.pdf", mediatype="application/pdf",
                                               inhoud=b"%PDF-1.7 " + b"x" * 20_000, sha256="0" * 64, grootte=20_009))
        db.add(document)
        db.add(Klantcontact(inwoner_id=inwoner.id, zaak_id=zaak.id, kanaal="telefoon", onderwerp="Contact",
                            zichtbaar_voor_inwoner=True))
        db.add(Notificatie(inwoner_id=inwoner.id, zaak_id=zaak.id, onderwerp="Nieuws", tekst="Bekijk uw zaak."))
        for m in medewerkers:
            db.add(Notificatie(medewerker_id=m.id, zaak_id=zaak.id, onderwerp="Nieuw", tekst="Een zaak."))
        db.add(Actie(team_id=teams["kwaliteit"].id, zaak_id=zaak.id, soort="toetsing", omschrijving="Toetsen"))
        db.add(Actie(team_id=teams["administratie"].id, zaak_id=zaak.id, soort="bestellen", omschrijving="Bestellen"))
        db.add(Bericht(richting="uit", standaard="iWmo", code="301", bericht_identificatie=f"QT{basis}{i}",
                       xml=b"<x/>" * 2000, sha256="0" * 64, status="verzonden", pogingen=1,
                       gemeente_id=inwoner.gemeente_id, zaak_id=zaak.id))
        db.add(AuditLog(actor_type="medewerker", actor_id=wim.id, actor_naam=wim.naam, inwoner_id=inwoner.id,
                        handeling="lezen", object_type="zaak", object_id=str(zaak.id), omschrijving="Zaak bekeken",
                        doel="Behandeling zaak"))
    db.commit()


@pytest.fixture
def klanten(app, demo, standin):
    """A logged-in test client per user of the benchmark: the staff by password, the inwoner through DigiD."""
    clients = {}
    for naam in MEDEWERKERS:
        clients[naam] = app.test_client()
        medewerker_inloggen(clients[naam], naam)
    clients["inwoner"] = app.test_client()
    digid_inloggen(clients["inwoner"], bsn=INWONER_BSN)
    return clients


def test_every_page_runs_a_fixed_number_of_statements(app, db, klanten):
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == INWONER_BSN))
    zaak = db.scalar(select(Zaak).join(Besluit, Besluit.zaak_id == Zaak.id)
                     .where(Zaak.inwoner_id == inwoner.id, Zaak.besluit_id.is_(None)).order_by(Zaak.id).limit(1))
    bericht = db.scalar(select(Bericht.id).order_by(Bericht.id).limit(1))
    # The floor with obligations is served by the benchmark's own server (bench/vloer/wsgi.py), not by the app.
    lijst = [p for p in paginas(inwoner=inwoner.id, zaak=zaak.id, bericht=bericht) if p[0] != PLICHTEN]
    for _naam, wie, pad in lijst:  # warm: the first look at a page may fill a stand or a cache once
        _tel(app, klanten[wie], pad)
    voor = {naam: _tel(app, klanten[wie], pad) for naam, wie, pad in lijst}
    _meer_data(db, 45)
    na = {naam: _tel(app, klanten[wie], pad) for naam, wie, pad in lijst}
    gegroeid = {naam: (voor[naam], na[naam]) for naam in voor if voor[naam] != na[naam]}
    assert not gegroeid, f"the number of statements grows with the data: {gegroeid}"
    te_veel = {naam: n for naam, n in na.items() if n > PLAFOND}
    assert not te_veel, f"pages over {PLAFOND} statements: {te_veel}"
