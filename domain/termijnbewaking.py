"""Termijnbewaking around a zaak: which of our terms passed, the ingebrekestelling and the dwangsom, and the
overview for teamleiders. The computing itself lives in deadlines.py; this is about zaken."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .actor import Actor
from .deadlines import Dwangsom, dwangsom
from .effects import MeldInwoner, MeldMedewerkers
from .models import Team, Termijn, Zaak, utcnow
from .protocol import Handeling, protocolleer
from .tijd import datum_van
from .workflow import Context, Diensten, OvergangFout

# Terms that bind the municipality (a dwangsom can follow). The bezwaartermijn binds the inwoner instead.
BESLISTERMIJNEN = ("wmo-beschikking", "awb-beschikking", "bezwaar-beslistermijn")


def verstreken_beslistermijn(session: Session, zaak: Zaak, vandaag: dt.date) -> Termijn | None:
    return session.scalar(select(Termijn).where(
        Termijn.zaak_id == zaak.id, Termijn.soort.in_(BESLISTERMIJNEN), Termijn.gestopt_op.is_(None),
        Termijn.einddatum < vandaag).order_by(Termijn.einddatum).limit(1))


def laatste_beslistermijn(session: Session, zaak: Zaak) -> Termijn | None:
    return session.scalar(select(Termijn).where(Termijn.zaak_id == zaak.id, Termijn.soort.in_(BESLISTERMIJNEN))
                          .order_by(Termijn.id.desc()).limit(1))


def dwangsom_van(session: Session, zaak: Zaak, vandaag: dt.date) -> Dwangsom | None:
    """The dwangsom as it stands today, or None without an ingebrekestelling."""
    if zaak.ingebreke_gesteld_op is None:
        return None
    termijn = laatste_beslistermijn(session, zaak)
    return dwangsom(zaak.ingebreke_gesteld_op, vandaag, termijn.gestopt_op if termijn else None,
                    termijn_einde=termijn.einddatum if termijn else None)


def stel_in_gebreke(session: Session, actor: Actor, zaak: Zaak, *, diensten: Diensten, nu: dt.datetime | None = None) -> Dwangsom:
    """The inwoner tells us in one step that we are too late (Awb 4:17). From two weeks later a dwangsom runs."""
    nu = nu or utcnow()
    vandaag = datum_van(nu)
    if not actor.is_inwoner or actor.inwoner_id != zaak.inwoner_id:
        raise OvergangFout("U kunt alleen uw eigen zaak in gebreke stellen.")
    if zaak.ingebreke_gesteld_op is not None:
        raise OvergangFout("U heeft ons al in gebreke gesteld.")
    termijn = verstreken_beslistermijn(session, zaak, vandaag)
    if termijn is None:
        raise OvergangFout("De termijn om te beslissen is nog niet voorbij. Een ingebrekestelling kan pas daarna.")
    zaak.ingebreke_gesteld_op = vandaag
    from .processes import zaaktype_van
    from .workflow import Overgang

    ctx = Context(session=session, zaak=zaak, actor=actor, zaaktype=zaaktype_van(zaak.zaaktype),
                  overgang=Overgang("ingebrekestelling", "Ingebrekestelling", (), None, frozenset()), gegevens={},
                  nu=nu, vandaag=vandaag, diensten=diensten)
    MeldInwoner("nieuwe_notificatie", "We hebben uw ingebrekestelling ontvangen",
                "We hebben uw ingebrekestelling ontvangen. Beslissen we niet binnen 2 weken, dan krijgt u een "
                "dwangsom voor elke dag dat we te laat zijn.").toepassen(ctx)
    MeldMedewerkers("behandelaar", "Ingebrekestelling ontvangen",
                    "De inwoner heeft de gemeente in gebreke gesteld. Beslis binnen 2 weken, anders loopt er een dwangsom.").toepassen(ctx)
    MeldMedewerkers("teamleiders", "Ingebrekestelling ontvangen",
                    "Een inwoner heeft de gemeente in gebreke gesteld wegens een verlopen beslistermijn.").toepassen(ctx)
    protocolleer(session, actor, handeling=Handeling.WIJZIGEN, object_type="zaak", object_id=zaak.id,
                 omschrijving=f"Ingebrekestelling ontvangen ({zaak.identificatie})", doel="Termijnbewaking",
                 inwoner_id=zaak.inwoner_id)
    session.commit()
    return dwangsom_van(session, zaak, vandaag)


@dataclass
class TeamTrend:
    team: str
    # (week start, number of our terms overdue at the end of that week)
    weken: list[tuple[dt.date, int]]


def trend_per_team(session: Session, gemeente_ids: frozenset[int], vandaag: dt.date, weken: int = 8) -> list[TeamTrend]:
    """Per team, how many of our terms were overdue at the end of each of the last `weken` weeks."""
    uitkomst = []
    teams = session.scalars(select(Team).join(Zaak, Zaak.team_id == Team.id).distinct().order_by(Team.naam)).all()
    for team in teams:
        reeks = []
        for i in range(weken - 1, -1, -1):
            eind = vandaag - dt.timedelta(days=7 * i)
            aantal = session.scalar(select(func.count()).select_from(Termijn).join(Zaak, Termijn.zaak_id == Zaak.id).where(
                Zaak.team_id == team.id, Zaak.gemeente_id.in_(gemeente_ids or {-1}),
                Termijn.soort.in_(("wmo-onderzoek", *BESLISTERMIJNEN)), Termijn.startdatum <= eind,
                Termijn.einddatum < eind, (Termijn.gestopt_op.is_(None)) | (Termijn.gestopt_op > Termijn.einddatum),
                (Termijn.gestopt_op.is_(None)) | (Termijn.gestopt_op >= eind)))
            reeks.append((eind - dt.timedelta(days=6), aantal or 0))
        uitkomst.append(TeamTrend(team.naam, reeks))
    return uitkomst
