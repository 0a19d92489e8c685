"""Steps shared by the browser flows: confirmations, log-out, opening a zaak, writing a beschikking, and the steps
of whole flows (a melding by team toegang, an appointment, the verslag, signing it in the portal, reading a PDF)."""

from __future__ import annotations

import datetime as dt
import re

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


def stel_beschikking_op(page, *, onderbouwing: str, uren: int, ingangsdatum: dt.date, shot, naam: str,
                        product: str = "Hulp bij het huishouden") -> None:
    """On the zaak page: write a toekenning of `product` (`uren` a week), save it and finish it."""
    page.get_by_role("link", name="Beschikking opstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschikking opstellen")
    page.get_by_label("Toekenning").check()
    page.get_by_label("Onderbouwing").fill(onderbouwing)
    regel = page.get_by_role("group", name="Voorziening 1")
    keuze = regel.get_by_label("Voorziening", exact=True)
    keuze.select_option(keuze.locator("option", has_text=product).get_attribute("value"))
    regel.get_by_label("Volume").fill(str(uren))
    regel.get_by_label("Frequentie").select_option(label="per week")
    regel.get_by_label("Ingangsdatum").fill(ingangsdatum.isoformat())
    shot(page, naam)
    page.get_by_role("button", name="Concept opslaan").click()
    bevestiging(page, "De concept-beschikking is opgeslagen.")
    expect(page.get_by_role("main")).to_contain_text(f"{uren} uur per week")
    page.get_by_role("button", name="Beschikking afronden").click()
    bevestiging(page, "De beschikking is afgerond")


# --- Steps of whole flows: team toegang, the consulent, the inwoner in the portal ------------------------------


def zaak_id_van(app, identificatie: str) -> int:
    """The database id of a zaak, for the portal's /zaken/<id> addresses."""
    from sqlalchemy import select

    from domain.models import Zaak

    db = app.extensions["db_sessionmaker"]()
    try:
        return db.scalar(select(Zaak.id).where(Zaak.identificatie == identificatie))
    finally:
        db.close()


def zaak_van(app, bsn: str, zaaktype: str = "wmo") -> tuple[int, str]:
    """The id and identificatie of the newest zaak of this type of the inwoner with `bsn` (e.g. a demo zaak)."""
    from sqlalchemy import select

    from domain.models import Inwoner, Zaak

    db = app.extensions["db_sessionmaker"]()
    try:
        zaak = db.scalar(select(Zaak).join(Inwoner, Zaak.inwoner_id == Inwoner.id)
                         .where(Inwoner.bsn == bsn, Zaak.zaaktype == zaaktype).order_by(Zaak.id.desc()))
        return zaak.id, zaak.identificatie
    finally:
        db.close()


def open_inwoner_backoffice(page, bsn: str, naam: str) -> None:
    """Team toegang: Inwoner zoeken on BSN in the BRP and open the inwoner's page."""
    hoofdmenu(page, "Inwoner zoeken")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inwoner zoeken")
    page.get_by_label("BSN", exact=True).fill(bsn)
    page.get_by_role("button", name="Zoeken in de BRP").click()
    resultaat = page.get_by_role("table", name="Gevonden in de BRP")
    expect(resultaat).to_contain_text(naam)
    resultaat.get_by_role("button", name=f"Openen {naam}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(naam)


def registreer_melding(page, *, bsn: str, naam: str, zaaktype: str, hulpvraag: str, email: str,
                       team: str, shot=None, stap: str = "toegang-melding") -> str:
    """Team toegang registers a phone call with a melding for `zaaktype` (the label in "Melding voor"). The
    confirmation must name `team`. Returns the new zaak's identificatie."""
    open_inwoner_backoffice(page, bsn, naam)
    page.get_by_label("Hoe nam de inwoner contact op?").select_option(label="Telefoon")
    page.get_by_label("Hulpvraag en notities").fill(hulpvraag)
    page.get_by_label("Hoe wil de inwoner contact?").select_option(label="E-mail")
    page.get_by_label("E-mailadres inwoner").fill(email)
    page.get_by_label("Melding maken").check()
    page.get_by_label("Melding voor").select_option(label=zaaktype)
    if shot:
        shot(page, f"{stap}-ingevuld")
    page.get_by_role("button", name="Opslaan").click()
    bevestiging(page, f"staat in de werkvoorraad van {team}")
    melding = page.get_by_role("status").filter(has_text="staat in de werkvoorraad").inner_text()
    identificatie = re.search(r"Melding (\S+) staat in de werkvoorraad", melding).group(1)
    if shot:
        shot(page, f"{stap}-gemaakt")
    return identificatie


def open_zaak_uit_teamwerkvoorraad(page, identificatie: str) -> None:
    """A consulent opens a zaak of the team (not yet assigned to them) from the team's werkvoorraad."""
    hoofdmenu(page, "Werkvoorraad")
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="Team (teamoverleg)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad van het team")
    open_zaak_backoffice(page, identificatie)


