"""Welke berichten er zijn, wie ze verstuurt en welke retourcodes ze kennen.

Berichten en richting (``BERICHTSOORTEN``). Bij heenberichten volgt de richting uit de header: Afzender
is ``LDT_Gemeente`` (4 cijfers, CBS-gemeentecode) of ``LDT_AgbCode`` (8 cijfers). LET OP: de header van
een retourbericht (302/306/308/316/318/320) is een kopie van de header van het heenbericht (Afzender,
Ontvanger, BerichtIdentificatie en XsdVersie van het *heen*bericht) plus IdentificatieRetour,
DagtekeningRetour, XsdVersieRetour en RetourCodes. De elementnamen zeggen daar dus niets over de
verzender: de WMO302-header heeft Afzender = gemeente, maar de 302 wordt door de aanbieder verstuurd.
325 is anders: een eigen bericht van de gemeente met een eigen BerichtIdentificatie, en de 323 in
DeclaratieIdentificatie/XsdVersieDeclaratie.

====  =====================================  =========  =========  ================================
Code  Bericht                                Verzender  Ontvanger  Header Afzender/Ontvanger (XSD)
====  =====================================  =========  =========  ================================
301   Toewijzing                             gemeente   aanbieder  Gemeente / AgbCode
302   Retour toewijzing (op 301)             aanbieder  gemeente   Gemeente / AgbCode (kopie 301)
305   Start zorg / ondersteuning             aanbieder  gemeente   AgbCode / Gemeente
306   Retour start (op 305)                  gemeente   aanbieder  AgbCode / Gemeente (kopie 305)
307   Stop zorg / ondersteuning              aanbieder  gemeente   AgbCode / Gemeente
308   Retour stop (op 307)                   gemeente   aanbieder  AgbCode / Gemeente (kopie 307)
315   Verzoek om toewijzing                  aanbieder  gemeente   AgbCode / Gemeente
316   Retour verzoek om toewijzing (op 315)  gemeente   aanbieder  AgbCode / Gemeente (kopie 315)
317   Verzoek om wijziging                   aanbieder  gemeente   AgbCode / Gemeente
318   Retour verzoek om wijziging (op 317)   gemeente   aanbieder  AgbCode / Gemeente (kopie 317)
319   Antwoord op verzoek (315/317)          gemeente   aanbieder  Gemeente / AgbCode
320   Retour antwoord (op 319)               aanbieder  gemeente   Gemeente / AgbCode (kopie 319)
323   Declaratie                             aanbieder  gemeente   AgbCode / Gemeente
325   Declaratie-antwoord (op 323)           gemeente   aanbieder  Gemeente / AgbCode (eigen header)
====  =====================================  =========  =========  ================================

Voor de gemeente (Keukentafel) betekent dat: zij *verstuurt* 301, 319 en de retourberichten 306, 308,
316, 318 en 325, en *ontvangt* 302, 305, 307, 315, 317, 320 en 323.

Verschillen iJw t.o.v. iWmo (uit de XSD's): JW315/JW316 ``Client/GezagsdragerBekend`` (JaNee,
optioneel); JW319/JW320 ``Antwoord/Woonplaatsbeginsel/Gemeente`` (optioneel); andere codelijsten in het
basisschema (ProductCategorie 31-55, RedenBeeindiging); XSD-versie 0.1.0 in plaats van 1.0.0. Er is geen
aparte JeugdhulpVerwijzing: JW315 gebruikt dezelfde ``Verwijzer`` (CDT_Verwijzer) als WMO315.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import schemas

__all__ = [
    "BERICHTSOORTEN",
    "GEEN_OPMERKING",
    "RETOURCODES",
    "RETOURCODES_IJW",
    "RETOURCODES_NIET_IN_XSD",
    "TECHNISCH_AFGEKEURD",
    "BerichtSoort",
    "retourcodes",
]


@dataclass(frozen=True)
class BerichtSoort:
    code: str
    naam: str
    verzender: str  # "gemeente" of "aanbieder"
    ontvanger: str
    retour_op: str | None = None  # retourbericht: code van het heenbericht
    retour: str | None = None  # heenbericht: code van het bijbehorende retourbericht

    @property
    def is_retour(self) -> bool:
        return self.retour_op is not None


_G, _A = "gemeente", "aanbieder"
BERICHTSOORTEN: dict[str, BerichtSoort] = {
    s.code: s
    for s in (
        BerichtSoort("301", "Toewijzing", _G, _A, retour="302"),
        BerichtSoort("302", "Retour toewijzing", _A, _G, retour_op="301"),
        BerichtSoort("305", "Start zorg", _A, _G, retour="306"),
        BerichtSoort("306", "Retour start zorg", _G, _A, retour_op="305"),
        BerichtSoort("307", "Stop zorg", _A, _G, retour="308"),
        BerichtSoort("308", "Retour stop zorg", _G, _A, retour_op="307"),
        BerichtSoort("315", "Verzoek om toewijzing", _A, _G, retour="316"),
        BerichtSoort("316", "Retour verzoek om toewijzing", _G, _A, retour_op="315"),
        BerichtSoort("317", "Verzoek om wijziging", _A, _G, retour="318"),
        BerichtSoort("318", "Retour verzoek om wijziging", _G, _A, retour_op="317"),
        BerichtSoort("319", "Antwoord op verzoek", _G, _A, retour="320"),
        BerichtSoort("320", "Retour antwoord", _A, _G, retour_op="319"),
        BerichtSoort("323", "Declaratie", _A, _G, retour="325"),
        BerichtSoort("325", "Declaratie-antwoord", _G, _A, retour_op="323"),
    )
}

RETOURCODES: dict[str, str] = schemas.enumeratie("iwmo", "LDT_RetourCode")
"""Retourcodes (WJ001) met hun omschrijving, zoals in de ``LDT_RetourCode``-enumeratie van het iWmo
3.2-basisschema (bijv. ``0001`` "Bericht is afgekeurd om technische redenen.", ``0200`` "Geen opmerking over
deze berichtklasse.", ``0233`` "Berichtklasse is niet beoordeeld.", ``8001`` "Declaratie is volledig
toegewezen."). Alleen deze codes zijn XSD-geldig in een retourbericht."""

RETOURCODES_IJW: dict[str, str] = schemas.enumeratie("ijw", "LDT_RetourCode")
"""Idem voor iJw 3.2 (zelfde codes; enkele omschrijvingen wijken iets af, bijv. 9360, 9365, 9413, 9415)."""

RETOURCODES_NIET_IN_XSD: dict[str, str] = {
    "8002": "Niet in de LDT_RetourCode-enumeratie van iWmo/iJw 3.2; kan niet in deze berichten "
    "worden gebruikt (controleer in de iStandaarden-tabel).",
}

GEEN_OPMERKING = "0200"
TECHNISCH_AFGEKEURD = "0001"


def retourcodes(standaard: str) -> dict[str, str]:
    return RETOURCODES if standaard == "iwmo" else RETOURCODES_IJW
