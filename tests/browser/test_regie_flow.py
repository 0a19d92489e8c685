"""The Regieteam in Chromium, the whole path of issue 15 ("Done means") as one flow, with the Meijer family: Lieke
(4), her brother Mees (15) and their mother Sanne. Staff work in the backoffice at 1280 px; the family reads the
secure e-mail on a phone (390 px):

- team toegang registers the Veilig Thuis referral for Lieke, with Mees and Sanne and the parents' e-mail and
  mobile number; a wrong BSN is refused at its row with everything typed kept; toegang then only learns that there
  is a dossier at the Regieteam;
- the Regieteam consulent takes the melding from the team's werkvoorraad, sees the referral, plans the huisbezoek,
  records it, writes the onderzoeksverslag and sends it by secure e-mail;
- the family opens the secure e-mail: the link from the outbox, a wrong SMS code, the right one, the verslag as a
  PDF, the signed aanvraagformulier as an upload through the reply form; the zaak is then "Aanvraag ontvangen";
  the afspraakbevestiging's older link, once expired, shows its own page;
- the consulent signals Lieke in the Verwijsindex (a match with the GGD), records an ARIJ veiligheids- and
  risicotaxatie, and goes through the Meldcode: step 5 is refused before steps 1 to 4, then the steps in order,
  the afwegingskader saying melden is needed, and melden at Veilig Thuis;
- the beschikking (jeugdhulp from the productshop) goes to the toetser; the consulent records the call about the
  besluit; administratie orders it: "Jeugdhulp besteld" and a valid iJw 301;
- another team (Jeugd) gets a 404 on the zaak and only the note that the Regieteam has a dossier; Sanne, in the
  portal with DigiD, sees Lieke's Jeugd zaken and nothing of the Regieteam's.

Every step leaves a screenshot in test-artifacts/screenshots/<test>/; the downloaded verslag lands next to them.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect
from sqlalchemy import select

from domain import arij, meldcode
from domain import beveiligde_mail as bm
from domain.models import Bericht, Inwoner, MailBericht, Zaak
from domain.tijd import vandaag
from integrations.istandaarden import lees, valideer
from integrations.sms import laatste_code
from tests.browser.stappen import (
    bevestiging,
    hoofdmenu,
    medewerker_in_eigen_venster,
    open_inwoner_backoffice,
    open_zaak_backoffice,
    open_zaak_uit_teamwerkvoorraad,
    pdf_tekst,
    plan_afspraak,
    schrijf_verslag,
    stel_beschikking_op,
    zaak_id_van,
)

from .conftest import login_inwoner, login_medewerker

LIEKE, MEES, SANNE = "999990305", "999990317", "999990172"
FOUT_BSN = "999990318"  # Mees's BSN with one digit wrong: the elfproef fails
EMAIL = "familie.meijer.regie@inwoner.example"  # this test's own address: its mails only
MOBIEL = "06 12345678"
RACHID = "Rachid Regie"
TELEFOON = {"width": 390, "height": 844}
ZORGEN = "Veilig Thuis: de buren hoorden vaak geschreeuw; Lieke had een blauwe plek op haar arm bij de peuterspeelzaal."
ADVIES = "Ambulante gezinsbegeleiding thuis, 2 uur per week, met veiligheidsafspraken."
REGIE = "Hulp voor uw gezin (Regieteam)"
JEUGD = "Hulp voor uw kind (Jeugdwet)"
AANVRAAG_ONTVANGEN = "We hebben uw ondertekende aanvraagformulier ontvangen. We nemen binnen 8 weken een besluit."


def _db(app):
    return app.extensions["db_sessionmaker"]()


def _links(app) -> list[str]:
    """The secure-mail links sent to the family, oldest first (the outbox)."""
    db = _db(app)
    try:
        teksten = db.scalars(select(MailBericht.tekst).where(MailBericht.aan == EMAIL).order_by(MailBericht.id)).all()
    finally:
        db.close()
    return [m.group(0) for t in teksten if (m := re.search(r"https?://\S+/beveiligd/[A-Za-z0-9_-]+", t))]


def _past(page) -> bool:
    """No sideways scrolling on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _badge(page, tekst: str) -> None:
    expect(page.locator(".kt-badge").first).to_have_text(tekst)


