"""Beroep after bezwaar in Chromium: Anna has objected to her Wmo beschikking; Julia (juridische zaken) decides
the bezwaar is ongegrond and sees what Anna will see; Anna then reads that she can go to the rechtbank (with the
last day and the court), and nowhere is she offered a second bezwaar (Awb 7:1, 8:1).

Every step leaves a screenshot in test-artifacts/screenshots/<test>/.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.bezwaren import dien_bezwaar_in
from domain.deadlines import bereken
from domain.models import Inwoner, Zaak
from domain.teksten import datum_nl
from domain.tijd import vandaag
from tests.browser.stappen import bevestiging, hoofdmenu, open_zaak_backoffice, uitloggen_backoffice
from tests.test_wmo_proces import inwoner_actor

from .conftest import login_inwoner, login_medewerker

ANNA_BSN = "999990056"  # Anna Visser: a Wmo zaak at "besluit"
MOTIVERING = "Twee uur per week is genoeg om dit huis schoon te houden; dat bleek ook bij het huisbezoek."


def test_after_the_beslissing_op_bezwaar_anna_is_pointed_to_the_rechtbank(page, app, demo, standin, live_port,
                                                                          serve, shot, settings):
    server = serve(app, live_port)
    url = server.url
    db = app.extensions["db_sessionmaker"]()
    try:  # Anna's bezwaar came in (filing it in the browser is test_bezwaar_flow's part)
        hoofdzaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA_BSN, Zaak.zaaktype == "wmo"))
        bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA_BSN), hoofdzaak, gronden="Twee uur is te weinig.",
                                  contact_hoorzitting="", diensten=diensten_uit(settings))
        hoofdzaak_id, hoofdzaak_nr = hoofdzaak.id, hoofdzaak.identificatie
        bezwaar_id, bezwaar_nr = bezwaar.id, bezwaar.identificatie
    finally:
        db.close()
    # Beroep: 6 weeks from the day after the beslissing op bezwaar is sent (today), like the bezwaartermijn.
    uiterlijk = datum_nl(bereken("bezwaartermijn", vandaag()).einddatum)

    # 1. Julia decides: ongegrond. The panel shows what Anna will see. ---------------------------------------------
    login_medewerker(page, url, "juridisch")
    hoofdmenu(page, "Acties")
    open_zaak_backoffice(page, bezwaar_nr)
    page.get_by_role("button", name="In behandeling nemen").click()
    bevestiging(page, "U behandelt dit bezwaar.")
    # Julia hears nobody: the bezwaar is kennelijk ongegrond, a ground of Awb 7:3 that she records first.
    page.get_by_role("link", name="Horen is niet nodig").click()
    page.get_by_label("Het bezwaar is kennelijk ongegrond (Awb, artikel 7:3, onder b)").check()
    page.get_by_label("Toelichting").fill("Het huis is gemeten; de norm geeft twee uur.")
    page.get_by_role("button", name="Vastleggen").click()
    bevestiging(page, "Vastgelegd waarom horen niet nodig is.")
    page.get_by_role("link", name="Beslissen op bezwaar").click()
    page.get_by_label("Ongegrond: het besluit blijft").check()
    page.get_by_label("Motivering").fill(MOTIVERING)
    shot(page, "julia-beslissen-ongegrond")
    page.get_by_role("button", name="Beslissing vaststellen en versturen").click()
    bevestiging(page, "De beslissing op bezwaar is vastgesteld en staat in het portaal.")
    paneel = page.get_by_role("region", name="Wat de inwoner ziet")
    expect(paneel).to_contain_text(f"U kunt beroep instellen bij de rechtbank (Rechtbank Rotterdam) tot en met {uiterlijk}")
    expect(paneel.locator("li.kt-nu")).to_contain_text("Er is een beslissing op uw bezwaar")
    shot(page, "julia-wat-anna-ziet")
    uitloggen_backoffice(page, url)

    # 2. Anna: the beslissing, beroep at the rechtbank with the last day, and no bezwaar button. ------------------
    login_inwoner(page, url, ANNA_BSN, "midden")
    page.get_by_role("link", name=re.compile(r"^Bezwaar tegen het besluit over ")).click()  # Mijn zaken
    expect(page).to_have_url(f"{url}/zaken/{bezwaar_id}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Bent u het niet eens met de beslissing op uw bezwaar?")
    expect(main).to_contain_text("Dan kunt u beroep instellen bij de rechtbank.")
    expect(main).to_contain_text(f"Dat kan tot en met {uiterlijk}")
    expect(main).to_contain_text("Stuur uw beroepschrift naar Rechtbank Rotterdam")
    expect(main).to_contain_text("artikel 8:1")
    expect(page.get_by_role("link", name=re.compile("bezwaar maken", re.IGNORECASE))).to_have_count(0)
    shot(page, "anna-beroep-bij-de-rechtbank")

    # The Wmo zaak points to the bezwaar; it offers no second one either.
    page.get_by_role("link", name=f"uw zaak {hoofdzaak_nr}").click()
    expect(page).to_have_url(f"{url}/zaken/{hoofdzaak_id}")
    expect(page.get_by_role("main")).to_contain_text("U heeft bezwaar gemaakt.")
    expect(page.get_by_role("link", name=re.compile("bezwaar maken", re.IGNORECASE))).to_have_count(0)

    # Typing the address of the bezwaar form for the beslissing: refused, with the reason.
    page.goto(f"{url}/zaken/{bezwaar_id}/bezwaar")
    expect(page).to_have_url(f"{url}/zaken/{bezwaar_id}")
    expect(page.get_by_role("status")).to_contain_text("Tegen een beslissing op bezwaar kunt u geen bezwaar maken")
    shot(page, "anna-geen-tweede-bezwaar")

    blocked = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not blocked, blocked
