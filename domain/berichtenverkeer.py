"""Berichtenverkeer iWmo/iJw 3.2 between gemeente and zorgaanbieder (PROCESSES.md, Wmo step 7).

Outgoing: when administratie orders (the `Bestel` effect calls ``Diensten.berichten(ctx, "toewijzing")``),
`maak_toewijzing` makes a `Toewijzing` per ordered voorziening and queues a WMO301/JW301 in the *same*
transaction: the bestelling and its message commit together or not at all. A sweep
(``integrations.istandaarden.transport.verstuur_berichten``) delivers queued messages later.

Incoming: `verwerk_inkomend` handles one received message inside the caller's transaction:

* not valid against the XSD: stored as ``afgekeurd`` and, when the header can be read, answered with a technical
  retourbericht (0001). Nothing is dropped;
* idempotent: a message whose (afzender, berichtsoort, BerichtIdentificatie) was seen before is not processed
  again (the standard makes an identification unique per berichtsoort per sender);
* 302: the outgoing 301 is marked accepted (``verwerkt``) or rejected (``afgekeurd``), per toewijzing too;
* 305: the voorziening is ``geleverd`` and the zaak moves to ``geleverd`` (the inwoner's portal shows it);
  a second start for the same toewijzing is refused with 9074 and never starts the care twice. Answer: 306;
* 307: the voorziening is ``beeindigd``; when nothing is delivered any more the zaak moves to ``beeindigd``.
  Answer: 308;
* 315/317: an Actie for the consulent's team (on the zaak when one is known). Answer: 316/318;
* 323: every prestatie is checked against its toewijzing (client, product, period, unit, volume, amount).
  Answer: 325.

Nothing here commits; the caller (a sweep, a CLI command, the engine) owns the transaction.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from integrations.istandaarden import (
    BERICHTSOORTEN,
    RETOURCODES,
    RETOURCODES_IJW,
    Header,
    OngeldigBericht,
    bouw,
    lees,
    retour,
    retourbericht_technisch,
    retourpaden,
    schemas,
    schrijf,
)
from integrations.istandaarden import Bericht as IBericht

from .actor import SYSTEEM
from .models import (
    Actie,
    Bericht,
    Berichtreferentie,
    Gemeente,
    Inwoner,
    Notificatie,
    Team,
    Toewijzing,
    Voorziening,
    Zaak,
    Zorgaanbieder,
    utcnow,
)
from .tijd import datum_van
from .workflow import Context, Diensten, OvergangFout, pas_toe

log = logging.getLogger(__name__)
AMS = ZoneInfo("Europe/Amsterdam")

# Bericht.status
KLAAR = "klaar"
VERZONDEN = "verzonden"
ONTVANGEN = "ontvangen"
VERWERKT = "verwerkt"
AFGEKEURD = "afgekeurd"
MISLUKT = "mislukt"

BERICHTSTATUSSEN = {
    KLAAR: "Klaar om te versturen",
    VERZONDEN: "Verzonden",
    ONTVANGEN: "Ontvangen",
    VERWERKT: "Verwerkt",
    AFGEKEURD: "Afgekeurd",
    MISLUKT: "Versturen mislukt",
}

# Toewijzing.status
TOEGEWEZEN, GEACCEPTEERD, AFGEWEZEN, GESTART, GESTOPT = "toegewezen", "geaccepteerd", "afgewezen", "gestart", "gestopt"
LOPEND = (TOEGEWEZEN, GEACCEPTEERD, GESTART)

GEEN_OPMERKING = "0200"
DUBBELE_REFERENTIE = "9347"  # ReferentieAanbieder is niet uniek voor de aanbieder binnen het wettelijk domein
VERZOEK_ONDERHANDEN = "9374"  # Er is al een verzoek onderhanden
PRESTATIE_AL_AANGELEVERD = "8021"  # Referentienummer prestatie is reeds aangeleverd
STANDAARD_VAN_DOMEIN = {"wmo": "iwmo", "jeugd": "ijw"}
TEAM_VAN_STANDAARD = {"iwmo": "wmo", "ijw": "jeugd"}

# Demo: the simulated zorgaanbieders (integrations/istandaarden/simulator.py answers for any AGB code).
DEMO_ZORGAANBIEDERS = [
    ("98001234", "Thuiszorg De Linde"),
    ("98005678", "Begeleiding Oostwaard"),
]


def laad_demo_zorgaanbieders(session: Session) -> int:
    """Idempotent: add the demo zorgaanbieders that are not there yet. Returns how many were added."""
    nieuw = 0
    for agb, naam in DEMO_ZORGAANBIEDERS:
        if session.scalar(select(Zorgaanbieder.id).where(Zorgaanbieder.agb_code == agb)) is None:
            session.add(Zorgaanbieder(agb_code=agb, naam=naam, actief=True))
            nieuw += 1
    session.flush()
    return nieuw


def nieuwe_identificatie() -> str:
    """A BerichtIdentificatie: at most 12 characters (LDT_IdentificatieBericht), unique per sender."""
    return uuid.uuid4().hex[:12].upper()


def retourcode_tekst(code: str, standaard: str = "iwmo") -> str:
    tabel = RETOURCODES_IJW if standaard == "ijw" else RETOURCODES
    return tabel.get(code, "Onbekende retourcode.")


def leg_uit(retourcodes: dict[str, list[str]] | None, standaard: str = "iwmo") -> list[dict[str, Any]]:
    """Retourcodes per plek in the message, each with its Dutch description, for the screen."""
    uit = []
    for pad, codes in (retourcodes or {}).items():
        for code in codes:
            uit.append({"pad": pad, "code": code, "tekst": retourcode_tekst(code, standaard),
                        "afkeurend": code != GEEN_OPMERKING})
    return uit


def _afkeurend(codes: Iterable[str] | None) -> bool:
    return any(c != GEEN_OPMERKING for c in (codes or ()))


# ------------------------------------------------------------------------------------------------------------
# Outgoing


def zet_klaar(
    session: Session,
    *,
    standaard: str,
    code: str,
    xml: bytes,
    afzender: str,
    ontvanger: str,
    identificatie: str,
    nu: dt.datetime,
    heen_identificatie: str | None = None,
    **koppelingen: Any,
) -> Bericht:
    """Queue one outgoing message in the caller's transaction; the outbox sweep sends it after commit."""
    bericht = Bericht(
        richting="uit", standaard=standaard, code=code, bericht_identificatie=identificatie,
        heen_identificatie=heen_identificatie, afzender=afzender, ontvanger=ontvanger, xml=xml,
        sha256=hashlib.sha256(xml).hexdigest(), status=KLAAR, pogingen=0, volgende_poging=nu, aangemaakt=nu,
        **koppelingen,
    )
    session.add(bericht)
    return bericht


