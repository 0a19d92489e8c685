"""Incoming declaratie (323): every prestatie is checked against its toewijzing (client, product, period, unit,
volume, amount). Answer: 325."""
from __future__ import annotations

import datetime as dt

from ..models import Inwoner, Toewijzing
from .basis import PRESTATIE_AL_AANGELEVERD
from .werk import _Werk

# --- 323: declaratie ----------------------------------------------------------------------------------------


def _maanden(begin: dt.date, eind: dt.date) -> int:
    return (eind.year - begin.year) * 12 + eind.month - begin.month + 1


def toegestaan_volume(t: Toewijzing, begin: dt.date, eind: dt.date) -> int | None:
    """The most that may be declared for [begin, eind] under this toewijzing (None: no volume was assigned)."""
    if t.volume is None or t.frequentie is None:
        return None
    dagen = (eind - begin).days + 1
    per = {"1": dagen, "2": -(-dagen // 7), "4": _maanden(begin, eind), "6": 1}.get(t.frequentie)
    return None if per is None else t.volume * per


def _verwerk_323(w: _Werk) -> dict[str, list[str]]:
    decl = w.ontvangen.inhoud["Declaratie"]
    fouten: dict[str, list[str]] = {}
    for i, client in enumerate(decl["Clienten"]["Client"]):
        for j, p in enumerate(client["Prestaties"]["Prestatie"]):
            pad = f"Declaratie/Clienten/Client[{i}]/Prestaties/Prestatie[{j}]"
            codes = _controleer_prestatie(w, client["Bsn"], p)
            if codes:
                fouten[pad] = codes
    return fouten


def _controleer_prestatie(w: _Werk, bsn: str, p: dict) -> list[str]:
    """Retourcodes for one prestatie (empty: accepted). Only an accepted prestatie claims its ReferentieNummer:
    a refused one may come again, corrected, under the same number; an accepted one twice gets 8021."""
    referentie = p["ProductReferentie"]["ReferentieNummer"]
    if w.al_gebruikt("prestatie", referentie):
        return [PRESTATIE_AL_AANGELEVERD]
    codes = _toets_prestatie(w, bsn, p)
    if not codes:
        w.claim("prestatie", referentie)
    return codes


def _toets_prestatie(w: _Werk, bsn: str, p: dict) -> list[str]:
    t = w.toewijzing(p["ToewijzingNummer"])
    if t is None:
        return ["9338"]
    w.koppel(t)
    codes: list[str] = []
    if w.session.get(Inwoner, t.inwoner_id).bsn != bsn:
        return ["8187"]
    if p["ProductCategorie"] != t.productcategorie:
        codes.append("9339")
    if t.productcode and p["ProductCode"] != t.productcode:
        codes.append("9340")
    if t.eenheid and p["Eenheid"] != t.eenheid:
        codes.append("9341")
    begin, eind = p["ProductPeriode"]["Begindatum"], p["ProductPeriode"]["Einddatum"]
    laatste = t.einddatum_levering or t.einddatum
    if begin < t.ingangsdatum or (laatste and begin > laatste):
        codes.append("9307")
    if eind < t.ingangsdatum or (laatste and eind > laatste):
        codes.append("9308")
    if p["IngediendBedrag"]["DebetCredit"] == "D" and "9341" not in codes:
        maximum = toegestaan_volume(t, max(begin, t.ingangsdatum), eind)
        if maximum is not None and p["GeleverdVolume"] > maximum:
            codes.append("9321")
    if p["Eenheid"] != "83" and p.get("ProductTarief") is not None \
            and p["IngediendBedrag"]["Bedrag"] != p["GeleverdVolume"] * p["ProductTarief"]:
        codes.append("9346")
    return codes
