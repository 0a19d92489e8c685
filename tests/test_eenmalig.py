"""Every "only once" rule is held by the database, not only by a check before the write (issue 12, finding 7):
simultaneous requests cannot make two bezwaren against one besluit, two signatures on one verslag version, two
approvals of one beschikking or two orders of one voorziening."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.models import Bezwaarschrift, Ondertekening, Toetsoordeel, Toewijzing, Zaak
from domain.workflow import Conflict, voer_uit
from tests.helpers import csrf_token, digid_inloggen
from tests.test_bezwaar import ANNA, _besluit, _hoofdzaak
from tests.test_wmo_proces import medewerker

GELIJK = 4


def _tegelijk(doe, n: int = GELIJK) -> list:
    """Run `doe(i)` in n threads released at the same moment; returns what each returned (or raised)."""
    start = threading.Barrier(n, timeout=20)
    uitkomsten: list = [None] * n

    def draad(i):
        start.wait()
        try:
            uitkomsten[i] = doe(i)
        except Exception as fout:  # noqa: BLE001 - the test inspects it
            uitkomsten[i] = fout

    draden = [threading.Thread(target=draad, args=(i,)) for i in range(n)]
    for d in draden:
        d.start()
    for d in draden:
        d.join(60)
    return uitkomsten


def test_four_simultaneous_bezwaren_against_one_besluit_make_one(app, demo, db, standin, monkeypatch):
    """As the attacker did: four POSTs of the bezwaar form at once. The check "is there a bezwaar already?" is made
    by all four before any of them writes (a barrier makes that certain); the database lets one through."""
    import domain.bezwaren as bezwaren

    hoofdzaak = _hoofdzaak(db)
    besluit_id = _besluit(db, hoofdzaak).id
    url = f"/zaken/{hoofdzaak.id}/bezwaar"
    clients = []
    for _ in range(GELIJK):
        c = app.test_client()
        digid_inloggen(c, bsn=ANNA)
        clients.append((c, csrf_token(c, url)))
    controle = bezwaren.lopend_bezwaar
    samen = threading.Barrier(GELIJK, timeout=20)

    def lopend_bezwaar_na_elkaar_gezien(session, besluit):
        gevonden = controle(session, besluit)
        samen.wait()  # every request has looked before any writes
        return gevonden

    monkeypatch.setattr(bezwaren, "lopend_bezwaar", lopend_bezwaar_na_elkaar_gezien)
    antwoorden = _tegelijk(lambda i: clients[i][0].post(url, data={
        "csrf_token": clients[i][1], "gronden": f"Bezwaar nummer {i}: twee uur is te weinig."}))
    assert all(not isinstance(a, Exception) and a.status_code < 500 for a in antwoorden), antwoorden
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Bezwaarschrift).where(Bezwaarschrift.besluit_id == besluit_id)) == 1
    assert db.scalar(select(func.count()).select_from(Zaak).where(Zaak.besluit_id == besluit_id)) == 1
    teksten = [a.get_data(as_text=True) for a in antwoorden]
    assert sum("al bezwaar gemaakt" in t for t in teksten) == GELIJK - 1


def test_the_database_refuses_a_second_signature_and_a_second_approval(demo, db):
    versie_id = db.scalar(select(Ondertekening.document_versie_id).limit(1))
    eerste = db.scalar(select(Ondertekening).where(Ondertekening.document_versie_id == versie_id))
    db.add(Ondertekening(document_versie_id=versie_id, inwoner_id=eerste.inwoner_id, sha256=eerste.sha256,
                         methode="digid"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    goedgekeurd = db.scalar(select(Toetsoordeel).where(Toetsoordeel.oordeel == "goedgekeurd").limit(1))
    db.add(Toetsoordeel(besluit_id=goedgekeurd.besluit_id, toetser_id=goedgekeurd.toetser_id,
                        auteur_id=goedgekeurd.auteur_id, oordeel="goedgekeurd"))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    # Rejections before an approval stay possible: the rule is one approval, not one judgement.
    db.add(Toetsoordeel(besluit_id=goedgekeurd.besluit_id, toetser_id=goedgekeurd.toetser_id,
                        auteur_id=goedgekeurd.auteur_id, oordeel="afgekeurd", reden="Nog een keer bekeken."))
    db.flush()
    db.rollback()


def _twee_keer(app, zaak_id: int, wie: str, code: str, diensten):
    """The same overgang by the same medewerker from two windows at once (a double click, two tabs)."""
    sessies = [app.extensions["db_sessionmaker"]() for _ in range(2)]
    zaken = [s.get(Zaak, zaak_id) for s in sessies]
    versie = zaken[0].versie

    def doe(i):
        return voer_uit(sessies[i], medewerker(sessies[i], wie), zaken[i], code, verwachte_versie=versie,
                        diensten=diensten)

    uitkomsten = _tegelijk(doe, 2)
    for s in sessies:
        s.close()
    return uitkomsten


def test_two_simultaneous_approvals_of_one_beschikking_make_one(app, demo, db, diensten):
    hendrik = db.scalar(select(Zaak).where(Zaak.status == "ter_toetsing", Zaak.zaaktype == "wmo").order_by(Zaak.id))
    uitkomsten = _twee_keer(app, hendrik.id, "toetser", "goedkeuren", diensten)
    assert sum(isinstance(u, Conflict) for u in uitkomsten) == 1, uitkomsten
    db.expire_all()
    assert db.get(Zaak, hendrik.id).status == "besluit"
    from domain.models import Besluit

    besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == hendrik.id).order_by(Besluit.id.desc()))
    assert db.scalar(select(func.count()).select_from(Toetsoordeel).where(
        Toetsoordeel.besluit_id == besluit.id, Toetsoordeel.oordeel == "goedgekeurd")) == 1


def test_two_simultaneous_orders_of_one_besluit_make_one_toewijzing(app, demo, db, diensten):
    anna = _hoofdzaak(db)
    assert anna.status == "besluit"
    uitkomsten = _twee_keer(app, anna.id, "administratie", "bestellen", diensten)
    assert sum(isinstance(u, Conflict) for u in uitkomsten) == 1, uitkomsten
    db.expire_all()
    assert db.get(Zaak, anna.id).status == "in_levering"
    assert db.scalar(select(func.count()).select_from(Toewijzing).where(Toewijzing.zaak_id == anna.id)) == 1
