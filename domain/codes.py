"""iWmo/iJw code lists the domain uses (from the basisschema of the 3.2 releases)."""
from __future__ import annotations

EENHEDEN = {
    "01": "minuut",
    "04": "uur",
    "14": "etmaal",
    "16": "dagdeel (4 uur)",
    "82": "stuks (output)",
    "83": "euro",
    "84": "stuks (inspanning)",
}

FREQUENTIES = {"1": "per dag", "2": "per week", "4": "per maand", "6": "totaal"}

# Periods per year, to estimate the yearly cost of a voorziening for the toetsing rule.
PER_JAAR = {"1": 365, "2": 52, "4": 12, "6": 1}


def omvang_tekst(volume: int, eenheid: str, frequentie: str) -> str:
    return f"{volume} {EENHEDEN.get(eenheid, eenheid)} {FREQUENTIES.get(frequentie, frequentie)}"
