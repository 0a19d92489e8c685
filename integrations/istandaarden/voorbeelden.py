"""Realistische voorbeeldberichten (testdata) voor alle 14 berichten van iWmo 3.2 en iJw 3.2.

Gebruikt door de tests en de benchmark, en handig om te zien hoe een ``inhoud``-dict eruitziet. De personen
komen uit het lokale BRP-testregister (test-BSN's 9999xxxxx, elfproef), de gemeente is Barendrecht (0489).

    voorbeeld("301", "iwmo") -> Bericht      # heenberichten: header + inhoud
    voorbeeld("302", "iwmo") -> Bericht      # retourberichten: via berichten.retour() uit het heenbericht
"""

from __future__ import annotations

import datetime as dt

from .berichten import BERICHTSOORTEN, Bericht, Header, retour
from .schemas import normaliseer

GEMEENTE = "0489"
AANBIEDER = "98001234"  # AGB-code van een (fictieve) zorgaanbieder
D = dt.date

# Productcategorie/-code en eenheid per standaard: iWmo 02 Begeleiding / iJw 45 Jeugdhulp ambulant.
_PRODUCT = {
    "iwmo": ({"Categorie": "02", "Code": "02A01"}, {"Categorie": "01", "Code": "01A03"}),
    "ijw": ({"Categorie": "45", "Code": "45A05"}, {"Categorie": "54", "Code": "54001"}),
}
_REDEN_BEEINDIGING = {"iwmo": "19", "ijw": "31"}  # Levering volgens plan beeindigd


def _header(code: str, identificatie: str, dagtekening: dt.date) -> Header:
    gemeente_verstuurt = BERICHTSOORTEN[code].verzender == "gemeente"
    return Header(
        afzender=GEMEENTE if gemeente_verstuurt else AANBIEDER,
        ontvanger=AANBIEDER if gemeente_verstuurt else GEMEENTE,
        identificatie=identificatie,
        dagtekening=dagtekening,
    )


def _naam_kort() -> dict:
    return {
        "Geslachtsnaam": {"Achternaam": "Berg", "Voorvoegsel": "van den"},
        "Voornamen": "Anna Maria",
        "Voorletters": "AM",
    }


def _client_kort(bsn: str = "999990019") -> dict:
    return {"Bsn": bsn, "Geboortedatum": {"Datum": D(1951, 4, 17)}, "Geslacht": "2", "Naam": _naam_kort()}


def inhoud_301(standaard: str) -> dict:
    begeleiding, hbh = _PRODUCT[standaard]
    return {
        "Client": {
            "Bsn": "999990019",
            "Geboortedatum": {"Datum": D(1951, 4, 17)},
            "Geslacht": "2",
            "Naam": {
                "Geslachtsnaam": {"Achternaam": "Berg", "Voorvoegsel": "van den"},
                "Partnernaam": {"Achternaam": "Dijk", "Voorvoegsel": "van"},
                "Voornamen": "Anna Maria",
                "Voorletters": "AM",
                "NaamGebruik": "4",
            },
            "Communicatie": {"Vorm": "1", "Taal": "Pools"},
            "WettelijkeVertegenwoordiging": "08",
            "Commentaar": "Graag eerst telefonisch contact met de mentor.",
            "Relaties": {
                "Relatie": [
                    {
                        "Nummer": "R-1",
                        "Volgorde": 1,
                        "Soort": "15",
                        "Naam": {
                            "Geslachtsnaam": {"Achternaam": "Visser"},
                            "Voorletters": "J",
                            "NaamGebruik": "1",
                        },
                        "Contact": {
                            "Soort": "02",
                            "Adres": {
                                "Huis": {"Huisnummer": 12, "Huisletter": "a"},
                                "Postcode": "2991AB",
                                "Straatnaam": "Middenbaan",
                                "Plaatsnaam": "Barendrecht",
                                "LandCode": "NL",
                            },
                            "Telefoon": {
                                "Telefoon01": {"Telefoonnummer": "0180123456", "Landnummer": "0031"}
                            },
                            "Emailadres": "j.visser@example.nl",
                        },
                    }
                ]
            },
            "Contactgegevens": {
                "Contact": [
                    {
                        "Soort": "01",
                        "Adres": {
                            "Huis": {"Huisnummer": 7, "HuisnummerToevoeging": "bis"},
                            "Postcode": "2992CD",
                            "Straatnaam": "Dorpsstraat",
                            "Plaatsnaam": "Barendrecht",
                            "LandCode": "NL",
                        },
                        "Telefoon": {
                            "Telefoon01": {"Telefoonnummer": "0612345678", "Landnummer": "0031"},
                            "Telefoon02": {"Telefoonnummer": "0180654321", "Landnummer": "0031"},
                        },
                    },
                    {
                        "Soort": "04",
                        "Organisatie": "Revalidatiecentrum De Haven",
                        "Periode": {"Begindatum": D(2025, 3, 1), "Einddatum": D(2025, 4, 30)},
                    },
                ]
            },
            "ToegewezenProducten": {
                "ToegewezenProduct": [
                    {
                        "ToewijzingNummer": 20250001,
                        "ReferentieAanbieder": "VOT-2025-0042",
                        "Product": begeleiding,
                        "Toewijzingsdatum": D(2025, 2, 14),
                        "Toewijzingstijd": dt.time(10, 31, 5),
                        "Ingangsdatum": D(2025, 3, 1),
                        "Einddatum": D(2025, 12, 31),
                        "Omvang": {"Volume": 4, "Eenheid": "04", "Frequentie": "2"},
                        "Commentaar": "Ondersteuning bij dagstructuur.",
                    },
                    {
                        "ToewijzingNummer": 20250002,
                        "Product": hbh,
                        "Toewijzingsdatum": D(2025, 2, 14),
                        "Toewijzingstijd": dt.time(10, 31, 5),
                        "Ingangsdatum": D(2025, 3, 1),
                        "Budget": 150000,
                    },
                ]
            },
        }
    }


