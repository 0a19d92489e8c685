"""Juridische zaken in Chromium (issue 14, item 14): Julia's werkvoorraad holds the bezwaren, not the Wmo zaken she
may open, and its status filter offers the statuses of a bezwaar; choosing one and filtering narrows the list."""
from __future__ import annotations

from playwright.sync_api import expect

from app.diensten import diensten_uit
from domain.processes import zaaktype_van
from tests.browser.stappen import hoofdmenu, zaak_van

from .conftest import login_medewerker

ANNA_BSN = "999990056"  # Anna Visser: a Wmo zaak with a signed besluit


def _bezwaar_van_anna(app) -> str:
    from sqlalchemy import select

    from domain.bezwaren import dien_bezwaar_in
    from domain.models import Zaak
    from tests.test_wmo_proces import inwoner_actor

    db = app.extensions["db_sessionmaker"]()
    try:
        hoofdzaak = db.get(Zaak, zaak_van(app, ANNA_BSN)[0])
        bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA_BSN), hoofdzaak, gronden="Twee uur is te weinig.",
                                  contact_hoorzitting="06-11112222", diensten=diensten_uit(app.config["SETTINGS"]))
        return db.scalar(select(Zaak.identificatie).where(Zaak.id == bezwaar.id))
    finally:
        db.close()


def test_juridisch_werkvoorraad_filters_on_the_statuses_of_a_bezwaar(page, app, demo, live_port, serve, shot):
    bezwaar = _bezwaar_van_anna(app)
    _, wmo_zaak = zaak_van(app, ANNA_BSN)
    server = serve(app, live_port)
    login_medewerker(page, server.url, "juridisch")
    hoofdmenu(page, "Werkvoorraad")
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="Team (teamoverleg)").click()
    tabel = page.get_by_role("table", name="Open zaken, eerste deadline bovenaan")
    expect(tabel).to_contain_text(bezwaar)
    expect(tabel).not_to_contain_text(wmo_zaak)
    statussen = [s.naam for s in zaaktype_van("bezwaar").statussen if not s.eind]
    keuze = page.get_by_label("Status")
    expect(keuze.locator("option")).to_have_text(["Alle", *statussen])
    shot(page, "werkvoorraad-juridisch")

    keuze.select_option(label="In behandeling")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("main")).to_contain_text("Er staan geen open zaken in deze werkvoorraad.")
    expect(page.get_by_label("Status")).to_have_value("in_behandeling")
    page.get_by_label("Status").select_option(label="Bezwaar ontvangen")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("table", name="Open zaken, eerste deadline bovenaan")).to_contain_text(bezwaar)
    shot(page, "werkvoorraad-juridisch-ontvangen")
