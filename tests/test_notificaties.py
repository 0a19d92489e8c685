"""Notifications as users meet them: the menu's unread count (bounded, "99+"), "alles gelezen" with a confirmation
that says how many, and the portal's Berichten marking what it showed as read."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from domain.models import Inwoner, Medewerker, Notificatie
from domain.notificaties import TOT, aantal_ongelezen, als_label
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen


def _meldingen(db, n: int, **ontvanger) -> None:
    db.add_all([Notificatie(onderwerp="Nieuw", tekst="Een zaak.", **ontvanger) for _ in range(n)])
    db.commit()


def _ongelezen(db, **ontvanger) -> int:
    (kolom, waarde), = ontvanger.items()
    return db.scalar(select(func.count()).select_from(Notificatie).where(
        getattr(Notificatie, kolom) == waarde, Notificatie.gelezen.is_(None)))


def test_menu_count_stops_at_99_plus_and_all_read_says_how_many(demo, db, client):
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    _meldingen(db, TOT + 5 - _ongelezen(db, medewerker_id=wim.id), medewerker_id=wim.id)
    assert aantal_ongelezen(db, wim.id) == TOT + 1 and als_label(TOT + 1) == "99+" and als_label(7) == "7"
    medewerker_inloggen(client, "wmo")
    html = client.get("/backoffice/meldingen").get_data(as_text=True)
    assert re.search(r">Meldingen \(99\+\)<", html)
    r = client.post("/backoffice/meldingen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")},
                    follow_redirects=True)
    tekst = r.get_data(as_text=True)
    assert f"{TOT + 5} meldingen zijn als gelezen gemarkeerd." in tekst
    assert ">Meldingen<" in tekst and _ongelezen(db, medewerker_id=wim.id) == 0
    _meldingen(db, 1, medewerker_id=wim.id)
    r = client.post("/backoffice/meldingen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")},
                    follow_redirects=True)
    assert "1 melding is als gelezen gemarkeerd." in r.get_data(as_text=True)
    r = client.post("/backoffice/meldingen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")},
                    follow_redirects=True)
    assert "Er waren geen ongelezen meldingen." in r.get_data(as_text=True)


def test_portal_berichten_marks_the_page_it_showed_as_read(demo, db, client, standin):
    jan = db.scalar(select(Inwoner).where(Inwoner.bsn == "999990093"))
    _meldingen(db, 30, inwoner_id=jan.id)
    digid_inloggen(client, bsn="999990093")
    voor = _ongelezen(db, inwoner_id=jan.id)
    assert client.get("/berichten").status_code == 200
    from portal.zaken import PAGINA

    # One page is shown and read; what is on the next page stays unread.
    assert voor > PAGINA
    assert _ongelezen(db, inwoner_id=jan.id) == voor - PAGINA
