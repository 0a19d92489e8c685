"""Berichtenverkeer (iWmo/iJw 3.2): zorgaanbieders, toewijzingen and every message sent or received.

A `Bericht` is the durable record of one message, in either direction. Outgoing messages are made in the same
transaction as the action that causes them (the bestelling makes a 301) and a sweep delivers them later (an
outbox, like the mail outbox). Incoming messages are stored before anything else happens; the unique key on
(richting, afzender, standaard, code, bericht_identificatie) makes sure a message that arrives twice is processed
once. The berichtsoort is part of the key because the standard only makes an identification unique per
berichtsoort per sender: a 305 and a 307 of one aanbieder may share one, and both must be processed.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .besluit import Voorziening
    from .inwoner import Inwoner
    from .zaak import Zaak


class Zorgaanbieder(Base):
    """A zorgaanbieder the gemeente contracts; the AGB code is its address in iWmo/iJw messages."""

    __tablename__ = "zorgaanbieder"
    __table_args__ = (CheckConstraint("length(agb_code) = 8", name="agb_acht_cijfers"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agb_code: Mapped[str] = mapped_column(String(8), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    actief: Mapped[bool] = mapped_column(default=True)
    # How the inwoner reaches it once it delivers (shown on her zaak page).
    telefoon: Mapped[str | None] = mapped_column(String(30))

    def __repr__(self) -> str:
        return f"<Zorgaanbieder {self.agb_code} {self.naam}>"


class Toewijzing(Base):
    """One toegewezen product (iWmo/iJw ToegewezenProduct) for one voorziening at one zorgaanbieder.

    Status: toegewezen (301 made) -> geaccepteerd (302 without objections) or afgewezen (302 with objections)
    -> gestart (305) -> gestopt (307).
    """

    __tablename__ = "toewijzing"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "toewijzingnummer", name="uq_toewijzing_gemeente_nummer"),
        CheckConstraint("einddatum IS NULL OR einddatum >= ingangsdatum", name="periode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    voorziening_id: Mapped[int] = mapped_column(ForeignKey("voorziening.id", ondelete="CASCADE"), index=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    aanbieder_id: Mapped[int] = mapped_column(ForeignKey("zorgaanbieder.id"), index=True)
    # ToewijzingNummer: unique within the gemeente (LDT_Nummer, at most 9 digits).
    toewijzingnummer: Mapped[int] = mapped_column(Integer)
    referentie_aanbieder: Mapped[str | None] = mapped_column(String(36))
    productcategorie: Mapped[str] = mapped_column(String(2))
    productcode: Mapped[str | None] = mapped_column(String(5))
    ingangsdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    volume: Mapped[int | None] = mapped_column(Integer)
    eenheid: Mapped[str | None] = mapped_column(String(2))
    frequentie: Mapped[str | None] = mapped_column(String(1))
    reden_wijziging: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(20), default="toegewezen")
    # Filled by the start (305) and stop (307) messages of the zorgaanbieder.
    begindatum: Mapped[dt.date | None] = mapped_column(Date)
    einddatum_levering: Mapped[dt.date | None] = mapped_column(Date)
    reden_beeindiging: Mapped[str | None] = mapped_column(String(2))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the gemeente last changed it (Einddatum, RedenWijziging): the 301 sends this as Toewijzingsdatum and
    # Toewijzingstijd, which tell the aanbieder which version of a ToewijzingNummer is the latest.
    gewijzigd: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    aanbieder: Mapped[Zorgaanbieder] = relationship()
    voorziening: Mapped[Voorziening] = relationship()
    zaak: Mapped[Zaak] = relationship()
    inwoner: Mapped[Inwoner] = relationship()


# How each standard names its messages (see Bericht.naam).
STANDAARDNAMEN = {"iwmo": "iWmo", "ijw": "iJw", "ieb": "iEb", "ipgb": "iPgb"}
BERICHT_VOORVOEGSELS = {"iwmo": "WMO", "ijw": "JW"}
BERICHTNAMEN = {("ieb", "eb"): "WMO405", ("ipgb", "pgb"): "TKB"}


class Bericht(Base):
    """One iWmo/iJw message, outgoing (richting 'uit') or incoming ('in').

    Status: outgoing klaar -> verzonden (-> mislukt after too many failed attempts); once the recipient's
    retourbericht came in, verwerkt (accepted) or afgekeurd (objections). Incoming: ontvangen -> verwerkt, or
    afgekeurd (not valid; a technical retourbericht with 0001 was queued).

    ``afzender``/``ontvanger`` are the real sender and recipient (gemeentecode or AGB code), not the header
    elements: the header of a retourbericht is a copy of the heenbericht's. ``bericht_identificatie`` is the
    message's own identification (IdentificatieRetour for a retourbericht); NULL for an incoming message that
    was technically rejected, so a corrected message with the same identification is still processed.
    ``heen_identificatie`` is the identification of the heenbericht a retourbericht (or 325) answers.
    """

    __tablename__ = "bericht"
    __table_args__ = (
        # BerichtIdentificatie is unique per berichtsoort for the sending party (iStandaarden rule, retourcode 9056).
        UniqueConstraint("richting", "afzender", "standaard", "code", "bericht_identificatie",
                         name="uq_bericht_richting_afzender_identificatie"),
        CheckConstraint("richting IN ('in', 'uit')", name="richting"),
        Index("ix_bericht_te_verzenden", "richting", "status", "volgende_poging"),
        # Outgoing messages by status in the order they were sent: "zonder antwoord" reads the oldest few.
        Index("ix_bericht_uit_verzonden", "status", "verzonden", postgresql_where=text("richting = 'uit'"),
              sqlite_where=text("richting = 'uit'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    richting: Mapped[str] = mapped_column(String(3))
    standaard: Mapped[str] = mapped_column(String(4))  # iwmo, ijw
    code: Mapped[str] = mapped_column(String(3))  # 301, 302, ...
    bericht_identificatie: Mapped[str | None] = mapped_column(String(12))
    heen_identificatie: Mapped[str | None] = mapped_column(String(12))
    afzender: Mapped[str | None] = mapped_column(String(8))
    ontvanger: Mapped[str | None] = mapped_column(String(8))
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    bestandsnaam: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20))
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    volgende_poging: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    laatste_fout: Mapped[str | None] = mapped_column(Text)
    # {pad: [retourcode, ...]}: for a message we answered, what we said about it; for a message the other party
    # answered, what they said about it.
    retourcodes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    aanbieder_id: Mapped[int | None] = mapped_column(ForeignKey("zorgaanbieder.id"), index=True)
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id", ondelete="SET NULL"), index=True)
    toewijzing_id: Mapped[int | None] = mapped_column(ForeignKey("toewijzing.id", ondelete="SET NULL"), index=True)
    heenbericht_id: Mapped[int | None] = mapped_column(ForeignKey("bericht.id", ondelete="SET NULL"), index=True)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verzonden: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verwerkt: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    aanbieder: Mapped[Zorgaanbieder | None] = relationship()
    # post_update: a received message and its answer are inserted in one batched statement and linked after;
    # without it SQLAlchemy writes the rows of this table one by one to respect the self-reference.
    heenbericht: Mapped[Bericht | None] = relationship(remote_side="Bericht.id", foreign_keys=[heenbericht_id],
                                                       post_update=True)

    @property
    def naam(self) -> str:
        """The message's name in its own standard: iWmo WMO301, iJw JW301; the CAK's iEb names the start and stop
        of the eigen bijdrage WMO405, the SVB's iPgb its toekenningsbericht TKB (our stand-ins "eb" and "pgb")."""
        eigen = BERICHTNAMEN.get((self.standaard, self.code))
        if eigen:
            return eigen
        voorvoegsel = BERICHT_VOORVOEGSELS.get(self.standaard)
        return f"{voorvoegsel}{self.code}" if voorvoegsel else f"{self.standaardnaam} {self.code}"

    @property
    def standaardnaam(self) -> str:
        """The iStandaard as it writes itself: iWmo, iJw, iEb, iPgb."""
        return STANDAARDNAMEN.get(self.standaard, self.standaard)


class Berichtreferentie(Base):
    """An identifier of the aanbieder that must be unique, claimed by the message that first used it:
    soort "verzoek" is the ReferentieAanbieder of a 315/317 (unique per aanbieder within the domain, retourcode
    9347), soort "prestatie" the ReferentieNummer of a declared prestatie (323, retourcode 8021). The unique key
    makes a second use visible, even from a parallel sweep."""

    __tablename__ = "berichtreferentie"
    __table_args__ = (
        UniqueConstraint("aanbieder_id", "standaard", "soort", "referentie", name="uq_berichtreferentie"),
        CheckConstraint("soort IN ('verzoek', 'prestatie')", name="soort"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    aanbieder_id: Mapped[int] = mapped_column(ForeignKey("zorgaanbieder.id"))
    standaard: Mapped[str] = mapped_column(String(4))
    soort: Mapped[str] = mapped_column(String(10))
    referentie: Mapped[str] = mapped_column(String(36))
    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id", ondelete="CASCADE"), index=True)

    bericht: Mapped[Bericht] = relationship()
