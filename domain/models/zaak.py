"""A zaak: one melding or aanvraag of an inwoner, moved through its zaaktype's statuses by the engine."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .gemeente import Gemeente
from .inwoner import Inwoner
from .organisatie import Medewerker, Team

# The werkvoorraad's order: by deadline, zaken without one last (as if due on EINDE). In SQL a literal, not a bound
# parameter, so that the database can match the query's expression to the indexes below.
EINDE = dt.date(9999, 12, 31)
GEEN_DEADLINE = literal_column(f"'{EINDE.isoformat()}'")
OPEN = text("afgesloten IS false")


class Zaak(Base):
    __tablename__ = "zaak"
    __table_args__ = (
        # The werkvoorraad lists open zaken of a team by deadline; keyset paging walks this index.
        Index("ix_zaak_team_werkvoorraad", "team_id", "afgesloten", "uiterlijke_einddatum", "id"),
        Index("ix_zaak_behandelaar_werkvoorraad", "behandelaar_id", "afgesloten", "uiterlijke_einddatum", "id"),
        # The bezwaar zaak about a besluit: found by it (the portal's bezwaar lookup), and one per besluit.
        Index("uq_zaak_besluit", "besluit_id", unique=True),
        # Only the open zaken (a small part of all), each in the werkvoorraad's order, so that the first page of
        # a queue reads 26 index entries however many zaken there are (bench/laad_bench.py).
        Index("ix_zaak_open_team", "team_id", func.coalesce(literal_column("uiterlijke_einddatum"), GEEN_DEADLINE), "id",
              postgresql_where=OPEN, sqlite_where=OPEN),
        Index("ix_zaak_open_behandelaar", "behandelaar_id",
              func.coalesce(literal_column("uiterlijke_einddatum"), GEEN_DEADLINE), "id",
              postgresql_where=OPEN, sqlite_where=OPEN),
        Index("ix_zaak_open", func.coalesce(literal_column("uiterlijke_einddatum"), GEEN_DEADLINE), "id",
              postgresql_where=OPEN, sqlite_where=OPEN),
        # A queue of the zaaktypen a team handles, for a role that sees every team's zaken (juridisch: the bezwaren):
        # one ordered read per zaaktype, not a walk through every open zaak until enough bezwaren turn up.
        Index("ix_zaak_open_zaaktype", "zaaktype", func.coalesce(literal_column("uiterlijke_einddatum"), GEEN_DEADLINE),
              "id", postgresql_where=OPEN, sqlite_where=OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identificatie: Mapped[str] = mapped_column(String(40), unique=True)
    zaaktype: Mapped[str] = mapped_column(String(40))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    behandelaar_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    status: Mapped[str] = mapped_column(String(60))
    omschrijving: Mapped[str | None] = mapped_column(Text)
    # The inwoner's question in their own words, as team toegang noted it.
    hulpvraag: Mapped[str | None] = mapped_column(Text)
    startdatum: Mapped[dt.date] = mapped_column(Date)
    # The date the aanvraag was received (where a zaaktype's aanvraag is the signed onderzoeksverslag: the day
    # it was signed); starts the beslistermijn.
    aanvraagdatum: Mapped[dt.date | None] = mapped_column(Date)
    uiterlijke_einddatum: Mapped[dt.date | None] = mapped_column(Date)
    opgeschort_sinds: Mapped[dt.date | None] = mapped_column(Date)
    verlengd_tot: Mapped[dt.date | None] = mapped_column(Date)
    afgesloten: Mapped[bool] = mapped_column(default=False)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A bezwaar is a zaak of its own about one besluit of another zaak (the hoofdzaak).
    hoofdzaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id"), index=True)
    besluit_id: Mapped[int | None] = mapped_column(ForeignKey("besluit.id", use_alter=True))
    # Ingebrekestelling (Awb 4:17): the day the inwoner told us the beslistermijn had passed.
    ingebreke_gesteld_op: Mapped[dt.date | None] = mapped_column(Date)
    # The gemeente's zaaktype variant valid when the zaak started: the zaak keeps its rules (domain/configuratie.py).
    configuratie_id: Mapped[int | None] = mapped_column(ForeignKey("zaaktype_configuratie.id"))
    # Optimistic locking: two medewerkers acting on the same zaak at once cannot both succeed.
    versie: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": versie}

    gemeente: Mapped[Gemeente] = relationship()
    inwoner: Mapped[Inwoner] = relationship()
    team: Mapped[Team | None] = relationship()
    behandelaar: Mapped[Medewerker | None] = relationship()
    hoofdzaak: Mapped[Zaak | None] = relationship(remote_side="Zaak.id", foreign_keys=[hoofdzaak_id])
    historie: Mapped[list[StatusHistorie]] = relationship(
        back_populates="zaak", order_by="StatusHistorie.id", cascade="all, delete-orphan"
    )


class StatusHistorie(Base):
    __tablename__ = "status_historie"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    van_status: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(60))
    overgang: Mapped[str | None] = mapped_column(String(60))
    tijdstip: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Exactly one of these says who fired the overgang (NULL both: the system itself).
    medewerker_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    door_inwoner: Mapped[bool] = mapped_column(default=False)
    toelichting: Mapped[str | None] = mapped_column(Text)

    zaak: Mapped[Zaak] = relationship(back_populates="historie")


class ZaakEigenschap(Base):
    """The value of one eigenschap (ZGW zaakeigenschap) a zaaktype declares, for one zaak. Absent: not yet known."""

    __tablename__ = "zaak_eigenschap"
    __table_args__ = (UniqueConstraint("zaak_id", "code", name="uq_zaak_eigenschap"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    waarde: Mapped[Any] = mapped_column(JSON, nullable=True)
    gewijzigd: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    gewijzigd_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))


class ZaakRelatie(Base):
    """A relation between two zaken with its kind (domain/relaties.py): the zaak it starts from and the other."""

    __tablename__ = "zaak_relatie"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    andere_zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(40))
    toelichting: Mapped[str | None] = mapped_column(Text)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    aangemaakt_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))

    zaak: Mapped[Zaak] = relationship(foreign_keys=[zaak_id])
    andere_zaak: Mapped[Zaak] = relationship(foreign_keys=[andere_zaak_id])
