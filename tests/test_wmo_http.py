"""The Wmo screens as users meet them over HTTP: toegang, werkvoorraad, consulent, inwoner, toetser,
administratie. Plus: the lists run a fixed number of queries whatever the number of zaken."""
from __future__ import annotations

import datetime as dt
import re

from pypdf import PdfReader
from domain.tijd import vandaag
from sqlalchemy import event, select

from domain.models import Inwoner, Medewerker, Zaak
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen


def _form_token(client, url):
    return csrf_token(client, url)


def _uitloggen(client):
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})


def _zaak_van(db, bsn):
    db.expire_all()
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn).order_by(Zaak.id.desc()))


def test_toegang_finds_an_inwoner_and_makes_a_melding(client, demo, db):
    medewerker_inloggen(client, "toegang")
    token = _form_token(client, "/backoffice/inwoners/zoeken")
    fout = client.post("/backoffice/inwoners/zoeken", data={"csrf_token": token, "bsn": "123456788"})
    assert "elfproef" in fout.get_data(as_text=True) and 'value="123456788"' in fout.get_data(as_text=True)
    gevonden = client.post("/backoffice/inwoners/zoeken", data={"csrf_token": token, "geslachtsnaam": "Bos",
                                                                 "geboortedatum": "1963-06-25"})
    assert "Willem Bos" in gevonden.get_data(as_text=True)
    open_ = client.post("/backoffice/inwoners/openen", data={"csrf_token": token, "bsn": "999990135"})
    assert open_.status_code == 302 and "999990135" not in open_.headers["Location"]
    pagina = open_.headers["Location"]
    token = _form_token(client, pagina)
    leeg = client.post(pagina, data={"csrf_token": token, "kanaal": "telefoon", "hulpvraag": "", "uitkomst": "melding",
                                     "zaaktype": "wmo", "contactvoorkeur": "email"})
    assert "Beschrijf de hulpvraag" in leeg.get_data(as_text=True)
    r = client.post(pagina, data={"csrf_token": token, "kanaal": "telefoon", "hulpvraag": "Hulp bij douchen nodig.",
                                  "uitkomst": "melding", "zaaktype": "wmo", "contactvoorkeur": "email",
                                  "email": "sara@inwoner.example"})
    assert r.status_code == 302
    vervolg = client.get(r.headers["Location"])
    assert vervolg.status_code == 200  # toegang lands on a page she may see (it was a 404 before)
    assert "staat in de werkvoorraad van Team Wmo" in vervolg.get_data(as_text=True)
    zaak = _zaak_van(db, "999990135")
    assert zaak.status == "melding" and zaak.hulpvraag == "Hulp bij douchen nodig."


