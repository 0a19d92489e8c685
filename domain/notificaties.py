"""Reading notifications: the unread count every page's menu shows, and marking them read, at a cost that does not
grow with how many there are."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .models import Notificatie

TOT = 99  # the menu shows "99+" beyond this: nobody reads the exact number of a hundred unread messages


def _ongelezen(medewerker_id: int | None, inwoner_id: int | None):
    if medewerker_id is not None:
        return (Notificatie.medewerker_id == medewerker_id, Notificatie.gelezen.is_(None))
    return (Notificatie.inwoner_id == inwoner_id, Notificatie.gelezen.is_(None))


def aantal_ongelezen(session: Session, *, medewerker_id: int | None = None, inwoner_id: int | None = None) -> int:
    """Unread notifications, counted up to TOT + 1 (a bounded index read, whatever the total)."""
    eerste = select(Notificatie.id).where(*_ongelezen(medewerker_id, inwoner_id)).limit(TOT + 1).subquery()
    return session.scalar(select(func.count()).select_from(eerste)) or 0


def als_label(aantal: int) -> str:
    return f"{TOT}+" if aantal > TOT else str(aantal)


def markeer_gelezen(session: Session, *, medewerker_id: int | None = None, inwoner_id: int | None = None,
                    nu: dt.datetime | None = None) -> int:
    """Mark all unread notifications of one recipient as read, in one statement. Returns how many."""
    resultaat = session.execute(update(Notificatie).where(*_ongelezen(medewerker_id, inwoner_id))
                                .values(gelezen=nu or dt.datetime.now(dt.UTC)).execution_options(synchronize_session=False))
    return resultaat.rowcount or 0
