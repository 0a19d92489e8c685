"""Jeugd in Chromium, each branch of "Jeugdwet van toepassing?" as a whole flow, with Esther Koster (who has gezag
over her daughter Noor, 10) in the portal on a phone-sized screen and the staff in the backoffice:

- ja: team toegang registers the melding for Noor; the consulent jeugd assigns it to herself, plans the huisbezoek,
  records "Jeugdwet van toepassing? Ja" and sends the verslag; Esther passes on changes; the verslag comes again;
  Esther fills in the aanvraagformulier (saves, resumes on another device, signs); the beschikking goes to the
  toetser; the consulent records the call about the besluit; administratie orders (iJw 301);
- nee, after the aanvraag: the consulent proposes the intrekking; Esther does not agree; a negative beschikking;
  Esther can object; and, shorter, Esther agrees and the zaak closes;
- andere zorg: the consulent hands over with a melding for another team; both zaken show the link.
Noor's father Ruben Hoekstra, without gezag, sees nothing of it.

Every step leaves a screenshot in test-artifacts/screenshots/<test>/; the downloaded documents land next to them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.deadlines import bereken
from domain.models import Bericht, Zaak
from domain.teksten import datum_nl
from domain.tijd import vandaag
from tests.browser.stappen import (
    bevestiging,
    download_pdf,
    hoofdmenu,
    jeugdwet_van_toepassing,
    keur_beschikking_goed,
    medewerker_in_eigen_venster,
    open_zaak_backoffice,
    open_zaak_uit_teamwerkvoorraad,
    pdf_in_backoffice,
    plan_afspraak,
    registreer_melding,
    schrijf_verslag,
    stel_afwijzing_op,
    stel_beschikking_op,
    uitloggen_portaal,
    zaak_id_van,
)
from tests.gezag import KIND_BSN, OUDER_BSN, VADER_BSN, jeugd_zaak_van_kind

from .conftest import login_inwoner

JEUGD = "Hulp voor uw kind (Jeugdwet)"
JASMIJN = "Jasmijn Jeugd"
TELEFOON = {"width": 390, "height": 844}
ESTHER_MAIL = "esther.koster@inwoner.example"
WIJZIGING = "Noor gaat op dinsdag naar voetbal; dan is ze pas om 17.00 uur thuis."


def _esther(new_context, url: str, *, viewport=TELEFOON):
    """Esther logs in with her own DigiD (level substantieel) and opens Noor's zaak from "Zaken van Noor"."""
    esther = new_context(viewport=viewport).new_page()
    login_inwoner(esther, url, OUDER_BSN, niveau="substantieel")
    noor = esther.get_by_role("region", name="Zaken van Noor")
    expect(noor).to_contain_text("U heeft het gezag over Noor Koster")
    return esther


def _open_zaak_van_noor(esther, url: str, zaak_id: int) -> None:
    esther.get_by_role("region", name="Zaken van Noor").get_by_role("link", name=JEUGD).click()
    expect(esther).to_have_url(f"{url}/zaken/{zaak_id}")
    expect(esther.get_by_role("main")).to_contain_text("U bekijkt deze zaak namens Noor Koster")


def _status(app, zaak_id: int) -> str:
    db = app.extensions["db_sessionmaker"]()
    try:
        return db.get(Zaak, zaak_id).status
    finally:
        db.close()


def _zaak_van_noor(app, status: str) -> tuple[int, str]:
    db = app.extensions["db_sessionmaker"]()
    try:
        zaak = jeugd_zaak_van_kind(db, diensten_uit(app.config["SETTINGS"]), status=status)
        return zaak.id, zaak.identificatie
    finally:
        db.close()