def kan_opnieuw_verstuurd(bericht: Bericht) -> bool:
    """Safe to deliver once more: an outgoing message that could not be delivered, or that was delivered but got no
    answer yet (a retourbericht would have made it verwerkt or afgekeurd). It goes with the same
    BerichtIdentificatie, so a zorgaanbieder that did receive it recognises the copy. Not a stand-in."""
    return bericht.richting == "uit" and bericht.status in (MISLUKT, VERZONDEN)


def zet_opnieuw_klaar(bericht: Bericht, nu: dt.datetime | None = None) -> None:
    if not kan_opnieuw_verstuurd(bericht):
        raise ValueError("dit bericht kan niet opnieuw verstuurd worden")
    bericht.status, bericht.pogingen, bericht.volgende_poging = KLAAR, 0, nu or utcnow()
    bericht.laatste_fout = None


ANTWOORD_BINNEN_DAGEN = 3  # a retourbericht is expected within a few days; after that administratie looks


def open_verzoeken(session: Session, gemeente_ids: Iterable[int], limiet: int = 50) -> list[Bericht]:
    """Incoming 315/317 of these gemeenten that still wait for the gemeente's answer (or only got "in onderzoek"),
    oldest first."""
    beantwoord = select(Bericht.heenbericht_id).where(Bericht.richting == "uit", Bericht.code == "301",
                                                      Bericht.heenbericht_id.is_not(None))
    kandidaten = session.scalars(select(Bericht).where(
        Bericht.richting == "in", Bericht.code.in_(("315", "317")), Bericht.status == VERWERKT,
        Bericht.gemeente_id.in_(list(gemeente_ids) or [-1]), Bericht.id.not_in(beantwoord))
        .order_by(Bericht.id).limit(limiet * 2))
    return [b for b in kandidaten if kan_beantwoord_worden(session, b)][:limiet]


def zonder_antwoord(session: Session, gemeente_ids: Iterable[int], nu: dt.datetime | None = None,
                    limiet: int = 50) -> list[Bericht]:
    """Outgoing heenberichten (301, 319) sent more than ANTWOORD_BINNEN_DAGEN days ago without a retourbericht:
    they may not have arrived (resend them from the bericht page)."""
    grens = (nu or utcnow()) - dt.timedelta(days=ANTWOORD_BINNEN_DAGEN)
    heen = [c for c, soort in BERICHTSOORTEN.items() if soort.verzender == "gemeente" and soort.retour]
    return list(session.scalars(select(Bericht).where(
        Bericht.richting == "uit", Bericht.status == VERZONDEN, Bericht.code.in_(heen),
        Bericht.verzonden < grens, Bericht.gemeente_id.in_(list(gemeente_ids) or [-1]))
        .order_by(Bericht.verzonden).limit(limiet)))


def kies_aanbieder(session: Session, zorgaanbieder_id: Any = None) -> Zorgaanbieder:
    """The zorgaanbieder administratie chose, or else the first active one."""
    if zorgaanbieder_id not in (None, "", 0, "0"):
        try:
            aanbieder = session.get(Zorgaanbieder, int(zorgaanbieder_id))
        except (TypeError, ValueError):
            aanbieder = None
        if aanbieder is None or not aanbieder.actief:
            raise OvergangFout("Kies een actieve zorgaanbieder.")
        return aanbieder
    aanbieder = session.scalar(select(Zorgaanbieder).where(Zorgaanbieder.actief).order_by(Zorgaanbieder.id).limit(1))
    if aanbieder is None:
        raise OvergangFout("Er is nog geen zorgaanbieder ingesteld. Zonder zorgaanbieder kan er niet besteld worden.")
    return aanbieder


def standaard_van(zaak: Zaak) -> str:
    from .processes import zaaktype_van

    try:
        domein = zaaktype_van(zaak.zaaktype).domein
    except KeyError:
        domein = zaak.zaaktype
    return STANDAARD_VAN_DOMEIN.get(domein, "iwmo")


def volgend_toewijzingnummer(session: Session, gemeente_id: int, aantal: int = 1) -> int:
    """The first of `aantal` new ToewijzingNummers of the gemeente, from a counter (`domain.nummering`): two
    bestellingen at the same moment never get the same number."""
    from sqlalchemy import func

    from .nummering import reserveer

    def huidig() -> int:
        return session.scalar(select(func.max(Toewijzing.toewijzingnummer))
                              .where(Toewijzing.gemeente_id == gemeente_id)) or 0

    return reserveer(session, gemeente_id, "toewijzing", huidig=huidig, aantal=aantal)


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


def toewijzing_voor(v: Voorziening, product, zaak: Zaak, aanbieder: Zorgaanbieder, nummer: int, nu: dt.datetime, *,
                    referentie: str | None = None) -> Toewijzing:
    """A new toewijzing of voorziening `v` (its product, period and omvang) at `aanbieder`; not yet added."""
    return Toewijzing(gemeente_id=zaak.gemeente_id, voorziening_id=v.id, zaak_id=zaak.id, inwoner_id=zaak.inwoner_id,
                      aanbieder_id=aanbieder.id, toewijzingnummer=nummer, referentie_aanbieder=referentie,
                      productcategorie=product.categorie, productcode=product.productcode,
                      ingangsdatum=v.ingangsdatum, einddatum=v.einddatum, volume=v.volume, eenheid=v.eenheid,
                      frequentie=v.frequentie, status=TOEGEWEZEN, aangemaakt=nu)