def plan_afspraak(page, *, link: str, knop: str, bevestigd: str, datum: dt.date, tijd: str, plaats: str,
                  shot=None, stap: str = "afspraak") -> None:
    """On the zaak page: open the planning form (`link`), fill it in and send the invitation (`knop`)."""
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("plannen")
    page.get_by_label("Datum").fill(datum.isoformat())
    page.get_by_label("Tijd").fill(tijd)
    page.get_by_label("Duur in minuten").fill("60")
    page.get_by_label("Plaats").fill(plaats)
    if shot:
        shot(page, f"{stap}-plannen")
    page.get_by_role("button", name=knop).click()
    bevestiging(page, bevestigd)
    expect(page.get_by_role("main")).to_contain_text(plaats)


def leg_gesprek_vast(page, *, shot=None, stap: str = "gesprek") -> None:
    """On the zaak page: record that the planned gesprek or huisbezoek took place (today), if one is still open."""
    vastleggen = page.get_by_role("link", name=re.compile("is geweest: vastleggen"))
    if not vastleggen.count():
        return
    vastleggen.click()
    page.get_by_label("Wie waren er bij?").fill("De inwoner, een familielid en de consulent.")
    page.get_by_label("Wat is er besproken?").fill("Wat niet meer lukt, wie er helpt en wat er nodig is.")
    if shot:
        shot(page, f"{stap}-gesprek-vastgelegd")
    page.get_by_role("button", name="Vastleggen").click()
    bevestiging(page, "Schrijf nu het verslag.")


def schrijf_verslag(page, *, situatie: str, advies: str, shot=None, stap: str = "verslag") -> None:
    """On the zaak page: record that the gesprek took place, then write version 1 of the onderzoeksverslag (the
    hulpvraag comes from the melding)."""
    leg_gesprek_vast(page, shot=shot, stap=stap)
    page.get_by_role("link", name="Onderzoeksverslag schrijven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderzoeksverslag")
    page.get_by_label("Situatie", exact=True).fill(situatie)
    page.get_by_label("Sociaal netwerk", exact=True).fill("Het netwerk helpt waar het kan, maar niet elke dag.")
    page.get_by_label("Eigen kracht en netwerk").fill("Regelt zelf wat lukt.")
    page.get_by_label("Afweging").fill("Het netwerk kan dit niet overnemen. Er is geen algemene voorziening.")
    page.get_by_label("Advies").fill(advies)
    if shot:
        shot(page, f"{stap}-ingevuld")
    page.get_by_role("button", name="Versie opslaan").click()
    bevestiging(page, "van het verslag is opgeslagen.")  # back on the zaak page


def uitloggen_portaal(page, base_url: str) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{base_url}/uitgelogd")
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")


def onderteken_verslag(page, *, opmerking: str = "", shot=None, stap: str = "ondertekenen") -> None:
    """In the portal, on the zaak page: read the verslag and sign it with the DigiD session."""
    page.get_by_role("link", name="Verslag lezen en ondertekenen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verslag van uw gesprek")
    if opmerking:
        page.get_by_label("Wilt u iets toevoegen of verbeteren?", exact=False).fill(opmerking)
    page.get_by_label("Ik heb het verslag gelezen", exact=False).check()
    if shot:
        shot(page, stap)
    page.get_by_role("button", name="Ondertekenen", exact=True).click()
    bevestiging(page, "U heeft het verslag ondertekend")


def pdf_tekst(pad) -> str:
    """The text of a PDF as poppler's pdftotext reads it (layout kept, so a signature stays on its lines)."""
    import subprocess

    return subprocess.run(["pdftotext", "-layout", str(pad), "-"], check=True, capture_output=True,
                          text=True).stdout


