"""Secure e-mail (domain/beveiligde_mail.py): a zending is one message to the inwoner behind a one-time link, with
the documents it carries, the one-time codes sent by SMS for its second factor, and everything that happened to it.
The link's token and the codes are stored only as hashes."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .document import DocumentVersie

STATUSSEN = ("niet_verzonden", "verzonden", "geopend", "afgerond", "verlopen", "geblokkeerd")

zending_document = Table(
    "beveiligde_zending_document", Base.metadata,
    Column("zending_id", ForeignKey("beveiligde_zending.id", ondelete="CASCADE"), primary_key=True),
    Column("document_versie_id", ForeignKey("document_versie.id", ondelete="CASCADE"), primary_key=True),
)


class BeveiligdeZending(Base):
    __tablename__ = "beveiligde_zending"
    __table_args__ = (
        CheckConstraint("status IN ('niet_verzonden', 'verzonden', 'geopend', 'afgerond', 'verlopen', 'geblokkeerd')",
                        name="status_bekend"),
        # A link that went out has a token; one that could not go out has none, and says why.
        CheckConstraint("status = 'niet_verzonden' OR token_hash IS NOT NULL", name="verzonden_heeft_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    onderwerp: Mapped[str] = mapped_column(String(300))
    tekst: Mapped[str] = mapped_column(Text)
    # sha256 of the link's token; the token itself is only in the mail.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reden: Mapped[str | None] = mapped_column(String(300))  # why it was not sent
    # The addresses as used for this zending (the inwoner's contact data may change later).
    email: Mapped[str | None] = mapped_column(String(200))
    telefoon: Mapped[str | None] = mapped_column(String(30))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verzonden_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verloopt_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    geopend_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # After the right code: the browser that entered it holds a secret (its hash here) until `toegang_tot`.
    toegang_hash: Mapped[str | None] = mapped_column(String(64))
    toegang_tot: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    afgerond_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verlopen_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    geblokkeerd_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    foute_codes: Mapped[int] = mapped_column(Integer, default=0)
    # The zending this one replaces (a new link after an expired or blocked one).
    vervangt_id: Mapped[int | None] = mapped_column(ForeignKey("beveiligde_zending.id", ondelete="SET NULL"))

    zaak = relationship("Zaak")
    documenten: Mapped[list[DocumentVersie]] = relationship(secondary=zending_document, order_by=DocumentVersie.id)
    gebeurtenissen: Mapped[list[BeveiligdeGebeurtenis]] = relationship(
        back_populates="zending", order_by="BeveiligdeGebeurtenis.id", cascade="all, delete-orphan")


class BeveiligdeGebeurtenis(Base):
    """What happened to a zending: verzonden, niet_verzonden, code_verstuurd, code_fout, geopend,
    document_gedownload, reactie_verstuurd, afgerond, verlopen, geblokkeerd, nieuwe_link."""

    __tablename__ = "beveiligde_gebeurtenis"

    id: Mapped[int] = mapped_column(primary_key=True)
    zending_id: Mapped[int] = mapped_column(ForeignKey("beveiligde_zending.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(30))
    tijdstip: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    omschrijving: Mapped[str | None] = mapped_column(String(300))

    zending: Mapped[BeveiligdeZending] = relationship(back_populates="gebeurtenissen")


class BeveiligdeCode(Base):
    """A one-time code sent by SMS: its salted hash, until when it works, how often it was tried."""

    __tablename__ = "beveiligde_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    zending_id: Mapped[int] = mapped_column(ForeignKey("beveiligde_zending.id", ondelete="CASCADE"), index=True)
    zout: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verloopt_op: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    gebruikt_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
