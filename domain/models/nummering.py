"""Counters for numbers that must be unique and consecutive per gemeente (zaaknummers, ToewijzingNummers)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Nummering(Base):
    """The last number handed out per gemeente and soort ("zaak-2026", "toewijzing"). `domain.nummering.reserveer`
    raises it with one UPDATE ... RETURNING, so two transactions at the same moment never get the same number
    (the second waits for the first's row lock). Counting max+1 over the data could hand out one number twice."""

    __tablename__ = "nummering"

    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), primary_key=True)
    soort: Mapped[str] = mapped_column(String(20), primary_key=True)
    laatste: Mapped[int] = mapped_column(Integer)
