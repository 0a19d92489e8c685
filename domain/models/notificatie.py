"""Notifications in the portal/backoffice and the durable outbox for e-mail."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Notificatie(Base):
    __tablename__ = "notificatie"
    __table_args__ = (
        CheckConstraint(
            "(inwoner_id IS NULL) <> (medewerker_id IS NULL)", name="een_ontvanger"
        ),
        Index("ix_notificatie_inwoner", "inwoner_id", "id"),
        # The backoffice's Meldingen page: a medewerker's notifications, newest first.
        Index("ix_notificatie_medewerker_aangemaakt", "medewerker_id", "aangemaakt", "id"),
        # The unread count in every page's menu reads only unread rows.
        Index("ix_notificatie_medewerker_ongelezen", "medewerker_id", postgresql_where=text("gelezen IS NULL"),
              sqlite_where=text("gelezen IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inwoner_id: Mapped[int | None] = mapped_column(ForeignKey("inwoner.id"))
    medewerker_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"))
    onderwerp: Mapped[str] = mapped_column(String(200))  # the short title (notificaties.titel); the message is `tekst`
    tekst: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    gelezen: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class MailBericht(Base):
    """One e-mail in the outbox. A sweep sends it over SMTP and retries with backoff; nothing is lost."""

    __tablename__ = "mail_bericht"
    __table_args__ = (Index("ix_mail_bericht_te_verzenden", "status", "volgende_poging"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    aan: Mapped[str] = mapped_column(String(300))
    onderwerp: Mapped[str] = mapped_column(String(300))
    tekst: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="klaar")  # klaar, verzonden, mislukt
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    volgende_poging: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    laatste_fout: Mapped[str | None] = mapped_column(Text)
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verzonden: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
