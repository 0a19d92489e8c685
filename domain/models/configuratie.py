"""A gemeente's own variant of a zaaktype: the choices the zaaktype leaves open, as data, in versions.

The process skeleton is Python (domain/processes/<zaaktype>.py). What a gemeente may choose there (optional steps
on or off, terms where the law allows a choice, toetsing rules, the handling team, letter texts, the channel) is
a `ZaaktypeConfiguratie`: one row per version, never changed once written, valid from its `begindatum`. A zaak
keeps the version that was valid when it started (`Zaak.configuratie_id`), as a ZGW zaak keeps its zaaktype
version.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .gemeente import Gemeente
from .organisatie import Medewerker


class ZaaktypeConfiguratie(Base):
    __tablename__ = "zaaktype_configuratie"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "zaaktype", "versie", name="uq_zaaktype_configuratie_versie"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id", ondelete="CASCADE"), index=True)
    zaaktype: Mapped[str] = mapped_column(String(40))
    versie: Mapped[int] = mapped_column(Integer)
    begindatum: Mapped[dt.date] = mapped_column(Date)
    # Only the choices that differ from the zaaktype's defaults are stored; the defaults fill in the rest.
    waarden: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    toelichting: Mapped[str | None] = mapped_column(Text)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    aangemaakt_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))

    gemeente: Mapped[Gemeente] = relationship()
    aangemaakt_door: Mapped[Medewerker | None] = relationship()
