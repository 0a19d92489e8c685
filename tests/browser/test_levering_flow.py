"""Ordering and delivery in Chromium: administratie orders Anna's voorziening (a WMO301 goes out), the simulated
zorgaanbieder answers with 302 + 305 through the folder transport, Anna sees in the portal that she gets her
support; then the zorgaanbieder stops (307), the gemeente answers (308) and Anna sees that her support has ended.
Hendrik's aanvraag, meanwhile, is turned down: an afwijzing orders nothing, so administratie gets no action for it
and his portal announces no delivery.

The sweeps and the simulator run in the test process, on the app's own database, as in tests/test_berichtenverkeer.py.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.models import Inwoner, Toewijzing, Zaak
from integrations.istandaarden.simulator import Simulator
from integrations.istandaarden.transport import MapTransport, verstuur_berichten, verwerk_inbox
from tests.browser.stappen import bevestiging, hoofdmenu, open_zaak_backoffice, uitloggen_backoffice

from .conftest import login_inwoner, login_medewerker

ANNA = "999990056"  # demo: Wmo zaak at status besluit (toekenning hulp bij het huishouden)
HENDRIK = "999990044"  # demo: Wmo zaak ter toetsing (a toekenning the toetser sends back; then an afwijzing)


def _wijs_hendrik_af(maker, diensten) -> tuple[int, str]:
    """Hendrik's beschikking becomes an afwijzing, approved by the toetser (the screens for that are
    test_wmo_flow's part); returns his zaak."""
    from domain.workflow import voer_uit
    from domain.zaken import sla_besluit_op
    from tests.test_wmo_proces import medewerker

    db = maker()
    try:
        zaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == HENDRIK, Zaak.zaaktype == "wmo"))
        toetser, wim = medewerker(db, "toetser"), medewerker(db, "wmo")
        voer_uit(db, toetser, zaak, "afkeuren", verwachte_versie=None, diensten=diensten,
                 gegevens={"reden": "Er is een voorliggende voorziening."})
        sla_besluit_op(db, wim, zaak, besluittype="afwijzing", wettelijke_grondslag="", voorzieningen=[],
                       onderbouwing="De regiotaxi en de boodschappendienst van de wijk zijn er voor u.")
        voer_uit(db, wim, zaak, "beschikking_indienen", verwachte_versie=None, diensten=diensten)
        voer_uit(db, toetser, zaak, "goedkeuren", verwachte_versie=None, diensten=diensten)
        assert zaak.status == "besluit"
        return zaak.id, zaak.identificatie
    finally:
        db.close()


def _anna_zaak(maker) -> tuple[int, str]:
    db = maker()
    try:
        zaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo")
                         .order_by(Zaak.id.desc()))
        return zaak.id, zaak.identificatie
    finally:
        db.close()


def _toewijzing(maker, zaak_id: int) -> tuple[int, dt.date]:
    db = maker()
    try:
        t = db.scalar(select(Toewijzing).where(Toewijzing.zaak_id == zaak_id))
        return t.toewijzingnummer, t.ingangsdatum
    finally:
        db.close()


