"""Protocollering: one function records every read and write of an inwoner's personal data."""
from __future__ import annotations

from contextvars import ContextVar

from sqlalchemy.orm import Session

from .actor import Actor
from .models import AuditLog


# Set by the web layer per request, so every audit record carries the id a helpdesk can search for.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)


# The doel of an inwoner's read of their own data, and of a parent's read of their child's data (gezag).
DOEL_EIGEN = "Inzage eigen gegevens"
DOEL_NAMENS = "Inzage namens kind (gezag)"


def doel_inzage(actor: Actor, inwoner_id: int | None) -> str:
    return DOEL_NAMENS if actor.handelt_namens(inwoner_id) else DOEL_EIGEN


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
    When an inwoner handles the data of a child under their gezag, the record says so itself (namens_inwoner_id):
    callers need not, and cannot forget to.
    """
    record = AuditLog(
        actor_type=actor.soort,
        actor_id=actor.id,
        actor_naam=actor.naam,
        inwoner_id=inwoner_id,
        namens_inwoner_id=inwoner_id if actor.handelt_namens(inwoner_id) else None,
        handeling=handeling,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        omschrijving=omschrijving[:500],
        doel=doel[:200],
        request_id=request_id or current_request_id.get(),
    )
    session.add(record)
    return record
