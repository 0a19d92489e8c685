"""Dates in the Netherlands. Legal terms run on Dutch calendar days, so 'today' is today in Amsterdam, not UTC
(at 00:30 in Amsterdam it is still yesterday in UTC)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def vandaag() -> dt.date:
    return dt.datetime.now(AMSTERDAM).date()


def datum_van(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()
