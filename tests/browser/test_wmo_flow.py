"""The whole Wmo flow in Chromium, with the real log-ins: toegang makes the melding, the teamleider assigns it,
the consulent plans the gesprek and writes the verslag, the inwoner signs it with DigiD, the consulent writes the
beschikking, the toetser rejects and then approves it, and the inwoner downloads the beschikking PDF.

Every step leaves a screenshot in test-artifacts/screenshots/<test>/; the PDF lands next to them.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from domain.models import Inwoner, MailBericht, Zaak
from domain.tijd import vandaag
from tests.browser.stappen import (
    bevestiging,
    leg_gesprek_vast,
    open_zaak_backoffice,
    stel_beschikking_op,
    uitloggen_backoffice,
)

from .conftest import login_inwoner, login_medewerker

SARA_BSN = "999990135"  # Sara Dekker, Barendrecht: no zaak in the demo
SARA_MAIL = "sara@inwoner.example"
WIM = "Wim van Wmo"
HULPVRAAG = "Sinds een val kan ik niet meer stofzuigen of de badkamer schoonmaken. Mijn partner werkt fulltime."
REDEN_AFKEUR = "10 uur per week is niet onderbouwd: het huis is klein. Ga uit van 6 uur."


def uitloggen_portaal(page, base_url: str, standin_url: str, bezocht: list[str]) -> None:
    bezocht.clear()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{base_url}/uitgelogd")
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    assert any(u.startswith(f"{standin_url}/logout?") for u in bezocht), bezocht  # via end_session


def zaak_id_van(app, identificatie: str) -> int:
    db = app.extensions["db_sessionmaker"]()
    try:
        return db.scalar(select(Zaak.id).where(Zaak.identificatie == identificatie))
    finally:
        db.close()


def test_wmo_from_melding_to_downloaded_beschikking(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url
    bezocht: list[str] = []
    page.on("request", lambda r: r.is_navigation_request() and bezocht.append(r.url))
    vandaag_ = vandaag()

    # 1. Team toegang: find Sara in the BRP, register the phone call, make a Wmo melding. -----------------------
    login_medewerker(page, url, "toegang")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inwoner zoeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inwoner zoeken")
    page.get_by_label("BSN", exact=True).fill(SARA_BSN)
    page.get_by_role("button", name="Zoeken in de BRP").click()
    resultaat = page.get_by_role("table", name="Gevonden in de BRP")
    expect(resultaat).to_contain_text("Sara Dekker")
    expect(resultaat).to_contain_text("Barendrecht")
    shot(page, "toegang-zoekresultaat")
    resultaat.get_by_role("button", name="Openen Sara Dekker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Dekker")
    assert SARA_BSN not in page.url
    page.get_by_label("Hoe nam de inwoner contact op?").select_option(label="Telefoon")
    page.get_by_label("Hulpvraag en notities").fill(HULPVRAAG)
    page.get_by_label("Hoe wil de inwoner contact?").select_option(label="E-mail")
    page.get_by_label("E-mailadres inwoner").fill(SARA_MAIL)
    page.get_by_label("Melding maken").check()
    page.get_by_label("Melding voor").select_option(label="Ondersteuning thuis (Wmo)")
    shot(page, "toegang-contact-ingevuld")
    page.get_by_role("button", name="Opslaan").click()
    bevestiging(page, "staat in de werkvoorraad van Team Wmo")
    melding = page.get_by_role("status").inner_text()
    identificatie = re.search(r"Melding (\S+) staat in de werkvoorraad", melding).group(1)
    zaak_id = zaak_id_van(app, identificatie)
    shot(page, "toegang-melding-gemaakt")
    # Toegang may not open a zaak of Team Wmo: she lands back on the inwoner's page, which lists the new dossier.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sara Dekker")
    uitloggen_backoffice(page, url)

    # 2. Teamleider: teamoverleg, only the unassigned zaken, assign Sara's zaak to Wim. --------------------------
    login_medewerker(page, url, "teamleider")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Werkvoorraad").click()
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="Team (teamoverleg)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad van het team")
    page.get_by_label("Alleen nog niet toegewezen").check()
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r".*onverdeeld=1.*"))
    tabel = page.get_by_role("table", name="Open zaken, eerste deadline bovenaan")
    rij = tabel.get_by_role("row").filter(has=page.get_by_role("link", name=identificatie, exact=True))
    expect(rij).to_contain_text("Sara Dekker")
    expect(rij).to_contain_text("Niet toegewezen")
    page.get_by_label(f"Kies {identificatie}", exact=True).check()
    page.get_by_label("Toewijzen aan").select_option(label=WIM)
    shot(page, "teamleider-teamoverleg")
    page.get_by_role("button", name="Gekozen zaken toewijzen").click()
    bevestiging(page, f"1 zaak toegewezen aan {WIM}.")
    # the filter still shows only unassigned zaken: Sara's is gone from the list
    expect(page.get_by_role("link", name=identificatie, exact=True)).to_have_count(0)
    shot(page, "teamleider-toegewezen")
    uitloggen_backoffice(page, url)

    # 3. Wim: plan the keukentafelgesprek, write the verslag, put it ready for signing. ---------------------------
    login_medewerker(page, url, "wmo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werkvoorraad")
    expect(
        page.get_by_role("row").filter(has=page.get_by_role("link", name=identificatie, exact=True))
    ).to_contain_text(WIM)
    shot(page, "wim-mijn-werkvoorraad")
    open_zaak_backoffice(page, identificatie)
    page.get_by_role("link", name="Keukentafelgesprek plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keukentafelgesprek plannen")
    page.get_by_label("Datum").fill((vandaag_ + dt.timedelta(days=1)).isoformat())
    page.get_by_label("Tijd").fill("10:30")
    page.get_by_label("Duur in minuten").fill("60")
    page.get_by_label("Plaats").fill("Bij de inwoner thuis, Carnisselaan 30")
    shot(page, "wim-gesprek-plannen")
    page.get_by_role("button", name="Gesprek plannen en bevestiging sturen").click()
    bevestiging(page, "Het gesprek is gepland. De inwoner krijgt een afspraakbevestiging.")
    expect(page.get_by_role("main")).to_contain_text("Carnisselaan 30")
    shot(page, "wim-gesprek-gepland")
    expect(page.get_by_role("link", name="Onderzoeksverslag schrijven")).to_have_count(0)  # first the gesprek

    leg_gesprek_vast(page, shot=shot, stap="wim")
    page.get_by_role("link", name="Onderzoeksverslag schrijven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderzoeksverslag")
    expect(page.get_by_label("Hulpvraag", exact=True)).to_have_value(HULPVRAAG)  # taken over from the melding
    page.get_by_label("Situatie", exact=True).fill(
        "Woont met partner in een appartement. Kan sinds de val niet bukken."
    )
    page.get_by_label("Huisvesting", exact=True).fill("Het zware huishouden lukt niet zonder hulp.")
    page.get_by_label("Sociaal netwerk", exact=True).fill("Partner werkt fulltime; familie woont ver weg.")
    page.get_by_label("Eigen kracht en netwerk").fill("Doet zelf de was en lichte taken.")
    page.get_by_label("Afweging").fill(
        "Het netwerk kan het zware huishouden niet overnemen. Er is geen algemene voorziening."
    )
    page.get_by_label("Advies").fill("Hulp bij het huishouden, voor een jaar.")
    shot(page, "wim-verslag-ingevuld")
    page.get_by_role("button", name="Versie opslaan").click()
    bevestiging(page, "Versie 1 van het verslag is opgeslagen.")
    page.get_by_role("button", name="Verslag klaarzetten voor ondertekening").click()
    bevestiging(page, "Het verslag staat in het portaal. De inwoner krijgt bericht.")
    expect(page.get_by_role("main")).to_contain_text("Verslag ter ondertekening")
    shot(page, "wim-verslag-klaargezet")
    uitloggen_backoffice(page, url)

    # 4. Sara: DigiD, read and sign the verslag. ----------------------------------------------------------------
    login_inwoner(page, url, SARA_BSN, "midden", shot=shot)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    expect(page.get_by_role("main")).to_contain_text("Sara Dekker")
    shot(page, "sara-mijn-zaken")
    page.get_by_role("link", name="Ondersteuning thuis (Wmo)").click()
    expect(page).to_have_url(f"{url}/zaken/{zaak_id}")
    expect(page.get_by_role("heading", name="Wat moet ik doen?")).to_be_visible()
    shot(page, "sara-zaak-wat-moet-ik-doen")
    page.get_by_role("link", name="Verslag lezen en ondertekenen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verslag van uw gesprek")
    expect(page.get_by_role("main")).to_contain_text("Het zware huishouden lukt niet zonder hulp.")
    page.get_by_label("Wilt u iets toevoegen of verbeteren?").fill("Mijn partner is ook twee avonden per week weg.")
    page.get_by_label("Ik heb het verslag gelezen.").check()
    shot(page, "sara-ondertekenen")
    page.get_by_role("button", name="Ondertekenen", exact=True).click()
    bevestiging(page, "U heeft het verslag ondertekend")
    tijdlijn = page.get_by_role("list", name="Stappen van uw aanvraag")
    expect(tijdlijn.locator("li.kt-nu")).to_have_count(1)
    expect(tijdlijn.locator("li.kt-nu")).to_contain_text("Uw aanvraag is compleet")
    expect(tijdlijn.locator("li.kt-nu")).to_contain_text("hier bent u nu")
    shot(page, "sara-ondertekend")
    uitloggen_portaal(page, url, standin.url, bezocht)
    shot(page, "sara-uitgelogd")

    # 5. Wim: notification "Aanvraag compleet", beschikking of 10 hours a week (above the cost level). ----------
    login_medewerker(page, url, "wmo")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=re.compile(r"^Meldingen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    kaart = page.locator("li.kt-card").filter(has_text="Aanvraag compleet").filter(has_text=identificatie)
    expect(kaart).to_have_count(1)
    expect(kaart).to_contain_text("Nieuw")
    shot(page, "wim-meldingen")
    kaart.get_by_role("link", name="Bekijken").click()
    expect(page).to_have_url(f"{url}/backoffice/zaken/{zaak_id}")
    expect(page.get_by_role("main")).to_contain_text("Mijn partner is ook twee avonden per week weg.")
    stel_beschikking_op(
        page,
        onderbouwing="U kunt het zware huishouden niet zelf doen en uw netwerk kan dit niet overnemen.",
        uren=10,
        ingangsdatum=vandaag_,
        shot=shot,
        naam="wim-beschikking-10-uur",
    )
    expect(page.locator(".kt-badge").first).to_have_text("Ter toetsing")
    shot(page, "wim-ter-toetsing")
    uitloggen_backoffice(page, url)

    # 6. Toetser: rejects, first without a reason. --------------------------------------------------------------
    login_medewerker(page, url, "toetser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acties voor uw team")
    actie = page.get_by_role("row").filter(has=page.get_by_role("link", name=identificatie, exact=True))
    expect(actie).to_contain_text("Beschikking toetsen")
    expect(actie).to_contain_text("Sara Dekker")
    shot(page, "toetser-acties")
    open_zaak_backoffice(page, identificatie)
    page.get_by_role("link", name="Beschikking afkeuren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschikking afkeuren")
    page.get_by_role("button", name="Terugsturen naar de consulent").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul de reden in.")
    expect(page.get_by_label("Reden")).to_have_attribute("aria-invalid", "true")
    shot(page, "toetser-lege-reden")
    page.get_by_label("Reden").fill(REDEN_AFKEUR)
    page.get_by_role("button", name="Terugsturen naar de consulent").click()
    bevestiging(page, "De beschikking is teruggestuurd naar de consulent.")
    shot(page, "toetser-afgekeurd")
    uitloggen_backoffice(page, url)

    # 7. Wim: reads the reason, lowers the volume to 6, offers it again. -----------------------------------------
    login_medewerker(page, url, "wmo")
    open_zaak_backoffice(page, identificatie)
    page.get_by_role("link", name="Beschikking opstellen").click()
    expect(page.get_by_role("status").filter(has_text="Afgekeurd door Tom Toetser")).to_contain_text(REDEN_AFKEUR)
    regel = page.get_by_role("group", name="Voorziening 1")
    expect(regel.get_by_label("Volume")).to_have_value("10")  # the concept is kept
    regel.get_by_label("Volume").fill("6")
    shot(page, "wim-beschikking-6-uur")
    page.get_by_role("button", name="Concept opslaan").click()
    bevestiging(page, "De concept-beschikking is opgeslagen.")
    expect(page.get_by_role("main")).to_contain_text("6 uur per week")
    page.get_by_role("button", name="Beschikking afronden").click()
    bevestiging(page, "De beschikking is afgerond")
    expect(page.locator(".kt-badge").first).to_have_text("Ter toetsing")  # 6 h/week is still above the level
    shot(page, "wim-opnieuw-ter-toetsing")
    uitloggen_backoffice(page, url)

    # 8. Toetser: approves and signs. ---------------------------------------------------------------------------
    login_medewerker(page, url, "toetser")
    open_zaak_backoffice(page, identificatie)
    page.get_by_role("button", name="Beschikking goedkeuren en ondertekenen").click()
    bevestiging(page, "De beschikking is goedgekeurd, ondertekend en staat in het portaal.")
    expect(page.locator(".kt-badge").first).to_have_text("Besluit verzonden")
    shot(page, "toetser-goedgekeurd")
    uitloggen_backoffice(page, url)

    # 9. Sara: the besluit is there; she downloads the beschikking. ---------------------------------------------
    login_inwoner(page, url, SARA_BSN, "midden")
    page.get_by_role("link", name="Ondersteuning thuis (Wmo)").click()
    expect(page.get_by_role("main")).to_contain_text("Er is een besluit")
    map_ = shot(page, "sara-besluit").parent  # the artifact folder of this test
    with page.expect_download() as d:
        page.get_by_role("link", name=re.compile(r"^downloaden Beschikking")).click()
    download = d.value
    pdf_pad = map_ / "beschikking.pdf"
    download.save_as(pdf_pad)
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    tekst = "".join(p.extract_text() or "" for p in PdfReader(pdf_pad).pages)
    assert "hulp bij het huishouden" in tekst.lower()
    assert "6 uur" in tekst.lower()
    assert "10 uur" not in tekst.lower()
    assert "bezwaar" in tekst.lower()
    uitloggen_portaal(page, url, standin.url, bezocht)

    # The database agrees with what the screens said. -----------------------------------------------------------
    db = app.extensions["db_sessionmaker"]()
    try:
        zaak = db.scalar(select(Zaak).where(Zaak.identificatie == identificatie))
        assert zaak.status == "besluit"
        assert zaak.inwoner.bsn == SARA_BSN
        sara = db.scalar(select(Inwoner).where(Inwoner.bsn == SARA_BSN))
        assert sara.email == SARA_MAIL and sara.contactvoorkeur == "email"
        mails = db.scalars(select(MailBericht).where(MailBericht.aan == SARA_MAIL).order_by(MailBericht.id)).all()
        onderwerpen = [m.onderwerp for m in mails]
        # melding received, afspraakbevestiging, verslag ready, besluit: every inwoner-facing step mailed her
        assert len(mails) >= 4, onderwerpen
        assert all(SARA_BSN not in m.tekst for m in mails)
    finally:
        db.close()

    blocked = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not blocked, blocked
