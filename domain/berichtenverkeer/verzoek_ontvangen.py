"""Incoming verzoeken of the zorgaanbieder: 315 (verzoek om toewijzing) and 317 (verzoek om wijziging) become
an Actie for the consulent's team (on the zaak when one is known), to be answered from the screen
(`verzoek_antwoord`); a 317 that stays within the beschikking is granted at once. Answer: 316/318."""
from __future__ import annotations

from sqlalchemy import select

from ..models import Bericht, Notificatie, Zaak
from ..notificaties import titel
from ..teksten import aantal
from .basis import DUBBELE_REFERENTIE, LOPEND, VERWERKT, VERZOEK_ONDERHANDEN
from .verzoek_antwoord import _wijzig_op_verzoek, kan_beantwoord_worden
from .werk import _actie, _Werk, _zaak_van_inwoner

# --- 315/317: verzoek om toewijzing / wijziging -------------------------------------------------------------


def _verwerk_315(w: _Werk) -> dict[str, list[str]]:
    client = w.ontvangen.inhoud["Client"]
    producten = client["AangevraagdeProducten"]["AangevraagdProduct"]
    inwoner, zaak = _zaak_van_inwoner(w, client["Bsn"])
    w.koppel(zaak_id=zaak.id if zaak else None)
    fouten = {f"Client/AangevraagdeProducten/AangevraagdProduct[{i}]": [DUBBELE_REFERENTIE]
              for i, p in enumerate(producten) if not w.claim("verzoek", p["ReferentieAanbieder"])}
    if fouten:
        w.verwerking.meldingen.append("De ReferentieAanbieder is al eerder gebruikt door deze zorgaanbieder (9347); "
                                      "het verzoek is afgekeurd en er is geen actie gemaakt.")
        return fouten
    if inwoner is None:
        w.verwerking.meldingen.append("De client is geen inwoner van een gemeente van deze werkorganisatie; er is "
                                      "geen actie gemaakt.")
        return {}
    regels = ", ".join(
        f"{(p.get('Product') or {}).get('Code') or (p.get('Product') or {}).get('Categorie', '?')} vanaf "
        f"{p['ToewijzingIngangsdatum']:%d-%m-%Y}" for p in producten)
    _actie(w, zaak, "verzoek_om_toewijzing",
           f"{w.naam_aanbieder()} vraagt een toewijzing aan ({w.ontvangen.naam}, referentie "
           f"{producten[0]['ReferentieAanbieder']}): {regels}. Beoordeel het verzoek en beantwoord het.")
    return {}


def _verwerk_317(w: _Werk) -> dict[str, list[str]]:
    client = w.ontvangen.inhoud["Client"]
    verzoek = client["Verzoek"]
    if not w.claim("verzoek", verzoek["ReferentieAanbieder"]):
        w.verwerking.meldingen.append("De ReferentieAanbieder is al eerder gebruikt door deze zorgaanbieder (9347); "
                                      "het verzoek is afgekeurd en er is geen actie gemaakt.")
        return {"Client/Verzoek": [DUBBELE_REFERENTIE]}
    fouten: dict[str, list[str]] = {}
    zaak_id = None
    for naam, lijst, code in (("OngewijzigdeProducten", "OngewijzigdProduct", "9350"),
                              ("TeWijzigenProducten", "TeWijzigenProduct", "9351")):
        for i, p in enumerate((verzoek.get(naam) or {}).get(lijst, [])):
            t = w.toewijzing(p["ToewijzingNummer"], client["Bsn"])
            if t is None or t.status not in LOPEND:
                fouten[f"Client/Verzoek/{naam}/{lijst}[{i}]"] = [code]
            else:
                w.koppel(t)
                zaak_id = zaak_id or t.zaak_id
    inwoner, zaak = _zaak_van_inwoner(w, client["Bsn"])
    if zaak_id:
        zaak = w.session.get(Zaak, zaak_id)
    w.koppel(zaak_id=zaak.id if zaak else None)
    if zaak is not None and w.aanbieder is not None and _open_verzoek(w, zaak.id):
        w.verwerking.meldingen.append("Er is al een verzoek om wijziging van deze zorgaanbieder voor deze client in "
                                      "behandeling (9374); dit verzoek is afgekeurd en er is geen actie gemaakt.")
        return {**fouten, "Client/Verzoek": [VERZOEK_ONDERHANDEN]}
    if inwoner is None:
        w.verwerking.meldingen.append("De client is geen inwoner van een gemeente van deze werkorganisatie; er is "
                                      "geen actie gemaakt.")
        return fouten
    if not fouten and zaak is not None and _binnen_beschikking(w, zaak, verzoek):
        w.verwerking.vervolg.append(lambda: _wijzig_automatisch(w, zaak, client))
        return fouten
    te_wijzigen = len((verzoek.get("TeWijzigenProducten") or {}).get("TeWijzigenProduct", []))
    nieuw = len((verzoek.get("NieuweProducten") or {}).get("NieuwProduct", []))
    _actie(w, zaak, "verzoek_om_wijziging",
           f"{w.naam_aanbieder()} vraagt een wijziging van de toewijzing ({w.ontvangen.naam}, referentie "
           f"{verzoek['ReferentieAanbieder']}, reden {verzoek['RedenVerzoek']}): {aantal(te_wijzigen, 'product', 'producten')} "
           f"te wijzigen en {aantal(nieuw, 'nieuw product', 'nieuwe producten')}. Beoordeel het verzoek en beantwoord het.")
    return fouten


