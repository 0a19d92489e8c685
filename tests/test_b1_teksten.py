"""Issue 14 item 8: what the inwoner reads is B1 — the timeline's steps are sentences, not the staff's status
names; a bericht that asked her to do something says "Gedaan" once it is done."""
from __future__ import annotations

import re
from html import unescape

from tests.helpers import digid_inloggen
from tests.test_leesmodel_http import JAN, _onderteken, _portaal, _zaak

TER_TOETSING = "999990044"  # demo: a beschikking with the toetser


def _kaart(html: str, onderwerp: str) -> str:
    kaarten = [k for k in re.findall(r'<li class="kt-card">(.*?)</li>', html, re.DOTALL) if onderwerp in k]
    assert kaarten, onderwerp
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", kaarten[-1])).split())


def test_the_timeline_reads_as_sentences(client, demo, standin, db):
    zaak = _zaak(db, TER_TOETSING)
    digid_inloggen(client, bsn=TER_TOETSING)
    stappen = _portaal(client.get(f"/zaken/{zaak.id}").get_data(as_text=True))
    tekst = " | ".join(stappen)
    assert any(s.startswith("Een tweede medewerker controleert het besluit: hier bent u nu") for s in stappen), tekst
    assert stappen[0].startswith("We hebben uw melding ontvangen: klaar op"), tekst
    for staftaal in ("Ter toetsing", "Voorziening geleverd", "Voorziening besteld", "Besluit verzonden"):
        assert staftaal not in tekst


def test_a_task_bericht_says_done_once_done(client, demo, standin, db):
    zaak = _zaak(db, JAN)
    digid_inloggen(client, bsn=JAN, niveau="substantieel")
    kaart = _kaart(client.get("/berichten").get_data(as_text=True), "Lees en onderteken het verslag")
    assert "Nog doen" in kaart and "Gedaan" not in kaart
    bevestiging = _kaart(client.get("/berichten").get_data(as_text=True), "We hebben uw melding ontvangen")
    assert "Nog doen" not in bevestiging and "Gedaan" not in bevestiging  # it asked for nothing
    url = f"/zaken/{zaak.id}/ondertekenen"
    sha = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', client.get(url).get_data(as_text=True)).group(1)
    assert "U heeft het verslag ondertekend" in _onderteken(client, url, sha256=sha)
    kaart = _kaart(client.get("/berichten").get_data(as_text=True), "Lees en onderteken het verslag")
    assert "Gedaan" in kaart and "U hoeft hier niets meer voor te doen." in kaart and "Nog doen" not in kaart
