"""A Veilig Thuis referral starts a Regie Team zaak (issue 15 point 1): who referred, when, the concerns, the
children and adults each from the BRP; errors at their field with nothing lost; the team is notified; only the
team sees it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from domain import tijd
from domain.models import AuditLog, Notificatie, Verwijzing, Zaak, ZaakBetrokkene
from tests.helpers import medewerker_inloggen

KIND, BROER, MOEDER = "999990305", "999990317", "999990172"  # Lieke (4), Mees (15), Sanne Meijer


def _csrf(client, url):
    import re

    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def _formulier(token, **extra):
    data = {"csrf_token": token, "zaaktype": "regie_team", "organisatie": "Veilig Thuis",
            "contactpersoon": "Marieke Smit", "telefoon": "0800 2000",
            "verwezen_op": (tijd.vandaag() - dt.timedelta(days=1)).isoformat(),
            "zorgen": "Melding van de school: Lieke heeft blauwe plekken; er is vaak ruzie thuis.",
            "betrokkenen-0-bsn": KIND, "betrokkenen-0-rol": "kind",
            "betrokkenen-1-bsn": BROER, "betrokkenen-1-rol": "kind",
            "betrokkenen-2-bsn": MOEDER, "betrokkenen-2-rol": "ouder",
            "email": "ouders.meijer@example.org", "mobiel": "06 12345678"}
    for i in range(3, 5):
        data[f"betrokkenen-{i}-bsn"], data[f"betrokkenen-{i}-rol"] = "", "kind"
    data.update(extra)
    return data


def test_toegang_registers_a_referral_that_lands_at_the_regieteam(client, demo):
    medewerker_inloggen(client, "toegang")
    token = _csrf(client, "/backoffice/verwijzingen/nieuw")
    r = client.post("/backoffice/verwijzingen/nieuw", data=_formulier(token))
    assert r.status_code == 302, r.get_data(as_text=True).split("utrecht-alert__message")[-1][:400]
    zaak = demo.scalar(select(Zaak).where(Zaak.zaaktype == "regie_team").order_by(Zaak.id.desc()))
    assert zaak.inwoner.bsn == KIND and zaak.team.code == "regie_team" and zaak.status == "melding"
    verwijzing = demo.scalar(select(Verwijzing).where(Verwijzing.zaak_id == zaak.id))
    assert verwijzing.organisatie == "Veilig Thuis" and verwijzing.contactpersoon == "Marieke Smit"
    rollen = {b.inwoner.bsn: b.rol for b in demo.scalars(select(ZaakBetrokkene).where(ZaakBetrokkene.zaak_id == zaak.id))}
    assert rollen == {BROER: "kind", MOEDER: "ouder"}
    assert zaak.inwoner.email == "ouders.meijer@example.org" and zaak.inwoner.telefoon == "06 12345678"
    # The team hears of it; every BRP look-up and the referral are in the protocol.
    assert demo.scalar(select(Notificatie).where(Notificatie.zaak_id == zaak.id, Notificatie.medewerker_id.is_not(None)))
    mensen = {zaak.inwoner_id, *(b.inwoner_id for b in demo.scalars(select(ZaakBetrokkene).where(
        ZaakBetrokkene.zaak_id == zaak.id)))}
    omschrijvingen = demo.scalars(select(AuditLog.omschrijving).where(AuditLog.omschrijving.like("%Veilig Thuis%"),
                                                                      AuditLog.inwoner_id.in_(mensen))).all()
    assert sum("BRP" in o for o in omschrijvingen) == 3 and any("Verwijzing" in o for o in omschrijvingen)
    # Toegang made it but sees only that it exists; the Regieteam consulent sees the referral on the zaak page.
    assert client.get(f"/backoffice/zaken/{zaak.id}").status_code == 404
    pagina = client.get(f"/backoffice/inwoners/{zaak.inwoner_id}").get_data(as_text=True)
    assert "Er is een dossier bij Regieteam" in pagina and zaak.identificatie not in pagina
    client.post("/backoffice/uitloggen", data={"csrf_token": _csrf(client, "/backoffice/inwoners/zoeken")})
    medewerker_inloggen(client, "regieteam")
    zaakpagina = client.get(f"/backoffice/zaken/{zaak.id}").get_data(as_text=True)
    assert "Verwijzing door Veilig Thuis" in zaakpagina and "Marieke Smit" in zaakpagina and "blauwe plekken" in zaakpagina


def test_errors_are_shown_at_their_field_and_the_input_is_kept(client, demo):
    medewerker_inloggen(client, "regieteam")
    token = _csrf(client, "/backoffice/verwijzingen/nieuw")
    aantal = demo.scalar(select(Zaak.id).order_by(Zaak.id.desc()))
    r = client.post("/backoffice/verwijzingen/nieuw", data=_formulier(
        token, **{"betrokkenen-1-bsn": "123456789", "betrokkenen-2-bsn": "999990068", "betrokkenen-2-rol": "kind",
                  "verwezen_op": (tijd.vandaag() + dt.timedelta(days=3)).isoformat()}))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "de elfproef klopt niet" in html  # the wrong BSN, at its row
    assert "Controleer het formulier." in html and 'href="#betrokkenen-1-bsn">Persoon 2, BSN:' in html  # and on top
    assert "blauwe plekken" in html and "Marieke Smit" in html  # nothing lost
    assert demo.scalar(select(Zaak.id).order_by(Zaak.id.desc())) == aantal
    # With the BSNs right, the domain's own checks: the date, and an adult as "kind".
    r = client.post("/backoffice/verwijzingen/nieuw", data=_formulier(
        token, **{"betrokkenen-2-bsn": "999990068", "betrokkenen-2-rol": "kind",
                  "verwezen_op": (tijd.vandaag() + dt.timedelta(days=3)).isoformat()}))
    html = r.get_data(as_text=True)
    assert "kan niet in de toekomst liggen" in html and "is 18 jaar of ouder" in html
    assert demo.scalar(select(Zaak.id).order_by(Zaak.id.desc())) == aantal
