"""Claiming the next due row of an outbox (mail, iWmo/iJw berichten), shared by every outbox sweep.

Rows are locked with FOR UPDATE SKIP LOCKED on PostgreSQL, so any number of sweeps on any number of
hosts can run side by side without sending anything twice (SQLite ignores the clause: run one sweep there)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def claim_reeks(session: Session, model: type, *voorwaarden: Any, moment: dt.datetime, behandeld: list[int],
                limiet: int) -> list:
    """Up to `limiet` rows of `model` with status 'klaar' that are due at `moment`, oldest first, locked.
    `behandeld`: ids this sweep already touched (never twice in one sweep, even if a clock override makes a
    retried row due again at once); the claimed ids are added to it."""
    query = (
        select(model)
        .where(model.status == "klaar", model.volgende_poging <= moment, *voorwaarden)
        .order_by(model.volgende_poging, model.id)
        .limit(limiet)
        .with_for_update(skip_locked=True)
    )
    if behandeld:
        query = query.where(model.id.not_in(behandeld))
    rijen = list(session.scalars(query))
    behandeld.extend(r.id for r in rijen)
    return rijen


def claim_volgende(session: Session, model: type, *voorwaarden: Any, moment: dt.datetime, behandeld: list[int]):
    """The next due row (see `claim_reeks`), or None."""
    rijen = claim_reeks(session, model, *voorwaarden, moment=moment, behandeld=behandeld, limiet=1)
    return rijen[0] if rijen else None
