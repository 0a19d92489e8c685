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


_EXTRA: dict = {}  # zaaktypen registered at run time (``registreer_zaaktype``), e.g. by a test


def zaaktypen() -> dict:
    """The zaaktypen with a definition for the engine. Import here, lazily: definitions import the engine.
    Importing a definition also registers its own term rules (``domain.deadlines.registreer``), so after this
    call every term of every zaaktype is known to the term service."""
    from .bezwaar import BEZWAAR
    from .wmo import WMO

    return {WMO.code: WMO, BEZWAAR.code: BEZWAAR, **_EXTRA}


def registreer_zaaktype(zaaktype):
    """Add a zaaktype that has no module in this package, e.g. one a test defines for itself. A code that is
    already taken is refused. Undo with ``afmelden_zaaktype`` (a test does so in its fixture's teardown). The
    zaaktype's own term rules are registered separately, with ``domain.deadlines.registreer``."""
    if zaaktype.code in zaaktypen():
        raise ValueError(f"zaaktype {zaaktype.code!r} bestaat al")
    _EXTRA[zaaktype.code] = zaaktype
    return zaaktype


def afmelden_zaaktype(code: str) -> None:
    """Remove a zaaktype added with ``registreer_zaaktype``; the package's own zaaktypen stay."""
    _EXTRA.pop(code, None)


def zaaktype_van(code: str):
    try:
        return zaaktypen()[code]
    except KeyError:
        raise KeyError(f"zaaktype {code!r} heeft (nog) geen procesdefinitie") from None


def zaaktype_naam(code: str) -> str:
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
