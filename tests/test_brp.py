"""BRP: the production Haal Centraal client (integrations/brp/haal_centraal.py) against a stand-in that speaks the
Haal Centraal BRP Personen protocol (POST /personen with a query type, fields and an API key), and the copy we keep
(domain/inwoners.py), geslacht included."""
from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from domain.inwoners import uit_brp
from domain.models import Inwoner
from integrations.brp.haal_centraal import HaalCentraalBrp
from integrations.brp.local import LocalBrp


@pytest.fixture
def haal_centraal():
    personen = LocalBrp().alle()
    verzoeken: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            if self.path != "/haalcentraal/api/brp/personen" or self.headers.get("X-API-KEY") != "geheim":
                self.send_response(401)
                self.end_headers()
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            verzoeken.append(body)
            if body["type"] == "RaadpleegMetBurgerservicenummer":
                gevonden = [p for p in personen if p.bsn in body["burgerservicenummer"]]
            else:
                gevonden = [p for p in personen if p.geslachtsnaam.lower() == body["geslachtsnaam"].lower()
                            and p.geboortedatum.isoformat() == body["geboortedatum"]]
            antwoord = json.dumps({"type": body["type"], "personen": [p.to_haal_centraal() for p in gevonden]})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(antwoord.encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/haalcentraal/api/brp", verzoeken
    server.shutdown()


def test_the_haal_centraal_client_finds_a_person_by_bsn_and_by_name(haal_centraal):
    url, verzoeken = haal_centraal
    brp = HaalCentraalBrp(url, "geheim")
    anna = brp.zoek_bsn("999990056")
    assert anna == LocalBrp().zoek_bsn("999990056")  # every field made the round trip
    assert (anna.naam, anna.gemeentecode, anna.geslacht) == ("Anna Visser", "0613", "V")
    assert "geslacht" in verzoeken[-1]["fields"] and verzoeken[-1]["burgerservicenummer"] == ["999990056"]
    assert brp.zoek_bsn("999999990") is None
    [jan] = brp.zoek_naam("Smit", LocalBrp().zoek_bsn("999990093").geboortedatum)
    assert jan.bsn == "999990093" and jan.geslacht == "M"
    assert brp.zoek_naam("Smit", dt.date(1900, 1, 1)) == []


def test_a_wrong_api_key_is_an_error_not_an_empty_answer(haal_centraal):
    url, _ = haal_centraal
    with pytest.raises(Exception, match="401"):
        HaalCentraalBrp(url, "fout").zoek_bsn("999990056")


def test_our_copy_keeps_the_geslacht(demo):
    db = demo
    inwoner = uit_brp(db, LocalBrp().zoek_bsn("999990135"))
    db.flush()
    assert db.scalar(select(Inwoner.geslacht).where(Inwoner.id == inwoner.id)) == "V"


def test_the_haal_centraal_client_asks_gezag_only_when_it_needs_it(haal_centraal):
    url, verzoeken = haal_centraal
    brp = HaalCentraalBrp(url, "geheim")
    assert brp.minderjarigen_onder_gezag("999990147") == ["999990159"]  # Esther Koster: gezag over Noor
    assert "gezag" in verzoeken[-1]["fields"] and verzoeken[-1]["burgerservicenummer"] == ["999990147"]
    assert brp.minderjarigen_onder_gezag("999990160") == []  # Noor's father holds no gezag
    assert brp.minderjarigen_onder_gezag("999999990") == []  # unknown person
    brp.zoek_bsn("999990147")
    assert "gezag" not in verzoeken[-1]["fields"]  # a plain lookup does not ask for family relations
