"""Teams and medewerkers. A medewerker has roles, belongs to teams and may work for several gemeenten."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..roles import Rol
from .base import Base, UTCDateTime, utcnow
from .gemeente import Gemeente

team_gemeente = Table(
    "team_gemeente",
    Base.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("gemeente_id", ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True),
)

medewerker_team = Table(
    "medewerker_team",
    Base.metadata,
    Column("medewerker_id", ForeignKey("medewerker.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
)

medewerker_gemeente = Table(
    "medewerker_gemeente",
    Base.metadata,
    Column("medewerker_id", ForeignKey("medewerker.id", ondelete="CASCADE"), primary_key=True),
    Column("gemeente_id", ForeignKey("gemeente.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str] = mapped_column(String(100))
    # The domain whose meldingen land in this team's werkvoorraad: toegang, wmo, jeugd, minima, ...
    domein: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    # The zaaktypen whose meldingen this team handles (configuration: adding a team needs no code).
    zaaktypen: Mapped[list[str]] = mapped_column(JSON, default=list)

    gemeenten: Mapped[list[Gemeente]] = relationship(secondary=team_gemeente)
    leden: Mapped[list[Medewerker]] = relationship(secondary=medewerker_team, back_populates="teams")


class Medewerker(Base):
    __tablename__ = "medewerker"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(80), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    # argon2 hash for local accounts (embedded default); NULL when the medewerker logs in through OIDC only.
    wachtwoord_hash: Mapped[str | None] = mapped_column(String(200))
    oidc_subject: Mapped[str | None] = mapped_column(String(200), unique=True)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    mislukte_pogingen: Mapped[int] = mapped_column(Integer, default=0)
    geblokkeerd_tot: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    laatst_ingelogd: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    rollen_rel: Mapped[list[MedewerkerRol]] = relationship(
        cascade="all, delete-orphan", back_populates="medewerker", lazy="selectin"
    )
    teams: Mapped[list[Team]] = relationship(secondary=medewerker_team, back_populates="leden")
    gemeenten: Mapped[list[Gemeente]] = relationship(secondary=medewerker_gemeente)

    @property
    def rollen(self) -> frozenset[Rol]:
        return frozenset(Rol(r.rol) for r in self.rollen_rel)

    def heeft_rol(self, *rollen: Rol) -> bool:
        return bool(self.rollen.intersection(rollen))


class MedewerkerRol(Base):
    __tablename__ = "medewerker_rol"
    __table_args__ = (UniqueConstraint("medewerker_id", "rol", name="uq_medewerker_rol_medewerker_rol"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    medewerker_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id", ondelete="CASCADE"), index=True)
    rol: Mapped[str] = mapped_column(String(40))

    medewerker: Mapped[Medewerker] = relationship(back_populates="rollen_rel")
