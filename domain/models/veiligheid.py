"""Veiligheid jeugd: ARIJ taxaties and the steps of the Meldcode huiselijk geweld en kindermishandeling (the
instruments themselves are data in domain/arij.py and domain/meldcode.py)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Taxatie(Base):
    """One ARIJ veiligheids- or risicotaxatie. Never updated: a new taxatie is a new row, so the history stays.

    `uitkomst_berekend` follows from the answers; `uitkomst` is the final one, which the consulent may set
    otherwise with a reason (both are kept)."""

    __tablename__ = "taxatie"
    __table_args__ = (
        CheckConstraint("soort IN ('veiligheid', 'risico')", name="soort_bekend"),
        CheckConstraint("uitkomst IN ('laag', 'middelmatig', 'hoog')", name="uitkomst_bekend"),
        CheckConstraint("uitkomst_berekend IN ('laag', 'middelmatig', 'hoog')", name="berekend_bekend"),
        CheckConstraint("uitkomst = uitkomst_berekend OR reden_afwijking IS NOT NULL", name="afwijking_met_reden"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    # Which set of questions was asked (domain.arij.INSTRUMENTVERSIE), so an old taxatie stays readable.
    instrumentversie: Mapped[str] = mapped_column(String(40))
    antwoorden: Mapped[dict] = mapped_column(JSON, default=dict)  # vraag code -> antwoord code
    uitkomst_berekend: Mapped[str] = mapped_column(String(20))
    uitkomst: Mapped[str] = mapped_column(String(20))
    reden_afwijking: Mapped[str | None] = mapped_column(Text)
    toelichting: Mapped[str | None] = mapped_column(Text)
    medewerker_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    vastgelegd: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeldcodeStap(Base):
    """One step (1-5) of the Meldcode on a zaak, dated and signed by the consulent who set it. Step 2 and 4 keep
    their answers (Veilig Thuis consulted; the afwegingskader), step 5 the decision and, when it is melden, the date
    and who at Veilig Thuis was spoken to."""

    __tablename__ = "meldcode_stap"
    __table_args__ = (
        UniqueConstraint("zaak_id", "stap", name="uq_meldcode_stap_zaak_stap"),
        CheckConstraint("stap BETWEEN 1 AND 5", name="stap_bekend"),
        CheckConstraint("besluit IS NULL OR (stap = 5 AND besluit IN ('melden', 'hulp', 'beide'))",
                        name="besluit_bij_stap_5"),
        CheckConstraint("besluit IS NULL OR besluit = 'hulp' OR "
                        "(veilig_thuis_datum IS NOT NULL AND veilig_thuis_contact IS NOT NULL)",
                        name="melding_compleet"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id", ondelete="CASCADE"), index=True)
    stap: Mapped[int] = mapped_column(Integer)
    datum: Mapped[dt.date] = mapped_column(Date)
    toelichting: Mapped[str] = mapped_column(Text)
    antwoorden: Mapped[dict | None] = mapped_column(JSON)
    melden_verplicht: Mapped[bool | None] = mapped_column()
    besluit: Mapped[str | None] = mapped_column(String(20))
    veilig_thuis_datum: Mapped[dt.date | None] = mapped_column(Date)
    veilig_thuis_contact: Mapped[str | None] = mapped_column(String(200))
    medewerker_id: Mapped[int] = mapped_column(ForeignKey("medewerker.id"))
    vastgelegd: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
