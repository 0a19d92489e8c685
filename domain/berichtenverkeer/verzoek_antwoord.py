"""Answering a verzoek (315/317) from the screen: toegewezen (a 301), afgewezen or in onderzoek (a 319)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.istandaarden import Header, bouw, lees, schemas

from ..models import Actie, Bericht, Gemeente, Toewijzing, Voorziening, Zaak, Zorgaanbieder, utcnow
from ..tijd import datum_van
from ..workflow import OvergangFout
from .basis import (
    DUBBELE_REFERENTIE,
    GESTART,
    LOPEND,
    TOEGEWEZEN,
    VERWERKT,
    VERZOEK_ONDERHANDEN,
    nieuwe_identificatie,
    zet_klaar,
)
from .standin import maak_standin
from .toewijzen import REDEN_VERWIJDERD, stuur_301, toewijzing_voor, volgend_toewijzingnummer


class VerzoekFout(OvergangFout):
    """The verzoek cannot be answered this way; the message says why, in Dutch."""


TOEGEWEZEN_ANTWOORD, AFGEWEZEN_ANTWOORD, IN_ONDERZOEK_ANTWOORD = "toegewezen", "afgewezen", "in_onderzoek"
# LDT_VerzoekAntwoord
VERZOEK_AFGEWEZEN = "1"  # Verzoek afgewezen
VERZOEK_IN_ONDERZOEK = "2"  # Aanvraag in onderzoek: an answer in between; the final one (301 or 319/1) follows
REDEN_DOOR_AANBIEDER = "12"  # LDT_RedenWijziging: Geinitieerd door de aanbieder (a 317 the gemeente grants)


def redenen_afwijzing(standaard: str) -> dict[str, str]:
    """LDT_RedenAfwijzingVerzoek of the standard, code -> Dutch description (from the XSD)."""
    return schemas.enumeratie(standaard, "LDT_RedenAfwijzingVerzoek")


def antwoorden_op(session: Session, verzoek: Bericht) -> list[Bericht]:
    """The gemeente's answers (319, or a 301 that grants it) to an incoming 315/317."""
    return session.scalars(select(Bericht).where(Bericht.heenbericht_id == verzoek.id, Bericht.richting == "uit",
                                                 Bericht.code.in_(("301", "319"))).order_by(Bericht.id)).all()


def is_in_onderzoek(antwoord: Bericht) -> bool:
    """A 319 that says "aanvraag in onderzoek" (not a final answer)."""
    if antwoord.code != "319":
        return False
    return lees(antwoord.xml, valideren=False).inhoud["Antwoord"]["VerzoekAntwoord"] == VERZOEK_IN_ONDERZOEK


def kan_beantwoord_worden(session: Session, verzoek: Bericht) -> bool:
    """Not answered yet, or only with "in onderzoek"."""
    geweigerd = {DUBBELE_REFERENTIE, VERZOEK_ONDERHANDEN} & {c for codes in (verzoek.retourcodes or {}).values()
                                                             for c in codes}
    return (verzoek.richting == "in" and verzoek.code in ("315", "317") and verzoek.status == VERWERKT
            and verzoek.aanbieder_id is not None and verzoek.gemeente_id is not None and not geweigerd
            and all(is_in_onderzoek(a) for a in antwoorden_op(session, verzoek)))


def mogelijke_antwoorden(session: Session, verzoek: Bericht) -> list[str]:
    """What the verzoek may still be answered with: "in onderzoek" only once, before the final answer."""
    if not kan_beantwoord_worden(session, verzoek):
        return []
    if antwoorden_op(session, verzoek):
        return [TOEGEWEZEN_ANTWOORD, AFGEWEZEN_ANTWOORD]
    return [TOEGEWEZEN_ANTWOORD, IN_ONDERZOEK_ANTWOORD, AFGEWEZEN_ANTWOORD]


