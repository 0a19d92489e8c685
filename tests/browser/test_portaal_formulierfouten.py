"""Every portal form in its error state, at desktop width and at 390 px (a phone): sent empty or with a wrong file,
each must still look like a form. Checkboxes and radio buttons keep their size, labels sit beside them and error
messages read as sentences, not one word per line. Measured with the boxes Chromium lays out; the screenshots go to
test-artifacts/screenshots/<test>/."""

from __future__ import annotations

from playwright.sync_api import expect

from app.diensten import diensten_uit
from tests.gezag import OUDER_BSN, jeugd_zaak_van_kind

from .conftest import VIEWPORT, login_inwoner
from .stappen import zaak_van

TELEFOON = {"width": 390, "height": 844}
ONDERTEKENAAR = "999990093"  # demo: verslag ter ondertekening
ANNA = "999990056"  # demo: besluit, bezwaar possible
CORNELIA = "999990081"  # demo: in onderzoek, with an open vraag

# Per form element: its box, its line height and how wide its text would be on one line (same font).
METEN = """() => {
  const form = document.querySelector('main form.kt-form');
  const vorm = form.getBoundingClientRect();
  const regel = el => { const s = getComputedStyle(el); const lh = parseFloat(s.lineHeight);
                        return Number.isFinite(lh) ? lh : parseFloat(s.fontSize) * 1.2; };
  const opEenRegel = el => { const s = getComputedStyle(el); const span = document.createElement('span');
    span.style.cssText = `position:absolute;visibility:hidden;white-space:nowrap;font:${s.font};`
                       + `letter-spacing:${s.letterSpacing}`;
    span.textContent = el.innerText; document.body.append(span); const w = span.getBoundingClientRect().width;
    span.remove(); return w; };
  const box = el => { const r = el.getBoundingClientRect();
    return {tekst: (el.innerText || el.name || el.id).trim().slice(0, 60), breed: r.width, hoog: r.height,
            regel: regel(el), natuurlijk: opEenRegel(el)}; };
  const zichtbaar = el => el.getBoundingClientRect().width > 1;
  return {
    vormbreedte: vorm.width,
    vinkjes: [...form.querySelectorAll('input[type=checkbox], input[type=radio]')].filter(zichtbaar).map(box),
    labels: [...form.querySelectorAll('label, legend')].filter(zichtbaar).map(box),
    fouten: [...form.querySelectorAll('.kt-error p, .utrecht-form-field-error-message p')].filter(zichtbaar).map(box),
  };
}"""


def _regels(e: dict) -> float:
    return e["hoog"] / e["regel"]


