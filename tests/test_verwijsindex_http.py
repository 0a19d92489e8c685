"""The Verwijsindex section on the Regie zaak page, through the test client as `regieteam`: the form with the
contact person prefilled, errors at the field with the input kept, the match as an alert with whom to call,
withdrawal with a reason; another team gets a 404 on the views."""
from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import select

from domain.models import VerwijsindexSignaal
from integrations.verwijsindex.local import LokaleVerwijsindex
from tests.helpers import csrf_token, medewerker_inloggen
from tests.test_verwijsindex import DAAN, LIEKE, SANNE, regie_zaak


@pytest.fixture
def vi(tmp_path, monkeypatch):
    """The stand-in the views use (get_verwijsindex), in a file of this test's own."""
    bestand = tmp_path / "verwijsindex.json"
    monkeypatch.delenv("VERWIJSINDEX_API_URL", raising=False)
    monkeypatch.setenv("VERWIJSINDEX_BESTAND", str(bestand))
    return LokaleVerwijsindex(bestand)


def _tekst(response) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def test_signal_shows_the_match_and_withdraw(client, demo, diensten, db, vi):
    zaak = regie_zaak(demo, diensten, LIEKE)
    pagina = f"/backoffice/zaken/{zaak.id}"
    medewerker_inloggen(client, "regieteam")
    html = _tekst(client.get(pagina))
    assert "Verwijsindex" in html and "Aanmelden in de Verwijsindex" in html
    assert 'value="Rachid Regie"' in html  # the contact person prefilled with the consulent

    # Without a phone number: the error at the field, the name kept, nothing sent.
    r = client.post(f"{pagina}/verwijsindex/aanmelden",
                    data={"csrf_token": csrf_token(client, pagina), "contactpersoon": "R. Regie", "telefoon": ""})
    assert r.status_code == 422
    html = _tekst(r)
    assert 'id="telefoon-fout"' in html and "Vul het telefoonnummer van de contactpersoon in." in html
    assert 'value="R. Regie"' in html and vi.ontvangen() == []

    r = client.post(f"{pagina}/verwijsindex/aanmelden", follow_redirects=True,
                    data={"csrf_token": csrf_token(client, pagina), "contactpersoon": "Rachid Regie",
                          "telefoon": "14 0180"})
    html = _tekst(r)
    assert "Lieke Meijer is aangemeld in de Verwijsindex, tot" in html and "Er is 1 match" in html
    assert "Ook gemeld door: GGD Rotterdam-Rijnmond, Jeugdgezondheidszorg." in html
    assert "Ingrid Verbeek (jeugdverpleegkundige)" in html and "010 433 98 70" in html
    assert "Actief tot" in html and "Aanmelden in de Verwijsindex" not in html

    # Withdraw: a reason is needed.
    r = client.post(f"{pagina}/verwijsindex/intrekken", data={"csrf_token": csrf_token(client, pagina), "reden": ""})
    assert r.status_code == 422 and "Schrijf op waarom u de aanmelding intrekt." in _tekst(r)
    r = client.post(f"{pagina}/verwijsindex/intrekken", follow_redirects=True,
                    data={"csrf_token": csrf_token(client, pagina), "reden": "De zorgen zijn weg."})
    html = _tekst(r)
    assert "De aanmelding van Lieke Meijer in de Verwijsindex is ingetrokken." in html
    assert "ingetrokken op" in html and "Aanmelden in de Verwijsindex" in html
    db.expire_all()
    signaal = db.scalar(select(VerwijsindexSignaal).where(VerwijsindexSignaal.zaak_id == zaak.id))
    assert signaal.intrekreden == "De zorgen zijn weg." and [s["ingetrokken_op"] is not None
                                                             for s in vi.ontvangen()] == [True]


def test_no_match_and_an_adult_is_refused(client, demo, diensten, vi):
    daan = regie_zaak(demo, diensten, DAAN)
    sanne = regie_zaak(demo, diensten, SANNE)
    medewerker_inloggen(client, "regieteam")
    pagina = f"/backoffice/zaken/{daan.id}"
    html = _tekst(client.post(f"{pagina}/verwijsindex/aanmelden", follow_redirects=True, data={
        "csrf_token": csrf_token(client, pagina), "contactpersoon": "Rachid Regie", "telefoon": "14 0180"}))
    assert "Nog geen andere organisatie heeft deze jongere gemeld." in html and "Ook gemeld door" not in html

    pagina = f"/backoffice/zaken/{sanne.id}"
    html = _tekst(client.get(pagina))
    assert "alleen voor jongeren tot 23 jaar" in html and "Aanmelden in de Verwijsindex" not in html
    r = client.post(f"{pagina}/verwijsindex/aanmelden", data={
        "csrf_token": csrf_token(client, pagina), "contactpersoon": "Rachid Regie", "telefoon": "14 0180"})
    assert r.status_code == 422 and "alleen voor jongeren tot 23 jaar" in _tekst(r)
    assert len(vi.ontvangen()) == 1


def test_another_team_gets_a_404(client, demo, diensten, vi):
    zaak = regie_zaak(demo, diensten, LIEKE)
    medewerker_inloggen(client, "jeugd")
    token = csrf_token(client, "/backoffice/meldingen")
    for actie, data in (("aanmelden", {"contactpersoon": "J", "telefoon": "1"}), ("intrekken", {"reden": "x"})):
        r = client.post(f"/backoffice/zaken/{zaak.id}/verwijsindex/{actie}", data={"csrf_token": token, **data})
        assert r.status_code == 404, actie
    assert vi.ontvangen() == []


def test_without_csrf_the_post_is_refused(client, demo, diensten, vi):
    zaak = regie_zaak(demo, diensten, LIEKE)
    medewerker_inloggen(client, "regieteam")
    r = client.post(f"/backoffice/zaken/{zaak.id}/verwijsindex/aanmelden",
                    data={"contactpersoon": "Rachid Regie", "telefoon": "14 0180"})
    assert r.status_code == 400 and vi.ontvangen() == []
