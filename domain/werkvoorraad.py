"""One page of a werkvoorraad: open zaken by deadline (zaken without one last), keyset-paged on (deadline, id).

Every variant reads an index on the open zaken in exactly this order (migration 0020): the first page and page
fifty cost the same, at 10.000 zaken and at 5.000.000. A medewerker in several teams gets one ordered, limited
read per team, merged: a database cannot walk one index in order for a list of teams at once."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select, tuple_, union_all
from sqlalchemy.orm import Session, joinedload

from . import authz
from .actor import Actor
from .models import Medewerker, Team, Zaak
from .models.zaak import EINDE, GEEN_DEADLINE

DEADLINE = func.coalesce(Zaak.uiterlijke_einddatum, GEEN_DEADLINE)


def sleutel(zaak: Zaak) -> tuple[dt.date, int]:
    """Where this zaak stands in the order: the keyset cursor of the page after it."""
    return zaak.uiterlijke_einddatum or EINDE, zaak.id


def zaaktypen_van_teams(session: Session, actor: Actor) -> list[str] | None:
    """The zaaktypen the medewerker's teams handle (Team.zaaktypen, configuration), in their order, each once; None
    when the teams name none (a toetser, administratie: their work crosses every zaaktype)."""
    # session.get: the teams came with the medewerker at log-in loading (same session), so no statement.
    teams = [session.get(Team, t) for t in sorted(actor.team_ids)]
    codes = list(dict.fromkeys(c for t in teams if t is not None for c in (t.zaaktypen or [])))
    return codes or None


def _per_wachtrij(session: Session, actor: Actor, weergave: str) -> list[Select]:
    basis = authz.zichtbare_zaken(actor).where(Zaak.afgesloten.is_(False))
    if weergave == "mijn":
        return [basis.where(Zaak.behandelaar_id == actor.id)]
    if actor.team_ids and not actor.heeft_rol(*authz.BREED_ZICHT):
        return [basis.where(Zaak.team_id == t) for t in sorted(actor.team_ids)]
    # A role that may look at every zaak (juridisch, a teamleider) still works in a team: its werkvoorraad holds
    # the zaaktypen that team handles, not every zaak of another team that it may open.
    # One ordered, limited read per zaaktype (ix_zaak_open_zaaktype), merged like the reads per team.
    codes = zaaktypen_van_teams(session, actor) if actor.team_ids else None
    return [basis.where(Zaak.zaaktype == c) for c in codes] if codes else [basis]


def pagina(session: Session, actor: Actor, *, weergave: str = "team", status: str = "", onverdeeld: bool = False,
           na: tuple[dt.date, int] | None = None, grootte: int = 25) -> tuple[list[Zaak], tuple[dt.date, int] | None]:
    """The zaken of one page and the cursor of the next page (None on the last)."""
    delen = []
    for stmt in _per_wachtrij(session, actor, weergave):
        if status:
            stmt = stmt.where(Zaak.status == status)
        if onverdeeld:
            stmt = stmt.where(Zaak.behandelaar_id.is_(None))
        if na:
            stmt = stmt.where(tuple_(DEADLINE, Zaak.id) > na)
        delen.append(stmt.order_by(DEADLINE, Zaak.id).limit(grootte + 1))
    # The behandelaar for its name only: not its roles (their selectin load would be a statement per page).
    opties = (joinedload(Zaak.gemeente), joinedload(Zaak.inwoner),
              joinedload(Zaak.behandelaar).lazyload(Medewerker.rollen_rel), joinedload(Zaak.team))
    if len(delen) == 1:
        zaken = list(session.scalars(delen[0].options(*opties)).unique())
    else:
        gekozen = [d.with_only_columns(Zaak.id, DEADLINE.label("deadline")).subquery() for d in delen]
        samen = union_all(*[select(g.c.id, g.c.deadline) for g in gekozen]).subquery()
        ids = session.scalars(select(samen.c.id).order_by(samen.c.deadline, samen.c.id).limit(grootte + 1)).all()
        zaken = list(session.scalars(select(Zaak).where(Zaak.id.in_(ids)).options(*opties)).unique())
        zaken.sort(key=sleutel)
    volgende = sleutel(zaken[grootte - 1]) if len(zaken) > grootte else None
    return zaken[:grootte], volgende
