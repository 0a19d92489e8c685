"""The ARIJ and Meldcode pages through the browser's eyes (issue 15 points 4 and 5), as Rachid of the Regieteam: the
zaak page shows both sections, the forms record a taxatie and the steps, a refused step keeps the input with the
reason at its field, and another team gets a 404 for every page."""
from __future__ import annotations

import re

from sqlalchemy import select

from domain import arij, tijd
from domain.models import MeldcodeStap, Taxatie
from tests.helpers import csrf_token, medewerker_inloggen
from tests.test_regie_zichtbaarheid import _regie_zaak

def _vandaag():
    """Today when the test runs (not when the module was imported: a run may cross midnight)."""
    return tijd.vandaag().isoformat()



def _antwoorden(instrument, **anders) -> dict[str, str]:
    return {v.code: anders.get(v.code, v.antwoorden[0].code) for v in instrument.vragen}


def test_arij_form_records_a_taxatie_and_the_zaak_page_shows_it(client, demo, db, diensten):
    zaak = _regie_zaak(demo, diensten)
    medewerker_inloggen(client, "regieteam")
    pagina = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert "ARIJ: veiligheid en risico" in pagina and "Meldcode huiselijk geweld en kindermishandeling" in pagina
    url = f"/backoffice/zaken/{zaak.id}/arij/veiligheid/nieuw"
    formulier = client.get(url).get_data(as_text=True)
    assert formulier.count("<fieldset") == len(arij.VEILIGHEIDSTAXATIE.vragen) + 1
    assert "<legend" in formulier and 'name="letsel"' in formulier
    data = {"csrf_token": csrf_token(client, url), **_antwoorden(arij.VEILIGHEIDSTAXATIE, letsel="ja"),
            "uitkomst": "berekend", "toelichting": "Blauwe plek op de arm, gezien bij het huisbezoek."}
    r = client.post(url, data=data, follow_redirects=True)
    tekst = r.get_data(as_text=True)
    assert "De veiligheidstaxatie is vastgelegd. Uitkomst: hoog." in tekst
    assert re.search(r'<span class="kt-badge kt-badge--fout">Hoog</span>', tekst)
    assert "Rachid Regie" in tekst
    db.expire_all()
    taxatie = db.scalar(select(Taxatie).where(Taxatie.zaak_id == zaak.id))
    assert (taxatie.uitkomst, taxatie.antwoorden["letsel"]) == ("hoog", "ja")
    historie = client.get(f"/backoffice/zaken/{zaak.id}/arij").get_data(as_text=True)
    assert "Veiligheidstaxatie van" in historie and "Blauwe plek op de arm" in historie


def test_a_deviating_outcome_without_reason_keeps_the_input(client, demo, db, diensten):
    zaak = _regie_zaak(demo, diensten)
    medewerker_inloggen(client, "regieteam")
    url = f"/backoffice/zaken/{zaak.id}/arij/risico/nieuw"
    data = {"csrf_token": csrf_token(client, url), **_antwoorden(arij.RISICOTAXATIE, middelen="nu"),
            "uitkomst": "hoog", "reden_afwijking": "", "toelichting": "Moeder drinkt elke avond."}
    del data["wonen"]
    r = client.post(url, data=data)
    tekst = r.get_data(as_text=True)
    assert r.status_code == 200 and "Beantwoord deze vraag." in tekst  # the missing question, at its fieldset
    assert re.search(r'id="wonen-fout"', tekst)
    data["wonen"] = "nee"
    tekst = client.post(url, data=data).get_data(as_text=True)
    assert "De berekende uitkomst is laag. U kiest hoog: schrijf op waarom." in tekst
    assert 'id="reden_afwijking-fout"' in tekst
    # What was filled in stays: the chosen answers and the toelichting.
    assert re.search(r'<input[^>]*checked[^>]*id="middelen-2"|<input[^>]*id="middelen-2"[^>]*checked', tekst)
    assert "Moeder drinkt elke avond." in tekst
    db.expire_all()
    assert db.scalar(select(Taxatie).where(Taxatie.zaak_id == zaak.id)) is None


