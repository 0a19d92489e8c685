"""Protocollering: who looked at or changed which inwoner's data, when, what and why.

In the spirit of the Logboek Dataverwerkingen standard. Rows are only ever inserted: the application has no
update or delete path, the ORM refuses one, and the migration adds database triggers that refuse it too.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_inwoner", "inwoner_id", "tijdstip"),
        Index("ix_audit_log_tijdstip", "tijdstip"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tijdstip: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_type: Mapped[str] = mapped_column(String(20))  # medewerker, inwoner, systeem
    actor_id: Mapped[int | None] = mapped_column()
    actor_naam: Mapped[str] = mapped_column(String(200))
    inwoner_id: Mapped[int | None] = mapped_column(ForeignKey("inwoner.id"))
    # Set when an inwoner acted on behalf of someone else ("namens"): a parent with gezag for their minor child.
    # Then actor_id is the parent and inwoner_id (= namens_inwoner_id) the child whose data it concerns.
    namens_inwoner_id: Mapped[int | None] = mapped_column(ForeignKey("inwoner.id"))
    handeling: Mapped[str] = mapped_column(String(20))  # lezen, wijzigen, aanmaken, inloggen ...
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(60))
    omschrijving: Mapped[str] = mapped_column(String(500))
    doel: Mapped[str] = mapped_column(String(200))  # the why: the task or legal ground of the processing
    request_id: Mapped[str | None] = mapped_column(String(40))


@event.listens_for(AuditLog, "before_update")
def _geen_wijziging(mapper, connection, target):  # pragma: no cover - guarded by tests via the ORM
    raise PermissionError("protocolregels kunnen niet worden gewijzigd")


@event.listens_for(AuditLog, "before_delete")
def _geen_verwijdering(mapper, connection, target):
    raise PermissionError("protocolregels kunnen niet worden verwijderd")