def test_toegang_can_close_a_contact_as_advice(client, demo, db):
    medewerker_inloggen(client, "toegang")
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == "999990020"))
    pagina = f"/backoffice/inwoners/{inwoner.id}"
    r = client.post(pagina, data={"csrf_token": _form_token(client, pagina), "kanaal": "balie",
                                  "hulpvraag": "Vraag over de regiotaxi, doorverwezen.", "uitkomst": "advies",
                                  "zaaktype": "wmo", "contactvoorkeur": "telefoon"}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "Er is geen melding gemaakt" in html and "Advies gegeven" in html
    assert db.scalar(select(Zaak).where(Zaak.inwoner_id == inwoner.id)) is None


def test_werkvoorraad_bulk_assign_in_the_teamoverleg(client, demo, db):
    medewerker_inloggen(client, "teamleider")
    html = client.get("/backoffice/werkvoorraad?weergave=team&onverdeeld=1").get_data(as_text=True)
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    # The teamleider sees every team's open zaken; Wim takes the Wmo ones of his gemeenten.
    ids = [i for i in re.findall(r'name="zaak" value="(\d+)"', html)
           if db.get(Zaak, int(i)).zaaktype == "wmo" and db.get(Zaak, int(i)).gemeente_id in {g.id for g in wim.gemeenten}]
    assert len(ids) >= 2
    assert "Te laat" in html  # the overdue demo melding stands out
    r = client.post("/backoffice/werkvoorraad?weergave=team&onverdeeld=1",
                    data={"csrf_token": _form_token(client, "/backoffice/werkvoorraad"), "zaak": ids,
                          "behandelaar_id": wim.id}, follow_redirects=True)
    assert f"{len(ids)} zaken toegewezen aan {wim.naam}." in r.get_data(as_text=True)
    db.expire_all()
    assert all(db.get(Zaak, int(i)).behandelaar_id == wim.id for i in ids)


def test_consulent_plans_a_gesprek_and_bad_input_is_kept(client, demo, db):
    zaak = _zaak_van(db, "999990007")
    medewerker_inloggen(client, "wmo")
    url = f"/backoffice/zaken/{zaak.id}/gesprek"
    token = _form_token(client, url)
    gisteren = (vandaag() - dt.timedelta(days=1)).isoformat()
    r = client.post(url, data={"csrf_token": token, "versie": zaak.versie, "datum": gisteren, "tijd": "10:00",
                               "duur_minuten": "60", "locatie": "Gemeentehuis Barendrecht"})
    html = r.get_data(as_text=True)
    assert "Kies een datum vandaag of later" in html and "Gemeentehuis Barendrecht" in html
    morgen = (vandaag() + dt.timedelta(days=1)).isoformat()
    r = client.post(url, data={"csrf_token": token, "versie": zaak.versie, "datum": morgen, "tijd": "10:00",
                               "duur_minuten": "60", "locatie": "Gemeentehuis Barendrecht"}, follow_redirects=True)
    assert "Het gesprek is gepland" in r.get_data(as_text=True)
    assert _zaak_van(db, "999990007").status == "in_onderzoek"


def test_stale_form_gives_a_clear_message(client, demo, db):
    zaak = _zaak_van(db, "999990007")
    medewerker_inloggen(client, "wmo")
    url = f"/backoffice/zaken/{zaak.id}/gesprek"
    morgen = (vandaag() + dt.timedelta(days=1)).isoformat()
    r = client.post(url, data={"csrf_token": _form_token(client, url), "versie": zaak.versie - 1 if zaak.versie > 1 else 999,
                               "datum": morgen, "tijd": "10:00", "duur_minuten": "60", "locatie": "Thuis"})
    assert "Iemand anders heeft deze zaak net gewijzigd" in r.get_data(as_text=True)


def test_inwoner_signs_in_the_portal_and_the_consulent_is_notified(client, demo, standin, db):
    zaak = _zaak_van(db, "999990093")  # Jan Smit: verslag ter ondertekening
    digid_inloggen(client, bsn="999990093", niveau="substantieel")
    pagina = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert "Wat moet ik doen?" in pagina and "Verslag lezen en ondertekenen" in pagina
    assert "Wmo 2015" in pagina  # the legal basis of the clock
    url = f"/zaken/{zaak.id}/ondertekenen"
    form = client.get(url).get_data(as_text=True)
    sha = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', form).group(1)
    versie = re.search(r'name="versie" type="hidden" value="(\d+)"', form).group(1)
    zonder_vinkje = client.post(url, data={"csrf_token": csrf_token(client, url), "sha256": sha, "versie": versie,
                                           "opmerking": "Mijn dochter komt eens per maand, niet per twee weken."})
    html = zonder_vinkje.get_data(as_text=True)
    assert "Zet een vinkje" in html and "eens per maand" in html  # nothing typed is lost
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "sha256": sha, "versie": versie, "akkoord": "y",
                               "opmerking": "Mijn dochter komt eens per maand."}, follow_redirects=True)
    assert "U heeft het verslag ondertekend" in r.get_data(as_text=True)
    zaak = _zaak_van(db, "999990093")
    assert zaak.status == "aanvraag"
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})
    medewerker_inloggen(client, "wmo")
    assert "Aanvraag compleet" in client.get("/backoffice/meldingen").get_data(as_text=True)


