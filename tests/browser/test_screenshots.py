"""The screenshots in the README (docs/screenshots/*.png), made from the real pages at 1280x800.

The test always runs (so the pages it shows keep working), but it writes docs/screenshots/ only when asked:

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py

Otherwise it writes to test-artifacts/readme-screenshots/, so an ordinary test run leaves the work tree clean
(the pictures carry dates and port numbers, so they differ on every run).
"""
from __future__ import annotations

import os
import re

from playwright.sync_api import expect

from .conftest import ROOT, VIEWPORT, login_inwoner, login_medewerker

DOEL = ROOT / (
    "docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") else "test-artifacts/readme-screenshots"
)

NAMEN = (
    "portaal-home", "digid-standin", "portaal-mijn-zaken", "backoffice-inloggen", "backoffice-werkvoorraad",
)


def opslaan(page, naam: str) -> None:
    DOEL.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)  # no hover effects
    page.screenshot(path=str(DOEL / f"{naam}.png"), animations="disabled", caret="hide")


def test_readme_screenshots(new_context, app, demo, standin, live_port, serve):
    server = serve(app, live_port)
    page = new_context(viewport=VIEWPORT, device_scale_factor=1).new_page()

    page.goto(f"{server.url}/")
    expect(page.get_by_role("button", name="Inloggen met DigiD")).to_be_visible()
    opslaan(page, "portaal-home")

    page.get_by_role("button", name="Inloggen met DigiD").click()
    page.locator("#persoon-999990093").wait_for()
    opslaan(page, "digid-standin")

    login_inwoner(page, server.url, "999990093")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    opslaan(page, "portaal-mijn-zaken")

    backoffice = new_context(viewport=VIEWPORT, device_scale_factor=1).new_page()
    backoffice.goto(f"{server.url}/backoffice/inloggen")
    opslaan(backoffice, "backoffice-inloggen")

    login_medewerker(backoffice, server.url, "wmo")
    expect(backoffice.get_by_role("heading", level=1)).to_have_text(re.compile("werkvoorraad", re.IGNORECASE))
    opslaan(backoffice, "backoffice-werkvoorraad")

    for naam in NAMEN:
        assert (DOEL / f"{naam}.png").stat().st_size > 10_000