def beantwoord_verzoek(session: Session, actor, verzoek: Bericht, antwoord: str, *, reden: str | None = None,
                       nu: dt.datetime | None = None) -> list[Bericht]:
    """Answer an incoming 315 (verzoek om toewijzing) or 317 (verzoek om wijziging), in the caller's transaction.

    * afgewezen: a WMO319/JW319 with VerzoekAntwoord 1 and the RedenAfwijzingVerzoek, per ReferentieAanbieder;
    * in onderzoek: a 319 with VerzoekAntwoord 2 (the gemeente investigates first, e.g. a keukentafelgesprek),
      per ReferentieAanbieder; the Actie stays open and the final answer (toegewezen or afgewezen) follows later;
    * toegewezen: the standard has no "toegewezen" in a 319 (LDT_VerzoekAntwoord knows only 1 afgewezen and
      2 in onderzoek): the answer is a 301 carrying the aanbieder's ReferentieAanbieder. For a 315 a new
      toewijzing (on a voorziening of the inwoner's zaak with a vastgesteld toekenningsbesluit); for a 317 each
      te wijzigen toewijzing is ended (RedenWijziging 12, geinitieerd door de aanbieder) and, when the omvang
      changes, followed by a new toewijzing from the GewensteIngangsdatum; NieuweProducten become new
      toewijzingen (and voorzieningen) on the zaak's toekenning, like a granted 315.

    A final answer closes the team's Actie for this verzoek. Raises VerzoekFout (Dutch) when it cannot be answered."""
    nu = nu or utcnow()
    mogelijk = mogelijke_antwoorden(session, verzoek)
    if not mogelijk:
        raise VerzoekFout("Dit verzoek is al beantwoord of kan niet beantwoord worden.")
    if antwoord == IN_ONDERZOEK_ANTWOORD and antwoord not in mogelijk:
        raise VerzoekFout("De zorgaanbieder weet al dat de aanvraag in onderzoek is. Wijs het verzoek nu toe of af.")
    ontvangen = lees(verzoek.xml, valideren=False)
    gemeente = session.get(Gemeente, verzoek.gemeente_id)
    aanbieder = session.get(Zorgaanbieder, verzoek.aanbieder_id)
    client = ontvangen.inhoud["Client"]
    if verzoek.code == "315":
        referenties = list(dict.fromkeys(p["ReferentieAanbieder"]
                                         for p in client["AangevraagdeProducten"]["AangevraagdProduct"]))
    else:
        referenties = [client["Verzoek"]["ReferentieAanbieder"]]
    if antwoord == AFGEWEZEN_ANTWOORD:
        if reden not in redenen_afwijzing(verzoek.standaard):
            raise VerzoekFout("Kies de reden van de afwijzing.")
        uit = [_stuur_319(session, verzoek, gemeente, aanbieder, ref, reden, nu) for ref in referenties]
    elif antwoord == IN_ONDERZOEK_ANTWOORD:
        uit = [_stuur_319(session, verzoek, gemeente, aanbieder, ref, None, nu) for ref in referenties]
        session.flush()
        return uit
    elif antwoord == TOEGEWEZEN_ANTWOORD:
        if verzoek.code == "315":
            uit = [_wijs_verzoek_toe(session, verzoek, aanbieder, client, nu)]
        else:
            uit = [_wijzig_op_verzoek(session, verzoek, gemeente, aanbieder, client, nu)]
    else:
        raise VerzoekFout("Kies of u het verzoek toewijst of afwijst.")
    soort = "verzoek_om_toewijzing" if verzoek.code == "315" else "verzoek_om_wijziging"
    for actie in session.scalars(select(Actie).where(Actie.soort == soort, Actie.afgerond.is_(None),
                                                     Actie.zaak_id == verzoek.zaak_id if verzoek.zaak_id
                                                     else Actie.zaak_id.is_(None))):
        if any(ref in actie.omschrijving for ref in referenties):
            actie.afgerond = nu
            actie.afgerond_door_id = actor.id if getattr(actor, "is_medewerker", False) else None
    session.flush()
    return uit


