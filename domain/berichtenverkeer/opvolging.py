"""What administratie follows up: outgoing messages that can be sent once more, heenberichten that got no answer
in time, and incoming verzoeken that still wait for the gemeente's answer (the lists of the berichten page)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrations.istandaarden import BERICHTSOORTEN

from ..models import Bericht, utcnow
from .basis import KLAAR, MISLUKT, VERWERKT, VERZONDEN
from .verzoek_antwoord import kan_beantwoord_worden


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
