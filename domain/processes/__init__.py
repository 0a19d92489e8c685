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
    "bezwaar": "Bezwaar",
}


# Zaaktypen registered at run time, next to the built-in ones: for the test suite (a small zaaktype defined only
# in a test, see tests/test_formulieren.py). Register with `registreer`, remove again with `verwijder`.
_GEREGISTREERD: dict = {}


def registreer(zaaktype) -> None:
    """Add a zaaktype definition to the catalogue (for tests: undo with `verwijder` in the fixture's teardown)."""
    from ..formulieren import controleer_declaratie

    controleer_declaratie(zaaktype)
    _GEREGISTREERD[zaaktype.code] = zaaktype


def verwijder(code: str) -> None:
    _GEREGISTREERD.pop(code, None)


def zaaktypen() -> dict:
    """The zaaktypen with a definition for the engine. Import here, lazily: definitions import the engine."""
    from .bezwaar import BEZWAAR
    from .wmo import WMO

    return {WMO.code: WMO, BEZWAAR.code: BEZWAAR, **_GEREGISTREERD}


def zaaktype_van(code: str):
    try:
        return zaaktypen()[code]
    except KeyError:
        raise KeyError(f"zaaktype {code!r} heeft (nog) geen procesdefinitie") from None


def zaaktype_naam(code: str) -> str:
    if code in _GEREGISTREERD:
        return _GEREGISTREERD[code].naam
    return ZAAKTYPE_NAMEN.get(code, code)


def status_tekst(zaaktype: str, status: str, *, voor_inwoner: bool = False) -> str:
    """The status in words: the inwoner's text in the portal, the short name in the backoffice."""
    definitie = zaaktypen().get(zaaktype)
    if definitie is not None:
        try:
            s = definitie.status(status)
            return s.portaal if voor_inwoner else s.naam
        except KeyError:
            pass
    return status.replace("_", " ").capitalize()