def maak_toewijzing(ctx: Context) -> list[Toewijzing]:
    """`Diensten.berichten` for soort "toewijzing": a Toewijzing per ordered voorziening (zorg in natura) and one
    outgoing 301 to the chosen zorgaanbieder, in the bestelling's transaction (no commit here).

    A 301 always carries all current toewijzingen of the client at that aanbieder, so earlier ones are repeated.
    A PGB runs through the SVB (iPGB), not through a 301: those voorzieningen get no toewijzing here."""
    from .stappen import lopend_besluit

    session, zaak = ctx.session, ctx.zaak
    besluit = lopend_besluit(ctx, zaak.id)
    if besluit is None:
        return []
    al_toegewezen = set(session.scalars(select(Toewijzing.voorziening_id).where(Toewijzing.zaak_id == zaak.id)))
    voorzieningen = [v for v in besluit.voorzieningen
                     if v.status == "besteld" and v.leveringsvorm != "pgb" and v.id not in al_toegewezen]
    if not voorzieningen:
        return []
    aanbieder = kies_aanbieder(session, ctx.gegevens.get("zorgaanbieder_id"))
    standaard = standaard_van(zaak)
    nummer = volgend_toewijzingnummer(session, zaak.gemeente_id, len(voorzieningen))
    nieuw: list[Toewijzing] = []
    for v in voorzieningen:
        t = toewijzing_voor(v, v.product, zaak, aanbieder, nummer, ctx.nu)
        session.add(t)
        nieuw.append(t)
        nummer += 1
    session.flush()
    stuur_301(session, zaak, aanbieder, nieuw, nu=ctx.nu, standaard=standaard)
    ctx.resultaat["toewijzingnummers"] = [t.toewijzingnummer for t in nieuw]
    ctx.resultaat["zorgaanbieder"] = aanbieder.naam
    return nieuw


def stuur_301(session: Session, zaak: Zaak, aanbieder: Zorgaanbieder, geraakt: list[Toewijzing], *,
              nu: dt.datetime, standaard: str | None = None, heenbericht: Bericht | None = None) -> Bericht:
    """Queue one WMO301/JW301 to `aanbieder` in the caller's transaction: all current toewijzingen of the client
    at that aanbieder (the standard wants the complete picture in every 301), plus the `geraakt` ones (new, or
    just changed/ended: an ended one is still reported once, with its Einddatum and RedenWijziging)."""
    vandaag = datum_van(nu)
    standaard = standaard or standaard_van(zaak)
    actueel = session.scalars(select(Toewijzing).where(
        Toewijzing.gemeente_id == zaak.gemeente_id, Toewijzing.inwoner_id == zaak.inwoner_id,
        Toewijzing.aanbieder_id == aanbieder.id, Toewijzing.status.in_(LOPEND),
        or_(Toewijzing.einddatum.is_(None), Toewijzing.einddatum >= vandaag),
    ).order_by(Toewijzing.toewijzingnummer)).all()
    for t in geraakt:
        if t not in actueel:
            actueel.append(t)
    actueel.sort(key=lambda t: t.toewijzingnummer)
    inwoner = session.get(Inwoner, zaak.inwoner_id)
    client = client_301(inwoner)
    client["ToegewezenProducten"] = {"ToegewezenProduct": [toegewezen_product(t) for t in actueel]}
    identificatie = nieuwe_identificatie()
    header = Header(afzender=zaak.gemeente.code, ontvanger=aanbieder.agb_code, identificatie=identificatie,
                    dagtekening=vandaag)
    try:
        xml = bouw("301", standaard, header, {"Client": client})
    except (OngeldigBericht, ValueError, TypeError) as exc:
        log.warning("301 voor zaak %s niet geldig: %s", zaak.identificatie, exc)
        raise OvergangFout("Het toewijzingsbericht (301) voor de zorgaanbieder klopt niet met de gegevens van deze "
                           "zaak. Controleer de gegevens van de inwoner en de voorziening.") from exc
    return zet_klaar(session, standaard=standaard, code="301", xml=xml, afzender=zaak.gemeente.code,
                     ontvanger=aanbieder.agb_code, identificatie=identificatie, nu=nu, gemeente_id=zaak.gemeente_id,
                     aanbieder_id=aanbieder.id, zaak_id=zaak.id, toewijzing_id=geraakt[0].id if geraakt else None,
                     heenbericht=heenbericht,
                     heen_identificatie=heenbericht.bericht_identificatie if heenbericht else None)


# RedenWijziging (iWmo/iJw 3.2 basisschema, LDT_RedenWijziging) when a withdrawn besluit ends a toewijzing:
# "13" Verwijderd: the toewijzing is taken back before it took effect (no start, ingangsdatum not passed): the
#      Einddatum becomes the Ingangsdatum (an Einddatum before the Ingangsdatum is not allowed);
# "05" Herbeoordeling: verkorting toewijzing: the gemeente decided anew and the running toewijzing ends early,
#      on the day of the withdrawal.
# Not "01" (Administratieve correctie, vervallen) nor "14" (Administratieve correctie: a mistake, not a decision).
REDEN_VERWIJDERD = "13"
REDEN_VERKORTING = "05"


def trek_toewijzingen_in(ctx: Context, voorzieningen: Iterable[Voorziening]) -> list[Bericht]:
    """A withdrawn besluit (`TrekBesluitIn`) ends the running toewijzingen of its voorzieningen: Einddatum the day
    of withdrawal, the RedenWijziging above, and one new 301 per zorgaanbieder, in the caller's transaction (no
    commit). Toewijzingen that were refused or already stopped, or ended before today, are left alone."""
    ids = [v.id for v in voorzieningen if v.id is not None]
    if not ids:
        return []
    session = ctx.session
    toewijzingen = session.scalars(select(Toewijzing).where(
        Toewijzing.voorziening_id.in_(ids), Toewijzing.status.in_(LOPEND),
        or_(Toewijzing.einddatum.is_(None), Toewijzing.einddatum >= ctx.vandaag),
    ).order_by(Toewijzing.toewijzingnummer)).all()
    per_aanbieder: dict[int, list[Toewijzing]] = {}
    for t in toewijzingen:
        if t.status != GESTART and ctx.vandaag <= t.ingangsdatum:
            t.einddatum, t.reden_wijziging = t.ingangsdatum, REDEN_VERWIJDERD
        else:
            t.einddatum, t.reden_wijziging = max(ctx.vandaag, t.ingangsdatum), REDEN_VERKORTING
        t.gewijzigd = ctx.nu
        per_aanbieder.setdefault(t.aanbieder_id, []).append(t)
    session.flush()
    berichten = []
    for aanbieder_id, geraakt in per_aanbieder.items():
        zaak = session.get(Zaak, geraakt[0].zaak_id)
        berichten.append(stuur_301(session, zaak, session.get(Zorgaanbieder, aanbieder_id), geraakt, nu=ctx.nu))
    if toewijzingen:
        ctx.resultaat["ingetrokken_toewijzingnummers"] = [t.toewijzingnummer for t in toewijzingen]
    return berichten


