"""A question of the gemeente to the inwoner about a zaak (informatieverzoek), answered in the portal."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .organisatie import Medewerker


class Vraag(Base):
    """Status: open -> beantwoord. The answer is text and/or documents (Document.vraag_id)."""

    __tablename__ = "vraag"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    gesteld_door_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    tekst: Mapped[str] = mapped_column(Text)
    uiterlijk: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    gesteld_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    antwoord: Mapped[str | None] = mapped_column(Text)
    beantwoord_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    gesteld_door: Mapped[Medewerker] = relationship()
