"""The content of a bezwaarschrift. The bezwaar itself is a zaak (zaaktype 'bezwaar') on the process engine."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Bezwaarschrift(Base):
    __tablename__ = "bezwaarschrift"
    __table_args__ = (
        CheckConstraint("uitkomst IS NULL OR uitkomst IN ('gegrond', 'ongegrond', 'niet_ontvankelijk')", name="uitkomst"),
        # One bezwaar per besluit, held by the database: simultaneous submissions cannot make a second one.
        UniqueConstraint("besluit_id", name="uq_bezwaarschrift_besluit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), unique=True)
    besluit_id: Mapped[int] = mapped_column(ForeignKey("besluit.id"), index=True)
    ontvangen_op: Mapped[dt.date] = mapped_column(Date)
    gronden: Mapped[str] = mapped_column(Text)
    contact_hoorzitting: Mapped[str | None] = mapped_column(String(300))
    # Filed after the bezwaartermijn: accepted, and the verschoonbaarheid question (Awb 6:11) must be answered.
    te_laat: Mapped[bool] = mapped_column(default=False)
    adviescommissie: Mapped[bool] = mapped_column(default=False)
    advies: Mapped[str | None] = mapped_column(Text)
    # Horen left out (Awb 7:3): the ground (domain.processes.bezwaar.HOREN_ACHTERWEGE) and the explanation.
    horen_achterwege: Mapped[str | None] = mapped_column(String(40))
    horen_toelichting: Mapped[str | None] = mapped_column(Text)
    uitkomst: Mapped[str | None] = mapped_column(String(20))
    motivering: Mapped[str | None] = mapped_column(Text)
    beslist_op: Mapped[dt.date | None] = mapped_column(Date)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