# ------------------------------------------------------------------------------------------------------------
# iEb (CAK) and iPgb (SVB): STAND-INS
#
# When a voorziening is ordered, the CAK must learn of it to levy the eigen bijdrage (iEb, zorg in natura) and the
# SVB of a pgb toekenning (iPgb). The iEb and iPgb XSDs are not in this repository yet, so these records are
# stand-ins: a simple XML body marked as such, kept as rows in the same `bericht` table with standaard "ieb" /
# "ipgb". They are NOT validated against an XSD (there is none here to validate against) and NOT sent: there is no
# transport to the CAK or the SVB, and the outbox sweep only sends status "klaar", so they get status "standin".
# When the schemas and a transport are added, build real messages here and queue them with `zet_klaar`.

STANDIN = "standin"
BERICHTSTATUSSEN[STANDIN] = "Stand-in: niet verstuurd (iEb/iPgb nog niet aangesloten)"
STANDIN_STANDAARDEN = ("ieb", "ipgb")
# code -> (standaard, ontvanger, Dutch description)
STANDIN_SOORTEN = {
    "eb": ("ieb", "CAK", "Eigen bijdrage: overdracht aan het CAK (iEb)"),
    "pgb": ("ipgb", "SVB", "Pgb-toekenning aan de SVB (iPgb)"),
}
_STANDIN_NS = "urn:keukentafel:stand-in"


def is_standin(bericht: Bericht) -> bool:
    return bericht.standaard in STANDIN_STANDAARDEN


def maak_standin(session: Session, voorziening: Voorziening, zaak: Zaak, nu: dt.datetime,
                 toewijzing: Toewijzing | None = None) -> Bericht:
    """The iEb (zorg in natura) or iPgb (pgb) stand-in record for one ordered voorziening. No commit."""
    code = "pgb" if voorziening.leveringsvorm == "pgb" else "eb"
    standaard, ontvanger, omschrijving = STANDIN_SOORTEN[code]
    inwoner = session.get(Inwoner, zaak.inwoner_id)
    identificatie = nieuwe_identificatie()
    root = etree.Element(f"{{{_STANDIN_NS}}}StandIn", nsmap={None: _STANDIN_NS},
                         standaard=standaard, status="stand-in")
    root.append(etree.Comment(" STAND-IN: geen echt iEb/iPgb-bericht. Wordt vervangen zodra de schema's zijn "
                              "toegevoegd; niet tegen een XSD gevalideerd en niet verstuurd. "))

    def sub(ouder, naam, waarde=None):
        el = etree.SubElement(ouder, f"{{{_STANDIN_NS}}}{naam}")
        if waarde is not None:
            el.text = str(waarde)
        return el

    sub(root, "Toelichting", f"Stand-in voor {omschrijving}, tot het schema is toegevoegd.")
    sub(root, "Identificatie", identificatie)
    sub(root, "Dagtekening", datum_van(nu).isoformat())
    sub(root, "Gemeente", zaak.gemeente.code)
    sub(root, "Ontvanger", ontvanger)
    c = sub(root, "Client")
    sub(c, "Bsn", inwoner.bsn)
    sub(c, "Naam", inwoner.naam)
    v = sub(root, "Voorziening")
    sub(v, "Zaak", zaak.identificatie)
    sub(v, "Leveringsvorm", voorziening.leveringsvorm)
    sub(v, "ProductCategorie", voorziening.product.categorie)
    if voorziening.product.productcode:
        sub(v, "ProductCode", voorziening.product.productcode)
    sub(v, "Ingangsdatum", voorziening.ingangsdatum.isoformat())
    if voorziening.einddatum:
        sub(v, "Einddatum", voorziening.einddatum.isoformat())
    sub(v, "Volume", voorziening.volume)
    sub(v, "Eenheid", voorziening.eenheid)
    sub(v, "Frequentie", voorziening.frequentie)
    if toewijzing is not None:
        sub(v, "ToewijzingNummer", toewijzing.toewijzingnummer)
        sub(v, "Zorgaanbieder", session.get(Zorgaanbieder, toewijzing.aanbieder_id).agb_code)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    bericht = Bericht(
        richting="uit", standaard=standaard, code=code, bericht_identificatie=identificatie,
        afzender=zaak.gemeente.code, ontvanger=ontvanger, xml=xml, sha256=hashlib.sha256(xml).hexdigest(),
        status=STANDIN, pogingen=0, volgende_poging=None, aangemaakt=nu, gemeente_id=zaak.gemeente_id,
        aanbieder_id=toewijzing.aanbieder_id if toewijzing else None, zaak_id=zaak.id,
        toewijzing_id=toewijzing.id if toewijzing else None,
        laatste_fout=f"Stand-in: {omschrijving} wordt nog niet echt verstuurd.",
    )
    session.add(bericht)
    return bericht


def maak_standins(ctx: Context) -> list[Bericht]:
    """After a bestelling: an iEb stand-in per ordered zorg in natura voorziening, an iPgb one per pgb."""
    from .stappen import lopend_besluit

    besluit = lopend_besluit(ctx, ctx.zaak.id)
    if besluit is None:
        return []
    uit = []
    for v in besluit.voorzieningen:
        if v.status != "besteld":
            continue
        toewijzing = ctx.session.scalar(select(Toewijzing).where(Toewijzing.voorziening_id == v.id)
                                        .order_by(Toewijzing.id).limit(1))
        uit.append(maak_standin(ctx.session, v, ctx.zaak, ctx.nu, toewijzing))
    return uit


