"""What every part of the demo shares."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Medewerker


def medewerker_actor(session: Session, gebruikersnaam: str):
    from ..actor import Actor

    m = session.scalar(select(Medewerker).where(Medewerker.gebruikersnaam == gebruikersnaam))
    return Actor(soort="medewerker", id=m.id, naam=m.naam, rollen=m.rollen,
                 gemeente_ids=frozenset(g.id for g in m.gemeenten), team_ids=frozenset(t.id for t in m.teams))