def _ruben_ziet_niets(new_context, url: str, zaak_ids: list[int], shot) -> None:
    """Noor's father, without gezag: no section for Noor, no notification about her, her zaken do not exist."""
    ruben = new_context(viewport=TELEFOON).new_page()
    login_inwoner(ruben, url, VADER_BSN)
    expect(ruben.get_by_role("main")).not_to_contain_text("Zaken van")
    expect(ruben.get_by_role("main")).not_to_contain_text("Noor")
    hoofdmenu(ruben, "Berichten")
    expect(ruben.get_by_role("main")).not_to_contain_text("Over Noor")
    for zaak_id in zaak_ids:
        assert ruben.goto(f"{url}/zaken/{zaak_id}").status == 404
        expect(ruben.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    shot(ruben, "ruben-zonder-gezag")


# ja -------------------------------------------------------------------------------------------------------------


def test_jeugdwet_applies_from_melding_to_the_ijw_order(page, new_context, app, demo, standin, live_port, serve,
                                                        shot):
    server = serve(app, live_port)
    url = server.url
    vandaag_ = vandaag()

    # 1. Team toegang registers the melding for Noor; the letters will reach her mother. ------------------------
    from .conftest import login_medewerker

    login_medewerker(page, url, "toegang")
    nummer = registreer_melding(page, bsn=KIND_BSN, naam="Noor Koster", zaaktype=JEUGD, team="Team Jeugd",
                                hulpvraag="Noor (10) heeft na school begeleiding nodig. Haar moeder werkt tot 18.00 uur.",
                                email=ESTHER_MAIL, shot=shot, stap="toegang-melding-noor")
    zaak_id = zaak_id_van(app, nummer)

    # 2. Jasmijn (consulent jeugd): from the team's werkvoorraad, assigns it to herself, plans the huisbezoek. ---
    jasmijn = medewerker_in_eigen_venster(new_context, url, "jeugd")
    open_zaak_uit_teamwerkvoorraad(jasmijn, nummer)
    jasmijn.get_by_role("link", name="Toewijzen aan consulent").click()
    jasmijn.get_by_label("Consulent").select_option(label=JASMIJN)
    jasmijn.get_by_role("button", name="Toewijzen", exact=True).click()
    bevestiging(jasmijn, "De zaak is toegewezen.")
    expect(jasmijn.get_by_role("region", name="Inwoner", exact=True)).to_contain_text(JASMIJN)
    plan_afspraak(jasmijn, link="Huisbezoek plannen", knop="Gesprek plannen en bevestiging sturen",
                  bevestigd="Het huisbezoek is gepland. De inwoner krijgt een bevestiging.",
                  datum=vandaag_ + dt.timedelta(days=2), tijd="16:00", plaats="Bij Noor thuis, Dorpsstraat 41",
                  shot=shot, stap="jasmijn-huisbezoek")
    # Before the judgement none of the three branches is offered.
    kenmerken = jasmijn.get_by_role("region", name="Kenmerken")
    expect(kenmerken.get_by_label("Jeugdwet van toepassing?").locator("option:checked")).to_have_text(
        "Nog niet bepaald")
    expect(jasmijn.get_by_role("button", name=re.compile("^Jeugdwet"))).to_have_count(0)
    expect(jasmijn.get_by_role("link", name="Andere zorg: melding voor een ander team")).to_have_count(0)
    schrijf_verslag(jasmijn, situatie="Noor woont bij haar moeder. Na school is er tot 18.00 uur niemand thuis.",
                    advies="Ambulante jeugdhulp na school, 2 uur per week.", shot=shot, stap="jasmijn-verslag")

    # 3. "Jeugdwet van toepassing? Ja": only that branch; the verslag goes to Esther with 7 days. ---------------
    jeugdwet_van_toepassing(jasmijn, "Ja", shot=shot, stap="jasmijn-kenmerk-ja")
    jasmijn.get_by_role("button", name="Jeugdwet van toepassing: verslag naar de inwoner (7 dagen)").click()
    bevestiging(jasmijn, "Het verslag staat in het portaal. De inwoner heeft 7 dagen om wijzigingen door te geven.")
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Verslag ter reactie (7 dagen)")
    shot(jasmijn, "jasmijn-verslag-naar-esther")

    # 4. Esther, on her phone: reads the verslag and passes on a change. ----------------------------------------
    esther = _esther(new_context, url)
    shot(esther, "esther-mijn-zaken")
    _open_zaak_van_noor(esther, url, zaak_id)
    expect(esther.get_by_role("region", name="Wat moet ik doen?")).to_contain_text("Geef dat binnen 7 dagen door")
    # Her own term, and no law: said as such (it read "Wij zijn uiterlijk ... klaar. Dat staat in de wet: Werkafspraak").
    expect(esther.get_by_role("main")).to_contain_text("U kunt dat doen tot en met")
    expect(esther.get_by_role("main")).to_contain_text("Dat is een afspraak van de gemeente.")
    expect(esther.get_by_role("main")).not_to_contain_text("Dat staat in de wet: Werkafspraak")
    shot(esther, "esther-verslag-ter-reactie")
    verslag = download_pdf(esther, "Verslag van het gesprek (onderzoeksverslag)",
                           shot(esther, "esther-documenten").parent / "verslag-1.pdf")
    assert "Ambulante jeugdhulp na school" in verslag, verslag
    esther.get_by_role("link", name="Wijzigingen in het verslag doorgeven").click()
    expect(esther.get_by_role("heading", level=1)).to_have_text("Wijzigingen in het verslag doorgeven")
    esther.get_by_label("Wat moet er anders in het verslag?").fill(WIJZIGING)
    shot(esther, "esther-wijzigingen")
    esther.get_by_role("button", name="Versturen").click()
    bevestiging(esther, "We hebben uw wijzigingen ontvangen.")
    shot(esther, "esther-wijzigingen-verstuurd")

    # 5. Jasmijn: the notification, the change in the verslag (version 2), the verslag to Esther again. ---------
    hoofdmenu(jasmijn, re.compile(r"^Meldingen"))
    kaart = jasmijn.locator("li.kt-card").filter(has_text="Wijzigingen in het verslag").filter(has_text=nummer)
    expect(kaart).to_have_count(1)
    kaart.get_by_role("link", name="Bekijken").click()
    expect(jasmijn.locator(".kt-badge").first).to_have_text("In onderzoek")
    jasmijn.get_by_role("link", name="Onderzoeksverslag aanpassen").click()
    expect(jasmijn.get_by_role("main")).to_contain_text("opslaan maakt versie 2")
    situatie = jasmijn.get_by_label("Situatie", exact=True)
    situatie.fill(situatie.input_value() + " " + WIJZIGING)
    jasmijn.get_by_role("button", name="Versie opslaan").click()
    bevestiging(jasmijn, "Versie 2 van het verslag is opgeslagen.")
    jasmijn.get_by_role("button", name="Jeugdwet van toepassing: verslag naar de inwoner (7 dagen)").click()
    bevestiging(jasmijn, "Het verslag staat in het portaal.")

    # 6. Esther: the aanvraagformulier, saved half-way, resumed on her laptop, signed. ---------------------------
    esther.goto(f"{url}/zaken/{zaak_id}")
    esther.get_by_role("link", name="Aanvraagformulier invullen en ondertekenen").click()
    expect(esther.get_by_role("heading", level=1)).to_have_text("Aanvraagformulier jeugdhulp")
    esther.get_by_label("Welke hulp vraagt u aan voor uw kind?").fill("Begeleiding na school, twee middagen.")
    esther.get_by_role("button", name="Opslaan en later verder").click()
    bevestiging(esther, "Uw antwoorden zijn opgeslagen. U kunt later verder gaan")
    shot(esther, "esther-formulier-opgeslagen")
    uitloggen_portaal(esther, url)

    laptop = _esther(new_context, url, viewport={"width": 1280, "height": 800})
    _open_zaak_van_noor(laptop, url, zaak_id)
    expect(laptop.get_by_role("main")).to_contain_text("U bent al begonnen")
    laptop.get_by_role("link", name="Verder met het formulier").click()
    expect(laptop.get_by_label("Welke hulp vraagt u aan voor uw kind?")).to_have_value(
        "Begeleiding na school, twee middagen.")
    laptop.get_by_label("Uw telefoonnummer").fill("0612345678")
    laptop.get_by_role("group", name="Ik heb het verslag van het gesprek gelezen").get_by_label("Ja").check()
    laptop.get_by_role("group", name="Ik vraag deze hulp aan en wat ik heb ingevuld is waar").get_by_label("Ja").check()
    shot(laptop, "esther-formulier-laptop")
    laptop.get_by_role("button", name="Versturen").click()
    bevestiging(laptop, "We hebben uw aanvraag ontvangen. We nemen binnen 8 weken een besluit.")
    shot(laptop, "esther-aanvraag-verstuurd")
    assert _status(app, zaak_id) == "aanvraag"

    # 7. Jasmijn: "Aanvraag compleet"; a beschikking of 2 hours a week (8.840 euro a year) goes to the toetser. --
    hoofdmenu(jasmijn, re.compile(r"^Meldingen"))
    kaart = jasmijn.locator("li.kt-card").filter(has_text="Aanvraag compleet").filter(has_text=nummer)
    kaart.get_by_role("link", name="Bekijken").click()
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Aanvraag ontvangen")
    stel_beschikking_op(jasmijn, onderbouwing="Noor heeft na school begeleiding nodig; het netwerk kan dit niet.",
                        uren=2, ingangsdatum=vandaag_, shot=shot, naam="jasmijn-beschikking",
                        product="Jeugdhulp ambulant, individueel")
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Ter toetsing")

    toetser = medewerker_in_eigen_venster(new_context, url, "toetser")
    expect(toetser.get_by_role("row").filter(has=toetser.get_by_role("link", name=nummer, exact=True))).to_contain_text(
        "Beschikking toetsen")
    keur_beschikking_goed(toetser, nummer)
    shot(toetser, "toetser-goedgekeurd")

    # 8. Jasmijn records the call about the besluit and the aanbieders. -----------------------------------------
    jasmijn.reload()
    jasmijn.get_by_role("link", name="Gesprek over het besluit vastleggen").click()
    expect(jasmijn.get_by_role("main")).to_contain_text("welke aanbieders heeft u genoemd?")
    # The question is the field's label (it was "Reden").
    jasmijn.get_by_label(re.compile("Wat heeft u met de ouders besproken")).fill(
        "Besluit uitgelegd aan Esther; aanbieders De Hoeksteen en Yulius genoemd.")
    shot(jasmijn, "jasmijn-gesprek-besluit")
    jasmijn.get_by_role("button", name="Gesprek over het besluit vastleggen").click()
    bevestiging(jasmijn, "Het gesprek over het besluit is vastgelegd.")

    # 9. Administratie orders: the iJw 301 is in the berichten list. --------------------------------------------
    administratie = medewerker_in_eigen_venster(new_context, url, "administratie")
    hoofdmenu(administratie, "Acties")
    expect(administratie.get_by_role("row").filter(
        has=administratie.get_by_role("link", name=nummer, exact=True))).to_contain_text("iJw 301")
    open_zaak_backoffice(administratie, nummer)
    administratie.get_by_role("link", name="Jeugdhulp bestellen").click()
    administratie.get_by_role("button", name="Bestellen en toewijzing versturen").click()
    bevestiging(administratie, "De jeugdhulp is besteld.")
    expect(administratie.locator(".kt-badge").first).to_have_text("Jeugdhulp besteld")
    shot(administratie, "administratie-besteld")
    hoofdmenu(administratie, "Berichtenverkeer")
    rijen = administratie.get_by_role("row").filter(has=administratie.get_by_role("link", name=nummer, exact=True))
    expect(rijen.filter(has_text="JW301")).to_have_count(1)
    expect(rijen.filter(has_text="JW301")).to_contain_text("Toewijzing")
    shot(administratie, "administratie-berichtenverkeer")
    db = app.extensions["db_sessionmaker"]()
    try:
        berichten = db.scalars(select(Bericht).where(Bericht.zaak_id == zaak_id)).all()
        assert [(b.code, b.richting) for b in berichten if b.standaard == "ijw"] == [("301", "uit")]
    finally:
        db.close()

    # 10. Esther: the hulp is being arranged; the beschikking names the Jeugdwet; Ruben sees nothing. -----------
    laptop.goto(f"{url}/zaken/{zaak_id}")
    tijdlijn = laptop.get_by_role("list", name="Stappen van uw aanvraag")
    expect(tijdlijn.locator("li.kt-nu")).to_contain_text("We vragen de jeugdhulpaanbieder om te beginnen")
    beschikking = download_pdf(laptop, "Beschikking (toekenning)",
                               shot(laptop, "esther-jeugdhulp-besteld").parent / "beschikking.pdf")
    assert "Jeugdwet" in beschikking and "Noor Koster" in beschikking, beschikking
    _ruben_ziet_niets(new_context, url, [zaak_id], shot)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


# nee ------------------------------------------------------------------------------------------------------------


def _intrekking_voorleggen(new_context, url: str, nummer: str, shot):
    """Jasmijn records "Jeugdwet van toepassing? Nee" and puts the verslag and the intrekking in the portal."""
    jasmijn = medewerker_in_eigen_venster(new_context, url, "jeugd")
    open_zaak_uit_teamwerkvoorraad(jasmijn, nummer)
    jeugdwet_van_toepassing(jasmijn, "Nee", shot=shot, stap="jasmijn-kenmerk-nee")
    jasmijn.get_by_role("button", name="Jeugdwet niet van toepassing: intrekking voorleggen").click()
    bevestiging(jasmijn, "Het verslag en de intrekking staan in het portaal.")
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Intrekking voorgelegd")
    return jasmijn


def _esther_leest_de_intrekking(new_context, url: str, zaak_id: int, shot):
    esther = _esther(new_context, url)
    _open_zaak_van_noor(esther, url, zaak_id)
    doen = esther.get_by_role("region", name="Wat moet ik doen?")
    expect(doen).to_contain_text("Laat ons weten of u het ermee eens bent.")
    expect(doen.get_by_role("button")).to_have_count(2)
    brief = download_pdf(esther, "Voorstel tot intrekking van uw aanvraag",
                         shot(esther, "esther-intrekking-voorgelegd").parent / "intrekking.pdf")
    assert "niet onder de Jeugdwet" in " ".join(brief.split()), brief
    return esther, doen


def test_jeugdwet_does_not_apply_esther_disagrees_and_may_object(new_context, app, demo, standin, live_port, serve,
                                                                 shot):
    server = serve(app, live_port)
    url = server.url
    zaak_id, nummer = _zaak_van_noor(app, "aanvraag")  # Esther signed the aanvraagformulier for Noor

    # 1. After the aanvraag, Jasmijn judges the Jeugdwet does not apply and proposes the intrekking. ------------
    jasmijn = _intrekking_voorleggen(new_context, url, nummer, shot)

    # 2. Esther does not agree. ----------------------------------------------------------------------------------
    esther, doen = _esther_leest_de_intrekking(new_context, url, zaak_id, shot)
    doen.get_by_role("button", name="Ik ben het niet eens: neem een besluit").click()
    bevestiging(esther, "We nemen een besluit op uw aanvraag. U krijgt de beschikking in het portaal.")
    expect(esther.get_by_role("list", name="Stappen van uw aanvraag").locator("li.kt-nu")).to_contain_text(
        "Uw aanvraag is compleet")
    expect(esther.get_by_role("button", name="Ik ben het eens: trek de aanvraag in")).to_have_count(0)
    shot(esther, "esther-niet-eens")

    # 3. Jasmijn: the notification; a negative beschikking, which the toetser signs. ----------------------------
    hoofdmenu(jasmijn, re.compile(r"^Meldingen"))
    kaart = jasmijn.locator("li.kt-card").filter(has_text="Niet akkoord met intrekking").filter(has_text=nummer)
    kaart.get_by_role("link", name="Bekijken").click()
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Aanvraag ontvangen")
    stel_afwijzing_op(jasmijn, onderbouwing="De hulp die Noor nodig heeft, valt niet onder de Jeugdwet. De "
                      "naschoolse opvang van de gemeente past bij haar vraag.", shot=shot, naam="jasmijn-afwijzing")
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Ter toetsing")
    toetser = medewerker_in_eigen_venster(new_context, url, "toetser")
    keur_beschikking_goed(toetser, nummer)

    # 4. Esther: the afwijzing in the portal, and bezwaar within 6 weeks, which she makes for Noor. ---------------
    esther.goto(f"{url}/zaken/{zaak_id}")
    main = esther.get_by_role("main")
    expect(main).to_contain_text("Er is een besluit")
    uiterlijk = datum_nl(bereken("bezwaartermijn", vandaag()).einddatum)
    expect(main).to_contain_text(f"U kunt bezwaar maken tot en met {uiterlijk}")
    expect(esther.get_by_role("list", name="Stappen van uw aanvraag")).not_to_contain_text("We vragen de jeugdhulpaanbieder om te beginnen")
    afwijzing = download_pdf(esther, "Beschikking (afwijzing)",
                             shot(esther, "esther-afwijzing").parent / "afwijzing.pdf")
    assert "naschoolse opvang" in afwijzing and "bezwaar" in afwijzing.lower(), afwijzing
    esther.get_by_role("link", name="Bezwaar maken").click()
    expect(esther.get_by_role("heading", level=1)).to_have_text("Bezwaar maken")
    expect(esther.get_by_role("main")).to_contain_text("U bekijkt deze zaak namens Noor Koster")
    esther.get_by_label("Waarom bent u het niet eens met het besluit?").fill(
        "Noor heeft begeleiding nodig, geen opvang: dat staat ook in het verslag.")
    esther.get_by_label("Hoe kunnen we u bereiken voor een hoorzitting?").fill("06-12345678, na 18.00 uur")
    shot(esther, "esther-bezwaar")
    esther.get_by_role("button", name="Bezwaar versturen").click()
    bevestiging(esther, "We hebben uw bezwaar ontvangen")
    hoofdmenu(esther, "Mijn zaken")
    expect(esther.get_by_role("region", name="Zaken van Noor").get_by_role("link", name="Bezwaar")).to_have_count(1)
    shot(esther, "esther-bezwaar-bij-noor")
    assert _status(app, zaak_id) == "besluit"


def test_esther_agrees_with_the_intrekking_and_the_zaak_closes(new_context, app, demo, standin, live_port, serve,
                                                               shot):
    server = serve(app, live_port)
    url = server.url
    zaak_id, nummer = _zaak_van_noor(app, "in_onderzoek")  # melding, huisbezoek, verslag written

    jasmijn = _intrekking_voorleggen(new_context, url, nummer, shot)
    esther, doen = _esther_leest_de_intrekking(new_context, url, zaak_id, shot)
    doen.get_by_role("button", name="Ik ben het eens: trek de aanvraag in").click()
    bevestiging(esther, "U heeft uw aanvraag ingetrokken. We hebben de zaak gesloten.")
    expect(esther.get_by_role("list", name="Stappen van uw aanvraag").locator("li.kt-nu")).to_contain_text(
        "De zaak is afgesloten")
    expect(esther.get_by_role("region", name="Wat moet ik doen?")).to_have_count(0)
    expect(esther.get_by_role("link", name="Bezwaar maken")).to_have_count(0)
    shot(esther, "esther-ingetrokken")

    hoofdmenu(jasmijn, re.compile(r"^Meldingen"))
    kaart = jasmijn.locator("li.kt-card").filter(has_text="Aanvraag ingetrokken").filter(has_text=nummer)
    kaart.get_by_role("link", name="Bekijken").click()
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Afgesloten")
    expect(jasmijn.get_by_role("heading", name="Wat kunt u nu doen?")).to_have_count(0)
    shot(jasmijn, "jasmijn-afgesloten")
    assert _status(app, zaak_id) == "afgesloten"


# andere zorg ----------------------------------------------------------------------------------------------------


def test_andere_zorg_hands_noor_over_to_another_team_with_a_linked_melding(new_context, app, demo, standin,
                                                                          live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url
    zaak_id, nummer = _zaak_van_noor(app, "in_onderzoek")
    hulpvraag = "Esther kan Noor 's middags niet halen; zij heeft zelf hulp nodig bij het regelen van vervoer."

    # 1. Jasmijn: "Nee, andere zorg binnen de gemeente", and the melding for Team Wmo. -------------------------
    jasmijn = medewerker_in_eigen_venster(new_context, url, "jeugd")
    open_zaak_uit_teamwerkvoorraad(jasmijn, nummer)
    jeugdwet_van_toepassing(jasmijn, "Nee, andere zorg binnen de gemeente", shot=shot, stap="jasmijn-andere-zorg")
    jasmijn.get_by_role("link", name="Andere zorg: melding voor een ander team", exact=True).click()
    expect(jasmijn.get_by_role("heading", level=1)).to_have_text("Andere zorg: melding voor een ander team")
    soort = jasmijn.get_by_label("Soort melding")
    assert JEUGD not in soort.locator("option").all_inner_texts()  # not its own team's zaaktype
    soort.select_option(label="Ondersteuning thuis (Wmo)")
    jasmijn.get_by_role("textbox").fill(hulpvraag)
    shot(jasmijn, "jasmijn-melding-ander-team")
    jasmijn.get_by_role("button", name="Melding maken").click()
    bevestiging(jasmijn, "De melding staat bij het andere team. Deze zaak is afgesloten.")
    melding = jasmijn.get_by_role("status").filter(has_text="staat in de werkvoorraad van Team Wmo").inner_text()
    wmo_nr = re.search(r"Melding (\S+) staat in de werkvoorraad", melding).group(1)
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Afgesloten")
    gekoppeld = jasmijn.get_by_role("region", name="Gekoppelde zaken")
    expect(gekoppeld).to_contain_text(wmo_nr)
    expect(gekoppeld).to_contain_text("Team Wmo")
    shot(jasmijn, "jasmijn-gekoppeld")

    # 2. Wim (Team Wmo) finds the melding, with the hulpvraag and the link back to the Jeugd zaak. --------------
    wim = medewerker_in_eigen_venster(new_context, url, "wmo")
    open_zaak_uit_teamwerkvoorraad(wim, wmo_nr)
    expect(wim.locator(".kt-badge").first).to_have_text("Melding ontvangen")
    expect(wim.get_by_role("main")).to_contain_text(hulpvraag)
    gekoppeld = wim.get_by_role("region", name="Gekoppelde zaken")
    expect(gekoppeld).to_contain_text(nummer)
    expect(gekoppeld).to_contain_text("Team Jeugd")
    shot(wim, "wim-gekoppeld")

    # 3. Esther sees both of Noor's zaken and why; Ruben sees neither. -------------------------------------------
    esther = _esther(new_context, url)
    noor = esther.get_by_role("region", name="Zaken van Noor")
    expect(noor.get_by_role("link", name=JEUGD)).to_have_count(1)
    expect(noor.get_by_role("link", name="Ondersteuning thuis (Wmo)")).to_have_count(1)
    shot(esther, "esther-twee-zaken")
    noor.get_by_role("link", name=JEUGD).click()
    hoort_erbij = esther.get_by_role("heading", name="Zaken die hierbij horen").locator("xpath=following-sibling::ul[1]")
    expect(hoort_erbij).to_contain_text(f"zaaknummer {wmo_nr}")
    hoort_erbij.get_by_role("link", name="Ondersteuning thuis (Wmo)").click()
    expect(esther).to_have_url(f"{url}/zaken/{zaak_id_van(app, wmo_nr)}")
    expect(esther.get_by_role("heading", name="Zaken die hierbij horen").locator("xpath=following-sibling::ul[1]")
           ).to_contain_text(f"zaaknummer {nummer}")
    shot(esther, "esther-gekoppelde-zaak")
    hoofdmenu(esther, "Berichten")
    bericht = esther.locator("li.kt-card").filter(has_text="Uw vraag gaat naar een ander team")
    expect(bericht).to_contain_text("Over Noor")
    shot(esther, "esther-berichten")
    _ruben_ziet_niets(new_context, url, [zaak_id, zaak_id_van(app, wmo_nr)], shot)


# defects found by these flows, fixed: each failed before its fix ---------------------------------


def test_a_jeugd_beschikking_is_grounded_in_the_jeugdwet(new_context, app, demo, live_port, serve, tmp_path):
    server = serve(app, live_port)
    _, nummer = _zaak_van_noor(app, "aanvraag")
    jasmijn = medewerker_in_eigen_venster(new_context, server.url, "jeugd")
    open_zaak_uit_teamwerkvoorraad(jasmijn, nummer)
    stel_beschikking_op(jasmijn, onderbouwing="Noor heeft na school begeleiding nodig.", uren=1,
                        ingangsdatum=vandaag(), shot=lambda *a: None, naam="-",
                        product="Jeugdhulp ambulant, individueel")
    expect(jasmijn.locator(".kt-badge").first).to_have_text("Besluit verzonden")  # 1 hour: self-signed
    tekst = " ".join(pdf_in_backoffice(jasmijn, "Beschikking (toekenning)", tmp_path / "b.pdf").split())
    assert "Wet maatschappelijke ondersteuning" not in tekst and "artikel 2.3 Jeugdwet" in tekst, tekst


def test_the_aanvraagformulier_asks_the_parents_name(new_context, app, demo, standin, live_port, serve):
    server = serve(app, live_port)
    zaak_id, _ = _zaak_van_noor(app, "verslag_ter_reactie")
    esther = _esther(new_context, server.url)
    _open_zaak_van_noor(esther, server.url, zaak_id)
    esther.get_by_role("link", name="Aanvraagformulier invullen en ondertekenen").click()
    expect(esther.get_by_label("Uw naam")).to_have_value("Esther Koster")
