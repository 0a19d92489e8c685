"""Outgoing toewijzingen (PROCESSES.md: administratie orders the voorziening).

When administratie orders (the `Bestel` effect calls ``Diensten.berichten(ctx, "toewijzing")``),
`maak_toewijzing` makes a `Toewijzing` per ordered voorziening and queues a WMO301/JW301 in the *same*
transaction: the bestelling and its message commit together or not at all. A sweep
(``integrations.istandaarden.transport.verstuur_berichten``) delivers queued messages later. A withdrawn besluit
ends the running toewijzingen with a new 301 (`trek_toewijzingen_in`)."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from integrations.istandaarden import Header, OngeldigBericht, bouw

from ..models import Bericht, Inwoner, Toewijzing, Voorziening, Zaak, Zorgaanbieder
from ..tijd import datum_van
from ..workflow import Context, OvergangFout
from .basis import GESTART, LOPEND, TOEGEWEZEN, nieuwe_identificatie, zet_klaar
from .berichtinhoud import client_301, toegewezen_product
from .standaard import standaard_van
from .standin import maak_standins

log = logging.getLogger(__name__)

# Demo: the simulated zorgaanbieders (integrations/istandaarden/simulator.py answers for any AGB code).
DEMO_ZORGAANBIEDERS = [
    ("98001234", "Thuiszorg De Linde", "010 123 45 67"),
    ("98005678", "Begeleiding Oostwaard", "0180 76 54 32"),
]


def laad_demo_zorgaanbieders(session: Session) -> int:
    """Idempotent: add the demo zorgaanbieders that are not there yet. Returns how many were added."""
    nieuw = 0
    for agb, naam, telefoon in DEMO_ZORGAANBIEDERS:
        if session.scalar(select(Zorgaanbieder.id).where(Zorgaanbieder.agb_code == agb)) is None:
            session.add(Zorgaanbieder(agb_code=agb, naam=naam, actief=True, telefoon=telefoon))
            nieuw += 1
    session.flush()
    return nieuw


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


def volgend_toewijzingnummer(session: Session, gemeente_id: int, aantal: int = 1) -> int:
    """The first of `aantal` new ToewijzingNummers of the gemeente, from a counter (`domain.nummering`): two
    bestellingen at the same moment never get the same number."""
    from sqlalchemy import func

    from ..nummering import reserveer

    def huidig() -> int:
        return session.scalar(select(func.max(Toewijzing.toewijzingnummer))
                              .where(Toewijzing.gemeente_id == gemeente_id)) or 0

    return reserveer(session, gemeente_id, "toewijzing", huidig=huidig, aantal=aantal)


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
    from ..stappen import lopend_besluit

    session, zaak = ctx.session, ctx.zaak
    besluit = lopend_besluit(ctx, zaak.id)
    if besluit is None:
        return []
    al_toegewezen = set(session.scalars(select(Toewijzing.voorziening_id).where(Toewijzing.zaak_id == zaak.id)))
    voorzieningen = [v for v in besluit.voorzieningen
                     if v.status == "besteld" and v.leveringsvorm != "pgb" and v.id not in al_toegewezen]
    if not voorzieningen:
        return []
    standaard = standaard_van(zaak)  # a zaaktype without a berichtstandaard orders nothing: refused here
    aanbieder = kies_aanbieder(session, ctx.gegevens.get("zorgaanbieder_id"))
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


def berichten_dienst(ctx: Context, soort: str) -> None:
    """The implementation of ``Diensten.berichten`` (wired in app/diensten.py)."""
    if soort == "toewijzing":
        maak_toewijzing(ctx)
        maak_standins(ctx)
    else:
        raise ValueError(f"onbekende berichtsoort {soort!r}")