def test_toetser_rejects_and_approves_and_the_inwoner_downloads(client, demo, standin, db):
    zaak = _zaak_van(db, "999990044")  # ter toetsing
    medewerker_inloggen(client, "toetser")
    assert zaak.identificatie in client.get("/backoffice/acties").get_data(as_text=True)
    url = f"/backoffice/zaken/{zaak.id}/afkeuren"
    leeg = client.post(url, data={"csrf_token": _form_token(client, url), "versie": zaak.versie, "reden": ""})
    assert "Vul de reden in" in leeg.get_data(as_text=True)
    client.post(url, data={"csrf_token": _form_token(client, url), "versie": zaak.versie,
                           "reden": "10 uur per week is niet onderbouwd."})
    assert _zaak_van(db, "999990044").status == "aanvraag"
    _uitloggen(client)

    medewerker_inloggen(client, "wmo")
    besluit_url = f"/backoffice/zaken/{zaak.id}/beschikking"
    page = client.get(besluit_url).get_data(as_text=True)
    assert "10 uur per week is niet onderbouwd" in page
    hbh = re.search(r'<option (?:selected )?value="(\d+)"(?: selected)?>Hulp bij het huishouden', page).group(1)
    iso_vandaag = vandaag().isoformat()
    r = client.post(besluit_url, data={
        "csrf_token": _form_token(client, besluit_url), "besluittype": "toekenning",
        "onderbouwing": "Zes uur per week is nodig: groot huis, geen netwerk.", "wettelijke_grondslag": "",
        "voorzieningen-0-product_id": hbh, "voorzieningen-0-volume": "6", "voorzieningen-0-frequentie": "2",
        "voorzieningen-0-ingangsdatum": iso_vandaag, "voorzieningen-0-leveringsvorm": "zin",
        "voorzieningen-1-product_id": "0", "voorzieningen-1-frequentie": "2", "voorzieningen-1-leveringsvorm": "zin"},
        follow_redirects=True)
    assert "concept-beschikking is opgeslagen" in r.get_data(as_text=True)
    zaak = _zaak_van(db, "999990044")
    r = client.post(f"/backoffice/zaken/{zaak.id}/actie/beschikking_indienen",
                    data={"csrf_token": _form_token(client, f"/backoffice/zaken/{zaak.id}"), "versie": zaak.versie},
                    follow_redirects=True)
    assert _zaak_van(db, "999990044").status == "ter_toetsing"
    _uitloggen(client)

    medewerker_inloggen(client, "toetser")
    zaak = _zaak_van(db, "999990044")
    r = client.post(f"/backoffice/zaken/{zaak.id}/actie/goedkeuren",
                    data={"csrf_token": _form_token(client, f"/backoffice/zaken/{zaak.id}"), "versie": zaak.versie},
                    follow_redirects=True)
    assert "goedgekeurd, ondertekend en staat in het portaal" in r.get_data(as_text=True)
    _uitloggen(client)

    digid_inloggen(client, bsn="999990044")
    pagina = client.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    assert "Er is een besluit" in pagina
    link = re.search(r'href="(/documenten/\d+)\?download=1">downloaden<span class="kt-visually-hidden"> Beschikking', pagina).group(1)
    pdf = client.get(link + "?download=1")
    assert pdf.mimetype == "application/pdf" and "attachment" in pdf.headers["Content-Disposition"]
    from io import BytesIO

    tekst = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "toegekend" in tekst.lower() and "Hulp bij het huishouden" in tekst and "6 uur" in tekst
    assert "bezwaar" in tekst.lower()


def test_inwoner_cannot_download_someone_elses_document(client, demo, standin, db):
    from domain.models import Document

    anders = db.scalar(select(Document).join(Zaak).join(Inwoner).where(Inwoner.bsn == "999990056",
                                                                        Document.zichtbaar_voor_inwoner))
    digid_inloggen(client, bsn="999990093")
    assert client.get(f"/documenten/{anders.versies[0].id}").status_code == 404


def _count_queries(app, fn):
    teller = {"n": 0}
    engine = app.extensions["db_engine"]

    def _tel(*_args, **_kw):
        teller["n"] += 1

    event.listen(engine, "before_cursor_execute", _tel)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", _tel)
    return teller["n"]


def _extra_zaken(db, n):
    """n more open Wmo zaken for several inwoners, inserted directly: only the list sizes matter here."""
    from domain.models import StatusHistorie, Team

    team = db.scalar(select(Team).where(Team.code == "wmo"))
    inwoners = db.scalars(select(Inwoner)).all()
    wim = db.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == "wmo"))
    for i in range(n):
        inwoner = inwoners[i % len(inwoners)]
        zaak = Zaak(identificatie=f"TEST-{db.scalar(select(Zaak.id).order_by(Zaak.id.desc()).limit(1)) + 1}-{i}",
                    zaaktype="wmo", gemeente_id=inwoner.gemeente_id, inwoner_id=inwoner.id, team_id=team.id,
                    behandelaar_id=wim.id, status="melding", startdatum=vandaag(),
                    uiterlijke_einddatum=vandaag() + dt.timedelta(days=i))
        zaak.historie.append(StatusHistorie(status="melding"))
        db.add(zaak)
    db.commit()


def test_lists_run_a_fixed_number_of_queries(app, client, demo, standin, db):
    medewerker_inloggen(client, "wmo")
    zaak = _zaak_van(db, "999990093")
    werk = lambda: client.get("/backoffice/werkvoorraad?weergave=mijn")  # noqa: E731
    zaakpagina = lambda: client.get(f"/backoffice/zaken/{zaak.id}")  # noqa: E731
    voor = (_count_queries(app, werk), _count_queries(app, zaakpagina))
    _extra_zaken(db, 20)
    na = (_count_queries(app, werk), _count_queries(app, zaakpagina))
    assert voor == na, f"query count grows with the number of zaken: {voor} -> {na}"
    _uitloggen(client)
    digid_inloggen(client, bsn="999990093")
    mijn = lambda: client.get("/mijn-zaken")  # noqa: E731
    voor = _count_queries(app, mijn)
    _extra_zaken(db, 24)  # two of them for Jan Smit
    assert _count_queries(app, mijn) == voor
