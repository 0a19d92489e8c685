"""Bezwaar and the clock as users meet them: the inwoner files bezwaar in the portal, juridische zaken handle it;
an overdue zaak is put in gebreke and the dwangsom grows as the clock moves."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from domain.models import Inwoner, Termijn, Zaak
from domain.tijd import vandaag
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

ANNA = "999990056"


def _zaak(db, bsn, zaaktype="wmo"):
    db.expire_all()
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn, Zaak.zaaktype == zaaktype)
                     .order_by(Zaak.id.desc()))


def test_inwoner_files_bezwaar_and_juridische_zaken_decide(client, demo, standin, db):
    hoofdzaak = _zaak(db, ANNA)
    digid_inloggen(client, bsn=ANNA)
    pagina = client.get(f"/zaken/{hoofdzaak.id}").get_data(as_text=True)
    assert "U kunt bezwaar maken tot en met" in pagina and "Awb" in pagina
    url = f"/zaken/{hoofdzaak.id}/bezwaar"
    token = csrf_token(client, url)
    from io import BytesIO

    fout = client.post(url, data={"csrf_token": token, "gronden": "Twee uur is te weinig voor mijn huis.",
                                  "bijlagen": (BytesIO(b"MZ not a pdf"), "brief.pdf")}, content_type="multipart/form-data")
    html = fout.get_data(as_text=True)
    assert "geen PDF, JPG of PNG" in html and "Twee uur is te weinig" in html  # nothing typed is lost
    r = client.post(url, data={"csrf_token": token, "gronden": "Twee uur is te weinig voor mijn huis.",
                               "contact_hoorzitting": "06-11112222",
                               "bijlagen": (BytesIO(b"%PDF-1.4 verklaring"), "verklaring huisarts.pdf")},
                    content_type="multipart/form-data", follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "We hebben uw bezwaar ontvangen" in html and "7:10" in html
    bezwaar = _zaak(db, ANNA, "bezwaar")
    assert bezwaar is not None and bezwaar.hoofdzaak_id == hoofdzaak.id
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})

    medewerker_inloggen(client, "juridisch")
    assert bezwaar.identificatie in client.get("/backoffice/acties").get_data(as_text=True)
    zaakpagina = f"/backoffice/zaken/{bezwaar.id}"
    assert "Twee uur is te weinig" in client.get(zaakpagina).get_data(as_text=True)
    client.post(f"{zaakpagina}/actie/in_behandeling_nemen",
                data={"csrf_token": csrf_token(client, zaakpagina), "versie": _zaak(db, ANNA, "bezwaar").versie})
    morgen = (vandaag() + dt.timedelta(days=7)).isoformat()
    r = client.post(f"{zaakpagina}/hoorzitting", data={
        "csrf_token": csrf_token(client, f"{zaakpagina}/hoorzitting"), "versie": _zaak(db, ANNA, "bezwaar").versie,
        "datum": morgen, "tijd": "14:00", "duur_minuten": "45", "locatie": "Raadhuis, zaal 2"}, follow_redirects=True)
    assert "hoorzitting is gepland" in r.get_data(as_text=True)
    beslissen = {"csrf_token": csrf_token(client, f"{zaakpagina}/beslissen"), "uitkomst": "gegrond",
                 "motivering": "Het huis is groot; twee uur is te weinig."}
    r = client.post(f"{zaakpagina}/beslissen", data={**beslissen, "versie": _zaak(db, ANNA, "bezwaar").versie})
    assert "Dit kan nu niet" in r.get_data(as_text=True)  # Awb 7:2: not before the hoorzitting took place
    assert _zaak(db, ANNA, "bezwaar").status != "beslist"
    vastleggen = f"{zaakpagina}/vastleggen/hoorzitting_vastleggen"
    assert "Hoorzitting is geweest" in client.get(zaakpagina).get_data(as_text=True)
    r = client.post(vastleggen, data={
        "csrf_token": csrf_token(client, vastleggen), "versie": _zaak(db, ANNA, "bezwaar").versie,
        "gehouden_op": vandaag().isoformat(), "aanwezig": "Mevrouw De Vries en twee juristen.",
        "verslag": "Mevrouw legt uit dat haar huis groot is."}, follow_redirects=True)
    assert _zaak(db, ANNA, "bezwaar").status == "gehoord", r.get_data(as_text=True)
    r = client.post(f"{zaakpagina}/beslissen", data={
        "csrf_token": csrf_token(client, f"{zaakpagina}/beslissen"), "versie": _zaak(db, ANNA, "bezwaar").versie,
        "uitkomst": "gegrond", "motivering": "Het huis is groot; twee uur is te weinig."}, follow_redirects=True)
    assert "beslissing op bezwaar is vastgesteld" in r.get_data(as_text=True)
    assert _zaak(db, ANNA).status == "aanvraag"
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})

    digid_inloggen(client, bsn=ANNA)
    html = client.get(f"/zaken/{bezwaar.id}").get_data(as_text=True)
    assert "Er is een beslissing op uw bezwaar" in html and "Beslissing op uw bezwaar" in html
    html = client.get(f"/zaken/{hoofdzaak.id}").get_data(as_text=True)
    assert "Uw aanvraag is compleet. We nemen nu een besluit." in html


def test_overdue_zaak_ingebrekestelling_and_a_growing_dwangsom(client, demo, standin, db, monkeypatch):
    hendrik = _zaak(db, "999990044")  # ter toetsing; its beschikking term may not have passed yet: move it
    termijn = db.scalar(select(Termijn).where(Termijn.zaak_id == hendrik.id, Termijn.soort == "wmo-beschikking"))
    termijn.einddatum = vandaag() - dt.timedelta(days=3)
    db.commit()
    digid_inloggen(client, bsn="999990044")
    html = client.get(f"/zaken/{hendrik.id}").get_data(as_text=True)
    assert "Wij zijn te laat" in html and "Ingebrekestelling sturen" in html
    assert "Dat is hoogstens € 1.442,00." in html and "1.442 euro" not in html  # the one money format
    r = client.post(f"/zaken/{hendrik.id}/ingebrekestelling",
                    data={"csrf_token": csrf_token(client, f"/zaken/{hendrik.id}")}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "We hebben uw ingebrekestelling ontvangen" in html
    assert "krijgt u vanaf die dag een dwangsom" in html
    # Move the clock: 20 days later the dwangsom runs for 6 days (EUR 23 a day) ...
    import domain.tijd

    echte_dag = vandaag()
    monkeypatch.setattr(domain.tijd, "vandaag", lambda: echte_dag + dt.timedelta(days=20))
    html = client.get(f"/zaken/{hendrik.id}").get_data(as_text=True)
    assert "We zijn 6 dagen te laat" in html and "€ 138,00" in html
    # ... and 60 days later it has reached the maximum of EUR 1,442.
    monkeypatch.setattr(domain.tijd, "vandaag", lambda: echte_dag + dt.timedelta(days=60))
    html = client.get(f"/zaken/{hendrik.id}").get_data(as_text=True)
    assert "€ 1.442,00" in html and "het maximum" in html
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})
    # The teamleider sees the dwangsom and the overdue term.
    medewerker_inloggen(client, "teamleider")
    html = client.get("/backoffice/termijnen").get_data(as_text=True)
    assert hendrik.identificatie in html and "€ 1.442,00" in html and "Te laat" in html
    assert "<svg" in html and "te late termijnen" in html.lower()


def test_ingebrekestelling_before_the_term_passed_is_refused(client, demo, standin, db):
    jan = _zaak(db, "999990093")  # onderzoek running, no beslistermijn yet
    digid_inloggen(client, bsn="999990093")
    assert "Ingebrekestelling sturen" not in client.get(f"/zaken/{jan.id}").get_data(as_text=True)
    r = client.post(f"/zaken/{jan.id}/ingebrekestelling", data={"csrf_token": csrf_token(client, f"/zaken/{jan.id}")},
                    follow_redirects=True)
    assert "nog niet voorbij" in r.get_data(as_text=True)


def test_only_teamleiders_see_the_terms_overview(client, demo):
    medewerker_inloggen(client, "wmo")
    assert client.get("/backoffice/termijnen").status_code == 403
    assert not re.search(r">Termijnen<", client.get("/backoffice/meldingen").get_data(as_text=True))