def berichten_dienst(ctx: Context, soort: str) -> None:
    """The implementation of ``Diensten.berichten`` (wired in app/diensten.py)."""
    if soort == "toewijzing":
        maak_toewijzing(ctx)
        maak_standins(ctx)
    else:
        raise ValueError(f"onbekende berichtsoort {soort!r}")


# ------------------------------------------------------------------------------------------------------------
# Incoming


@dataclass
class Verwerking:
    """What `verwerk_inkomend` did with one message."""

    bericht: Bericht | None
    dubbel: bool = False
    antwoord: Bericht | None = None
    meldingen: list[str] = field(default_factory=list)
    # Work that has to wait until the message is stored and its retourbericht queued (an automatic answer).
    vervolg: list[Any] = field(default_factory=list)

    @property
    def uitkomst(self) -> str:
        if self.dubbel:
            return "dubbel"
        return self.bericht.status if self.bericht is not None else "onbekend"


def _lokale_naam(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _header_los(xml: bytes) -> dict[str, str | None]:
    """Best effort: what can be read from the header of a message that is not valid."""
    uit: dict[str, str | None] = {"standaard": None, "code": None, "afzender": None, "ontvanger": None,
                                  "identificatie": None}
    try:
        root = schemas.parse(xml)
    except Exception:  # noqa: BLE001 - not XML at all
        return uit
    herkend = schemas.herken(root)
    if herkend:
        uit["standaard"], uit["code"] = herkend
    header = next((c for c in root if _lokale_naam(c) == "Header"), None)
    if header is None:
        return uit
    for c in header:
        naam = _lokale_naam(c)
        if naam in ("Afzender", "Ontvanger"):
            uit[naam.lower()] = (c.text or "").strip()[:8] or None
        elif naam == "BerichtIdentificatie":
            ident = next((x for x in c if _lokale_naam(x) == "Identificatie"), None)
            if ident is not None:
                uit["identificatie"] = (ident.text or "").strip()[:12] or None
    return uit


def _partijen(b: IBericht) -> tuple[str, str, str, str | None]:
    """(real sender, real recipient, own identification, identification of the heenbericht)."""
    h = b.header
    if b.soort.is_retour and b.code != "325":
        return h.ontvanger, h.afzender, h.identificatie_retour, h.identificatie
    return h.afzender, h.ontvanger, h.identificatie, h.declaratie_identificatie


def _gemeente(session: Session, code: str | None, voorraad: Voorraad | None = None) -> Gemeente | None:
    if voorraad is not None and code is not None:
        return voorraad.gemeenten.get(code)
    return session.scalar(select(Gemeente).where(Gemeente.code == code)) if code else None


def _aanbieder(session: Session, agb: str | None, voorraad: Voorraad | None = None) -> Zorgaanbieder | None:
    if voorraad is not None and agb in voorraad.aanbieders:
        return voorraad.aanbieders[agb]
    return session.scalar(select(Zorgaanbieder).where(Zorgaanbieder.agb_code == agb)) if agb else None


def _nummers(data: Any, uit: set[int]) -> None:
    """Every ToewijzingNummer anywhere in a message's content."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "ToewijzingNummer" and isinstance(v, int):
                uit.add(v)
            else:
                _nummers(v, uit)
    elif isinstance(data, list):
        for v in data:
            _nummers(v, uit)


@dataclass
class Voorraad:
    """What a group of received messages needs from the database, read in four queries before the group is
    processed: the messages parsed and validated, the gemeenten and zorgaanbieders they name, the toewijzingen
    they refer to (with voorziening, zaak and inwoner), and which of them were received before.

    With it, processing a 305 or 307 asks the database nothing, so SQLAlchemy can write the whole group in a
    few batched statements at the end instead of a dozen round trips per message. The objects stay referenced
    here, so the session's identity map keeps them for the later ``session.get`` calls of the engine. Without a
    voorraad (one message on its own) every lookup is an ordinary query; the outcome is the same."""

    gelezen: dict[str, IBericht | Exception] = field(default_factory=dict)  # by SHA-256 of the bytes
    gemeenten: dict[str, Gemeente] = field(default_factory=dict)
    aanbieders: dict[str, Zorgaanbieder] = field(default_factory=dict)
    toewijzingen: dict[tuple[int, int], Toewijzing] = field(default_factory=dict)
    ontvangen: set[tuple[str, str, str, str]] = field(default_factory=set)

    @classmethod
    def laad(cls, session: Session, berichten: Iterable[bytes]) -> Voorraad:
        v = cls()
        nummers: set[int] = set()
        agb: set[str] = set()
        identificaties: set[str] = set()
        for xml in berichten:
            sha = hashlib.sha256(xml).hexdigest()
            if sha in v.gelezen:
                continue
            try:
                b = lees(xml)
            except (OngeldigBericht, ValueError) as exc:
                v.gelezen[sha] = exc
                continue
            v.gelezen[sha] = b
            afzender, ontvanger, identificatie, _ = _partijen(b)
            agb.add(afzender if b.soort.verzender == "aanbieder" else ontvanger)
            identificaties.add(identificatie)
            _nummers(b.inhoud, nummers)
        v.gemeenten = {g.code: g for g in session.scalars(select(Gemeente))}
        if agb:
            v.aanbieders = {a.agb_code: a for a in session.scalars(
                select(Zorgaanbieder).where(Zorgaanbieder.agb_code.in_(agb)))}
            for code in agb - v.aanbieders.keys():
                v.aanbieders[code] = None  # known not to exist
        if nummers:
            # Locked (PostgreSQL) in id order: a second sweep on another host that picked up a message for the
            # same toewijzing waits until this group is committed and then reads what it did.
            v.toewijzingen = {(t.gemeente_id, t.toewijzingnummer): t for t in session.scalars(
                select(Toewijzing).where(Toewijzing.toewijzingnummer.in_(nummers)).order_by(Toewijzing.id)
                .options(joinedload(Toewijzing.voorziening), joinedload(Toewijzing.inwoner),
                         joinedload(Toewijzing.zaak))
                .with_for_update(of=Toewijzing))}
        if identificaties:
            v.ontvangen = {tuple(r) for r in session.execute(
                select(Bericht.afzender, Bericht.standaard, Bericht.code, Bericht.bericht_identificatie)
                .where(Bericht.richting == "in", Bericht.bericht_identificatie.in_(identificaties)))}
        return v


def verwerk_groep(session: Session, berichten: list[tuple[str | None, bytes]], nu: dt.datetime | None = None, *,
                  diensten: Diensten | None = None) -> list[Verwerking]:
    """Store and process a group of received messages (name, bytes) in the caller's transaction, in order, with
    the lookups read up front (`Voorraad`) and everything written in one flush at the end. Raises on the first
    error: the caller rolls the group back and processes its messages one by one (`verwerk_inkomend`)."""
    voorraad = Voorraad.laad(session, [xml for _, xml in berichten])
    uit = [verwerk_inkomend(session, xml, nu, diensten=diensten, bestandsnaam=naam, voorraad=voorraad)
           for naam, xml in berichten]
    session.flush()
    return uit


def verwerk_inkomend(
    session: Session,
    xml: bytes,
    nu: dt.datetime | None = None,
    *,
    diensten: Diensten | None = None,
    bestandsnaam: str | None = None,
    voorraad: Voorraad | None = None,
) -> Verwerking:
    """Store and process one received message in the caller's transaction (no commit, no flush: the unique key
    on the BerichtIdentificatie refuses a duplicate that a parallel sweep stored meanwhile when the caller
    flushes). Never raises for a bad message: an invalid one is stored as afgekeurd and answered technically when
    possible. `voorraad`: lookups read up front for a group of messages (see `verwerk_groep`)."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    nu = nu or utcnow()
    diensten = diensten or Diensten()
    sha = hashlib.sha256(xml).hexdigest()
    try:
        ontvangen = voorraad.gelezen[sha] if voorraad is not None and sha in voorraad.gelezen else lees(xml)
        if isinstance(ontvangen, Exception):
            raise ontvangen
    except (OngeldigBericht, ValueError) as exc:
        return _verwerk_ongeldig(session, xml, sha, nu, exc, bestandsnaam)

    afzender, ontvanger, identificatie, heen_id = _partijen(ontvangen)
    sleutel = (afzender, ontvangen.standaard, ontvangen.code, identificatie)
    # With a voorraad the query runs only for a key known to be taken (before the group, or earlier in it).
    bestaand = session.scalar(select(Bericht).where(
        Bericht.richting == "in", Bericht.afzender == afzender, Bericht.standaard == ontvangen.standaard,
        Bericht.code == ontvangen.code, Bericht.bericht_identificatie == identificatie)
    ) if voorraad is None or sleutel in voorraad.ontvangen else None
    if bestaand is not None:
        log.info("Bericht %s %s van %s is al ontvangen (id %s); niet opnieuw verwerkt",
                 ontvangen.naam, identificatie, afzender, bestaand.id)
        return Verwerking(bestaand, dubbel=True)

    soort = ontvangen.soort
    gemeente_code = ontvanger if soort.verzender == "aanbieder" else afzender
    aanbieder_agb = afzender if soort.verzender == "aanbieder" else ontvanger
    gemeente = _gemeente(session, gemeente_code, voorraad)
    aanbieder = _aanbieder(session, aanbieder_agb, voorraad)
    bericht = Bericht(
        richting="in", standaard=ontvangen.standaard, code=ontvangen.code, bericht_identificatie=identificatie,
        heen_identificatie=heen_id, afzender=afzender, ontvanger=ontvanger, xml=xml, sha256=sha,
        bestandsnaam=bestandsnaam, status=ONTVANGEN, pogingen=0, aangemaakt=nu,
        gemeente_id=gemeente.id if gemeente else None, aanbieder_id=aanbieder.id if aanbieder else None,
    )
    session.add(bericht)
    if voorraad is not None:
        voorraad.ontvangen.add(sleutel)
    verwerking = Verwerking(bericht)

    if soort.verzender == "gemeente":
        bericht.status = AFGEKEURD
        bericht.laatste_fout = (f"Een {ontvangen.naam} ({soort.naam}) verstuurt een gemeente zelf; de gemeente "
                                "ontvangt dit bericht niet en verwerkt het daarom niet.")
        bericht.verwerkt = nu
        return verwerking

    behandelaar = _BEHANDELAARS.get(ontvangen.code)
    fouten: dict[str, list[str]] = {}
    if behandelaar is not None:
        fouten = behandelaar(_Werk(session, bericht, ontvangen, gemeente, aanbieder, nu, diensten, verwerking,
                                   voorraad)) or {}
    if soort.retour is not None:
        verwerking.antwoord = _beantwoord(session, bericht, ontvangen, fouten, nu)
    bericht.status = VERWERKT
    bericht.verwerkt = nu
    for stap in verwerking.vervolg:
        stap()
    if verwerking.meldingen:
        bericht.laatste_fout = " ".join(verwerking.meldingen)[:2000]
    return verwerking


