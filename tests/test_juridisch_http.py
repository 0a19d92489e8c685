"""Juridische zaken and the bezwaar as users meet them (issue 14, item 14): the juridisch werkvoorraad holds the
bezwaren (the zaaktypen its team handles), its status filter offers their statuses; the bezwaar's grounds are
headed as the zaaktype says; Mijn zaken says what the bezwaar is against."""
from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from app.diensten import diensten_uit
from domain.bezwaren import dien_bezwaar_in
from domain.models import Inwoner, Zaak
from domain.processes import zaaktype_van
from tests.helpers import digid_inloggen, medewerker_inloggen
from tests.test_wmo_proces import inwoner_actor

ANNA = "999990056"  # demo: a Wmo zaak with a signed besluit granting Hulp bij het huishouden


@pytest.fixture
def bezwaar(demo, settings) -> Zaak:
    db = demo
    hoofdzaak = db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == ANNA, Zaak.zaaktype == "wmo"))
    return dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Twee uur is te weinig voor mijn huis.",
                           contact_hoorzitting="06-12345678", diensten=diensten_uit(settings))


def _opties(pagina: str) -> list[str]:
    select_ = re.search(r'<select[^>]*id="status".*?</select>', pagina, re.DOTALL)[0]
    return [w for w in re.findall(r'<option value="([^"]*)"', select_) if w]


def test_juridisch_werkvoorraad_holds_the_bezwaren_and_filters_on_their_statuses(bezwaar, db, client):
    hoofdzaak = db.get(Zaak, bezwaar.hoofdzaak_id)
    medewerker_inloggen(client, "juridisch")
    pagina = client.get("/backoffice/werkvoorraad").get_data(as_text=True)
    rijen = re.findall(r'href="/backoffice/zaken/(\d+)"', pagina)
    assert str(bezwaar.id) in rijen
    assert {db.get(Zaak, int(i)).zaaktype for i in rijen} == {"bezwaar"}  # no Wmo zaak beside the bezwaren
    assert f'href="/backoffice/zaken/{hoofdzaak.id}"' not in pagina
    open_statussen = [s.code for s in zaaktype_van("bezwaar").statussen if not s.eind]
    assert _opties(pagina) == open_statussen  # the bezwaar's statuses, in its order, and no Wmo status
    gefilterd = client.get(f"/backoffice/werkvoorraad?status={bezwaar.status}").get_data(as_text=True)
    assert f'href="/backoffice/zaken/{bezwaar.id}"' in gefilterd
    leeg = client.get("/backoffice/werkvoorraad?status=beslist").get_data(as_text=True)
    assert f'href="/backoffice/zaken/{bezwaar.id}"' not in leeg


def test_a_consulents_werkvoorraad_keeps_its_own_zaaktypen_and_statuses(bezwaar, client):
    medewerker_inloggen(client, "wmo")
    pagina = client.get("/backoffice/werkvoorraad").get_data(as_text=True)
    assert _opties(pagina) == [s.code for s in zaaktype_van("wmo").statussen if not s.eind]
    assert f'href="/backoffice/zaken/{bezwaar.id}"' not in pagina


def test_the_bezwaar_page_heads_the_grounds_as_its_zaaktype_says(bezwaar, client):
    medewerker_inloggen(client, "juridisch")
    pagina = client.get(f"/backoffice/zaken/{bezwaar.id}").get_data(as_text=True)
    assert re.search(r"<h3[^>]*>Gronden van het bezwaar</h3>\s*<p[^>]*>Twee uur is te weinig", pagina)
    assert ">Hulpvraag</h3>" not in pagina
    wmo = client.get(f"/backoffice/zaken/{bezwaar.hoofdzaak_id}").get_data(as_text=True)
    assert ">Hulpvraag</h3>" in wmo  # the default of every other zaaktype


def test_mijn_zaken_says_what_the_bezwaar_is_against(bezwaar, db, client, standin):
    hoofdzaak = db.get(Zaak, bezwaar.hoofdzaak_id)
    titel = f"Bezwaar tegen het besluit over Hulp bij het huishouden ({hoofdzaak.identificatie})"
    digid_inloggen(client, bsn=ANNA)
    kaarten = [html_lib.unescape(t) for t in re.findall(
        r'<a class="utrecht-link" href="/zaken/\d+">([^<]+)</a>', client.get("/mijn-zaken").get_data(as_text=True))]
    assert titel in kaarten and zaaktype_van("wmo").naam in kaarten
    medewerker_client = client.application.test_client()
    medewerker_inloggen(medewerker_client, "juridisch")
    zaakpagina = medewerker_client.get(f"/backoffice/zaken/{bezwaar.id}").get_data(as_text=True)
    assert titel in html_lib.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", zaakpagina, re.DOTALL)[1])  # the same words
