"""Gezag in Chromium: Esther Koster logs in with her own DigiD in the stand-in, finds her daughter Noor's zaak
under "Zaken van Noor", opens it (the page says she looks at it namens Noor) and signs the verslag for Noor. Noor's
father, without gezag, finds nothing: the zaak's address gives him the page of a zaak that does not exist.
axe-core checks the pages that are new for a parent."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import AuditLog, Inwoner, Ondertekening, Zaak
from tests.browser.stappen import bevestiging
from tests.gezag import KIND_BSN, OUDER_BSN, VADER_BSN

from .conftest import login_inwoner
from .test_accessibility import axe, beschrijf


def _geen_axe_fouten(page, naam: str) -> None:
    fouten = axe(page)
    assert not fouten, beschrijf(naam, page.url, fouten)


def test_the_parent_with_gezag_signs_the_verslag_for_her_child(page, new_context, app, kind_zaak, standin,
                                                              live_port, serve, shot):
    server = serve(app, live_port)
    url = server.url

    # 1. Esther logs in with her own DigiD and finds Noor's zaak in a section of its own. -------------------------
    login_inwoner(page, url, OUDER_BSN, niveau="substantieel", shot=shot)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    noor = page.get_by_role("region", name="Zaken van Noor")
    expect(noor).to_contain_text("U heeft het gezag over Noor Koster")
    _geen_axe_fouten(page, "mijn zaken met kind")
    shot(page, "mijn-zaken-met-noor")
    noor.get_by_role("link").first.click()
    page.wait_for_url(f"{url}/zaken/{kind_zaak}")

    # 2. The zaak page says whose zaak it is. ---------------------------------------------------------------------
    expect(page.get_by_role("main")).to_contain_text("U bekijkt deze zaak namens Noor Koster")
    _geen_axe_fouten(page, "zaak namens kind")
    shot(page, "zaak-namens-noor")
    page.get_by_role("link", name="Verslag lezen en ondertekenen").click()

    # 3. She signs the verslag for Noor. --------------------------------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Verslag van uw gesprek")
    expect(page.get_by_role("main")).to_contain_text("U bekijkt deze zaak namens Noor Koster")
    page.get_by_label("Wilt u iets toevoegen of verbeteren?", exact=False).fill("Op woensdag haalt oma Noor op.")
    page.get_by_label("Ik heb het verslag gelezen", exact=False).check()
    shot(page, "ondertekenen-namens-noor")
    page.get_by_role("button", name="Ondertekenen").click()
    bevestiging(page, "U heeft het verslag ondertekend")
    shot(page, "ondertekend")

    db = app.extensions["db_sessionmaker"]()
    try:
        esther = db.scalar(select(Inwoner).where(Inwoner.bsn == OUDER_BSN))
        kind = db.scalar(select(Inwoner).where(Inwoner.bsn == KIND_BSN))
        assert db.get(Zaak, kind_zaak).status == "aanvraag"
        handtekening = db.scalar(select(Ondertekening).order_by(Ondertekening.id.desc()))
        assert (handtekening.inwoner_id, handtekening.namens_inwoner_id) == (esther.id, kind.id)
        assert handtekening.betrouwbaarheidsniveau == "substantieel"
        gewijzigd = db.scalar(select(AuditLog).where(AuditLog.object_type == "zaak", AuditLog.handeling == "wijzigen",
                                                     AuditLog.object_id == str(kind_zaak), AuditLog.actor_type == "inwoner"))
        assert (gewijzigd.actor_id, gewijzigd.inwoner_id, gewijzigd.namens_inwoner_id) == (esther.id, kind.id, kind.id)
    finally:
        db.close()

    # 4. Noor's father has no gezag: for him the zaak does not exist. ---------------------------------------------
    vader = new_context().new_page()
    login_inwoner(vader, url, VADER_BSN)
    expect(vader.get_by_role("main")).not_to_contain_text("Zaken van")
    antwoord = vader.goto(f"{url}/zaken/{kind_zaak}")
    assert antwoord.status == 404
    expect(vader.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    shot(vader, "vader-zonder-gezag")
