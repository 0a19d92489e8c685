"""Administratie in Chromium: answering a zorgaanbieder's verzoek om toewijzing (315) first with "in onderzoek" and
then with a toewijzing, and the post queue (print the letters for an inwoner who prefers post, then record that
they went into the mail). The demo has both: Mohammed Yilmaz's 315 waits for an answer; Willem Bos prefers post."""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from domain.berichtenverkeer import is_in_onderzoek
from domain.models import Bericht, Poststuk
from tests.browser.stappen import bevestiging, hoofdmenu, uitloggen_backoffice

from .conftest import login_medewerker


def test_administratie_answers_a_verzoek_and_sends_the_post(page, app, demo, live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url
    maker = app.extensions["db_sessionmaker"]

    # 1. The 315 waits for our answer: first "in onderzoek", then the toewijzing. ---------------------------------
    login_medewerker(page, url, "administratie")
    hoofdmenu(page, "Berichtenverkeer")
    wachtend = page.get_by_role("region", name="Wacht op de gemeente of op de zorgaanbieder")
    expect(wachtend).to_contain_text("Verzoeken die op ons antwoord wachten")
    shot(page, "berichten-wachtend")
    wachtend.get_by_role("link", name="WMO315 Verzoek om toewijzing").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("WMO315")
    page.get_by_label("In onderzoek", exact=False).check()
    shot(page, "verzoek-in-onderzoek")
    page.get_by_role("button", name="Antwoord versturen").click()
    bevestiging(page, "de aanvraag in onderzoek is (319)")
    antwoorden = page.get_by_role("heading", name="Antwoord op dit verzoek")
    expect(antwoorden).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("aanvraag in onderzoek")
    expect(page.get_by_label("In onderzoek", exact=False)).to_have_count(0)  # only once
    page.get_by_label("Toewijzen", exact=False).check()
    page.get_by_role("button", name="Antwoord versturen").click()
    bevestiging(page, "Het verzoek is toegewezen.")
    expect(page.get_by_role("heading", name="Verzoek beantwoorden")).to_have_count(0)
    shot(page, "verzoek-toegewezen")
    db = maker()
    try:
        verzoek = db.scalar(select(Bericht).where(Bericht.richting == "in", Bericht.code == "315"))
        antwoorden = db.scalars(select(Bericht).where(Bericht.heenbericht_id == verzoek.id, Bericht.richting == "uit")
                                .order_by(Bericht.id)).all()
        assert [(b.code, is_in_onderzoek(b)) for b in antwoorden if b.code in ("301", "319")] == [
            ("319", True), ("301", False)]
    finally:
        db.close()

    # 2. Post: Willem Bos's bevestigingsbrief is printed and recorded as sent. ------------------------------------
    hoofdmenu(page, "Post")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post")
    rij = page.get_by_role("row").filter(has_text="Willem Bos")
    expect(rij).to_contain_text("Bevestiging van uw melding")
    shot(page, "post")
    with page.expect_download() as d:
        page.get_by_role("button", name="Gekozen brieven afdrukken (PDF)").click()
    pdf = PdfReader(io.BytesIO(open(d.value.path(), "rb").read()))
    assert len(pdf.pages) % 2 == 0 and "Willem" in pdf.pages[0].extract_text()
    page.get_by_role("button", name="Gekozen brieven zijn verstuurd").click()
    bevestiging(page, "1 brief is als verstuurd vastgelegd.")
    expect(page.get_by_role("main")).to_contain_text("Er is geen post te versturen.")
    db = maker()
    try:
        assert [s.status for s in db.scalars(select(Poststuk))] == ["verstuurd"]
    finally:
        db.close()
    uitloggen_backoffice(page, url)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
