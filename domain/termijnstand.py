"""The teamleider's trend of overdue terms: per team and gemeente, how many of the gemeente's terms were past their
last day at the end of a date. Counted once per date and stored (TermijnStand), so the overview reads a few rows
instead of counting every term ever; the daily sweep stores today's, and a date nobody stored yet (a fresh
installation, a week before the sweep ran) is counted from the terms when it is first asked for. Two instances
storing the same date at once insert it once (the unique key, ON CONFLICT DO NOTHING)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import Team, Termijn, TermijnStand, Zaak
from .models.organisatie import team_gemeente
from .termijnbewaking import termijnen_gemeente


@dataclass
class TeamTrend:
    team: str
    # (week start, number of our terms overdue at the end of that week)
    weken: list[tuple[dt.date, int]]


def _te_laat(session: Session, datum: dt.date) -> Counter:
    """Per (team, gemeente): terms of the gemeente started by `datum` whose last day was before it, not stopped
    by then or stopped only after their last day. In two parts that each read an index: the running terms
    (ix_termijn_lopend) and those stopped on or after the date (ix_termijn_gestopt_op)."""
    basis = (select(Zaak.team_id, Zaak.gemeente_id, func.count()).select_from(Termijn)
             .join(Zaak, Termijn.zaak_id == Zaak.id)
             .where(Zaak.team_id.is_not(None), Termijn.soort.in_(termijnen_gemeente()), Termijn.startdatum <= datum,
                    Termijn.einddatum < datum)
             .group_by(Zaak.team_id, Zaak.gemeente_id))
    telling: Counter = Counter()
    for stmt in (basis.where(Termijn.gestopt_op.is_(None)),
                 basis.where(Termijn.gestopt_op >= datum, Termijn.gestopt_op > Termijn.einddatum)):
        for team_id, gemeente_id, aantal in session.execute(stmt):
            telling[(team_id, gemeente_id)] += aantal
    return telling


def leg_stand_vast(session: Session, datum: dt.date) -> int:
    """Store the stand of `datum` for every team and each gemeente it works for, once. Returns the rows added."""
    if session.scalar(select(TermijnStand.id).where(TermijnStand.datum == datum).limit(1)):
        return 0
    telling = _te_laat(session, datum)
    for team_id, gemeente_id in session.execute(select(team_gemeente.c.team_id, team_gemeente.c.gemeente_id)):
        telling.setdefault((team_id, gemeente_id), 0)  # a zero is a stand too: the date is not counted again
    if not telling:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    resultaat = session.execute(dialect.insert(TermijnStand).values(
        [{"datum": datum, "team_id": t, "gemeente_id": g, "te_laat": n} for (t, g), n in telling.items()])
        .on_conflict_do_nothing().returning(TermijnStand.id))
    toegevoegd = len(resultaat.all())
    session.commit()
    return toegevoegd


def trend_per_team(session: Session, gemeente_ids: frozenset[int], vandaag: dt.date, weken: int = 8) -> list[TeamTrend]:
    """Per team that handles zaaktypen, the overdue terms of these gemeenten at the end of each of the last weeks."""
    eindes = [vandaag - dt.timedelta(days=7 * i) for i in range(weken - 1, -1, -1)]
    bekend = set(session.scalars(select(TermijnStand.datum).where(TermijnStand.datum.in_(eindes)).distinct()))
    for datum in eindes:
        if datum not in bekend:
            leg_stand_vast(session, datum)
    standen = {(t, d): n for t, d, n in session.execute(
        select(TermijnStand.team_id, TermijnStand.datum, func.sum(TermijnStand.te_laat))
        .where(TermijnStand.datum.in_(eindes), TermijnStand.gemeente_id.in_(gemeente_ids or {-1}))
        .group_by(TermijnStand.team_id, TermijnStand.datum))}
    teams = [t for t in session.scalars(select(Team).where(Team.id.in_({t for t, _ in standen})).order_by(Team.naam))
             if t.zaaktypen or any(standen.get((t.id, d)) for d in eindes)]
    return [TeamTrend(t.naam, [(d - dt.timedelta(days=6), int(standen.get((t.id, d)) or 0)) for d in eindes])
            for t in teams]
