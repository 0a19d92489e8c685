"""The defects of issue 11, each as a whole flow in Chromium, so none of them comes back unnoticed:

(a) an afwijzing orders nothing: administratie has no "bestellen" to do (no action, no button, the form refuses),
    the portal announces no delivery;
(b) beroep at the rechtbank after a beslissing op bezwaar: test_beroep_flow.py covers it exactly
    (test_after_the_beslissing_op_bezwaar_anna_is_pointed_to_the_rechtbank);
(c) letters are signed by who sends them (name, function, team) under the gemeente's own briefhoofd;
(d) invitations (keukentafelgesprek, hoorzitting) are letters in the dossier, not only notifications;
(e) signing the verslag without the fingerprint of the version shown is refused, with a message that says so;
(f) team toegang's contact form offers Jeugd, and such a melding lands at team Jeugd.

Every step leaves a screenshot in test-artifacts/screenshots/<test>/; downloaded letters land next to them.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from domain.feestdagen import datum_tekst
from domain.models import Bericht, Ondertekening, Zaak
from domain.tijd import vandaag
from tests.browser.stappen import (
    bevestiging,
    download_pdf,
    hoofdmenu,
    keur_beschikking_goed,
    open_zaak_backoffice,
    open_zaak_uit_teamwerkvoorraad,
    plan_afspraak,
    registreer_melding,
    stel_afwijzing_op,
    uitloggen_backoffice,
    uitloggen_portaal,
    zaak_van,
)

from .conftest import login_inwoner, login_medewerker

HENDRIK = "999990044"  # Albrandswaard: Wmo beschikking ter toetsing (10 h/week)
ANNA = "999990056"  # Albrandswaard: Wmo zaak at "besluit", a toekenning waiting for administratie
JOHANNA = "999990007"  # Barendrecht: Wmo melding, not yet assigned
JAN = "999990093"  # Ridderkerk: Wmo verslag ready for signing
LOTTE = "999990111"  # Lotte Mulder, Ridderkerk, 17: no zaak
SEM = "999990032"  # Sem Bakker, Barendrecht, 14: no zaak
JEUGD = "Hulp voor uw kind (Jeugdwet)"
WMO = "Ondersteuning thuis (Wmo)"
BRIEFHOOFDEN = {  # the demo gemeenten' letterheads (domain/demo GEMEENTEN)
    "Barendrecht": "Postbus 206", "Albrandswaard": "Postbus 1000", "Ridderkerk": "Postbus 271"}


def _tekst(pdf: str) -> str:
    return " ".join(pdf.split())


def _briefhoofd_van(tekst: str, gemeente: str) -> None:
    """The letter is headed by this gemeente's own briefhoofd and by no other's."""
    assert BRIEFHOOFDEN[gemeente] in tekst and f"sociaaldomein@{gemeente.lower()}.example" in tekst, tekst
    for andere, postbus in BRIEFHOOFDEN.items():
        if andere != gemeente:
            assert postbus not in tekst, (andere, tekst)


def _ondertekend_door(pdf: str, naam: str, functie: str) -> None:
    """The signature under "Met vriendelijke groet,": the sender's name, then function and team."""
    regels = [r.strip() for r in pdf.splitlines() if r.strip()]
    groet = regels.index("Met vriendelijke groet,")
    assert regels[groet + 1:groet + 3] == [naam, functie], regels[groet:groet + 4]


# (a) ------------------------------------------------------------------------------------------------------------


