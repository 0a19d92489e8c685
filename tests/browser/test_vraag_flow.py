"""A question to the inwoner in Chromium: the consulent asks Cornelia for a document, Cornelia answers in the
portal with text and a PDF (after a refused file, nothing she typed is lost), the consulent reads the answer and
opens the document. axe-core checks the new pages."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import Inwoner, Zaak
from domain.tijd import vandaag
from tests.browser.stappen import bevestiging, uitloggen_backoffice

from .conftest import login_inwoner, login_medewerker
from .test_accessibility import axe, beschrijf

CORNELIA = "999990081"  # demo: Wmo zaak in onderzoek, behandelaar wmo (and already one open question)


def _geen_axe_fouten(page, naam: str) -> None:
    fouten = axe(page)
    assert not fouten, beschrijf(naam, page.url, fouten)


def test_the_consulent_asks_and_cornelia_answers_with_a_document(page, app, demo, standin, live_port, serve, shot,
                                                                tmp_path):
    server = serve(app, live_port)
    url = server.url
    db = app.extensions["db_sessionmaker"]()
    try:
        zaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == CORNELIA, Zaak.zaaktype == "wmo"))
        zaak_id, identificatie = zaak.id, zaak.identificatie
    finally:
        db.close()

    # 1. The consulent asks. -------------------------------------------------------------------------------------
    login_medewerker(page, url, "wmo")
    page.goto(f"{url}/backoffice/zaken/{zaak_id}")
    page.get_by_role("link", name="Vraag stellen aan de inwoner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vraag aan de inwoner")
    _geen_axe_fouten(page, "vraag stellen")
    page.get_by_label("Uw vraag aan de inwoner").fill("Wilt u een foto sturen van de trap naar de eerste verdieping?")
    page.get_by_label("Antwoord uiterlijk op").fill((vandaag() + dt.timedelta(days=7)).isoformat())
    shot(page, "vraag-stellen")
    page.get_by_role("button", name="Vraag versturen").click()
    bevestiging(page, "De vraag staat in het portaal")
    expect(page.get_by_role("main")).to_contain_text("Wacht op antwoord")
    uitloggen_backoffice(page, url)

    # 2. Cornelia answers in the portal. -------------------------------------------------------------------------
    login_inwoner(page, url, CORNELIA)
    page.goto(f"{url}/zaken/{zaak_id}")
    vraag = page.get_by_role("region").filter(has_text="foto sturen van de trap")
    expect(vraag).to_contain_text("Wij hebben een vraag aan u")
    shot(page, "cornelia-vraag")
    vraag.get_by_role("link", name="Vraag beantwoorden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vraag beantwoorden")
    _geen_axe_fouten(page, "vraag beantwoorden")
    page.get_by_label("Uw antwoord").fill("Hierbij de foto van de trap.")
    verkeerd = tmp_path / "trap.txt"
    verkeerd.write_text("geen foto")
    page.get_by_label("Documenten meesturen", exact=False).set_input_files(str(verkeerd))
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_role("main")).to_contain_text("geen PDF, JPG of PNG")
    expect(page.get_by_label("Uw antwoord")).to_have_value("Hierbij de foto van de trap.")  # nothing lost
    _geen_axe_fouten(page, "vraag beantwoorden met fout")
    goed = tmp_path / "trap.pdf"
    goed.write_bytes(b"%PDF-1.4\n% foto van de trap\n")
    page.get_by_label("Documenten meesturen", exact=False).set_input_files(str(goed))
    page.get_by_role("button", name="Antwoord versturen").click()
    bevestiging(page, "We hebben uw antwoord ontvangen")
    expect(page.get_by_role("main")).to_contain_text("Uw antwoorden")
    expect(page.get_by_role("region").filter(has_text="foto sturen van de trap")).to_have_count(0)
    shot(page, "cornelia-beantwoord")

    # 3. The consulent reads the answer and opens the document. --------------------------------------------------
    page.context.clear_cookies()
    login_medewerker(page, url, "wmo")
    page.goto(f"{url}/backoffice/zaken/{zaak_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(identificatie)
    expect(page.get_by_role("main")).to_contain_text("Hierbij de foto van de trap.")
    document = page.get_by_role("link", name="Bij uw antwoord: trap.pdf").first
    expect(document).to_be_visible()
    shot(page, "consulent-antwoord")
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