def _verwerk_ongeldig(session, xml, sha, nu, exc, bestandsnaam) -> Verwerking:
    bestaand = session.scalar(select(Bericht).where(Bericht.richting == "in", Bericht.sha256 == sha,
                                                    Bericht.status == AFGEKEURD))
    if bestaand is not None:
        return Verwerking(bestaand, dubbel=True)
    kop = _header_los(xml)
    fouten = getattr(exc, "fouten", None)
    tekst = "; ".join(str(f) for f in fouten[:10]) if fouten else str(exc)
    code = kop["code"] or ""
    soort = BERICHTSOORTEN.get(code)
    # Real sender: for a retourbericht the header is a copy of the heenbericht's.
    if soort is not None and soort.is_retour and code != "325":
        afzender, ontvanger = kop["ontvanger"], kop["afzender"]
    else:
        afzender, ontvanger = kop["afzender"], kop["ontvanger"]
    van_aanbieder = soort is None or soort.verzender == "aanbieder"
    gemeente = _gemeente(session, ontvanger if van_aanbieder else afzender)
    aanbieder = _aanbieder(session, afzender if van_aanbieder else ontvanger)
    bericht = Bericht(
        richting="in", standaard=kop["standaard"] or "", code=code, bericht_identificatie=None,
        heen_identificatie=kop["identificatie"], afzender=afzender, ontvanger=ontvanger, xml=xml, sha256=sha,
        bestandsnaam=bestandsnaam, status=AFGEKEURD, pogingen=0, aangemaakt=nu, verwerkt=nu,
        laatste_fout=f"Niet geldig volgens de XSD: {tekst}"[:2000], retourcodes={"Header": ["0001"]},
        gemeente_id=gemeente.id if gemeente else None, aanbieder_id=aanbieder.id if aanbieder else None,
    )
    session.add(bericht)
    verwerking = Verwerking(bericht)
    if soort is None or soort.verzender != "aanbieder" or soort.retour is None:
        # Unreadable, a message a gemeente sends itself, or a retourbericht: there is nothing to answer with.
        bericht.laatste_fout = f"{bericht.laatste_fout} Er gaat geen retourbericht terug."[:2000]
        return verwerking
    try:
        antwoord_xml = retourbericht_technisch(xml, identificatie=nieuwe_identificatie(), dagtekening=datum_van(nu))
    except ValueError as fout:
        bericht.laatste_fout = f"{bericht.laatste_fout} Geen retourbericht mogelijk: {fout}"[:2000]
        return verwerking
    antwoord = lees(antwoord_xml, valideren=False)
    r_afzender, r_ontvanger, r_id, _ = _partijen(antwoord)
    verwerking.antwoord = zet_klaar(
        session, standaard=antwoord.standaard, code=antwoord.code, xml=antwoord_xml, afzender=r_afzender,
        ontvanger=r_ontvanger, identificatie=r_id, heen_identificatie=kop["identificatie"], nu=nu,
        retourcodes={"Header": ["0001"]}, heenbericht=bericht, gemeente_id=bericht.gemeente_id,
        aanbieder_id=bericht.aanbieder_id,
    )
    return verwerking


