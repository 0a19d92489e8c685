"""Work around a zaak: legal terms (termijnen) and actions for a team (acties)."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .organisatie import Team

if TYPE_CHECKING:
    from .berichten import Bericht


class Termijn(Base):
    __tablename__ = "termijn"
    __table_args__ = (
        # The running terms in order of their last day (the teamleider's overview, the warning sweep).
        Index("ix_termijn_lopend", "einddatum", "id", postgresql_where=text("gestopt_op IS NULL"),
              sqlite_where=text("gestopt_op IS NULL")),
        Index("ix_termijn_gestopt_op", "gestopt_op"),
    )

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
    # Suspended without an end date until this event happens (e.g. "antwoord_inwoner"), since opgeschort_sinds;
    # the clock stands still, and resumes with the remaining days (domain.effects.hervat_termijnen).
    opgeschort_tot: Mapped[str | None] = mapped_column(String(60))
    # What the system does by itself (the zaaktype's Termijnsoort, copied when the term starts; domain/tijdgestuurd):
    # the overgang fired the day after the last day, and when that was handled (fired, or not possible: the note).
    bij_einde: Mapped[str | None] = mapped_column(String(60))
    afgehandeld_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    afhandeling: Mapped[str | None] = mapped_column(Text)
    # A reminder due on herinner_op (it moves along with einddatum), sent on herinnerd_op.
    herinner_op: Mapped[dt.date | None] = mapped_column(Date)
    herinnerd_op: Mapped[dt.date | None] = mapped_column(Date)

    def zet_einddatum(self, nieuw: dt.date) -> None:
        """Move the last day (verlenging, opschorting); a reminder not yet sent moves along with it."""
        if self.herinner_op is not None and self.herinnerd_op is None and self.einddatum is not None:
            self.herinner_op += nieuw - self.einddatum
        self.einddatum = nieuw


class Actie(Base):
    __tablename__ = "actie"
    # A team's open actions in the order they came in: the queue reads a page of these, not all actions ever.
    __table_args__ = (Index("ix_actie_open", "team_id", "id", postgresql_where=text("afgerond IS NULL"),
                            sqlite_where=text("afgerond IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(60))  # toetsing, bestellen, bezwaar_behandelen ...
    omschrijving: Mapped[str] = mapped_column(Text)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    afgerond: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    afgerond_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    # The received message this action is about (a 315/317 to answer, a 302 with objections), also when there is
    # no zaak (a verzoek om toewijzing for someone the gemeente does not know yet).
    bericht_id: Mapped[int | None] = mapped_column(ForeignKey("bericht.id", ondelete="SET NULL"), index=True)
    # The contact this action is about when there is no zaak yet (a hulpvraag the inwoner sent from the portal).
    klantcontact_id: Mapped[int | None] = mapped_column(ForeignKey("klantcontact.id", ondelete="CASCADE"), index=True)

    team: Mapped[Team] = relationship()
    bericht: Mapped[Bericht | None] = relationship()


class TermijnStand(Base):
    """How many of the gemeente's terms of one team were past their last day on a date: the teamleider's trend
    reads these few rows instead of counting all terms ever (written once per day and date, see
    domain.termijnbewaking.leg_stand_vast)."""
    __tablename__ = "termijn_stand"
    __table_args__ = (UniqueConstraint("datum", "team_id", "gemeente_id", name="uq_termijn_stand"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    te_laat: Mapped[int] = mapped_column(Integer)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
