"""Klantcontacten (every contact, also when only advice was given) and afspraken."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .inwoner import Inwoner
from .organisatie import Medewerker


class Klantcontact(Base):
    __tablename__ = "klantcontact"

    id: Mapped[int] = mapped_column(primary_key=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id"), index=True)
    medewerker_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    kanaal: Mapped[str] = mapped_column(String(20))  # telefoon, email, balie, portaal, brief
    onderwerp: Mapped[str] = mapped_column(String(200))
    tekst: Mapped[str | None] = mapped_column(Text)
    # Closed as advice: no melding was made, the contact is still registered.
    alleen_advies: Mapped[bool] = mapped_column(Boolean, default=False)
    zichtbaar_voor_inwoner: Mapped[bool] = mapped_column(Boolean, default=True)
    tijdstip: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    inwoner: Mapped[Inwoner] = relationship()
    medewerker: Mapped[Medewerker | None] = relationship()


class Afspraak(Base):
    __tablename__ = "afspraak"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(40))  # keukentafelgesprek, huisbezoek, intake, hoorzitting
    start: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    eind: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    locatie: Mapped[str | None] = mapped_column(String(300))
    video_link: Mapped[str | None] = mapped_column(String(500))
    voorbereiding: Mapped[str | None] = mapped_column(Text)
    medewerker_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    geannuleerd: Mapped[bool] = mapped_column(Boolean, default=False)
    annuleringsreden: Mapped[str | None] = mapped_column(Text)  # told to the inwoner ("verzet naar …", a reason)
    # That it took place, recorded by the medewerker (domain/afspraken.py): a verslag is written after a gesprek,
    # a bezwaar is decided after its hoorzitting (Awb 7:2), and both need to know it happened.
    gehouden_op: Mapped[dt.date | None] = mapped_column(Date)
    aanwezig: Mapped[str | None] = mapped_column(Text)
    verslag: Mapped[str | None] = mapped_column(Text)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    medewerker: Mapped[Medewerker | None] = relationship()
