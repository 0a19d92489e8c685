"""Een bericht als gegevens: ``Header`` (zonder de vaste velden), ``Bericht`` (standaard, code, header en
inhoud als dict die de XML-boom volgt) en ``OngeldigBericht`` (de XSD-fouten)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import schemas
from ..schemas import BERICHTCODES, Fout, XsdVersie
from .soorten import BERICHTSOORTEN, BerichtSoort

__all__ = ["Bericht", "Header", "OngeldigBericht"]


@dataclass
class Header:
    """De header van een bericht, zonder de vaste velden (BerichtCode/Versie/Subversie volgen uit de XSD).

    ``afzender``/``ontvanger`` zijn een gemeentecode (4 cijfers) of AGB-code (8 cijfers), zoals de XSD van het
    bericht voorschrijft (bij retourberichten die van het heenbericht). ``xsd_versie`` None betekent: uit de
    XSD-appinfo (bij retourberichten de versie van het heenbericht).

    Alleen retourberichten 302/306/308/316/318/320: ``identificatie_retour``, ``dagtekening_retour``,
    ``xsd_versie_retour`` (None: uit de XSD), ``xslt_versie`` en ``retourcodes`` (header-RetourCodes,
    optioneel). Alleen 325: ``declaratie_identificatie``/``declaratie_dagtekening`` (de BerichtIdentificatie
    van de 323), ``xsd_versie_declaratie`` (None: uit de XSD van 323), ``xslt_versie`` en ``retourcodes``
    (verplicht).
    """

    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: dt.date
    xsd_versie: XsdVersie | None = None
    identificatie_retour: str | None = None
    dagtekening_retour: dt.date | None = None
    xsd_versie_retour: XsdVersie | None = None
    declaratie_identificatie: str | None = None
    declaratie_dagtekening: dt.date | None = None
    xsd_versie_declaratie: XsdVersie | None = None
    xslt_versie: str | None = None
    retourcodes: list[str] = field(default_factory=list)


@dataclass
class Bericht:
    standaard: str  # "iwmo" of "ijw"
    code: str  # "301" ... "325"
    header: Header
    inhoud: dict[str, Any]  # alle kinderen van Bericht behalve Header, bijv. {"Client": {...}}

    @property
    def soort(self) -> BerichtSoort:
        return BERICHTSOORTEN[self.code]

    @property
    def berichtcode(self) -> str:
        return BERICHTCODES[self.standaard, self.code]

    @property
    def naam(self) -> str:
        return schemas.berichtnaam(self.standaard, self.code)


class OngeldigBericht(ValueError):
    """Het bericht voldoet niet aan de XSD; ``fouten`` bevat de validatiefouten."""

    def __init__(self, naam: str, fouten: list[Fout]):
        self.fouten = fouten
        regels = "\n".join(f"  {f}" for f in fouten[:10])
        meer = f"\n  ... en nog {len(fouten) - 10}" if len(fouten) > 10 else ""
        super().__init__(f"{naam} is ongeldig volgens de XSD ({len(fouten)} {'fout' if len(fouten) == 1 else 'fouten'}):\n{regels}{meer}")
