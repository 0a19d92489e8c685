"""Bezwaar in Chromium, with the real log-ins: Anna objects to her Wmo beschikking in the portal (with a PDF
attached), juridische zaken take it on, plan a hoorzitting and decide it is gegrond; that reopens the Wmo zaak,
Wim writes a new beschikking, the toetser signs it, and Anna reads the beslissing op bezwaar and the new besluit.

Every step leaves a screenshot in test-artifacts/screenshots/<test>/; the downloaded letter lands next to them.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.stappen import (
    bevestiging,
    hoofdmenu,
    open_zaak_backoffice,
    stel_beschikking_op,
    uitloggen_backoffice,
)
from pypdf import PdfReader
from sqlalchemy import select

from domain.deadlines import bereken
from domain.models import Besluit, Bezwaarschrift, Document, Inwoner, Zaak
from domain.teksten import datum_nl
from domain.tijd import vandaag

from .conftest import login_inwoner, login_medewerker

ANNA_BSN = "999990056"  # Anna Visser: a Wmo zaak at "besluit", 2 h/week self-signed by Wim
WIM = "Wim van Wmo"
GRONDEN = "Twee uur per week is te weinig. Mijn huis heeft drie verdiepingen en ik kan sinds de operatie niet bukken."
CONTACT = "06-11112222, liefst 's ochtends"
MOTIVERING = "Het huis heeft drie verdiepingen; twee uur per week is niet genoeg om het schoon te houden."
PLAATS = "Raadhuis, zaal 2"


def uitloggen_portaal(page, base_url: str) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{base_url}/uitgelogd")
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")


def test_bezwaar_gegrond_leads_to_a_new_beschikking(page, app, demo, standin, live_port, serve, shot, tmp_path):
    server = serve(app, live_port)
    url = server.url
    vandaag_ = vandaag()

    db = app.extensions["db_sessionmaker"]()
    try:
        hoofdzaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA_BSN, Zaak.zaaktype == "wmo"))
        hoofdzaak_id, hoofdzaak_nr = hoofdzaak.id, hoofdzaak.identificatie
        besluit = db.scalar(select(Besluit).where(Besluit.zaak_id == hoofdzaak_id, Besluit.status == "vastgesteld"))
        verzonden = besluit.verzenddatum
    finally:
        db.close()
    # Computed here from the law, not read from the app: 6 weeks after bekendmaking (Awb 6:7, 6:8) ...
    bezwaartermijn = bereken("bezwaartermijn", verzonden).einddatum
    dagen_over = (bezwaartermijn - vandaag_).days
    assert dagen_over > 1, "the demo besluit must still be open for bezwaar"
    # ... and the beslistermijn on bezwaar: 6 weeks after the end of the bezwaartermijn (Awb 7:10).
    beslistermijn = bereken("bezwaar-beslistermijn", verzonden).einddatum

    bijlage = tmp_path / "verklaring huisarts.pdf"
    bijlage.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

    # 1. Anna: DigiD, her Wmo zaak, the bezwaartermijn counting down, the bezwaarschrift with a PDF. ---------------
    login_inwoner(page, url, ANNA_BSN, "midden")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    expect(page.get_by_role("main")).to_contain_text("Anna Visser")
    page.get_by_role("link", name="Ondersteuning thuis (Wmo)").click()
    expect(page).to_have_url(f"{url}/zaken/{hoofdzaak_id}")
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"U kunt bezwaar maken tot en met {datum_nl(bezwaartermijn)}")
    expect(main).to_contain_text(f"Dat is nog {dagen_over} dagen")
    shot(page, "anna-wmo-zaak-bezwaartermijn")
    page.get_by_role("link", name="Bezwaar maken").click()
    expect(page).to_have_url(f"{url}/zaken/{hoofdzaak_id}/bezwaar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezwaar maken")
    expect(page.get_by_role("main")).to_contain_text(f"U heeft nog {dagen_over} dagen")
    page.get_by_label("Waarom bent u het niet eens met het besluit?").fill(GRONDEN)
    page.get_by_label("Hoe kunnen we u bereiken voor een hoorzitting?").fill(CONTACT)
    expect(page.get_by_label(re.compile(r"^Bijlagen \(niet verplicht\)"))).to_have_attribute("type", "file")
    page.set_input_files("#bijlagen", str(bijlage))
    assert page.locator("#bijlagen").evaluate("e => [...e.files].map(f => f.name)") == [bijlage.name]
    shot(page, "anna-bezwaar-ingevuld")
    page.get_by_role("button", name="Bezwaar versturen").click()
    bevestiging(page, "We hebben uw bezwaar ontvangen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezwaar")
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Wij beslissen uiterlijk op {datum_nl(beslistermijn)}.")
    expect(main).to_contain_text("Awb")
    expect(main).to_contain_text(f"Dit bezwaar gaat over uw zaak {hoofdzaak_nr}")
    # the upload is stored under a safe name: the space became an underscore
    expect(main).to_contain_text("Bijlage: verklaring_huisarts.pdf")
    tijdlijn = page.get_by_role("list", name="Stappen van uw aanvraag")
    expect(tijdlijn.locator("li.kt-nu")).to_contain_text("We hebben uw bezwaar ontvangen")
    shot(page, "anna-bezwaar-ontvangen")
    bezwaar_id = int(re.search(r"/zaken/(\d+)$", page.url).group(1))
    assert bezwaar_id != hoofdzaak_id
    # The Wmo zaak now points to the bezwaar instead of offering a second one.
    page.get_by_role("link", name=f"uw zaak {hoofdzaak_nr}").click()
    expect(page.get_by_role("main")).to_contain_text("U heeft bezwaar gemaakt.")
    expect(page.get_by_role("link", name="Bezwaar maken")).to_have_count(0)
    uitloggen_portaal(page, url)

    db = app.extensions["db_sessionmaker"]()
    try:
        bezwaar_nr = db.get(Zaak, bezwaar_id).identificatie
    finally:
        db.close()

    # 2. Julia (juridische zaken): the action, in behandeling, hoorzitting, beslissing gegrond. -------------------
    login_medewerker(page, url, "juridisch")
    hoofdmenu(page, "Acties")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acties voor uw team")
    actie = page.get_by_role("row").filter(has=page.get_by_role("link", name=bezwaar_nr, exact=True))
    expect(actie).to_contain_text("Nieuw bezwaarschrift behandelen.")
    expect(actie).to_contain_text("Anna Visser")
    shot(page, "julia-acties")
    open_zaak_backoffice(page, bezwaar_nr)
    main = page.get_by_role("main")
    expect(main).to_contain_text(GRONDEN)
    expect(main).to_contain_text(CONTACT)
    expect(main).to_contain_text("Bijlage: verklaring_huisarts.pdf")
    expect(main.get_by_role("link", name=f"zaak {hoofdzaak_nr}")).to_be_visible()
    expect(page.locator(".kt-badge").first).to_have_text("Bezwaar ontvangen")
    shot(page, "julia-bezwaar-geopend")
    page.get_by_role("button", name="In behandeling nemen").click()
    bevestiging(page, "U behandelt dit bezwaar.")
    expect(page.locator(".kt-badge").first).to_have_text("In behandeling")
    # the action is done: it left the list
    hoofdmenu(page, "Acties")
    expect(page.get_by_role("link", name=bezwaar_nr, exact=True)).to_have_count(0)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text(bezwaar_nr)

    page.get_by_role("link", name="Hoorzitting plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoorzitting plannen of verzetten")
    volgende_week = vandaag_ + dt.timedelta(days=7)
    page.get_by_label("Datum").fill(volgende_week.isoformat())
    page.get_by_label("Tijd").fill("14:00")
    page.get_by_label("Duur in minuten").fill("45")
    page.get_by_label("Plaats").fill(PLAATS)
    expect(page.get_by_label("Hoe kan de inwoner zich voorbereiden?")).to_contain_text("hoorzitting")
    shot(page, "julia-hoorzitting-plannen")
    page.get_by_role("button", name="Hoorzitting plannen en uitnodiging sturen").click()
    bevestiging(page, "De hoorzitting is gepland. De inwoner krijgt een uitnodiging.")
    expect(page.locator(".kt-badge").first).to_have_text("Hoorzitting gepland")
    expect(page.get_by_role("main")).to_contain_text(PLAATS)
    shot(page, "julia-hoorzitting-gepland")
    # Awb 7:2: no deciding while the hoorzitting is still to come; it is recorded once held (here: brought forward
    # to today), with who were there and what Anna said.
    expect(page.get_by_role("link", name="Beslissen op bezwaar")).to_have_count(0)
    page.get_by_role("link", name="Hoorzitting is geweest: vastleggen").click()
    expect(page.get_by_label("Datum van de afspraak")).to_have_value(vandaag_.isoformat())
    page.get_by_label("Wie waren er bij?").fill("Anna Visser en twee leden van de bezwaarcommissie.")
    page.get_by_label("Wat is er besproken?").fill("Mevrouw legt uit dat haar huis groot is.")
    page.get_by_role("button", name="Vastleggen").click()
    bevestiging(page, "De hoorzitting is vastgelegd. U kunt nu beslissen of het advies vastleggen.")
    expect(page.get_by_role("main")).to_contain_text("Geweest op")

    page.get_by_role("link", name="Beslissen op bezwaar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beslissen op bezwaar")
    page.get_by_label("Gegrond: het besluit wordt herzien").check()
    page.get_by_label("Motivering").fill(MOTIVERING)
    shot(page, "julia-beslissen")
    page.get_by_role("button", name="Beslissing vaststellen en versturen").click()
    bevestiging(page, "De beslissing op bezwaar is vastgesteld en staat in het portaal.")
    expect(page.locator(".kt-badge").first).to_have_text("Beslist")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Beslissing: gegrond")
    expect(main).to_contain_text(MOTIVERING)
    expect(main.get_by_role("link", name="Beslissing op uw bezwaar")).to_be_visible()
    expect(page.get_by_role("heading", name="Wat kunt u nu doen?")).to_have_count(0)  # nothing left to do
    shot(page, "julia-beslist")
    uitloggen_backoffice(page, url)

    # 3. Wim: the notification, the reopened Wmo zaak, a new beschikking of 3 h/week that goes to the toetser. ---
    login_medewerker(page, url, "wmo")
    hoofdmenu(page, re.compile(r"^Meldingen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldingen")
    beslissing = page.locator("li.kt-card").filter(has_text="Beslissing op bezwaar").filter(has_text=bezwaar_nr)
    expect(beslissing).to_have_count(1)
    expect(beslissing).to_contain_text("Nieuw")
    nieuw_besluit = page.locator("li.kt-card").filter(has_text="Nieuw besluit nodig").filter(has_text=hoofdzaak_nr)
    expect(nieuw_besluit).to_have_count(1)
    shot(page, "wim-meldingen")
    nieuw_besluit.get_by_role("link", name="Bekijken").click()
    expect(page).to_have_url(f"{url}/backoffice/zaken/{hoofdzaak_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(hoofdzaak_nr)
    expect(page.locator(".kt-badge").first).to_have_text("Aanvraag ontvangen")
    expect(page.get_by_role("main")).to_contain_text(f"Bezwaar {bezwaar_nr} gegrond")  # in the history
    shot(page, "wim-wmo-zaak-heropend")
    stel_beschikking_op(
        page,
        onderbouwing="Na uw gegronde bezwaar: uw huis heeft drie verdiepingen. "
        "U krijgt 3 uur hulp bij het huishouden per week.",
        uren=3,
        ingangsdatum=vandaag_,
        shot=shot,
        naam="wim-beschikking-3-uur",
    )
    # 3 h x 52 weeks x EUR 32.50 = EUR 5,070 a year: above the EUR 4,000 Albrandswaard signs itself.
    expect(page.locator(".kt-badge").first).to_have_text("Ter toetsing")
    shot(page, "wim-ter-toetsing")
    uitloggen_backoffice(page, url)

    login_medewerker(page, url, "toetser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acties voor uw team")
    actie = page.get_by_role("row").filter(has=page.get_by_role("link", name=hoofdzaak_nr, exact=True))
    expect(actie).to_contain_text("Beschikking toetsen")
    expect(actie).to_contain_text("De kosten (€ 5.070,00 per jaar) zijn hoger dan € 4.000,00 per jaar.")  # Albrandswaard
    shot(page, "toetser-acties")
    open_zaak_backoffice(page, hoofdzaak_nr)
    page.get_by_role("button", name="Beschikking goedkeuren en ondertekenen").click()
    bevestiging(page, "De beschikking is goedgekeurd, ondertekend en staat in het portaal.")
    expect(page.locator(".kt-badge").first).to_have_text("Besluit verzonden")
    shot(page, "toetser-goedgekeurd")
    uitloggen_backoffice(page, url)

    # 4. Anna: the beslissing op bezwaar (downloaded and read), and the new besluit on her Wmo zaak. -------------
    login_inwoner(page, url, ANNA_BSN, "midden")
    page.get_by_role("link", name=re.compile(r"^Bezwaar tegen het besluit over ")).click()  # Mijn zaken
    expect(page).to_have_url(f"{url}/zaken/{bezwaar_id}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Er is een beslissing op uw bezwaar")
    expect(main).to_contain_text("Beslissing op uw bezwaar")
    expect(page.get_by_role("list", name="Stappen van uw aanvraag").locator("li.kt-nu")).to_contain_text("Er is een beslissing op uw bezwaar")
    map_ = shot(page, "anna-beslissing-op-bezwaar").parent
    with page.expect_download() as d:
        page.get_by_role("link", name=re.compile(r"^downloaden Beslissing op uw bezwaar")).click()
    download = d.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    pdf_pad = map_ / "beslissing-op-bezwaar.pdf"
    download.save_as(pdf_pad)
    tekst = " ".join(p.extract_text() or "" for p in PdfReader(pdf_pad).pages).lower()
    assert "gegrond" in tekst and "ongegrond" not in tekst, tekst[:2000]
    assert "beroep" in tekst, tekst[:2000]
    assert hoofdzaak_nr.lower() in tekst, tekst[:2000]

    page.get_by_role("link", name=f"uw zaak {hoofdzaak_nr}").click()
    expect(page).to_have_url(f"{url}/zaken/{hoofdzaak_id}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Er is een besluit")
    tijdlijn = page.get_by_role("list", name="Stappen van uw aanvraag")
    expect(tijdlijn.locator("li.kt-nu")).to_have_count(1)
    expect(tijdlijn.locator("li.kt-nu")).to_contain_text("U krijgt het besluit (de beschikking)")
    # A new besluit is a new chance to object: the term runs from today's bekendmaking.
    expect(main).to_contain_text(
        f"U kunt bezwaar maken tot en met {datum_nl(bereken('bezwaartermijn', vandaag_).einddatum)}"
    )
    shot(page, "anna-nieuw-besluit")
    with page.expect_download() as d:
        page.get_by_role("link", name=re.compile(r"^downloaden Beschikking \(toekenning\) \(PDF\)$")).click()
    expect(main).to_contain_text("ingetrokken op")  # the old beschikking is still there, marked
    beschikking = map_ / "nieuwe-beschikking.pdf"
    d.value.save_as(beschikking)
    tekst = " ".join(p.extract_text() or "" for p in PdfReader(beschikking).pages).lower()
    assert "3 uur" in tekst and "2 uur" not in tekst, tekst[:2000]
    uitloggen_portaal(page, url)

    # The database agrees with what the screens said. -----------------------------------------------------------
    db = app.extensions["db_sessionmaker"]()
    try:
        schrift = db.scalar(select(Bezwaarschrift).where(Bezwaarschrift.zaak_id == bezwaar_id))
        assert schrift.uitkomst == "gegrond" and not schrift.te_laat
        assert schrift.contact_hoorzitting == CONTACT
        bijlagen = db.scalars(
            select(Document).where(Document.zaak_id == bezwaar_id, Document.documenttype == "bijlage_bezwaar")
        ).all()
        assert len(bijlagen) == 1 and bijlagen[0].versies[0].inhoud.startswith(b"%PDF-1.4")
        besluiten = db.scalars(select(Besluit).where(Besluit.zaak_id == hoofdzaak_id).order_by(Besluit.id)).all()
        # the gegrond bezwaar took the old besluit back: its voorziening is withdrawn, nothing is ordered twice
        assert [b.status for b in besluiten] == ["ingetrokken", "vastgesteld"]
        assert [v.status for v in besluiten[0].voorzieningen] == ["ingetrokken"]
        from domain.models import Actie

        open_bestellen = db.scalars(
            select(Actie).where(Actie.zaak_id == hoofdzaak_id, Actie.soort == "bestellen", Actie.afgerond.is_(None))
        ).all()
        assert len(open_bestellen) == 1
        assert besluiten[-1].verzenddatum == vandaag_ and besluiten[-1].toetsing_vereist
        assert db.get(Zaak, hoofdzaak_id).status == "besluit"
        assert db.get(Zaak, bezwaar_id).status == "beslist"
    finally:
        db.close()

    blocked = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not blocked, blocked
