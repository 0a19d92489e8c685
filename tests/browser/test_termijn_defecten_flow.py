"""Term defects of issue 11, each as a whole flow in Chromium, so none of them comes back unnoticed:

(g) the bezwaartermijn respects the gemeente's own closing days (gelijkgestelde dagen, Atw artikel 3 lid 3) like
    every other term: Anna's bezwaartermijn would end on a day Albrandswaard is closed, so the portal, the bezwaar
    form and the backoffice's "Wat de inwoner ziet" all give the next working day.

There is no beheer screen for closing days, so (g) sets the day in the gemeente's settings
(``Gemeente.instellingen["gelijkgestelde_dagen"]``).

Every step leaves a screenshot in test-artifacts/screenshots/<test>/.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from domain.bezwaren import bezwaartermijn, vastgesteld_besluit
from domain.feestdagen import gelijkgestelde_dagen_van, is_werkdag, lees_gelijkgestelde_dagen
from domain.models import Zaak
from domain.teksten import datum_nl
from domain.tijd import vandaag
from tests.browser.stappen import (
    uitloggen_portaal,
    zaak_van,
)

from .conftest import login_inwoner, login_medewerker

ANNA = "999990056"  # Albrandswaard: Wmo zaak at "besluit", her beschikking sent
WMO = "Ondersteuning thuis (Wmo)"
BEZWAAR_BRON = "Awb, artikel 6:7 en artikel 6:8 lid 1"


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
