"""Dutch dates in texts the domain writes (letters, notifications): '2 maart 2026'."""
from __future__ import annotations

import datetime as dt

MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"]


def datum_nl(d: dt.date) -> str:
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"