def test_meldcode_steps_through_the_forms(client, demo, db, diensten):
    zaak = _regie_zaak(demo, diensten)
    medewerker_inloggen(client, "regieteam")
    basis = f"/backoffice/zaken/{zaak.id}/meldcode"
    # Melden straight away is refused, and says why; the input stays.
    data = {"csrf_token": csrf_token(client, f"{basis}/5"), "datum": _vandaag(), "besluit": "melden",
            "veilig_thuis_datum": _vandaag(), "veilig_thuis_contact": "Els", "toelichting": "Direct melden."}
    tekst = client.post(f"{basis}/5", data=data).get_data(as_text=True)
    assert "U kunt pas melden bij Veilig Thuis als stap 1 tot en met 4 zijn gezet" in tekst
    assert "Direct melden." in tekst
    for stap, extra in ((1, {}), (2, {"veilig_thuis_geraadpleegd": "y"}), (3, {})):
        r = client.post(f"{basis}/{stap}", data={"csrf_token": csrf_token(client, f"{basis}/{stap}"),
                                                 "datum": _vandaag(), "toelichting": f"Stap {stap}.", **extra})
        assert r.status_code == 302, r.get_data(as_text=True)
    # A step in the future: the error at the date, the text kept.
    tekst = client.post(f"{basis}/4", data={"csrf_token": csrf_token(client, f"{basis}/4"), "datum": "2999-01-01",
                                            "vermoeden": "ja", "onveilig": "ja",
                                            "toelichting": "Acuut onveilig."}).get_data(as_text=True)
    assert 'id="datum-fout"' in tekst and "toekomst" in tekst and "Acuut onveilig." in tekst
    r = client.post(f"{basis}/4", data={"csrf_token": csrf_token(client, f"{basis}/4"), "datum": _vandaag(),
                                        "vermoeden": "ja", "onveilig": "ja", "toelichting": "Acuut onveilig."},
                    follow_redirects=True)
    assert "Volgens het afwegingskader is melden bij Veilig Thuis nodig." in r.get_data(as_text=True)
    formulier = client.get(f"{basis}/5").get_data(as_text=True)
    assert "Alleen hulp organiseren kan daarom niet." in formulier
    data = {"csrf_token": csrf_token(client, f"{basis}/5"), "datum": _vandaag(), "besluit": "hulp",
            "toelichting": "Hulp via het wijkteam."}
    tekst = client.post(f"{basis}/5", data=data).get_data(as_text=True)
    assert 'id="besluit-fout"' in tekst
    data.update(besluit="beide", veilig_thuis_datum=_vandaag(), veilig_thuis_contact="Els de Vries")
    r = client.post(f"{basis}/5", data=data, follow_redirects=True)
    tekst = r.get_data(as_text=True)
    assert "De melding bij Veilig Thuis is vastgelegd" in tekst
    assert "gesproken met Els de Vries" in tekst
    db.expire_all()
    assert [s.stap for s in db.scalars(select(MeldcodeStap).where(MeldcodeStap.zaak_id == zaak.id)
                                       .order_by(MeldcodeStap.stap))] == [1, 2, 3, 4, 5]


def test_another_team_gets_a_404(client, demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    medewerker_inloggen(client, "jeugd")
    for url in (f"/backoffice/zaken/{zaak.id}/arij", f"/backoffice/zaken/{zaak.id}/arij/veiligheid/nieuw",
                f"/backoffice/zaken/{zaak.id}/meldcode/1"):
        assert client.get(url).status_code == 404, url
    token = csrf_token(client, "/backoffice/werkvoorraad")
    assert client.post(f"/backoffice/zaken/{zaak.id}/meldcode/1",
                       data={"csrf_token": token, "datum": _vandaag(), "toelichting": "x"}).status_code == 404
