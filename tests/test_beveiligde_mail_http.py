"""Secure e-mail (issue 15 point 2) through the test client: the link from the outbox, the SMS code from the SMS
stand-in, a wrong code, the right one, the download, the replies (changes to the verslag, the signed form), and the
pages of a used, expired and blocked link."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from domain import beveiligde_mail as bm
from domain.models import AuditLog, BeveiligdeZending
from integrations.sms import laatste_code
from tests.test_beveiligde_mail import TELEFOON, verslag_verstuurd, zendingen


@pytest.fixture
def sms_map(app, tmp_path):
    """The SMS stand-in writes into this test's own directory."""
    map = tmp_path / "sms"
    app.config["SETTINGS"].sms = {"map": str(map)}
    return map


def _token(html: str) -> str:
    gevonden = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return gevonden.group(1)


def _pad(db, zaak) -> str:
    return "/beveiligd/" + bm.laatste_link(db, zaak.inwoner.email).rsplit("/beveiligd/", 1)[1]


def _open_met_code(client, pad: str, sms_map, *, eerst_fout: bool = False):
    start = client.get(pad)
    assert start.status_code == 200
    html = start.get_data(as_text=True)
    assert "eindigt op <strong>78</strong>" in html and "Barendrecht" in html
    assert start.headers["Referrer-Policy"] == "no-referrer" and start.headers["Cache-Control"] == "no-store"
    verstuurd = client.post(f"{pad}/sms", data={"csrf_token": _token(html)}, follow_redirects=True)
    assert "eindigt op 78" in verstuurd.get_data(as_text=True)
    code = laatste_code(sms_map, TELEFOON)
    assert code and re.fullmatch(r"\d{6}", code)
    if eerst_fout:
        fout = client.post(f"{pad}/code", data={"csrf_token": _token(html), "code": "000000" if code != "000000" else "111111"})
        assert fout.status_code == 422
        tekst = fout.get_data(as_text=True)
        assert "Deze code klopt niet." in tekst and "nog 4 pogingen" in tekst and 'aria-invalid="true"' in tekst
    goed = client.post(f"{pad}/code", data={"csrf_token": _token(html), "code": code})
    assert goed.status_code == 302 and goed.headers["Location"].endswith(f"{pad}/bericht")
    return client.get(f"{pad}/bericht")


