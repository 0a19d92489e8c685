"""The vocabulary every part of the berichtenverkeer shares: the statuses of a Bericht and of a Toewijzing, the
retourcodes the gemeente itself gives, their Dutch texts, and `zet_klaar`, which queues one outgoing message in
the caller's transaction (the outbox sweep, ``integrations.istandaarden.transport.verstuur_berichten``, sends it
after commit)."""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from sqlalchemy.orm import Session

from integrations.istandaarden import RETOURCODES, RETOURCODES_IJW

from ..models import Bericht

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


def nieuwe_identificatie() -> str:
    """A BerichtIdentificatie: at most 12 characters (LDT_IdentificatieBericht), unique per sender."""
    return uuid.uuid4().hex[:12].upper()


def retourcode_tekst(code: str, standaard: str | None) -> str:
    tabel = RETOURCODES_IJW if standaard == "ijw" else RETOURCODES
    return tabel.get(code, "Onbekende retourcode.")


def leg_uit(retourcodes: dict[str, list[str]] | None, standaard: str | None) -> list[dict[str, Any]]:
    """Retourcodes per plek in the message, each with its Dutch description, for the screen."""
    uit = []
    for pad, codes in (retourcodes or {}).items():
        for code in codes:
            uit.append({"pad": pad, "code": code, "tekst": retourcode_tekst(code, standaard),
                        "afkeurend": code != GEEN_OPMERKING})
    return uit


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
