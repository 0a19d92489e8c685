"""The local BRP test register: test persons with valid test BSNs (9999xxxxx, elfproef) in the three
gemeenten of the demo werkorganisatie. Read from register.json in the Haal Centraal response shape."""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from . import Persoon, minderjarigen_onder_gezag_van

REGISTER = Path(__file__).with_name("register.json")


@lru_cache(maxsize=1)
def _personen() -> dict[str, Persoon]:
    data = json.loads(REGISTER.read_text(encoding="utf-8"))
    personen = (Persoon.from_haal_centraal(p) for p in data["personen"])
    return {p.bsn: p for p in personen}


class LocalBrp:
    def zoek_bsn(self, bsn: str) -> Persoon | None:
        return _personen().get(bsn)

    def zoek_naam(self, geslachtsnaam: str, geboortedatum: dt.date) -> list[Persoon]:
        gezocht = geslachtsnaam.strip().lower()
        return [
            p
            for p in _personen().values()
            if p.geboortedatum == geboortedatum
            and (p.geslachtsnaam.lower() == gezocht or f"{p.voorvoegsel or ''} {p.geslachtsnaam}".strip().lower() == gezocht)
        ]

    def minderjarigen_onder_gezag(self, bsn: str) -> list[str]:
        persoon = _personen().get(bsn)
        return minderjarigen_onder_gezag_van(bsn, persoon.gezag) if persoon else []

    def alle(self) -> list[Persoon]:
        return sorted(_personen().values(), key=lambda p: (p.geslachtsnaam, p.voornamen))
