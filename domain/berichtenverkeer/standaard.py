"""Which message standard (iWmo, iJw) goes with what. The zaaktype declares it (`Zaaktype.berichtstandaard`), so
the berichtenverkeer asks the zaaktype instead of assuming one law:

* an outgoing message for a zaak uses the standard of its zaaktype (`standaard_van`); a zaaktype without one
  orders nothing from zorgaanbieders, and trying to is refused;
* a received message is about the zaaktypen that declare its standard (`zaaktypen_met_standaard`), and when it
  names no zaak its work goes to the team that handles such a zaaktype (`team_voor_standaard`: the one place
  that maps a standard to a team; which team handles which zaaktype is configuration, `Team.zaaktypen`)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import processes
from ..models import Team, Zaak
from ..workflow import OvergangFout, Zaaktype


def zaaktypen_met_standaard(standaard: str | None) -> list[Zaaktype]:
    """The zaaktypen whose toewijzingen go in this standard, in catalogue order."""
    if not standaard:
        return []
    return [z for z in processes.zaaktypen().values() if z.berichtstandaard == standaard]


def standaard_van(zaak: Zaak) -> str:
    """The standard of the zaak's zaaktype. OvergangFout (Dutch) when the zaaktype has none: it orders nothing."""
    try:
        zaaktype = processes.zaaktype_van(zaak.zaaktype)
    except KeyError:
        naam, standaard = processes.zaaktype_naam(zaak.zaaktype), None
    else:
        naam, standaard = zaaktype.naam, zaaktype.berichtstandaard
    if not standaard:
        raise OvergangFout(f"Voor een zaak '{naam}' kan niets bij een zorgaanbieder besteld worden: dit soort "
                           "zaak heeft geen berichtstandaard (iWmo of iJw).")
    return standaard


def team_voor_standaard(session: Session, standaard: str | None) -> Team | None:
    """The team that gets the work of a received message in this standard that names no zaak: the first team
    (by id) that handles a zaaktype declaring the standard. None when no zaaktype declares it or no team does."""
    teams = session.scalars(select(Team).order_by(Team.id)).all()
    for zaaktype in zaaktypen_met_standaard(standaard):
        team = next((t for t in teams if zaaktype.code in (t.zaaktypen or [])), None)
        if team is not None:
            return team
    return None
