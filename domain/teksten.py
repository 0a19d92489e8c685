"""Dutch texts the domain writes (letters, notifications): dates "2 maart 2026", numbers and amounts with Dutch
separators, plurals, the salutation of a letter."""
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


def bedrag(centen: int | None) -> str:
    """An amount in integer cents as Dutch texts write it: "€ 16.900,00", "€ -12,50" (as nl_NL does).

    The one place money is formatted: screens, letters (PDF), mails and messages to staff all use it. Money is
    integer cents everywhere; a float here is a bug upstream (0.1 + 0.2), so it is refused rather than rounded.
    ``None`` gives "" so optional amounts need no ``if`` in every template.
    """
    if centen is None:
        return ""
    if isinstance(centen, bool) or not isinstance(centen, int):
        raise TypeError(f"bedrag verwacht gehele centen (int), kreeg {type(centen).__name__}")
    euros, rest = divmod(abs(centen), 100)
    return f"€ {'-' if centen < 0 else ''}{getal(euros)},{rest:02d}"


def voorletters(voornamen: str | None) -> str:
    """'Johanna Maria' -> 'J.M.', as the BRP writes initials."""
    return "".join(f"{v[0].upper()}." for v in (voornamen or "").split())


def _met_hoofdletter(voorvoegsel: str) -> str:
    """'van der' -> 'Van der': a voorvoegsel right after 'heer'/'mevrouw' starts with a capital."""
    for i, teken in enumerate(voorvoegsel):
        if teken.isalpha():
            return voorvoegsel[:i] + teken.upper() + voorvoegsel[i + 1:]
    return voorvoegsel


def aanhef(voornamen: str | None, voorvoegsel: str | None, geslachtsnaam: str, geslacht: str | None) -> str:
    """The salutation of a letter, formed as the BRP does it (Haal Centraal ``adressering.aanhef``):

    "Geachte mevrouw El Amrani", "Geachte heer De Vries" (M/V from the BRP); when the geslacht is not known
    (O, or the BRP did not say) no guess but the initials: "Geachte J.M. Jansen", "Geachte P. de Vries".
    """
    if geslacht in ("M", "V"):
        achternaam = " ".join(d for d in (_met_hoofdletter(voorvoegsel) if voorvoegsel else "", geslachtsnaam) if d)
        return f"Geachte {'heer' if geslacht == 'M' else 'mevrouw'} {achternaam}"
    return "Geachte " + " ".join(d for d in (voorletters(voornamen), voorvoegsel, geslachtsnaam) if d)
