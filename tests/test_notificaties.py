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


_KAART = re.compile(r'<h2 class="utrecht-heading-3">(?:<span class="kt-badge">Nieuw</span> )?(?P<titel>.*?)</h2>\s*'
                    r'<p class="utrecht-paragraph">(?P<tekst>.*?)</p>\s*'
                    r'<p class="utrecht-paragraph kt-muted"><time datetime="(?P<tijd>[^"]+)">', re.DOTALL)


def _kaarten(client, url: str) -> tuple[list[dict], str | None]:
    import datetime as dt
    import html as html_lib

    pagina = client.get(url).get_data(as_text=True)
    kaarten = [{"titel": html_lib.unescape(m["titel"]), "tekst": html_lib.unescape(m["tekst"]),
                "tijd": dt.datetime.fromisoformat(m["tijd"])} for m in _KAART.finditer(pagina)]
    volgende = re.search(r'href="(/backoffice/meldingen\?na=\d+)">Oudere meldingen', pagina)
    return kaarten, volgende and html_lib.unescape(volgende[1])


def test_meldingen_are_newest_first_with_a_short_title_and_the_message_as_text(demo, db, client):
    """Issue 14 item 13: the demo's zaken started weeks apart, so the order in which their notifications were
    inserted is not the order of their dates. Each card has a short title that names the zaak and the message as
    its text, not the message twice with the title cut off; the second page continues where the first stopped."""
    from backoffice.wachtrijen import PAGINA

    jasmijn = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "jeugd"))
    totaal = db.scalar(select(func.count()).select_from(Notificatie).where(Notificatie.medewerker_id == jasmijn.id))
    assert totaal > PAGINA
    medewerker_inloggen(client, "jeugd")
    eerste, volgende = _kaarten(client, "/backoffice/meldingen")
    assert len(eerste) == PAGINA and volgende
    tweede, verder = _kaarten(client, volgende)
    assert verder is None and len(eerste) + len(tweede) == totaal
    kaarten = eerste + tweede
    tijden = [k["tijd"] for k in kaarten]
    assert tijden == sorted(tijden, reverse=True)
    assert len({(k["titel"], k["tekst"], k["tijd"]) for k in kaarten}) == totaal  # nothing twice, nothing left out

    wijzigingen = next(k for k in kaarten if k["titel"].startswith("Wijzigingen in het verslag"))
    assert re.fullmatch(r"Wijzigingen in het verslag – 0613-2026-\d{6}", wijzigingen["titel"])
    assert wijzigingen["tekst"] == "De inwoner heeft wijzigingen in het verslag doorgegeven. Pas het verslag aan."
    verzoek = next(k for k in kaarten if "vraagt een toewijzing aan" in k["tekst"])
    assert re.fullmatch(r"Verzoek om toewijzing – \d{4}-2026-\d{6}", verzoek["titel"])
    assert verzoek["tekst"].startswith("Thuiszorg De Linde (AGB 98001234) vraagt een toewijzing aan")
    for k in kaarten:
        assert len(k["titel"]) <= 60 and k["titel"] not in k["tekst"], k
        assert not re.match(r"\d{4}-\d{4}-\d{6}: ", k["tekst"]), k  # the zaak is in the title, not before the text


def test_migration_gives_old_notifications_the_short_title(demo, db, settings):
    """Migration 0022 turns notifications made before it ("<zaak>: message" as text, and for an actie from a
    zorgaanbieder the message cut off at 200 characters as title) into the shape new ones have; its downgrade
    gives back the old shape."""
    from sqlalchemy import create_engine, text

    from app.migrate import downgrade, upgrade

    def rijen():
        with engine.connect() as conn:
            return conn.execute(text("SELECT id, onderwerp, tekst FROM notificatie WHERE medewerker_id IS NOT NULL "
                                     "ORDER BY id")).all()

    db.close()
    engine = create_engine(settings.database_url)
    nieuw = rijen()
    assert any(o.startswith("Verzoek om toewijzing – ") for _, o, _ in nieuw)
    downgrade(settings.database_url, "0022_zorgaanbieder_telefoon")
    oud = rijen()
    assert all(re.match(r"\d{4}-\d{4}-\d{6}: ", t) and " – " not in o for _, o, t in oud if o != "Nieuwe hulpvraag uit het portaal")
    with engine.begin() as conn:  # what the old code wrote for an actie: the message itself as title
        conn.execute(text("UPDATE notificatie SET onderwerp = substr(tekst, 19, 200) WHERE onderwerp LIKE 'Verzoek om%' "
                          "OR onderwerp LIKE 'Toewijzing afgekeurd%'"))
    assert any(len(o) > 150 for _, o, _ in rijen())
    upgrade(settings.database_url)
    assert rijen() == nieuw
    engine.dispose()