def test_an_afwijzing_gets_no_bestellen_and_announces_no_delivery(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url
    hendrik_id, hendrik_nr = zaak_van(app, HENDRIK)
    _, anna_nr = zaak_van(app, ANNA)

    # 1. The toetser sends Hendrik's toekenning back; Wim turns it into an afwijzing; the toetser signs it. -------
    login_medewerker(page, url, "toetser")
    open_zaak_backoffice(page, hendrik_nr)
    page.get_by_role("link", name="Beschikking afkeuren").click()
    page.get_by_label("Reden").fill("Er is een voorliggende voorziening: de boodschappendienst van de wijk.")
    page.get_by_role("button", name="Terugsturen naar de consulent").click()
    bevestiging(page, "De beschikking is teruggestuurd naar de consulent.")
    uitloggen_backoffice(page, url)

    login_medewerker(page, url, "wmo")
    hoofdmenu(page, re.compile(r"^Meldingen"))
    kaart = page.locator("li.kt-card").filter(has_text="Beschikking afgekeurd").filter(has_text=hendrik_nr)
    kaart.get_by_role("link", name="Bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(hendrik_nr)
    stel_afwijzing_op(page, onderbouwing="De regiotaxi en de boodschappendienst van de wijk zijn er voor u.",
                      shot=shot, naam="wim-afwijzing")
    expect(page.locator(".kt-badge").first).to_have_text("Ter toetsing")  # an afwijzing is always toetsed
    uitloggen_backoffice(page, url)

    login_medewerker(page, url, "toetser")
    keur_beschikking_goed(page, hendrik_nr)
    expect(page.get_by_role("main")).to_contain_text("Afwijzing: vastgesteld en verzonden")
    # The panel shows what Hendrik will see: no ordering, no delivery.
    paneel = page.get_by_role("region", name="Wat de inwoner ziet")
    expect(paneel.locator("li.kt-nu")).to_contain_text("U krijgt het besluit (de beschikking)")
    expect(paneel).not_to_contain_text("We vragen de zorgaanbieder om te beginnen")
    expect(paneel).not_to_contain_text("U krijgt uw ondersteuning")
    shot(page, "toetser-afwijzing-ondertekend")
    uitloggen_backoffice(page, url)

    # 2. Administratie: Anna's toekenning is to be ordered, Hendrik's afwijzing is not. --------------------------
    login_medewerker(page, url, "administratie")
    hoofdmenu(page, "Acties")
    expect(page.get_by_role("row").filter(has=page.get_by_role("link", name=anna_nr, exact=True))).to_contain_text(
        "bestellen")
    expect(page.get_by_role("link", name=hendrik_nr, exact=True)).to_have_count(0)
    shot(page, "administratie-acties")
    open_zaak_backoffice(page, anna_nr)
    expect(page.get_by_role("link", name="Voorziening bestellen")).to_be_visible()
    page.goto(f"{url}/backoffice/zaken/{hendrik_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(hendrik_nr)
    expect(page.locator(".kt-badge").first).to_have_text("Besluit verzonden")
    expect(page.get_by_role("link", name="Voorziening bestellen")).to_have_count(0)
    shot(page, "administratie-hendrik-niets-te-bestellen")
    # Typing the order form's address orders nothing either: no iWmo 301 goes out.
    page.goto(f"{url}/backoffice/zaken/{hendrik_id}/bestellen")
    page.get_by_role("button", name="Bestellen en toewijzing versturen").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("status")).not_to_contain_text("De voorziening is besteld")
    shot(page, "administratie-bestellen-geweigerd")
    page.goto(f"{url}/backoffice/zaken/{hendrik_id}")
    expect(page.locator(".kt-badge").first).to_have_text("Besluit verzonden")
    expect(page.get_by_role("heading", name="Berichtenverkeer met de zorgaanbieder")).to_have_count(0)
    uitloggen_backoffice(page, url)

    # 3. Hendrik: the besluit is the last step; nothing about ordering or delivery. ------------------------------
    login_inwoner(page, url, HENDRIK)
    page.get_by_role("link", name=WMO).click()
    expect(page).to_have_url(f"{url}/zaken/{hendrik_id}")
    tijdlijn = page.get_by_role("list", name="Stappen van uw aanvraag")
    expect(tijdlijn.locator("li").last).to_have_class("kt-nu")
    expect(tijdlijn.locator("li.kt-nu")).to_contain_text("U krijgt het besluit (de beschikking)")
    expect(tijdlijn).not_to_contain_text("We vragen de zorgaanbieder om te beginnen")
    expect(tijdlijn).not_to_contain_text("U krijgt uw ondersteuning")
    expect(page.get_by_role("main")).to_contain_text("U kunt bezwaar maken tot en met")
    shot(page, "hendrik-portaal-afwijzing")
    db = app.extensions["db_sessionmaker"]()
    try:
        assert db.get(Zaak, hendrik_id).status == "besluit"
        assert db.scalar(select(func.count()).select_from(Bericht).where(Bericht.zaak_id == hendrik_id)) == 0
    finally:
        db.close()


# (c) ------------------------------------------------------------------------------------------------------------


def test_letters_are_signed_by_the_sender_under_the_gemeentes_briefhoofd(page, app, demo, standin, live_port,
                                                                        serve, shot):
    server = serve(app, live_port)
    url = server.url
    morgen = vandaag() + dt.timedelta(days=1)

    # 1. Team toegang: a Jeugd melding for Lotte (Ridderkerk); Jasmijn (consulent jeugd) plans the huisbezoek. ---
    login_medewerker(page, url, "toegang")
    nummer = registreer_melding(page, bsn=LOTTE, naam="Lotte Mulder", zaaktype=JEUGD, team="Team Jeugd",
                                hulpvraag="Lotte loopt vast op school en thuis; ze wil praten met iemand.",
                                email="lotte@inwoner.example")
    uitloggen_backoffice(page, url)
    login_medewerker(page, url, "jeugd")
    open_zaak_uit_teamwerkvoorraad(page, nummer)
    plan_afspraak(page, link="Huisbezoek plannen", knop="Gesprek plannen en bevestiging sturen",
                  bevestigd="Het huisbezoek is gepland.", datum=morgen, tijd="15:30", plaats="Bij Lotte thuis",
                  shot=shot, stap="jasmijn-huisbezoek")
    uitloggen_backoffice(page, url)

    # 2. Lotte downloads both letters. ---------------------------------------------------------------------------
    login_inwoner(page, url, LOTTE)
    page.get_by_role("link", name=JEUGD).click()
    map_ = shot(page, "lotte-zaak").parent
    huisbezoek = download_pdf(page, "Bevestiging van het huisbezoek", map_ / "bevestiging-huisbezoek.pdf")
    melding = download_pdf(page, "Bevestiging van uw melding", map_ / "bevestiging-melding.pdf")

    # The consulent sent the invitation: her name, her function and the zaak's team; Ridderkerk's letterhead.
    _ondertekend_door(huisbezoek, "Jasmijn Jeugd", "Consulent, Team Jeugd")
    _briefhoofd_van(_tekst(huisbezoek), "Ridderkerk")
    assert "Team Toegang" not in huisbezoek, huisbezoek
    assert datum_tekst(morgen) in _tekst(huisbezoek), huisbezoek
    # The bevestigingsbrief is Ridderkerk's too, about the Jeugd zaak (not Wmo's keukentafelgesprek).
    _briefhoofd_van(_tekst(melding), "Ridderkerk")
    assert "huisbezoek" in melding and "keukentafelgesprek" not in melding.lower(), melding
    shot(page, "lotte-documenten")


# (d) ------------------------------------------------------------------------------------------------------------


def test_invitations_are_letters_in_the_dossier(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url
    gesprek = vandaag() + dt.timedelta(days=3)
    zitting = vandaag() + dt.timedelta(days=14)
    johanna_id, johanna_nr = zaak_van(app, JOHANNA)

    # 1. Wim plans Johanna's keukentafelgesprek. ----------------------------------------------------------------
    login_medewerker(page, url, "wmo")
    open_zaak_uit_teamwerkvoorraad(page, johanna_nr)
    plan_afspraak(page, link="Keukentafelgesprek plannen", knop="Gesprek plannen en bevestiging sturen",
                  bevestigd="Het gesprek is gepland.", datum=gesprek, tijd="10:00",
                  plaats="Bij mevrouw Jansen thuis", shot=shot, stap="wim-gesprek")
    uitloggen_backoffice(page, url)

    # 2. Johanna: the notification and the letter in her dossier, with the date in words. -----------------------
    login_inwoner(page, url, JOHANNA)
    hoofdmenu(page, "Berichten")
    expect(page.locator("li.kt-card").filter(has_text="Uw afspraak met de consulent")).to_have_count(1)
    page.goto(f"{url}/zaken/{johanna_id}")
    documenten = page.get_by_role("heading", name="Documenten").locator("xpath=following-sibling::ul[1]")
    expect(documenten).to_contain_text("Bevestiging van uw afspraak")
    map_ = shot(page, "johanna-documenten").parent
    brief = _tekst(download_pdf(page, "Bevestiging van uw afspraak", map_ / "afspraakbevestiging.pdf"))
    assert f"op {datum_tekst(gesprek)} om 10:00" in brief and "Bij mevrouw Jansen thuis" in brief, brief
    _briefhoofd_van(brief, "Barendrecht")
    uitloggen_portaal(page, url)

    # 3. Anna objects to her beschikking in the portal. ----------------------------------------------------------
    login_inwoner(page, url, ANNA)
    page.get_by_role("link", name=WMO).click()
    page.get_by_role("link", name="Bezwaar maken").click()
    page.get_by_label("Waarom bent u het niet eens met het besluit?").fill("Twee uur per week is te weinig.")
    page.get_by_label("Hoe kunnen we u bereiken voor een hoorzitting?").fill("06-11112222")
    page.get_by_role("button", name="Bezwaar versturen").click()
    bevestiging(page, "We hebben uw bezwaar ontvangen")
    bezwaar_id = int(re.search(r"/zaken/(\d+)$", page.url).group(1))
    uitloggen_portaal(page, url)

    # 4. Julia (juridische zaken) takes it on and plans the hoorzitting. -----------------------------------------
    login_medewerker(page, url, "juridisch")
    hoofdmenu(page, "Acties")
    bezwaar_nr = page.get_by_role("row").filter(has_text="Anna Visser").get_by_role("link").first.inner_text()
    open_zaak_backoffice(page, bezwaar_nr)
    page.get_by_role("button", name="In behandeling nemen").click()
    bevestiging(page, "U behandelt dit bezwaar.")
    plan_afspraak(page, link="Hoorzitting plannen", knop="Hoorzitting plannen en uitnodiging sturen",
                  bevestigd="De hoorzitting is gepland. De inwoner krijgt een uitnodiging.", datum=zitting,
                  tijd="14:00", plaats="Raadhuis Rhoon, zaal 2", shot=shot, stap="julia-hoorzitting")
    uitloggen_backoffice(page, url)

    # 5. Anna: the invitation is a letter in the bezwaar's dossier, signed by Julia under Albrandswaard's head. ---
    login_inwoner(page, url, ANNA)
    hoofdmenu(page, "Berichten")
    expect(page.locator("li.kt-card").filter(has_text="Uitnodiging voor de hoorzitting")).to_have_count(1)
    page.goto(f"{url}/zaken/{bezwaar_id}")
    documenten = page.get_by_role("heading", name="Documenten").locator("xpath=following-sibling::ul[1]")
    expect(documenten).to_contain_text("Uitnodiging voor de hoorzitting")
    shot(page, "anna-bezwaar-documenten")
    pdf = download_pdf(page, "Uitnodiging voor de hoorzitting", map_ / "uitnodiging-hoorzitting.pdf")
    brief = _tekst(pdf)
    assert f"hoorzitting op {datum_tekst(zitting)} om 14:00" in brief and "Raadhuis Rhoon, zaal 2" in brief, brief
    _briefhoofd_van(brief, "Albrandswaard")
    _ondertekend_door(pdf, "Julia Juridisch", "Juridische Zaken")
    assert "Juridische zaken, Juridische Zaken" not in pdf


# (e) ------------------------------------------------------------------------------------------------------------


def _handtekeningen(app) -> int:
    db = app.extensions["db_sessionmaker"]()
    try:
        return db.scalar(select(func.count()).select_from(Ondertekening))
    finally:
        db.close()


def test_signing_without_the_fingerprint_of_the_verslag_is_refused(page, app, demo, standin, live_port, serve,
                                                                    shot):
    server = serve(app, live_port)
    url = server.url
    jan_id, _ = zaak_van(app, JAN)
    voor = _handtekeningen(app)

    login_inwoner(page, url, JAN)
    page.get_by_role("link", name=WMO).click()
    page.get_by_role("link", name="Verslag lezen en ondertekenen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verslag van uw gesprek")
    opmerking = "Ik heb ook last van mijn knie."

    # 1. The hidden fingerprint is taken out of the page: refused, and the page says nothing was signed. -------
    assert page.evaluate("() => { const e = document.querySelector('input[name=sha256]'); e.remove(); "
                         "return !document.querySelector('input[name=sha256]'); }")
    page.get_by_label("Wilt u iets toevoegen of verbeteren?", exact=False).fill(opmerking)
    page.get_by_label("Ik heb het verslag gelezen", exact=False).check()
    page.get_by_role("button", name="Ondertekenen", exact=True).click()
    bevestiging(page, "We weten niet welke versie van het verslag u heeft gelezen. Er is niets ondertekend.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verslag van uw gesprek")
    expect(page.get_by_label("Wilt u iets toevoegen of verbeteren?", exact=False)).to_have_value(opmerking)
    shot(page, "zonder-vingerafdruk-geweigerd")
    assert _handtekeningen(app) == voor

    # 2. A fingerprint of another version: refused too. -----------------------------------------------------------
    page.evaluate("() => { document.querySelector('input[name=sha256]').value = '0'.repeat(64); }")
    page.get_by_label("Ik heb het verslag gelezen", exact=False).check()
    page.get_by_role("button", name="Ondertekenen", exact=True).click()
    bevestiging(page, "Het verslag is veranderd sinds u het opende.")
    shot(page, "andere-vingerafdruk-geweigerd")
    assert _handtekeningen(app) == voor

    # 3. The page as the app made it signs. ------------------------------------------------------------------------
    page.get_by_label("Ik heb het verslag gelezen", exact=False).check()
    page.get_by_role("button", name="Ondertekenen", exact=True).click()
    bevestiging(page, "U heeft het verslag ondertekend")
    expect(page).to_have_url(f"{url}/zaken/{jan_id}")
    shot(page, "ondertekend")
    assert _handtekeningen(app) == voor + 1


# (f) ------------------------------------------------------------------------------------------------------------


def test_the_contact_form_offers_jeugd_and_the_melding_lands_at_team_jeugd(page, app, demo, live_port, serve,
                                                                            shot):
    server = serve(app, live_port)
    url = server.url

    # 1. Team toegang: "Melding voor" offers more than Wmo; a Jeugd melding goes to Team Jeugd. ------------------
    login_medewerker(page, url, "toegang")
    hoofdmenu(page, "Inwoner zoeken")
    page.get_by_label("BSN", exact=True).fill(SEM)
    page.get_by_role("button", name="Zoeken in de BRP").click()
    page.get_by_role("button", name="Openen Sem Bakker").click()
    keuzes = page.get_by_label("Melding voor").locator("option").all_inner_texts()
    assert WMO in keuzes and JEUGD in keuzes and "Bezwaar" not in keuzes, keuzes
    shot(page, "toegang-melding-voor")
    nummer = registreer_melding(page, bsn=SEM, naam="Sem Bakker", zaaktype=JEUGD, team="Team Jeugd",
                                hulpvraag="Sem is erg angstig en gaat niet meer naar school.",
                                email="ouders.bakker@inwoner.example", shot=shot)
    uitloggen_backoffice(page, url)

    # 2. Jasmijn (consulent jeugd) finds it in her team's werkvoorraad; it is Team Jeugd's zaak. -----------------
    login_medewerker(page, url, "jeugd")
    open_zaak_uit_teamwerkvoorraad(page, nummer)
    expect(page.get_by_role("heading", level=1)).to_contain_text(JEUGD)
    expect(page.get_by_role("region", name="Inwoner", exact=True)).to_contain_text("Team Jeugd")
    expect(page.get_by_role("link", name="Huisbezoek plannen")).to_be_visible()
    shot(page, "jasmijn-zaak")
    uitloggen_backoffice(page, url)

    # 3. Wim (consulent Wmo) does not get it. --------------------------------------------------------------------
    login_medewerker(page, url, "wmo")
    hoofdmenu(page, "Werkvoorraad")
    page.get_by_role("navigation", name="Weergave").get_by_role("link", name="Team (teamoverleg)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad van het team")
    expect(page.get_by_role("link", name=nummer, exact=True)).to_have_count(0)
    db = app.extensions["db_sessionmaker"]()
    try:
        zaak = db.scalar(select(Zaak).where(Zaak.identificatie == nummer))
        zaak_id, team = zaak.id, zaak.team.code
    finally:
        db.close()
    assert team == "jeugd"
    # the address of the zaak gives Wim the page of a zaak that does not exist
    assert page.goto(f"{url}/backoffice/zaken/{zaak_id}").status == 404