def download_pdf(page, titel: str, pad) -> str:
    """In the portal's Documenten list: download the document `titel` (PDF) to `pad`; returns its text."""
    with page.expect_download() as d:
        page.get_by_role("link", name=f"downloaden {titel} (PDF)", exact=True).click()
    assert d.value.suggested_filename.endswith(".pdf"), d.value.suggested_filename
    d.value.save_as(pad)
    return pdf_tekst(pad)


def stel_afwijzing_op(page, *, onderbouwing: str, shot=None, naam: str = "afwijzing") -> None:
    """On the zaak page: write an afwijzing (no voorziening), save it and finish it."""
    page.get_by_role("link", name="Beschikking opstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschikking opstellen")
    page.get_by_label("Afwijzing").check()
    page.get_by_label("Onderbouwing").fill(onderbouwing)
    for regel in page.get_by_role("group", name=re.compile(r"^Voorziening \d$")).all():
        regel.get_by_label("Voorziening", exact=True).select_option(label="Geen")
    if shot:
        shot(page, naam)
    page.get_by_role("button", name="Concept opslaan").click()
    bevestiging(page, "De concept-beschikking is opgeslagen.")
    page.get_by_role("button", name="Beschikking afronden").click()
    bevestiging(page, "De beschikking is afgerond")


def keur_beschikking_goed(page, identificatie: str) -> None:
    """The toetser, from the Acties list: open the zaak and approve and sign its beschikking."""
    open_zaak_backoffice(page, identificatie)
    page.get_by_role("button", name="Beschikking goedkeuren en ondertekenen").click()
    bevestiging(page, "De beschikking is goedgekeurd, ondertekend en staat in het portaal.")
    expect(page.locator(".kt-badge").first).to_have_text("Besluit verzonden")


# Jeugd: the consulent's "Jeugdwet van toepassing?" is a kenmerk of the zaak; each answer offers one branch.
JEUGDWET_KNOPPEN = {
    "Ja": "Jeugdwet van toepassing: verslag naar de inwoner (7 dagen)",
    "Nee": "Jeugdwet niet van toepassing: intrekking voorleggen",
    "Nee, andere zorg binnen de gemeente": "Andere zorg: melding voor een ander team",
}


def jeugdwet_van_toepassing(page, antwoord: str, *, shot=None, stap: str = "kenmerk") -> None:
    """On a Jeugd zaak page: record "Jeugdwet van toepassing?" under Kenmerken; afterwards only the button of
    that branch is offered."""
    kenmerken = page.get_by_role("region", name="Kenmerken")
    kenmerken.get_by_label("Jeugdwet van toepassing?").select_option(label=antwoord)
    kenmerken.get_by_role("button", name="Kenmerken opslaan").click()
    bevestiging(page, "De kenmerken zijn opgeslagen.")
    gekozen = page.get_by_role("region", name="Kenmerken").get_by_label("Jeugdwet van toepassing?")
    expect(gekozen.locator("option:checked")).to_have_text(antwoord)
    for ander, knop in JEUGDWET_KNOPPEN.items():
        rol = "link" if ander.startswith("Nee, andere") else "button"
        expect(page.get_by_role(rol, name=knop, exact=True)).to_have_count(1 if ander == antwoord else 0)
    if shot:
        shot(page, stap)


def medewerker_in_eigen_venster(new_context, base_url: str, gebruikersnaam: str):
    """A medewerker logged in in a browser context of their own, so a flow can go back and forth between people
    without logging out and in each time. Returns the page."""
    from tests.browser.conftest import login_medewerker

    pagina = new_context().new_page()
    login_medewerker(pagina, base_url, gebruikersnaam)
    return pagina


def pdf_in_backoffice(page, titel: str, pad) -> str:
    """On a backoffice zaak page: fetch the document `titel` from the Documenten list (with the medewerker's
    session) to `pad`; returns its text."""
    from pathlib import Path

    href = page.get_by_role("link", name=titel, exact=True).get_attribute("href")
    antwoord = page.context.request.get(page.url.split("/backoffice/")[0] + href)
    assert antwoord.ok and antwoord.headers["content-type"].startswith("application/pdf"), antwoord.status
    Path(pad).write_bytes(antwoord.body())
    return pdf_tekst(pad)
