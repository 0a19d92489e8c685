"""Claiming the next due row of an outbox (mail, iWmo/iJw berichten), shared by every outbox sweep.

One row at a time, locked with FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of sweeps on any number of
hosts can run side by side without sending anything twice (SQLite ignores the clause: run one sweep there)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def claim_volgende(session: Session, model: type, *voorwaarden: Any, moment: dt.datetime, behandeld: list[int]):
    """The next row of `model` with status 'klaar' that is due at `moment`, locked; None when there is none.
    `behandeld`: ids this sweep already touched (never twice in one sweep, even if a clock override makes a
    retried row due again at once); the claimed id is added to it."""
    query = (
        select(model)
        .where(model.status == "klaar", model.volgende_poging <= moment, *voorwaarden)
        .order_by(model.volgende_poging, model.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if behandeld:
        query = query.where(model.id.not_in(behandeld))
    rij = session.scalars(query).first()
    if rij is not None:
        behandeld.append(rij.id)
    return rij