# --- 1. Team toegang: the Veilig Thuis referral --------------------------------------------------------------


def _vul_verwijzing_in(page, broer_bsn: str) -> None:
    page.get_by_label("Contactpersoon bij de verwijzer").fill("Marieke Smit")
    page.get_by_label("Telefoonnummer van de contactpersoon").fill("0800 2000")
    page.get_by_label("Datum van de verwijzing").fill((vandaag() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Zorgen over de veiligheid").fill(ZORGEN)
    for i, (bsn, rol) in enumerate(((LIEKE, "Kind"), (broer_bsn, "Kind"), (SANNE, "Ouder"))):
        page.locator(f"#betrokkenen-{i}-bsn").fill(bsn)
        page.locator(f"#betrokkenen-{i}-rol").select_option(label=rol)
    page.get_by_label("E-mailadres van de ouders").fill(EMAIL)
    page.get_by_label("Mobiel nummer van de ouders").fill(MOBIEL)


def _toegang_registreert_de_verwijzing(page, url: str, shot) -> str:
    login_medewerker(page, url, "toegang")
    hoofdmenu(page, "Inwoner zoeken")
    page.get_by_role("link", name="Verwijzing van Veilig Thuis registreren").click()
    expect(page).to_have_url(f"{url}/backoffice/verwijzingen/nieuw")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwijzing van Veilig Thuis registreren")
    _vul_verwijzing_in(page, FOUT_BSN)
    shot(page, "toegang-verwijzing-fout-bsn")
    page.get_by_role("button", name="Verwijzing registreren").click()

    # The wrong BSN: the error at Mees's row, linked to it; everything typed is still there.
    bsn = page.locator("#betrokkenen-1-bsn")
    expect(page.locator("#betrokkenen-1-bsn-fout")).to_contain_text("de elfproef klopt niet")
    expect(bsn).to_have_attribute("aria-invalid", "true")
    expect(bsn).to_have_value(FOUT_BSN)
    expect(page.get_by_label("Zorgen over de veiligheid")).to_have_value(ZORGEN)
    expect(page.get_by_label("Contactpersoon bij de verwijzer")).to_have_value("Marieke Smit")
    expect(page.locator("#betrokkenen-0-bsn")).to_have_value(LIEKE)
    expect(page.locator("#betrokkenen-2-bsn")).to_have_value(SANNE)
    expect(page.locator("#betrokkenen-2-rol option:checked")).to_have_text("Ouder")
    expect(page.get_by_label("E-mailadres van de ouders")).to_have_value(EMAIL)
    expect(page.get_by_label("Mobiel nummer van de ouders")).to_have_value(MOBIEL)
    shot(page, "toegang-verwijzing-fout-getoond")

    bsn.fill(MEES)
    page.get_by_role("button", name="Verwijzing registreren").click()
    bevestiging(page, "in de werkvoorraad van Regieteam. Het team heeft een melding gekregen.")
    melding = page.get_by_role("status").filter(has_text="De verwijzing staat als melding").inner_text()
    nummer = re.search(r"als melding (\S+) in de werkvoorraad van Regieteam", melding).group(1)
    shot(page, "toegang-verwijzing-geregistreerd")

    # Toegang made it, but sees only that the Regieteam has a dossier: not its number, not the referral.
    open_inwoner_backoffice(page, LIEKE, "Lieke Meijer")
    main = page.get_by_role("main")
    expect(main.get_by_role("note").filter(has_text="Er is een dossier bij Regieteam.")).to_have_count(1)
    expect(main).not_to_contain_text(nummer)
    expect(main).not_to_contain_text("blauwe plek")
    shot(page, "toegang-inwoner-lieke")
    return nummer


# --- 3. The family, on a phone: the secure e-mail ------------------------------------------------------------


def _open_met_code(gezin, link: str, sms_map, shot, stap: str) -> None:
    gezin.goto(link)
    expect(gezin.get_by_role("heading", level=1)).to_have_text("Beveiligd bericht van de gemeente Barendrecht")
    expect(gezin.get_by_role("main")).to_contain_text("eindigt op 78")
    assert _past(gezin)
    shot(gezin, f"{stap}-start")
    gezin.get_by_role("button", name="Stuur mij de code").click()
    gezin.wait_for_url(re.compile(r".*/code$"))
    bevestiging(gezin, "We hebben een sms met de code gestuurd naar uw telefoonnummer dat eindigt op 78.")
    code = laatste_code(sms_map, MOBIEL)
    assert code, "no SMS code in the stand-in"
    veld = gezin.get_by_label("Code uit de sms")
    veld.fill("000000" if code != "000000" else "111111")
    gezin.get_by_role("button", name="Bericht openen").click()
    fout = gezin.locator("#code-fout")
    expect(fout).to_contain_text("Deze code klopt niet.")
    expect(fout).to_contain_text("U heeft nog 4 pogingen.")
    expect(veld).to_have_attribute("aria-invalid", "true")
    expect(gezin.get_by_role("alert")).to_contain_text("Code: Deze code klopt niet.")
    assert _past(gezin)
    shot(gezin, f"{stap}-foute-code")
    veld.fill(code)
    gezin.get_by_role("button", name="Bericht openen").click()
    gezin.wait_for_url(re.compile(r".*/bericht$"))


def _gezin_leest_en_stuurt_het_formulier(new_context, link: str, sms_map, shot, tmp_path) -> None:
    gezin = new_context(viewport=TELEFOON).new_page()
    _open_met_code(gezin, link, sms_map, shot, "gezin-verslag")
    expect(gezin.get_by_role("heading", level=1)).to_have_text("Lees het verslag van het huisbezoek")
    expect(gezin.get_by_role("main")).to_contain_text("Geef het binnen 7 dagen door")
    assert _past(gezin)
    shot(gezin, "gezin-verslag-bericht")

    with gezin.expect_download() as download:
        gezin.get_by_role("link", name=re.compile(r"^Verslag van het gesprek.*\(PDF, download\)$")).click()
    pad = tmp_path / "verslag.pdf"
    download.value.save_as(pad)
    assert pad.read_bytes()[:4] == b"%PDF"
    verslag = " ".join(pdf_tekst(pad).split())
    assert "Ambulante gezinsbegeleiding thuis" in verslag, verslag

    # The reply: the signed aanvraagformulier as a scan (a small PDF), through the form on this page.
    formulier = gezin.get_by_role("region", name="Aanvraagformulier jeugdhulp")
    expect(formulier).to_be_visible()
    scan = tmp_path / "aanvraagformulier-ondertekend.pdf"
    scan.write_bytes(b"%PDF-1.4\n% Aanvraagformulier jeugdhulp, ondertekend door Sanne Meijer\n%%EOF\n")
    formulier.get_by_label("Het ondertekende aanvraagformulier").set_input_files(str(scan))
    formulier.get_by_label(re.compile(r"^Wilt u nog iets zeggen over uw aanvraag\?")).fill(
        "Bel mij liever na 15.00 uur, dan is Lieke van de opvang thuis.")
    shot(gezin, "gezin-aanvraagformulier")
    formulier.get_by_role("button", name="Ondertekend aanvraagformulier versturen").click()
    gezin.wait_for_url(re.compile(r".*/bericht$"))
    bevestiging(gezin, AANVRAAG_ONTVANGEN)
    # The form is sent: it is no longer offered.
    expect(gezin.get_by_role("button", name="Ondertekend aanvraagformulier versturen")).to_have_count(0)
    assert _past(gezin)
    shot(gezin, "gezin-aanvraagformulier-ontvangen")


def _verloop_link(app, link: str) -> None:
    """The link is past its 14 days (as if two weeks went by)."""
    db = _db(app)
    try:
        zending = bm.zoek(db, link.rsplit("/", 1)[1])
        assert zending is not None and zending.status == bm.VERZONDEN, zending and zending.status
        zending.verloopt_op = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.commit()
    finally:
        db.close()


# --- 5. ARIJ and the Meldcode --------------------------------------------------------------------------------


def _taxatie(page, instrument, antwoorden: dict[str, str], *, toelichting: str, uitkomst: str, shot, stap: str) -> None:
    """On the zaak page: a new taxatie, every question answered (the first answer unless `antwoorden` says which)."""
    arij_sectie = page.get_by_role("region", name="ARIJ: veiligheid en risico")
    arij_sectie.get_by_role("link", name=f"Nieuwe {instrument.naam.lower()}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nieuwe {instrument.naam.lower()} (ARIJ)")
    for vraag in instrument.vragen:
        keuze = vraag.antwoord(antwoorden.get(vraag.code, vraag.antwoorden[0].code))
        page.get_by_role("group", name=vraag.tekst, exact=True).get_by_label(keuze.tekst, exact=True).check()
    expect(page.get_by_role("group", name="Eindoordeel").get_by_label("De berekende uitkomst")).to_be_checked()
    page.get_by_label("Toelichting (waar baseert u de antwoorden op?)").fill(toelichting)
    shot(page, stap)
    page.get_by_role("button", name=f"{instrument.naam} vastleggen").click()
    bevestiging(page, f"De {instrument.naam.lower()} is vastgelegd. Uitkomst: {uitkomst.lower()}.")
    rij = page.get_by_role("region", name="ARIJ: veiligheid en risico").locator(".utrecht-data-list__item").filter(
        has_text=instrument.naam)
    expect(rij.locator(".kt-badge")).to_have_text(uitkomst)
    expect(rij).to_contain_text(instrument.betekenis[uitkomst.lower()])
    expect(rij).to_contain_text(RACHID)


def _meldcode_stap(page, nummer: int, toelichting: str, *, shot, vul=None) -> None:
    """From the Meldcode section: the next step's form, dated today (the default), signed."""
    sectie = page.get_by_role("region", name="Meldcode huiselijk geweld en kindermishandeling")
    sectie.get_by_role("link", name=f"Stap {nummer} invullen").click()
    titel = meldcode.STAP[nummer].titel
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Meldcode stap {nummer}: {titel.lower()}")
    expect(page.get_by_label("Datum waarop u deze stap zette")).to_have_value(vandaag().isoformat())
    if vul:
        vul(page)
    page.get_by_label(meldcode.STAP[nummer].vraag).fill(toelichting)
    shot(page, f"rachid-meldcode-stap-{nummer}")
    page.get_by_role("button", name=f"Stap {nummer} vastleggen en ondertekenen").click()
    bevestiging(page, f"Stap {nummer} van de meldcode ({titel.lower()}) is vastgelegd.")
    regel = page.get_by_role("region", name="Meldcode huiselijk geweld en kindermishandeling").locator(
        "li").nth(nummer - 1)
    expect(regel).to_contain_text("Gedaan")
    expect(regel).to_contain_text(f"ondertekend door {RACHID}")


def _stap5_invullen(page, besluit: str, *, contact: str = "Marieke Smit, Veilig Thuis Rotterdam Rijnmond") -> None:
    page.get_by_role("group", name="Wat besluit u?").get_by_label(besluit, exact=True).check()
    page.get_by_label("Datum van de melding bij Veilig Thuis (bij melden)").fill(vandaag().isoformat())
    page.get_by_label("Met wie sprak u bij Veilig Thuis? (bij melden)").fill(contact)
    page.get_by_label(meldcode.STAP[5].vraag).fill(
        "Er is structurele onveiligheid: ik meld bij Veilig Thuis, en het Regieteam zet gezinsbegeleiding in.")


def _rachid_meldcode(page, url: str, zaak_id: int, shot) -> None:
    sectie = page.get_by_role("region", name="Meldcode huiselijk geweld en kindermishandeling")
    expect(sectie.get_by_role("link", name="Stap 1 invullen")).to_be_visible()
    # Step 5 is not offered yet, and said why; typed in the address bar, the step is refused with nothing lost.
    expect(sectie.locator("li").nth(4)).to_contain_text(
        "Melden of hulp organiseren kan pas als stap 1 tot en met 4 zijn gezet.")
    expect(sectie.get_by_role("link", name="Stap 5 invullen")).to_have_count(0)
    shot(page, "rachid-meldcode-leeg")
    page.goto(f"{url}/backoffice/zaken/{zaak_id}/meldcode/5")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Meldcode stap 5: {meldcode.STAP[5].titel.lower()}")
    _stap5_invullen(page, meldcode.BESLUITEN[meldcode.MELDEN])
    page.get_by_role("button", name="Stap 5 vastleggen en ondertekenen").click()
    bevestiging(page, "U kunt pas melden bij Veilig Thuis als stap 1 tot en met 4 zijn gezet. Nog niet gedaan: "
                      "stap 1 (signalen in kaart brengen)")
    expect(page.get_by_label("Met wie sprak u bij Veilig Thuis? (bij melden)")).to_have_value(
        "Marieke Smit, Veilig Thuis Rotterdam Rijnmond")
    shot(page, "rachid-meldcode-stap-5-te-vroeg")
    page.get_by_role("link", name=re.compile(r"^Terug naar zaak")).click()

    # Steps 1 to 4, in order.
    _meldcode_stap(page, 1, "Blauwe plek op de arm (peuterspeelzaal); buren horen geschreeuw (Veilig Thuis).",
                   shot=shot)
    _meldcode_stap(page, 2, "Overlegd met de aandachtsfunctionaris en met Veilig Thuis: de zorgen zijn ernstig.",
                   shot=shot, vul=lambda p: p.get_by_label("Ik heb Veilig Thuis geraadpleegd").check())

    def afwegingskader(p):
        eerste = meldcode.AFWEGING["vermoeden"]
        tweede = meldcode.AFWEGING["onveilig"]
        p.get_by_role("group", name=f"{eerste.nummer}. {eerste.vraag}").get_by_label("Ja", exact=True).check()
        p.get_by_role("group", name=f"{tweede.nummer}. {tweede.vraag}").get_by_label("Ja", exact=True).check()

    _meldcode_stap(page, 3, "Met Sanne besproken bij het huisbezoek; zij herkent de ruzies en wil hulp.", shot=shot)
    _meldcode_stap(page, 4, "Er is geweld tussen de ouders waar de kinderen bij zijn: structurele onveiligheid.",
                   shot=shot, vul=afwegingskader)
    bevestiging(page, "Volgens het afwegingskader is melden bij Veilig Thuis nodig.")
    sectie = page.get_by_role("region", name="Meldcode huiselijk geweld en kindermishandeling")
    expect(sectie).to_contain_text("Afwegingskader: Vraag 2: Melden bij Veilig Thuis is nodig.")

    # Step 5: help alone is refused after that weging; melden and help is recorded, and the team is told.
    sectie.get_by_role("link", name="Stap 5 invullen").click()
    expect(page.get_by_role("main")).to_contain_text("Alleen hulp organiseren kan daarom niet.")
    _stap5_invullen(page, meldcode.BESLUITEN[meldcode.HULP])
    page.get_by_role("button", name="Stap 5 vastleggen en ondertekenen").click()
    expect(page.locator("#besluit-fout")).to_contain_text("Het afwegingskader (stap 4) zegt dat melden bij Veilig "
                                                          "Thuis nodig is.")
    shot(page, "rachid-meldcode-stap-5-alleen-hulp")
    _stap5_invullen(page, meldcode.BESLUITEN[meldcode.BEIDE])
    shot(page, "rachid-meldcode-stap-5")
    page.get_by_role("button", name="Stap 5 vastleggen en ondertekenen").click()
    bevestiging(page, "De melding bij Veilig Thuis is vastgelegd en het team heeft een bericht gekregen.")
    regel = page.get_by_role("region", name="Meldcode huiselijk geweld en kindermishandeling").locator("li").nth(4)
    expect(regel).to_contain_text("Gedaan")
    expect(regel).to_contain_text(f"Besluit: {meldcode.BESLUITEN[meldcode.BEIDE]}, gemeld op")
    expect(regel).to_contain_text("gesproken met Marieke Smit, Veilig Thuis Rotterdam Rijnmond")
    shot(page, "rachid-meldcode-klaar")


# --- The flow ------------------------------------------------------------------------------------------------


def test_regieteam_from_veilig_thuis_referral_to_the_ijw_order(page, new_context, app, demo, standin, live_port,
                                                                serve, shot, tmp_path, monkeypatch):
    sms_map = tmp_path / "sms"
    app.config["SETTINGS"].sms = {"map": str(sms_map)}
    # The Verwijsindex stand-in keeps the signals it receives in a file of this test's own.
    monkeypatch.delenv("VERWIJSINDEX_API_URL", raising=False)
    monkeypatch.setenv("VERWIJSINDEX_BESTAND", str(tmp_path / "verwijsindex.json"))
    server = serve(app, live_port)
    url = server.url
    vandaag_ = vandaag()

    # 1. Team toegang registers the Veilig Thuis referral. --------------------------------------------------------
    nummer = _toegang_registreert_de_verwijzing(page, url, shot)
    zaak_id = zaak_id_van(app, nummer)
    db = _db(app)
    try:
        zaak = db.get(Zaak, zaak_id)
        assert (zaak.zaaktype, zaak.status, zaak.inwoner.bsn) == ("regie_team", "melding", LIEKE)
        assert (zaak.inwoner.email, zaak.inwoner.telefoon) == (EMAIL, MOBIEL)
    finally:
        db.close()
    assert page.goto(f"{url}/backoffice/zaken/{zaak_id}").status == 404  # toegang: not even the one she made

    # 2. Rachid (Regieteam): from the team's werkvoorraad, to himself; the referral; huisbezoek; the verslag. ----
    rachid = medewerker_in_eigen_venster(new_context, url, "regieteam")
    open_zaak_uit_teamwerkvoorraad(rachid, nummer)
    _badge(rachid, "Melding ontvangen")
    verwijzing = rachid.get_by_role("region", name="Verwijzing door Veilig Thuis")
    expect(verwijzing).to_contain_text("Marieke Smit, 0800 2000")
    expect(verwijzing).to_contain_text(ZORGEN)
    expect(verwijzing).to_contain_text("Tessa de Toegang")
    expect(verwijzing).to_contain_text("Mees Meijer (kind")
    expect(verwijzing).to_contain_text("Sanne Meijer (ouder")
    shot(rachid, "rachid-melding-verwijzing")
    rachid.get_by_role("link", name="Toewijzen aan consulent").click()
    rachid.get_by_label("Consulent").select_option(label=RACHID)
    rachid.get_by_role("button", name="Toewijzen", exact=True).click()
    bevestiging(rachid, "De zaak is toegewezen.")
    expect(rachid.get_by_role("region", name="Inwoner", exact=True)).to_contain_text(RACHID)
    plan_afspraak(rachid, link="Huisbezoek plannen", knop="Gesprek plannen en bevestiging sturen",
                  bevestigd="Het huisbezoek is gepland. De inwoner krijgt de bevestiging per beveiligde e-mail.",
                  datum=vandaag_ + dt.timedelta(days=2), tijd="10:00", plaats="Bij het gezin thuis, Kerkstraat 12",
                  shot=shot, stap="rachid-huisbezoek")
    _badge(rachid, "In onderzoek")
    schrijf_verslag(rachid, situatie="Lieke (4) en Mees (15) wonen bij hun moeder. Er is vaak ruzie tussen de ouders.",
                    advies=ADVIES, shot=shot, stap="rachid-verslag")
    rachid.get_by_role("button", name="Verslag per beveiligde e-mail naar de inwoner (7 dagen)").click()
    bevestiging(rachid, "Het verslag is per beveiligde e-mail verstuurd. De inwoner heeft 7 dagen om wijzigingen "
                        "door te geven.")
    _badge(rachid, "Verslag ter reactie (7 dagen)")
    shot(rachid, "rachid-verslag-verstuurd")

    # 3. The family: the bevestiging, the afspraakbevestiging and the verslag came as three secure mails. --------
    links = _links(app)
    assert len(links) == 3 and all(link.startswith(f"{url}/beveiligd/") for link in links), links
    db = _db(app)
    try:
        assert links[-1] == bm.laatste_link(db, EMAIL)
    finally:
        db.close()
    _gezin_leest_en_stuurt_het_formulier(new_context, links[-1], sms_map, shot, tmp_path)
    rachid.reload()
    _badge(rachid, "Aanvraag ontvangen")
    verslagmail = rachid.get_by_role("region", name="Beveiligde e-mail").locator("article").filter(
        has_text="Lees het verslag van het huisbezoek")
    expect(verslagmail).to_contain_text("Geopend")
    verslagmail.locator("summary").click()
    for gebeurtenis in ("Sms-code verstuurd", "Verkeerde code ingevuld", "Geopend met de juiste code",
                        "Document gedownload", "Reactie verstuurd"):
        expect(verslagmail.get_by_role("listitem").filter(has_text=gebeurtenis)).to_be_visible()
    expect(rachid.get_by_role("link", name="Aanvraagformulier jeugdhulp: aanvraagformulier-ondertekend.pdf")
           ).to_be_visible()
    shot(rachid, "rachid-aanvraag-ontvangen")

    # The afspraakbevestiging's link, two weeks on: its own page, on the phone too.
    _verloop_link(app, links[1])
    oud = new_context(viewport=TELEFOON).new_page()
    antwoord = oud.goto(links[1])
    assert antwoord.status == 410
    expect(oud.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")
    expect(oud.get_by_role("main")).to_contain_text("Bel ons op 14 0180")
    expect(oud.get_by_role("button", name="Stuur mij de code")).to_have_count(0)
    assert _past(oud)
    shot(oud, "gezin-link-verlopen")
    db = _db(app)
    try:
        assert bm.zoek(db, links[1].rsplit("/", 1)[1]).status == bm.VERLOPEN
    finally:
        db.close()

    # 4. The Verwijsindex: Lieke signalled; the GGD signalled her too (a match with whom to call). -------------
    rachid.reload()
    vi = rachid.get_by_role("region", name="Verwijsindex", exact=True)
    expect(vi.get_by_label("Contactpersoon", exact=True)).to_have_value(RACHID)
    vi.get_by_label("Telefoonnummer van de contactpersoon").fill("14 0180")
    shot(rachid, "rachid-verwijsindex-aanmelden")
    vi.get_by_role("button", name="Aanmelden in de Verwijsindex").click()
    bevestiging(rachid, "Lieke Meijer is aangemeld in de Verwijsindex")
    bevestiging(rachid, "ook gemeld door GGD Rotterdam-Rijnmond, Jeugdgezondheidszorg.")
    vi = rachid.get_by_role("region", name="Verwijsindex", exact=True)
    expect(vi).to_contain_text("Ook gemeld door: GGD Rotterdam-Rijnmond, Jeugdgezondheidszorg.")
    match = vi.get_by_role("table").get_by_role("row").filter(has_text="GGD Rotterdam-Rijnmond")
    expect(match).to_contain_text("Ingrid Verbeek (jeugdverpleegkundige)")
    expect(match.get_by_role("link", name="010 433 98 70")).to_have_attribute("href", "tel:0104339870")
    expect(vi.get_by_role("button", name="Aanmelden in de Verwijsindex")).to_have_count(0)
    shot(rachid, "rachid-verwijsindex-match")

    # 5. ARIJ: a veiligheidstaxatie and a risicotaxatie; then the Meldcode. ------------------------------------
    _taxatie(rachid, arij.VEILIGHEIDSTAXATIE, {"huiselijk_geweld": "vermoeden"}, uitkomst="Middelmatig",
             toelichting="Bij het huisbezoek: veel spanning; veiligheidsafspraken gemaakt met Sanne.", shot=shot,
             stap="rachid-veiligheidstaxatie")
    _taxatie(rachid, arij.RISICOTAXATIE, {"partnergeweld": "nu", "geldzorgen": "ja", "eerdere_meldingen": "een",
                                          "geen_netwerk": "ja", "probleembesef": "deels"},
             uitkomst="Middelmatig", toelichting="Uit het huisbezoek en de verwijzing van Veilig Thuis.", shot=shot,
             stap="rachid-risicotaxatie")
    rachid.get_by_role("link", name="Alle taxaties bekijken (2 taxaties)").click()
    expect(rachid.get_by_role("main").get_by_role("heading", level=2)).to_have_count(2)
    shot(rachid, "rachid-arij-historie")
    rachid.get_by_role("link", name=re.compile(r"^Terug naar zaak")).click()
    _rachid_meldcode(rachid, url, zaak_id, shot)

    # 6. The beschikking: jeugdhulp from the productshop, to the toetser; the call; administratie orders. ------
    stel_beschikking_op(rachid, onderbouwing="Het gezin heeft begeleiding thuis nodig om veilig te blijven; het "
                                             "netwerk kan dit niet bieden.",
                        uren=2, ingangsdatum=vandaag_, shot=shot, naam="rachid-beschikking",
                        product="Jeugdhulp ambulant, individueel")
    _badge(rachid, "Ter toetsing")
    toetser = medewerker_in_eigen_venster(new_context, url, "toetser")
    expect(toetser.get_by_role("row").filter(has=toetser.get_by_role("link", name=nummer, exact=True))
           ).to_contain_text("Beschikking toetsen")
    open_zaak_backoffice(toetser, nummer)
    expect(toetser.get_by_role("main")).to_contain_text("Jeugdhulp ambulant, individueel")
    shot(toetser, "toetser-beschikking")
    toetser.get_by_role("button", name="Beschikking goedkeuren en ondertekenen").click()
    bevestiging(toetser, "De beschikking is goedgekeurd, ondertekend")
    shot(toetser, "toetser-goedgekeurd")

    rachid.reload()
    _badge(rachid, "Besluit verzonden")
    rachid.get_by_role("link", name="Gesprek over het besluit vastleggen").click()
    rachid.get_by_label(re.compile("Wat heeft u met de ouders besproken")).fill(
        "Besluit uitgelegd aan Sanne; aanbieders De Hoeksteen en Yulius genoemd.")
    shot(rachid, "rachid-gesprek-besluit")
    rachid.get_by_role("button", name="Gesprek over het besluit vastleggen").click()
    bevestiging(rachid, "Het gesprek over het besluit is vastgelegd.")
    # The beschikking went to the family by secure e-mail too: a fourth link.
    assert len(_links(app)) == 4

    administratie = medewerker_in_eigen_venster(new_context, url, "administratie")
    hoofdmenu(administratie, "Acties")
    expect(administratie.get_by_role("row").filter(
        has=administratie.get_by_role("link", name=nummer, exact=True))).to_contain_text("iJw 301")
    open_zaak_backoffice(administratie, nummer)
    administratie.get_by_role("link", name="Jeugdhulp bestellen").click()
    shot(administratie, "administratie-bestellen")
    administratie.get_by_role("button", name="Bestellen en toewijzing versturen").click()
    bevestiging(administratie, "De jeugdhulp is besteld.")
    shot(administratie, "administratie-besteld")
    rachid.reload()
    _badge(rachid, "Jeugdhulp besteld")
    shot(rachid, "rachid-jeugdhulp-besteld")
    db = _db(app)
    try:
        berichten = db.scalars(select(Bericht).where(Bericht.zaak_id == zaak_id)).all()
        assert [(b.standaard, b.code, b.richting) for b in berichten] == [("ijw", "301", "uit")]
        assert lees(berichten[0].xml).naam == "JW301" and valideer(berichten[0].xml) == []
        assert db.get(Zaak, zaak_id).status == "in_levering"
    finally:
        db.close()

    # 7. The other faces: another team, and Lieke's mother in the portal. ---------------------------------------
    jasmijn = medewerker_in_eigen_venster(new_context, url, "jeugd")
    assert jasmijn.goto(f"{url}/backoffice/zaken/{zaak_id}").status == 404
    db = _db(app)
    try:
        lieke = db.scalar(select(Inwoner).where(Inwoner.bsn == LIEKE))
        lieke_id = lieke.id
        jeugd_zaken = db.scalars(select(Zaak.id).where(Zaak.inwoner_id == lieke_id, Zaak.zaaktype == "jeugd")).all()
    finally:
        db.close()
    assert jeugd_zaken, "the demo gives Lieke Jeugd zaken"
    jasmijn.goto(f"{url}/backoffice/inwoners/{lieke_id}")
    expect(jasmijn.get_by_role("heading", level=1)).to_have_text("Lieke Meijer")
    main = jasmijn.get_by_role("main")
    expect(main.get_by_role("note").filter(has_text="Er is een dossier bij Regieteam.")).to_have_count(1)
    expect(main).not_to_contain_text(nummer)
    shot(jasmijn, "jasmijn-inwoner-lieke")

    sanne = new_context(viewport=TELEFOON).new_page()
    login_inwoner(sanne, url, SANNE, niveau="substantieel")
    van_lieke = sanne.get_by_role("region", name="Zaken van Lieke")
    expect(van_lieke.get_by_role("link", name=JEUGD).first).to_be_visible()
    expect(sanne.get_by_role("main")).not_to_contain_text(REGIE)
    expect(sanne.get_by_role("main")).not_to_contain_text(nummer)
    expect(sanne.get_by_role("main")).not_to_contain_text("Regieteam")
    shot(sanne, "sanne-mijn-zaken")
    assert sanne.goto(f"{url}/zaken/{zaak_id}").status == 404
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    shot(sanne, "sanne-regie-zaak-404")
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
