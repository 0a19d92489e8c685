"""Who sees which document (ZGW vertrouwelijkheidaanduiding) and which zaaktypen appear in the portal at all,
through the domain rule and through both faces."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from domain import processes
from domain.models import Document, Inwoner, Zaak
from domain.tijd import vandaag
from domain.vertrouwelijkheid import hoogste
from domain.workflow import voer_uit
from tests.helpers import csrf_token, digid_inloggen, medewerker_inloggen
from tests.test_generiek import PROEF
from tests.test_jeugd_proces import OUDER, _oordeel, _onderzocht
from tests.test_wmo_proces import inwoner_actor, medewerker


def _verslag_in_portaal(db, diensten):
    zaak = _onderzocht(db, diensten)
    _oordeel(db, zaak, "ja")
    voer_uit(db, medewerker(db, "jeugd"), zaak, "jeugdwet_van_toepassing", verwachte_versie=zaak.versie,
             diensten=diensten)
    verslag = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "onderzoeksverslag"))
    return zaak, verslag


def test_levels_per_actor_follow_the_task(demo, diensten):
    db = demo
    zaak, verslag = _verslag_in_portaal(db, diensten)
    assert verslag.vertrouwelijkheid == "confidentieel"  # Jeugd declares it for its verslag
    brief = db.scalar(select(Document).where(Document.zaak_id == zaak.id, Document.documenttype == "bevestigingsbrief"))
    assert brief.vertrouwelijkheid == "vertrouwelijk"  # what the zaaktype does not name
    assert hoogste(medewerker(db, "jeugd"), zaak) == "zeer_geheim"  # the zaak's own team holds the dossier
    assert hoogste(medewerker(db, "toetser"), zaak) == "confidentieel"
    assert hoogste(medewerker(db, "administratie"), zaak) == "vertrouwelijk"
    assert hoogste(inwoner_actor(db, OUDER), zaak) == "confidentieel"


def test_both_faces_show_and_serve_only_what_the_actor_may_read(client, demo, diensten, standin):
    db = demo
    zaak, verslag = _verslag_in_portaal(db, diensten)
    zaak_id, versie_id = zaak.id, verslag.versies[-1].id
    url = f"/backoffice/documenten/{versie_id}"
    medewerker_inloggen(client, "administratie")
    html = client.get(f"/backoffice/zaken/{zaak_id}").get_data(as_text=True)
    assert "Bevestiging van uw melding" in html and url not in html and "Onderzoeksverslag (versie" not in html
    assert client.get(url).status_code == 404
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})
    medewerker_inloggen(client, "toetser")
    assert url in client.get(f"/backoffice/zaken/{zaak_id}").get_data(as_text=True)
    assert client.get(url).status_code == 200
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/meldingen")})

    digid_inloggen(client, OUDER)
    assert f"/documenten/{versie_id}" in client.get(f"/zaken/{zaak_id}").get_data(as_text=True)
    assert client.get(f"/documenten/{versie_id}").status_code == 200
    # A document marked geheim never shows in the portal, even when released to the inwoner.
    db.expire_all()
    doc = db.get(Document, verslag.id)
    doc.vertrouwelijkheid = "geheim"
    db.commit()
    assert f"/documenten/{versie_id}" not in client.get(f"/zaken/{zaak_id}").get_data(as_text=True)
    assert client.get(f"/documenten/{versie_id}").status_code == 404
    medewerker_inloggen(client, "jeugd")
    assert client.get(url).status_code == 200  # the consulent of the zaak still reads it


def test_a_zaaktype_outside_the_portal_does_not_appear_there(client, demo, diensten, standin):
    db = demo
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == OUDER))
    zaken = {}
    for code, naam, in_portaal in (("stil", "Stille regeling", False), ("open", "Open regeling", True)):
        processes.registreer(dataclasses.replace(PROEF, code=code, naam=naam, in_portaal=in_portaal))
        zaken[code] = Zaak(identificatie=f"0489-2026-{code.upper()}", zaaktype=code, gemeente_id=inwoner.gemeente_id,
                           inwoner_id=inwoner.id, status="aangemeld", startdatum=vandaag())
        db.add(zaken[code])
    db.commit()
    try:
        digid_inloggen(client, OUDER)
        lijst = client.get("/mijn-zaken")
        assert lijst.status_code == 200
        assert "Open regeling" in lijst.get_data(as_text=True) and "Stille regeling" not in lijst.get_data(as_text=True)
        assert client.get(f"/zaken/{zaken['open'].id}").status_code == 200
        assert client.get(f"/zaken/{zaken['stil'].id}").status_code == 404
    finally:
        processes.verwijder("stil")
        processes.verwijder("open")