def inhoud_305(standaard: str) -> dict:
    begeleiding, hbh = _PRODUCT[standaard]
    return {
        "Client": {
            **_client_kort(),
            "StartProducten": {
                "StartProduct": [
                    {
                        "ToewijzingNummer": 20250001,
                        "Product": begeleiding,
                        "ToewijzingIngangsdatum": D(2025, 3, 1),
                        "Begindatum": D(2025, 3, 3),
                        "StatusAanlevering": "1",
                    },
                    {
                        "ToewijzingNummer": 20250002,
                        "Product": hbh,
                        "ToewijzingIngangsdatum": D(2025, 3, 1),
                        "Begindatum": D(2025, 3, 5),
                        "StatusAanlevering": "1",
                    },
                ]
            },
        }
    }


def inhoud_307(standaard: str) -> dict:
    begeleiding, _ = _PRODUCT[standaard]
    return {
        "Client": {
            **_client_kort(),
            "StopProducten": {
                "StopProduct": [
                    {
                        "ToewijzingNummer": 20250001,
                        "Product": begeleiding,
                        "ToewijzingIngangsdatum": D(2025, 3, 1),
                        "Begindatum": D(2025, 3, 3),
                        "RedenBeeindiging": _REDEN_BEEINDIGING[standaard],
                        "Einddatum": D(2025, 12, 31),
                        "StatusAanlevering": "1",
                    }
                ]
            },
        }
    }


def inhoud_315(standaard: str) -> dict:
    begeleiding, _ = _PRODUCT[standaard]
    client = {
        **_client_kort("999990020"),
        "Commentaar": "Verzoek na huisartsverwijzing.",
        "AangevraagdeProducten": {
            "AangevraagdProduct": [
                {
                    "ReferentieAanbieder": "VOT-2025-0042",
                    "Product": begeleiding,
                    "ToewijzingIngangsdatum": D(2025, 3, 1),
                    "ToewijzingEinddatum": D(2025, 12, 31),
                    "Omvang": {"Volume": 4, "Eenheid": "04", "Frequentie": "2"},
                    "Verwijzer": {
                        "Type": "02",
                        "Naam": "Huisartsenpraktijk Carnisse",
                        "ZorgverlenerCode": "01012345",
                    },
                    "Raamcontract": "2",
                    "Commentaar": "Eerste aanvraag.",
                }
            ]
        },
    }
    if standaard == "ijw":
        client = {**client, "GezagsdragerBekend": "1"}
    return {"Client": client}


def inhoud_317(standaard: str) -> dict:
    begeleiding, _ = _PRODUCT[standaard]
    return {
        "Client": {
            "Bsn": "999990019",
            "Verzoek": {
                "ReferentieAanbieder": "VOW-2025-0007",
                "RedenVerzoek": "1",
                "OngewijzigdeProducten": {"OngewijzigdProduct": [{"ToewijzingNummer": 20250002}]},
                "TeWijzigenProducten": {
                    "TeWijzigenProduct": [
                        {
                            "ToewijzingNummer": 20250001,
                            "GewensteIngangsdatum": D(2025, 6, 1),
                            "Einddatum": D(2025, 12, 31),
                            "Omvang": {"Volume": 6, "Eenheid": "04", "Frequentie": "2"},
                        }
                    ]
                },
                "NieuweProducten": {
                    "NieuwProduct": [
                        {
                            "Product": begeleiding,
                            "GewensteIngangsdatum": D(2025, 6, 1),
                            "Einddatum": D(2025, 8, 31),
                            "Budget": 50000,
                        }
                    ]
                },
            },
        }
    }


def inhoud_319(standaard: str) -> dict:
    antwoord = {"ReferentieAanbieder": "VOW-2025-0007", "VerzoekAntwoord": "1", "RedenAfwijzingVerzoek": "4"}
    if standaard == "ijw":
        antwoord = {**antwoord, "RedenAfwijzingVerzoek": "8", "Woonplaatsbeginsel": {"Gemeente": "0597"}}
    return {"Antwoord": antwoord}


