"""Server-side log-in sessions. The browser cookie holds only a random token; the BSN stays on the server."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Sessie(Base):
    __tablename__ = "sessie"

    # sha256 of the token in the cookie: a database leak does not hand out live sessions.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    soort: Mapped[str] = mapped_column(String(20))  # inwoner, medewerker
    bsn: Mapped[str | None] = mapped_column(String(9))
    inwoner_id: Mapped[int | None] = mapped_column(ForeignKey("inwoner.id", ondelete="CASCADE"))
    medewerker_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id", ondelete="CASCADE"))
    betrouwbaarheidsniveau: Mapped[str | None] = mapped_column(String(20))
    # The inwoner ids of the minors this inwoner may act for, as the BRP said at this log-in (gezag). Fixed for the
    # session: a new log-in asks the BRP again.
    namens_inwoner_ids: Mapped[list[int] | None] = mapped_column(JSON)
    # Kept for the provider's end_session endpoint (id_token_hint).
    id_token: Mapped[str | None] = mapped_column(Text)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    laatste_activiteit: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    beeindigd: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # Read-only: every request loads the session with its inwoner or medewerker in one statement (app.auth).
    inwoner = relationship("Inwoner", viewonly=True)
    medewerker = relationship("Medewerker", viewonly=True)
