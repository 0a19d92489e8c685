"""The toetser judges with everything in view (issue 14, item 11), in Chromium:

1. Tom Toetser opens Hendrik's beschikking from his Acties: before the buttons he reads why it needs toetsing (the
   rule and the cost), the beschikking with its voorziening in the words of the letter, the latest verslag, and
   opens the PDF preview of the beschikking as Hendrik would get it. He sends it back.
2. Wim, consulent and (here) also toetser, finishes the beschikking again: the confirmation says it lies with the
   toetser and why; on his own beschikking he has no approve button, only the line that another toetser must judge.
3. Tom approves and signs it.

Screenshots of every step go to test-artifacts/screenshots/<test>/."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from domain.tijd import vandaag
from tests.browser.stappen import (
    bevestiging,
    keur_beschikking_goed,
    medewerker_in_eigen_venster,
    open_zaak_backoffice,
    pdf_tekst,
    stel_beschikking_op,
    zaak_van,
)

HENDRIK = "999990044"  # demo: Albrandswaard (toetst above € 4.000 a year), 10 h/week ter toetsing
REDEN = "Toetsing nodig: de kosten (€ 16.900,00 per jaar) zijn hoger dan € 4.000,00 per jaar."
GOEDKEUREN = "Beschikking goedkeuren en ondertekenen"


def _ook_toetser(app, gebruikersnaam: str) -> None:
    """Give a medewerker the toetser role too (a small gemeente where the consulent also toetst)."""
    from domain.models import Medewerker, MedewerkerRol

    db = app.extensions["db_sessionmaker"]()
    try:
        m = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
        m.rollen_rel.append(MedewerkerRol(rol="toetser"))
        db.commit()
    finally:
        db.close()


def _boven(pagina, eerst, dan) -> None:
    """`eerst` is on the page above `dan` (read before it)."""
    assert eerst.bounding_box()["y"] < dan.bounding_box()["y"]


def test_the_toetser_sees_why_and_what_and_the_author_cannot_judge_their_own(app, demo, standin, live_port, serve,
                                                                             new_context, shot, tmp_path):
    server = serve(app, live_port)
    url = server.url
    _, nummer = zaak_van(app, HENDRIK)
    _ook_toetser(app, "wmo")

    # 1. Tom: the reason, the beschikking, the verslag and the preview, all before the buttons. --------------------
    tom = medewerker_in_eigen_venster(new_context, url, "toetser")
    open_zaak_backoffice(tom, nummer)
    toetsing = tom.get_by_role("region", name="Beschikking toetsen")
    expect(toetsing).to_contain_text(REDEN)
    expect(toetsing).to_contain_text("Hulp bij het huishouden: 10 uur per week, van ")
    expect(toetsing).to_contain_text("Onderzoeksverslag (versie 1)")
    expect(toetsing).to_contain_text("Het netwerk kan het zware huishouden niet overnemen.")
    knop = tom.get_by_role("button", name=GOEDKEUREN)
    _boven(tom, toetsing.get_by_text(REDEN), knop)
    _boven(tom, toetsing.get_by_role("link", name="Voorbeeld van de beschikking (PDF)"), knop)
    shot(tom, "tom-te-toetsen")

    href = toetsing.get_by_role("link", name="Voorbeeld van de beschikking (PDF)").get_attribute("href")
    antwoord = tom.context.request.get(url + href)
    assert antwoord.ok and antwoord.headers["content-type"].startswith("application/pdf")
    pad = tmp_path / "voorbeeld.pdf"
    pad.write_bytes(antwoord.body())
    tekst = " ".join(pdf_tekst(pad).split())
    assert "Voorbeeld, nog niet verzonden" in tekst and "Hulp bij het huishouden: 10 uur per week" in tekst
    assert "Tom Toetser" in tekst

    tom.get_by_role("link", name="Beschikking afkeuren").click()
    tom.get_by_label("Reden").fill("Schrijf erbij waarom 10 uur nodig is.")
    tom.get_by_role("button", name="Terugsturen naar de consulent").click()
    bevestiging(tom, "De beschikking is teruggestuurd naar de consulent.")

    # 2. Wim finishes it again: it lies with the toetser, and he cannot judge his own. ----------------------------
    wim = medewerker_in_eigen_venster(new_context, url, "wmo")
    wim.goto(tom.url)
    stel_beschikking_op(wim, onderbouwing="Groot huis, geen netwerk: 10 uur per week is nodig.", uren=10,
                        ingangsdatum=vandaag(), shot=shot, naam="wim-beschikking")
    bevestiging(wim, "De beschikking ligt bij de toetser. " + REDEN)
    shot(wim, "wim-ligt-bij-de-toetser")
    eigen = wim.get_by_role("region", name="Beschikking toetsen")
    expect(eigen).to_contain_text("U heeft deze beschikking zelf opgesteld. Een andere toetser moet haar beoordelen")
    expect(wim.get_by_role("button", name=GOEDKEUREN)).to_have_count(0)
    expect(wim.get_by_role("link", name="Beschikking afkeuren")).to_have_count(0)
    shot(wim, "wim-eigen-beschikking")

    # 3. Tom approves and signs. ----------------------------------------------------------------------------------
    tom.goto(f"{url}/backoffice/acties")
    keur_beschikking_goed(tom, nummer)
    shot(tom, "tom-goedgekeurd")