def inhoud_323(standaard: str) -> dict:
    begeleiding, hbh = _PRODUCT[standaard]

    def prestatie(ref, nummer, product, volume, eenheid, tarief, dc="D", vorig=None):
        referentie = {"ReferentieNummer": ref}
        if vorig:
            referentie["VorigReferentieNummer"] = vorig
        return {
            "ProductReferentie": referentie,
            "ToewijzingNummer": nummer,
            "ProductCategorie": product["Categorie"],
            "ProductCode": product["Code"],
            "ProductPeriode": {"Begindatum": D(2025, 4, 1), "Einddatum": D(2025, 4, 30)},
            "GeleverdVolume": volume,
            "Eenheid": eenheid,
            "ProductTarief": tarief,
            "IngediendBedrag": {"Bedrag": volume * tarief, "DebetCredit": dc},
        }

    p1 = prestatie("P2025-04-0001", 20250001, begeleiding, 16, "04", 6250)  # 16 uur a 62,50
    p2 = prestatie("P2025-04-0002", 20250002, hbh, 12, "04", 3125)
    p3 = prestatie("P2025-04-0003", 20250003, begeleiding, 8, "04", 6250)
    p4 = prestatie("P2025-04-0004", 20250003, begeleiding, 2, "04", 6250, dc="C", vorig="P2025-03-0017")
    totaal = sum(
        p["IngediendBedrag"]["Bedrag"] * (1 if p["IngediendBedrag"]["DebetCredit"] == "D" else -1)
        for p in (p1, p2, p3, p4)
    )
    return {
        "Declaratie": {
            "DeclaratieNummer": "DN2025040012",
            "DeclaratiePeriode": {"Begindatum": D(2025, 4, 1), "Einddatum": D(2025, 4, 30)},
            "DeclaratieDagtekening": D(2025, 5, 6),
            "TotaalIngediendBedrag": {
                "TotaalBedrag": abs(totaal),
                "DebetCredit": "D" if totaal >= 0 else "C",
            },
            "Clienten": {
                "Client": [
                    {"Bsn": "999990019", "Prestaties": {"Prestatie": [p1, p2]}},
                    {"Bsn": "999990032", "Prestaties": {"Prestatie": [p3, p4]}},
                ]
            },
        }
    }


_HEEN = {
    "301": (inhoud_301, "T2025000001", D(2025, 2, 14)),
    "305": (inhoud_305, "S2025000017", D(2025, 3, 5)),
    "307": (inhoud_307, "E2025000003", D(2026, 1, 2)),
    "315": (inhoud_315, "VOT20250042", D(2025, 2, 10)),
    "317": (inhoud_317, "VOW20250007", D(2025, 5, 12)),
    "319": (inhoud_319, "A2025000007", D(2025, 5, 14)),
    "323": (inhoud_323, "D2025050006", D(2025, 5, 6)),
}

# Realistische fouten per retourbericht (paden in het heenbericht, zie berichten.retourpaden).
_FOUTEN = {
    "302": {"Client/ToegewezenProducten/ToegewezenProduct[1]": ["9332"]},
    "306": {"Client/StartProducten/StartProduct[1]": ["9019"]},
    "308": {"Client/StopProducten/StopProduct[0]": ["9069"]},
    "316": {"Client/AangevraagdeProducten/AangevraagdProduct[0]": ["9347", "S329"]},
    "318": {"Client/Verzoek/TeWijzigenProducten/TeWijzigenProduct[0]": ["9351"]},
    "320": {"Antwoord": ["9355"]},
    "325": {
        "Declaratie/Clienten/Client[0]/Prestaties/Prestatie[1]": ["0611"],
        "Declaratie/Clienten/Client[1]/Prestaties/Prestatie[0]": ["9307", "9321"],
    },
}


def heenbericht(code: str, standaard: str) -> Bericht:
    standaard, code = normaliseer(standaard, code)
    maak, identificatie, dagtekening = _HEEN[code]
    return Bericht(standaard, code, _header(code, identificatie, dagtekening), maak(standaard))


def voorbeeld(code: str, standaard: str) -> Bericht:
    """Een realistisch, XSD-geldig bericht. Retourberichten worden met ``retour`` uit het heenbericht gemaakt,
    met een paar realistische afkeuringen (zie ``_FOUTEN``)."""
    standaard, code = normaliseer(standaard, code)
    soort = BERICHTSOORTEN[code]
    if not soort.is_retour:
        return heenbericht(code, standaard)
    heen = heenbericht(soort.retour_op, standaard)
    return retour(
        heen,
        _FOUTEN[code],
        identificatie=f"R{heen.header.identificatie[1:]}",
        dagtekening=heen.header.dagtekening + dt.timedelta(days=1),
        xslt_versie="1.0.0",
    )