def _beantwoord(session: Session, bericht: Bericht, ontvangen: IBericht, fouten: dict[str, list[str]],
                nu: dt.datetime) -> Bericht:
    r = retour(ontvangen, fouten, identificatie=nieuwe_identificatie(), dagtekening=datum_van(nu))
    xml = schrijf(r)
    alle = {pad: list(fouten.get(pad) or [GEEN_OPMERKING]) for pad in retourpaden(ontvangen)}
    bericht.retourcodes = alle
    r_afzender, r_ontvanger, r_id, _ = _partijen(r)
    return zet_klaar(
        session, standaard=r.standaard, code=r.code, xml=xml, afzender=r_afzender, ontvanger=r_ontvanger,
        identificatie=r_id, heen_identificatie=bericht.bericht_identificatie, nu=nu, retourcodes=alle,
        heenbericht=bericht, gemeente_id=bericht.gemeente_id, aanbieder_id=bericht.aanbieder_id,
        zaak_id=bericht.zaak_id, toewijzing_id=bericht.toewijzing_id,
    )


@dataclass
class _Werk:
    session: Session
    bericht: Bericht
    ontvangen: IBericht
    gemeente: Gemeente | None
    aanbieder: Zorgaanbieder | None
    nu: dt.datetime
    diensten: Diensten
    verwerking: Verwerking
    voorraad: Voorraad | None = None

    @property
    def vandaag(self) -> dt.date:
        return datum_van(self.nu)

    def koppel(self, toewijzing: Toewijzing | None = None, zaak_id: int | None = None) -> None:
        if toewijzing is not None and self.bericht.toewijzing_id is None:
            self.bericht.toewijzing_id = toewijzing.id
        zaak_id = zaak_id or (toewijzing.zaak_id if toewijzing is not None else None)
        if zaak_id and self.bericht.zaak_id is None:
            self.bericht.zaak_id = zaak_id

    def toewijzing(self, nummer: int | None, bsn: str | None = None) -> Toewijzing | None:
        """The toewijzing with this number of this gemeente at this aanbieder (and this client)."""
        if nummer is None or self.gemeente is None or self.aanbieder is None:
            return None
        t = self.voorraad.toewijzingen.get((self.gemeente.id, nummer)) if self.voorraad is not None else None
        if t is None:
            t = self.session.scalar(select(Toewijzing).where(Toewijzing.gemeente_id == self.gemeente.id,
                                                             Toewijzing.toewijzingnummer == nummer)
                                    .with_for_update())
        if t is None or t.aanbieder_id != self.aanbieder.id:
            return None
        if bsn is not None and t.inwoner.bsn != bsn:
            return None
        return t

    def al_gebruikt(self, soort: str, referentie: str) -> bool:
        """Whether an earlier message of this aanbieder (or this one, before) claimed this identifier."""
        if self.aanbieder is None:
            return False
        if (soort, referentie) in self.__dict__.setdefault("_geclaimd", set()):
            return True
        return self.session.scalar(select(Berichtreferentie.id).where(
            Berichtreferentie.aanbieder_id == self.aanbieder.id, Berichtreferentie.standaard == self.ontvangen.standaard,
            Berichtreferentie.soort == soort, Berichtreferentie.referentie == referentie)) is not None

    def claim(self, soort: str, referentie: str, *, opnieuw_in_bericht: bool = True) -> bool:
        """Claim an identifier of the aanbieder that must be unique (`Berichtreferentie`): False when an earlier
        message of this aanbieder already used it. `opnieuw_in_bericht`: a second use within this message is fine
        (the products of one 315 share their ReferentieAanbieder)."""
        if self.aanbieder is None:
            return True
        eigen = self.__dict__.setdefault("_geclaimd", set())
        if (soort, referentie) in eigen:
            return opnieuw_in_bericht
        if self.al_gebruikt(soort, referentie):
            return False
        self.session.add(Berichtreferentie(aanbieder_id=self.aanbieder.id, standaard=self.ontvangen.standaard,
                                           soort=soort, referentie=referentie, bericht=self.bericht))
        eigen.add((soort, referentie))
        return True

    def naam_aanbieder(self) -> str:
        if self.aanbieder is not None:
            return f"{self.aanbieder.naam} (AGB {self.aanbieder.agb_code})"
        return f"zorgaanbieder met AGB-code {self.bericht.afzender} (onbekend)"


