"""Zaakeigenschappen (typed facts that open a branch) and linked zaken (a melding for another team), through the
domain and through the backoffice as a consulent meets them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from domain import authz
from domain.eigenschappen import EigenschapFout, leg_vast, waarden
from domain.models import AuditLog, Zaak, ZaakRelatie
from domain.processes import zaaktype_van
from domain.relaties import gekoppelde_zaken, voor_inwoner
from domain.workflow import Conflict, OvergangFout, beschikbare_overgangen, voer_uit
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen
from tests.test_jeugd_proces import OUDER, _onderzocht
from tests.test_wmo_proces import inwoner_actor, medewerker

JEUGD = zaaktype_van("jeugd")
TAKKEN = {"jeugdwet_van_toepassing", "jeugdwet_niet_van_toepassing", "andere_zorg"}


def _takken(db, zaak) -> set[str]:
    return {o.code for o in beschikbare_overgangen(JEUGD, medewerker(db, "jeugd"), zaak)} & TAKKEN


def test_the_eigenschap_decides_which_branch_is_offered_and_guards_it(demo, diensten):
    db = demo
    zaak = _onderzocht(db, diensten)
    jeugd = medewerker(db, "jeugd")
    assert _takken(db, zaak) == set()  # not judged yet: no branch offered
    with pytest.raises(OvergangFout):  # and firing one anyway is refused
        voer_uit(db, jeugd, zaak, "jeugdwet_van_toepassing", verwachte_versie=zaak.versie, diensten=diensten)
    db.rollback()
    for waarde, tak in (("ja", "jeugdwet_van_toepassing"), ("nee", "jeugdwet_niet_van_toepassing"),
                        ("andere_zorg", "andere_zorg")):
        leg_vast(db, jeugd, zaak, {"jeugdwet_van_toepassing": waarde}, verwachte_versie=zaak.versie)
        assert _takken(db, zaak) == {tak}
    assert waarden(db, zaak) == {"jeugdwet_van_toepassing": "andere_zorg"}
    # Every change is in the protocol with old and new value, in words.
    omschrijvingen = db.scalars(select(AuditLog.omschrijving).where(AuditLog.object_type == "zaak",
                                                                    AuditLog.object_id == str(zaak.id))).all()
    assert any("Jeugdwet van toepassing?: Nee -> Nee, andere zorg binnen de gemeente" in o for o in omschrijvingen)


def test_eigenschap_input_is_checked_and_versioned(demo, diensten):
    db = demo
    zaak = _onderzocht(db, diensten)
    jeugd = medewerker(db, "jeugd")
    with pytest.raises(EigenschapFout) as fout:
        leg_vast(db, jeugd, zaak, {"jeugdwet_van_toepassing": "misschien", "verwijzing_arts": "wellicht"},
                 verwachte_versie=zaak.versie)
    assert fout.value.fouten == {"jeugdwet_van_toepassing": "Kies een van de mogelijkheden.",
                                 "verwijzing_arts": "Kies ja of nee."}
    assert waarden(db, zaak) == {}
    oud = zaak.versie
    leg_vast(db, jeugd, zaak, {"verwijzing_arts": "ja"}, verwachte_versie=oud)
    assert waarden(db, zaak) == {"verwijzing_arts": True} and zaak.versie == oud + 1  # a change is a new version
    with pytest.raises(Conflict):  # a colleague who looked before the change
        leg_vast(db, jeugd, zaak, {"verwijzing_arts": "nee"}, verwachte_versie=oud)
    leg_vast(db, jeugd, zaak, {"verwijzing_arts": ""}, verwachte_versie=zaak.versie)  # back to "not yet known"
    assert waarden(db, zaak) == {}
    with pytest.raises(authz.Geweigerd):  # only a consulent of the zaak's team
        leg_vast(db, medewerker(db, "wmo"), zaak, {"verwijzing_arts": "ja"}, verwachte_versie=zaak.versie)
    with pytest.raises(authz.Geweigerd):
        leg_vast(db, inwoner_actor(db, OUDER), zaak, {"verwijzing_arts": "ja"}, verwachte_versie=zaak.versie)


def test_other_care_hands_over_to_a_linked_melding_for_the_other_team(demo, diensten):
    db = demo
    zaak = _onderzocht(db, diensten)
    jeugd = medewerker(db, "jeugd")
    leg_vast(db, jeugd, zaak, {"jeugdwet_van_toepassing": "andere_zorg"}, verwachte_versie=zaak.versie)
    with pytest.raises(OvergangFout):  # a hand-over needs a hulpvraag for the other team
        voer_uit(db, jeugd, zaak, "andere_zorg", verwachte_versie=zaak.versie, diensten=diensten,
                 gegevens={"zaaktype": "wmo", "reden": " "})
    db.rollback()
    ctx = voer_uit(db, jeugd, zaak, "andere_zorg", verwachte_versie=zaak.versie, diensten=diensten,
                   gegevens={"zaaktype": "wmo", "reden": "Moeder heeft hulp in het huishouden nodig."})
    nieuw = ctx.resultaat["gekoppelde_zaak"]
    assert zaak.status == "afgesloten"
    assert nieuw.zaaktype == "wmo" and nieuw.team.code == "wmo" and nieuw.inwoner_id == zaak.inwoner_id
    assert nieuw.hulpvraag == "Moeder heeft hulp in het huishouden nodig."
    assert [(k.label, k.zaak.id) for k in gekoppelde_zaken(db, zaak)] == [("Melding voor een ander team", nieuw.id)]
    assert [(k.label, k.zaak.id) for k in gekoppelde_zaken(db, nieuw)] == [("Gemeld vanuit", zaak.id)]
    # The inwoner sees both zaken, so the link too.
    assert [k.zaak.id for k in voor_inwoner(db, inwoner_actor(db, OUDER), zaak)] == [nieuw.id]


def test_the_portal_shows_the_link_where_the_inwoner_sees_both(client, demo, diensten, standin):
    db = demo
    zaak = _onderzocht(db, diensten)
    jeugd = medewerker(db, "jeugd")
    leg_vast(db, jeugd, zaak, {"jeugdwet_van_toepassing": "andere_zorg"}, verwachte_versie=zaak.versie)
    nieuw = voer_uit(db, jeugd, zaak, "andere_zorg", verwachte_versie=zaak.versie, diensten=diensten,
                     gegevens={"zaaktype": "wmo", "reden": "Hulp in het huishouden."}).resultaat["gekoppelde_zaak"]
    zaak_id, nieuw_id, nummer = zaak.id, nieuw.id, nieuw.identificatie
    digid_inloggen(client, OUDER)
    html = client.get(f"/zaken/{zaak_id}").get_data(as_text=True)
    assert "Zaken die hierbij horen" in html and nummer in html and f'href="/zaken/{nieuw_id}"' in html
    assert "Uw vraag gaat naar een ander team" in client.get("/berichten").get_data(as_text=True)


def test_a_bezwaar_shows_as_linked_without_a_second_record(demo, diensten):
    db = demo
    hoofd = _onderzocht(db, diensten)
    bezwaar = Zaak(identificatie="TEST-BZ-1", zaaktype="bezwaar", gemeente_id=hoofd.gemeente_id,
                   inwoner_id=hoofd.inwoner_id, status="ontvangen", startdatum=hoofd.startdatum, hoofdzaak_id=hoofd.id)
    db.add(bezwaar)
    db.flush()
    assert [(k.soort, k.zaak.id) for k in gekoppelde_zaken(db, hoofd)] == [("bezwaar_op_besluit", bezwaar.id)]
    assert [(k.label, k.zaak.id) for k in gekoppelde_zaken(db, bezwaar)] == [("Bezwaar tegen het besluit in", hoofd.id)]
    assert db.scalar(select(ZaakRelatie)) is None


def _pagina(client, zaak_id) -> str:
    return client.get(f"/backoffice/zaken/{zaak_id}").get_data(as_text=True)


def test_backoffice_kenmerken_form_then_branch_then_melding_for_another_team(client, demo, diensten):
    db = demo
    zaak = _onderzocht(db, diensten)
    zaak_id, versie = zaak.id, zaak.versie
    medewerker_inloggen(client, "jeugd")
    html = _pagina(client, zaak_id)
    assert "Kenmerken" in html and "Jeugdwet van toepassing?" in html and "Nog niet bepaald" in html
    assert "Jeugdwet van toepassing: verslag naar de inwoner" not in html
    url = f"/backoffice/zaken/{zaak_id}/kenmerken"
    assert client.post(url, data={"jeugdwet_van_toepassing": "ja", "versie": versie}).status_code == 400  # no CSRF
    fout = client.post(url, data={"csrf_token": csrf_token(client, f"/backoffice/zaken/{zaak_id}"), "versie": versie,
                                  "jeugdwet_van_toepassing": "ja", "verwijzing_arts": "wellicht"})
    assert fout.status_code == 422
    tekst = fout.get_data(as_text=True)
    assert "Kies ja of nee." in tekst and 'aria-invalid="true"' in tekst
    assert '<option selected value="ja">Ja</option>' in tekst  # the other input kept
    goed = client.post(url, data={"csrf_token": csrf_token(client, f"/backoffice/zaken/{zaak_id}"), "versie": versie,
                                  "jeugdwet_van_toepassing": "andere_zorg", "verwijzing_arts": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "De kenmerken zijn opgeslagen." in goed
    assert "Andere zorg: melding voor een ander team" in goed and "Jeugdwet van toepassing: verslag" not in goed
    stap = f"/backoffice/zaken/{zaak_id}/stap/andere_zorg"
    formulier = client.get(stap).get_data(as_text=True)
    assert "Soort melding" in formulier and 'value="wmo"' in formulier and 'value="jeugd"' not in formulier
    db.expire_all()
    klaar = client.post(stap, data={"csrf_token": csrf_token(client, stap), "versie": db.get(Zaak, zaak_id).versie,
                                    "zaaktype": "wmo", "reden": "Moeder heeft hulp in het huishouden nodig."},
                        follow_redirects=True).get_data(as_text=True)
    nieuw = db.scalar(select(Zaak).where(Zaak.zaaktype == "wmo", Zaak.inwoner_id == zaak.inwoner_id)
                      .order_by(Zaak.id.desc()))
    assert f"Melding {nieuw.identificatie} staat in de werkvoorraad van" in klaar
    assert "Gekoppelde zaken" in klaar and nieuw.identificatie in klaar
    # The Wmo consulent sees the link back on the new zaak (and may open the Jeugd zaak only if it is theirs).
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})
    medewerker_inloggen(client, "wmo")
    wmo = _pagina(client, nieuw.id)
    assert "Gemeld vanuit" in wmo and zaak.identificatie in wmo
    assert f'href="/backoffice/zaken/{zaak_id}"' not in wmo


def test_a_consulent_makes_a_melding_for_another_team_from_any_zaak(client, demo, diensten):
    db = demo
    zaak = _onderzocht(db, diensten)
    zaak_id = zaak.id
    medewerker_inloggen(client, "jeugd")
    url = f"/backoffice/zaken/{zaak_id}/melding-ander-team"
    leeg = client.post(url, data={"csrf_token": csrf_token(client, url), "zaaktype": "", "reden": ""})
    assert "Kies waarvoor de melding is." in leeg.get_data(as_text=True)
    klaar = client.post(url, data={"csrf_token": csrf_token(client, url), "zaaktype": "wmo",
                                   "reden": "Vader kan na een operatie de trap niet meer op."},
                        follow_redirects=True).get_data(as_text=True)
    assert "staat in de werkvoorraad van" in klaar
    db.expire_all()
    assert db.get(Zaak, zaak_id).status == "in_onderzoek"  # the own zaak goes on
    rel = db.scalar(select(ZaakRelatie).where(ZaakRelatie.zaak_id == zaak_id))
    assert rel.soort == "melding_ander_team" and db.get(Zaak, rel.andere_zaak_id).team.code == "wmo"
