"""iWmo 3.2 en iJw 3.2 (iStandaarden, Zorginstituut Nederland): berichten bouwen, valideren, lezen en
beantwoorden. Pure Python + lxml, geen database en geen Flask.

    from integrations.istandaarden import bouw, lees, valideer, retourbericht, Header

Zie ``berichten/`` voor de API (en ``berichten/soorten.py`` voor de richtingstabel), ``schemas.py`` voor de
XSD-laag, ``berichtmodel.py`` voor de elementboom die daaruit volgt en ``xsd/README.md`` voor de herkomst van de
schema's.
"""

from .berichten import (
    BERICHTSOORTEN,
    RETOURCODES,
    RETOURCODES_IJW,
    Bericht,
    BerichtSoort,
    Header,
    OngeldigBericht,
    bouw,
    bouw_boom,
    lees,
    retour,
    retourbericht,
    retourbericht_technisch,
    retourpaden,
    schrijf,
)
from .schemas import BERICHTCODES, CODES, STANDAARDEN, XSD_VERSIES, Fout, XsdVersie, valideer

__all__ = [
    "BERICHTCODES",
    "BERICHTSOORTEN",
    "CODES",
    "RETOURCODES",
    "RETOURCODES_IJW",
    "STANDAARDEN",
    "XSD_VERSIES",
    "Bericht",
    "BerichtSoort",
    "Fout",
    "Header",
    "OngeldigBericht",
    "XsdVersie",
    "bouw",
    "bouw_boom",
    "lees",
    "retour",
    "retourbericht",
    "retourbericht_technisch",
    "retourpaden",
    "schrijf",
    "valideer",
]
