"""What the inwoner sees, over HTTP: the portal and the backoffice panel "Wat de inwoner ziet" show the same
timeline; an afwijzing announces no delivery; after a beslissing op bezwaar the portal offers beroep at the
rechtbank and no second bezwaar; signing the verslag is bound to the version shown."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from app.diensten import diensten_uit
from domain.bezwaren import dien_bezwaar_in
from domain.deadlines import bereken
from domain.models import Actie, Bezwaarschrift, Inwoner, Ondertekening, Zaak
from domain.teksten import datum_nl
from domain.workflow import voer_uit
from domain.zaken import sla_besluit_op
from tests.helpers import csrf_token, digid_inloggen, horen_achterwege, medewerker_inloggen
from tests.test_wmo_proces import _tot_aanvraag, inwoner_actor, medewerker

ANNA = "999990056"  # demo: a self-signed toekenning at "besluit"
JAN = "999990093"  # demo: verslag ter ondertekening
# every demo stage: melding, in onderzoek, verslag ter ondertekening, ter toetsing, besluit, delivered and stopped
DEMO_INWONERS = ("999990007", "999990081", JAN, "999990044", ANNA, "999990068")


@pytest.fixture
def diensten(settings):
    return diensten_uit(settings)


def _zaak(db, bsn, zaaktype="wmo"):
    db.expire_all()
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn, Zaak.zaaktype == zaaktype)
                     .order_by(Zaak.id.desc()))


def _stappen(html: str, label: str) -> list[str]:
    """The texts of the timeline list with this accessible name, as a reader sees them."""
    lijst = re.search(rf'<ol class="kt-timeline" aria-label="{label}">(.*?)</ol>', html, re.DOTALL)
    assert lijst, f"no timeline '{label}'"
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", li)).split()) for li in re.findall(r"<li[^>]*>(.*?)</li>",
                                                                                         lijst.group(1), re.DOTALL)]


def _portaal(html: str) -> list[str]:
    return _stappen(html, "Stappen van uw aanvraag")


def _backoffice(html: str) -> list[str]:
    return _stappen(html, "Stappen zoals de inwoner ze ziet")


def test_portal_and_backoffice_show_the_same_timeline(app, demo, standin, db):
    zaken = {bsn: _zaak(db, bsn) for bsn in DEMO_INWONERS}
    portaal = {}
    for bsn, zaak in zaken.items():
        inwoner = app.test_client()
        digid_inloggen(inwoner, bsn=bsn)
        portaal[bsn] = inwoner.get(f"/zaken/{zaak.id}").get_data(as_text=True)
    medewerker_ = app.test_client()
    medewerker_inloggen(medewerker_, "wmo")
    for bsn, zaak in zaken.items():
        backoffice = medewerker_.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
        assert "Wat de inwoner ziet" in backoffice
        assert _portaal(portaal[bsn]) == _backoffice(backoffice), bsn
        assert len(_portaal(portaal[bsn])) >= 5
    # the panel says what the inwoner must do, in the same words as the portal
    jan = medewerker_.get(f"/backoffice/zaken/{zaken[JAN].id}").get_data(as_text=True)
    actie = "Lees het verslag van uw gesprek en onderteken het. Dan is uw aanvraag compleet."
    assert actie in portaal[JAN] and actie in jan and "Verslag lezen en ondertekenen" in jan


def test_after_an_afwijzing_nothing_is_ordered_or_announced(client, demo, standin, db, diensten):
    zaak = _tot_aanvraag(db, diensten)  # Cor (999990007), aanvraag signed
    wmo = medewerker(db, "wmo")
    sla_besluit_op(db, wmo, zaak, besluittype="afwijzing", onderbouwing="Voorliggende voorziening: de regiotaxi.",
                   wettelijke_grondslag="", voorzieningen=[])
    voer_uit(db, wmo, zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)
    voer_uit(db, medewerker(db, "toetser"), zaak, "goedkeuren", verwachte_versie=zaak.versie, diensten=diensten)
    digid_inloggen(client, bsn="999990007")
    stappen = _portaal(client.get(f"/zaken/{zaak.id}").get_data(as_text=True))
    assert stappen[-1].startswith("U krijgt het besluit (de beschikking): hier bent u nu")
    assert not [s for s in stappen if s.startswith("Voorziening")]
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/mijn-zaken")})
    medewerker_inloggen(client, "administratie")
    assert zaak.identificatie not in client.get("/backoffice/acties").get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Actie).where(Actie.zaak_id == zaak.id,
                                                                  Actie.soort == "bestellen")) == 0


def test_after_the_beslissing_op_bezwaar_the_portal_offers_beroep_not_bezwaar(client, demo, standin, db, diensten):
    hoofdzaak = _zaak(db, ANNA)
    bezwaar = dien_bezwaar_in(db, inwoner_actor(db, ANNA), hoofdzaak, gronden="Twee uur is te weinig.",
                              contact_hoorzitting="", diensten=diensten)
    jur = medewerker(db, "juridisch")
    voer_uit(db, jur, bezwaar, "in_behandeling_nemen", verwachte_versie=None, diensten=diensten)
    horen_achterwege(db, jur, bezwaar, diensten)
    voer_uit(db, jur, bezwaar, "beslissen", verwachte_versie=None, diensten=diensten,
             gegevens={"uitkomst": "ongegrond", "motivering": "Twee uur is genoeg voor dit huis."})
    beslist_op = db.scalar(select(Bezwaarschrift.beslist_op).where(Bezwaarschrift.zaak_id == bezwaar.id))
    uiterlijk = bereken("bezwaartermijn", beslist_op).einddatum  # 6 weeks after sending (Awb 6:7, 6:8)

    digid_inloggen(client, bsn=ANNA)
    html = " ".join(client.get(f"/zaken/{bezwaar.id}").get_data(as_text=True).split())
    assert "beroep instellen bij de rechtbank" in html
    assert f"Dat kan tot en met <strong>{datum_nl(uiterlijk)}</strong>" in html
    assert "Rechtbank Rotterdam" in html and "artikel 8:1" in html
    assert f"/zaken/{bezwaar.id}/bezwaar" not in html and "Bezwaar maken" not in html
    # the route refuses too, with the reason, and makes nothing
    r = client.get(f"/zaken/{bezwaar.id}/bezwaar", follow_redirects=True)
    assert "Tegen een beslissing op bezwaar kunt u geen bezwaar maken" in r.get_data(as_text=True)
    r = client.post(f"/zaken/{bezwaar.id}/bezwaar", data={"csrf_token": csrf_token(client, f"/zaken/{bezwaar.id}"),
                                                          "gronden": "Nog een keer."}, follow_redirects=True)
    assert "Tegen een beslissing op bezwaar kunt u geen bezwaar maken" in r.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Zaak).where(Zaak.hoofdzaak_id == bezwaar.id)) == 0
    # the Wmo zaak points to the bezwaar, as before
    html = client.get(f"/zaken/{hoofdzaak.id}").get_data(as_text=True)
    assert "U heeft bezwaar gemaakt." in html and f'href="/zaken/{hoofdzaak.id}/bezwaar"' not in html


def _onderteken(client, url, **velden):
    form = client.get(url).get_data(as_text=True)
    versie = re.search(r'name="versie" type="hidden" value="(\d+)"', form).group(1)
    data = {"csrf_token": csrf_token(client, url), "versie": versie, "akkoord": "y", "opmerking": "Klopt."}
    data.update(velden)
    return client.post(url, data=data, follow_redirects=True).get_data(as_text=True)


def test_signing_is_bound_to_the_version_shown_or_refused(client, demo, standin, db):
    zaak = _zaak(db, JAN)
    digid_inloggen(client, bsn=JAN, niveau="substantieel")
    url = f"/zaken/{zaak.id}/ondertekenen"
    sha = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', client.get(url).get_data(as_text=True)).group(1)

    def niets_ondertekend():
        assert _zaak(db, JAN).status == "verslag_ter_ondertekening"
        assert db.scalar(select(func.count()).select_from(Ondertekening).where(Ondertekening.inwoner_id == zaak.inwoner_id)) == 0

    zonder = _onderteken(client, url)  # a form that sends no sha256
    assert "We weten niet welke versie van het verslag u heeft gelezen. Er is niets ondertekend." in zonder
    niets_ondertekend()
    verkeerd = _onderteken(client, url, sha256="0" * 64)
    assert "Het verslag is veranderd sinds u het opende" in verkeerd
    niets_ondertekend()
    goed = _onderteken(client, url, sha256=sha)
    assert "U heeft het verslag ondertekend" in goed
    zaak = _zaak(db, JAN)
    assert zaak.status == "aanvraag"
    [handtekening] = db.scalars(select(Ondertekening).where(Ondertekening.inwoner_id == zaak.inwoner_id)).all()
    assert handtekening.sha256 == sha and handtekening.betrouwbaarheidsniveau == "substantieel"
