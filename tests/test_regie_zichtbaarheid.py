"""Regie Team: who may see a dossier (issue 15 point 7). Only the team; the toetser only while toetsing;
administratie only with an order to place; other teams and the one who registered the melding only learn that a
dossier exists; the portal never shows it, not even as a count."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from domain import authz
from domain.models import Actie, Besluit, Inwoner, Notificatie, Team, Zaak
from domain.zaken import registreer_melding
from tests.test_wmo_proces import inwoner_actor, medewerker

KIND = "999990305"  # Lieke Meijer (4), a child of the demo


def _regie_zaak(db, diensten) -> Zaak:
    inwoner = db.scalar(select(Inwoner).where(Inwoner.bsn == KIND))
    zaak = registreer_melding(db, medewerker(db, "toegang"), inwoner=inwoner, zaaktype_code="regie_team",
                              hulpvraag="Zorgen over de veiligheid thuis: buren horen vaak geschreeuw.",
                              kanaal="telefoon", diensten=diensten)
    db.commit()
    return zaak


def _ziet(db, actor, zaak) -> bool:
    return db.scalar(authz.zichtbare_zaken(actor).where(Zaak.id == zaak.id)) is not None


def test_only_the_regie_team_sees_the_dossier(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    assert zaak.team.code == "regie_team"
    assert _ziet(demo, medewerker(demo, "regieteam"), zaak)
    for naam in ("jeugd", "wmo", "toegang", "toetser", "administratie", "juridisch", "teamleider"):
        assert not _ziet(demo, medewerker(demo, naam), zaak), naam
    # Team toegang registered it, and sees only that it exists: the team to contact, nothing of what it holds.
    assert authz.afgeschermd_elders(demo, medewerker(demo, "toegang"), zaak.inwoner_id) == ["Regieteam"]
    assert authz.afgeschermd_elders(demo, medewerker(demo, "regieteam"), zaak.inwoner_id) == []


def test_toetser_only_while_toetsing_and_administratie_only_with_an_order(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    toetser, administratie = medewerker(demo, "toetser"), medewerker(demo, "administratie")
    besluit = Besluit(zaak_id=zaak.id, besluittype="toekenning", status="ter_toetsing", onderbouwing="-", wettelijke_grondslag="artikel 2.3 Jeugdwet",
                      auteur_id=medewerker(demo, "regieteam").id)
    demo.add(besluit)
    demo.flush()
    assert _ziet(demo, toetser, zaak) and not _ziet(demo, administratie, zaak)
    besluit.status = "concept"
    demo.flush()
    assert not _ziet(demo, toetser, zaak)
    admin_team = demo.scalar(select(Team).where(Team.code == "administratie"))
    actie = Actie(team_id=admin_team.id, zaak_id=zaak.id, soort="bestellen", omschrijving="Bestellen")
    demo.add(actie)
    demo.flush()
    assert _ziet(demo, administratie, zaak)
    actie.afgerond = dt.datetime.now(dt.UTC)
    demo.flush()
    assert not _ziet(demo, administratie, zaak)


def test_the_portal_shows_nothing_not_even_a_notification(demo, diensten):
    zaak = _regie_zaak(demo, diensten)
    inwoner = inwoner_actor(demo, KIND)
    assert not _ziet(demo, inwoner, zaak)
    assert demo.scalar(select(func.count()).select_from(Notificatie).where(
        Notificatie.zaak_id == zaak.id, Notificatie.inwoner_id.is_not(None))) == 0


def test_another_teams_zaak_page_names_only_that_a_regie_dossier_exists(client, demo, diensten):
    """The 3D view on a Jeugd zaak of the same child: "Er is een dossier bij Regieteam", no number, no status."""
    from tests.helpers import medewerker_inloggen

    zaak = _regie_zaak(demo, diensten)
    jeugdzaak = demo.scalar(select(Zaak).where(Zaak.inwoner_id == zaak.inwoner_id, Zaak.zaaktype == "jeugd"))
    medewerker_inloggen(client, "jeugd")
    assert client.get(f"/backoffice/zaken/{zaak.id}").status_code == 404
    html = client.get(f"/backoffice/zaken/{jeugdzaak.id}").get_data(as_text=True)
    assert "Er is een dossier bij Regieteam" in html
    assert zaak.identificatie not in html and "Hulp voor uw gezin" not in html and "buren" not in html


def test_after_their_step_toetser_and_administratie_land_on_their_actions_not_on_a_404(client, demo):
    """Their sight of a Regieteam zaak ends with their task: the step's confirmation shows on their actions page."""
    from tests.helpers import csrf_token, medewerker_inloggen

    def zaak_van(bsn):
        kind = demo.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
        return demo.scalar(select(Zaak).where(Zaak.inwoner_id == kind.id, Zaak.zaaktype == "regie_team"))

    yara, mees = zaak_van("999990445"), zaak_van("999990317")  # the demo: ter toetsing; besluit, order open
    medewerker_inloggen(client, "toetser")
    token = csrf_token(client, f"/backoffice/zaken/{yara.id}")
    r = client.post(f"/backoffice/zaken/{yara.id}/actie/goedkeuren", data={"csrf_token": token, "versie": yara.versie})
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/acties")
    html = client.get("/backoffice/acties").get_data(as_text=True)
    assert "goedgekeurd, ondertekend en gaat per beveiligde e-mail naar de inwoner" in html
    assert client.get(f"/backoffice/zaken/{yara.id}").status_code == 404
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(client, "/backoffice/acties")})
    medewerker_inloggen(client, "administratie")
    pagina = client.get(f"/backoffice/zaken/{mees.id}/bestellen").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', pagina).group(1)
    aanbieder = re.search(r'<option[^>]*value="(\d+)"', pagina).group(1)
    r = client.post(f"/backoffice/zaken/{mees.id}/bestellen", data={"csrf_token": token, "versie": mees.versie,
                                                                     "zorgaanbieder_id": aanbieder})
    assert r.status_code == 302 and r.headers["Location"].endswith("/backoffice/acties")
    assert "De jeugdhulp is besteld" in client.get("/backoffice/acties").get_data(as_text=True)
