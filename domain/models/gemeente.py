"""A gemeente served by this installation. One werkorganisatie may serve several."""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Gemeente(Base):
    __tablename__ = "gemeente"

    id: Mapped[int] = mapped_column(primary_key=True)
    # CBS gemeentecode, four digits ("0489"); the Afzender in iWmo/iJw messages.
    code: Mapped[str] = mapped_column(String(4), unique=True)
    naam: Mapped[str] = mapped_column(String(100))
    # Branding: a logo file under static/img/gemeenten/ and two colours for the design-token theme.
    logo: Mapped[str | None] = mapped_column(String(200))
    kleur_primair: Mapped[str] = mapped_column(String(7), default="#1f4e79")
    kleur_accent: Mapped[str] = mapped_column(String(7), default="#c8102e")
    # Letterhead for letters and beschikkingen: postal address, phone, website, e-mail.
    briefhoofd: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Settings of the gemeente as a whole (its own closing days). What differs per zaaktype is a versioned
    # ZaaktypeConfiguratie (domain/configuratie.py).
    instellingen: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    contact_tekst: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<Gemeente {self.code} {self.naam}>"