def _zaakovergang(w: _Werk, zaak_id: int, code: str, van: tuple[str, ...]) -> None:
    """Move the zaak by a system overgang, if it is where that overgang starts."""
    zaak = w.session.get(Zaak, zaak_id)
    if zaak is None or zaak.status not in van:
        return
    try:
        pas_toe(w.session, SYSTEEM, zaak, code, nu=w.nu, diensten=w.diensten,
                toelichting=f"{w.ontvangen.naam} {w.bericht.bericht_identificatie} van {w.naam_aanbieder()}")
    except (OvergangFout, KeyError) as exc:  # a zaaktype without this overgang: the voorziening still moved
        w.verwerking.meldingen.append(f"Zaak {zaak.identificatie} niet verplaatst: {getattr(exc, 'melding', exc)}")


def _actie(w: _Werk, zaak: Zaak | None, soort: str, omschrijving: str, team_code: str | None = None) -> None:
    """An Actie for `team_code`, or else the zaak's team (the consulent's), or else the domain's team."""
    team = None
    if team_code:
        team = w.session.scalar(select(Team).where(Team.code == team_code))
    elif zaak is not None:
        team = zaak.team
    if team is None:
        team = w.session.scalar(select(Team).where(Team.code == TEAM_VAN_STANDAARD[w.ontvangen.standaard]))
    if team is None:
        w.verwerking.meldingen.append("Geen team gevonden om een actie voor te maken.")
        return
    if zaak is None:
        w.verwerking.meldingen.append("Geen zaak van deze inwoner gevonden: de actie staat zonder zaak klaar.")
    w.session.add(Actie(team_id=team.id, zaak_id=zaak.id if zaak else None, soort=soort, omschrijving=omschrijving,
                        aangemaakt=w.nu, bericht=w.bericht))
    if zaak is not None and zaak.behandelaar_id:
        w.session.add(Notificatie(medewerker_id=zaak.behandelaar_id, zaak_id=zaak.id, onderwerp=omschrijving[:200],
                                  tekst=f"{zaak.identificatie}: {omschrijving}", link=f"/backoffice/zaken/{zaak.id}",
                                  aangemaakt=w.nu))


def _zaak_van_inwoner(w: _Werk, bsn: str) -> tuple[Inwoner | None, Zaak | None]:
    inwoner = w.session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
    if inwoner is None or w.gemeente is None or inwoner.gemeente_id != w.gemeente.id:
        return None, None
    zaaktype = TEAM_VAN_STANDAARD[w.ontvangen.standaard]
    zaak = w.session.scalar(select(Zaak).where(Zaak.inwoner_id == inwoner.id, Zaak.zaaktype == zaaktype)
                            .order_by(Zaak.afgesloten, Zaak.startdatum.desc(), Zaak.id.desc()).limit(1))
    return inwoner, zaak


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
    if not fouten and zaak is not None and _binnen_beschikking(w, verzoek):
        w.verwerking.vervolg.append(lambda: _wijzig_automatisch(w, zaak, client))
        return fouten
    te_wijzigen = len((verzoek.get("TeWijzigenProducten") or {}).get("TeWijzigenProduct", []))
    nieuw = len((verzoek.get("NieuweProducten") or {}).get("NieuwProduct", []))
    _actie(w, zaak, "verzoek_om_wijziging",
           f"{w.naam_aanbieder()} vraagt een wijziging van de toewijzing ({w.ontvangen.naam}, referentie "
           f"{verzoek['ReferentieAanbieder']}, reden {verzoek['RedenVerzoek']}): {te_wijzigen} te wijzigen en {nieuw} "
           "nieuw(e) product(en). Beoordeel het verzoek en beantwoord het.")
    return fouten


AUTOMATISCH_BINNEN_BESCHIKKING = "wijziging_binnen_beschikking_automatisch"  # gemeente setting under "berichten"


def _binnen_beschikking(w: _Werk, verzoek: dict) -> bool:
    """A 317 that the gemeente may grant without looking: it asks only for less (a lower volume in the same unit
    and frequency) or for shorter (an earlier Einddatum) on running toewijzingen, nothing new, so it stays within
    what the beschikking already granted. Gemeente setting ``berichten.wijziging_binnen_beschikking_automatisch``
    (default on); anything else is work for the team."""
    if w.gemeente is None or w.aanbieder is None:
        return False
    if not ((w.gemeente.instellingen or {}).get("berichten") or {}).get(AUTOMATISCH_BINNEN_BESCHIKKING, True):
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
                                  onderwerp="Wijziging van de toewijzing automatisch toegewezen", tekst=tekst,
                                  link=f"/backoffice/zaken/{zaak.id}", aangemaakt=w.nu))


def _open_verzoek(w: _Werk, zaak_id: int) -> bool:
    """An earlier 317 of this aanbieder on this zaak that has not had its final answer yet."""
    eerdere = w.session.scalars(select(Bericht).where(
        Bericht.richting == "in", Bericht.code == "317", Bericht.aanbieder_id == w.aanbieder.id,
        Bericht.zaak_id == zaak_id, Bericht.status == VERWERKT, Bericht.id != w.bericht.id)).all()
    return any(kan_beantwoord_worden(w.session, b) for b in eerdere)


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


_BEHANDELAARS = {
    "302": _verwerk_302,
    "305": _verwerk_305,
    "307": _verwerk_307,
    "315": _verwerk_315,
    "317": _verwerk_317,
    "323": _verwerk_323,
}


# ------------------------------------------------------------------------------------------------------------
# Answering a verzoek (315/317) from the screen


class VerzoekFout(OvergangFout):
    """The verzoek cannot be answered this way; the message says why, in Dutch."""


TOEGEWEZEN_ANTWOORD, AFGEWEZEN_ANTWOORD, IN_ONDERZOEK_ANTWOORD = "toegewezen", "afgewezen", "in_onderzoek"
# LDT_VerzoekAntwoord
VERZOEK_AFGEWEZEN = "1"  # Verzoek afgewezen
VERZOEK_IN_ONDERZOEK = "2"  # Aanvraag in onderzoek: an answer in between; the final one (301 or 319/1) follows
REDEN_DOOR_AANBIEDER = "12"  # LDT_RedenWijziging: Geinitieerd door de aanbieder (a 317 the gemeente grants)


def redenen_afwijzing(standaard: str = "iwmo") -> dict[str, str]:
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
    from .stappen import lopend_besluit

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
    from .models import Product

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
