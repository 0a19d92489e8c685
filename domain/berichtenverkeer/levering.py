"""The zorgaanbieder's answers on a toewijzing:

* 302: the outgoing 301 is marked accepted (``verwerkt``) or rejected (``afgekeurd``), per toewijzing too;
* 305: the voorziening is ``geleverd`` and the zaak moves to ``geleverd`` (the inwoner's portal shows it);
  a second start for the same toewijzing is refused with 9074 and never starts the care twice. Answer: 306;
* 307: the voorziening is ``beeindigd``; when nothing is delivered any more the zaak moves to ``beeindigd``.
  Answer: 308.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from integrations.istandaarden import lees

from ..models import Bericht, Toewijzing, Zaak
from .basis import (
    AFGEKEURD,
    AFGEWEZEN,
    GEACCEPTEERD,
    GEEN_OPMERKING,
    GESTART,
    GESTOPT,
    LOPEND,
    TOEGEWEZEN,
    VERWERKT,
    retourcode_tekst,
)
from .werk import _actie, _Werk, _zaakovergang


def _afkeurend(codes: Iterable[str] | None) -> bool:
    return any(c != GEEN_OPMERKING for c in (codes or ()))


# --- 302: the zorgaanbieder's answer to our 301 --------------------------------------------------------------


def _verwerk_302(w: _Werk) -> None:
    h = w.ontvangen.header
    heen = w.session.scalar(select(Bericht).where(
        Bericht.richting == "uit", Bericht.code == "301", Bericht.afzender == h.afzender,
        Bericht.bericht_identificatie == h.identificatie))
    if heen is None:
        w.verwerking.meldingen.append(f"Geen toewijzingsbericht (301) met identificatie {h.identificatie} bekend.")
        return
    codes: dict[str, list[str]] = {}
    if h.retourcodes:
        codes["Header"] = list(h.retourcodes)
    _verzamel_codes(w.ontvangen.inhoud, "", codes)
    heen.retourcodes = codes
    w.bericht.heenbericht_id = heen.id
    w.koppel(zaak_id=heen.zaak_id)
    alles_af = _afkeurend(codes.get("Header")) or _afkeurend(codes.get("Client"))
    producten = (lees(heen.xml, valideren=False).inhoud.get("Client", {}).get("ToegewezenProducten", {})
                 .get("ToegewezenProduct", []))
    afgewezen = []
    for i, p in enumerate(producten):
        pad = f"Client/ToegewezenProducten/ToegewezenProduct[{i}]"
        t = w.session.scalar(select(Toewijzing).where(Toewijzing.gemeente_id == heen.gemeente_id,
                                                      Toewijzing.toewijzingnummer == p["ToewijzingNummer"]))
        if t is None:
            continue
        w.koppel(t)
        af = alles_af or _afkeurend(codes.get(pad))
        if af:
            afgewezen.append((t, codes.get(pad) or codes.get("Client") or codes.get("Header") or []))
            if t.status == TOEGEWEZEN:
                t.status = AFGEWEZEN
        elif t.status == TOEGEWEZEN:
            t.status = GEACCEPTEERD
    heen.status = AFGEKEURD if (alles_af or afgewezen) else VERWERKT
    heen.verwerkt = w.nu
    if afgewezen and heen.zaak_id:
        zaak = w.session.get(Zaak, heen.zaak_id)
        regels = "; ".join(
            f"toewijzing {t.toewijzingnummer}: "
            + ", ".join(f"{c} {retourcode_tekst(c, w.ontvangen.standaard)}" for c in codes_t if c != GEEN_OPMERKING)
            for t, codes_t in afgewezen)
        _actie(w, zaak, "toewijzing_afgewezen",
               f"{w.naam_aanbieder()} heeft de toewijzing afgekeurd ({regels}). Controleer de toewijzing en "
               "bestel zo nodig opnieuw.", team_code="administratie")


def _verzamel_codes(data: Any, pad: str, uit: dict[str, list[str]]) -> None:
    if isinstance(data, dict):
        if "RetourCodes" in data:
            uit[pad] = list(data["RetourCodes"].get("RetourCode", []))
        for k, v in data.items():
            if k == "RetourCodes":
                continue
            kind = f"{pad}/{k}" if pad else k
            if isinstance(v, dict):
                _verzamel_codes(v, kind, uit)
            elif isinstance(v, list):
                for i, item in enumerate(v):
                    _verzamel_codes(item, f"{kind}[{i}]", uit)


# --- 305: start zorg ----------------------------------------------------------------------------------------


def _verwerk_305(w: _Werk) -> dict[str, list[str]]:
    client = w.ontvangen.inhoud["Client"]
    fouten: dict[str, list[str]] = {}
    gestart_zaken: list[int] = []
    for j, sp in enumerate(client["StartProducten"]["StartProduct"]):
        pad = f"Client/StartProducten/StartProduct[{j}]"
        t = w.toewijzing(sp.get("ToewijzingNummer"), client["Bsn"])
        if t is None:
            fouten[pad] = ["9019"]
            continue
        w.koppel(t)
        voorziening = t.voorziening
        status = sp["StatusAanlevering"]
        if status == "3":  # the aanbieder withdraws an earlier start
            if t.status == GESTART and t.begindatum == sp["Begindatum"]:
                t.status, t.begindatum = GEACCEPTEERD, None
                voorziening.status = "besteld"
            else:
                fouten[pad] = ["9069"]
            continue
        if t.status == AFGEWEZEN:
            fouten[pad] = ["9019"]
            continue
        if t.status in (GESTART, GESTOPT):
            if status == "2":  # gewijzigde aanlevering: a corrected begindatum
                t.begindatum = sp["Begindatum"]
            else:
                fouten[pad] = ["9074"]  # the care started already: never start it twice
            continue
        t.status = GESTART
        t.begindatum = sp["Begindatum"]
        voorziening.status = "geleverd"
        if t.zaak_id not in gestart_zaken:
            gestart_zaken.append(t.zaak_id)
    for zaak_id in gestart_zaken:
        _zaakovergang(w, zaak_id, "levering_gestart", ("in_levering",))
    return fouten


# --- 307: stop zorg -----------------------------------------------------------------------------------------


def _verwerk_307(w: _Werk) -> dict[str, list[str]]:
    client = w.ontvangen.inhoud["Client"]
    fouten: dict[str, list[str]] = {}
    geraakt: list[int] = []
    for j, sp in enumerate(client["StopProducten"]["StopProduct"]):
        pad = f"Client/StopProducten/StopProduct[{j}]"
        t = w.toewijzing(sp.get("ToewijzingNummer"), client["Bsn"])
        if t is None:
            fouten[pad] = ["9019"]
            continue
        w.koppel(t)
        voorziening = t.voorziening
        status = sp["StatusAanlevering"]
        if t.begindatum is None or t.begindatum != sp["Begindatum"]:
            fouten[pad] = ["9069"]  # no current start with this key
            continue
        if status == "3":  # the stop is withdrawn: the care runs again
            if t.status == GESTOPT:
                t.status, t.einddatum_levering, t.reden_beeindiging = GESTART, None, None
                voorziening.status = "geleverd"
            else:
                fouten[pad] = ["9069"]
            continue
        if t.status == GESTOPT and status != "2":
            fouten[pad] = ["9415"]
            continue
        t.status = GESTOPT
        t.einddatum_levering = sp["Einddatum"]
        t.reden_beeindiging = sp["RedenBeeindiging"]
        voorziening.status = "beeindigd"
        if t.zaak_id not in geraakt:
            geraakt.append(t.zaak_id)
    for zaak_id in geraakt:
        lopend = w.session.scalar(select(Toewijzing.id).where(Toewijzing.zaak_id == zaak_id,
                                                              Toewijzing.status.in_(LOPEND)).limit(1))
        if lopend is None:
            _zaakovergang(w, zaak_id, "levering_beeindigd", ("in_levering", "geleverd"))
    return fouten
