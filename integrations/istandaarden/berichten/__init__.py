"""iWmo 3.2 / iJw 3.2-berichten bouwen, lezen en beantwoorden (pure Python + lxml).

Het ontwerp is generiek: de elementboom van elk bericht (de "tabel" per berichtcode) wordt uit de XSD
afgeleid (``berichtmodel.model``). iWmo en iJw hebben dezelfde vorm; de verschillen (zie ``soorten``) volgen
vanzelf uit de XSD's. De inhoud van een bericht is een gewone ``dict`` die de XML-boom volgt: sleutels zijn
elementnamen, herhaalbare elementen (``maxOccurs > 1``) zijn lijsten, datums ``datetime.date``, tijden
``datetime.time``, gehele getallen (``xs:integer``: bedragen in centen, volumes, ToewijzingNummer,
Huisnummer) ``int`` en al het andere ``str`` (codes blijven strings: ``"01"``, BSN ``"999990019"``).

Publieke API::

    bouw(code, standaard, header, inhoud, *, valideren=True) -> bytes  # XSD-geldig of OngeldigBericht
    bouw_boom(code, standaard, header, inhoud) -> lxml-element        # idem, als lxml-boom
    schrijf(bericht) -> bytes                                         # bouw(...) voor een Bericht
    lees(xml, *, valideren=True) -> Bericht                           # header + inhoud
    retour(ontvangen, fouten=None, ...) -> Bericht                    # het retourbericht als Bericht
    retourbericht(ontvangen, fouten=None, ...) -> bytes               # idem, als XSD-geldige XML
    retourbericht_technisch(xml, ...) -> bytes                        # alleen header + 0001, voor een
                                                                      # bericht dat niet door de XSD komt
    retourpaden(ontvangen) -> list[str]                               # waar RetourCodes kunnen staan
    Header, Bericht, BerichtSoort, BERICHTSOORTEN, RETOURCODES, RETOURCODES_IJW, OngeldigBericht

De delen: ``soorten`` (welke berichten er zijn, hun richting en de retourcodes, met de richtingstabel),
``bericht`` (``Header``, ``Bericht``, ``OngeldigBericht``), ``bouwen``, ``lezen`` en ``retour`` (de
retourberichten en hun paden).
"""

from .bericht import Bericht, Header, OngeldigBericht
from .bouwen import bouw, bouw_boom, schrijf
from .lezen import lees, lees_boom
from .retour import retour, retourbericht, retourbericht_technisch, retourpaden
from .soorten import (
    BERICHTSOORTEN,
    GEEN_OPMERKING,
    RETOURCODES,
    RETOURCODES_IJW,
    RETOURCODES_NIET_IN_XSD,
    TECHNISCH_AFGEKEURD,
    BerichtSoort,
    retourcodes,
)

__all__ = [
    "BERICHTSOORTEN",
    "GEEN_OPMERKING",
    "RETOURCODES",
    "RETOURCODES_IJW",
    "RETOURCODES_NIET_IN_XSD",
    "TECHNISCH_AFGEKEURD",
    "Bericht",
    "BerichtSoort",
    "Header",
    "OngeldigBericht",
    "bouw",
    "bouw_boom",
    "lees",
    "lees_boom",
    "retour",
    "retourbericht",
    "retourbericht_technisch",
    "retourcodes",
    "retourpaden",
    "schrijf",
]
