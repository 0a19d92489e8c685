"""Incoming messages: `verwerk_inkomend` handles one received message inside the caller's transaction,
`verwerk_groep` a group of them with the lookups read up front (`Voorraad`):

* not valid against the XSD: stored as ``afgekeurd`` and, when the header can be read, answered with a technical
  retourbericht (0001). Nothing is dropped;
* idempotent: a message whose (afzender, berichtsoort, BerichtIdentificatie) was seen before is not processed
  again (the standard makes an identification unique per berichtsoort per sender);
* otherwise the handler of its code does the work (`levering`: 302, 305, 307; `verzoek_ontvangen`: 315, 317;
  `declaratie`: 323) and the retourbericht is queued.

Nothing here commits; the caller (a sweep, a CLI command) owns the transaction.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from integrations.istandaarden import (
    BERICHTSOORTEN,
    OngeldigBericht,
    lees,
    retour,
    retourbericht_technisch,
    retourpaden,
    schemas,
    schrijf,
)
from integrations.istandaarden import Bericht as IBericht

from ..models import Bericht, Gemeente, Toewijzing, Zorgaanbieder, utcnow
from ..tijd import datum_van
from ..workflow import Diensten
from .basis import AFGEKEURD, GEEN_OPMERKING, ONTVANGEN, VERWERKT, nieuwe_identificatie, zet_klaar
from .declaratie import _verwerk_323
from .levering import _verwerk_302, _verwerk_305, _verwerk_307
from .verzoek_ontvangen import _verwerk_315, _verwerk_317
from .werk import _Werk

log = logging.getLogger(__name__)


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


_BEHANDELAARS = {
    "302": _verwerk_302,
    "305": _verwerk_305,
    "307": _verwerk_307,
    "315": _verwerk_315,
    "317": _verwerk_317,
    "323": _verwerk_323,
}
