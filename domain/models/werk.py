"""Work around a zaak: legal terms (termijnen) and actions for a team (acties)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .organisatie import Team


class Termijn(Base):
    __tablename__ = "termijn"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(40))  # wmo-onderzoek, wmo-beschikking, bezwaartermijn ...
    bron: Mapped[str] = mapped_column(String(200))  # the legal source shown to inwoner and medewerker
    startdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date] = mapped_column(Date, index=True)
    opgeschort_sinds: Mapped[dt.date | None] = mapped_column(Date)
    gestopt_op: Mapped[dt.date | None] = mapped_column(Date)
    gewaarschuwd: Mapped[bool] = mapped_column(default=False)
    # Why the term was suspended or extended (also in the letter to the inwoner).
    toelichting: Mapped[str | None] = mapped_column(Text)


class Actie(Base):
    __tablename__ = "actie"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(60))  # toetsing, bestellen, bezwaar_behandelen ...
    omschrijving: Mapped[str] = mapped_column(Text)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    afgerond: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    afgerond_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))

    team: Mapped[Team] = relationship()
