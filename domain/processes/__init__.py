"""Zaaktype catalogue. Each zaaktype gets its own declarative definition file here (wmo.py, jeugd.py, ...);
until the engine reads those, this catalogue gives the names and plain-Dutch status texts both faces show."""
from __future__ import annotations

ZAAKTYPE_NAMEN = {
    "wmo": "Ondersteuning thuis (Wmo)",
    "jeugd": "Hulp voor uw kind (Jeugdwet)",
    "minima": "Bijzondere bijstand",
    "sociaal_team": "Sociaal Team",
    "regie_team": "Regieteam",
    "participatie": "Werk en inkomen (Participatiewet)",
}


def zaaktype_naam(code: str) -> str:
    return ZAAKTYPE_NAMEN.get(code, code)


def status_tekst(status: str) -> str:
    """Fallback text for a status code until the zaaktype definition provides one."""
    return status.replace("_", " ").capitalize()
