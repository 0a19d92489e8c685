"""Dutch dates in texts the domain writes (letters, notifications): '2 maart 2026'."""
from __future__ import annotations

import datetime as dt

MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"]


def datum_nl(d: dt.date) -> str:
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def getal(n: int) -> str:
    """A whole number as Dutch texts write it: 1.234 and 10.000 (a point between thousands)."""
    return f"{n:,}".replace(",", ".")


def aantal(n: int, enkelvoud: str, meervoud: str) -> str:
    """'1 brief', '0 brieven', '1.234 brieven'."""
    return f"{getal(n)} {enkelvoud if n == 1 else meervoud}"
