"""A gemeente's variant of a zaaktype: versions edited by beheer, in force for new zaken only."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from domain.configuratie import ConfiguratieFout, leg_vast, valideer, variant_op, variant_van
from domain.models import AuditLog, Gemeente, ZaaktypeConfiguratie
from domain.tijd import vandaag
from domain.workflow import voer_uit
from tests.helpers import csrf_token, medewerker_inloggen
from tests.test_wmo_proces import _toekenning, _tot_aanvraag, medewerker


def _gemeente(db, code="0489") -> Gemeente:
    return db.scalar(select(Gemeente).where(Gemeente.code == code))


def _beschikking_indienen(db, diensten, zaak):
    _toekenning(db, zaak, uren=1)  # 1,690 euro a year: self-signed by default
    db.refresh(zaak)
    voer_uit(db, medewerker(db, "wmo"), zaak, "beschikking_indienen", verwachte_versie=zaak.versie, diensten=diensten)


def test_invalid_choices_are_refused_per_field(demo):
    with pytest.raises(ConfiguratieFout) as fout:
        valideer(demo, "wmo", {"toetsing_kosten_boven": "veel", "toetsing_team": "bestaat-niet", "team": ""})
    assert set(fout.value.fouten) == {"toetsing_kosten_boven", "toetsing_team"}
    assert "hele euro" in fout.value.fouten["toetsing_kosten_boven"]
    with pytest.raises(ConfiguratieFout) as fout:
        leg_vast(demo, medewerker(demo, "beheer"), _gemeente(demo), "wmo", {"toetsing_kosten_boven": "-5",
                 "toetsing_team": "kwaliteit"}, begindatum=vandaag() - dt.timedelta(days=1), toelichting="",
                 vandaag=vandaag())
    assert set(fout.value.fouten) == {"toetsing_kosten_boven", "begindatum", "toelichting"}
    from domain import authz

    with pytest.raises(authz.Geweigerd):
        leg_vast(demo, medewerker(demo, "wmo"), _gemeente(demo), "wmo", {"toetsing_team": "kwaliteit"},
                 begindatum=vandaag(), toelichting="x", vandaag=vandaag())


def test_a_running_zaak_keeps_its_version_and_a_new_zaak_gets_the_new_one(demo, diensten):
    db = demo
    oud = _tot_aanvraag(db, diensten)
    assert variant_van(db, oud)["toetsing_altijd"] is False
    rij = leg_vast(db, medewerker(db, "beheer"), _gemeente(db), "wmo",
                   {"toetsing_altijd": True, "toetsing_afwijzing": True, "toetsing_kosten_boven": "5.000",
                    "toetsing_team": "kwaliteit", "brief_extra_alinea": variant_op(db, _gemeente(db).id, "wmo", vandaag())["brief_extra_alinea"]},
                   begindatum=vandaag(), toelichting="Vier ogen op elke beschikking", vandaag=vandaag())
    nieuw = _tot_aanvraag(db, diensten)
    assert nieuw.configuratie_id == rij.id and oud.configuratie_id != rij.id
    _beschikking_indienen(db, diensten, oud)
    _beschikking_indienen(db, diensten, nieuw)
    assert oud.status == "besluit"  # its rules: self-signed under the cost level
    assert nieuw.status == "ter_toetsing"  # the new rules: every beschikking to a toetser
    regel = db.scalar(select(AuditLog).where(AuditLog.object_type == "zaaktypeconfiguratie"))
    assert "Elke beschikking laten toetsen: nee -> ja" in regel.omschrijving and regel.actor_naam == "Bea Beheer"


def test_demo_gemeenten_differ_in_their_variants(demo):
    db = demo
    b, r, a = (variant_op(db, _gemeente(db, c).id, z, vandaag()) for c, z in (("0489", "wmo"), ("0597", "bezwaar"), ("0613", "wmo")))
    assert "Wmo-loket" in b["brief_extra_alinea"] and b["toetsing_kosten_boven"] == 500_000
    assert r["adviescommissie"] is True and variant_op(db, _gemeente(db).id, "bezwaar", vandaag())["adviescommissie"] is False
    assert a["toetsing_kosten_boven"] == 400_000


def test_beheer_edits_a_variant_in_the_backoffice(client, demo, db):
    gemeente = _gemeente(db, "0613")
    medewerker_inloggen(client, "beheer")
    overzicht = client.get("/backoffice/beheer/zaaktypen").get_data(as_text=True)
    assert "Albrandswaard" in overzicht and "€ 4.000" in overzicht
    url = f"/backoffice/beheer/zaaktypen/{gemeente.id}/wmo"
    pagina = client.get(url).get_data(as_text=True)
    assert 'value="4.000"' in pagina
    morgen = (vandaag() + dt.timedelta(days=1)).isoformat()
    fout = client.post(url, data={"csrf_token": csrf_token(client, url), "toetsing_kosten_boven": "vier",
                                  "toetsing_team": "kwaliteit", "begindatum": morgen, "toelichting": "Lagere grens"})
    html = fout.get_data(as_text=True)
    assert fout.status_code == 200 and "Vul een bedrag in hele euro" in html and 'value="vier"' in html
    assert db.scalar(select(ZaaktypeConfiguratie).where(ZaaktypeConfiguratie.versie == 2,
                                                        ZaaktypeConfiguratie.gemeente_id == gemeente.id)) is None
    goed = client.post(url, data={"csrf_token": csrf_token(client, url), "toetsing_kosten_boven": "2.500",
                                  "toetsing_afwijzing": "y", "wijziging_binnen_beschikking_automatisch": "y",
                                  "toetsing_team": "kwaliteit", "begindatum": morgen,
                                  "toelichting": "Lagere grens"}, follow_redirects=True)
    assert "Versie 2" in goed.get_data(as_text=True)
    rij = db.scalar(select(ZaaktypeConfiguratie).where(ZaaktypeConfiguratie.versie == 2,
                                                       ZaaktypeConfiguratie.gemeente_id == gemeente.id))
    assert rij.waarden == {"toetsing_kosten_boven": 250_000} and rij.begindatum == vandaag() + dt.timedelta(days=1)
    assert variant_op(db, gemeente.id, "wmo", vandaag())["toetsing_kosten_boven"] == 400_000  # not yet today
    # Without the beheer role the page does not open; CSRF is required.
    assert client.post(url, data={"toetsing_team": "kwaliteit"}).status_code == 400
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})
    medewerker_inloggen(client, "wmo")
    assert client.get(url).status_code == 403
