"""Notifications: their short title, the backoffice's Meldingen page (newest first), the unread count every
backoffice page's menu shows, and marking them read, at a cost that does not grow with how many there are."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.orm import Session

from .models import Notificatie

TOT = 99  # the menu shows "99+" beyond this: nobody reads the exact number of a hundred unread messages


STREEP = " – "  # between what happened and the zaak it happened on, in a notification's title


def titel(onderwerp: str, identificatie: str | None = None) -> str:
    """A notification's title: what happened, and on which zaak ("Wijzigingen in het verslag – 0613-2026-000004").
    The message itself goes in the body, not in the title."""
    return (f"{onderwerp}{STREEP}{identificatie}" if identificatie else onderwerp)[:200]


def meldingen_van(session: Session, medewerker_id: int, *, na: int | None = None,
                  grootte: int = 25) -> tuple[list[Notificatie], int | None]:
    """One page of a medewerker's notifications, newest first (by when they were made, which the demo and the
    timed sweeps set apart from the insertion order), after the notification ``na`` of the previous page.
    Returns the page and the cursor for the next one (None on the last page)."""
    stmt = select(Notificatie).where(Notificatie.medewerker_id == medewerker_id)
    if na is not None:
        vorige = session.scalar(select(Notificatie.aangemaakt).where(Notificatie.id == na,
                                                                      Notificatie.medewerker_id == medewerker_id))
        if vorige is None:
            return [], None
        stmt = stmt.where(tuple_(Notificatie.aangemaakt, Notificatie.id) < tuple_(vorige, na))
    rijen = list(session.scalars(stmt.order_by(Notificatie.aangemaakt.desc(), Notificatie.id.desc())
                                 .limit(grootte + 1)))
    return rijen[:grootte], (rijen[grootte - 1].id if len(rijen) > grootte else None)


def aantal_ongelezen(session: Session, medewerker_id: int) -> int:
    """A medewerker's unread notifications, counted up to TOT + 1 (a bounded index read, whatever the total)."""
    eerste = (select(Notificatie.id).where(Notificatie.medewerker_id == medewerker_id, Notificatie.gelezen.is_(None))
              .limit(TOT + 1).subquery())
    return session.scalar(select(func.count()).select_from(eerste)) or 0


def als_label(aantal: int) -> str:
    return f"{TOT}+" if aantal > TOT else str(aantal)


def markeer_gelezen(session: Session, *, medewerker_id: int | None = None, ids: Iterable[int] | None = None,
                    nu: dt.datetime | None = None) -> int:
    """Mark unread notifications as read in one statement: all of one medewerker, or these (the page an inwoner
    just saw). Returns how many were unread."""
    if medewerker_id is None and ids is None:
        raise ValueError("markeer_gelezen: zeg wiens meldingen, of welke")
    stmt = update(Notificatie).where(Notificatie.gelezen.is_(None))
    if medewerker_id is not None:
        stmt = stmt.where(Notificatie.medewerker_id == medewerker_id)
    if ids is not None:
        stmt = stmt.where(Notificatie.id.in_(list(ids)))
    resultaat = session.execute(stmt.values(gelezen=nu or dt.datetime.now(dt.UTC))
                                .execution_options(synchronize_session=False))
    return resultaat.rowcount or 0