def _stuur_319(session, verzoek, gemeente, aanbieder, referentie, reden, nu) -> Bericht:
    identificatie = nieuwe_identificatie()
    header = Header(afzender=gemeente.code, ontvanger=aanbieder.agb_code, identificatie=identificatie,
                    dagtekening=datum_van(nu))
    antwoord = {"ReferentieAanbieder": referentie, "VerzoekAntwoord": VERZOEK_AFGEWEZEN, "RedenAfwijzingVerzoek": reden}
    if reden is None:
        antwoord = {"ReferentieAanbieder": referentie, "VerzoekAntwoord": VERZOEK_IN_ONDERZOEK}
    xml = bouw("319", verzoek.standaard, header, {"Antwoord": antwoord})
    return zet_klaar(session, standaard=verzoek.standaard, code="319", xml=xml, afzender=gemeente.code,
                     ontvanger=aanbieder.agb_code, identificatie=identificatie, nu=nu,
                     heen_identificatie=verzoek.bericht_identificatie, heenbericht=verzoek,
                     gemeente_id=gemeente.id, aanbieder_id=aanbieder.id, zaak_id=verzoek.zaak_id,
                     toewijzing_id=verzoek.toewijzing_id)


def _toekenning_van(session: Session, zaak: Zaak | None):
    """The vastgesteld toekenningsbesluit a toewijzing asked for by the aanbieder can be hung under."""
    from ..stappen import lopend_besluit

    besluit = lopend_besluit(session, zaak.id) if zaak else None
    if besluit is None or besluit.status != "vastgesteld" or besluit.besluittype != "toekenning":
        raise VerzoekFout("Toewijzen kan alleen als de inwoner een zaak heeft met een vastgestelde toekenning. "
                          "Neem eerst een besluit, of wijs het verzoek af.")
    return besluit


def _nieuwe_toewijzingen(session: Session, zaak: Zaak, aanbieder: Zorgaanbieder, gevraagd: list[dict],
                         nu: dt.datetime) -> list[Toewijzing]:
    """New toewijzingen asked for by the aanbieder (the products of a 315, the NieuweProducten of a 317), each
    with a voorziening on the zaak's toekenning (and its iEb/iPgb stand-in). `gevraagd`: dicts with Product,
    Omvang, ingang, einde and referentie. Raises VerzoekFout when a product or omvang is not known here."""
    from ..models import Product

    besluit = _toekenning_van(session, zaak)
    nummer = volgend_toewijzingnummer(session, zaak.gemeente_id, len(gevraagd))
    nieuw = []
    for g in gevraagd:
        product_vraag, omvang = g.get("Product") or {}, g.get("Omvang")
        product = session.scalar(select(Product).where(Product.categorie == product_vraag.get("Categorie"),
                                                       Product.productcode == product_vraag.get("Code")).limit(1)) \
            if product_vraag.get("Code") else None
        if product is None or not omvang or not omvang.get("Volume"):
            raise VerzoekFout("Het gevraagde product of de omvang is hier niet bekend; een toewijzing kan niet "
                              "automatisch gemaakt worden. Wijs het verzoek af of regel het via een besluit.")
        if g["einde"] is not None and g["einde"] < g["ingang"]:
            raise VerzoekFout("De gevraagde einddatum ligt voor de gewenste ingangsdatum.")
        v = Voorziening(besluit_id=besluit.id, zaak_id=zaak.id, inwoner_id=zaak.inwoner_id, product_id=product.id,
                        volume=omvang["Volume"], eenheid=omvang["Eenheid"], frequentie=omvang["Frequentie"],
                        ingangsdatum=g["ingang"], einddatum=g["einde"], leveringsvorm="zin", status="besteld")
        session.add(v)
        session.flush()
        t = toewijzing_voor(v, product, zaak, aanbieder, nummer, nu, referentie=g["referentie"])
        session.add(t)
        nieuw.append(t)
        nummer += 1
    session.flush()
    for t in nieuw:
        maak_standin(session, session.get(Voorziening, t.voorziening_id), zaak, nu, t)
    return nieuw


def _wijs_verzoek_toe(session, verzoek, aanbieder, client, nu) -> Bericht:
    zaak = session.get(Zaak, verzoek.zaak_id) if verzoek.zaak_id else None
    gevraagd = [{"Product": p.get("Product"), "Omvang": p.get("Omvang"), "ingang": p["ToewijzingIngangsdatum"],
                 "einde": p.get("ToewijzingEinddatum"), "referentie": p["ReferentieAanbieder"]}
                for p in client["AangevraagdeProducten"]["AangevraagdProduct"]]
    nieuw = _nieuwe_toewijzingen(session, zaak, aanbieder, gevraagd, nu)
    return stuur_301(session, zaak, aanbieder, nieuw, nu=nu, standaard=verzoek.standaard, heenbericht=verzoek)