def _nodig(e: dict, breedte: float) -> int:
    """The lines the text needs when it may use the whole width of the form (at least 1)."""
    return max(1, -(-int(e["natuurlijk"]) // int(breedte)))


def _netjes(page, shot, naam: str) -> None:
    """The page in its error state, at desktop width and on a phone: screenshots, then the boxes checked."""
    problemen = []
    for viewport in (VIEWPORT, TELEFOON):
        page.set_viewport_size(viewport)
        shot(page, f"{naam}-{viewport['width']}")
        m = page.evaluate(METEN)
        waar = f"{naam} op {viewport['width']} px"
        for v in m["vinkjes"]:
            if v["breed"] > 40 or v["hoog"] > 40:
                problemen.append(f"{waar}: keuzevakje {v['tekst']!r} is {v['breed']:.0f}x{v['hoog']:.0f} px")
        for soort, lijst in (("label", m["labels"]), ("foutmelding", m["fouten"])):
            for e in lijst:
                # Up to one line more than the text needs at the form's full width (a checkbox takes some),
                # and on a desktop never three lines or more for a label or message that fits on one or two.
                grens = max(2, _nodig(e, m["vormbreedte"]) + 1)
                if _regels(e) > grens + 0.5:
                    problemen.append(f"{waar}: {soort} {e['tekst']!r} neemt {_regels(e):.0f} regels "
                                     f"({e['breed']:.0f} px breed), hoogstens {grens}")
    page.set_viewport_size(VIEWPORT)
    assert not problemen, "\n".join(problemen)


def _verstuur(page, knop: str, fout: str) -> None:
    page.get_by_role("button", name=knop, exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Controleer het formulier")
    expect(page.get_by_role("main").locator("form")).to_contain_text(fout)


def test_every_portal_form_keeps_its_layout_in_the_error_state(page, app, demo, standin, live_port, serve, shot,
                                                               tmp_path):
    server = serve(app, live_port)
    url = server.url

    # Signing the onderzoeksverslag without the tick. -------------------------------------------------------------
    zaak_id, _ = zaak_van(app, ONDERTEKENAAR)
    login_inwoner(page, url, ONDERTEKENAAR)
    page.goto(f"{url}/zaken/{zaak_id}/ondertekenen")
    _verstuur(page, "Ondertekenen", "Zet een vinkje")
    _netjes(page, shot, "ondertekenen")
    page.get_by_label("Ik heb het verslag gelezen", exact=False).check()
    vinkje = page.get_by_label("Ik heb het verslag gelezen", exact=False)
    assert vinkje.evaluate("el => getComputedStyle(el).backgroundImage").startswith("url(")  # the tick shows
    shot(page, "ondertekenen-aangevinkt")

    # The hulpvraag, empty. ---------------------------------------------------------------------------------------
    page.goto(f"{url}/hulpvraag")
    page.get_by_role("button", name="Hulpvraag versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("Controleer het formulier")
    _netjes(page, shot, "hulpvraag")

    # Bezwaar, empty and with a file that is no PDF, JPG or PNG. --------------------------------------------------
    page.context.clear_cookies()
    zaak_id, _ = zaak_van(app, ANNA)
    login_inwoner(page, url, ANNA)
    page.goto(f"{url}/zaken/{zaak_id}/bezwaar")
    _verstuur(page, "Bezwaar versturen", "Schrijf op waarom")
    _netjes(page, shot, "bezwaar-leeg")
    verkeerd = tmp_path / "brief.txt"
    verkeerd.write_text("geen pdf")
    page.get_by_label("Waarom bent u het niet eens met het besluit?").fill("Twee uur is te weinig.")
    page.get_by_label("Bijlagen", exact=False).set_input_files(str(verkeerd))
    _verstuur(page, "Bezwaar versturen", "geen PDF, JPG of PNG")
    _netjes(page, shot, "bezwaar-verkeerd-bestand")

    # A vraag of the gemeente, answered with nothing. -------------------------------------------------------------
    page.context.clear_cookies()
    zaak_id, _ = zaak_van(app, CORNELIA)
    login_inwoner(page, url, CORNELIA)
    page.goto(f"{url}/zaken/{zaak_id}")
    page.get_by_role("link", name="Vraag beantwoorden").first.click()
    _verstuur(page, "Antwoord versturen", "Schrijf uw antwoord op")
    _netjes(page, shot, "vraag-leeg")

    # The declared forms of a zaaktype (here Jeugd): the aanvraagformulier and wijzigingen doorgeven, empty. -------
    db = app.extensions["db_sessionmaker"]()
    try:
        jeugd_id = jeugd_zaak_van_kind(db, diensten_uit(app.config["SETTINGS"]), status="verslag_ter_reactie").id
    finally:
        db.close()
    page.context.clear_cookies()
    login_inwoner(page, url, OUDER_BSN, niveau="substantieel")
    for code in ("aanvraagformulier", "wijzigingen_verslag"):
        page.goto(f"{url}/zaken/{jeugd_id}/formulieren/{code}")
        page.get_by_role("button", name="Versturen", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("Controleer het formulier")
        _netjes(page, shot, code)
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_a_12_mb_file_on_the_bezwaar_form_comes_back_as_an_error_at_the_field(page, app, demo, standin, live_port,
                                                                              serve, shot, tmp_path):
    """Not a dead end (413) but the form again: the gronden kept, the message under the file field, the limit
    shown before choosing (docs/uploads.md)."""
    server = serve(app, live_port)
    zaak_id, _ = zaak_van(app, ANNA)
    login_inwoner(page, server.url, ANNA)
    page.goto(f"{server.url}/zaken/{zaak_id}/bezwaar")
    bestand = page.get_by_label("Bijlagen", exact=False)
    expect(bestand).to_have_accessible_description("PDF, JPG of PNG, hoogstens 10 MB per bestand.")
    groot = tmp_path / "scan van de brief.pdf"
    groot.write_bytes(b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024))
    page.get_by_label("Waarom bent u het niet eens met het besluit?").fill("Twee uur is te weinig voor mijn huis.")
    bestand.set_input_files(str(groot))
    page.get_by_role("button", name="Bezwaar versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bezwaar maken")
    melding = "Het bestand 'scan van de brief.pdf' is groter dan 10 MB. Kies een kleiner bestand."
    expect(page.locator("#bijlagen-fout")).to_have_text(melding)
    expect(page.get_by_label("Bijlagen", exact=False)).to_have_accessible_description(
        f"PDF, JPG of PNG, hoogstens 10 MB per bestand. {melding}")
    expect(page.get_by_label("Waarom bent u het niet eens met het besluit?")).to_have_value(
        "Twee uur is te weinig voor mijn huis.")
    _netjes(page, shot, "bezwaar-te-groot")
