"""Inwoners: find one by BSN, or take them over from the BRP on first contact."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.brp import BrpClient, Persoon

from .models import Gemeente, Inwoner


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


def inwoner_bij_inlog(session: Session, bsn: str, brp: BrpClient) -> Inwoner | None:
    """The inwoner behind a DigiD log-in: known here, or known to the BRP; None when neither knows them."""
    persoon = brp.zoek_bsn(bsn)
    if persoon is not None:
        return uit_brp(session, persoon)
    return session.scalar(select(Inwoner).where(Inwoner.bsn == bsn))
