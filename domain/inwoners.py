"""Inwoners: find one by BSN, take them over from the BRP on first contact, and find the minors a parent with
gezag may act for."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.brp import BrpClient, Persoon

from .models import Gemeente, Inwoner

log = logging.getLogger(__name__)


class GemeenteNietAangesloten(Exception):
    """The inwoner lives in a gemeente this installation does not serve."""

    def __init__(self, gemeentenaam: str):
        super().__init__(gemeentenaam)
        self.gemeentenaam = gemeentenaam


def uit_brp(session: Session, persoon: Persoon) -> Inwoner:
    """Create or refresh our copy of a BRP person. The gemeente follows the address."""
    gemeente = session.scalar(select(Gemeente).where(Gemeente.code == persoon.gemeentecode))
    if gemeente is None:
        raise GemeenteNietAangesloten(persoon.gemeentenaam)
    inwoner = session.scalar(select(Inwoner).where(Inwoner.bsn == persoon.bsn))
    if inwoner is None:
        inwoner = Inwoner(bsn=persoon.bsn)
        session.add(inwoner)
    inwoner.voornamen = persoon.voornamen
    inwoner.voorvoegsel = persoon.voorvoegsel
    inwoner.geslachtsnaam = persoon.geslachtsnaam
    inwoner.geboortedatum = persoon.geboortedatum
    inwoner.geslacht = persoon.geslacht
    inwoner.straat = persoon.straat
    inwoner.huisnummer = persoon.huisnummer
    inwoner.postcode = persoon.postcode
    inwoner.woonplaats = persoon.woonplaats
    inwoner.gemeente = gemeente
    return inwoner


def zoek_in_brp(session: Session, actor, brp: BrpClient, *, bsn: str | None = None,
                geslachtsnaam: str | None = None, geboortedatum: dt.date | None = None) -> list[Persoon]:
    """Team toegang looks a person up in the BRP: only people living in a gemeente the medewerker works for are
    returned (name, birth date and address of other residents are none of their business), and the search is
    protocolled with its purpose. A person elsewhere is "not found", the same as one who does not exist."""
    from . import authz
    from .models import Gemeente
    from .protocol import Handeling, protocolleer

    authz.vereis(actor, "inwoner.zoeken")
    codes = set(session.scalars(select(Gemeente.code).where(Gemeente.id.in_(actor.gemeente_ids or {-1}))))
    if bsn:
        persoon = brp.zoek_bsn(bsn)
        alle = [persoon] if persoon else []
    else:
        alle = brp.zoek_naam(geslachtsnaam, geboortedatum)
    gevonden = [p for p in alle if p.gemeentecode in codes]
    protocolleer(session, actor, handeling=Handeling.ZOEKEN, object_type="brp",
                 omschrijving=(f"BRP bevraagd ({'op BSN' if bsn else 'op naam en geboortedatum'}), "
                               f"{len(gevonden)} resultaat in de eigen gemeenten"
                               + (f", {len(alle) - len(gevonden)} elders niet getoond" if len(alle) > len(gevonden) else "")),
                 doel="Toegang sociaal domein: inwoner identificeren")
    return gevonden


def inwoner_bij_inlog(session: Session, bsn: str, brp: BrpClient) -> Inwoner | None:
    """The inwoner behind a DigiD log-in: known here, or known to the BRP; None when neither knows them."""
    persoon = brp.zoek_bsn(bsn)
    if persoon is not None:
        return uit_brp(session, persoon)
    return session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))


MEERDERJARIG = 18  # BW 1:233: minderjarig is wie de leeftijd van achttien jaren nog niet heeft bereikt


def is_minderjarig(geboortedatum: dt.date, op: dt.date) -> bool:
    verjaard = (op.month, op.day) >= (geboortedatum.month, geboortedatum.day)
    return op.year - geboortedatum.year - (0 if verjaard else 1) < MEERDERJARIG


def kinderen_onder_gezag(session: Session, bsn: str, brp: BrpClient, vandaag: dt.date) -> list[Inwoner]:
    """The minors this person may act for: those over whom the BRP says they hold gezag, under 18 today and
    living in a gemeente we serve. Each child's Inwoner record is created or refreshed from the BRP.

    Gezag that cannot be determined, temporarily nobody's, or held by others gives nothing. A BRP that does not
    answer gives nothing either (the parent still logs in, for their own zaken): no gezag without the BRP's word.
    """
    try:
        bsns = brp.minderjarigen_onder_gezag(bsn)
        personen = [brp.zoek_bsn(kind) for kind in bsns if kind != bsn]
    except Exception:
        log.exception("BRP gezag niet op te vragen")
        return []
    kinderen: list[Inwoner] = []
    for persoon in personen:
        if persoon is None or not is_minderjarig(persoon.geboortedatum, vandaag):
            continue
        try:
            kinderen.append(uit_brp(session, persoon))
        except GemeenteNietAangesloten:
            continue  # their zaken are not with us
    session.flush()
    return kinderen