def test_open_with_code_download_and_send_changes(client, demo, diensten, sms_map):
    zaak = verslag_verstuurd(demo, diensten)
    pad = _pad(demo, zaak)
    bericht = _open_met_code(client, pad, sms_map, eerst_fout=True)
    html = bericht.get_data(as_text=True)
    assert bericht.status_code == 200 and bericht.headers["Referrer-Policy"] == "no-referrer"
    assert "Lees het verslag van het huisbezoek" in html and "7 dagen" in html
    assert "Wijzigingen in het verslag doorgeven" in html and "Aanvraagformulier jeugdhulp" in html
    zending = zendingen(demo, zaak)[-1]
    demo.refresh(zending)
    assert [g.soort for g in zending.gebeurtenissen] == ["verzonden", "code_verstuurd", "code_fout", "geopend"]
    assert demo.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.object_type == "beveiligde_zending", AuditLog.object_id == str(zending.id),
        AuditLog.handeling == "geweigerd")) == 1

    # The verslag, downloaded and read back.
    versie = zending.documenten[0]
    pdf = client.get(f"{pad}/documenten/{versie.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and "attachment" in pdf.headers["Content-Disposition"]
    from pypdf import PdfReader

    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Verslag van het gesprek" in tekst
    assert client.get(f"{pad}/documenten/{versie.id + 1000}").status_code == 404  # not this zending's

    # Changes to the verslag: the zaak goes back to in_onderzoek.
    leeg = client.post(f"{pad}/formulieren/wijzigingen_verslag", data={"csrf_token": _token(html), "wijzigingen": ""})
    assert leeg.status_code == 422 and "Vul dit in." in leeg.get_data(as_text=True)
    verstuurd = client.post(f"{pad}/formulieren/wijzigingen_verslag", follow_redirects=True, data={
        "csrf_token": _token(leeg.get_data(as_text=True)), "wijzigingen": "Mijn moeder woont niet bij ons in huis.",
        **dict(re.findall(r'name="(inzending|versie)" value="(\d+)"', leeg.get_data(as_text=True)))})
    assert "We hebben uw wijzigingen ontvangen." in verstuurd.get_data(as_text=True)
    demo.expire_all()
    assert zaak.status == "in_onderzoek"
    soorten = [g.soort for g in demo.get(BeveiligdeZending, zending.id).gebeurtenissen]
    assert "document_gedownload" in soorten and soorten[-1] == "reactie_verstuurd"

    # The access ends after its 30 minutes: the link cannot be used again, in this browser or any other.
    later = dt.datetime.now(dt.UTC) + bm.TOEGANG_NA_CODE + dt.timedelta(minutes=1)
    import domain.beveiligde_mail as module

    module_nu = module.nu
    try:
        module.nu = lambda: later
        weer = client.get(pad)
        assert weer.status_code == 410 and "Deze link is al gebruikt" in weer.get_data(as_text=True)
        assert client.get(f"{pad}/bericht").status_code == 302
    finally:
        module.nu = module_nu
    demo.expire_all()
    assert demo.get(BeveiligdeZending, zending.id).status == bm.AFGEROND


def test_the_signed_form_as_upload_makes_the_aanvraag(client, demo, diensten, sms_map):
    zaak = verslag_verstuurd(demo, diensten)
    pad = _pad(demo, zaak)
    html = _open_met_code(client, pad, sms_map).get_data(as_text=True)
    scan = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    antwoord = client.post(f"{pad}/formulieren/aanvraagformulier", content_type="multipart/form-data",
                           follow_redirects=True, data={
                               "csrf_token": _token(html), "opmerking": "",
                               "getekend_formulier": (io.BytesIO(scan), "aanvraag-getekend.pdf")})
    assert "We hebben uw ondertekende aanvraagformulier ontvangen." in antwoord.get_data(as_text=True)
    demo.expire_all()
    assert zaak.status == "aanvraag"
    # Another browser with the same link during the access: the page of a used link, no message.
    from flask.testing import FlaskClient

    ander = FlaskClient(client.application)
    assert ander.get(pad).status_code == 410 and ander.get(f"{pad}/bericht").status_code == 302


def test_expired_unknown_and_blocked_links(client, demo, diensten, sms_map):
    zaak = verslag_verstuurd(demo, diensten)
    pad = _pad(demo, zaak)
    onbekend = client.get("/beveiligd/dit-is-geen-token")
    assert onbekend.status_code == 404 and "Deze link kennen wij niet" in onbekend.get_data(as_text=True)
    assert onbekend.headers["Referrer-Policy"] == "no-referrer"

    # Five wrong codes block the link, and the team hears of it.
    html = client.get(pad).get_data(as_text=True)
    client.post(f"{pad}/sms", data={"csrf_token": _token(html)})
    code = laatste_code(sms_map, TELEFOON)
    fout = "000000" if code != "000000" else "111111"
    for over in (4, 3, 2, 1):
        r = client.post(f"{pad}/code", data={"csrf_token": _token(html), "code": fout})
        assert f"nog {over} {'poging' if over == 1 else 'pogingen'}" in r.get_data(as_text=True)
    geblokkeerd = client.post(f"{pad}/code", data={"csrf_token": _token(html), "code": fout})
    assert geblokkeerd.status_code == 403 and "Deze link is geblokkeerd" in geblokkeerd.get_data(as_text=True)
    assert client.post(f"{pad}/code", data={"csrf_token": _token(html), "code": code}).status_code == 302
    assert client.get(pad).status_code == 403  # the right code does not help any more
    zending = bm.zoek(demo, pad.rsplit("/", 1)[1])
    demo.refresh(zending)
    assert zending.status == bm.GEBLOKKEERD and [g.soort for g in zending.gebeurtenissen].count("code_fout") == 5

    # An older link of the same zaak, past its 14 days: the expired page and the event.
    oud = zendingen(demo, zaak)[1]  # the afspraakbevestiging
    token = bm.laatste_link(demo, zaak.inwoner.email)  # only to show tokens are not in the database
    assert oud.token_hash not in token
    oud.verloopt_op = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    demo.commit()
    from domain.models import MailBericht

    mails = demo.scalars(select(MailBericht.tekst).where(MailBericht.aan == zaak.inwoner.email)
                         .order_by(MailBericht.id)).all()
    oud_pad = "/beveiligd/" + re.search(r"/beveiligd/([A-Za-z0-9_-]+)", mails[1]).group(1)
    verlopen = client.get(oud_pad)
    assert verlopen.status_code == 410 and "Deze link werkt niet meer" in verlopen.get_data(as_text=True)
    assert "14 0180" in verlopen.get_data(as_text=True)
    demo.refresh(oud)
    assert oud.status == bm.VERLOPEN and oud.gebeurtenissen[-1].soort == "verlopen"


def test_the_zaak_page_shows_the_zendingen_and_sends_a_new_link(client, demo, diensten, sms_map):
    from tests.helpers import csrf_token, medewerker_inloggen

    zaak = verslag_verstuurd(demo, diensten)
    oud = zendingen(demo, zaak)[0]
    oud.verloopt_op = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    demo.commit()
    bm.verloop_zendingen(demo)
    medewerker_inloggen(client, "regieteam")
    pagina = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert "Beveiligde e-mail" in pagina and "Verlopen" in pagina and "Lees het verslag van het huisbezoek" in pagina
    nieuw = client.post(f"/backoffice/zaken/{zaak.id}/beveiligd/{oud.id}/opnieuw",
                        data={"csrf_token": _token(pagina)}, follow_redirects=True)
    assert "nieuwe link" in nieuw.get_data(as_text=True).lower()
    assert zendingen(demo, zaak)[-1].vervangt_id == oud.id
    # Someone outside the team cannot see the zaak, so neither the button.
    client.post("/backoffice/uitloggen", data={"csrf_token": _token(pagina)})
    medewerker_inloggen(client, "jeugd")
    token = csrf_token(client, "/backoffice/werkvoorraad")
    assert client.post(f"/backoffice/zaken/{zaak.id}/beveiligd/{oud.id}/opnieuw",
                       data={"csrf_token": token}).status_code == 404
