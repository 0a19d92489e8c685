"""Authorization: one place decides; every role reaches only its own pages; ids in URLs leak nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from domain import authz
from domain.actor import Actor
from domain.models import AuditLog, Inwoner, Zaak
from domain.roles import Rol
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen

WERKVOORRAAD = {"toegang", "wmo", "wmo2", "jeugd", "minima", "sociaalteam", "regieteam", "participatie",
                "klantmanager", "toetser", "administratie", "juridisch", "teamleider"}
PROTOCOL = {"teamleider", "beheer"}
ZOEKEN = {"toegang", "wmo", "wmo2", "jeugd", "minima", "sociaalteam", "regieteam", "participatie", "klantmanager",
          "teamleider"}
ALLE = WERKVOORRAAD | PROTOCOL


@pytest.mark.parametrize("gebruiker", sorted(ALLE))
def test_each_role_reaches_only_its_own_pages(client, demo, gebruiker):
    assert medewerker_inloggen(client, gebruiker).status_code == 302
    start = client.get("/backoffice/", follow_redirects=True)
    assert start.status_code == 200
    werkvoorraad = client.get("/backoffice/werkvoorraad")
    assert werkvoorraad.status_code == (200 if gebruiker in WERKVOORRAAD else 403)
    zoeken = client.get("/backoffice/inwoners/zoeken")
    assert zoeken.status_code == (200 if gebruiker in ZOEKEN else 403)
    protocol = client.get("/backoffice/protocollering")
    assert protocol.status_code == (200 if gebruiker in PROTOCOL else 403)
    menu = start.get_data(as_text=True)
    assert ("Protocollering</a>" in menu) == (gebruiker in PROTOCOL)


def _zaak(db, bsn):
    """The demo zaak of the inwoner with this BSN (the demo makes one per inwoner)."""
    return db.scalar(select(Zaak).join(Inwoner).where(Inwoner.bsn == bsn))


JAN = "999990093"  # Jan Smit, Ridderkerk: verslag ter ondertekening
JOHANNA = "999990007"  # Johanna Jansen, Barendrecht: new melding
CORNELIA = "999990081"  # Cornelia de Groot, Ridderkerk: in onderzoek


def test_inwoner_who_changes_the_id_in_the_url_gets_a_404(client, demo, standin, db):
    eigen = _zaak(db, JAN)
    andermans = _zaak(db, JOHANNA)
    digid_inloggen(client, bsn="999990093")
    assert client.get(f"/zaken/{eigen.id}").status_code == 200
    r = client.get(f"/zaken/{andermans.id}")
    assert r.status_code == 404
    assert "Johanna" not in r.get_data(as_text=True)
    # someone else's zaak looks exactly like a zaak that does not exist
    bestaat_niet = client.get("/zaken/999999", headers={"X-Request-ID": "vergelijk-0001"})
    anders = client.get(f"/zaken/{andermans.id}", headers={"X-Request-ID": "vergelijk-0001"})
    assert bestaat_niet.status_code == 404
    assert bestaat_niet.get_data() == anders.get_data()


def test_mijn_zaken_lists_only_own_zaken(client, demo, standin):
    digid_inloggen(client, bsn="999990093")
    html = client.get("/mijn-zaken").get_data(as_text=True)
    assert html.count('href="/zaken/') == 1
    assert "Het verslag van uw gesprek staat klaar" in html


def test_medewerker_sees_only_zaken_of_their_gemeenten(client, demo, db):
    barendrecht = _zaak(db, JOHANNA)
    ridderkerk = _zaak(db, CORNELIA)
    medewerker_inloggen(client, "wmo2")  # Ridderkerk only
    assert client.get(f"/backoffice/zaken/{ridderkerk.id}").status_code == 200
    assert client.get(f"/backoffice/zaken/{barendrecht.id}").status_code == 404
    html = client.get("/backoffice/werkvoorraad?weergave=team").get_data(as_text=True)
    assert ridderkerk.identificatie in html and barendrecht.identificatie not in html


def test_consulent_sees_only_their_teams_zaken_but_toetser_sees_all(client, demo, db):
    wmo_zaak = _zaak(db, JOHANNA)
    medewerker_inloggen(client, "jeugd")
    assert client.get(f"/backoffice/zaken/{wmo_zaak.id}").status_code == 404
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})
    medewerker_inloggen(client, "toetser")
    assert client.get(f"/backoffice/zaken/{wmo_zaak.id}").status_code == 200


def test_beheer_sees_no_case_data(demo):
    beheer = Actor(soort="medewerker", id=1, naam="b", rollen=frozenset({Rol.BEHEER}), gemeente_ids=frozenset({1, 2, 3}))
    assert demo.scalars(authz.zichtbare_zaken(beheer)).all() == []
    with pytest.raises(authz.NietGevonden):
        authz.zaak_voor(demo, beheer, 1)


def test_inwoner_unknown_to_brp_sees_nothing(demo):
    onbekend = Actor(soort="inwoner", id=None, naam="Inwoner", inwoner_id=None)
    assert demo.scalars(authz.zichtbare_zaken(onbekend)).all() == []


def test_permissions_are_checked_in_the_domain(demo):
    consulent = Actor(soort="medewerker", id=1, naam="c", rollen=frozenset({Rol.CONSULENT}))
    assert authz.mag(consulent, "werkvoorraad.bekijken")
    assert not authz.mag(consulent, "toetsing.beoordelen")
    with pytest.raises(authz.Geweigerd):
        authz.vereis(consulent, "protocol.inzien")
    inwoner = Actor(soort="inwoner", id=5, naam="i", inwoner_id=5, rollen=frozenset({Rol.TOETSER}))
    assert not authz.mag(inwoner, "toetsing.beoordelen")  # an inwoner never acts as a medewerker


def test_opening_a_zaak_is_protocolled_with_who_what_and_why(client, demo, db):
    zaak = _zaak(db, JOHANNA)
    medewerker_inloggen(client, "wmo")
    client.get(f"/backoffice/zaken/{zaak.id}")
    regel = db.scalar(select(AuditLog).where(AuditLog.object_type == "zaak", AuditLog.handeling == "lezen"))
    assert regel.actor_naam == "Wim van Wmo" and regel.actor_type == "medewerker"
    assert regel.inwoner_id == zaak.inwoner_id
    assert regel.handeling == "lezen" and regel.doel == "Behandeling zaak"
    assert regel.request_id


def test_teamleider_searches_the_protocol_by_bsn_without_it_in_the_url(client, demo, db):
    zaak = _zaak(db, JOHANNA)
    medewerker_inloggen(client, "wmo")
    client.get(f"/backoffice/zaken/{zaak.id}")
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})
    medewerker_inloggen(client, "teamleider")
    token = csrf_token(client, "/backoffice/protocollering")
    r = client.post("/backoffice/protocollering", data={"csrf_token": token, "inwoner_bsn": "999990007"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert f"Zaak {zaak.identificatie} geopend" in html and "Wim van Wmo" in html
    assert "Johanna Maria Jansen" in html
    # the search itself is recorded, for this inwoner
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == "999990007"))
    assert db.scalar(select(AuditLog).where(AuditLog.object_type == "protocollering",
                                            AuditLog.inwoner_id == inwoner.id)) is not None


def test_protocol_records_cannot_be_changed_through_the_orm(demo):
    from domain.actor import SYSTEEM
    from domain.protocol import protocolleer

    regel = protocolleer(demo, SYSTEEM, handeling="lezen", object_type="test", omschrijving="x", doel="test")
    demo.commit()
    regel.omschrijving = "vervalst"
    with pytest.raises(PermissionError):
        demo.commit()
    demo.rollback()
    demo.delete(regel)
    with pytest.raises(PermissionError):
        demo.commit()
    demo.rollback()


def test_brp_search_stays_within_the_medewerkers_gemeenten(client, demo, db):
    """Issue 12, finding 2: wmo2 (Ridderkerk only) searched a Barendrecht BSN and saw name, birth date and
    address. A resident elsewhere is "not found", as someone who does not exist; the search is protocolled."""
    medewerker_inloggen(client, "wmo2")
    url = "/backoffice/inwoners/zoeken"
    elders = client.post(url, data={"csrf_token": csrf_token(client, url), "bsn": "999990007"}).get_data(as_text=True)
    assert "Jansen" not in elders and "Middenbaan" not in elders and "1941" not in elders
    assert "Niemand gevonden in de gemeenten waarvoor u werkt" in elders
    op_naam = client.post(url, data={"csrf_token": csrf_token(client, url), "geslachtsnaam": "Jansen",
                                     "geboortedatum": "1941-03-12"}).get_data(as_text=True)
    assert "Middenbaan" not in op_naam and "Niemand gevonden" in op_naam
    eigen = client.post(url, data={"csrf_token": csrf_token(client, url), "bsn": "999990081"}).get_data(as_text=True)
    assert "Groot" in eigen  # Ridderkerk: found
    regel = db.scalar(select(AuditLog).where(AuditLog.object_type == "brp").order_by(AuditLog.id.desc().nulls_last())
                      .offset(2).limit(1))
    assert "0 resultaat in de eigen gemeenten, 1 elders niet getoond" in regel.omschrijving
    assert regel.doel == "Toegang sociaal domein: inwoner identificeren" and "999990007" not in regel.omschrijving
