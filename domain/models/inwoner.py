"""An inwoner known to the system: the BRP data we copied at the first contact, plus contact preferences."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .gemeente import Gemeente


class Contactvoorkeur(StrEnum):
    EMAIL = "email"
    POST = "post"
    TELEFOON = "telefoon"


class Inwoner(Base):
    __tablename__ = "inwoner"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The BSN is personal data: it is never put in a URL or a log line; pages address an inwoner by id.
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    voornamen: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    geslachtsnaam: Mapped[str] = mapped_column(String(200))
    geboortedatum: Mapped[dt.date | None] = mapped_column(Date)
    # From the BRP (Haal Centraal geslacht.code): M, V or O (onbekend); None when the BRP did not say.
    geslacht: Mapped[str | None] = mapped_column(String(1))
    straat: Mapped[str | None] = mapped_column(String(200))
    huisnummer: Mapped[str | None] = mapped_column(String(20))
    postcode: Mapped[str | None] = mapped_column(String(7))
    woonplaats: Mapped[str | None] = mapped_column(String(100))
    # The gemeente of the inwoner's address decides which gemeente handles their zaken.
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    telefoon: Mapped[str | None] = mapped_column(String(30))
    contactvoorkeur: Mapped[str] = mapped_column(String(20), default=Contactvoorkeur.EMAIL.value)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    gemeente: Mapped[Gemeente] = relationship()

    @property
    def naam(self) -> str:
        delen = [self.voornamen, self.voorvoegsel, self.geslachtsnaam]
        return " ".join(d for d in delen if d)

    @property
    def adres(self) -> str:
        if not self.straat:
            return ""
        return f"{self.straat} {self.huisnummer or ''}, {self.postcode or ''} {self.woonplaats or ''}".strip()