AUTOMATISCH_BINNEN_BESCHIKKING = "wijziging_binnen_beschikking_automatisch"  # configuratie.berichten_opties


def _binnen_beschikking(w: _Werk, zaak, verzoek: dict) -> bool:
    """A 317 that the gemeente may grant without looking: it asks only for less (a lower volume in the same unit
    and frequency) or for shorter (an earlier Einddatum) on running toewijzingen, nothing new, so it stays within
    what the beschikking already granted. The gemeente's choice for the zaaktype (`berichten_opties`, default on),
    in the version the zaak started under; anything else is work for the team."""
    from ..configuratie import variant_van

    if w.gemeente is None or w.aanbieder is None:
        return False
    if not variant_van(w.session, zaak).get(AUTOMATISCH_BINNEN_BESCHIKKING, True):
        return False
    if (verzoek.get("NieuweProducten") or {}).get("NieuwProduct"):
        return False
    wijzigingen = (verzoek.get("TeWijzigenProducten") or {}).get("TeWijzigenProduct", [])
    if not wijzigingen:
        return False
    for wijziging in wijzigingen:
        t = w.toewijzing(wijziging["ToewijzingNummer"])
        if t is None or t.status not in LOPEND or wijziging["GewensteIngangsdatum"] < t.ingangsdatum:
            return False
        einde = wijziging.get("Einddatum", t.einddatum)
        if einde is not None and (einde < t.ingangsdatum or einde < wijziging["GewensteIngangsdatum"]):
            return False
        if t.einddatum is not None and (einde is None or einde > t.einddatum):
            return False  # longer than granted
        omvang = wijziging.get("Omvang")
        if omvang is not None and ((omvang["Eenheid"], omvang["Frequentie"]) != (t.eenheid, t.frequentie)
                                   or t.volume is None or omvang["Volume"] > t.volume):
            return False  # more, or measured differently
    return True


def _wijzig_automatisch(w: _Werk, zaak: Zaak, client: dict) -> None:
    """Grant a 317 within the beschikking at once: the new 301 goes out after the 318, and the behandelaar hears
    of it (no actie: there is nothing to decide)."""
    _wijzig_op_verzoek(w.session, w.bericht, w.gemeente, w.aanbieder, client, w.nu)
    tekst = (f"{w.naam_aanbieder()} vroeg minder of korter ondersteuning ({w.ontvangen.naam}, referentie "
             f"{client['Verzoek']['ReferentieAanbieder']}). Dat blijft binnen de beschikking en is automatisch "
             "toegewezen met een nieuw toewijzingsbericht (301).")
    w.verwerking.meldingen.append("Automatisch toegewezen: de wijziging blijft binnen de beschikking.")
    if zaak.behandelaar_id:
        w.session.add(Notificatie(medewerker_id=zaak.behandelaar_id, zaak_id=zaak.id,
                                  onderwerp=titel("Wijziging automatisch toegewezen", zaak.identificatie), tekst=tekst,
                                  link=f"/backoffice/zaken/{zaak.id}", aangemaakt=w.nu))


def _open_verzoek(w: _Werk, zaak_id: int) -> bool:
    """An earlier 317 of this aanbieder on this zaak that has not had its final answer yet."""
    eerdere = w.session.scalars(select(Bericht).where(
        Bericht.richting == "in", Bericht.code == "317", Bericht.aanbieder_id == w.aanbieder.id,
        Bericht.zaak_id == zaak_id, Bericht.status == VERWERKT, Bericht.id != w.bericht.id)).all()
    return any(kan_beantwoord_worden(w.session, b) for b in eerdere)
