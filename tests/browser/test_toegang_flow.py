"""Team toegang in Chromium (issue 14, item 15): a fresh contact form shows no error before anything was typed
(the required textarea has its normal border, not the red one of :invalid); an error shows after sending, on the
field the server marked; after the melding the inwoner's page lists the dossier she just made, and the contact
preference reads "E-mail"."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.stappen import bevestiging, open_inwoner_backoffice

from .conftest import login_medewerker

SARA_BSN, SARA = "999990135", "Sara Dekker"  # Barendrecht: no zaak in the demo
HULPVRAAG = "Hulpvraag en notities"


def _randkleur(veld) -> str:
    return veld.evaluate("e => getComputedStyle(e).borderTopColor")


def test_a_fresh_form_shows_no_error_and_the_new_dossier_is_listed(page, app, demo, live_port, serve, shot):
    server = serve(app, live_port)
    login_medewerker(page, server.url, "toegang")
    open_inwoner_backoffice(page, SARA_BSN, SARA)
    hulpvraag = page.get_by_label(HULPVRAAG)
    expect(hulpvraag).to_have_attribute("required", "")  # still :invalid while empty
    gewoon = _randkleur(page.get_by_label("E-mailadres inwoner"))
    assert _randkleur(hulpvraag) == gewoon, "a fresh required field must not look like an error"
    shot(page, "leeg-formulier")

    page.get_by_label("Melding maken").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label(HULPVRAAG)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("main")).to_contain_text("Beschrijf de hulpvraag.")
    fout = _randkleur(page.get_by_label(HULPVRAAG))
    assert fout != gewoon, "after sending, the field with the error is marked"
    shot(page, "fout-na-verzenden")

    page.get_by_label("Hoe nam de inwoner contact op?").select_option(label="Telefoon")
    page.get_by_label(HULPVRAAG).fill("Hulp bij douchen nodig.")
    page.get_by_label("Hoe wil de inwoner contact?").select_option(label="E-mail")
    page.get_by_label("E-mailadres inwoner").fill("sara@inwoner.example")
    page.get_by_label("Melding maken").check()
    page.get_by_label("Melding voor").select_option(label="Ondersteuning thuis (Wmo)")
    page.get_by_role("button", name="Opslaan").click()
    bevestiging(page, "staat in de werkvoorraad van Team Wmo")
    expect(page.get_by_role("heading", level=1)).to_have_text(SARA)
    expect(page.get_by_role("main")).not_to_contain_text("Geen dossiers die u mag inzien")
    dossiers = page.get_by_role("heading", name="Dossiers in alle domeinen").locator("xpath=following-sibling::ul[1]")
    expect(dossiers).to_contain_text("Ondersteuning thuis (Wmo)")
    expect(page.locator("dd").filter(has_text="sara@inwoner.example")).to_have_text("E-mail (sara@inwoner.example)")
    assert _randkleur(page.get_by_label(HULPVRAAG)) == gewoon  # the new, empty form: no error again
    shot(page, "dossier-in-de-lijst")
