"""The inwoner starts contact, in Chromium on a phone-sized screen: log in with DigiD at the stand-in, send a
hulpvraag (after a refused phone number nothing typed is lost), see the confirmation; team toegang finds it in the
action queue and marks it handled. axe-core checks the new pages."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.stappen import bevestiging, hoofdmenu

from .conftest import login_inwoner, login_medewerker
from .test_accessibility import axe, beschrijf

PIETER = "999990019"  # demo inwoner without zaken
TELEFOON = {"width": 390, "height": 844}


def _geen_axe_fouten(page, naam: str) -> None:
    fouten = axe(page)
    assert not fouten, beschrijf(naam, page.url, fouten)


def _past_op_scherm(page) -> None:
    breedte = page.evaluate("document.documentElement.scrollWidth")
    assert breedte <= TELEFOON["width"], f"{page.url}: de pagina is {breedte}px breed op een scherm van 390px"


def test_pieter_asks_for_help_and_team_toegang_handles_it(new_context, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url

    # 1. Pieter logs in with DigiD and asks for help. ------------------------------------------------------------
    page = new_context(viewport=TELEFOON).new_page()
    login_inwoner(page, url, PIETER)
    page.get_by_role("link", name="Stuur ons een hulpvraag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulp vragen")
    _geen_axe_fouten(page, "hulpvraag")
    _past_op_scherm(page)
    page.get_by_label("Waarmee heeft u hulp nodig?").fill("Ik kan niet meer goed traplopen en het huishouden lukt niet.")
    expect(page.get_by_label("Voor mijzelf")).to_be_checked()
    page.get_by_label("Dat weet ik niet").check()
    page.get_by_label("Bel mij").check()
    page.get_by_label("Uw telefoonnummer").fill("0612")
    shot(page, "hulpvraag-ingevuld")
    page.get_by_role("button", name="Hulpvraag versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("10 cijfers")
    expect(page.get_by_label("Waarmee heeft u hulp nodig?")).to_have_value(
        "Ik kan niet meer goed traplopen en het huishouden lukt niet.")  # nothing lost
    _geen_axe_fouten(page, "hulpvraag met fout")
    page.get_by_label("Uw telefoonnummer").fill("06 12345678")
    page.get_by_role("button", name="Hulpvraag versturen").click()
    bevestiging(page, "We hebben uw hulpvraag ontvangen")
    bevestiging(page, "We bellen u op 06 12345678.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw hulpvragen")
    expect(page.get_by_role("main")).to_contain_text("Een medewerker neemt contact met u op.")
    _geen_axe_fouten(page, "hulpvragen")
    _past_op_scherm(page)
    shot(page, "hulpvraag-verstuurd")

    # 2. Team toegang sees it in the action queue and handles it. ------------------------------------------------
    backoffice = new_context().new_page()
    login_medewerker(backoffice, url, "toegang")
    hoofdmenu(backoffice, "Acties")
    rij = backoffice.get_by_role("row").filter(has_text="Hulpvraag uit het portaal: bel of mail de inwoner")
    expect(rij).to_contain_text("traplopen")
    expect(rij).to_contain_text("Pieter")
    _geen_axe_fouten(backoffice, "acties met hulpvraag")
    shot(backoffice, "acties-toegang")
    rij.get_by_role("button", name="Contact gehad: afgehandeld").click()
    bevestiging(backoffice, "De hulpvraag is afgehandeld")
    expect(backoffice.get_by_role("row").filter(has_text="traplopen")).to_have_count(0)

    # 3. Pieter sees that the gemeente contacted him. ------------------------------------------------------------
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("heeft op")
