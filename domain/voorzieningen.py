"""A toegekende voorziening in words, the same on every face: the beschikking, the backoffice zaak page, the
toetser's view, the ordering page for administratie and the portal.

    >>> omschrijving(v)
    'Hulp bij het huishouden: 3 uur per week, van 3 december 2026 tot en met 2 december 2027'

The product's name comes first and stays as the catalogue writes it (a name such as "Jeugd-ggz, behandeling"
cannot be put inside a sentence). The einddatum is the last day the voorziening counts (as in the iWmo/iJw
toewijzing), so it is "tot en met": in Dutch "tot" leaves that day out."""
from __future__ import annotations

from .codes import EENHEDEN, FREQUENTIES
from .teksten import datum_nl, getal

# Unit in words: singular and plural (after a number); "uur" stays "uur" ("3 uur").
_EENHEID_WOORDEN = {
    "01": ("minuut", "minuten"),
    "04": ("uur", "uur"),
    "14": ("etmaal", "etmalen"),
    "16": ("dagdeel van 4 uur", "dagdelen van 4 uur"),
    "82": ("stuk", "stuks"),
    "84": ("stuk", "stuks"),
}
_EURO = "83"
_FREQUENTIE_WOORDEN = {**FREQUENTIES, "6": "in totaal"}


def eenheid_woord(volume: int, eenheid: str) -> str:
    """The unit after `volume`: 'uur', '1 minuut' / '30 minuten', '2 etmalen'. Unknown codes: the code list's name."""
    enkel, meer = _EENHEID_WOORDEN.get(eenheid, (EENHEDEN.get(eenheid, eenheid),) * 2)
    return enkel if volume == 1 else meer


def frequentie_woord(frequentie: str) -> str:
    return _FREQUENTIE_WOORDEN.get(frequentie, frequentie)


def omvang(voorziening) -> str:
    """How much: '3 uur per week', '30 minuten per dag', '€ 250 per maand', '1 stuk in totaal'."""
    volume, eenheid = voorziening.volume, voorziening.eenheid
    hoeveel = f"€ {getal(volume)}" if eenheid == _EURO else f"{getal(volume)} {eenheid_woord(volume, eenheid)}"
    return f"{hoeveel} {frequentie_woord(voorziening.frequentie)}"


def periode(voorziening) -> str:
    """From when until when: 'van 3 december 2026 tot en met 2 december 2027', or 'vanaf 3 december 2026, zonder
    einddatum'."""
    van = datum_nl(voorziening.ingangsdatum)
    if voorziening.einddatum is None:
        return f"vanaf {van}, zonder einddatum"
    return f"van {van} tot en met {datum_nl(voorziening.einddatum)}"


def omschrijving(voorziening) -> str:
    """A toegekende voorziening in words: product, amount, unit, frequency, from and until. Takes a
    `domain.models.Voorziening` (or anything with `product.naam`, `volume`, `eenheid`, `frequentie`,
    `ingangsdatum` and `einddatum`)."""
    return f"{voorziening.product.naam}: {omvang(voorziening)}, {periode(voorziening)}"
