"""Steps shared by the browser flows: confirmations, log-out, opening a zaak, writing a beschikking."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect


def bevestiging(page, tekst: str) -> None:
    """The flash message after a step (role=status), e.g. the confirmation of an overgang."""
    expect(page.get_by_role("status").filter(has_text=tekst)).to_be_visible()


def uitloggen_backoffice(page, base_url: str) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(f"{base_url}/backoffice/inloggen")
    bevestiging(page, "U bent uitgelogd.")


def open_zaak_backoffice(page, identificatie: str) -> None:
    page.get_by_role("link", name=identificatie, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(identificatie)


def hoofdmenu(page, naam) -> None:
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=naam).click()


def stel_beschikking_op(page, *, onderbouwing: str, uren: int, ingangsdatum: dt.date, shot, naam: str) -> None:
    """On the zaak page: write a toekenning of Hulp bij het huishouden, save it and finish it."""
    page.get_by_role("link", name="Beschikking opstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschikking opstellen")
    page.get_by_label("Toekenning").check()
    page.get_by_label("Onderbouwing").fill(onderbouwing)
    regel = page.get_by_role("group", name="Voorziening 1")
    product = regel.get_by_label("Voorziening", exact=True)
    product.select_option(product.locator("option", has_text="Hulp bij het huishouden").get_attribute("value"))
    regel.get_by_label("Volume").fill(str(uren))
    regel.get_by_label("Frequentie").select_option(label="per week")
    regel.get_by_label("Ingangsdatum").fill(ingangsdatum.isoformat())
    shot(page, naam)
    page.get_by_role("button", name="Concept opslaan").click()
    bevestiging(page, "De concept-beschikking is opgeslagen.")
    expect(page.get_by_role("main")).to_contain_text(f"{uren} uur per week")
    page.get_by_role("button", name="Beschikking afronden").click()
    bevestiging(page, "De beschikking is afgerond")
