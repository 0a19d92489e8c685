"""Browser tests: the real pages in Chromium, driven by Playwright (sync API).

One Chromium for the whole session; every test gets fresh browser contexts (own cookies, own storage).
Chromium comes from Debian (`make test` installs it): if it is missing the tests FAIL, they never skip, so a
machine without a browser cannot pass the suite by accident. Never run `playwright install` for these tests.

Start the app for the browser in a test like this:

    def test_iets(page, app, demo, standin, live_port, serve):
        server = serve(app, live_port)
        login_inwoner(page, server.url, "999990093")

Screenshots of the steps go to test-artifacts/screenshots/<test name>/ (gitignored).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.helpers import DEMO_WACHTWOORD

CHROMIUM = Path(os.environ.get("KT_CHROMIUM", "/usr/bin/chromium"))  # Debian's chromium
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (`-m "not browser"` leaves them out)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (installs the Debian package chromium).",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture
def new_context(browser):
    """Extra contexts in one test, e.g. new_context(java_script_enabled=False); closed afterwards."""
    contexts = []

    def _new(**kwargs):
        options = {"viewport": VIEWPORT, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
        options.update(kwargs)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh context (cookies of earlier tests never leak in). Console errors are kept on
    `page.console_errors`, so a test can check that nothing was blocked (CSP) or broke."""
    pg = new_context().new_page()
    pg.console_errors = []
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    pg.on("pageerror", lambda exc: pg.console_errors.append(str(exc)))
    return pg


@pytest.fixture
def shot(request):
    """shot(page, "stap") saves a full-page screenshot: test-artifacts/screenshots/<test>/<nn>-<stap>.png."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    teller = iter(range(1, 1000))

    def _shot(pg, naam: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{next(teller):02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', naam)}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return _shot


# --- log-in helpers: through the real pages, as a user would ------------------------------------------------


def login_inwoner(page, base_url: str, bsn: str, niveau: str = "midden", *, actie: str = "inloggen",
                  shot=None):
    """Log in on the portal with DigiD through the real stand-in page. With actie="annuleren" the tester
    cancels at the stand-in. Returns when the portal has answered the callback."""
    page.goto(f"{base_url}/")
    page.get_by_role("button", name="Inloggen met DigiD").click()
    page.wait_for_url(re.compile(r".*/authorize\?.*"))
    assert page.locator("h1").inner_text().startswith("Inloggen met DigiD")
    page.locator(f"#persoon-{bsn}").check()
    page.select_option("#niveau", niveau)
    if shot:
        shot(page, "digid-standin")
    knop = "Annuleren" if actie == "annuleren" else "Inloggen"
    page.get_by_role("button", name=knop, exact=True).click()
    page.wait_for_url(re.compile(re.escape(base_url) + r"/.*"))
    page.wait_for_load_state()
    if actie != "annuleren":
        page.wait_for_url(f"{base_url}/mijn-zaken")


def login_medewerker(page, base_url: str, username: str, password: str = DEMO_WACHTWOORD, *,
                     expect_ok: bool = True):
    """Log in on the backoffice through its own form. With expect_ok the log-in must succeed."""
    page.goto(f"{base_url}/backoffice/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()
    if expect_ok:
        assert "/backoffice/inloggen" not in page.url, f"log-in as {username} failed: {page.url}"
        assert page.get_by_role("button", name="Uitloggen").is_visible()
