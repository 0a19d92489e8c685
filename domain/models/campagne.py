"""Letter campaigns (briefcampagnes): one letter to many inwoners at once, made in the background."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Briefcampagne(Base):
    """A campaign of one soort (e.g. "herindicatie") over a period: who started it, how far it is.

    gepland (the backoffice made it; the worker picks it up) -> bezig -> afgerond. The counters are kept in the
    same transaction as the letters they count, so the progress page never runs ahead of what is stored."""

    __tablename__ = "briefcampagne"
    __table_args__ = (
        CheckConstraint("tot >= van", name="periode"),
        CheckConstraint("status IN ('gepland', 'bezig', 'afgerond')", name="status_bekend"),
        CheckConstraint("klaar + mislukt <= totaal", name="voortgang_binnen_totaal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    soort: Mapped[str] = mapped_column(String(30))
    van: Mapped[dt.date] = mapped_column(Date)
    tot: Mapped[dt.date] = mapped_column(Date)
    # The gemeenten of whoever started it: the campaign writes only to their inwoners.
    gemeente_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="gepland", index=True)
    totaal: Mapped[int] = mapped_column(Integer, default=0)
    klaar: Mapped[int] = mapped_column(Integer, default=0)
    mislukt: Mapped[int] = mapped_column(Integer, default=0)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    aangemaakt_door_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    gestart: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    afgerond: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Written with every batch: a campaign "bezig" whose heartbeat stopped was cut off (a crash) and may be resumed.
    bijgewerkt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Campagnebrief(Base):
    """One letter of a campaign, per voorziening. The unique key is what makes a campaign idempotent: a batch
    that is stored twice (a restart after a crash, two workers) fails on it instead of sending a second letter."""

    __tablename__ = "campagnebrief"
    __table_args__ = (
        UniqueConstraint("campagne_id", "voorziening_id", name="uq_campagnebrief_campagne_voorziening"),
        CheckConstraint("status IN ('klaar', 'mislukt')", name="status_bekend"),
        CheckConstraint("status <> 'klaar' OR document_versie_id IS NOT NULL", name="klaar_heeft_brief"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campagne_id: Mapped[int] = mapped_column(ForeignKey("briefcampagne.id", ondelete="CASCADE"), index=True)
    voorziening_id: Mapped[int] = mapped_column(ForeignKey("voorziening.id", ondelete="CASCADE"), index=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    document_versie_id: Mapped[int | None] = mapped_column(ForeignKey("document_versie.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20))
    fout: Mapped[str | None] = mapped_column(String(500))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
