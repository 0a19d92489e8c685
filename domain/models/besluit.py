"""Onderzoeksverslagen, besluiten (beschikkingen), toetsing, the productshop and voorzieningen."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .organisatie import Medewerker


class Onderzoeksverslag(Base):
    """One saved version of the structured onderzoeksverslag. Versions are never overwritten."""

    __tablename__ = "onderzoeksverslag"
    __table_args__ = (UniqueConstraint("zaak_id", "versie", name="uq_onderzoeksverslag_zaak_versie"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    versie: Mapped[int] = mapped_column(Integer)
    hulpvraag: Mapped[str] = mapped_column(Text)
    situatie: Mapped[str] = mapped_column(Text)
    # [{"leefgebied": "Huishouden", "bevinding": "..."}], the Zelfredzaamheidsmatrix areas that were examined
    leefgebieden: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    eigen_kracht: Mapped[str] = mapped_column(Text)
    afweging: Mapped[str] = mapped_column(Text)
    advies: Mapped[str] = mapped_column(Text)
    auteur_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when this version is put in the portal: the rendered PDF that the inwoner reads and signs.
    document_versie_id: Mapped[int | None] = mapped_column(ForeignKey("document_versie.id"))
    opmerking_inwoner: Mapped[str | None] = mapped_column(Text)

    auteur: Mapped[Medewerker] = relationship()


class Product(Base):
    """The productshop catalogue: what a beschikking can grant, with the iWmo/iJw product codes."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    domein: Mapped[str] = mapped_column(String(20))  # wmo, jeugd, minima
    categorie: Mapped[str] = mapped_column(String(2))  # iWmo/iJw productcategorie, e.g. "02" hulp bij het huishouden
    productcode: Mapped[str | None] = mapped_column(String(5))
    eenheid: Mapped[str] = mapped_column(String(2))  # iStandaarden eenheid: 01 minuut, 04 uur, 14 etmaal, 82 stuks ...
    frequentie: Mapped[str] = mapped_column(String(1))  # 1 per dag, 2 per week, 4 per maand, 6 totaal binnen geldigheid
    tarief_cent: Mapped[int] = mapped_column(Integer, default=0)  # per eenheid
    actief: Mapped[bool] = mapped_column(default=True)


class Besluit(Base):
    """A besluit on an aanvraag, sent as a beschikking. Four-eyes: the author can never approve it."""

    __tablename__ = "besluit"
    __table_args__ = (
        CheckConstraint("goedgekeurd_door_id IS NULL OR goedgekeurd_door_id <> auteur_id", name="vier_ogen"),
        CheckConstraint(
            "(status <> 'vastgesteld') OR (vastgesteld_op IS NOT NULL AND ondertekend_door_id IS NOT NULL)",
            name="vastgesteld_is_ondertekend",
        ),
        CheckConstraint("besluittype IN ('toekenning', 'afwijzing')", name="besluittype"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    besluittype: Mapped[str] = mapped_column(String(20))
    onderbouwing: Mapped[str] = mapped_column(Text)
    wettelijke_grondslag: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="concept")  # concept, ter_toetsing, vastgesteld
    toetsing_vereist: Mapped[bool] = mapped_column(default=False)
    auteur_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    goedgekeurd_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    ondertekend_door_id: Mapped[int | None] = mapped_column(ForeignKey("medewerker.id"))
    vastgesteld_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    verzenddatum: Mapped[dt.date | None] = mapped_column(Date)  # bekendmaking: starts the bezwaartermijn
    document_versie_id: Mapped[int | None] = mapped_column(ForeignKey("document_versie.id"))
    aangemaakt: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    auteur: Mapped[Medewerker] = relationship(foreign_keys=[auteur_id])
    ondertekend_door: Mapped[Medewerker | None] = relationship(foreign_keys=[ondertekend_door_id])
    voorzieningen: Mapped[list[Voorziening]] = relationship(back_populates="besluit", cascade="all, delete-orphan",
                                                           order_by="Voorziening.id")
    oordelen: Mapped[list[Toetsoordeel]] = relationship(back_populates="besluit", order_by="Toetsoordeel.id")


class Toetsoordeel(Base):
    """A toetser's judgement. The author is copied in so the database itself can refuse self-approval."""

    __tablename__ = "toetsoordeel"
    __table_args__ = (
        CheckConstraint("toetser_id <> auteur_id", name="niet_eigen_besluit"),
        CheckConstraint("oordeel IN ('goedgekeurd', 'afgekeurd')", name="oordeel"),
        CheckConstraint("oordeel = 'goedgekeurd' OR reden IS NOT NULL", name="afkeuring_met_reden"),
        # A beschikking is approved once: two toetsers at the same moment cannot both sign it.
        Index("uq_toetsoordeel_goedgekeurd", "besluit_id", unique=True,
              sqlite_where=text("oordeel = 'goedgekeurd'"), postgresql_where=text("oordeel = 'goedgekeurd'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    besluit_id: Mapped[int] = mapped_column(ForeignKey("besluit.id", ondelete="CASCADE"), index=True)
    toetser_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    auteur_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    oordeel: Mapped[str] = mapped_column(String(20))
    reden: Mapped[str | None] = mapped_column(Text)
    tijdstip: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    besluit: Mapped[Besluit] = relationship(back_populates="oordelen")
    toetser: Mapped[Medewerker] = relationship(foreign_keys=[toetser_id])


class Voorziening(Base):
    __tablename__ = "voorziening"
    __table_args__ = (
        CheckConstraint("einddatum IS NULL OR einddatum >= ingangsdatum", name="periode"),
        CheckConstraint("volume > 0", name="volume_positief"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    besluit_id: Mapped[int] = mapped_column(ForeignKey("besluit.id", ondelete="CASCADE"), index=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    inwoner_id: Mapped[int] = mapped_column(ForeignKey("inwoner.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    volume: Mapped[int] = mapped_column(Integer)
    eenheid: Mapped[str] = mapped_column(String(2))
    frequentie: Mapped[str] = mapped_column(String(1))
    ingangsdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    leveringsvorm: Mapped[str] = mapped_column(String(3), default="zin")  # zin (zorg in natura) or pgb
    # aangevraagd -> gereserveerd (productshop) -> besteld (administratie) -> geleverd -> beeindigd
    status: Mapped[str] = mapped_column(String(20), default="aangevraagd")
    # The day the consulent and inwoner were reminded that the einddatum nears (herindicatie needs a new aanvraag).
    herinnerd_op: Mapped[dt.date | None] = mapped_column(Date)

    besluit: Mapped[Besluit] = relationship(back_populates="voorzieningen")
    product: Mapped[Product] = relationship()
