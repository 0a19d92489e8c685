"""Secure e-mail in Chromium (issue 15 point 2): the inwoner opens the link from the outbox, types a wrong code,
then the right one from the SMS stand-in, downloads the verslag; an expired link shows its own page. Also at
390 px wide, without sideways scrolling."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from domain import beveiligde_mail as bm
from domain.models import MailBericht
from integrations.sms import laatste_code
from tests.test_beveiligde_mail import TELEFOON, verslag_verstuurd, zendingen
from tests.test_wmo_proces import medewerker

SMAL = {"width": 390, "height": 844}


def _past(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _links(db, email) -> list[str]:
    teksten = db.scalars(select(MailBericht.tekst).where(MailBericht.aan == email).order_by(MailBericht.id)).all()
    return [m.group(0) for t in teksten if (m := re.search(r"https?://\S+/beveiligd/[A-Za-z0-9_-]+", t))]


def _flow(page, link: str, sms_map, shot, naam: str):
    page.goto(link)
    assert page.locator("h1").inner_text() == "Beveiligd bericht van de gemeente Barendrecht"
    assert "eindigt op 78" in page.locator("main").inner_text()
    shot(page, f"{naam}-start")
    page.get_by_role("button", name="Stuur mij de code").click()
    page.wait_for_url(re.compile(r".*/code$"))
    code = laatste_code(sms_map, TELEFOON)
    page.get_by_label("Code uit de sms").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Bericht openen").click()
    fout = page.locator("#code-fout")
    assert "Deze code klopt niet." in fout.inner_text() and "nog 4 pogingen" in fout.inner_text()
    assert page.get_by_label("Code uit de sms").get_attribute("aria-invalid") == "true"
    shot(page, f"{naam}-foute-code")
    assert _past(page)
    page.get_by_label("Code uit de sms").fill(code)
    page.get_by_role("button", name="Bericht openen").click()
    page.wait_for_url(re.compile(r".*/bericht$"))
    assert page.locator("h1").inner_text() == "Lees het verslag van het huisbezoek"
    shot(page, f"{naam}-bericht")
    assert _past(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Verslag van het gesprek")).click()
    with open(download.value.path(), "rb") as f:
        assert f.read(4) == b"%PDF"


def test_open_the_secure_mail_and_an_expired_link(new_context, app, demo, diensten, live_port, serve, shot,
                                                  tmp_path):
    sms_map = tmp_path / "sms"
    app.config["SETTINGS"].sms = {"map": str(sms_map)}
    server = serve(app, live_port)
    zaak = verslag_verstuurd(demo, diensten)
    links = _links(demo, zaak.inwoner.email)
    assert links[-1].startswith(server.url)
    _flow(new_context().new_page(), links[-1], sms_map, shot, "breed")

    # A second verslag link at 390 px: the same flow on a phone.
    zending = zendingen(demo, zaak)[-1]
    regie = medewerker(demo, "regieteam")
    demo.refresh(zending)
    zending.status, zending.verloopt_op = bm.VERLOPEN, dt.datetime.now(dt.UTC)
    demo.commit()
    nieuw = bm.opnieuw_versturen(demo, regie, zending, portaal_url=server.url)
    assert nieuw.status == bm.VERZONDEN
    smal = new_context(viewport=SMAL).new_page()
    _flow(smal, _links(demo, zaak.inwoner.email)[-1], sms_map, shot, "smal")

    # The afspraakbevestiging's link, past its 14 days: its own page, at 390 px too.
    oud = zendingen(demo, zaak)[1]
    oud.verloopt_op = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    demo.commit()
    smal.goto(links[1])
    assert smal.locator("h1").inner_text() == "Deze link werkt niet meer"
    assert "Bel ons op 14 0180" in smal.locator("main").inner_text()
    assert _past(smal)
    shot(smal, "verlopen")
    demo.refresh(oud)
    assert oud.status == bm.VERLOPEN
