"""What an inwoner filled in on a portal form (domain/formulieren.py): a draft until it is sent, then fixed.

Its documents (Document.formulier_inzending_id) are the files uploaded on it and, once sent, the PDF of what
was sent (documenttype "formulier"), on the zaak for the consulent and the inwoner."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class FormulierInzending(Base):
    """Status: concept -> verzonden. A draft is in the database (not in the browser), so the inwoner resumes it
    later, also on another device. Sent, it is never changed again: the PDF on the zaak is what was sent."""

    __tablename__ = "formulier_inzending"
    __table_args__ = (Index("ix_formulier_inzending_zaak_formulier", "zaak_id", "formulier", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"))
    formulier: Mapped[str] = mapped_column(String(60))  # Formulier.code within the zaak's zaaktype
    # Who fills it in: the inwoner logged in with DigiD (for a child's zaak, a parent with gezag).
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    waarden: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="concept")
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    gewijzigd: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verzonden_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking: the same draft saved on two devices at once cannot silently overwrite one of them.
    versie: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": versie}
