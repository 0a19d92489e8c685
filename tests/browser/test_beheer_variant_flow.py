"""A gemeente's variant changed by beheer in Chromium, and that it takes effect on new zaken only.

Bea (beheer) opens Backoffice → Zaaktypen and changes Ridderkerk's Wmo: from today every beschikking goes to a
toetser, and the bevestigingsbrief gets a paragraph about Ridderkerk's Wmo-loket. A wrong amount and a begin date in
the past are refused at their fields, with what she typed kept. Then:
- Jan Smit's zaak, started 25 days ago (demo: verslag ready for signing), keeps the rules it started with: Jan signs,
  Wim writes a small beschikking and signs it himself;
- a new melding for Ruben Hoekstra (Ridderkerk), registered by team toegang after the change, follows the new rules:
  his bevestigingsbrief has the paragraph, and the same small beschikking goes to the toetser, who is told why.

Every step leaves a screenshot in test-artifacts/screenshots/<test>/; the letters land next to them.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from domain.tijd import vandaag
from tests.browser.stappen import (
    bevestiging,
    download_pdf,
    hoofdmenu,
    onderteken_verslag,
    open_zaak_backoffice,
    open_zaak_uit_teamwerkvoorraad,
    plan_afspraak,
    registreer_melding,
    schrijf_verslag,
    stel_beschikking_op,
    uitloggen_backoffice,
    uitloggen_portaal,
    zaak_id_van,
)
from tests.gezag import VADER_BSN

from .conftest import login_inwoner, login_medewerker

JAN_BSN = "999990093"  # Jan Smit, Ridderkerk: demo Wmo zaak with the verslag ready for signing, started 25 days ago
RUBEN_BSN = VADER_BSN  # Ruben Hoekstra, Ridderkerk: no zaak in the demo
WMO = "Ondersteuning thuis (Wmo)"
ALINEA = "Het Wmo-loket van Ridderkerk is open op dinsdag en donderdag van 9.00 tot 12.00 uur, in het Bolwerk."
WAAROM = "Ridderkerk wil in 2026 elke Wmo-beschikking door een tweede paar ogen laten zien."


def test_a_variant_changed_by_beheer_applies_to_new_zaken_only(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url
    vandaag_ = vandaag()

    # 1. Bea: Zaaktypen, Ridderkerk's Wmo still has the standard settings. ---------------------------------------
    login_medewerker(page, url, "beheer")
    hoofdmenu(page, "Zaaktypen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zaaktypen per gemeente")
    rij = page.get_by_role("row").filter(has_text="Ridderkerk").filter(has_text=WMO)
    expect(rij).to_have_count(1)
    expect(rij).to_contain_text("Standaard")
    artefacten = shot(page, "beheer-zaaktypen").parent  # the letters go next to the screenshots
    rij.get_by_role("link", name=f"Wijzigen {WMO} in Ridderkerk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{WMO} in Ridderkerk")
    expect(page.get_by_role("main")).to_contain_text("Nu gelden de standaardinstellingen.")
    expect(page.get_by_label("Elke beschikking laten toetsen")).not_to_be_checked()
    expect(page.get_by_label("Toetsen boven deze kosten per jaar (euro)")).to_have_value("5.000")

    # 2. A wrong amount and a date in the past: refused at the fields, nothing typed is lost, nothing stored. -----
    page.get_by_label("Elke beschikking laten toetsen").check()
    page.get_by_label("Toetsen boven deze kosten per jaar (euro)").fill("vijfduizend")
    page.get_by_label("Extra alinea in de bevestigingsbrief").fill(ALINEA)
    page.get_by_label("Geldt vanaf").fill((vandaag_ - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Waarom verandert dit?").fill(WAAROM)
    page.get_by_role("button", name="Nieuwe versie opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Controleer het formulier.")
    kosten = page.get_by_label("Toetsen boven deze kosten per jaar (euro)")
    expect(kosten).to_have_attribute("aria-invalid", "true")
    expect(kosten).to_have_value("vijfduizend")
    expect(page.locator("#toetsing_kosten_boven-fout")).to_have_text("Vul een bedrag in hele euro's in.")
    expect(page.get_by_label("Geldt vanaf")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#begindatum-fout")).to_contain_text("Kies vandaag of een latere datum.")
    expect(page.get_by_label("Elke beschikking laten toetsen")).to_be_checked()
    expect(page.get_by_label("Extra alinea in de bevestigingsbrief")).to_have_value(ALINEA)
    expect(page.get_by_label("Waarom verandert dit?")).to_have_value(WAAROM)
    expect(page.get_by_role("main")).to_contain_text("Nog geen eigen versies")
    shot(page, "beheer-fouten-bij-de-velden")

    # 3. Corrected: version 1 from today, confirmed, in the history and in the overview. --------------------------
    kosten.fill("5.000")
    page.get_by_label("Geldt vanaf").fill(vandaag_.isoformat())
    page.get_by_role("button", name="Nieuwe versie opslaan").click()
    bevestiging(page, f"Versie 1 voor {WMO} in Ridderkerk is opgeslagen. Zaken die vanaf "
                      f"{vandaag_:%d-%m-%Y} beginnen, krijgen deze instellingen; lopende zaken houden hun instellingen.")
    expect(page.get_by_role("main")).to_contain_text("Nu geldt versie 1")
    versies = page.get_by_role("table")
    expect(versies.get_by_role("row")).to_have_count(2)  # header + version 1
    versie1 = versies.get_by_role("row").nth(1)
    expect(versie1).to_contain_text("Elke beschikking laten toetsen: ja")
    expect(versie1).to_contain_text(ALINEA)
    expect(versie1).not_to_contain_text("kosten")  # the amount is the standard again: not stored as a change
    expect(versie1).to_contain_text(WAAROM)
    expect(versie1).to_contain_text("Bea Beheer")
    shot(page, "beheer-versie-1-opgeslagen")
    page.get_by_role("link", name="Terug naar alle zaaktypen").click()
    rij = page.get_by_role("row").filter(has_text="Ridderkerk").filter(has_text=WMO)
    expect(rij).to_contain_text("Versie 1, sinds")
    expect(rij).to_contain_text("Elke beschikking laten toetsen: ja")
    shot(page, "beheer-zaaktypen-na-wijziging")
    uitloggen_backoffice(page, url)

    # 4. Team toegang registers a new melding for Ruben, after the change. ----------------------------------------
    login_medewerker(page, url, "toegang")
    ruben_nr = registreer_melding(page, bsn=RUBEN_BSN, naam="Ruben Hoekstra", zaaktype=WMO, team="Team Wmo",
                                  hulpvraag="Na mijn hernia kan ik niet meer stofzuigen of de trap schoonmaken.",
                                  email="ruben@inwoner.example", shot=shot, stap="toegang-melding-ruben")
    uitloggen_backoffice(page, url)

    # 5. Jan (started before the change) signs his verslag; Wim plans Ruben's gesprek and puts his verslag ready. --
    login_inwoner(page, url, JAN_BSN)
    page.get_by_role("link", name=WMO).click()
    onderteken_verslag(page, shot=shot, stap="jan-ondertekenen")
    uitloggen_portaal(page, url)

    login_medewerker(page, url, "wmo")
    open_zaak_uit_teamwerkvoorraad(page, ruben_nr)
    plan_afspraak(page, link="Keukentafelgesprek plannen", knop="Gesprek plannen en bevestiging sturen",
                  bevestigd="Het gesprek is gepland.", datum=vandaag_ + dt.timedelta(days=1), tijd="09:30",
                  plaats="Bij de inwoner thuis, Lagendijk 7")
    schrijf_verslag(page, situatie="Woont alleen in een benedenwoning. Kan niet bukken sinds de hernia.",
                    advies="Hulp bij het huishouden, 2 uur per week.")
    page.get_by_role("button", name="Verslag klaarzetten voor ondertekening").click()
    bevestiging(page, "Het verslag staat in het portaal.")
    uitloggen_backoffice(page, url)

    # 6. Ruben: his bevestigingsbrief has Ridderkerk's new paragraph; he signs the verslag. ------------------------
    login_inwoner(page, url, RUBEN_BSN)
    page.get_by_role("link", name=WMO).click()
    expect(page).to_have_url(f"{url}/zaken/{zaak_id_van(app, ruben_nr)}")
    brief = download_pdf(page, "Bevestiging van uw melding", artefacten / "ruben-bevestigingsbrief.pdf")
    assert "Wmo-loket van Ridderkerk is open op dinsdag en donderdag" in " ".join(brief.split()), brief
    onderteken_verslag(page, shot=shot, stap="ruben-ondertekenen")
    uitloggen_portaal(page, url)

    # 7. Wim: the same small beschikking (2 hours a week, below the cost level) in both zaken. ----------------------
    login_medewerker(page, url, "wmo")
    hoofdmenu(page, "Werkvoorraad")
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="Team (teamoverleg)").click()
    rij_jan = page.get_by_role("row").filter(has_text="Jan Smit")
    jan_nr = rij_jan.get_by_role("link").first.inner_text()
    open_zaak_backoffice(page, jan_nr)
    stel_beschikking_op(page, onderbouwing="U kunt het zware huishouden niet zelf doen.", uren=2,
                        ingangsdatum=vandaag_, shot=shot, naam="wim-beschikking-jan")
    # Jan's zaak started under the standard rules: 2 h/week (3.380 euro a year) Wim signs himself.
    expect(page.locator(".kt-badge").first).to_have_text("Besluit verzonden")
    expect(page.get_by_role("main")).to_contain_text("vastgesteld en verzonden")
    expect(page.get_by_role("main")).not_to_contain_text("(met toetsing)")
    shot(page, "wim-jan-zelf-ondertekend")

    open_zaak_uit_teamwerkvoorraad(page, ruben_nr)
    stel_beschikking_op(page, onderbouwing="U kunt het zware huishouden niet zelf doen.", uren=2,
                        ingangsdatum=vandaag_, shot=shot, naam="wim-beschikking-ruben")
    # Ruben's zaak started under version 1: every beschikking goes to a toetser.
    expect(page.locator(".kt-badge").first).to_have_text("Ter toetsing")
    expect(page.get_by_role("main")).to_contain_text("ligt bij de toetser (met toetsing)")
    shot(page, "wim-ruben-ter-toetsing")
    uitloggen_backoffice(page, url)

    # 8. The toetser: Ruben's beschikking waits, with the gemeente's rule as the reason; Jan's is not there. -------
    login_medewerker(page, url, "toetser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acties voor uw team")
    actie = page.get_by_role("row").filter(has=page.get_by_role("link", name=ruben_nr, exact=True))
    expect(actie).to_contain_text("Beschikking toetsen")
    expect(actie).to_contain_text("Deze gemeente laat elke beschikking toetsen.")
    expect(page.get_by_role("link", name=jan_nr, exact=True)).to_have_count(0)
    shot(page, "toetser-acties")

    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