def _wijzig_op_verzoek(session, verzoek, gemeente, aanbieder, client, nu) -> Bericht:
    wijzigingen = (client["Verzoek"].get("TeWijzigenProducten") or {}).get("TeWijzigenProduct", [])
    nieuwe_producten = (client["Verzoek"].get("NieuweProducten") or {}).get("NieuwProduct", [])
    if not wijzigingen and not nieuwe_producten:
        raise VerzoekFout("Dit verzoek vraagt geen wijziging en geen nieuw product; wijs het af of regel het via "
                          "een besluit.")
    referentie = client["Verzoek"]["ReferentieAanbieder"]
    geraakt: list[Toewijzing] = []
    nummer = volgend_toewijzingnummer(session, gemeente.id, len(wijzigingen)) if wijzigingen else 0
    zaak = None
    for w in wijzigingen:
        t = session.scalar(select(Toewijzing).where(Toewijzing.gemeente_id == gemeente.id,
                                                    Toewijzing.toewijzingnummer == w["ToewijzingNummer"]))
        if t is None or t.aanbieder_id != aanbieder.id or t.status not in LOPEND:
            raise VerzoekFout(f"Toewijzing {w['ToewijzingNummer']} loopt niet (meer) bij deze zorgaanbieder.")
        zaak = zaak or session.get(Zaak, t.zaak_id)
        omvang = w.get("Omvang")
        einde = w.get("Einddatum", t.einddatum)
        nieuwe_omvang = omvang and (omvang["Volume"], omvang["Eenheid"], omvang["Frequentie"]) != (
            t.volume, t.eenheid, t.frequentie)
        if not nieuwe_omvang:  # only the Einddatum changes
            if einde is not None and einde < t.ingangsdatum:
                raise VerzoekFout("De gevraagde einddatum ligt voor de ingangsdatum van de toewijzing.")
            t.einddatum, t.reden_wijziging, t.referentie_aanbieder = einde, REDEN_DOOR_AANBIEDER, referentie
            t.gewijzigd = nu
            geraakt.append(t)
            continue
        # A different omvang: the current toewijzing ends the day before, a new one starts (iWmo: only the
        # Einddatum of a toewijzing may change).
        ingang = max(w["GewensteIngangsdatum"], t.ingangsdatum)
        if einde is not None and einde < ingang:
            raise VerzoekFout("De gevraagde einddatum ligt voor de gewenste ingangsdatum.")
        if ingang <= t.ingangsdatum and t.status != GESTART:  # replaced before it took effect
            t.einddatum, t.reden_wijziging = t.ingangsdatum, REDEN_VERWIJDERD
        else:
            t.einddatum = max(ingang - dt.timedelta(days=1), t.ingangsdatum)
            t.reden_wijziging = REDEN_DOOR_AANBIEDER
        t.gewijzigd = nu
        nieuw = Toewijzing(gemeente_id=t.gemeente_id, voorziening_id=t.voorziening_id, zaak_id=t.zaak_id,
                           inwoner_id=t.inwoner_id, aanbieder_id=aanbieder.id, toewijzingnummer=nummer,
                           referentie_aanbieder=referentie, productcategorie=t.productcategorie,
                           productcode=t.productcode, ingangsdatum=ingang, einddatum=einde,
                           volume=omvang["Volume"], eenheid=omvang["Eenheid"], frequentie=omvang["Frequentie"],
                           status=TOEGEWEZEN, aangemaakt=nu)
        session.add(nieuw)
        nummer += 1
        geraakt += [t, nieuw]
    session.flush()
    if nieuwe_producten:
        zaak = zaak or (session.get(Zaak, verzoek.zaak_id) if verzoek.zaak_id else None)
        geraakt += _nieuwe_toewijzingen(session, zaak, aanbieder, [
            {"Product": p.get("Product"), "Omvang": p.get("Omvang"), "ingang": p["GewensteIngangsdatum"],
             "einde": p.get("Einddatum"), "referentie": referentie} for p in nieuwe_producten], nu)
    return stuur_301(session, zaak, aanbieder, geraakt, nu=nu, standaard=verzoek.standaard, heenbericht=verzoek)
