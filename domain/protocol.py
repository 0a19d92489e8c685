"""Protocollering: one function records every read and write of an inwoner's personal data."""
from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy.orm import Session

from .actor import Actor
from .models import AuditLog


# Set by the web layer per request, so every audit record carries the id a helpdesk can search for.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


class Handeling:
    LEZEN = "lezen"
    WIJZIGEN = "wijzigen"
    AANMAKEN = "aanmaken"
    ZOEKEN = "zoeken"
    INLOGGEN = "inloggen"
    UITLOGGEN = "uitloggen"
    WEIGEREN = "geweigerd"


def protocolleer(
    session: Session,
    actor: Actor,
    *,
    handeling: str,
    object_type: str,
    omschrijving: str,
    doel: str,
    inwoner_id: int | None = None,
    object_id: int | str | None = None,
    request_id: str | None = None,
) -> AuditLog:
    """Add an audit record to the session; it commits with the operation it describes.

    The omschrijving must never contain a BSN: callers describe what was done, the inwoner_id says to whom.
    """
    record = AuditLog(
        actor_type=actor.soort,
        actor_id=actor.id,
        actor_naam=actor.naam,
        inwoner_id=inwoner_id,
        handeling=handeling,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        omschrijving=omschrijving[:500],
        doel=doel[:200],
        request_id=request_id or current_request_id.get(),
    )
    session.add(record)
    return record
