"""The Verwijsindex on a zaak: our signal about the young person (domain/verwijsindex.py) and the matches the
index reported with other organisations that signalled the same young person."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

ACTIEF = "ingetrokken_op IS NULL AND beeindigd_op IS NULL"


class VerwijsindexSignaal(Base):
    """One signal in the Verwijsindex. Active until withdrawn (`ingetrokken_*`) or until its legal term ends
    (`beeindigd_op`, the daily sweep). At most one active signal per young person per organisation."""

    __tablename__ = "verwijsindex_signaal"
    __table_args__ = (
        Index("uq_verwijsindex_signaal_actief", "inwoner_id", "organisatie_code", unique=True,
              sqlite_where=text(ACTIEF), postgresql_where=text(ACTIEF)),
        CheckConstraint("ingetrokken_op IS NULL OR intrekreden IS NOT NULL", name="intrekken_met_reden"),
        CheckConstraint("eindigt_op > datum", name="termijn_na_datum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)  # the young person
    # Who signalled, as sent: the gemeente's Regieteam and its OIN (or CBS gemeentecode).
    organisatie: Mapped[str] = mapped_column(String(200))
    organisatie_code: Mapped[str] = mapped_column(String(30))
    datum: Mapped[dt.date] = mapped_column(Date)
    contactpersoon: Mapped[str] = mapped_column(String(200))
    telefoon: Mapped[str] = mapped_column(String(30))
    extern_kenmerk: Mapped[str] = mapped_column(String(100))
    aangemeld_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    aangemeld_door_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    # The day it stops being active (the legal term, integrations/verwijsindex): two years after the signal, or the 23rd birthday if earlier.
    eindigt_op: Mapped[dt.date] = mapped_column(Date, index=True)
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    intrekreden: Mapped[str | None] = mapped_column(Text)
    beeindigd_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    matches_opgehaald_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    matches: Mapped[list[VerwijsindexMatch]] = relationship(
        back_populates="signaal", order_by="VerwijsindexMatch.id", cascade="all, delete-orphan")

    @property
    def actief(self) -> bool:
        return self.ingetrokken_op is None and self.beeindigd_op is None


class VerwijsindexMatch(Base):
    """Another organisation signalled the same young person: whom to call. Stored once per other signal."""

    __tablename__ = "verwijsindex_match"
    __table_args__ = (UniqueConstraint("signaal_id", "extern_kenmerk", name="uq_verwijsindex_match_signaal_kenmerk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signaal_id: Mapped[int] = mapped_column(ForeignKey("verwijsindex_signaal.id", ondelete="CASCADE"), index=True)
    extern_kenmerk: Mapped[str] = mapped_column(String(100))
    organisatie: Mapped[str] = mapped_column(String(200))
    contactpersoon: Mapped[str] = mapped_column(String(200))
    telefoon: Mapped[str] = mapped_column(String(30))
    sinds: Mapped[dt.date] = mapped_column(Date)  # the other organisation's signal date
    ontvangen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    signaal: Mapped[VerwijsindexSignaal] = relationship(back_populates="matches")
