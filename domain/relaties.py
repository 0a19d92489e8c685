"""Linked zaken: a relation between two zaken with its kind, shown on both (for staff, and in the portal where the
inwoner may see both), and a melding for another team made from any zaak.

A relation reads from the zaak it starts from (`zaak`) to the other (`andere_zaak`); each kind has a label for
either side. A bezwaar's link to the zaak of its besluit is the zaak's `hoofdzaak` (domain/bezwaren.py): it is
shown as a relation of the kind "bezwaar_op_besluit" without a second record of the same fact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from . import authz
from .actor import Actor
from .models import Zaak, ZaakRelatie, utcnow
from .protocol import Handeling, protocolleer
from .workflow import Diensten, OvergangFout

# kind: (label on the zaak it starts from, label on the other zaak)
SOORTEN: dict[str, tuple[str, str]] = {
    "vervolg": ("Vervolgzaak", "Vervolg op"),
    "deelzaak": ("Deelzaak", "Hoofdzaak"),
    "bezwaar_op_besluit": ("Bezwaar tegen het besluit", "Bezwaar tegen het besluit in"),
    "melding_ander_team": ("Melding voor een ander team", "Gemeld vanuit"),
}


@dataclass(frozen=True)
class Koppeling:
    """One linked zaak as seen from a given zaak."""

    soort: str
    label: str
    zaak: Zaak
    toelichting: str | None
    sinds: dt.datetime | None


def koppel(session: Session, actor: Actor, zaak: Zaak, andere: Zaak, soort: str, *, toelichting: str | None = None) -> ZaakRelatie:
    """Record that `andere` relates to `zaak` as `soort` (no commit)."""
    if soort not in SOORTEN:
        raise ValueError(f"onbekende relatiesoort {soort!r}")
    if zaak.id == andere.id:
        raise OvergangFout("Een zaak kan niet aan zichzelf gekoppeld worden.")
    rel = ZaakRelatie(zaak_id=zaak.id, andere_zaak_id=andere.id, soort=soort, toelichting=toelichting,
                      aangemaakt=utcnow(), aangemaakt_door_id=actor.id if actor.is_medewerker else None)
    session.add(rel)
    protocolleer(session, actor, handeling=Handeling.AANMAKEN, object_type="zaak", object_id=zaak.id,
                 omschrijving=f"{SOORTEN[soort][0]}: {zaak.identificatie} -> {andere.identificatie}",
                 doel="Behandeling zaak", inwoner_id=zaak.inwoner_id)
    return rel


def start_gekoppeld(session: Session, actor: Actor, zaak: Zaak, *, zaaktype_code: str, hulpvraag: str,
                    soort: str = "melding_ander_team", diensten: Diensten | None = None,
                    nu: dt.datetime | None = None, vandaag: dt.date | None = None) -> Zaak:
    """Start a zaak of type `zaaktype_code` for the same inwoner and gemeente, in the werkvoorraad of the team that
    handles it there, linked to `zaak` (no commit). Its own start effects run (notification, bevestigingsbrief)."""
    from .configuratie import behandelend_team
    from .processes import zaaktype_van
    from .tijd import vandaag as tijd_vandaag
    from .workflow import start_zaak

    try:
        zaaktype = zaaktype_van(zaaktype_code)
    except KeyError:
        raise OvergangFout("Kies waarvoor de melding is.") from None
    if not zaaktype.meldbaar:
        raise OvergangFout(f"Voor {zaaktype.naam} kan geen melding worden gemaakt.")
    if not (hulpvraag or "").strip():
        raise OvergangFout("Beschrijf de hulpvraag voor het andere team.")
    team = behandelend_team(session, zaaktype.code, zaak.gemeente_id)
    if team is None:
        raise OvergangFout(f"Er is in {zaak.gemeente.naam} geen team voor {zaaktype.naam}.")
    nieuw = start_zaak(session, actor, zaaktype_code=zaaktype.code, inwoner_id=zaak.inwoner_id,
                       gemeente_id=zaak.gemeente_id, team_id=team.id, hulpvraag=hulpvraag.strip(),
                       startdatum=vandaag or tijd_vandaag(), diensten=diensten, nu=nu)
    koppel(session, actor, zaak, nieuw, soort, toelichting=hulpvraag.strip())
    return nieuw


def meld_voor_ander_team(session: Session, actor: Actor, zaak: Zaak, *, zaaktype_code: str, hulpvraag: str,
                         diensten: Diensten | None = None) -> Zaak:
    """A medewerker working on `zaak` makes a melding for another team (any zaaktype that can be melded); commits."""
    authz.vereis(actor, "melding.registreren")
    if zaak.gemeente_id not in actor.gemeente_ids:
        raise authz.Geweigerd("gemeente")
    nieuw = start_gekoppeld(session, actor, zaak, zaaktype_code=zaaktype_code, hulpvraag=hulpvraag, diensten=diensten)
    session.commit()
    return nieuw


def gekoppelde_zaken(session: Session, zaak: Zaak) -> list[Koppeling]:
    """Every zaak linked to this one, both directions, oldest link first."""
    rijen = session.scalars(select(ZaakRelatie).where(or_(ZaakRelatie.zaak_id == zaak.id,
                                                          ZaakRelatie.andere_zaak_id == zaak.id))
                            .order_by(ZaakRelatie.id)).all()
    ids = {r.andere_zaak_id if r.zaak_id == zaak.id else r.zaak_id for r in rijen}
    bezwaren = session.scalars(select(Zaak).where(Zaak.hoofdzaak_id == zaak.id).order_by(Zaak.id)).all()
    if zaak.hoofdzaak_id:
        ids.add(zaak.hoofdzaak_id)
    zaken = {z.id: z for z in session.scalars(select(Zaak).where(Zaak.id.in_(ids)))} if ids else {}
    uit: list[Koppeling] = []
    if zaak.hoofdzaak_id in zaken:
        uit.append(Koppeling("bezwaar_op_besluit", SOORTEN["bezwaar_op_besluit"][1], zaken[zaak.hoofdzaak_id], None, None))
    uit += [Koppeling("bezwaar_op_besluit", SOORTEN["bezwaar_op_besluit"][0], b, None, b.aangemaakt) for b in bezwaren]
    for r in rijen:
        van_hier = r.zaak_id == zaak.id
        andere = zaken.get(r.andere_zaak_id if van_hier else r.zaak_id)
        if andere is not None:
            uit.append(Koppeling(r.soort, SOORTEN[r.soort][0 if van_hier else 1], andere, r.toelichting, r.aangemaakt))
    return uit


def voor_inwoner(session: Session, actor: Actor, zaak: Zaak) -> list[Koppeling]:
    """The linked zaken the inwoner may see in the portal: of a zaaktype in the portal, and theirs (or of whom
    they act for)."""
    from .processes import zaaktype_van

    return [k for k in gekoppelde_zaken(session, zaak)
            if zaaktype_van(k.zaak.zaaktype).in_portaal and actor.mag_handelen_voor(k.zaak.inwoner_id)]
