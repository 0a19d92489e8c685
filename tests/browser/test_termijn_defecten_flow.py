"""Two term defects of issue 11, each as a whole flow in Chromium, so neither comes back unnoticed:

(g) the bezwaartermijn respects the gemeente's own closing days (gelijkgestelde dagen, Atw artikel 3 lid 3) like
    every other term: Anna's bezwaartermijn would end on a day Albrandswaard is closed, so the portal, the bezwaar
    form and the backoffice's "Wat de inwoner ziet" all give the next working day;
(h) starting a term keeps the zaak's uiterlijke einddatum at the earliest running term: the consulent jeugd sends
    the verslag with its 7 days while the Awb beslistermijn ends sooner; "uiterlijk klaar op" on the zaak page and
    in the werkvoorraad keep the beslistermijn's end.

No Wmo step of a consulent starts a term (the Wmo's only one, signing the verslag, first stops the onderzoek), so
(h) uses the one consulent step that does: "Jeugdwet van toepassing: verslag naar de inwoner (7 dagen)". The
earlier term is set up in the domain; everything a user does is in the browser. There is no beheer screen for
closing days, so (g) sets the day in the gemeente's settings (``Gemeente.instellingen["gelijkgestelde_dagen"]``).

Every step leaves a screenshot in test-artifacts/screenshots/<test>/.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect
from sqlalchemy import select

from domain.bezwaren import bezwaartermijn, vastgesteld_besluit
from domain.deadlines import bereken
from domain.feestdagen import gelijkgestelde_dagen_van, is_werkdag, lees_gelijkgestelde_dagen
from domain.models import Termijn, Zaak
from domain.servicetermijnen import REACTIETERMIJN_7_DAGEN
from domain.teksten import datum_nl
from domain.tijd import vandaag
from tests.browser.stappen import (
    bevestiging,
    hoofdmenu,
    jeugdwet_van_toepassing,
    open_zaak_backoffice,
    schrijf_verslag,
    uitloggen_portaal,
    zaak_van,
)

from .conftest import login_inwoner, login_medewerker

ANNA = "999990056"  # Albrandswaard: Wmo zaak at "besluit", her beschikking sent
LIEKE = "999990305"  # Lieke Meijer (4), Barendrecht: Jeugd zaak in onderzoek, huisbezoek planned, consulent jeugd
WMO = "Ondersteuning thuis (Wmo)"
BEZWAAR_BRON = "Awb, artikel 6:7 en artikel 6:8 lid 1"
BESLISTERMIJN = "awb-beschikking"  # Jeugd's beslistermijn (Awb 4:13, 8 weeks)


def _dagen(n: int) -> str:
    return f"{n} dag{'en' if n != 1 else ''}"


# (g) ------------------------------------------------------------------------------------------------------------


def _sluit_op_het_einde_van_de_bezwaartermijn(app, zaak_id: int) -> tuple[dt.date, dt.date]:
    """The gemeente of the zaak closes (gelijkgestelde dag) on the day the bezwaartermijn of its besluit ends
    without it. Returns that day and the next working day, where the term must end now."""
    db = app.extensions["db_sessionmaker"]()
    try:
        zaak = db.get(Zaak, zaak_id)
        besluit = vastgesteld_besluit(db, zaak)
        gewoon = bezwaartermijn(besluit).einddatum  # the production function, before the closing day exists
        gemeente = zaak.gemeente
        instellingen = dict(gemeente.instellingen or {})
        dagen = {jaar: sorted(d) for jaar, d in (instellingen.get("gelijkgestelde_dagen") or {}).items()}
        assert gewoon not in lees_gelijkgestelde_dagen(dagen).get(gewoon.year, set())
        dagen[str(gewoon.year)] = sorted({*dagen.get(str(gewoon.year), []), gewoon.isoformat()})
        gemeente.instellingen = {**instellingen, "gelijkgestelde_dagen": dagen}  # a new dict: the JSON is saved
        db.commit()
        extra = gelijkgestelde_dagen_van(gemeente)
    finally:
        db.close()
    verschoven = gewoon + dt.timedelta(days=1)
    while not is_werkdag(verschoven, extra):
        verschoven += dt.timedelta(days=1)
    return gewoon, verschoven


def test_the_bezwaartermijn_skips_the_gemeentes_own_closing_day(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url
    anna_id, anna_nr = zaak_van(app, ANNA)
    gesloten, einde = _sluit_op_het_einde_van_de_bezwaartermijn(app, anna_id)
    assert einde > gesloten  # so this test fails when the closing day is ignored
    over = (einde - vandaag()).days
    assert over > 0, "the demo's besluit must still be open to bezwaar"

    # 1. Anna, in the portal: her zaak gives the next working day, with the article. ----------------------------
    login_inwoner(page, url, ANNA, shot=shot)
    page.get_by_role("link", name=WMO).click()
    expect(page).to_have_url(f"{url}/zaken/{anna_id}")
    expect(page.get_by_role("heading", name="Bent u het niet eens met het besluit?")).to_be_visible()
    termijn = page.get_by_role("main").locator("p").filter(has_text="U kunt bezwaar maken tot en met")
    expect(termijn).to_have_text(f"U kunt bezwaar maken tot en met {datum_nl(einde)}. Dat is nog {_dagen(over)} "
                                 f"({BEZWAAR_BRON}).")
    expect(termijn.locator("strong")).to_have_text(datum_nl(einde))
    shot(page, "anna-zaak-bezwaartermijn")

    # 2. The bezwaar form says the same day. ---------------------------------------------------------------------
    page.get_by_role("link", name="Bezwaar maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezwaar maken")
    uiterlijk = page.get_by_role("main").locator("p").filter(has_text="Uw bezwaar moet uiterlijk op")
    expect(uiterlijk).to_have_text(f"Uw bezwaar moet uiterlijk op {datum_nl(einde)} binnen zijn. "
                                   f"U heeft nog {_dagen(over)}.")
    expect(page.get_by_role("main")).not_to_contain_text(datum_nl(gesloten))
    shot(page, "anna-bezwaarformulier")
    uitloggen_portaal(page, url)

    # 3. Wim (consulent Wmo): "Wat de inwoner ziet" on Anna's zaak gives the same day. --------------------------
    login_medewerker(page, url, "wmo")
    page.goto(f"{url}/backoffice/zaken/{anna_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(anna_nr)
    paneel = page.get_by_role("region", name="Wat de inwoner ziet")
    expect(paneel.get_by_role("listitem").filter(has_text="U kunt bezwaar maken")).to_have_text(
        f"U kunt bezwaar maken tot en met {datum_nl(einde)} ({BEZWAAR_BRON}).")
    expect(paneel).not_to_contain_text(datum_nl(gesloten))
    shot(page, "wim-wat-de-inwoner-ziet")


# (h) ------------------------------------------------------------------------------------------------------------


def _beslistermijn_loopt_bijna_af(app, zaak_id: int) -> dt.date:
    """Set up Lieke's zaak with the Awb beslistermijn running since an aanvraag 8 weeks less 2 days ago, started by
    the production effect as the zaaktype starts it: it ends in 2 days, or after the Atw at most 6 (Goede Vrijdag to
    tweede Paasdag), always before the 7 days of the reactietermijn. Returns its last day."""
    from domain.demo.basis import medewerker_actor
    from domain.effects import StartTermijn
    from domain.workflow import handeling_context

    db = app.extensions["db_sessionmaker"]()
    try:
        zaak = db.get(Zaak, zaak_id)
        assert zaak.status == "in_onderzoek" and zaak.uiterlijke_einddatum is None  # no term runs yet
        aanvraag = vandaag() - dt.timedelta(weeks=8) + dt.timedelta(days=2)
        ctx = handeling_context(db, medewerker_actor(db, "jeugd"), zaak, "aanvraag", "Aanvraag ontvangen",
                                vandaag=aanvraag)
        StartTermijn(BESLISTERMIJN).toepassen(ctx)
        db.commit()
        return db.scalar(select(Termijn.einddatum).where(Termijn.zaak_id == zaak_id,
                                                         Termijn.soort == BESLISTERMIJN))
    finally:
        db.close()


def _termijnen(app, zaak_id: int) -> dict[str, dt.date]:
    db = app.extensions["db_sessionmaker"]()
    try:
        return {t.soort: t.einddatum for t in db.scalars(select(Termijn).where(
            Termijn.zaak_id == zaak_id, Termijn.gestopt_op.is_(None)))}
    finally:
        db.close()


def test_a_longer_term_started_by_the_consulent_keeps_the_earlier_uiterlijk_klaar(page, app, demo, live_port, serve,
                                                                                  shot):
    server = serve(app, live_port)
    url = server.url
    lieke_id, lieke_nr = zaak_van(app, LIEKE, "jeugd")
    eerder = _beslistermijn_loopt_bijna_af(app, lieke_id)
    later = bereken(REACTIETERMIJN_7_DAGEN.soort, vandaag()).einddatum  # Barendrecht has no closing days
    assert vandaag() <= eerder < later  # the step below starts a term that ends after the running one

    # 1. Jasmijn (consulent jeugd): her werkvoorraad and the zaak say the beslistermijn's end. ------------------
    login_medewerker(page, url, "jeugd")
    hoofdmenu(page, "Werkvoorraad")
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="Mijn werkvoorraad").click()
    rij = page.get_by_role("row").filter(has=page.get_by_role("link", name=lieke_nr, exact=True))
    expect(rij.get_by_role("cell").last).to_have_text(datum_nl(eerder))
    open_zaak_backoffice(page, lieke_nr)
    kop = page.get_by_role("main").locator("p").filter(has=page.locator(".kt-badge")).first
    expect(kop).to_have_text(f"In onderzoek · uiterlijk klaar op {datum_nl(eerder)}")
    shot(page, "jasmijn-zaak-beslistermijn")

    # 2. The verslag, "Jeugdwet van toepassing? Ja", and the verslag to the parent with 7 days. ------------------
    schrijf_verslag(page, situatie="Lieke (4) slaapt slecht en heeft driftbuien; haar moeder is uitgeput.",
                    advies="Opvoedondersteuning thuis, 2 uur per week.", shot=shot, stap="jasmijn-verslag")
    jeugdwet_van_toepassing(page, "Ja", shot=shot, stap="jasmijn-kenmerk-ja")
    page.get_by_role("button", name="Jeugdwet van toepassing: verslag naar de inwoner (7 dagen)").click()
    bevestiging(page, "Het verslag staat in het portaal. De inwoner heeft 7 dagen om wijzigingen door te geven.")

    # 3. Both terms run; "uiterlijk klaar op" is still the beslistermijn's end, not the 7 days'. -----------------
    assert _termijnen(app, lieke_id) == {BESLISTERMIJN: eerder, REACTIETERMIJN_7_DAGEN.soort: later}
    termijnen = page.get_by_role("region", name="Termijnen")
    expect(termijnen).to_contain_text(f"Reactie op verslag: uiterlijk {datum_nl(later)}")
    expect(termijnen).to_contain_text(f"Beschikking op aanvraag (Awb): uiterlijk {datum_nl(eerder)}")
    kop = page.get_by_role("main").locator("p").filter(has=page.locator(".kt-badge")).first
    expect(kop).to_have_text(f"Verslag ter reactie (7 dagen) · uiterlijk klaar op {datum_nl(eerder)}")
    shot(page, "jasmijn-zaak-na-verslag")

    # 4. The werkvoorraad too: the row keeps the beslistermijn's end. --------------------------------------------
    hoofdmenu(page, "Werkvoorraad")
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="Mijn werkvoorraad").click()
    rij = page.get_by_role("row").filter(has=page.get_by_role("link", name=lieke_nr, exact=True))
    expect(rij).to_contain_text("Verslag ter reactie (7 dagen)")
    expect(rij.get_by_role("cell").last).to_have_text(datum_nl(eerder))
    shot(page, "jasmijn-werkvoorraad")