def test_administratie_orders_and_anna_follows_the_delivery(page, app, demo, standin, live_port, serve, shot,
                                                             settings, tmp_path):
    server = serve(app, live_port)
    url = server.url
    maker = app.extensions["db_sessionmaker"]
    diensten = diensten_uit(settings)
    transport = MapTransport(tmp_path / "berichten")
    sim = Simulator(transport.map)
    zaak_id, identificatie = _anna_zaak(maker)
    hendrik_id, hendrik_nr = _wijs_hendrik_af(maker, diensten)

    # 1. Administratie orders the voorziening: the 301 is ready to go. Hendrik's afwijzing orders nothing. --------
    login_medewerker(page, url, "administratie")
    hoofdmenu(page, "Acties")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=identificatie, exact=True)).to_have_count(1)
    expect(page.get_by_role("link", name=hendrik_nr, exact=True)).to_have_count(0)
    shot(page, "administratie-acties")
    open_zaak_backoffice(page, identificatie)
    page.get_by_role("link", name="Voorziening bestellen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorziening bestellen")
    expect(page.get_by_label("Zorgaanbieder")).not_to_have_value("")
    shot(page, "bestelformulier")
    page.get_by_role("button", name="Bestellen en toewijzing versturen").click()
    bevestiging(page, "De voorziening is besteld.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(identificatie)
    berichten = page.get_by_role("heading", name="Berichtenverkeer met de zorgaanbieder")
    expect(berichten).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("WMO301")
    shot(page, "besteld-wmo301")
    uitloggen_backoffice(page, url)

    # 2. The sweeps and the zorgaanbieder: 301 out, 302 + 305 back. ----------------------------------------------
    assert verstuur_berichten(maker, transport)["verzonden"] == 1
    assert sim.stap() == 2
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 2

    # 3. Anna sees in the portal that she gets her support. ------------------------------------------------------
    login_inwoner(page, url, ANNA)
    page.goto(f"{url}/zaken/{zaak_id}")
    tijdlijn = page.get_by_role("list", name="Stappen van uw aanvraag")
    nu = tijdlijn.locator("li.kt-nu")
    expect(nu).to_have_count(1)
    expect(nu).to_contain_text("U krijgt uw ondersteuning")
    expect(page.get_by_role("main")).to_contain_text("U krijgt uw ondersteuning")
    shot(page, "anna-geleverd")

    # 4. The zorgaanbieder stops the care (307); the gemeente answers with a 308. --------------------------------
    nummer, ingang = _toewijzing(maker, zaak_id)
    sim.stuur_stop(nummer, einddatum=ingang + dt.timedelta(days=40))
    assert verwerk_inbox(maker, transport, diensten=diensten)["verwerkt"] == 1
    verstuur_berichten(maker, transport)  # the 306 and the 308 reach the zorgaanbieder
    sim.stap()

    page.reload()
    nu = page.get_by_role("list", name="Stappen van uw aanvraag").locator("li.kt-nu")
    expect(nu).to_contain_text("Uw ondersteuning is gestopt")
    expect(page.get_by_role("main")).to_contain_text("Uw ondersteuning is gestopt")
    shot(page, "anna-beeindigd")
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{url}/uitgelogd")

    # Hendrik: his afwijzing is the last step; no "Voorziening besteld" or "geleverd" is announced. --------------
    login_inwoner(page, url, HENDRIK)
    page.goto(f"{url}/zaken/{hendrik_id}")
    tijdlijn = page.get_by_role("list", name="Stappen van uw aanvraag")
    expect(tijdlijn.locator("li").last).to_have_class("kt-nu")
    expect(tijdlijn.locator("li.kt-nu")).to_contain_text("U krijgt het besluit (de beschikking)")
    expect(tijdlijn).not_to_contain_text("We vragen de zorgaanbieder om te beginnen")
    expect(tijdlijn).not_to_contain_text("U krijgt uw ondersteuning")
    expect(tijdlijn.locator("li.kt-straks")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("U kunt bezwaar maken tot en met")
    shot(page, "hendrik-afwijzing")

    # The backoffice berichten list shows the whole exchange for Anna's zaak. -----------------------------------
    beheer = page.context.browser.new_context(viewport=page.viewport_size, locale="nl-NL")
    try:
        bo = beheer.new_page()
        bo.set_default_timeout(10_000)
        login_medewerker(bo, url, "administratie")
        hoofdmenu(bo, "Berichtenverkeer")
        expect(bo.get_by_role("heading", level=1)).to_be_visible()
        rijen = bo.get_by_role("row").filter(has_text=identificatie)
        tekst = " ".join(rijen.all_inner_texts())
        for code in ("301", "302", "305", "306", "307", "308"):
            assert f"WMO{code}" in tekst, (code, tekst)
        shot(bo, "berichtenverkeer")
    finally:
        beheer.close()
