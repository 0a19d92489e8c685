"""Who else a zaak is about besides its inwoner (the ZGW rol "betrokkene"), and a referral that started a zaak."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .inwoner import Inwoner
from .organisatie import Medewerker

# The roles a betrokkene can have in a zaak about a family; what a medewerker reads.
BETROKKENE_ROLLEN = {"kind": "Kind", "ouder": "Ouder", "verzorger": "Verzorger of opvoeder", "anders": "Andere betrokkene"}


class ZaakBetrokkene(Base):
    """A person the zaak is about as well: the brothers and sisters, the parents, a partner (each from the BRP)."""

    __tablename__ = "zaak_betrokkene"
    __table_args__ = (UniqueConstraint("zaak_id", "inwoner_id", name="uq_zaak_betrokkene"),
                      CheckConstraint("rol IN ('kind', 'ouder', 'verzorger', 'anders')", name="rol_bekend"))

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    rol: Mapped[str] = mapped_column(String(20))

    inwoner: Mapped[Inwoner] = relationship()


class Verwijzing(Base):
    """A referral by another organisation that started the zaak (Veilig Thuis for the Regieteam): who referred,
    when, and the concerns in their words."""

    __tablename__ = "verwijzing"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), unique=True)
    organisatie: Mapped[str] = mapped_column(String(200))
    contactpersoon: Mapped[str] = mapped_column(String(200))
    telefoon: Mapped[str | None] = mapped_column(String(30))
    verwezen_op: Mapped[dt.date] = mapped_column(Date)
    zorgen: Mapped[str] = mapped_column(Text)
    geregistreerd_door_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    geregistreerd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    geregistreerd_door: Mapped[Medewerker] = relationship()
