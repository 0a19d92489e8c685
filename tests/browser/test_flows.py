"""The main user flows in Chromium, through the real pages and the real DigiD stand-in page.

Every step leaves a screenshot in test-artifacts/screenshots/<test>/.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from domain.medewerkers import ONJUIST

from .conftest import login_inwoner, login_medewerker

# "Mijn werkvoorraad", "Werkvoorraad van het team"
WERKVOORRAAD = re.compile(r"\bwerkvoorraad\b", re.IGNORECASE)


def geen_csp_fouten(page):
    blocked = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not blocked, "blocked by the Content-Security-Policy:\n" + "\n".join(blocked)


def test_inwoner_logs_in_with_digid_and_out_again(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    bezocht = []
    page.on("request", lambda r: r.is_navigation_request() and bezocht.append(r.url))

    page.goto(f"{server.url}/")
    shot(page, "home")
    login_inwoner(page, server.url, "999990093", shot=shot)  # Jan Smit, Ridderkerk

    expect(page).to_have_url(f"{server.url}/mijn-zaken")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    expect(page.get_by_role("main")).to_contain_text("Jan Smit")
    expect(page.get_by_role("main")).to_contain_text("Ridderkerk")
    expect(page.get_by_role("banner")).to_contain_text("Ridderkerk")  # the gemeente's own branding
    expect(page.get_by_role("link", name="Mijn zaken")).to_have_attribute("aria-current", "page")
    assert "999990093" not in page.content()  # the BSN is never shown
    shot(page, "mijn-zaken")

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{server.url}/uitgelogd")
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    assert any(u.startswith(f"{standin.url}/logout?") for u in bezocht), bezocht  # via end_session
    shot(page, "uitgelogd")

    page.goto(f"{server.url}/mijn-zaken")  # the session is really gone
    expect(page.get_by_role("button", name="Inloggen met DigiD")).to_be_visible()
    assert "/mijn-zaken" not in page.url
    shot(page, "mijn-zaken-na-uitloggen")
    geen_csp_fouten(page)


def test_cancelled_digid_login_says_so_in_dutch(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    login_inwoner(page, server.url, "999990093", actie="annuleren", shot=shot)

    assert page.url.startswith(f"{server.url}/inloggen/digid?")
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent niet ingelogd")
    expect(page.get_by_role("alert")).to_contain_text("geannuleerd")
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    shot(page, "geannuleerd")
    page.get_by_role("link", name=re.compile("Terug naar de startpagina")).click()
    expect(page.get_by_role("button", name="Inloggen met DigiD")).to_be_visible()
    shot(page, "terug-op-home")
    geen_csp_fouten(page)


def test_consulent_logs_into_the_backoffice(page, app, demo, live_port, serve, shot):
    server = serve(app, live_port)
    page.goto(f"{server.url}/backoffice/inloggen")
    shot(page, "inlogformulier")
    login_medewerker(page, server.url, "wmo")

    expect(page).to_have_url(re.compile(re.escape(server.url) + r"/backoffice/.*"))
    expect(page.get_by_role("heading", level=1)).to_have_text(WERKVOORRAAD)
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text("Werkvoorraad")
    expect(page.get_by_role("banner")).to_contain_text("Wim van Wmo")
    expect(page.get_by_role("status")).to_contain_text("Welkom, Wim van Wmo.")
    shot(page, "werkvoorraad")

    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(f"{server.url}/backoffice/inloggen")
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd.")
    shot(page, "uitgelogd")
    geen_csp_fouten(page)


def test_first_tab_focuses_the_visible_skip_link(page, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    page.goto(f"{server.url}/")
    skip = page.get_by_role("link", name="Direct naar de inhoud")

    def in_beeld() -> bool:
        box = skip.bounding_box()
        return bool(box) and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 1280

    assert not in_beeld()  # hidden until focused
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert in_beeld(), skip.bounding_box()
    shot(page, "skip-link-zichtbaar")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r".*#inhoud$"))
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the content, past header and navigation
    expect(page.get_by_role("button", name="Inloggen met DigiD")).to_be_focused()
    shot(page, "na-skip-link")


def test_pages_work_without_javascript(new_context, app, demo, standin, live_port, serve, shot):
    server = serve(app, live_port)
    page = new_context(java_script_enabled=False).new_page()

    login_medewerker(page, server.url, "wmo")
    expect(page.get_by_role("heading", level=1)).to_have_text(WERKVOORRAAD)
    shot(page, "backoffice-zonder-js")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(f"{server.url}/backoffice/inloggen")
    shot(page, "backoffice-uitgelogd-zonder-js")

    login_inwoner(page, server.url, "999990093", shot=shot)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    shot(page, "portaal-zonder-js")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{server.url}/uitgelogd")
    shot(page, "portaal-uitgelogd-zonder-js")


def test_wrong_password_shows_dutch_error_and_keeps_username(page, app, demo, live_port, serve, shot):
    server = serve(app, live_port)
    login_medewerker(page, server.url, "wmo", "dit-is-het-niet", expect_ok=False)

    expect(page).to_have_url(f"{server.url}/backoffice/inloggen")
    wachtwoord = page.get_by_label("Wachtwoord")
    expect(page.get_by_role("main")).to_contain_text(ONJUIST)
    expect(page.get_by_label("Gebruikersnaam")).to_have_value("wmo")
    expect(wachtwoord).to_have_value("")  # a password is never sent back
    expect(wachtwoord).to_have_attribute("aria-invalid", "true")
    expect(wachtwoord).to_have_accessible_description(ONJUIST)  # the error is tied to the field
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    shot(page, "fout-wachtwoord")

    page.get_by_label("Gebruikersnaam").fill("")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Vul uw gebruikersnaam in.")
    expect(page.get_by_role("main")).to_contain_text("Vul uw wachtwoord in.")
    shot(page, "leeg-verstuurd")
    geen_csp_fouten(page)
