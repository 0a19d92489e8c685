"""The content of a 301 from what the gemeente knows: the Client (from the inwoner's BRP copy) and one
ToegewezenProduct per toewijzing."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from ..models import Inwoner, Toewijzing

AMS = ZoneInfo("Europe/Amsterdam")


def _voorletters(voornamen: str) -> str | None:
    letters = "".join(d[0] for d in voornamen.split() if d and d[0].isalpha())[:6]
    return letters.upper() or None


def _achternaam(inwoner: Inwoner) -> dict:
    naam = {"Achternaam": inwoner.geslachtsnaam[:200]}
    if inwoner.voorvoegsel:
        naam["Voorvoegsel"] = inwoner.voorvoegsel[:10]
    return naam


def _geboortedatum(inwoner: Inwoner) -> dict:
    if inwoner.geboortedatum:
        return {"Datum": inwoner.geboortedatum}
    return {"Datum": dt.date(1900, 1, 1), "DatumGebruik": "3"}  # onbekende datum


def _adres(inwoner: Inwoner) -> dict | None:
    if not inwoner.straat:
        return None
    adres: dict[str, Any] = {}
    m = re.match(r"\s*(\d{1,5})\s*(.*)$", inwoner.huisnummer or "")
    if m:
        huis: dict[str, Any] = {"Huisnummer": int(m.group(1))}
        rest = m.group(2).strip(" -")
        if len(rest) == 1 and rest.isalpha():
            huis["Huisletter"] = rest
        elif rest:
            huis["HuisnummerToevoeging"] = rest[:4]
        adres["Huis"] = huis
    if inwoner.postcode:
        adres["Postcode"] = inwoner.postcode.replace(" ", "")[:8]
    adres["Straatnaam"] = inwoner.straat[:24]
    if inwoner.woonplaats:
        adres["Plaatsnaam"] = inwoner.woonplaats[:80]
    adres["LandCode"] = "NL"
    return adres


GESLACHT_ISTANDAARD = {"M": "1", "V": "2"}  # BRP geslacht.code -> LDT_Geslacht (1 man, 2 vrouw, 0 onbekend)


def client_301(inwoner: Inwoner) -> dict:
    """The Client of a 301 from what we know of the inwoner (the BRP copy)."""
    contact: dict[str, Any] = {"Soort": "01"}  # BRP-adres
    adres = _adres(inwoner)
    if adres:
        contact["Adres"] = adres
    telefoon = re.sub(r"\D", "", inwoner.telefoon or "")
    if 0 < len(telefoon) <= 15:
        contact["Telefoon"] = {"Telefoon01": {"Telefoonnummer": telefoon, "Landnummer": "0031"}}
    if inwoner.email and len(inwoner.email) <= 80:
        contact["Emailadres"] = inwoner.email
    naam: dict[str, Any] = {"Geslachtsnaam": _achternaam(inwoner), "Voornamen": inwoner.voornamen[:200]}
    if _voorletters(inwoner.voornamen):
        naam["Voorletters"] = _voorletters(inwoner.voornamen)
    naam["NaamGebruik"] = "1"
    return {
        "Bsn": inwoner.bsn,
        "Geboortedatum": _geboortedatum(inwoner),
        "Geslacht": GESLACHT_ISTANDAARD.get(inwoner.geslacht or "", "0"),
        "Naam": naam,
        "Contactgegevens": {"Contact": [contact]},
    }


def toegewezen_product(t: Toewijzing) -> dict:
    lokaal = (t.gewijzigd or t.aangemaakt).astimezone(AMS)  # the latest version of this ToewijzingNummer
    product: dict[str, Any] = {"Categorie": t.productcategorie}
    if t.productcode:
        product["Code"] = t.productcode
    regel: dict[str, Any] = {"ToewijzingNummer": t.toewijzingnummer}
    if t.referentie_aanbieder:
        regel["ReferentieAanbieder"] = t.referentie_aanbieder
    regel.update({
        "Product": product,
        "Toewijzingsdatum": lokaal.date(),
        "Toewijzingstijd": lokaal.time().replace(microsecond=0, tzinfo=None),
        "Ingangsdatum": t.ingangsdatum,
    })
    if t.einddatum:
        regel["Einddatum"] = t.einddatum
    if t.reden_wijziging:
        regel["RedenWijziging"] = t.reden_wijziging
    if t.volume is not None and t.eenheid and t.frequentie:
        regel["Omvang"] = {"Volume": t.volume, "Eenheid": t.eenheid, "Frequentie": t.frequentie}
    return regel
